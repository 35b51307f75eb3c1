"""One function per picture: a Result in, an Axes out (a new pyplot figure without ``ax``)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from simlib.i18n import N_, _, outcome_label
from simlib.plots.palette import COLOURS, OKABE_ITO, OUTCOME_COLOURS, _axes, _requests, matplotlib_line
from simlib.plots.pictures import Deadlines, Groups, Measures, Outcomes, Queue, ValueMap

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from simlib.result import Result
    from simlib.warmup import Welch


def measures(result: Result, ax: Axes | None = None) -> Axes:
    """Utility, warranty and value as three bars; value is the product of the other two."""
    ax = _axes(ax)
    Measures(ax).update(result)
    return ax


def outcomes(result: Result, ax: Axes | None = None, *, kind: str | None = None) -> Axes:
    """How every request ended: one horizontal bar per outcome, with counts and shares.

    With ``kind="external"`` (or ``"internal"``) only that kind of customer's requests count.
    """
    ax = _axes(ax)
    Outcomes(ax, kind=kind).update(result)
    return ax


def deadlines(result: Result, ax: Axes | None = None, *, cap: float = 3.0) -> Axes:
    """Time to outcome of the resolved requests, as a share of their deadline (the constraint).

    Left of the line at 100% the outcome came in time (achieved); right of it, late.
    Times beyond ``cap`` x the deadline are shown in the last bin.
    """
    _requests(result)  # refuse a run without requests before drawing anything
    ax = _axes(ax)
    Deadlines(ax, cap=cap).update(result)
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
        matplotlib_line(OUTCOME_COLOURS[o], 6, outcome_label(o)) for o in OUTCOME_COLOURS if o in set(req["outcome"])
    ]
    handles += [
        matplotlib_line("#999999", 1.5, _("waiting")),
        matplotlib_line(OKABE_ITO["black"], 1.5, _("deadline"), "|"),
    ]
    ax.legend(handles=handles, loc="lower right", fontsize=7, framealpha=0.9)
    ax.set_xlabel(_("time (hours since Monday 00:00)"))
    ax.set_title(_("Each request: wait, task, and the deadline it must meet"))
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def queue(result: Result, ax: Axes | None = None) -> Axes:
    """Requests waiting over time, with the outages of each team and the major disruptions.

    Shaded bands show when the systems were down: while they are, nobody can be helped, so
    the queue builds up; once they are back, the agents drain it.
    """
    ax = _axes(ax, (8.0, 3.6))
    Queue(ax).update(result)
    return ax


def groups(result: Result, ax: Axes | None = None) -> Axes:
    """SLA attainment and value per customer group (internal and external)."""
    ax = _axes(ax)
    Groups(ax).update(result)
    return ax


def value_map(
    agents: Sequence[int],
    knowledge: Sequence[float],
    values: np.ndarray,
    ax: Axes | None = None,
    *,
    mark: tuple[int, float] | None = None,
    colorbar: bool = True,
    **labels: str,
) -> Axes:
    """Value over a grid of capacity (agents, columns) x knowledge (rows), as a heatmap.

    ``values[i, j]`` is the value at ``knowledge[i]`` and ``agents[j]``. ``mark`` circles
    the current setting. High value needs both levers: it sits in one corner only. Each
    square is labelled with its value; ``colorbar=False`` leaves out the colour scale.
    ``xlabel``, ``ylabel`` and ``title`` replace the default words (say, for a map over know-how).
    """
    ax = _axes(ax, (6.4, 4.8))
    picture = ValueMap(ax, agents, knowledge, colorbar=colorbar, **labels)
    picture.show_grid(values)
    picture.mark(mark)
    return ax


def welch(data: Welch, warmup: float | None = None, ax: Axes | None = None) -> Axes:
    """Welch's plot: the mean series (light) and its moving average; ``warmup`` as a line.

    ``data`` comes from :func:`simlib.warmup.welch`. Where the moving average stops climbing
    and levels off, the warm-up is over.
    """
    if ax is None:
        import matplotlib.pyplot as plt

        _fig, ax = plt.subplots(figsize=(8, 3.5), layout="constrained")
    centre = data.time + data.width / 2
    label = data.column.replace("_", " ")
    ax.plot(
        centre,
        data.mean,
        color="#BBBBBB",
        lw=0.8,
        label=_("mean {label} over {n} runs").format(label=label, n=data.runs.shape[0]),
    )
    ax.plot(
        centre[: data.smooth.size], data.smooth, color=COLOURS["simulation"], lw=2,
        label=_("moving average (window {window})").format(window=data.window),
    )  # fmt: skip
    if warmup is not None and math.isfinite(warmup):
        ax.axvline(
            warmup, color=COLOURS["theory"], ls="--", lw=1, label=_("warm-up {hours} h").format(hours=f"{warmup:g}")
        )
    ax.set_xlabel(_("arrival time (hours)"))
    ax.set_ylabel(_("{label} (hours)").format(label=label))
    ax.set_title(_("Welch's plot: where does the curve level off?"))
    ax.legend(loc="best", fontsize="small")
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def theory_vs_simulation(
    x: Sequence[float],
    theory: Sequence[float],
    mean: Sequence[float],
    low: Sequence[float],
    high: Sequence[float],
    ax: Axes | None = None,
    *,
    xlabel: str = N_("agents"),
    ylabel: str = N_("mean wait (minutes)"),
    title: str = N_("Simulation agrees with theory"),
) -> Axes:
    """A theory line with simulated means and their 95% confidence intervals as points."""
    ax = _axes(ax)
    x = np.asarray(x, dtype=float)
    mean = np.asarray(mean, dtype=float)
    err = np.vstack([mean - np.asarray(low, dtype=float), np.asarray(high, dtype=float) - mean])
    ax.plot(x, theory, color=COLOURS["theory"], linewidth=1.5, label=_("theory (Erlang C)"))
    ax.errorbar(x, mean, yerr=err, fmt="o", color=COLOURS["simulation"], capsize=4, label=_("simulation, 95% CI"))
    if np.all(x == np.round(x)):
        ax.set_xticks(x)
    ax.set_xlabel(_(xlabel))
    ax.set_ylabel(_(ylabel))
    ax.set_title(_(title))
    ax.legend()
    ax.spines[["top", "right"]].set_visible(False)
    return ax
