"""Checks at the door: every argument and scenario field is checked here, with one message format.

A learner who types ``agents = -1`` or ``seed = "one"`` gets a :class:`ValueError` that names
the field, the value and what is allowed, never a traceback from deep inside the model::

    first_line.agents: -1 is out of range; expected a whole number >= 1 and <= 10000

Numbers may be Python or numpy numbers (``np.float64(0.5)``, ``np.arange(3, 6)[0]``); a
boolean is never a number. A number is converted first and checked as it will be stored (an
``int`` subclass whose ``int()`` differs from its value is checked by its ``int()``). A list
is a list: a table (``{0: 1, 1: 1}``), a set or a text where a list belongs is refused, never
taken as its keys (:func:`sequence`). Every message quotes a value in at most about a line
(:func:`shown`), with control characters escaped.

Every helper takes its arguments in one order: where (the field's name), then the value, then
what is allowed. This is a low room: it imports nothing of simlib, so every other
room can use it. :class:`ScenarioBase` is the base of :class:`simlib.scenario.Scenario`, here
so that :func:`scenario` can recognise one without importing the room above.
"""

from __future__ import annotations

import math
import numbers
import re
import reprlib
from collections.abc import Iterable, Mapping, Sequence, Set
from typing import Any

import numpy as np

__all__ = [
    "MAX_AGENTS",
    "MAX_HOURS",
    "MAX_KEY",
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
    "sequence",
    "shown",
    "table",
    "unique",
    "whole",
]

MAX_AGENTS = 10_000  # agents in one team
MAX_RATE = 100_000.0  # requests (or disruptions) per hour
MAX_HOURS = 1_000_000.0  # a horizon, or any finite time: about 114 years
MAX_KEY = 100  # characters in a name of a table's key (a request type, a customer group)

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


_REPR = reprlib.Repr()
_REPR.maxstring = _REPR.maxother = 80
_REPR.maxlist = _REPR.maxtuple = _REPR.maxdict = _REPR.maxset = _REPR.maxarray = 6
_REPR.maxlevel = 3


def shown(value: Any, width: int = 80) -> str:
    """``repr(value)`` for a message: at most about ``width`` characters, never raising.

    A long text is cut with an ellipsis and its length; a deep or long list or table is
    abbreviated (``[1, 2, ...]``); a whole number of hundreds of digits is written by its size.
    """
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**30:
        return f"a whole number of about {int(abs(value).bit_length() * 0.30103) + 1} digits"
    if isinstance(value, str) and len(value) > width:
        return f"{value[: width - 20]!r}... ({len(value):,} characters)"
    try:
        text = _REPR.repr(value)
    except Exception:
        text = f"<{type(value).__name__}>"
    return text if len(text) <= width else f"{text[: width - 3]}..."


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
    The value checked is the float that will be stored.
    """
    expected = what or _range(low, low_open, high) + (" (or inf)" if allow_inf and not math.isinf(high) else "")
    if not _is_number(value):
        raise ValueError(f"{where}: {shown(value)} is not a number; expected {expected}")
    try:
        stored = float(value)
    except OverflowError:  # a whole number beyond any float (issue 12)
        raise ValueError(f"{where}: {shown(value)} is out of range; expected {expected}") from None
    except Exception:  # a number whose own __float__ fails
        raise ValueError(f"{where}: {shown(value)} is not a number; expected {expected}") from None
    if math.isnan(stored) or (math.isinf(stored) and not allow_inf):
        raise ValueError(f"{where}: {stored!r} is not allowed; expected {expected}")
    if stored < low or (low_open and stored == low) or (stored > high and not (allow_inf and math.isinf(stored))):
        raise ValueError(f"{where}: {stored!r} is out of range; expected {expected}")
    return stored


def _whole(where: str, value: Any, expected: str, *, floats: bool) -> int:
    """``value`` converted to the int that will be stored, or a ValueError naming ``where``."""
    ok = isinstance(value, numbers.Integral) or (floats and isinstance(value, (float, np.floating)))
    if not ok or isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{where}: {shown(value)} is not a whole number; expected {expected}")
    try:
        if isinstance(value, numbers.Integral):
            return int(value)
        if float(value).is_integer():
            return int(float(value))
    except Exception:  # an int subclass whose own __int__ fails
        pass
    raise ValueError(f"{where}: {shown(value)} is not a whole number; expected {expected}")


def whole(where: str, value: Any, *, low: int, high: int | None = None) -> int:
    """``value`` as an int ``>= low`` (and ``<= high``); a float such as 3.0 is accepted, 2.5 is not.

    The int checked is the one stored: ``int(value)``, converted once.
    """
    expected = f"a whole number >= {low}" + (f" and <= {high}" if high is not None else "")
    stored = _whole(where, value, expected, floats=True)
    if stored < low or (high is not None and stored > high):
        raise ValueError(f"{where}: {shown(stored)} is out of range; expected {expected}")
    return stored


def seed(where: str, value: Any, *, sequence: bool = False) -> Any:
    """A seed: a whole number >= 0 (an int), or with ``sequence`` also a ``numpy.random.SeedSequence``."""
    if sequence and isinstance(value, np.random.SeedSequence):
        return value
    expected = "a whole number >= 0" + (" (or a SeedSequence)" if sequence else "")
    try:
        stored = _whole(where, value, expected, floats=False)
    except ValueError:
        stored = -1
    if stored < 0:
        raise ValueError(f"{where}: {shown(value)} is not allowed; expected {expected}")
    return stored


def count(where: str, value: Any, low: int = 0) -> int:
    """A count given as an argument (runs, a window): an integer >= ``low``; 2.0 is refused."""
    try:
        stored = _whole(where, value, "", floats=False)
    except ValueError:
        stored = low - 1
    if stored < low:
        raise ValueError(f"{where}: {shown(value)} is not allowed; expected a whole number >= {low}")
    return stored


def runs(where: str, value: Any, low: int = 2) -> int:
    """A number of runs: a whole number >= ``low`` (2 for a confidence interval)."""
    return count(where, value, low)


def flag(where: str, value: Any) -> bool:
    """A real boolean (``True``/``False``, or numpy's): ``"no"`` or ``0`` are refused, not guessed."""
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{where}: {shown(value)} is not allowed; expected True or False")
    return bool(value)


class ScenarioBase:
    """The base of :class:`simlib.scenario.Scenario`: lets :func:`scenario` check without importing it."""

    __slots__ = ()


def scenario(where: str, value: Any) -> Any:
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
            f"{where}: {shown(value)} is not a valid name; expected letters, digits, '-' or '_', starting with a letter"
        )
    return value


def table(where: str, value: Any) -> Mapping[str, Any]:
    """A TOML table (a mapping of names to values); its keys are texts of one line, at most :data:`MAX_KEY` long.

    A key becomes part of a field's name in every message (``customers.external.mix.incident``),
    so an absurd key is refused here, before any message quotes it.
    """
    if not isinstance(value, Mapping):
        raise ValueError(f"{where}: {shown(value)} is not a table; expected a table of names to values")
    for key in value:
        if not isinstance(key, str) or not key or len(key) > MAX_KEY or not key.isprintable():
            raise ValueError(
                f"{where}: the key {shown(key)} is not allowed; expected names of 1 to {MAX_KEY} characters, "
                "without control characters"
            )
    return value


def sequence(where: str, value: Any, expected: str, *, length: int | None = None) -> tuple[Any, ...]:
    """A list (a tuple, a range, a numpy array) as a tuple; a table, a set or a text where a list belongs is refused.

    ``expected`` words what is allowed (``"a list of times (hours)"``); ``length``, if given,
    is the number of items it must have.
    """
    if isinstance(value, (str, bytes, Mapping, Set)) or not isinstance(value, (Sequence, np.ndarray)):
        raise ValueError(f"{where}: {shown(value)} is not allowed; expected {expected}")
    items = tuple(value.tolist() if isinstance(value, np.ndarray) else value)
    if length is not None and len(items) != length:
        raise ValueError(f"{where}: {shown(value)} has {len(items)} items; expected {expected}")
    return items


def only(where: str, data: Mapping[str, Any], allowed: Iterable[str]) -> None:
    """Refuse a key that is not a field here (a misspelt ``agnets``), naming the allowed ones."""
    allowed = tuple(allowed)
    for key in data:
        if key not in allowed:
            prefix = f"{where}." if where else ""
            key = key if isinstance(key, str) and len(key) <= 80 and key.isprintable() else shown(key)
            raise ValueError(f"{prefix}{key}: unknown field; allowed here: {', '.join(allowed)}")


def unique(where: str, names: Iterable[str]) -> None:
    """Refuse a name given twice."""
    seen = set()
    for n in names:
        if n in seen:
            raise ValueError(f"{where}: {shown(n)} appears twice; expected each name once")
        seen.add(n)


def known(where: str, value: str, names: Iterable[str]) -> None:
    """Refuse a request type that the scenario does not define."""
    names = list(names)
    if value not in names:
        raise ValueError(f"{where}: unknown request type {shown(value)}; expected one of {', '.join(names)}")
