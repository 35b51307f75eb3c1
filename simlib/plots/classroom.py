"""The classroom game's pictures: how each team did over the rounds, and what its money bought.

The debrief of :mod:`simlib.classroom` (a :class:`~simlib.classroom.Debrief`, plain data) is
shown to the class in two pictures: utility, warranty, value and cost over the rounds, one line
per team (:func:`class_history`), and the class's value against cost in each round, with 95%
CIs (:func:`class_value_cost`): the teams that bought the most value for their money stand top
left. Each team keeps its colour in both, and on the pages (:func:`team_colours`): a team named
after a colour is drawn in that colour (red is red), the others take the Okabe-Ito palette.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from simlib.plots.palette import COLOURS, OKABE_ITO

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["NAMED_COLOURS", "TEAM_COLOURS", "class_history", "class_value_cost", "team_colours"]


#: One colour per team in the classroom game's pictures, in the order teams are listed.
TEAM_COLOURS = tuple(
    OKABE_ITO[c]
    for c in ("blue", "vermillion", "bluish green", "reddish purple", "orange", "sky blue", "black", "yellow")
)


#: Colours a team may be named after (English and Dutch), and how each is drawn.
NAMED_COLOURS = {
    "red": "#CC0000", "rood": "#CC0000", "green": OKABE_ITO["bluish green"], "groen": OKABE_ITO["bluish green"],
    "blue": OKABE_ITO["blue"], "blauw": OKABE_ITO["blue"], "orange": OKABE_ITO["orange"],
    "oranje": OKABE_ITO["orange"], "yellow": OKABE_ITO["yellow"], "geel": OKABE_ITO["yellow"],
    "purple": "#7B3294", "paars": "#7B3294", "pink": OKABE_ITO["reddish purple"], "roze": OKABE_ITO["reddish purple"],
    "black": OKABE_ITO["black"], "zwart": OKABE_ITO["black"], "grey": "#7F7F7F", "gray": "#7F7F7F",
    "grijs": "#7F7F7F", "brown": "#8C510A", "bruin": "#8C510A", "cyan": OKABE_ITO["sky blue"],
}  # fmt: skip


def _named(team: str) -> str | None:
    """The colour a team is named after: its one word that is a colour (``"Red"``, ``"team blue"``)."""
    found = {NAMED_COLOURS[w] for w in team.lower().replace("-", " ").split() if w in NAMED_COLOURS}
    return found.pop() if len(found) == 1 else None


def team_colours(teams: Sequence[str]) -> dict[str, str]:
    """Each team's colour (``#RRGGBB``): its name's colour when it is named after one, else the next of
    :data:`TEAM_COLOURS` that no team is named after (in the order given; the palette repeats)."""
    named = {t: c for t in teams if (c := _named(t)) is not None}
    free = [c for c in TEAM_COLOURS if c not in named.values()] or list(TEAM_COLOURS)
    out, i = {}, 0
    for t in teams:
        if t in named:
            out[t] = named[t]
        else:
            out[t] = free[i % len(free)]
            i += 1
    return out


def _widen(ax: Axes, least: float, axis: str = "y") -> None:
    """Widen an axis to at least ``least`` around its middle: a tiny difference must not fill the panel."""
    lo, hi = ax.get_ylim() if axis == "y" else ax.get_xlim()
    if hi - lo < least:
        mid = (lo + hi) / 2
        (ax.set_ylim if axis == "y" else ax.set_xlim)(mid - least / 2, mid + least / 2)


def class_history(debrief: Any, figure: Figure | None = None) -> Figure:
    """Utility, warranty, value and cost over the rounds of a classroom game, one line per team.

    ``debrief``: a :class:`simlib.classroom.Debrief` (its ``teams`` in the order that fixes
    their colours, and its ``history``: one row per closed round and team). Returns a Figure.
    """
    from matplotlib.figure import Figure

    from simlib.i18n import _

    history = debrief.history
    fig = figure or Figure(figsize=(12, 3.4), dpi=80)
    axes = fig.subplots(1, 4)
    teams = list(debrief.teams)
    colours = team_colours(teams)
    for ax, m in zip(axes, ("utility", "warranty", "value", "cost")):
        for team in teams:
            rows = [r for r in history if r["team"] == team]
            x = [r["round"] for r in rows]
            y = [r[m] * (1 if m == "cost" else 100) for r in rows]
            ax.plot(x, y, marker="o", label=team, color=colours[team])
        title = _("cost") if m == "cost" else _("{measure} (%)").format(measure=_(m))
        ax.set_title(title, fontsize=10, color=COLOURS.get(m, "black"))
        ax.set_xlabel(_("round"))
        _widen(ax, 5.0 if m != "cost" else 5000.0)
        ax.set_xticks(sorted({r["round"] for r in history}) or [1])
    if teams:
        axes[-1].legend(fontsize=8, loc="best")
    fig.subplots_adjust(left=0.05, right=0.99, bottom=0.17, top=0.88, wspace=0.35)
    return fig


def class_value_cost(debrief: Any, figure: Figure | None = None) -> Figure:
    """The class's value against cost, one panel per round, with 95% CIs: what each team's money bought.

    ``debrief``: a :class:`simlib.classroom.Debrief` (per closed round its number, event title
    and leaderboard rows with team, value, value_low, value_high and cost). Teams that chose
    alike share a point and a label. Returns a matplotlib Figure.
    """
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    from simlib.i18n import _, translator

    title = _("round {n}: {title}")
    rounds = [(title.format(n=n, title=t), board) for n, _key, t, board in debrief.rounds]
    fig = figure or Figure(figsize=(3.4 * max(1, len(rounds)) + 0.6, 3.4), dpi=80)
    axes = np.atleast_1d(fig.subplots(1, max(1, len(rounds)), sharey=True))
    colours = team_colours(list(debrief.teams))
    for ax, (heading, board) in zip(axes, rounds):
        labels: dict[tuple[float, float], list[str]] = {}
        for row in board:
            v, lo, hi = (row[k] * 100 for k in ("value", "value_low", "value_high"))
            yerr = [[max(v - lo, 0) if math.isfinite(lo) else 0], [max(hi - v, 0) if math.isfinite(hi) else 0]]
            ax.errorbar([row["cost"]], [v], yerr=yerr, fmt="o", color=colours[row["team"]], capsize=3)
            labels.setdefault((row["cost"], round(v, 6)), []).append(row["team"])
        for (cost, v), names in labels.items():
            ax.annotate(", ".join(names), (cost, v), textcoords="offset points", xytext=(4, 4), fontsize=8)
        ax.margins(x=0.25)
        ax.set_title(heading, fontsize=10)
        ax.set_xlabel(_("cost"))
        ax.xaxis.set_major_locator(MaxNLocator(4))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, pos: translator().number(x / 1000, 0) + "k"))
        _widen(ax, 5000.0, axis="x")
    axes[0].set_ylabel(_("value (%), 95% CI"))
    fig.subplots_adjust(left=0.08, right=0.98, bottom=0.17, top=0.88, wspace=0.15)
    return fig
