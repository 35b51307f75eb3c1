"""The scenario: a whole service as plain data, changed with dotted names.

Picture a service desk. Customer groups send requests of several types; the *catalogue* says
which types the desk supports at all, and the *know-how* how likely the service as a whole is
to be able to resolve a request of each type: together they decide utility. The teams, the
disruptions and the impostors (the parts, in :mod:`simlib.parts`) decide warranty.

A :class:`Scenario` holds all of that as frozen dataclasses. It is valid once built: every
constructor checks its fields (with :mod:`simlib.validation`) and raises :class:`ValueError`
naming the field, the value and what is allowed. Scenarios are written in TOML (see
``simlib/scenarios/*.toml``) and changed with dotted names::

    sc = load_scenario("service-desk")
    sc = sc.replace(**{"first_line.agents": 6, "first_line.knowledge": 0.9})

Times are in hours throughout; rates are per hour.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from simlib import tomlio
from simlib import validation as check
from simlib.parts import (
    NO_SECOND_KNOWLEDGE,
    PROBABILITY,
    SHARE_OR_TABLE,
    Continuity,
    CustomerGroup,
    FrozenMap,
    RequestType,
    Security,
    Team,
    field_names,
    plain,
)

__all__ = [
    "Continuity",
    "CustomerGroup",
    "RequestType",
    "Scenario",
    "Security",
    "Team",
    "builtin_scenarios",
    "load_scenario",
]


@dataclass(frozen=True)
class Scenario(check.ScenarioBase):
    """A whole service: demand, catalogue, know-how, teams, disruptions and security, over a horizon (hours).

    ``know_how`` maps each request type to the chance that the service as a whole (any
    line) can resolve a request of that type (one number stands for every type): with the
    catalogue, it decides utility. Requests that arrive before ``warmup`` are simulated but
    not measured.
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
    know_how: Mapping[str, float] | float = 1.0
    security: Security = Security()

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise ValueError(f"name: {self.name!r} is not allowed; expected a non-empty text")
        object.__setattr__(self, "horizon", check.number("horizon", self.horizon, low_open=True, high=check.MAX_HOURS))
        object.__setattr__(self, "warmup", check.number("warmup", self.warmup))
        if self.warmup >= self.horizon:
            raise ValueError(
                f"warmup: {self.warmup:g} is out of range; expected a number >= 0 and < horizon ({self.horizon:g})"
            )
        names = [t.name for t in self.types]
        if not names:
            raise ValueError("types: no request types; expected at least one")
        check.unique("types", names)
        check.unique("customers", [g.name for g in self.customers])
        if not self.customers:
            raise ValueError("customers: no customer groups; expected at least one")
        if isinstance(self.catalogue, str):
            raise ValueError(f"catalogue: {self.catalogue!r} is not allowed; expected a list of request types")
        object.__setattr__(self, "catalogue", tuple(self.catalogue))
        for t in self.catalogue:
            check.known("catalogue", t, names)
        check.unique("catalogue", list(self.catalogue))
        for g in self.customers:
            for t in g.mix:
                check.known(f"customers.{g.name}.mix", t, names)
            for t in g.deadline:
                check.known(f"customers.{g.name}.deadline", t, names)
        if sum(g.rate for g in self.customers) <= 0:
            raise ValueError("customers: every rate is 0; expected at least one group with rate > 0")
        object.__setattr__(self, "know_how", _per_type("know_how", self.know_how, names))
        for where, table in (("know_how", self.know_how), ("first_line.knowledge", self.first_line.knowledge)):
            for t in table:
                check.known(where, t, names)
            missing = [t for t in self.catalogue if t not in table]
            if missing:
                raise ValueError(
                    f"{where}: no value for {', '.join(map(repr, missing))}; "
                    "expected one number, or a number for every type in the catalogue"
                )
        if self.second_line is not None and self.second_line.knowledge:
            raise ValueError(NO_SECOND_KNOWLEDGE)
        for t in self.security.targets:
            check.known("security.targets", t, names)

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
        d: dict[str, Any] = {}
        for key in TOP:
            value = getattr(self, key)
            if key in ("types", "customers"):
                d[key] = {part.name: part.to_dict() for part in value}
            elif key in SECTIONS:
                if _written(key, value):
                    d[key] = value.to_dict()
            else:
                d[key] = plain(value)
        return d

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Scenario:
        """Build and validate a scenario from plain data (the shape of its TOML file)."""
        data = check.table("scenario", data)
        check.only("", data, TOP)
        for key in REQUIRED:
            if key not in data:
                raise ValueError(f"{key}: missing; every scenario needs {', '.join(REQUIRED[:-1])} and {REQUIRED[-1]}")
        types = []
        for tname, tdata in check.table("types", data["types"]).items():
            check.only(f"types.{tname}", check.table(f"types.{tname}", tdata), field_names(RequestType))
            for key in ("handling", "deadline"):
                if key not in tdata:
                    raise ValueError(f"types.{tname}.{key}: missing; every type needs handling and deadline")
            types.append(RequestType(name=tname, **tdata))
        type_names = [t.name for t in types]
        groups = []
        for gname, gdata in check.table("customers", data["customers"]).items():
            check.only(f"customers.{gname}", check.table(f"customers.{gname}", gdata), field_names(CustomerGroup))
            for key in ("kind", "rate", "mix"):
                if key not in gdata:
                    raise ValueError(f"customers.{gname}.{key}: missing; every group needs kind, rate and mix")
            gdata = dict(gdata)
            if "profile" in gdata and isinstance(gdata["profile"], list):
                gdata["profile"] = tuple(gdata["profile"])
            groups.append(CustomerGroup(name=gname, **gdata))
        catalogue = data["catalogue"]
        if isinstance(catalogue, (str, bytes)) or not hasattr(catalogue, "__iter__"):
            raise ValueError(f"catalogue: {catalogue!r} is not allowed; expected a list of request types")
        first = _team("first_line", data["first_line"], type_names)
        second = None
        if data.get("second_line") is not None:
            second = _team("second_line", data["second_line"], type_names)
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
            continuity=_section(Continuity, "continuity", data, ("starts",)),
            know_how=data.get("know_how", 1.0),
            security=_section(Security, "security", data, ("targets",)),
        )

    def to_toml(self) -> str:
        """The scenario as TOML text that :func:`load_scenario` reads back."""
        return tomlio.dumps(self.to_dict())

    def replace(self, **changes: Any) -> Scenario:
        """A new scenario with some fields changed, given by dotted names.

        ``sc.replace(**{"first_line.agents": 6, "customers.external.rate": 10})``.
        ``know_how`` and ``first_line.knowledge`` take one number for every type or a
        mapping per type; ``know_how.incident`` changes one type. ``second_line.agents = 0``
        means there is no second line. Numbers may be numpy numbers.
        """
        data = self.to_dict()
        for dotted, value in changes.items():
            _set(data, dotted, value)
        return Scenario.from_dict(data)

    def __hash__(self) -> int:
        return hash(json.dumps(self.to_dict(), sort_keys=True, default=str))


# The scenario's fields in the order of its TOML file, derived from the dataclass.
_ORDER = ("name", "description", "horizon", "warmup", "catalogue", "know_how")
TOP: tuple[str, ...] = (*_ORDER, *(f.name for f in dataclasses.fields(Scenario) if f.name not in _ORDER))
PARTS = (RequestType, CustomerGroup, Team, Continuity, Security)
SECTIONS: tuple[str, ...] = tuple(  # the fields made of parts: tables of their own in TOML
    f.name for f in dataclasses.fields(Scenario) if any(p.__name__ in str(f.type) for p in PARTS)
)
REQUIRED: tuple[str, ...] = tuple(
    f.name
    for f in dataclasses.fields(Scenario)
    if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
)


def _written(key: str, part: Any) -> bool:
    """Whether a section goes into the TOML: a second line always, the others unless they are the default."""
    if part is None:
        return False
    if key in ("first_line", "second_line"):
        return True
    if key == "continuity":
        return part.active
    return part != type(part)()


def _per_type(where: str, value: Any, names: list[str]) -> FrozenMap:
    """One probability for every type, or a table of them per type."""
    if not isinstance(value, Mapping):
        value = dict.fromkeys(names, check.number(where, value, high=1.0, what=SHARE_OR_TABLE))
    table = check.table(where, value)
    return FrozenMap({k: check.number(f"{where}.{k}", v, high=1.0, what=PROBABILITY) for k, v in table.items()})


def _section(part: type, key: str, data: Mapping[str, Any], lists: tuple[str, ...]) -> Any:
    """A continuity or security section from its TOML table (missing: the default)."""
    table = check.table(key, data.get(key, {}))
    check.only(key, table, field_names(part))
    table = dict(table)
    for name in lists:
        if name in table and isinstance(table[name], list):
            table[name] = tuple(table[name])
    return part(**table)


def _team(line: str, data: Any, type_names: list[str]) -> Team:
    data = dict(check.table(line, data))
    if line != "first_line" and "knowledge" in data:
        raise ValueError(NO_SECOND_KNOWLEDGE)
    check.only(line, data, field_names(Team))
    if "agents" not in data:
        raise ValueError(f"{line}.agents: missing; every team needs agents")
    if line != "first_line":
        return Team(line=line, **data)
    know = data.pop("knowledge", 1.0)
    if not isinstance(know, Mapping):
        know = check.number(f"{line}.knowledge", know, high=1.0, what=SHARE_OR_TABLE)
        know = dict.fromkeys(type_names, know)
    return Team(line=line, knowledge=know, **data)


def _set(data: dict[str, Any], dotted: str, value: Any) -> None:
    """Set ``data[a][b][c] = value`` for ``dotted = "a.b.c"``, naming the path on error."""
    if not isinstance(dotted, str) or not dotted:
        raise ValueError(f"{dotted!r}: not a field name; expected a dotted name such as first_line.agents")
    parts = dotted.split(".")
    if parts[:2] == ["second_line", "knowledge"]:
        raise ValueError(NO_SECOND_KNOWLEDGE)
    node = data
    for i, part in enumerate(parts[:-1]):
        here = ".".join(parts[: i + 1])
        if part == "second_line" and node is data and data.get("second_line") is None:
            data["second_line"] = {"agents": 0}
        if part in ("continuity", "security") and node is data and part not in data:
            data[part] = {}
        if not isinstance(node.get(part), dict):
            raise ValueError(f"{dotted}: unknown field {here!r}; allowed here: {', '.join(node)}")
        node = node[part]
    last = parts[-1]
    if last in ("knowledge", "know_how") and isinstance(node.get(last), dict) and isinstance(value, Mapping):
        merged = dict(node[last])  # a partial mapping changes only the types it names
        merged.update(value)
        value = merged
    if isinstance(value, Mapping):
        value = copy.deepcopy(dict(value))
    elif hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        value = value.tolist()  # a numpy number or array: plain Python, as TOML would give
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
    return Scenario.from_dict(tomlio.loads(text, f"scenario: {tomlio.shown(os.fspath(source))}"))
