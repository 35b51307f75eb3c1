"""Pictures of a run: utility, warranty and value, outcomes, deadlines, queues and maps.

A learner should *look* at a service, not read tables about it. Each function here draws
one picture of a :class:`~simlib.result.Result` (or of plain arrays) on a matplotlib Axes
and returns the Axes, so the same pictures serve the notebooks and the dashboards::

    import simlib, simlib.plots as plots
    res = simlib.simulate(simlib.load_scenario("service-desk"), seed=1)
    plots.measures(res)          # utility, warranty and value side by side

Without ``ax`` a new figure is made with pyplot (handy in a notebook). Each picture is also
a class (:class:`Measures`, :class:`Outcomes`, :class:`Deadlines`, :class:`Queue`,
:class:`Groups`, :class:`ValueMap`) that builds its artists once and then updates them in
place with each new run; the dashboards keep them in a :class:`LiveFigure`, which redraws
only what moved and sends the figure as PNG bytes. Colours come from the Okabe-Ito palette, which people with
the common forms of colour blindness can tell apart, and mean the same thing everywhere:
blue is utility, orange warranty, green value (and an achieved outcome).
"""

from __future__ import annotations

import math
import struct
import zlib
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

import numpy as np

from simlib.i18n import N_, _, outcome_label, translator

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes

    from simlib.result import Result
    from simlib.warmup import Welch

P = TypeVar("P")  # a picture added to a LiveFigure

__all__ = [
    "COLOURS",
    "OKABE_ITO",
    "OUTCOME_COLOURS",
    "Deadlines",
    "Groups",
    "LiveFigure",
    "Measures",
    "Outcomes",
    "Picture",
    "Queue",
    "ValueMap",
    "deadlines",
    "groups",
    "journeys",
    "measures",
    "nice_limit",
    "outcomes",
    "pct",
    "png_bytes",
    "queue",
    "theory_vs_simulation",
    "value_map",
    "waiting_over_time",
    "welch",
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


def pct(x: float, digits: int = 1) -> str:
    """A share as a percentage with one decimal (``"n/a"`` for NaN): how every number is shown.

    In the language in force (:mod:`simlib.i18n`): ``87.4%`` in English, ``87,4%`` in Dutch.
    """
    return translator().percent(x, digits)


def nice_limit(x: float) -> float:
    """The smallest of 1, 1.5, 2, 3, 4, 5, 6, 8 (times a power of ten) at or above ``x``."""
    if not x > 0 or not math.isfinite(x):
        return 1.0
    power = 10.0 ** math.floor(math.log10(x))
    for step in (1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0):
        if step * power >= x * (1 - 1e-12):
            return step * power
    return 10.0 * power  # pragma: no cover - the loop ends at 10


# ---------------------------------------------------------------------- pictures updated in place


class Picture:
    """One picture on one Axes, built once and then updated in place with each new run.

    :meth:`update` shows a run: it changes the data of the artists it built (bar heights,
    texts, image data, line data) and never clears the Axes. It returns ``True`` when the
    *static* parts changed too (the first time, or when the scale had to change), so the
    figure must be drawn whole; otherwise only :attr:`moving` (the artists that change with
    each run) need drawing again. A scale follows the data with hysteresis: it changes only
    when the data outgrow it, or shrink well below it, so ticks are rarely rebuilt.
    """

    def __init__(self, ax: Axes, *, title: str | Callable[[Result], str] | None = None, fontsize: float | None = None):
        self.ax = ax
        self.title = title
        self.fontsize = fontsize
        self.moving: list[Artist] = []  # filled by build(); the same artists for the picture's life
        self.built = False

    def build(self, result: Result) -> None:
        """Make the artists (the first run gives what they need: names, horizon, ...)."""
        raise NotImplementedError

    def show(self, result: Result) -> bool:
        """Set the artists' data for ``result``; ``True`` if the static parts changed."""
        raise NotImplementedError

    def default_title(self, result: Result) -> str | None:
        """The title when none is given (``None``: no title)."""
        return None

    def update(self, result: Result) -> bool:
        """Show ``result``; ``True`` when the figure must be drawn whole (see the class)."""
        first = not self.built
        if first:
            self.build(result)
            if isinstance(self.title, str):
                self.ax.set_title(self.title, fontsize=self.fontsize)
            else:
                self.moving.append(self.ax.title)
            self.built = True
        changed = self.show(result)
        if not isinstance(self.title, str):
            text = self.title(result) if callable(self.title) else self.default_title(result)
            self.ax.set_title(text or "", fontsize=self.fontsize)
        return first or changed

    #: An axis limit shrinks only when the data need less than this share of it.
    shrink = 0.45

    def _limit(self, current: float | None, want: float) -> float | None:
        """A new axis limit for data needing ``want``, or ``None`` to keep ``current``."""
        if current is not None and current * self.shrink <= want <= current:
            return None
        return nice_limit(want)


class Measures(Picture):
    """Utility, warranty and value as three bars, each labelled with its percentage."""

    NAMES = ("utility", "warranty", "value")

    def build(self, result: Result) -> None:
        ax = self.ax
        self.bars = ax.bar(
            [_("utility\n(purpose)"), _("warranty\n(use)"), _("value\n(u × w)")],
            [0.0, 0.0, 0.0],
            color=[COLOURS[n] for n in self.NAMES],
            width=0.6,
        )
        self.labels = [
            ax.text(bar.get_x() + bar.get_width() / 2, 0.0, "", ha="center", va="bottom", fontsize=11)
            for bar in self.bars
        ]
        ax.set_ylim(0, 1.12)
        ax.set_yticks(np.linspace(0, 1, 6))
        ax.set_ylabel(_("share of requests"))
        ax.yaxis.set_major_formatter(lambda y, pos: pct(y, 0))
        ax.spines[["top", "right"]].set_visible(False)
        self.moving += [*self.bars, *self.labels]

    def show(self, result: Result) -> bool:
        for bar, label, name in zip(self.bars, self.labels, self.NAMES):
            v = result.measures.get(name, math.nan)
            height = 0.0 if math.isnan(v) else v
            bar.set_height(height)
            label.set_text(pct(v))
            label.set_position((bar.get_x() + bar.get_width() / 2, height))
        return False

    def default_title(self, result: Result) -> str:
        value = pct(result.measures.get("value", math.nan))
        return _("Value {value}: outcomes achieved need utility AND warranty").format(value=value)


class Outcomes(Picture):
    """How every request ended: one horizontal bar per outcome, with counts and shares.

    With ``kind="external"`` (or ``"internal"``) only that kind of customer's requests count.
    ``labels=False`` leaves out the count beside each bar (a dashboard shows the counts in
    its numbers panel, and text is the dearest thing to redraw).
    """

    def __init__(self, ax: Axes, *, kind: str | None = None, labels: bool = True, **kw) -> None:
        super().__init__(ax, **kw)
        self.kind = kind
        self.with_labels = labels
        self.limit: float | None = None

    def build(self, result: Result) -> None:
        ax = self.ax
        self.names = [n for n in OUTCOME_COLOURS if n in result.outcomes or n in ("achieved", "late")]
        y = np.arange(len(self.names))[::-1]
        self.bars = ax.barh(
            y, np.zeros(len(y)), color=[OUTCOME_COLOURS[n] for n in self.names], edgecolor="#333333", linewidth=0.5
        )
        ax.set_yticks(y, [outcome_label(n) for n in self.names])
        self.labels = [ax.text(0, yi, "", va="center", fontsize=9) for yi in y] if self.with_labels else []
        ax.set_xlabel(_("requests"))
        ax.spines[["top", "right"]].set_visible(False)
        self.moving += [*self.bars, *self.labels]

    def counts(self, result: Result) -> list[int]:
        if self.kind is None:
            return [int(result.outcomes.get(n, 0)) for n in self.names]
        req = _requests(result)
        own = req["outcome"][req["kind"] == self.kind]
        return [int(np.sum(own == n)) for n in self.names]

    def show(self, result: Result) -> bool:
        counts = self.counts(result)
        self.total = sum(counts) or 1
        self.achieved = counts[0]
        for bar, c in zip(self.bars, counts):
            bar.set_width(c)
        for bar, label, c in zip(self.bars, self.labels, counts):
            label.set_text(f" {c} ({pct(c / self.total, 0)})")
            label.set_position((c, bar.get_y() + bar.get_height() / 2))
        limit = self._limit(self.limit, max(counts) * (1.3 if self.with_labels else 1.05) + 1)
        if limit is not None:
            self.limit = limit
            self.ax.set_xlim(0, limit)
        return limit is not None

    def default_title(self, result: Result) -> str:
        title = {
            None: N_("Desired outcome achieved for {achieved} of {total} requests"),
            "internal": N_("Desired outcome achieved for {achieved} of {total} internal customers' requests"),
            "external": N_("Desired outcome achieved for {achieved} of {total} external customers' requests"),
        }[self.kind]
        return _(title).format(achieved=self.achieved, total=self.total)


class Deadlines(Picture):
    """Time to outcome of the resolved requests, as a share of their deadline: a histogram.

    Left of the line at 100% the outcome came in time (achieved); right of it, late. Times
    beyond ``cap`` x the deadline are shown in the last bin. ``late_label=False`` leaves out
    the arrow that counts the late ones (a dashboard shows the count in its numbers panel).
    """

    shrink = 0.25  # the peak swings with capacity: keep the scale unless it falls a lot

    def __init__(self, ax: Axes, *, cap: float = 3.0, late_label: bool = True, **kw) -> None:
        super().__init__(ax, **kw)
        self.cap = cap
        self.late_label = late_label
        self.limit: float | None = None

    def build(self, result: Result) -> None:
        from matplotlib.collections import PolyCollection

        ax, cap = self.ax, self.cap
        self.edges = np.linspace(0.0, cap, 31)
        self.mids = (self.edges[:-1] + self.edges[1:]) / 2
        colours = [OUTCOME_COLOURS["achieved"] if m < 1 else OUTCOME_COLOURS["late"] for m in self.mids]
        # One collection of 30 bars: drawn in one call, about ten times faster than 30 Rectangles.
        self.bars = ax.add_collection(
            PolyCollection([], facecolors=colours, edgecolors="#333333", linewidths=0.4), autolim=False
        )
        self.counts = np.zeros(self.mids.size, dtype=int)
        ax.axvline(100, color=OKABE_ITO["black"], linestyle="--", linewidth=1.2)
        ax.annotate(
            _("deadline"), (100, 1), xycoords=ax.get_xaxis_transform(), xytext=(4, -2), textcoords="offset points",
            va="top",
        )  # fmt: skip
        self.late = ax.annotate(
            "", (self.mids[-1] * 100, 0), xytext=(0, 24), textcoords="offset points", ha="right",
            arrowprops={"arrowstyle": "->", "color": "#555555"},
        )  # fmt: skip
        ticks = np.arange(0, cap * 100 + 1, 50 if cap <= 2 else 100)
        ax.set_xticks(ticks, [f"{t:.0f}" for t in ticks[:-1]] + [f"{ticks[-1]:.0f}+"])
        ax.set_xlim(self.edges[0] * 100 - 5, self.edges[-1] * 100 + 5)
        ax.set_xlabel(_("time to outcome / deadline (%)"))
        ax.set_ylabel(_("resolved requests"))
        ax.spines[["top", "right"]].set_visible(False)
        self.moving += [self.bars, self.late]

    def show(self, result: Result) -> bool:
        req = _requests(result)
        resolved = (req["outcome"] == "achieved") | (req["outcome"] == "late")
        ratio = req["time_in_system"][resolved] / req["deadline"][resolved]
        ratio = np.clip(np.nan_to_num(ratio, nan=0.0), 0.0, self.cap)
        counts, _edges = np.histogram(ratio, bins=self.edges)
        self.counts = counts
        lo, hi = self.edges[:-1] * 100, self.edges[1:] * 100
        self.bars.set_verts([[(a, 0), (a, c), (b, c), (b, 0)] for a, b, c in zip(lo, hi, counts)])
        late = int(np.sum(ratio > 1.0))
        self.late.set_visible(late > 0 and self.late_label)
        self.late.set_text(_("late: {n}").format(n=late))
        self.late.xy = (self.mids[-1] * 100, counts[-1])
        self.share = float(np.mean(ratio <= 1.0)) if ratio.size else math.nan
        limit = self._limit(self.limit, max(int(counts.max(initial=0)), 1) * 1.12)
        if limit is not None:
            self.limit = limit
            self.ax.set_ylim(0, limit)
        return limit is not None

    def default_title(self, result: Result) -> str:
        return _("{share} of resolved requests came within their deadline").format(share=pct(self.share))


class Queue(Picture):
    """Requests waiting over time, with the outages of each team and the major disruptions.

    Shaded bands show when the systems were down: while they are, nobody can be helped, so
    the queue builds up; once they are back, the agents drain it.
    """

    LABELS = {"first_line": N_("first-line systems down"), "second_line": N_("second-line systems down")}
    shrink = 0.2  # queues swing widely with capacity: keep the scale unless they shrink a lot

    def __init__(self, ax: Axes, **kw) -> None:
        super().__init__(ax, **kw)
        self.limit: float | None = None
        self.span: tuple[float, float] | None = None

    def build(self, result: Result) -> None:
        from matplotlib.collections import PolyCollection

        ax = self.ax
        band = ax.get_xaxis_transform()  # x in hours, y from the bottom (0) to the top (1) of the Axes
        self.outages = {}
        for team in result.outages:
            coll = PolyCollection(
                [], transform=band, facecolor=COLOURS["outage"], alpha=0.35 if team == "first_line" else 0.15,
                hatch=None if team == "first_line" else "//", linewidth=0, label=_(self.LABELS.get(team, team)),
            )  # fmt: skip
            self.outages[team] = ax.add_collection(coll, autolim=False)
        self.disruptions = ax.add_collection(
            PolyCollection([], transform=band, facecolor=COLOURS["disruption"], alpha=0.3, linewidth=0,
                           label=_("major disruption")),
            autolim=False,
        )  # fmt: skip
        (self.line,) = ax.step([], [], where="post", color=COLOURS["queue"], linewidth=1.2,
                             label=_("requests waiting"))  # fmt: skip
        ax.set_xlabel(_("time (hours)"))
        ax.set_ylabel(_("requests waiting"))
        ax.legend(loc="upper left", fontsize=8, framealpha=0.9)
        ax.spines[["top", "right"]].set_visible(False)
        self.moving += [*self.outages.values(), self.disruptions, self.line]

    @staticmethod
    def _bands(spans) -> list[list[tuple[float, float]]]:
        return [[(a, 0.0), (a, 1.0), (b, 1.0), (b, 0.0)] for a, b in spans]

    def show(self, result: Result) -> bool:
        ax, sc = self.ax, result.scenario
        times, waiting = waiting_over_time(result)
        cuts = [tuple(d) for d in np.asarray(result.disruptions)]
        for team, coll in self.outages.items():
            spans = np.asarray(result.outages.get(team, np.empty((0, 2))))
            coll.set_verts(self._bands([(a, b) for a, b in spans if not any(c <= a and b <= d for c, d in cuts)]))
        self.disruptions.set_verts(self._bands(np.asarray(result.disruptions)))
        self.line.set_data(times, waiting)
        changed = False
        if self.span != (sc.warmup, sc.horizon):
            self.span = (sc.warmup, sc.horizon)
            ax.set_xlim(sc.warmup, sc.horizon)
            if sc.horizon - sc.warmup <= 24 * 14:
                ax.set_xticks(np.arange(math.ceil(sc.warmup / 24) * 24, sc.horizon + 1, 24))
            changed = True
        limit = self._limit(self.limit, max(float(waiting.max(initial=0)), 1.0) * 1.15)
        if limit is not None:
            self.limit = limit
            ax.set_ylim(0, limit)
        return changed or limit is not None

    def default_title(self, result: Result) -> str:
        avail = result.measures.get("availability.first_line", math.nan)
        return _("The queue builds up while the service is down (first line available {up})").format(up=pct(avail))


class Groups(Picture):
    """SLA attainment and value per customer group (internal and external)."""

    def build(self, result: Result) -> None:
        ax = self.ax
        self.customers = [(g.name, g.kind) for g in result.scenario.customers]
        x = np.arange(len(self.customers))
        self.series = []
        for offset, measure, label, colour in (
            (-0.2, "attainment", _("SLA attainment (warranty)"), COLOURS["warranty"]),
            (0.2, "value", _("value"), COLOURS["value"]),
        ):
            bars = ax.bar(x + offset, np.zeros(x.size), width=0.38, color=colour, label=label)
            texts = [ax.text(b.get_x() + b.get_width() / 2, 0, "", ha="center", va="bottom") for b in bars]
            self.series.append((measure, bars, texts))
            self.moving += [*bars, *texts]
        kinds = {"internal": _("internal customers"), "external": _("external customers")}
        ax.set_xticks(x, [f"{name}\n({kinds.get(kind, kind)})" for name, kind in self.customers])
        ax.set_ylim(0, 1.3)
        ax.set_yticks(np.linspace(0, 1, 6))
        ax.set_ylabel(_("share of the group's requests"))
        ax.yaxis.set_major_formatter(lambda y, pos: pct(y, 0))
        ax.legend(loc="upper center", ncols=2, fontsize=8, framealpha=0.9)
        ax.spines[["top", "right"]].set_visible(False)

    def show(self, result: Result) -> bool:
        for measure, bars, texts in self.series:
            for (name, _kind), bar, text in zip(self.customers, bars, texts):
                v = result.measures.get(f"{measure}.{name}", math.nan)
                bar.set_height(0.0 if math.isnan(v) else v)
                text.set_text(pct(v))
                text.set_position((bar.get_x() + bar.get_width() / 2, bar.get_height()))
        return False

    def default_title(self, result: Result) -> str:
        return _("What each customer group gets")


class ValueMap:
    """Value over a grid of capacity (agents, columns) x knowledge (rows), as a heatmap.

    Built once; :meth:`show_grid` sets the squares (NaN: not computed yet, left blank), and
    :meth:`mark` moves the circle on the current setting without touching the grid.
    """

    def __init__(
        self,
        ax: Axes,
        agents: Sequence[int],
        knowledge: Sequence[float],
        *,
        colorbar: bool = True,
        xlabel: str = N_("capacity: first-line agents"),
        ylabel: str = N_("knowledge: first-line resolves (%)"),
        title: str = N_("Value needs capacity AND knowledge: neither lever alone"),
        fontsize: float | None = None,
    ) -> None:
        self.ax, self.agents, self.knowledge = ax, list(agents), np.asarray(knowledge, dtype=float)
        shape = (len(knowledge), len(agents))
        self.image = ax.imshow(np.full(shape, np.nan), origin="lower", cmap="viridis", vmin=0, vmax=1, aspect="auto")
        ax.set_xticks(range(len(agents)), [str(a) for a in agents])
        ax.set_yticks(range(len(knowledge)), [pct(k, 0) for k in knowledge])
        self.cells = [
            [ax.text(j, i, "", ha="center", va="center", fontsize=7) for j in range(shape[1])] for i in range(shape[0])
        ]
        self.marker = ax.scatter([], [], s=520, facecolors="none", edgecolors=OKABE_ITO["vermillion"], linewidths=2.5)
        self.marker.set_visible(False)
        ax.set_xlabel(_(xlabel))
        ax.set_ylabel(_(ylabel))
        ax.set_title(_(title), fontsize=fontsize)
        if colorbar:
            ax.figure.colorbar(self.image, ax=ax, label=_("value (share achieved)"), format=lambda y, pos: pct(y, 0))
        self.moving: list[Artist] = [self.marker]

    def show_grid(self, values: np.ndarray) -> None:
        """Set every square; ``values[i, j]`` is the value at ``knowledge[i]`` and ``agents[j]``."""
        values = np.asarray(values, dtype=float)
        self.image.set_data(values)
        for i, row in enumerate(self.cells):
            for j, text in enumerate(row):
                v = values[i, j]
                text.set_text("" if math.isnan(v) else pct(v, 0))
                text.set_color("black" if v > 0.55 else "white")

    def mark(self, setting: tuple[int, float] | None) -> None:
        """Circle the square of ``(agents, knowledge)``; ``None`` or off the grid: no circle."""
        if setting is None or setting[0] not in self.agents:
            self.marker.set_visible(False)
            return
        j = self.agents.index(setting[0])
        i = int(np.argmin(np.abs(self.knowledge - setting[1])))
        self.marker.set_offsets([[j, i]])
        self.marker.set_visible(True)


# ---------------------------------------------------------------------- the functions (one picture each)


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


def _requests(result: Result) -> np.ndarray:
    if result.requests is None:
        raise ValueError("result.requests: None is not allowed; expected a run with keep_requests=True")
    return result.requests


# ---------------------------------------------------------------------- a figure shown as PNG, redrawn in place


def png_bytes(rgba: np.ndarray, level: int = 1) -> bytes:
    """An RGBA image (height x width x 4, uint8) as PNG bytes, deflated at zlib ``level``.

    No row filters and a fast deflate: for a chart (large flat areas) level 1 is about five
    times faster than Pillow's PNG writer and the file only a little larger (see
    ``benchmarks/bench_widgets.py``).
    """
    height, width, _ = rgba.shape
    rows = np.empty((height, width * 4 + 1), dtype=np.uint8)
    rows[:, 0] = 0  # filter type 0 (None) on every row
    rows[:, 1:] = rgba.reshape(height, width * 4)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8 bits, RGBA, deflate, no filter, no interlace
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows.tobytes(), level))
        + chunk(b"IEND", b"")
    )


class LiveFigure:
    """A figure drawn off-screen (Agg) and shown as PNG bytes, with its pictures updated in place.

    The figure is drawn whole once; its static parts (axes, ticks, labels, legends, fixed
    titles) are kept as a background. After that, :meth:`png` restores the background and
    draws only the pictures' moving artists on it (*blitting*), unless a picture's scale
    changed or :meth:`invalidate` was called, when the figure is drawn whole again.
    """

    def __init__(self, figsize: tuple[float, float], dpi: float, margins: dict[str, float] | None = None) -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self.figure = Figure(figsize=figsize, dpi=dpi)  # fixed margins: a layout engine costs ~100 ms a draw
        self.canvas = FigureCanvasAgg(self.figure)
        self.margins = margins or {}
        self.pictures: list[Picture | ValueMap] = []
        self._background = None
        self.full_draws = 0  # how often the whole figure was drawn (for tests and benchmarks)

    def add(self, picture: P) -> P:
        """Register a picture; its moving artists are drawn on each :meth:`png`."""
        self.pictures.append(picture)
        return picture

    def update(self, result: Result) -> None:
        """Show ``result`` in every :class:`Picture` (a :class:`ValueMap` is set by its owner)."""
        for picture in self.pictures:
            if isinstance(picture, Picture) and picture.update(result):
                self._background = None

    @property
    def stale(self) -> bool:
        """Whether the next :meth:`png` draws the figure whole (its static parts changed)."""
        return self._background is None

    def invalidate(self) -> None:
        """The static parts changed: draw the figure whole next time."""
        self._background = None

    def png(self, level: int = 1) -> bytes:
        """The figure as PNG bytes (blitting when the static parts are unchanged)."""
        moving = [a for p in self.pictures for a in p.moving]
        if self._background is None:
            for artist in moving:
                artist.set_animated(True)  # left out of the background
            self.figure.subplots_adjust(**self.margins)
            self.canvas.draw()
            self._background = self.canvas.copy_from_bbox(self.figure.bbox)
            self.full_draws += 1
        else:
            self.canvas.restore_region(self._background)
        renderer = self.canvas.get_renderer()
        for artist in moving:
            if artist.get_visible():
                artist.draw(renderer)
        return png_bytes(np.asarray(self.canvas.buffer_rgba()), level)
