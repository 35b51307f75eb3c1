"""What one run delivered: each request's outcome, and the measures of utility and warranty.

This module is the reference of the kit's measures; the README and the notebooks teach
them as written here.

**Outcomes.** Every request that arrives in the measured window (after the warm-up, before
the horizon) gets exactly one outcome (:data:`OUTCOMES`, in this order):

- ``achieved``: resolved by its deadline, securely: the desired outcome;
- ``late``: resolved, but after the deadline;
- ``abandoned``: the customer gave up before work started;
- ``unresolved``: handled, but the service did not know how to resolve it;
- ``not_supported``: its type is not in the service's catalogue;
- ``breach``: sent by an impostor who got through verification, and fulfilled;
- ``open``: still in the system at the horizon (counted apart, never dropped). An open
  request is *overdue* if its deadline has passed by the horizon, and *not yet due* if not.

**Fit for purpose** (utility) is fixed when a request arrives: its type is in the catalogue,
and the service can resolve it: the know-how draw says some line knows how, and that line
exists (with no second line, what the first line does not know is unresolved). Which line
resolves it, and how fast, is the business of warranty.

**Fit for use** (warranty): a fit-for-purpose request delivered by its deadline, securely:
``achieved``. Late, abandoned, breached and overdue-open requests are not fit for use.

**The three headline measures:**

- **utility** = fit-for-purpose requests / *all* requests that arrived in the window. It is
  fixed at arrival, so no warranty lever (capacity, skill, availability, continuity,
  security, first-time fix, patience, shifts) can move it under the same seed.
- **warranty** = achieved / (fit-for-purpose requests - fit-for-purpose requests open and
  not yet due). An open request already past its deadline counts against warranty: it can
  no longer be delivered in time. Only an open request not yet due is left out (censored);
  both counts are reported (``open_overdue``, ``open_not_due``).
- **value** = utility x warranty, exactly.

**Waiting and time in system** (each says which requests it covers):

- ``wait.mean``, ``wait.p50/p90/p95``, ``wait.max``: from arrival to the start of first-line
  handling, over the requests of the window whose handling started before the horizon
  (abandoned and still-waiting requests have no wait).
- ``time_in_system.mean``, ``time_in_system.p90``: from arrival to the end of handling, over
  the requests handled to the end (achieved, late, unresolved, breach).
- ``time_in_system.all``: from arrival until the request left, over *every* request of the
  window that left (abandoned ones at the moment they gave up, unsupported ones at once). It
  is the mean that Little's law ties to the mean number in the system, abandonment or not:
  ``in_system.mean`` ~ ``arrival_rate`` x ``time_in_system.all`` (up to the requests still
  open at the horizon).
- ``in_system.mean``: the time-averaged number of requests in the service (queues, being
  handled, escalated) over the window.

**Security.** ``attacks`` counts the impostors' requests of the window, ``attacks_caught``
those verification caught (refused: an ordinary outcome by their deadline), and ``breaches``
those fulfilled (the ``breach`` outcome). Each breach takes the first line's systems down for
the containment time; that shows in its availability.

Also: counts by outcome, ``requests`` (all arrivals in the window), ``open``, throughput,
abandonment, escalations, first-time fix, utilisation and availability per team, cost, and
per customer group its utility, SLA attainment (its warranty) and value.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from simlib.codes import OUTCOMES, TEAMS, Fate, Outcome, Status
from simlib.parts import FrozenMap
from simlib.report import report as _report

if TYPE_CHECKING:  # pragma: no cover
    from simlib.scenario import Scenario

__all__ = ["MEASURES", "OUTCOMES", "Measure", "Record", "Result", "build_result", "measure_names"]

PERCENTILES = (50, 90, 95)


@dataclass(frozen=True)
class Record:
    """One run as plain arrays, one entry per request (sorted by arrival), warm-up ones too.

    The model hands this to :func:`build_result`; codes are those of :mod:`simlib.codes`.
    """

    arrival: np.ndarray
    group: np.ndarray  # index into scenario.customers
    type: np.ndarray  # index into scenario.types
    fate: np.ndarray  # Fate
    attack: np.ndarray  # bool: sent by an impostor
    caught: np.ndarray  # bool: verification would catch it (if an impostor)
    start: np.ndarray  # start of first-line handling (NaN: never)
    finish: np.ndarray  # when it left the service (NaN: still in it)
    status: np.ndarray  # Status
    team: np.ndarray  # TeamCode: which team closed it
    escalated: np.ndarray  # bool
    busy: tuple[float, ...]  # agent-hours worked in the window, per line (first, second)
    duty: tuple[float, ...]  # hours on duty in the window, per line
    outages: tuple[list[tuple[float, float]], ...]  # (start, end) of each outage, per line
    disruptions: np.ndarray  # start of each major disruption
    containments: np.ndarray  # start of each breach's containment


@dataclass(frozen=True, eq=False)
class Result:
    """The result of :func:`simlib.simulate`: measures, outcome counts and the requests.

    A value: its mappings are read-only (``res.measures["value"] = 2`` raises TypeError), and
    two results are equal when they are the same run: the same scenario and seed, the same
    measures (NaN equal to NaN), outcomes, requests, outages and disruptions.
    """

    scenario: Scenario
    seed: int | np.random.SeedSequence  # as given to simulate(); None there: the fresh entropy drawn
    outcomes: Mapping[str, int]
    measures: Mapping[str, float]
    requests: np.ndarray | None = field(repr=False, default=None)
    outages: Mapping[str, np.ndarray] = field(repr=False, default_factory=dict)
    disruptions: np.ndarray = field(repr=False, default_factory=lambda: np.empty((0, 2)))

    @property
    def utility(self) -> float:
        """Share of all requests of the window fit for purpose: supported, and the service knows how."""
        return self.measures["utility"]

    @property
    def warranty(self) -> float:
        """Share of fit-for-purpose requests delivered fit for use: by their deadline, securely
        (open requests not yet due are left out; overdue ones count against it)."""
        return self.measures["warranty"]

    @property
    def value(self) -> float:
        """Utility x warranty: the share of requests whose desired outcome is achieved."""
        return self.measures["value"]

    def __post_init__(self) -> None:
        object.__setattr__(self, "outcomes", FrozenMap(self.outcomes))
        object.__setattr__(self, "measures", FrozenMap(self.measures))
        object.__setattr__(self, "outages", FrozenMap(self.outages))
        for array in (self.requests, self.disruptions, *self.outages.values()):
            if array is not None:
                array.flags.writeable = False

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Result):
            return NotImplemented
        return (
            self.scenario == other.scenario
            and _seed_key(self.seed) == _seed_key(other.seed)
            and dict(self.outcomes) == dict(other.outcomes)
            and _same_numbers(self.measures, other.measures)
            and _same_arrays(self.requests, other.requests)
            and self.outages.keys() == other.outages.keys()
            and all(_same_arrays(self.outages[k], other.outages[k]) for k in self.outages)
            and _same_arrays(self.disruptions, other.disruptions)
        )

    def __hash__(self) -> int:
        return hash((self.scenario, _seed_key(self.seed), tuple(self.outcomes.items())))

    def summary(self) -> dict[str, float]:
        """Every measure of the run, by name, as a flat mapping of numbers (a copy: yours to change)."""
        return dict(self.measures)

    def report(self, lang: str | None = None) -> str:
        """A short readable report: utility, warranty and value first, in ``lang`` (see :mod:`simlib.i18n`)."""
        return _report(self, lang)

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:  # pragma: no cover - display only
        p.text(self.report())


def _seed_key(seed: Any) -> tuple[Any, ...]:
    """What makes two seeds the same streams: the entropy, spawn key and pool size of their
    SeedSequence (an int ``s`` is ``SeedSequence(s)``, as in :func:`simlib.draws.draw`)."""
    seq = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    entropy = seq.entropy if isinstance(seq.entropy, int) else tuple(int(x) for x in seq.entropy)
    return (entropy, tuple(seq.spawn_key), seq.pool_size)


def _share(num: float, den: float) -> float:
    return num / den if den else math.nan


def _same_numbers(a: Mapping[str, float], b: Mapping[str, float]) -> bool:
    return a.keys() == b.keys() and all(x == b[k] or (math.isnan(x) and math.isnan(b[k])) for k, x in a.items())


def _same_arrays(a: np.ndarray | None, b: np.ndarray | None) -> bool:
    if a is None or b is None:
        return a is b
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def merge_spans(spans: list[tuple[float, float]]) -> np.ndarray:
    """Overlapping (start, end) intervals merged into a sorted (k, 2) array of disjoint ones."""
    merged: list[list[float]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return np.array(merged, dtype=float).reshape(-1, 2)


class _Window:
    """One run's requests of the measured window, classified: what every measure is computed from."""

    def __init__(self, sc: Scenario, rec: Record) -> None:
        horizon, warmup = sc.horizon, sc.warmup
        arrival = rec.arrival
        start, finish, status = rec.start, rec.finish, rec.status

        deadlines = np.array([[sc.deadline(g, t) for t in sc.type_names] for g in sc.customers])
        deadline = deadlines[rec.group, rec.type]
        resolved = status == Status.RESOLVED
        on_time = finish - arrival <= deadline
        outcome = np.full(arrival.size, Outcome.OPEN, dtype=np.int8)
        outcome[resolved & on_time] = Outcome.ACHIEVED
        outcome[resolved & ~on_time] = Outcome.LATE
        outcome[resolved & rec.attack & ~rec.caught] = Outcome.BREACH
        outcome[status == Status.ABANDONED] = Outcome.ABANDONED
        outcome[status == Status.UNRESOLVED] = Outcome.UNRESOLVED
        outcome[status == Status.NOT_SUPPORTED] = Outcome.NOT_SUPPORTED
        supported = status != Status.NOT_SUPPORTED
        fit = supported & ((rec.fate == Fate.FIRST) | ((rec.fate == Fate.SECOND) & sc.has_second_line))
        # Time in the system within the window, of all requests (warm-up ones too).
        leave = np.where(np.isnan(finish), horizon, finish)
        self.in_system = np.clip(leave, warmup, horizon) - np.clip(arrival, warmup, horizon)

        self.sc, self.rec, self.length = sc, rec, horizon - warmup
        self.start, self.finish, self.deadline, self.outcome, self.fit = start, finish, deadline, outcome, fit
        self.w = w = arrival >= warmup
        self.o, self.f = o, f = outcome[w], fit[w]
        self.is_open = o == Outcome.OPEN
        self.not_due = self.is_open & (arrival[w] + deadline[w] > horizon)
        self.censored = f & self.not_due  # fit for purpose, open and not yet due: left out of warranty
        wait = (start - arrival)[w]
        self.waits = wait[~np.isnan(wait)]
        self.tis = (finish - arrival)[w]
        self.counts = np.bincount(o, minlength=len(OUTCOMES))
        self.served = np.isin(o, (Outcome.ACHIEVED, Outcome.LATE, Outcome.UNRESOLVED, Outcome.BREACH))
        self.handled_first = ~np.isnan(start[w]) & ~self.is_open & (o != Outcome.ABANDONED)
        self.group = rec.group[w]
        self.teams = [("first_line", sc.first_line)] + ([("second_line", sc.second_line)] if sc.has_second_line else [])
        self.outages = {key: merge_spans(spans) for (key, _), spans in zip(self.teams, rec.outages)}

    def count(self, code: Outcome) -> float:
        return float(self.counts[code])

    def warranty(self, mine: np.ndarray | bool = True) -> float:
        """Achieved / judged (fit for purpose, less open and not yet due), of the requests ``mine``.

        Nothing to measure: NaN with no request at all; 0.0 with requests but none judged
        (none fit for purpose: nothing is delivered fit for use).
        """
        mine = np.broadcast_to(mine, self.o.shape)
        judged = float((mine & self.f).sum() - (mine & self.censored).sum())
        if not judged:
            return 0.0 if mine.any() else math.nan
        return float((mine & (self.o == Outcome.ACHIEVED)).sum()) / judged

    def utility(self, mine: np.ndarray | bool = True) -> float:
        mine = np.broadcast_to(mine, self.o.shape)
        return _share(float((mine & self.f).sum()), float(mine.sum()))

    def down(self, key: str) -> float:
        spans, (low, high) = self.outages[key], (self.sc.warmup, self.sc.horizon)
        return float((np.clip(spans[:, 1], low, high) - np.clip(spans[:, 0], low, high)).sum())


def _stat(values: np.ndarray, how: Callable[[np.ndarray], Any]) -> float:
    return float(how(values)) if values.size else math.nan


@dataclass(frozen=True)
class Measure:
    """One measure of a run, declared once: its name, its meaning, and how it is computed.

    A name with ``{team}`` stands for one measure per team (``first_line``, and
    ``second_line`` where there is one), ``{group}`` for one per customer group.
    """

    name: str
    meaning: str
    compute: Callable[..., float]


W = _Window
MEASURES: tuple[Measure, ...] = (
    Measure("requests", "all requests that arrived in the window", lambda r: float(r.o.size)),
    Measure("open", "requests still in the service at the horizon", lambda r: r.count(Outcome.OPEN)),
    Measure("open_overdue", "open requests past their deadline", lambda r: float((r.is_open & ~r.not_due).sum())),
    Measure("open_not_due", "open requests not yet due (left out of warranty)", lambda r: float(r.not_due.sum())),
    Measure(
        "utility",
        "share of *all* requests fit for purpose: the type is in the catalogue and the service"
        " knows how to resolve it (fixed at arrival)",
        W.utility,
    ),
    Measure(
        "warranty",
        "share of the fit-for-purpose ones delivered fit for use: by the deadline, securely; one"
        " open past its deadline counts against it, one open and not yet due is left out; 0 when"
        " none is left to judge",
        W.warranty,
    ),
    Measure("value", "utility x warranty, exactly", lambda r: r.utility() * r.warranty()),
    *(
        Measure(name, f"requests with the outcome {name}", lambda r, c=code: r.count(c))
        for code, name in zip(Outcome, OUTCOMES)
        if code != Outcome.OPEN
    ),
    Measure(
        "wait.mean",
        "arrival to start of first-line handling (hours), over the requests whose handling started",
        lambda r: _stat(r.waits, np.mean),
    ),
    *(
        Measure(
            f"wait.p{q}", f"{q}th percentile of the wait", lambda r, q=q: _stat(r.waits, lambda v: np.percentile(v, q))
        )
        for q in PERCENTILES
    ),
    Measure("wait.max", "longest wait", lambda r: _stat(r.waits, np.max)),
    Measure(
        "time_in_system.mean",
        "arrival to end of handling, over the requests handled to the end",
        lambda r: _stat(r.tis[r.served], np.mean),
    ),
    Measure(
        "time_in_system.p90",
        "90th percentile of time in system, handled requests",
        lambda r: _stat(r.tis[r.served], lambda v: np.percentile(v, 90)),
    ),
    Measure(
        "time_in_system.all",
        "arrival to leaving, over every request that left (abandoned ones too):"
        " `in_system.mean` ~ `arrival_rate` x this (Little's law)",
        lambda r: _stat(r.tis[~r.is_open], np.mean),
    ),
    Measure(
        "in_system.mean",
        "time-averaged number of requests in the service",
        lambda r: float(r.in_system.sum() / r.length),
    ),
    Measure("arrival_rate", "requests per hour", lambda r: r.o.size / r.length),
    Measure("throughput", "requests handled to the end per hour", lambda r: float(r.served.sum()) / r.length),
    Measure(
        "abandonment",
        "abandoned / supported requests that left",
        lambda r: _share(r.count(Outcome.ABANDONED), float((~r.is_open & (r.o != Outcome.NOT_SUPPORTED)).sum())),
    ),
    Measure("escalations", "requests escalated to the second line", lambda r: float(r.rec.escalated[r.w].sum())),
    Measure(
        "escalation_share",
        "escalated / handled by the first line",
        lambda r: _share(float((r.rec.escalated[r.w] & r.handled_first).sum()), float(r.handled_first.sum())),
    ),
    Measure(
        "first_time_fix",
        "resolved by the first line / handled by the first line",
        lambda r: _share(
            float((r.handled_first & (r.rec.fate[r.w] == Fate.FIRST)).sum()), float(r.handled_first.sum())
        ),
    ),
    Measure("attacks", "impostors' requests", lambda r: float(r.rec.attack[r.w].sum())),
    Measure(
        "attacks_caught", "impostors caught by verification", lambda r: float((r.rec.attack & r.rec.caught)[r.w].sum())
    ),
    Measure("breaches", "impostors fulfilled", lambda r: r.count(Outcome.BREACH)),
    Measure(
        "utilisation.{team}",
        "per team: share of on-duty agent time busy",
        lambda r, t: _share(r.rec.busy[t], r.teams[t][1].agents * r.rec.duty[t]),
    ),
    Measure(
        "availability.{team}",
        "per team: share of the window its systems are up",
        lambda r, t: 1.0 - r.down(r.teams[t][0]) / r.length,
    ),
    Measure(
        "cost",
        "agents x cost per hour x hours on duty, all teams",
        lambda r: float(sum(team.agents * team.cost * duty for (_, team), duty in zip(r.teams, r.rec.duty))),
    ),
    Measure("utility.{group}", "the group's utility", lambda r, g: r.utility(r.group == g)),
    Measure("attainment.{group}", "the group's warranty: its SLA attainment", lambda r, g: r.warranty(r.group == g)),
    Measure(
        "value.{group}",
        "the group's utility x attainment",
        lambda r, g: r.utility(r.group == g) * r.warranty(r.group == g),
    ),
)


def _expand(sc: Scenario) -> list[tuple[str, Measure, tuple[int, ...]]]:
    """Each measure a run of ``sc`` reports: its name, its declaration, the team or group it is of."""
    teams = ["first_line", "second_line"] if sc.has_second_line else ["first_line"]
    out: list[tuple[str, Measure, tuple[int, ...]]] = []
    for m in MEASURES:
        if "{team}" in m.name:
            out += [(m.name.format(team=t), m, (i,)) for i, t in enumerate(teams)]
        elif "{group}" in m.name:
            out += [(m.name.format(group=g.name), m, (i,)) for i, g in enumerate(sc.customers)]
        else:
            out.append((m.name, m, ()))
    return out


def measures_table() -> str:
    """Every measure and its meaning as a Markdown table: the README shows this one."""
    rows = [f"| `{m.name}` | {m.meaning} |" for m in MEASURES]
    return "\n".join(["| measure | meaning |", "|---|---|", *rows])


def measure_names(sc: Scenario) -> tuple[str, ...]:
    """The names of the measures a run of ``sc`` reports, in the order of :data:`MEASURES`."""
    return tuple(name for name, _, _ in _expand(sc))


def build_result(sc: Scenario, seed: Any, rec: Record, *, keep_requests: bool) -> Result:
    """Classify each request's outcome and compute the measures of the run (see :data:`MEASURES`)."""
    r = _Window(sc, rec)
    measures = {name: m.compute(r, *which) for name, m, which in _expand(sc)}
    outcomes = {name: int(c) for name, c in zip(OUTCOMES, r.counts)}
    requests = _requests_table(sc, rec, r) if keep_requests else None
    disruptions = np.array([(s, s + sc.continuity.recovery) for s in rec.disruptions], dtype=float)
    return Result(sc, seed, outcomes, measures, requests, r.outages, disruptions.reshape(-1, 2))


def _requests_table(sc: Scenario, rec: Record, r: _Window) -> np.ndarray:
    """One row per request of the window; each text column as wide as its longest value."""
    w, start, finish, outcome, fit, deadline = r.w, r.start, r.finish, r.outcome, r.fit, r.deadline
    type_names = np.array(sc.type_names)
    group_names = np.array([g.name for g in sc.customers])
    kinds = np.array([g.kind for g in sc.customers])
    teams, outcomes = np.array(TEAMS), np.array(OUTCOMES)
    n = int(w.sum())
    dtype = [
        ("arrival", "f8"),
        ("start", "f8"),
        ("finish", "f8"),
        ("wait", "f8"),
        ("time_in_system", "f8"),
        ("deadline", "f8"),
        ("type", type_names.dtype),
        ("customer", group_names.dtype),
        ("kind", kinds.dtype),
        ("team", teams.dtype),
        ("escalated", "?"),
        ("attack", "?"),
        ("fit_for_purpose", "?"),
        ("outcome", outcomes.dtype),
    ]
    table = np.empty(n, dtype=dtype)
    table["arrival"] = rec.arrival[w]
    table["start"] = start[w]
    table["finish"] = finish[w]
    table["wait"] = start[w] - rec.arrival[w]
    table["time_in_system"] = finish[w] - rec.arrival[w]
    table["deadline"] = deadline[w]
    table["type"] = type_names[rec.type[w]]
    table["customer"] = group_names[rec.group[w]]
    table["kind"] = kinds[rec.group[w]]
    table["team"] = teams[rec.team[w]]
    table["escalated"] = rec.escalated[w]
    table["attack"] = rec.attack[w]
    table["fit_for_purpose"] = fit[w]
    table["outcome"] = outcomes[outcome[w]]
    return table
