"""Pictures built once and updated in place with each new run (the dashboards' figures)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from simlib.i18n import N_, _, outcome_label
from simlib.plots.palette import (
    COLOURS,
    OKABE_ITO,
    OUTCOME_COLOURS,
    _requests,
    nice_limit,
    pct,
    waiting_over_time,
)

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes

    from simlib.result import Result


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
        if self.late_label:
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
        ylabel: str = N_("know-how: the service can resolve (%)"),
        title: str = N_("Value needs capacity AND know-how: neither lever alone"),
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
