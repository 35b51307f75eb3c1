"""The parts of a scenario: request types, customer groups, teams, continuity and security.

Picture a service desk. *Customer groups* (colleagues inside the organisation, customers
outside it) send requests of several *types*. A *first line* team works the requests, and
escalates what only the *second line* knows how to resolve. Each team has *capabilities*:
how many agents (capacity) and how fast they work (skill, a speed: higher is better); the
first line holds a share of the service's know-how itself (first-time fix). The systems a
team relies on fail now and then (availability), a major disruption may stop the whole
service (continuity), and some callers are impostors whom the first line must catch
(security).

Each part is a frozen dataclass, valid once built: its constructor checks every field with
:mod:`simlib.validation` and raises a ValueError naming it. The whole, with the catalogue and
the know-how, is :class:`simlib.scenario.Scenario`. Times are in hours; rates are per hour.
"""

from __future__ import annotations

import dataclasses
import math
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from simlib import validation
from simlib.codes import DISTRIBUTIONS

__all__ = [
    "KINDS",
    "Continuity",
    "CustomerGroup",
    "FrozenMap",
    "RequestType",
    "Security",
    "Team",
    "field_names",
    "plain",
]

KINDS = ("internal", "external")
SHARE_OR_TABLE = "a probability from 0 to 1, or a table per type"
PROBABILITY = "a probability from 0 to 1"
NO_SECOND_KNOWLEDGE = (
    "second_line.knowledge: no longer a field; what the service as a whole (any line) can resolve is "
    "the top-level know_how (one number from 0 to 1, or a table per type), and first_line.knowledge is "
    "the share of it the first line holds itself; expected know_how instead"
)

# numpy's Generator.choice refuses probabilities whose sum is further than sqrt(eps), about
# 1.5e-8, from 1: a mix must pass numpy's check as well as ours (issue 12).
MIX_TOLERANCE = 1e-8
# a hundred times slower than normal at the least: a skill of 1e-308 makes handling times overflow to inf
MIN_SKILL = 0.01


class FrozenMap(dict):
    """A read-only mapping (knowledge per type, a mix, deadlines, measures) that pickles like a dict."""

    def _read_only(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError(
            "read-only: change a scenario with Scenario.replace(...); copy a result's measures with summary()"
        )

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = __ior__ = _read_only  # type: ignore

    def __reduce__(self) -> tuple:
        return (FrozenMap, (dict(self),))

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple(self.items()))


def field_names(part: type, skip: tuple[str, ...] = ("name", "line")) -> tuple[str, ...]:
    """The fields of a part as its TOML table has them (its name is the table's key, not a field)."""
    return tuple(f.name for f in dataclasses.fields(part) if f.name not in skip)


def plain(value: Any) -> Any:
    """Scenario data as plain TOML-shaped data: mappings become dicts, tuples lists."""
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        return [plain(v) for v in value]
    return value


def _to_dict(part: Any, omit: tuple[str, ...] = ()) -> dict[str, Any]:
    return {k: plain(getattr(part, k)) for k in field_names(type(part)) if k not in omit}


def _set(part: Any, name: str, value: Any) -> None:
    object.__setattr__(part, name, value)


@dataclass(frozen=True)
class RequestType:
    """A kind of request: how long it takes to handle and by when its outcome is needed.

    ``handling`` is the mean first-line handling time and ``second_line_handling`` the
    mean second-line handling time (hours, at skill 1). ``deadline`` is the time from
    arrival by which the outcome is needed: the constraint. ``distribution`` is one of
    :data:`simlib.codes.DISTRIBUTIONS`, with coefficient of variation ``cv`` (lognormal).
    """

    name: str
    handling: float
    deadline: float
    second_line_handling: float | None = None
    distribution: str = "exponential"
    cv: float = 1.0

    def __post_init__(self) -> None:
        w = f"types.{self.name}"
        validation.name("types", self.name)
        _set(
            self,
            "handling",
            validation.number(f"{w}.handling", self.handling, low_open=True, high=validation.MAX_HOURS),
        )
        deadline = validation.number(
            f"{w}.deadline", self.deadline, low_open=True, high=validation.MAX_HOURS, allow_inf=True
        )
        _set(self, "deadline", deadline)
        second = self.handling if self.second_line_handling is None else self.second_line_handling
        second = validation.number(f"{w}.second_line_handling", second, low_open=True, high=validation.MAX_HOURS)
        _set(self, "second_line_handling", second)
        if self.distribution not in DISTRIBUTIONS:
            raise ValueError(
                f"{w}.distribution: {self.distribution!r} is not allowed; expected one of {', '.join(DISTRIBUTIONS)}"
            )
        _set(self, "cv", validation.number(f"{w}.cv", self.cv, low_open=True, high=10.0))

    def to_dict(self) -> dict[str, Any]:
        return _to_dict(self)


@dataclass(frozen=True)
class CustomerGroup:
    """Customers who send requests: a Poisson stream with a mix of request types.

    ``kind`` is ``"internal"`` (colleagues in the same organisation) or ``"external"``.
    ``rate`` is the mean number of requests per hour; ``profile`` (optional) gives 24
    relative weights, one per hour of the day, or 168, one per hour of the week (Monday
    00:00 first), rescaled so that ``rate`` stays the mean.
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

    def __post_init__(self) -> None:
        w = f"customers.{self.name}"
        validation.name("customers", self.name)
        if self.kind not in KINDS:
            raise ValueError(f"{w}.kind: {self.kind!r} is not allowed; expected one of {', '.join(KINDS)}")
        _set(self, "rate", validation.number(f"{w}.rate", self.rate, high=validation.MAX_RATE))
        mix = {
            k: validation.number(f"{w}.mix.{k}", v, high=1.0) for k, v in validation.table(f"{w}.mix", self.mix).items()
        }
        total = sum(mix.values())
        if not mix or abs(total - 1.0) > MIX_TOLERANCE:
            raise ValueError(f"{w}.mix: the shares sum to {total!r}; expected shares that sum to 1 (within 1e-8)")
        _set(self, "mix", FrozenMap(mix))
        patience = validation.number(
            f"{w}.patience", self.patience, low_open=True, high=validation.MAX_HOURS, allow_inf=True
        )
        _set(self, "patience", patience)
        deadline = {
            k: validation.number(f"{w}.deadline.{k}", v, low_open=True, high=validation.MAX_HOURS, allow_inf=True)
            for k, v in validation.table(f"{w}.deadline", self.deadline).items()
        }
        _set(self, "deadline", FrozenMap(deadline))
        if self.profile is not None:
            hours = "24 weights (one per hour of the day) or 168 (one per hour of the week)"
            prof = validation.sequence(f"{w}.profile", self.profile, f"a list of {hours}")
            if len(prof) not in (24, 168):
                raise ValueError(f"{w}.profile: {validation.shown(prof)} has {len(prof)} items; expected {hours}")
            prof = tuple(
                validation.number(f"{w}.profile[{i}]", v, high=validation.MAX_RATE) for i, v in enumerate(prof)
            )
            if sum(prof) / len(prof) < sys.float_info.min:  # the model divides by the mean weight
                raise ValueError(
                    f"{w}.profile: the weights are all 0, or too small to tell from 0; expected at least one "
                    "weight > 0 on a sensible scale (1 for an average hour)"
                )
            _set(self, "profile", prof)

    def to_dict(self) -> dict[str, Any]:
        return _to_dict(self, omit=("profile",) if self.profile is None else ())


@dataclass(frozen=True)
class Team:
    """A team of agents and its capabilities.

    ``agents`` is the capacity. ``knowledge`` (first line only) maps each request type to the
    share of the service's know-how that the first line holds itself: of the requests the
    service can resolve, the share the first line resolves without escalating (first-time
    fix). ``skill`` is the team's speed: the mean handling time is ``handling / skill``
    (1 = normal, 2 = twice as fast; higher is better). The team's supporting system fails
    after a mean ``mtbf`` hours (``inf``: never) and is restored after a mean ``mtrs`` hours;
    while it is down no request is worked. ``hours`` is the shift: the team is on duty from
    ``hours[0]`` to ``hours[1]`` o'clock each day (``(0, 24)``: always); work in hand at the
    end of a shift waits for the next. ``cost`` is the cost of one agent for one hour.
    """

    line: str
    agents: int
    knowledge: Mapping[str, float] = FrozenMap()
    skill: float = 1.0
    mtbf: float = math.inf
    mtrs: float = 0.0
    cost: float = 0.0
    hours: tuple[float, float] = (0.0, 24.0)

    def __post_init__(self) -> None:
        w = self.line
        low = 1 if self.line == "first_line" else 0
        _set(self, "agents", validation.whole(f"{w}.agents", self.agents, low=low, high=validation.MAX_AGENTS))
        if self.line != "first_line" and self.knowledge:
            raise ValueError(NO_SECOND_KNOWLEDGE)
        know = {
            k: validation.number(f"{w}.knowledge.{k}", v, high=1.0, what=PROBABILITY)
            for k, v in validation.table(f"{w}.knowledge", self.knowledge).items()
        }
        _set(self, "knowledge", FrozenMap(know))
        _set(self, "skill", validation.number(f"{w}.skill", self.skill, low=MIN_SKILL, high=100.0))
        _set(
            self,
            "mtbf",
            validation.number(f"{w}.mtbf", self.mtbf, low_open=True, high=validation.MAX_HOURS, allow_inf=True),
        )
        _set(self, "mtrs", validation.number(f"{w}.mtrs", self.mtrs, high=validation.MAX_HOURS))
        if not math.isinf(self.mtbf) and self.mtrs == 0:
            raise ValueError(f"{w}.mtrs: 0 is out of range; expected a number > 0 when {w}.mtbf is set")
        _set(self, "cost", validation.number(f"{w}.cost", self.cost, high=1e9))
        hours = validation.sequence(f"{w}.hours", self.hours, "[start, end], hours of the day", length=2)
        start = validation.number(f"{w}.hours[0]", hours[0], high=24.0)
        end = validation.number(f"{w}.hours[1]", hours[1], high=24.0)
        if end <= start:
            raise ValueError(
                f"{w}.hours: {list(hours)!r} is not allowed; expected [start, end] with 0 <= start < end <= 24"
            )
        _set(self, "hours", (start, end))

    @property
    def has_outages(self) -> bool:
        return not math.isinf(self.mtbf)

    @property
    def has_shifts(self) -> bool:
        return self.hours != (0.0, 24.0)

    def hours_on_duty(self, t0: float, t1: float) -> float:
        """Hours on duty between ``t0`` and ``t1`` (hours from the start), from the daily shift alone.

        The model's shifts keep the team on duty for exactly these hours; the classroom game
        prices an agent with them before any run.
        """
        start, end = self.hours
        total, day = 0.0, math.floor(t0 / 24.0) * 24.0
        while day < t1:
            total += max(0.0, min(t1, day + end) - max(t0, day + start))
            day += 24.0
        return total

    def to_dict(self) -> dict[str, Any]:
        return _to_dict(self, omit=() if self.line == "first_line" else ("knowledge",))


@dataclass(frozen=True)
class Continuity:
    """Major disruptions that stop the whole service until it has recovered.

    Disruptions start at the fixed times ``starts`` and, if ``rate`` > 0, also at random
    (Poisson, per hour). Each lasts ``recovery`` hours.
    """

    starts: tuple[float, ...] = ()
    rate: float = 0.0
    recovery: float = 0.0

    def __post_init__(self) -> None:
        starts = validation.sequence("continuity.starts", self.starts, "a list of times (hours)")
        starts = (
            validation.number(f"continuity.starts[{i}]", s, high=validation.MAX_HOURS) for i, s in enumerate(starts)
        )
        _set(self, "starts", tuple(sorted(starts)))
        _set(self, "rate", validation.number("continuity.rate", self.rate, high=validation.MAX_RATE))
        _set(self, "recovery", validation.number("continuity.recovery", self.recovery, high=validation.MAX_HOURS))
        if (self.starts or self.rate) and self.recovery == 0:
            raise ValueError("continuity.recovery: 0 is out of range; expected a number > 0 when disruptions are given")

    @property
    def active(self) -> bool:
        return bool(self.starts or self.rate)

    def to_dict(self) -> dict[str, Any]:
        return _to_dict(self)


@dataclass(frozen=True)
class Security:
    """Impostors, and the first line's check that catches them.

    A share ``attacks`` of the requests of the ``targets`` types (say password resets and
    access requests) are sent by impostors. The first line verifies the caller of every
    request of a target type: ``verification`` (0 to 1) is the share of impostors the check
    catches, and it lengthens the mean first-line handling of every such request by
    ``verification * check_time`` hours (at skill 1). A caught impostor is refused: the
    request is handled as usual and its outcome judged by its deadline. An impostor who gets
    through and whose request is fulfilled is a *breach*: not fit for use, and the first
    line's systems go down for ``containment`` hours while it is contained.
    """

    attacks: float = 0.0
    targets: tuple[str, ...] = ()
    verification: float = 0.0
    check_time: float = 0.0
    containment: float = 0.0

    def __post_init__(self) -> None:
        share = "a share from 0 to 1"
        _set(self, "attacks", validation.number("security.attacks", self.attacks, high=1.0, what=share))
        _set(self, "targets", validation.sequence("security.targets", self.targets, "a list of request types"))
        _set(self, "verification", validation.number("security.verification", self.verification, high=1.0, what=share))
        _set(self, "check_time", validation.number("security.check_time", self.check_time, high=validation.MAX_HOURS))
        _set(
            self, "containment", validation.number("security.containment", self.containment, high=validation.MAX_HOURS)
        )

    @property
    def active(self) -> bool:
        return bool(self.attacks and self.targets)

    def to_dict(self) -> dict[str, Any]:
        return _to_dict(self)
