"""What one run delivered: each request's outcome, and the measures of utility and warranty.

Every request that arrives after the warm-up and before the horizon gets exactly one
outcome:

- ``achieved``: resolved by its deadline, the desired outcome;
- ``late``: resolved, but after the deadline;
- ``abandoned``: the customer gave up before work started;
- ``unresolved``: handled, but nobody knew how to resolve it;
- ``not_supported``: its type is not in the service's catalogue;
- ``open``: still in the system at the horizon (counted apart, never dropped).

A request is *fit for purpose* when its type is supported and the service has the
knowledge to resolve it. Of the requests that are not open:

- **utility** = the share fit for purpose;
- **warranty** = the share of those delivered fit for use: by the deadline;
- **value** = the share whose desired outcome is achieved = utility x warranty.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from simlib.model import Draws, Run
    from simlib.scenario import Scenario

__all__ = ["OUTCOMES", "Result"]

OUTCOMES = ("achieved", "late", "abandoned", "unresolved", "not_supported", "open")
TEAMS = ("", "first_line", "second_line")
PERCENTILES = (50, 90, 95)


@dataclass(frozen=True)
class Result:
    """The result of :func:`simlib.simulate`: measures, outcome counts and the requests."""

    scenario: Scenario
    seed: int | None
    outcomes: Mapping[str, int]
    measures: Mapping[str, float]
    requests: np.ndarray | None = field(repr=False, default=None)
    outages: Mapping[str, np.ndarray] = field(repr=False, default_factory=dict)
    disruptions: np.ndarray = field(repr=False, default_factory=lambda: np.empty((0, 2)))

    @property
    def utility(self) -> float:
        """Share of (closed) requests fit for purpose: supported and resolvable."""
        return self.measures["utility"]

    @property
    def warranty(self) -> float:
        """Share of fit-for-purpose requests delivered fit for use: by their deadline."""
        return self.measures["warranty"]

    @property
    def value(self) -> float:
        """Share of (closed) requests whose desired outcome was achieved: utility x warranty."""
        return self.measures["value"]

    def summary(self) -> dict[str, float]:
        """Every measure of the run, by name, as a flat mapping of numbers."""
        return dict(self.measures)

    def report(self) -> str:
        """A short readable report: utility, warranty and value first."""
        m = self.measures
        sc = self.scenario
        lines = [
            f"{sc.name}: {int(m['requests'])} requests over {sc.horizon - sc.warmup:g} hours (seed {self.seed})",
            "",
            f"  utility   {m['utility']:7.1%}   fit for purpose: supported, and the service knows how",
            f"  warranty  {m['warranty']:7.1%}   fit for use: of those, delivered by the deadline",
            f"  value     {m['value']:7.1%}   desired outcome achieved = utility x warranty",
            "",
            "  outcomes  " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in self.outcomes.items()),
            f"  waiting   mean {_hours(m['wait.mean'])}, 90% within {_hours(m['wait.p90'])}",
            f"  in system mean {_hours(m['time_in_system.mean'])}",
        ]
        teams = [("first line", "first_line")]
        if "utilisation.second_line" in m:
            teams.append(("second line", "second_line"))
        for label, key in teams:
            lines.append(
                f"  {label:<11s} utilisation {m[f'utilisation.{key}']:.0%}, availability {m[f'availability.{key}']:.1%}"
            )
        lines.append(
            f"  escalated {int(m['escalations'])} ({m['escalation_share']:.0%} of those handled "
            f"by the first line), abandoned {m['abandonment']:.1%}"
        )
        for g in sc.customers:
            lines.append(
                f"  {g.kind} customers '{g.name}': value {m[f'value.{g.name}']:.1%}, "
                f"SLA attainment {m[f'attainment.{g.name}']:.1%}"
            )
        if m["cost"]:
            lines.append(f"  cost      {m['cost']:,.0f}")
        return "\n".join(lines)

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:  # pragma: no cover - display only
        p.text(self.report())


def _hours(h: float) -> str:
    if math.isnan(h):
        return "n/a"
    return f"{h * 60:.0f} min" if h < 1 else f"{h:.1f} h"


def _share(num: float, den: float) -> float:
    return num / den if den else math.nan


def merge_spans(spans: list[tuple[float, float]]) -> np.ndarray:
    """Overlapping (start, end) intervals merged into a sorted (k, 2) array of disjoint ones."""
    merged: list[list[float]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return np.array(merged, dtype=float).reshape(-1, 2)


def on_duty_hours(hours: tuple[float, float], t0: float, t1: float) -> float:
    """Hours between ``t0`` and ``t1`` (hours from the start) within the daily shift ``hours``."""
    start, end = hours
    first, last = math.floor(t0 / 24.0), math.floor(t1 / 24.0)
    days = np.arange(first, last + 1) * 24.0
    return float((np.clip(days + end, t0, t1) - np.clip(days + start, t0, t1)).sum())


def build_result(sc: Scenario, seed: Any, draws: Draws, run: Run, *, keep_requests: bool) -> Result:
    """Classify each request's outcome and compute the measures of the run."""
    from simlib.model import ABANDONED, NOBODY, NOT_SUPPORTED, OPEN, RESOLVED, UNRESOLVED

    horizon, warmup = sc.horizon, sc.warmup
    arrival = draws.arrival
    start = np.array(run.start)
    finish = np.array(run.finish)
    status = np.array(run.status, dtype=np.int8)
    abandon_at = np.array(run.abandon_at)
    # Customers still waiting at the horizon whose patience ran out before it have left.
    gone = (status == OPEN) & np.isnan(start) & (abandon_at < horizon)
    status[gone] = ABANDONED
    finish[gone] = abandon_at[gone]

    deadlines = np.array([[sc.deadline(g, t) for t in sc.type_names] for g in sc.customers])
    deadline = deadlines[draws.group, draws.type]
    outcome = np.full(arrival.size, 5, dtype=np.int8)  # open
    resolved = status == RESOLVED
    on_time = finish - arrival <= deadline
    outcome[resolved & on_time] = 0
    outcome[resolved & ~on_time] = 1
    outcome[status == ABANDONED] = 2
    outcome[status == UNRESOLVED] = 3
    outcome[status == NOT_SUPPORTED] = 4
    supported = status != NOT_SUPPORTED
    fit = supported & (draws.fate != NOBODY)

    # Time-averaged number in the system over the window (all requests, warm-up ones too).
    leave = np.where(np.isnan(finish), horizon, finish)
    in_system = np.clip(leave, warmup, horizon) - np.clip(arrival, warmup, horizon)
    window = horizon - warmup

    w = arrival >= warmup
    a, o, f = arrival[w], outcome[w], fit[w]
    closed = o != 5
    wait = (start - arrival)[w]
    tis = (finish - arrival)[w]
    counts = np.bincount(o, minlength=6)
    n = int(closed.sum())
    n_fit = int((f & closed).sum())
    achieved = int(counts[0])
    utility = _share(n_fit, n)
    warranty = _share(achieved, n_fit) if n_fit else (0.0 if n else math.nan)
    m: dict[str, float] = {
        "requests": float(n),
        "open": float(counts[5]),
        "utility": utility,
        "warranty": warranty,
        "value": utility * warranty,
    }
    for name, c in zip(OUTCOMES[:5], counts[:5]):
        m[name] = float(c)
    started = wait[~np.isnan(wait)]
    m["wait.mean"] = float(started.mean()) if started.size else math.nan
    for q, v in zip(PERCENTILES, np.percentile(started, PERCENTILES) if started.size else [math.nan] * 3):
        m[f"wait.p{q}"] = float(v)
    m["wait.max"] = float(started.max()) if started.size else math.nan
    served = (o <= 1) | (o == 3)
    m["time_in_system.mean"] = float(tis[served].mean()) if served.any() else math.nan
    m["time_in_system.p90"] = float(np.percentile(tis[served], 90)) if served.any() else math.nan
    m["in_system.mean"] = float(in_system.sum() / window)
    m["arrival_rate"] = a.size / window
    m["throughput"] = float(served.sum()) / window
    m["abandonment"] = _share(float(counts[2]), float((closed & (o != 4)).sum()))
    handled_first = ~np.isnan(start[w]) & closed & (o != 2)
    esc = np.array(run.escalated, dtype=bool)[w]
    m["escalations"] = float(esc.sum())
    m["escalation_share"] = _share(float((esc & handled_first).sum()), float(handled_first.sum()))
    m["first_time_fix"] = _share(float((handled_first & (draws.fate[w] == 0)).sum()), float(handled_first.sum()))
    lines = [("first_line", run.first, sc.first_line)]
    if run.second is not None:
        lines.append(("second_line", run.second, sc.second_line))
    outages = {}
    cost = 0.0
    for key, line, team in lines:
        duty = on_duty_hours(team.hours, warmup, horizon)
        m[f"utilisation.{key}"] = line.busy / (team.agents * duty)
        spans = merge_spans(line.outages)
        down = (np.clip(spans[:, 1], warmup, horizon) - np.clip(spans[:, 0], warmup, horizon)).sum()
        m[f"availability.{key}"] = 1.0 - down / window
        outages[key] = spans
        cost += team.agents * team.cost * duty
    m["cost"] = cost
    group = draws.group[w]
    for g, cg in enumerate(sc.customers):
        mine = (group == g) & closed
        g_fit = float((mine & f).sum())
        g_ach = float((mine & (o == 0)).sum())
        m[f"utility.{cg.name}"] = _share(g_fit, float(mine.sum()))
        m[f"attainment.{cg.name}"] = _share(g_ach, g_fit)
        m[f"value.{cg.name}"] = _share(g_ach, float(mine.sum()))
    outcomes = {name: int(c) for name, c in zip(OUTCOMES, counts)}

    requests = None
    if keep_requests:
        requests = _table(sc, draws, w, start, finish, outcome, fit, deadline, np.array(run.team, dtype=np.int8), esc)
    disruptions = np.array([(s, s + sc.continuity.recovery) for s in run.disruptions], dtype=float)
    return Result(sc, seed, outcomes, m, requests, outages, disruptions.reshape(-1, 2))


def _table(sc, draws, w, start, finish, outcome, fit, deadline, team, escalated) -> np.ndarray:
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
        ("fit_for_purpose", "?"),
        ("outcome", "U13"),
    ]
    table = np.empty(n, dtype=dtype)
    table["arrival"] = draws.arrival[w]
    table["start"] = start[w]
    table["finish"] = finish[w]
    table["wait"] = start[w] - draws.arrival[w]
    table["time_in_system"] = finish[w] - draws.arrival[w]
    table["deadline"] = deadline[w]
    table["type"] = type_names[draws.type[w]]
    table["customer"] = group_names[draws.group[w]]
    table["kind"] = kinds[draws.group[w]]
    table["team"] = np.array(TEAMS)[team[w]]
    table["escalated"] = escalated
    table["fit_for_purpose"] = fit[w]
    table["outcome"] = np.array(OUTCOMES)[outcome[w]]
    return table
