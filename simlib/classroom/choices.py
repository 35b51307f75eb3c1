"""A team's choices: the levers it may set in a round, checked, priced and applied to the scenario.

A team never edits a scenario. It moves levers (:class:`GameLever`: the lever table's entry,
its price in words and this round's default), and the game turns the values into a scenario:
:func:`check_choices` refuses a value out of range (ValueError naming the field, the value and
what is allowed), :func:`choices_cost` prices them, :func:`apply_choices` changes only the
levers moved from their default. So two teams that choose alike play exactly the same desk.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from simlib import levers as lever_table
from simlib import validation
from simlib.classroom.prices import PRICES
from simlib.scenario import Scenario

__all__ = [
    "NEW_TYPE_KNOW_HOW",
    "GameLever",
    "apply_choices",
    "check_choices",
    "choices_cost",
    "current_value",
    "field_of",
    "game_levers",
    "same_value",
]

NEW_TYPE_KNOW_HOW = 0.5  # a table of know-how that lacks a type added to the catalogue gets this


@dataclass(frozen=True)
class GameLever:
    """A lever as the game offers it in one round: the table's entry, its price and default."""

    name: str
    label: str
    concept: str
    half: str
    kind: str
    low: float | None
    high: float | None
    step: float | None
    unit: str
    meaning: str
    price: str  # the price in words
    default: Any  # the value in this round's scenario (the event applied)
    options: tuple[str, ...] = ()  # for the catalogue: the request types customers ask for

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def field_of(data: Mapping[str, Any], dotted: str) -> Any:
    node: Any = data
    for part in dotted.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node


def _snap(value: float, lv: lever_table.Lever) -> float:
    if lv.step:
        value = round(round((value - float(lv.low)) / lv.step) * lv.step + float(lv.low), 10)
    return min(max(value, float(lv.low)), float(lv.high))


def current_value(scenario: Scenario, name: str) -> Any:
    """A lever's value in ``scenario`` (None: the scenario has no such field).

    A share given per request type reads as its lowest value over the types in the catalogue
    (a type an event adds, not yet supported, does not change what the lever shows): raising the
    lever lifts every type to at least that (see :func:`apply_choices`).
    """
    lv = lever_table.lever(name)
    if name == "catalogue":
        return list(scenario.catalogue)
    value = field_of(scenario.to_dict(), name)
    if value is None:
        return None
    if isinstance(value, Mapping):  # over the types the desk supports: a type an event adds is apart
        supported = [v for t, v in value.items() if t in scenario.catalogue] or list(value.values())
        value = min(supported) if supported else 1.0
    if isinstance(value, (list, tuple)):
        return None  # not a one-number lever (e.g. hours on shift)
    if lv.kind == "whole":
        return int(value)
    value = float(value)
    if not math.isfinite(value):
        return None
    return _snap(value, lv)


def game_levers(scenario: Scenario, allowed: Sequence[str] | None = None) -> list[GameLever]:
    """The levers a team may set on ``scenario``: priced, present in the scenario, allowed."""
    out = []
    for lv in lever_table.LEVERS:
        if lv.name not in PRICES or (allowed is not None and lv.name not in allowed):
            continue
        default = current_value(scenario, lv.name)
        if default is None:
            continue
        options = tuple(_asked_for(scenario)) if lv.kind == "types" else ()
        out.append(
            GameLever(
                lv.name, lv.label, lv.concept, lv.half, lv.kind, lv.low, lv.high, lv.step, lv.unit, lv.meaning,
                PRICES[lv.name].words(scenario), default, options,
            )
        )  # fmt: skip
    return out


def _asked_for(scenario: Scenario) -> list[str]:
    """The request types customers ask for (in the scenario's order)."""
    asked = {t for g in scenario.customers for t, share in g.mix.items() if share > 0}
    return [t for t in scenario.type_names if t in asked or t in scenario.catalogue]


def check_choices(levers: Sequence[GameLever], choices: Mapping[str, Any]) -> dict[str, Any]:
    """Every lever's value: the choices checked (ValueError naming the field), the rest at default."""
    if not isinstance(choices, Mapping):
        raise ValueError(f"choices: {choices!r} is not allowed; expected a table of lever names to values")
    by_name = {lv.name: lv for lv in levers}
    for name in choices:
        if name not in by_name:
            allowed = ", ".join(by_name) or "none"
            raise ValueError(f"{name}: not a lever of this game; the levers teams may set are {allowed}")
    out: dict[str, Any] = {}
    for lv in levers:
        value = choices.get(lv.name, lv.default)
        out[lv.name] = _check_value(lv, value)
    return out


def _check_value(lv: GameLever, value: Any) -> Any:
    if lv.kind == "types":
        if isinstance(value, str) or not isinstance(value, (list, tuple, set, frozenset)):
            raise ValueError(f"{lv.name}: {value!r} is not allowed; expected a list of request types")
        types = list(value)
        for t in types:
            if t not in lv.options:
                raise ValueError(
                    f"{lv.name}: {t!r} is not a request type here; expected some of {', '.join(lv.options)}"
                )
        if not types:
            raise ValueError(f"{lv.name}: empty; expected at least one request type")
        if len(set(types)) != len(types):
            raise ValueError(f"{lv.name}: a request type appears twice in {types!r}; expected each once")
        return [t for t in lv.options if t in types]
    lo, hi = float(lv.low), float(lv.high)
    if lv.kind == "whole":
        return validation.whole(lv.name, value, low=int(lo), high=int(hi))
    # a slider's value may stray a rounding error past an end: it is taken back to the end
    value = validation.number(lv.name, value, low=lo - 1e-9, high=hi + 1e-9, what=f"a number from {lo:g} to {hi:g}")
    return round(min(max(value, lo), hi), 6)


def choices_cost(scenario: Scenario, choices: Mapping[str, Any]) -> float:
    """What a set of lever values costs for the round."""
    return float(sum(PRICES[name].cost(scenario, value) for name, value in choices.items() if name in PRICES))


def same_value(a: Any, b: Any) -> bool:
    if isinstance(a, list) or isinstance(b, list):
        return list(a) == list(b)
    return abs(float(a) - float(b)) < 1e-9


def apply_choices(scenario: Scenario, levers: Sequence[GameLever], choices: Mapping[str, Any]) -> Scenario:
    """The round's scenario with a team's choices: only the levers moved from their default change.

    A share kept per request type (say know-how, after a new request type arrived) moves as a
    whole: raising the lever lifts every type to at least the new value; lowering it takes the
    same amount off every type.
    """
    data = scenario.to_dict()
    changes: dict[str, Any] = {}
    for lv in levers:
        value = choices.get(lv.name, lv.default)
        if same_value(value, lv.default):
            continue
        if lv.kind == "types":
            changes["catalogue"] = list(value)
            for table in ("know_how", "first_line.knowledge", "second_line.knowledge"):
                known = field_of(data, table)
                if isinstance(known, Mapping):
                    missing = {t: NEW_TYPE_KNOW_HOW for t in value if t not in known}
                    if missing:
                        changes[table] = {**known, **changes.get(table, {}), **missing}
            continue
        now = changes.get(lv.name, field_of(data, lv.name))
        if isinstance(now, Mapping):
            low = float(lv.default)
            v = float(value)
            if v >= low:
                changes[lv.name] = {t: max(float(x), v) for t, x in now.items()}
            else:
                changes[lv.name] = {t: max(float(x) - (low - v), 0.0) for t, x in now.items()}
        else:
            changes[lv.name] = value
    return scenario.replace(**changes) if changes else scenario
