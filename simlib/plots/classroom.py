"""The classroom game's pictures: how each team did over the rounds, and what its money bought.

The debrief of :mod:`simlib.classroom` shows two pictures to the class: utility, warranty, value
and cost over the rounds, one line per team (:func:`class_history`), and the class's value
against cost in each round, with 95% CIs (:func:`class_value_cost`): the teams that bought
the most value for their money stand top left. Each team keeps its colour in both
(:data:`TEAM_COLOURS`, from the Okabe-Ito palette).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from simlib.plots.palette import COLOURS, OKABE_ITO

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["TEAM_COLOURS", "class_history", "class_value_cost", "team_colour"]


#: One colour per team in the classroom game's pictures, in the order teams are listed.
TEAM_COLOURS = tuple(
    OKABE_ITO[c]
    for c in ("blue", "vermillion", "bluish green", "reddish purple", "orange", "sky blue", "black", "yellow")
)


def team_colour(i: int) -> str:
    """The colour of the ``i``-th team (the palette repeats after eight teams)."""
    return TEAM_COLOURS[i % len(TEAM_COLOURS)]


def _widen(ax: Axes, least: float, axis: str = "y") -> None:
    """Widen an axis to at least ``least`` around its middle: a tiny difference must not fill the panel."""
    lo, hi = ax.get_ylim() if axis == "y" else ax.get_xlim()
    if hi - lo < least:
        mid = (lo + hi) / 2
        (ax.set_ylim if axis == "y" else ax.set_xlim)(mid - least / 2, mid + least / 2)


def class_history(history: Sequence[Mapping[str, Any]], figure: Figure | None = None) -> Figure:
    """Utility, warranty, value and cost over the rounds of a classroom game, one line per team.

    ``history``: one row per closed round and team (round, team, utility, warranty, value,
    cost), as :meth:`simlib.classroom.Game.history` gives them. Returns a matplotlib Figure.
    """
    from matplotlib.figure import Figure

    from simlib.i18n import _

    fig = figure or Figure(figsize=(12, 3.4), dpi=80)
    axes = fig.subplots(1, 4)
    teams = sorted({r["team"] for r in history}, key=str.lower)
    for ax, m in zip(axes, ("utility", "warranty", "value", "cost")):
        for i, team in enumerate(teams):
            rows = [r for r in history if r["team"] == team]
            x = [r["round"] for r in rows]
            y = [r[m] * (1 if m == "cost" else 100) for r in rows]
            ax.plot(x, y, marker="o", label=team, color=team_colour(i))
        title = _("cost") if m == "cost" else _("{measure} (%)").format(measure=_(m))
        ax.set_title(title, fontsize=10, color=COLOURS.get(m, "black"))
        ax.set_xlabel(_("round"))
        _widen(ax, 5.0 if m != "cost" else 5000.0)
        ax.set_xticks(sorted({r["round"] for r in history}) or [1])
    if teams:
        axes[-1].legend(fontsize=8, loc="best")
    fig.subplots_adjust(left=0.05, right=0.99, bottom=0.17, top=0.88, wspace=0.35)
    return fig


def class_value_cost(
    rounds: Sequence[tuple[str, Sequence[Mapping[str, Any]]]], teams: Sequence[str], figure: Figure | None = None
) -> Figure:
    """The class's value against cost, one panel per round, with 95% CIs: what each team's money bought.

    ``rounds``: a (title, leaderboard rows) pair per closed round, the rows with team, value,
    value_low, value_high and cost; ``teams`` fixes each team's colour. Teams that chose alike
    share a point and a label. Returns a matplotlib Figure.
    """
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    from simlib.i18n import _, translator

    fig = figure or Figure(figsize=(3.4 * max(1, len(rounds)) + 0.6, 3.4), dpi=80)
    axes = np.atleast_1d(fig.subplots(1, max(1, len(rounds)), sharey=True))
    teams = list(teams)
    for ax, (title, board) in zip(axes, rounds):
        labels: dict[tuple[float, float], list[str]] = {}
        for row in board:
            i = teams.index(row["team"])
            v, lo, hi = (row[k] * 100 for k in ("value", "value_low", "value_high"))
            yerr = [[max(v - lo, 0) if math.isfinite(lo) else 0], [max(hi - v, 0) if math.isfinite(hi) else 0]]
            ax.errorbar([row["cost"]], [v], yerr=yerr, fmt="o", color=team_colour(i), capsize=3)
            labels.setdefault((row["cost"], round(v, 6)), []).append(row["team"])
        for (cost, v), names in labels.items():
            ax.annotate(", ".join(names), (cost, v), textcoords="offset points", xytext=(4, 4), fontsize=8)
        ax.margins(x=0.25)
        ax.set_title(title, fontsize=10)
        ax.set_xlabel(_("cost"))
        ax.xaxis.set_major_locator(MaxNLocator(4))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, pos: translator().number(x / 1000, 0) + "k"))
        _widen(ax, 5000.0, axis="x")
    axes[0].set_ylabel(_("value (%), 95% CI"))
    fig.subplots_adjust(left=0.08, right=0.98, bottom=0.17, top=0.88, wspace=0.15)
    return fig
