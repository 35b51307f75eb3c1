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

from simlib.i18n import N_, Translator, measure_label, outcome_label, translator

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

    def report(self, lang: str | None = None) -> str:
        """A short readable report: utility, warranty and value first, in ``lang`` (see :mod:`simlib.i18n`)."""
        t = translator(lang)
        _, pct = t.gettext, t.percent
        m = self.measures
        sc = self.scenario
        heads = [
            (measure_label(k, t.lang), m[k], _(meaning))
            for k, meaning in (
                ("utility", N_("fit for purpose: supported, and the service knows how")),
                ("warranty", N_("fit for use: of those, delivered by the deadline")),
                ("value", N_("desired outcome achieved = utility x warranty")),
            )
        ]
        rows = [
            (_("outcomes"), ", ".join(f"{outcome_label(k, t.lang)} {v}" for k, v in self.outcomes.items())),
            (
                _("waiting"),
                _("mean {mean}, 90% within {p90}").format(mean=_hours(m["wait.mean"], t), p90=_hours(m["wait.p90"], t)),
            ),
            (_("in system"), _("mean {mean}").format(mean=_hours(m["time_in_system.mean"], t))),
        ]
        teams = [(_("first line"), "first_line")]
        if "utilisation.second_line" in m:
            teams.append((_("second line"), "second_line"))
        for label, key in teams:
            rows.append(
                (
                    label,
                    _("utilisation {busy}, availability {up}").format(
                        busy=pct(m[f"utilisation.{key}"], 0), up=pct(m[f"availability.{key}"])
                    ),
                )
            )
        rows.append(
            (
                _("escalated"),
                _("{n} ({share} of those handled by the first line), abandoned {abandoned}").format(
                    n=int(m["escalations"]), share=pct(m["escalation_share"], 0), abandoned=pct(m["abandonment"])
                ),
            )
        )
        for g in sc.customers:
            kind = _("internal customers") if g.kind == "internal" else _("external customers")
            rows.append(
                (
                    f"{kind} '{g.name}'",
                    _("value {value}, SLA attainment {attainment}").format(
                        value=pct(m[f"value.{g.name}"]), attainment=pct(m[f"attainment.{g.name}"])
                    ),
                )
            )
        if m["cost"]:
            rows.append((_("cost"), t.number(m["cost"], 0)))
        head_width = max(len(label) for label, *_rest in heads)
        width = max(len(label) for label, _text in rows if len(label) <= 16)
        lines = [
            _("{name}: {n} requests over {hours} hours (seed {seed})").format(
                name=sc.name, n=int(m["requests"]), hours=t.number(sc.horizon - sc.warmup, 0), seed=self.seed
            ),
            "",
            *(f"  {label:<{head_width}} {pct(x):>6}   {meaning}" for label, x, meaning in heads),
            "",
        ]
        for label, text in rows:
            lines.append(f"  {label:<{width}} {text}" if len(label) <= width else f"  {label}: {text}")
        return "\n".join(lines)

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:  # pragma: no cover - display only
        p.text(self.report())


def _hours(h: float, t: Translator) -> str:
    if math.isnan(h):
        return t.gettext("n/a")
    if h < 1:
        return t.gettext("{n} min").format(n=t.number(h * 60, 0))
    return t.gettext("{n} h").format(n=t.number(h, 1))


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
