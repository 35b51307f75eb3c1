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
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from simlib.codes import OUTCOMES, TEAMS, Fate, Outcome, Status
from simlib.parts import FrozenMap
from simlib.report import report as _report

if TYPE_CHECKING:  # pragma: no cover
    from simlib.scenario import Scenario

__all__ = ["OUTCOMES", "Record", "Result", "build_result", "measure_names"]

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
    abandon_at: np.ndarray  # when the customer's patience runs out
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
    seed: int | None
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
            and self.seed == other.seed
            and dict(self.outcomes) == dict(other.outcomes)
            and _same_numbers(self.measures, other.measures)
            and _same_arrays(self.requests, other.requests)
            and self.outages.keys() == other.outages.keys()
            and all(_same_arrays(self.outages[k], other.outages[k]) for k in self.outages)
            and _same_arrays(self.disruptions, other.disruptions)
        )

    def __hash__(self) -> int:
        return hash((self.scenario, str(self.seed), tuple(self.outcomes.items())))

    def summary(self) -> dict[str, float]:
        """Every measure of the run, by name, as a flat mapping of numbers (a copy: yours to change)."""
        return dict(self.measures)

    def report(self, lang: str | None = None) -> str:
        """A short readable report: utility, warranty and value first, in ``lang`` (see :mod:`simlib.i18n`)."""
        return _report(self, lang)

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:  # pragma: no cover - display only
        p.text(self.report())


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


def measure_names(sc: Scenario) -> tuple[str, ...]:
    """The names of the measures a run of ``sc`` reports, in the order :func:`build_result` gives them."""
    teams = ["first_line", "second_line"] if sc.has_second_line else ["first_line"]
    return (
        *("requests", "open", "open_overdue", "open_not_due", "utility", "warranty", "value"),
        *(name for name in OUTCOMES if name != "open"),
        *("wait.mean", *(f"wait.p{q}" for q in PERCENTILES), "wait.max"),
        *("time_in_system.mean", "time_in_system.p90", "time_in_system.all", "in_system.mean"),
        *("arrival_rate", "throughput", "abandonment", "escalations", "escalation_share", "first_time_fix"),
        *("attacks", "attacks_caught", "breaches"),
        *(f"{m}.{team}" for team in teams for m in ("utilisation", "availability")),
        "cost",
        *(f"{m}.{g.name}" for g in sc.customers for m in ("utility", "attainment", "value")),
    )


def build_result(sc: Scenario, seed: Any, rec: Record, *, keep_requests: bool) -> Result:
    """Classify each request's outcome and compute the measures of the run (see the module docstring)."""
    horizon, warmup = sc.horizon, sc.warmup
    arrival = rec.arrival
    start, finish, status = rec.start.copy(), rec.finish.copy(), rec.status.copy()
    # Customers still waiting at the horizon whose patience ran out before it have left.
    gone = (status == Status.OPEN) & np.isnan(start) & (rec.abandon_at < horizon)
    status[gone] = Status.ABANDONED
    finish[gone] = rec.abandon_at[gone]

    deadlines = np.array([[sc.deadline(g, t) for t in sc.type_names] for g in sc.customers])
    deadline = deadlines[rec.group, rec.type]
    resolved = status == Status.RESOLVED
    breach = resolved & rec.attack & ~rec.caught
    on_time = finish - arrival <= deadline
    outcome = np.full(arrival.size, Outcome.OPEN, dtype=np.int8)
    outcome[resolved & on_time] = Outcome.ACHIEVED
    outcome[resolved & ~on_time] = Outcome.LATE
    outcome[breach] = Outcome.BREACH
    outcome[status == Status.ABANDONED] = Outcome.ABANDONED
    outcome[status == Status.UNRESOLVED] = Outcome.UNRESOLVED
    outcome[status == Status.NOT_SUPPORTED] = Outcome.NOT_SUPPORTED
    supported = status != Status.NOT_SUPPORTED
    fit = supported & ((rec.fate == Fate.FIRST) | ((rec.fate == Fate.SECOND) & sc.has_second_line))

    # Time-averaged number in the system over the window (all requests, warm-up ones too).
    leave = np.where(np.isnan(finish), horizon, finish)
    in_system = np.clip(leave, warmup, horizon) - np.clip(arrival, warmup, horizon)
    window = horizon - warmup

    w = arrival >= warmup
    o, f = outcome[w], fit[w]
    is_open = o == Outcome.OPEN
    not_due = is_open & (arrival[w] + deadline[w] > horizon)
    censored = f & not_due  # fit for purpose, open and not yet due: left out of warranty
    wait = (start - arrival)[w]
    tis = (finish - arrival)[w]
    counts = np.bincount(o, minlength=len(OUTCOMES))
    n = int(o.size)
    n_fit = int(f.sum())
    achieved = int(counts[Outcome.ACHIEVED])
    utility = _share(n_fit, n)
    judged = n_fit - int(censored.sum())
    warranty = achieved / judged if judged else (0.0 if n else math.nan)
    m: dict[str, float] = {
        "requests": float(n),
        "open": float(counts[Outcome.OPEN]),
        "open_overdue": float((is_open & ~not_due).sum()),
        "open_not_due": float(not_due.sum()),
        "utility": utility,
        "warranty": warranty,
        "value": utility * warranty,
    }
    for code in Outcome:
        if code != Outcome.OPEN:
            m[OUTCOMES[code]] = float(counts[code])
    started = wait[~np.isnan(wait)]
    m["wait.mean"] = float(started.mean()) if started.size else math.nan
    for q, v in zip(PERCENTILES, np.percentile(started, PERCENTILES) if started.size else [math.nan] * 3):
        m[f"wait.p{q}"] = float(v)
    m["wait.max"] = float(started.max()) if started.size else math.nan
    served = np.isin(o, (Outcome.ACHIEVED, Outcome.LATE, Outcome.UNRESOLVED, Outcome.BREACH))
    m["time_in_system.mean"] = float(tis[served].mean()) if served.any() else math.nan
    m["time_in_system.p90"] = float(np.percentile(tis[served], 90)) if served.any() else math.nan
    m["time_in_system.all"] = float(tis[~is_open].mean()) if (~is_open).any() else math.nan
    m["in_system.mean"] = float(in_system.sum() / window)
    m["arrival_rate"] = n / window
    m["throughput"] = float(served.sum()) / window
    m["abandonment"] = _share(float(counts[Outcome.ABANDONED]), float((~is_open & (o != Outcome.NOT_SUPPORTED)).sum()))
    handled_first = ~np.isnan(start[w]) & ~is_open & (o != Outcome.ABANDONED)
    esc = rec.escalated[w]
    m["escalations"] = float(esc.sum())
    m["escalation_share"] = _share(float((esc & handled_first).sum()), float(handled_first.sum()))
    m["first_time_fix"] = _share(float((handled_first & (rec.fate[w] == Fate.FIRST)).sum()), float(handled_first.sum()))
    attack = rec.attack[w]
    m["attacks"] = float(attack.sum())
    m["attacks_caught"] = float((attack & rec.caught[w]).sum())
    m["breaches"] = float(counts[Outcome.BREACH])
    teams = [("first_line", sc.first_line)]
    if sc.has_second_line:
        teams.append(("second_line", sc.second_line))
    outages = {}
    cost = 0.0
    for (key, team), busy, duty, spans in zip(teams, rec.busy, rec.duty, rec.outages):
        m[f"utilisation.{key}"] = _share(busy, team.agents * duty)
        spans = merge_spans(spans)
        down = (np.clip(spans[:, 1], warmup, horizon) - np.clip(spans[:, 0], warmup, horizon)).sum()
        m[f"availability.{key}"] = 1.0 - down / window
        outages[key] = spans
        cost += team.agents * team.cost * duty
    m["cost"] = cost
    group = rec.group[w]
    for g, cg in enumerate(sc.customers):
        mine = group == g
        g_fit = float((mine & f).sum())
        g_judged = g_fit - float((mine & censored).sum())
        g_ach = float((mine & (o == Outcome.ACHIEVED)).sum())
        g_utility = _share(g_fit, float(mine.sum()))
        g_attain = _share(g_ach, g_judged)
        m[f"utility.{cg.name}"] = g_utility
        m[f"attainment.{cg.name}"] = g_attain
        m[f"value.{cg.name}"] = g_utility * g_attain
    outcomes = {name: int(c) for name, c in zip(OUTCOMES, counts)}

    requests = None
    if keep_requests:
        requests = _requests_table(sc, rec, w, start, finish, outcome, fit, deadline)
    disruptions = np.array([(s, s + sc.continuity.recovery) for s in rec.disruptions], dtype=float)
    measures = {name: m[name] for name in measure_names(sc)}  # declared order; a missing one fails here
    return Result(sc, seed, outcomes, measures, requests, outages, disruptions.reshape(-1, 2))


def _requests_table(sc, rec, w, start, finish, outcome, fit, deadline) -> np.ndarray:
    type_names = np.array(sc.type_names)
    group_names = np.array([g.name for g in sc.customers])
    kinds = np.array([g.kind for g in sc.customers])
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
        ("kind", "U8"),
        ("team", "U11"),
        ("escalated", "?"),
        ("attack", "?"),
        ("fit_for_purpose", "?"),
        ("outcome", "U13"),
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
    table["team"] = np.array(TEAMS)[rec.team[w]]
    table["escalated"] = rec.escalated[w]
    table["attack"] = rec.attack[w]
    table["fit_for_purpose"] = fit[w]
    table["outcome"] = np.array(OUTCOMES)[outcome[w]]
    return table
