"""Checks at the door: every argument and scenario field is checked here, with one message format.

A learner who types ``agents = -1`` or ``seed = "one"`` gets a :class:`ValueError` that names
the field, the value and what is allowed, never a traceback from deep inside the model::

    first_line.agents: -1 is out of range; expected a whole number >= 1 and <= 10000

Numbers may be Python or numpy numbers (``np.float64(0.5)``, ``np.arange(3, 6)[0]``); a
boolean is never a number. This is a low room: it imports nothing of simlib, so every other
room can use it. :class:`ScenarioBase` is the base of :class:`simlib.scenario.Scenario`, here
so that :func:`scenario` can recognise one without importing the room above.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

__all__ = [
    "MAX_AGENTS",
    "MAX_HOURS",
    "MAX_RATE",
    "ScenarioBase",
    "count",
    "flag",
    "known",
    "name",
    "number",
    "only",
    "runs",
    "scenario",
    "seed",
    "table",
    "unique",
    "whole",
]

MAX_AGENTS = 10_000  # agents in one team
MAX_RATE = 100_000.0  # requests (or disruptions) per hour
MAX_HOURS = 1_000_000.0  # a horizon, or any finite time: about 114 years

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def _range(low: float, low_open: bool, high: float) -> str:
    lower = f"> {low:g}" if low_open else f">= {low:g}"
    return f"a number {lower}" if math.isinf(high) else f"a number {lower} and <= {high:g}"


def number(
    where: str,
    value: Any,
    *,
    low: float = 0.0,
    low_open: bool = False,
    high: float = math.inf,
    allow_inf: bool = False,
    what: str = "",
) -> float:
    """``value`` as a float within ``[low, high]`` (``(low, high]`` if ``low_open``), or a ValueError naming ``where``.

    ``inf`` is refused unless ``allow_inf`` (an MTBF or a patience may be endless; a horizon may not).
    """
    expected = what or _range(low, low_open, high) + (" (or inf)" if allow_inf and not math.isinf(high) else "")
    if not _is_number(value):
        raise ValueError(f"{where}: {value!r} is not a number; expected {expected}")
    try:
        value = float(value)
    except OverflowError:  # a whole number beyond any float (issue 12)
        digits = int(int(value).bit_length() * 0.30103) + 1
        raise ValueError(
            f"{where}: a whole number of about {digits} digits is out of range; expected {expected}"
        ) from None
    if math.isnan(value) or (math.isinf(value) and not allow_inf):
        raise ValueError(f"{where}: {value!r} is not allowed; expected {expected}")
    if value < low or (low_open and value == low) or (value > high and not (allow_inf and math.isinf(value))):
        raise ValueError(f"{where}: {value!r} is out of range; expected {expected}")
    return value


def whole(where: str, value: Any, *, low: int, high: int | None = None) -> int:
    """``value`` as an int ``>= low`` (and ``<= high``); a float such as 3.0 is accepted, 2.5 is not."""
    expected = f"a whole number >= {low}" + (f" and <= {high}" if high is not None else "")
    ok = isinstance(value, (numbers.Integral, float, np.floating)) and not isinstance(value, (bool, np.bool_))
    if not ok or (not isinstance(value, numbers.Integral) and not float(value).is_integer()):
        raise ValueError(f"{where}: {value!r} is not a whole number; expected {expected}")
    if value < low or (high is not None and value > high):
        raise ValueError(f"{where}: {value!r} is out of range; expected {expected}")
    return int(value)


def seed(value: Any, where: str = "seed", *, sequence: bool = False) -> Any:
    """A seed: a whole number >= 0 (an int), or with ``sequence`` also a ``numpy.random.SeedSequence``."""
    if sequence and isinstance(value, np.random.SeedSequence):
        return value
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral) or value < 0:
        also = " (or a SeedSequence)" if sequence else ""
        raise ValueError(f"{where}: {value!r} is not allowed; expected a whole number >= 0{also}")
    return int(value)


def count(value: Any, where: str, low: int = 0) -> int:
    """A count given as an argument (runs, a window): an integer >= ``low``; 2.0 is refused."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral) or value < low:
        raise ValueError(f"{where}: {value!r} is not allowed; expected a whole number >= {low}")
    return int(value)


def runs(value: Any, where: str = "runs", low: int = 2) -> int:
    """A number of runs: a whole number >= ``low`` (2 for a confidence interval)."""
    return count(value, where, low)


def flag(where: str, value: Any) -> bool:
    """A real boolean (``True``/``False``, or numpy's): ``"no"`` or ``0`` are refused, not guessed."""
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{where}: {value!r} is not allowed; expected True or False")
    return bool(value)


class ScenarioBase:
    """The base of :class:`simlib.scenario.Scenario`: lets :func:`scenario` check without importing it."""

    __slots__ = ()


def scenario(value: Any, where: str = "scenario") -> Any:
    """``value`` if it is a Scenario, else a ValueError pointing at ``simlib.load_scenario``."""
    if not isinstance(value, ScenarioBase):
        raise ValueError(
            f"{where}: {type(value).__name__} is not allowed; expected a Scenario (see simlib.load_scenario)"
        )
    return value


def name(where: str, value: Any) -> str:
    """A name of a request type or customer group: letters, digits, '-' or '_', starting with a letter."""
    if not isinstance(value, str) or not _NAME.match(value):
        raise ValueError(
            f"{where}: {value!r} is not a valid name; expected letters, digits, '-' or '_', starting with a letter"
        )
    return value


def table(where: str, value: Any) -> Mapping[str, Any]:
    """A TOML table (a mapping of names to values)."""
    if not isinstance(value, Mapping):
        raise ValueError(f"{where}: {value!r} is not a table; expected a table of names to values")
    return value


def only(where: str, data: Mapping[str, Any], allowed: Iterable[str]) -> None:
    """Refuse a key that is not a field here (a misspelt ``agnets``), naming the allowed ones."""
    allowed = tuple(allowed)
    for key in data:
        if key not in allowed:
            prefix = f"{where}." if where else ""
            raise ValueError(f"{prefix}{key}: unknown field; allowed here: {', '.join(allowed)}")


def unique(where: str, names: Iterable[str]) -> None:
    """Refuse a name given twice."""
    seen = set()
    for n in names:
        if n in seen:
            raise ValueError(f"{where}: {n!r} appears twice; expected each name once")
        seen.add(n)


def known(where: str, value: str, names: Iterable[str]) -> None:
    """Refuse a request type that the scenario does not define."""
    names = list(names)
    if value not in names:
        raise ValueError(f"{where}: unknown request type {value!r}; expected one of {', '.join(names)}")
