"""Pictures of a run: utility, warranty and value, outcomes, deadlines, queues and maps.

A learner should *look* at a service, not read tables about it. Each function here draws
one picture of a :class:`~simlib.result.Result` (or of plain arrays) on a matplotlib Axes
and returns the Axes, so the same pictures serve the notebooks and the dashboards::

    import simlib, simlib.plots as plots
    res = simlib.simulate(simlib.load_scenario("service-desk"), seed=1)
    plots.measures(res)          # utility, warranty and value side by side

Without ``ax`` a new figure is made with pyplot (handy in a notebook); the dashboards pass
the Axes of their own figure. Colours come from the Okabe-Ito palette, which people with
the common forms of colour blindness can tell apart, and mean the same thing everywhere:
blue is utility, orange warranty, green value (and an achieved outcome).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from simlib.result import Result

__all__ = [
    "COLOURS",
    "OKABE_ITO",
    "OUTCOME_COLOURS",
    "deadlines",
    "groups",
    "journeys",
    "measures",
    "outcomes",
    "queue",
    "theory_vs_simulation",
    "value_map",
    "waiting_over_time",
]

OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
}
COLOURS = {
    "utility": OKABE_ITO["blue"],
    "warranty": OKABE_ITO["orange"],
    "value": OKABE_ITO["bluish green"],
    "theory": OKABE_ITO["black"],
    "simulation": OKABE_ITO["vermillion"],
    "outage": OKABE_ITO["sky blue"],
    "disruption": OKABE_ITO["vermillion"],
    "queue": OKABE_ITO["blue"],
}
OUTCOME_COLOURS = {
    "achieved": OKABE_ITO["bluish green"],
    "late": OKABE_ITO["yellow"],
    "abandoned": OKABE_ITO["vermillion"],
    "unresolved": OKABE_ITO["reddish purple"],
    "not_supported": "#7F7F7F",
    "breach": OKABE_ITO["black"],
    "open": OKABE_ITO["sky blue"],
}


def _axes(ax: Axes | None, size: tuple[float, float] = (6.4, 3.6)) -> Axes:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt  # only when no Axes is given: notebooks without widgets

    _, ax = plt.subplots(figsize=size, layout="constrained")
    return ax


def _pct(x: float) -> str:
    return "n/a" if math.isnan(x) else f"{x:.1%}"


def measures(result: Result, ax: Axes | None = None) -> Axes:
    """Utility, warranty and value as three bars; value is the product of the other two."""
    ax = _axes(ax)
    names = ("utility", "warranty", "value")
    shown = [result.measures[n] for n in names]
    heights = [0.0 if math.isnan(v) else v for v in shown]
    bars = ax.bar(
        ["utility\n(purpose)", "warranty\n(use)", "value\n(u × w)"],
        heights,
        color=[COLOURS[n] for n in names],
        width=0.6,
    )
    for bar, v in zip(bars, shown):
        ax.annotate(
            _pct(v), (bar.get_x() + bar.get_width() / 2, bar.get_height()), ha="center", va="bottom", fontsize=11
        )
    ax.set_ylim(0, 1.12)
    ax.set_yticks(np.linspace(0, 1, 6))
    ax.set_ylabel("share of requests")
    ax.yaxis.set_major_formatter(lambda y, _: f"{y:.0%}")
    ax.set_title(f"Value {_pct(shown[2])}: outcomes achieved need utility AND warranty")
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def outcomes(result: Result, ax: Axes | None = None, *, kind: str | None = None) -> Axes:
    """How every request ended: one horizontal bar per outcome, with counts and shares.

    With ``kind="external"`` (or ``"internal"``) only that kind of customer's requests count.
    """
    ax = _axes(ax)
    names = list(OUTCOME_COLOURS)
    if kind is None:
        counts = [result.outcomes.get(n, 0) for n in names]
    else:
        own = _requests(result)["outcome"][_requests(result)["kind"] == kind]
        counts = [int(np.sum(own == n)) for n in names]
    total = sum(counts) or 1
    y = np.arange(len(names))[::-1]
    ax.barh(y, counts, color=[OUTCOME_COLOURS[n] for n in names], edgecolor="#333333", linewidth=0.5)
    ax.set_yticks(y, [n.replace("_", " ") for n in names])
    for yi, c in zip(y, counts):
        ax.annotate(f" {c} ({c / total:.0%})", (c, yi), va="center", fontsize=9)
    ax.set_xlim(0, max(counts) * 1.3 + 1)
    ax.set_xlabel("requests")
    achieved = counts[0]
    whose = "" if kind is None else f" {kind} customers'"
    ax.set_title(f"Desired outcome achieved for {achieved} of {total}{whose} requests")
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def deadlines(result: Result, ax: Axes | None = None, *, cap: float = 3.0) -> Axes:
    """Time to outcome of the resolved requests, as a share of their deadline (the constraint).

    Left of the line at 100% the outcome came in time (achieved); right of it, late.
    Times beyond ``cap`` x the deadline are shown in the last bin.
    """
    ax = _axes(ax)
    req = _requests(result)
    resolved = (req["outcome"] == "achieved") | (req["outcome"] == "late")
    ratio = req["time_in_system"][resolved] / req["deadline"][resolved]
    ratio = np.clip(np.nan_to_num(ratio, nan=0.0), 0.0, cap)
    edges = np.linspace(0.0, cap, 31)
    counts, _ = np.histogram(ratio, bins=edges)
    mids = (edges[:-1] + edges[1:]) / 2
    colours = [OUTCOME_COLOURS["achieved"] if m < 1 else OUTCOME_COLOURS["late"] for m in mids]
    ax.bar(mids * 100, counts, width=(edges[1] - edges[0]) * 100, color=colours, edgecolor="#333333", linewidth=0.4)
    ax.axvline(100, color=OKABE_ITO["black"], linestyle="--", linewidth=1.2)
    ax.annotate("deadline", (100, max(counts.max(initial=0), 1)), xytext=(4, -2), textcoords="offset points", va="top")
    late = int(np.sum(ratio > 1.0))
    if late:
        ax.annotate(
            f"late: {late}", (mids[-1] * 100, counts[-1]), xytext=(0, 24), textcoords="offset points", ha="right",
            arrowprops={"arrowstyle": "->", "color": "#555555"},
        )  # fmt: skip
    ticks = np.arange(0, cap * 100 + 1, 50 if cap <= 2 else 100)
    ax.set_xticks(ticks, [f"{t:.0f}" for t in ticks[:-1]] + [f"{ticks[-1]:.0f}+"])
    ax.set_xlabel("time to outcome (% of its deadline)")
    ax.set_ylabel("resolved requests")
    share = float(np.mean(ratio <= 1.0)) if ratio.size else math.nan
    ax.set_title(f"{_pct(share)} of resolved requests came within their deadline")
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def journeys(result: Result, ax: Axes | None = None, *, first: int = 25, start: float = 8.0) -> Axes:
    """The journey of a few requests: waiting, then the task, against each one's deadline.

    One line per request arriving from ``start`` (hours): thin grey while it waits, thick
    while it is worked (the *task*), in the colour of its outcome; a black tick marks its
    deadline (the *constraint*). Requests outside the catalogue end at once.
    """
    ax = _axes(ax, (8.0, 4.8))
    req = _requests(result)
    req = req[req["arrival"] >= start][:first]
    for y, r in enumerate(req[::-1]):
        colour = OUTCOME_COLOURS[str(r["outcome"])]
        end = r["finish"] if not math.isnan(r["finish"]) else result.scenario.horizon
        if math.isnan(r["start"]):  # never worked: gave up, not supported, or still waiting
            ax.plot([r["arrival"], end], [y, y], color="#999999", linewidth=1.5)
            ax.plot([end], [y], marker="X", color=colour, markersize=8, markeredgecolor="#333333")
        else:
            ax.plot([r["arrival"], r["start"]], [y, y], color="#999999", linewidth=1.5)
            ax.plot([r["start"], max(end, r["start"] + 0.02)], [y, y], color=colour, linewidth=6, solid_capstyle="butt")
        due = r["arrival"] + r["deadline"]
        if due < end + 3:
            ax.plot([due, due], [y - 0.4, y + 0.4], color=OKABE_ITO["black"], linewidth=1.5)
    labels = [f"{r['type']} ({r['customer']})" for r in req[::-1]]
    ax.set_yticks(range(len(req)), labels, fontsize=7)
    handles = [
        matplotlib_line(OUTCOME_COLOURS[o], 6, o.replace("_", " ")) for o in OUTCOME_COLOURS if o in set(req["outcome"])
    ]
    handles += [matplotlib_line("#999999", 1.5, "waiting"), matplotlib_line(OKABE_ITO["black"], 1.5, "deadline", "|")]
    ax.legend(handles=handles, loc="lower right", fontsize=7, framealpha=0.9)
    ax.set_xlabel("time (hours since Monday 00:00)")
    ax.set_title("Each request: wait, task, and the deadline it must meet")
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def matplotlib_line(colour: str, width: float, label: str, marker: str | None = None):
    """A legend entry: a line (or a marker) in ``colour``."""
    from matplotlib.lines import Line2D

    if marker:
        return Line2D([], [], color=colour, marker=marker, linestyle="none", markersize=10, label=label)
    return Line2D([], [], color=colour, linewidth=width, label=label)


def waiting_over_time(result: Result) -> tuple[np.ndarray, np.ndarray]:
    """The number of requests waiting for the first line, as a step function of time.

    A request waits from its arrival until work starts; one that is never started waits
    until its customer gives up (abandoned) or the horizon (open). Returns ``(times,
    waiting)``: ``waiting[i]`` holds from ``times[i]`` to ``times[i + 1]``.
    """
    req = _requests(result)
    horizon = result.scenario.horizon
    queued = req["outcome"] != "not_supported"
    arrive = req["arrival"][queued]
    leave = np.where(np.isnan(req["start"][queued]), req["finish"][queued], req["start"][queued])
    leave = np.where(np.isnan(leave), horizon, leave)
    waited = leave > arrive  # a request started on arrival never waits: no blip in the picture
    arrive, leave = arrive[waited], leave[waited]
    times = np.concatenate([arrive, leave])
    steps = np.concatenate([np.ones(arrive.size), -np.ones(leave.size)])
    order = np.lexsort((-steps, times))  # at a tie, arrive before leave: never below zero
    times = np.concatenate([[result.scenario.warmup], times[order]])
    waiting = np.concatenate([[0.0], np.cumsum(steps[order])])
    return times, waiting


def queue(result: Result, ax: Axes | None = None) -> Axes:
    """Requests waiting over time, with the outages of each team and the major disruptions.

    Shaded bands show when the systems were down: while they are, nobody can be helped, so
    the queue builds up; once they are back, the agents drain it.
    """
    ax = _axes(ax, (8.0, 3.6))
    times, waiting = waiting_over_time(result)
    top = max(float(waiting.max(initial=0)), 1.0) * 1.15
    labels = {"first_line": "first-line systems down", "second_line": "second-line systems down"}
    hatches = {"first_line": None, "second_line": "//"}
    cuts = [tuple(d) for d in np.asarray(result.disruptions)]
    for team, spans in result.outages.items():
        spans = [(a, b) for a, b in np.asarray(spans) if not any(c <= a and b <= d for c, d in cuts)]
        for i, (a, b) in enumerate(spans):
            ax.axvspan(
                a,
                b,
                color=COLOURS["outage"],
                alpha=0.35 if team == "first_line" else 0.15,
                hatch=hatches.get(team),
                lw=0,
                label=labels.get(team, team) if i == 0 else None,
            )
    for i, (a, b) in enumerate(np.asarray(result.disruptions)):
        ax.axvspan(a, b, color=COLOURS["disruption"], alpha=0.3, lw=0, label="major disruption" if i == 0 else None)
    ax.step(times, waiting, where="post", color=COLOURS["queue"], linewidth=1.2, label="requests waiting")
    ax.set_xlim(result.scenario.warmup, result.scenario.horizon)
    ax.set_ylim(0, top)
    ax.set_xlabel("time (hours)")
    ax.set_ylabel("requests waiting")
    if result.scenario.horizon - result.scenario.warmup <= 24 * 14:
        ax.set_xticks(np.arange(math.ceil(result.scenario.warmup / 24) * 24, result.scenario.horizon + 1, 24))
    avail = result.measures.get("availability.first_line", math.nan)
    ax.set_title(f"The queue builds up while the service is down (first line available {_pct(avail)})")
    ax.legend(loc="upper left", fontsize=8, framealpha=0.9)
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def groups(result: Result, ax: Axes | None = None) -> Axes:
    """SLA attainment and value per customer group (internal and external)."""
    ax = _axes(ax)
    sc = result.scenario
    names = [g.name for g in sc.customers]
    x = np.arange(len(names))
    att = [result.measures.get(f"attainment.{n}", math.nan) for n in names]
    val = [result.measures.get(f"value.{n}", math.nan) for n in names]
    for offset, series, label, colour in (
        (-0.2, att, "SLA attainment (warranty)", COLOURS["warranty"]),
        (0.2, val, "value", COLOURS["value"]),
    ):
        bars = ax.bar(x + offset, np.nan_to_num(series), width=0.38, color=colour, label=label)
        for bar, v in zip(bars, series):
            ax.annotate(_pct(v), (bar.get_x() + bar.get_width() / 2, bar.get_height()), ha="center", va="bottom")
    ax.set_xticks(x, [f"{g.name}\n({g.kind} customers)" for g in sc.customers])
    ax.set_ylim(0, 1.3)
    ax.set_yticks(np.linspace(0, 1, 6))
    ax.set_ylabel("share of the group's requests")
    ax.yaxis.set_major_formatter(lambda y, _: f"{y:.0%}")
    ax.legend(loc="upper center", ncols=2, fontsize=8, framealpha=0.9)
    ax.set_title("What each customer group gets")
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def value_map(
    agents: Sequence[int],
    knowledge: Sequence[float],
    values: np.ndarray,
    ax: Axes | None = None,
    *,
    mark: tuple[int, float] | None = None,
    colorbar: bool = True,
) -> Axes:
    """Value over a grid of capacity (agents, columns) x knowledge (rows), as a heatmap.

    ``values[i, j]`` is the value at ``knowledge[i]`` and ``agents[j]``. ``mark`` circles
    the current setting. High value needs both levers: it sits in one corner only. Each
    square is labelled with its value; ``colorbar=False`` leaves out the colour scale.
    """
    ax = _axes(ax, (6.4, 4.8))
    values = np.asarray(values, dtype=float)
    image = ax.imshow(values, origin="lower", cmap="viridis", vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(len(agents)), [str(a) for a in agents])
    ax.set_yticks(range(len(knowledge)), [f"{k:.0%}" for k in knowledge])
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            v = values[i, j]
            ax.text(j, i, "" if math.isnan(v) else f"{v:.0%}", ha="center", va="center", fontsize=7,
                    color="black" if v > 0.55 else "white")  # fmt: skip
    if mark is not None and mark[0] in agents:
        j = list(agents).index(mark[0])
        i = int(np.argmin(np.abs(np.asarray(knowledge) - mark[1])))
        ax.scatter([j], [i], s=520, facecolors="none", edgecolors=OKABE_ITO["vermillion"], linewidths=2.5)
    ax.set_xlabel("capacity: first-line agents")
    ax.set_ylabel("knowledge: first-line resolves (%)")
    ax.set_title("Value needs capacity AND knowledge: neither lever alone")
    if colorbar:
        ax.figure.colorbar(image, ax=ax, label="value (share achieved)", format=lambda y, _: f"{y:.0%}")
    return ax


def theory_vs_simulation(
    x: Sequence[float],
    theory: Sequence[float],
    mean: Sequence[float],
    low: Sequence[float],
    high: Sequence[float],
    ax: Axes | None = None,
    *,
    xlabel: str = "agents",
    ylabel: str = "mean wait (minutes)",
    title: str = "Simulation agrees with theory",
) -> Axes:
    """A theory line with simulated means and their 95% confidence intervals as points."""
    ax = _axes(ax)
    x = np.asarray(x, dtype=float)
    mean = np.asarray(mean, dtype=float)
    err = np.vstack([mean - np.asarray(low, dtype=float), np.asarray(high, dtype=float) - mean])
    ax.plot(x, theory, color=COLOURS["theory"], linewidth=1.5, label="theory (Erlang C)")
    ax.errorbar(x, mean, yerr=err, fmt="o", color=COLOURS["simulation"], capsize=4, label="simulation, 95% CI")
    if np.all(x == np.round(x)):
        ax.set_xticks(x)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend()
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def _requests(result: Result) -> np.ndarray:
    if result.requests is None:
        raise ValueError("result.requests: None is not allowed; expected a run with keep_requests=True")
    return result.requests
