"""Scenarios: the service, its customers and its capabilities, as plain data.

Picture a service desk. *Customer groups* (colleagues inside the organisation, customers
outside it) send requests of several *types*. The desk's *catalogue* says which types it
supports at all. A *first line* team works the requests; what it cannot resolve it
escalates to a *second line* team, an internal service. Each team has *capabilities*: how
many agents (capacity), which types it knows how to resolve (knowledge) and how fast it
works (skill). The systems a team relies on fail now and then (availability, MTBF and
MTRS), and a major disruption may stop the whole service (continuity).

A :class:`Scenario` holds all of that as frozen dataclasses. It is valid once built: every
constructor checks its fields and raises :class:`ValueError` naming the field, the value
and what is allowed. Scenarios are written in TOML (see ``simlib/scenarios/*.toml``) and
changed with dotted names::

    sc = load_scenario("service-desk")
    sc = sc.replace(**{"first_line.agents": 6, "first_line.knowledge": 0.9})

Times are in hours throughout; rates are per hour.
"""

from __future__ import annotations

import copy
import json
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from simlib import tomlio

__all__ = [
    "Continuity",
    "CustomerGroup",
    "RequestType",
    "Scenario",
    "Team",
    "builtin_scenarios",
    "load_scenario",
]

KINDS = ("internal", "external")
DISTRIBUTIONS = ("exponential", "deterministic", "lognormal")
# numpy's Generator.choice refuses probabilities whose sum is further than sqrt(eps), about
# 1.5e-8, from 1: a mix must pass numpy's check as well as ours.
MIX_TOLERANCE = 1e-8
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


# --------------------------------------------------------------------------- checks


def _number(
    where: str,
    value: Any,
    *,
    low: float = 0.0,
    low_open: bool = False,
    high: float = math.inf,
    allow_inf: bool = False,
    what: str = "",
) -> float:
    """Return ``value`` as a float, or raise ValueError naming ``where``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{where}: {value!r} is not a number; expected {what or _range(low, low_open, high)}")
    try:
        value = float(value)
    except OverflowError:  # a whole number beyond any float (issue 12)
        digits = int(value.bit_length() * 0.30103) + 1
        raise ValueError(f"{where}: a whole number of about {digits} digits is out of range") from None
    if math.isnan(value) or (math.isinf(value) and not allow_inf):
        raise ValueError(f"{where}: {value!r} is not allowed; expected {what or _range(low, low_open, high)}")
    if value < low or (low_open and value == low) or value > high:
        raise ValueError(f"{where}: {value!r} is out of range; expected {what or _range(low, low_open, high)}")
    return value


def _range(low: float, low_open: bool, high: float) -> str:
    lower = f"> {low:g}" if low_open else f">= {low:g}"
    return f"a number {lower}" if math.isinf(high) else f"a number {lower} and <= {high:g}"


def _whole(where: str, value: Any, *, low: int) -> int:
    if isinstance(value, bool) or not (isinstance(value, int) or (isinstance(value, float) and value.is_integer())):
        raise ValueError(f"{where}: {value!r} is not a whole number; expected a whole number >= {low}")
    if value < low:
        raise ValueError(f"{where}: {value!r} is out of range; expected a whole number >= {low}")
    return int(value)


def _name(where: str, value: Any) -> str:
    if not isinstance(value, str) or not _NAME.match(value):
        raise ValueError(
            f"{where}: {value!r} is not a valid name; expected letters, digits, '-' or '_', starting with a letter"
        )
    return value


def _table(where: str, value: Any) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ValueError(f"{where}: {value!r} is not a table; expected a table of names to values")
    return value


def _only(where: str, data: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
    for key in data:
        if key not in allowed:
            prefix = f"{where}." if where else ""
            raise ValueError(f"{prefix}{key}: unknown field; allowed here: {', '.join(allowed)}")


class FrozenMap(dict):
    """A read-only mapping (knowledge per type, a mix, deadlines) that pickles like a dict."""

    def _read_only(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("scenario data is read-only; use Scenario.replace(...) to make a changed copy")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = __ior__ = _read_only  # type: ignore

    def __reduce__(self) -> tuple:
        return (FrozenMap, (dict(self),))

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple(self.items()))


def _frozen(mapping: Mapping[str, float]) -> Mapping[str, float]:
    return FrozenMap(mapping)


# --------------------------------------------------------------------------- parts


@dataclass(frozen=True)
class RequestType:
    """A kind of request: how long it takes to handle and by when its outcome is needed.

    ``handling`` is the mean first-line handling time and ``second_line_handling`` the
    mean second-line handling time (hours, at skill 1). ``deadline`` is the time from
    arrival by which the outcome is needed: the constraint.
    """

    name: str
    handling: float
    deadline: float
    second_line_handling: float | None = None
    distribution: str = "exponential"
    cv: float = 1.0

    FIELDS = ("handling", "deadline", "second_line_handling", "distribution", "cv")

    def __post_init__(self) -> None:
        w = f"types.{self.name}"
        _name("types", self.name)
        object.__setattr__(self, "handling", _number(f"{w}.handling", self.handling, low_open=True))
        object.__setattr__(self, "deadline", _number(f"{w}.deadline", self.deadline, low_open=True, allow_inf=True))
        second = self.handling if self.second_line_handling is None else self.second_line_handling
        object.__setattr__(self, "second_line_handling", _number(f"{w}.second_line_handling", second, low_open=True))
        if self.distribution not in DISTRIBUTIONS:
            raise ValueError(
                f"{w}.distribution: {self.distribution!r} is not allowed; expected one of {', '.join(DISTRIBUTIONS)}"
            )
        object.__setattr__(self, "cv", _number(f"{w}.cv", self.cv, low_open=True, high=10.0))

    def to_dict(self) -> dict[str, Any]:
        return {
            "handling": self.handling,
            "deadline": self.deadline,
            "second_line_handling": self.second_line_handling,
            "distribution": self.distribution,
            "cv": self.cv,
        }


@dataclass(frozen=True)
class CustomerGroup:
    """Customers who send requests: a Poisson stream with a mix of request types.

    ``kind`` is ``"internal"`` (colleagues in the same organisation) or ``"external"``.
    ``rate`` is the mean number of requests per hour; ``profile`` (optional) gives 24
    relative weights, one per hour of the day, rescaled so that ``rate`` stays the mean.
    ``patience`` is the mean time (exponential) a customer waits for work to start before
    giving up; ``inf`` means they never do. ``deadline`` overrides a type's deadline for
    this group.
    """

    name: str
    kind: str
    rate: float
    mix: Mapping[str, float]
    patience: float = math.inf
    deadline: Mapping[str, float] = field(default_factory=dict)
    profile: tuple[float, ...] | None = None

    FIELDS = ("kind", "rate", "mix", "patience", "deadline", "profile")

    def __post_init__(self) -> None:
        w = f"customers.{self.name}"
        _name("customers", self.name)
        if self.kind not in KINDS:
            raise ValueError(f"{w}.kind: {self.kind!r} is not allowed; expected one of {', '.join(KINDS)}")
        object.__setattr__(self, "rate", _number(f"{w}.rate", self.rate))
        mix = {k: _number(f"{w}.mix.{k}", v, high=1.0) for k, v in _table(f"{w}.mix", self.mix).items()}
        total = sum(mix.values())
        if not mix or abs(total - 1.0) > MIX_TOLERANCE:
            raise ValueError(f"{w}.mix: the shares sum to {total!r}; expected shares that sum to 1 (within 1e-8)")
        object.__setattr__(self, "mix", _frozen(mix))
        object.__setattr__(self, "patience", _number(f"{w}.patience", self.patience, low_open=True, allow_inf=True))
        deadline = {
            k: _number(f"{w}.deadline.{k}", v, low_open=True, allow_inf=True)
            for k, v in _table(f"{w}.deadline", self.deadline).items()
        }
        object.__setattr__(self, "deadline", _frozen(deadline))
        if self.profile is not None:
            prof = self.profile
            if isinstance(prof, (str, bytes)) or not hasattr(prof, "__len__") or len(prof) != 24:
                raise ValueError(f"{w}.profile: {prof!r} is not allowed; expected 24 weights, one per hour")
            prof = tuple(_number(f"{w}.profile[{i}]", v) for i, v in enumerate(prof))
            if sum(prof) <= 0:
                raise ValueError(f"{w}.profile: all weights are 0; expected at least one weight > 0")
            object.__setattr__(self, "profile", prof)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "kind": self.kind,
            "rate": self.rate,
            "mix": dict(self.mix),
            "patience": self.patience,
            "deadline": dict(self.deadline),
        }
        if self.profile is not None:
            d["profile"] = list(self.profile)
        return d


@dataclass(frozen=True)
class Team:
    """A team of agents and its capabilities.

    ``agents`` is the capacity; ``knowledge`` maps each request type to the probability
    that the team can resolve it; ``skill`` multiplies handling times (1 = normal, lower
    is faster). The team's supporting system fails after a mean ``mtbf`` hours (``inf``:
    never) and is restored after a mean ``mtrs`` hours; while it is down no request is
    worked. ``hours`` is the shift: the team is on duty from ``hours[0]`` to ``hours[1]``
    o'clock each day (``(0, 24)``: always); work in hand at the end of a shift waits for the
    next. ``cost`` is the cost of one agent for one hour.
    """

    line: str
    agents: int
    knowledge: Mapping[str, float]
    skill: float = 1.0
    mtbf: float = math.inf
    mtrs: float = 0.0
    cost: float = 0.0
    hours: tuple[float, float] = (0.0, 24.0)

    FIELDS = ("agents", "knowledge", "skill", "mtbf", "mtrs", "cost", "hours")

    def __post_init__(self) -> None:
        w = self.line
        low = 1 if self.line == "first_line" else 0
        object.__setattr__(self, "agents", _whole(f"{w}.agents", self.agents, low=low))
        know = {
            k: _number(f"{w}.knowledge.{k}", v, high=1.0, what="a probability from 0 to 1")
            for k, v in _table(f"{w}.knowledge", self.knowledge).items()
        }
        object.__setattr__(self, "knowledge", _frozen(know))
        object.__setattr__(self, "skill", _number(f"{w}.skill", self.skill, low_open=True, high=100.0))
        object.__setattr__(self, "mtbf", _number(f"{w}.mtbf", self.mtbf, low_open=True, allow_inf=True))
        object.__setattr__(self, "mtrs", _number(f"{w}.mtrs", self.mtrs))
        if not math.isinf(self.mtbf) and self.mtrs == 0:
            raise ValueError(f"{w}.mtrs: 0 is out of range; expected a number > 0 when {w}.mtbf is set")
        object.__setattr__(self, "cost", _number(f"{w}.cost", self.cost))
        hours = self.hours
        if isinstance(hours, (str, bytes)) or not hasattr(hours, "__len__") or len(hours) != 2:
            raise ValueError(f"{w}.hours: {hours!r} is not allowed; expected [start, end], hours of the day")
        start = _number(f"{w}.hours[0]", hours[0], high=24.0)
        end = _number(f"{w}.hours[1]", hours[1], high=24.0)
        if end <= start:
            raise ValueError(
                f"{w}.hours: {list(hours)!r} is not allowed; expected [start, end] with 0 <= start < end <= 24"
            )
        object.__setattr__(self, "hours", (start, end))

    @property
    def on_duty(self) -> float:
        """Hours a day on duty."""
        return self.hours[1] - self.hours[0]

    @property
    def has_outages(self) -> bool:
        return not math.isinf(self.mtbf)

    def to_dict(self) -> dict[str, Any]:
        return {
            "agents": self.agents,
            "knowledge": dict(self.knowledge),
            "skill": self.skill,
            "mtbf": self.mtbf,
            "mtrs": self.mtrs,
            "cost": self.cost,
            "hours": list(self.hours),
        }


@dataclass(frozen=True)
class Continuity:
    """Major disruptions that stop the whole service until it has recovered.

    Disruptions start at the fixed times ``starts`` and, if ``rate`` > 0, also at random
    (Poisson, per hour). Each lasts ``recovery`` hours.
    """

    starts: tuple[float, ...] = ()
    rate: float = 0.0
    recovery: float = 0.0

    FIELDS = ("starts", "rate", "recovery")

    def __post_init__(self) -> None:
        starts = self.starts
        if isinstance(starts, (str, bytes)) or not hasattr(starts, "__iter__"):
            raise ValueError(f"continuity.starts: {starts!r} is not allowed; expected a list of times (hours)")
        object.__setattr__(
            self, "starts", tuple(sorted(_number(f"continuity.starts[{i}]", s) for i, s in enumerate(starts)))
        )
        object.__setattr__(self, "rate", _number("continuity.rate", self.rate))
        object.__setattr__(self, "recovery", _number("continuity.recovery", self.recovery))
        if (self.starts or self.rate) and self.recovery == 0:
            raise ValueError("continuity.recovery: 0 is out of range; expected a number > 0 when disruptions are given")

    @property
    def active(self) -> bool:
        return bool(self.starts or self.rate)

    def to_dict(self) -> dict[str, Any]:
        return {"starts": list(self.starts), "rate": self.rate, "recovery": self.recovery}


# --------------------------------------------------------------------------- scenario

_TOP = (
    "name",
    "description",
    "horizon",
    "warmup",
    "catalogue",
    "types",
    "customers",
    "first_line",
    "second_line",
    "continuity",
)


@dataclass(frozen=True)
class Scenario:
    """A whole service: demand, catalogue, teams and disruptions, over a horizon (hours).

    Requests that arrive before ``warmup`` are simulated but not measured.
    """

    name: str
    horizon: float
    types: tuple[RequestType, ...]
    catalogue: tuple[str, ...]
    customers: tuple[CustomerGroup, ...]
    first_line: Team
    second_line: Team | None = None
    continuity: Continuity = Continuity()
    warmup: float = 0.0
    description: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise ValueError(f"name: {self.name!r} is not allowed; expected a non-empty text")
        object.__setattr__(self, "horizon", _number("horizon", self.horizon, low_open=True))
        object.__setattr__(self, "warmup", _number("warmup", self.warmup))
        if self.warmup >= self.horizon:
            raise ValueError(
                f"warmup: {self.warmup:g} is out of range; expected a number >= 0 and < horizon ({self.horizon:g})"
            )
        names = [t.name for t in self.types]
        if not names:
            raise ValueError("types: no request types; expected at least one")
        _unique("types", names)
        _unique("customers", [g.name for g in self.customers])
        if not self.customers:
            raise ValueError("customers: no customer groups; expected at least one")
        if isinstance(self.catalogue, str):
            raise ValueError(f"catalogue: {self.catalogue!r} is not allowed; expected a list of request types")
        object.__setattr__(self, "catalogue", tuple(self.catalogue))
        for t in self.catalogue:
            _known("catalogue", t, names)
        _unique("catalogue", list(self.catalogue))
        for g in self.customers:
            for t in g.mix:
                _known(f"customers.{g.name}.mix", t, names)
            for t in g.deadline:
                _known(f"customers.{g.name}.deadline", t, names)
        if sum(g.rate for g in self.customers) <= 0:
            raise ValueError("customers: every rate is 0; expected at least one group with rate > 0")
        for team in (self.first_line, self.second_line):
            if team is None:
                continue
            for t in team.knowledge:
                _known(f"{team.line}.knowledge", t, names)
            missing = [t for t in self.catalogue if t not in team.knowledge]
            if missing:
                raise ValueError(
                    f"{team.line}.knowledge: no value for {', '.join(map(repr, missing))}; "
                    "expected one number, or a number for every type in the catalogue"
                )

    # ----------------------------------------------------------------- derived views

    @property
    def type_names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.types)

    @property
    def has_second_line(self) -> bool:
        return self.second_line is not None and self.second_line.agents > 0

    def deadline(self, group: CustomerGroup, type_name: str) -> float:
        """The deadline (hours) of a request of ``type_name`` sent by ``group``."""
        if type_name in group.deadline:
            return group.deadline[type_name]
        return next(t.deadline for t in self.types if t.name == type_name)

    @property
    def arrival_rate(self) -> float:
        return sum(g.rate for g in self.customers)

    # ----------------------------------------------------------------- data in and out

    def to_dict(self) -> dict[str, Any]:
        """The scenario as plain data, in the shape of its TOML file."""
        d: dict[str, Any] = {
            "name": self.name,
            "description": self.description,
            "horizon": self.horizon,
            "warmup": self.warmup,
            "catalogue": list(self.catalogue),
            "types": {t.name: t.to_dict() for t in self.types},
            "customers": {g.name: g.to_dict() for g in self.customers},
            "first_line": self.first_line.to_dict(),
        }
        if self.second_line is not None:
            d["second_line"] = self.second_line.to_dict()
        if self.continuity.active:
            d["continuity"] = self.continuity.to_dict()
        return d

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Scenario:
        """Build and validate a scenario from plain data (the shape of its TOML file)."""
        data = _table("scenario", data)
        _only("", data, _TOP)
        for key in ("name", "horizon", "types", "catalogue", "customers", "first_line"):
            if key not in data:
                raise ValueError(
                    f"{key}: missing; every scenario needs name, horizon, types, catalogue, customers and first_line"
                )
        types = []
        for tname, tdata in _table("types", data["types"]).items():
            _only(f"types.{tname}", _table(f"types.{tname}", tdata), RequestType.FIELDS)
            for key in ("handling", "deadline"):
                if key not in tdata:
                    raise ValueError(f"types.{tname}.{key}: missing; every type needs handling and deadline")
            types.append(RequestType(name=tname, **tdata))
        type_names = [t.name for t in types]
        groups = []
        for gname, gdata in _table("customers", data["customers"]).items():
            _only(f"customers.{gname}", _table(f"customers.{gname}", gdata), CustomerGroup.FIELDS)
            for key in ("kind", "rate", "mix"):
                if key not in gdata:
                    raise ValueError(f"customers.{gname}.{key}: missing; every group needs kind, rate and mix")
            gdata = dict(gdata)
            if "profile" in gdata and isinstance(gdata["profile"], list):
                gdata["profile"] = tuple(gdata["profile"])
            groups.append(CustomerGroup(name=gname, **gdata))
        catalogue = data["catalogue"]
        if not isinstance(catalogue, (list, tuple)):
            raise ValueError(f"catalogue: {catalogue!r} is not allowed; expected a list of request types")
        first = _team("first_line", data["first_line"], type_names)
        second = None
        if data.get("second_line") is not None:
            second = _team("second_line", data["second_line"], type_names)
        cont = _table("continuity", data.get("continuity", {}))
        _only("continuity", cont, Continuity.FIELDS)
        cont = dict(cont)
        if "starts" in cont and isinstance(cont["starts"], list):
            cont["starts"] = tuple(cont["starts"])
        return cls(
            name=data["name"],
            description=data.get("description", ""),
            horizon=data["horizon"],
            warmup=data.get("warmup", 0.0),
            types=tuple(types),
            catalogue=tuple(catalogue),
            customers=tuple(groups),
            first_line=first,
            second_line=second,
            continuity=Continuity(**cont),
        )

    def to_toml(self) -> str:
        """The scenario as TOML text that :func:`load_scenario` reads back."""
        return tomlio.dumps(self.to_dict())

    def replace(self, **changes: Any) -> Scenario:
        """A new scenario with some fields changed, given by dotted names.

        ``sc.replace(**{"first_line.agents": 6, "customers.external.rate": 10})``.
        ``first_line.knowledge`` takes one number for every type or a mapping per type;
        ``first_line.knowledge.incident`` changes one type. ``second_line.agents = 0``
        means there is no second line.
        """
        data = self.to_dict()
        for dotted, value in changes.items():
            _set(data, dotted, value)
        return Scenario.from_dict(data)

    def __hash__(self) -> int:
        return hash(json.dumps(self.to_dict(), sort_keys=True, default=str))


def _team(line: str, data: Any, type_names: list[str]) -> Team:
    data = dict(_table(line, data))
    _only(line, data, Team.FIELDS)
    if "agents" not in data:
        raise ValueError(f"{line}.agents: missing; every team needs agents")
    know = data.pop("knowledge", 1.0)
    if not isinstance(know, Mapping):
        know = _number(f"{line}.knowledge", know, high=1.0, what="a probability from 0 to 1, or a table per type")
        know = dict.fromkeys(type_names, know)
    return Team(line=line, knowledge=know, **data)


def _unique(where: str, names: list[str]) -> None:
    seen = set()
    for n in names:
        if n in seen:
            raise ValueError(f"{where}: {n!r} appears twice; expected each name once")
        seen.add(n)


def _known(where: str, name: str, names: list[str]) -> None:
    if name not in names:
        raise ValueError(f"{where}: unknown request type {name!r}; expected one of {', '.join(names)}")


def _set(data: dict[str, Any], dotted: str, value: Any) -> None:
    """Set ``data[a][b][c] = value`` for ``dotted = "a.b.c"``, naming the path on error."""
    if not isinstance(dotted, str) or not dotted:
        raise ValueError(f"{dotted!r}: not a field name; expected a dotted name such as first_line.agents")
    parts = dotted.split(".")
    node = data
    for i, part in enumerate(parts[:-1]):
        here = ".".join(parts[: i + 1])
        if part == "second_line" and node is data and data.get("second_line") is None:
            data["second_line"] = {"agents": 0, "knowledge": 1.0}
        if part == "continuity" and node is data and "continuity" not in data:
            data["continuity"] = {}
        if not isinstance(node.get(part), dict):
            raise ValueError(f"{dotted}: unknown field {here!r}; allowed here: {', '.join(node)}")
        node = node[part]
    last = parts[-1]
    if last == "knowledge" and isinstance(node.get("knowledge"), dict) and isinstance(value, Mapping):
        merged = dict(node["knowledge"])  # a partial mapping changes only the types it names
        merged.update(value)
        value = merged
    if isinstance(value, Mapping):
        value = copy.deepcopy(dict(value))
    node[last] = value


# --------------------------------------------------------------------------- loading


def builtin_scenarios() -> tuple[str, ...]:
    """The names of the scenarios shipped with simlib."""
    files = resources.files("simlib") / "scenarios"
    return tuple(sorted(p.name[:-5] for p in files.iterdir() if p.name.endswith(".toml")))


def load_scenario(source: str | Path = "service-desk") -> Scenario:
    """Load a built-in scenario by name, or a scenario from a TOML file (see :mod:`simlib.tomlio`)."""
    if isinstance(source, str) and source in builtin_scenarios():
        text = (resources.files("simlib") / "scenarios" / f"{source}.toml").read_text(encoding="utf-8")
        return Scenario.from_dict(tomlio.loads(text, f"scenario: built-in scenario {source!r}"))
    if isinstance(source, str) and not source.lower().endswith(".toml") and not os.path.lexists(source):
        raise ValueError(
            f"scenario: {tomlio.shown(source)} is not allowed; expected a built-in scenario "
            f"({', '.join(builtin_scenarios())}) or the path of a TOML file"
        )
    text = tomlio.read_file(source)
    where = f"scenario: {tomlio.shown(os.fspath(source))}"
    return Scenario.from_dict(tomlio.loads(text, where))
