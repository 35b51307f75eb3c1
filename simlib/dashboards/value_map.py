"""The value-map dashboard: value over capacity x know-how, with the current setting circled.

A new map is 100 one-week runs (about 1.5 s). In a browser the map fills in square by square
while a progress line counts them, and the sliders stay live: between squares the kernel
takes the next move. Moving within a map already computed only moves the circle (and the
bars of the circled setting).
"""

from __future__ import annotations

import html
import time
from typing import Any

import ipywidgets as w
import numpy as np

from simlib import plots
from simlib.dashboards import base
from simlib.dashboards.base import Dashboard, lever_css, run, slider
from simlib.i18n import N_, _, in_language
from simlib.levers import lever
from simlib.result import Result
from simlib.scenario import Scenario

__all__ = ["ValueMap", "value_map_dashboard"]

#: Seconds of simulation between two looks at the kernel's messages while a map is computed.
SLICE = 0.05
#: Seconds of simulation, at least, between two redraws of a map that is filling in.
REDRAW = 0.4


class ValueMap(Dashboard):
    """Value over first-line agents (warranty) x know-how (utility); the current setting is circled."""

    title = N_("The value map: capacity and know-how")
    intro = N_(
        "Each square is one week simulated with that many first-line agents (capacity: warranty) and that much "
        "know-how (what the service can resolve at all: utility). Value is high only where <b>both</b> are: agents "
        "without know-how give warranty without utility, know-how without agents utility without warranty."
    )
    figsize = (12.0, 4.6)
    margins = {"left": 0.09, "right": 0.99, "bottom": 0.12, "top": 0.92, "wspace": 0.25}
    AGENTS = tuple(range(2, 12))
    KNOW_HOW = tuple(round(0.1 * i, 1) for i in range(1, 11))

    @in_language
    def __init__(self, scenario: Scenario | str = "service-desk", seed: int = 1, *, lang: str | None = None) -> None:
        self.grids: dict[tuple, np.ndarray] = {}  # value on every square, NaN until simulated, by (demand, seed)
        self.progress = w.HTML()
        self.progress.add_class("simlib-progress")
        self._shown: tuple | None = None  # the map the picture shows: (key, squares done)
        self._filling: tuple | None = None  # the map being filled in the background
        super().__init__(scenario, seed, lang=lang)

    def levers(self) -> list[w.ValueWidget]:
        # The map's own grid (0.1 apart), with the labels of the lever table.
        agents, know_how = lever("first_line.agents"), lever("know_how")
        a = self.in_force("first_line.agents")
        self.agents = slider(
            w.IntSlider, _(agents.label), a, self.AGENTS[0], self.AGENTS[-1], 1, lever_css(agents.name)
        )
        k = round(self.in_force("know_how"), 1)
        self.know_how = slider(
            w.FloatSlider, _(know_how.label), k, 0.1, 1.0, 0.1, lever_css(know_how.name), readout_format=".1f"
        )
        self.agents.tooltip, self.know_how.tooltip = _(agents.meaning), _(know_how.meaning)
        # A new demand means a new map (100 runs): send it on release, not while dragging.
        self.demand = slider(w.FloatSlider, _("Demand (x)"), 1.0, 0.5, 2.0, 0.1, "simlib-demand", continuous=False)
        return [self.agents, self.know_how, self.demand]

    def layout(self) -> w.Widget:
        box = super().layout()
        box.children = (*box.children[:-1], self.progress, box.children[-1])
        return box

    def at(self, agents: int, know_how: float) -> Scenario:
        """The scenario of one square of the map (demand from its slider)."""
        changes: dict[str, Any] = {"first_line.agents": agents, "know_how": float(know_how)}
        if self.demand.value != 1.0:
            for g in self.base.customers:
                changes[f"customers.{g.name}.rate"] = g.rate * round(self.demand.value, 1)
        return self.base.replace(**changes)

    def scenario(self) -> Scenario:
        return self.at(self.agents.value, round(self.know_how.value, 1))

    # ------------------------------------------------------------------ the map

    def key(self) -> tuple:
        """Which map the sliders ask for: agents and know-how move on it, demand and seed make a new one."""
        return (round(self.demand.value, 1), self.seed.value)

    def squares(self, key: tuple) -> np.ndarray:
        """The map of ``key`` so far (NaN: not simulated yet)."""
        if key not in self.grids:
            self.grids[key] = np.full((len(self.KNOW_HOW), len(self.AGENTS)), np.nan)
        return self.grids[key]

    def fill(self, key: tuple, budget: float = float("inf")) -> int:
        """Simulate squares of the map of ``key`` for up to ``budget`` seconds; how many are left."""
        values = self.squares(key)
        t0 = time.perf_counter()
        for i, j in zip(*np.nonzero(np.isnan(values))):
            if time.perf_counter() - t0 >= budget:
                break
            sc = self.at(self.AGENTS[j], self.KNOW_HOW[i])
            values[i, j] = run(sc, key[1], keep_requests=False).value
        return int(np.isnan(values).sum())

    def grid(self) -> list[list[float]]:
        """Value on every square: rows are know-how, columns agents (cached per setting and seed)."""
        key = self.key()
        self.fill(key)
        return self.squares(key).tolist()

    # ------------------------------------------------------------------ drawing

    def pictures(self) -> None:
        a, b = self.figure.subplots(1, 2, width_ratios=[1.6, 1.0])
        self.map = self.live.add(
            plots.ValueMap(
                a, self.AGENTS, self.KNOW_HOW, colorbar=False, fontsize=10,
            )
        )  # fmt: skip
        self.live.add(plots.Measures(b, title=_("At the circled setting"), fontsize=10))

    def show(self, result: Result) -> None:
        key = self.key()
        loop = base._browser_loop()
        left = self.fill(key, 0.0 if loop is not None else float("inf"))
        if left and loop is not None and self._filling != key:
            self._filling = key
            loop.call_soon(self._fill_job, key, loop)
        self._show_map(key)
        self.live.update(result)

    def _show_map(self, key: tuple) -> None:
        values = self.squares(key)
        done = int(np.sum(~np.isnan(values)))
        if self._shown != (key, done):
            self._shown = (key, done)
            self.map.show_grid(values)
            self.live.invalidate()  # the map is drawn into the background; moves only redraw the circle
        self.map.mark((self.agents.value, round(self.know_how.value, 1)))
        total = values.size
        self.progress.value = (
            ""
            if done == total
            else "<span style='color:#444'>"
            + _("Simulating the map: {done} of {total} squares \u2026").format(done=done, total=total)
            + "</span>"
        )

    def _fill_job(self, key: tuple, loop: Any, computed: float = 0.0) -> None:
        """Simulate a slice of squares, let the kernel take any move, and now and then show the map so far.

        ``computed``: seconds simulated since the map was last drawn. Drawing the map whole costs
        a few hundred milliseconds, so it is drawn only after twice that much simulating (and at
        least :data:`REDRAW`): most of the time goes to the squares.
        """
        if key != self.key():  # the map asked for changed: the next picture starts the new one
            self._filling = None
            return
        t0 = time.perf_counter()
        left = self.fill(key, SLICE)
        computed += time.perf_counter() - t0
        if not left or computed >= max(REDRAW, 2 * self.timings.get("picture", 0.0)):
            computed = 0.0
            if self.result is not None and not self._numbers_due:
                self.picture()
        if left:
            loop.call_soon(self._fill_job, key, loop, computed)
        else:
            self._filling = None

    def shown_map(self) -> str:
        """The progress line as text ('' once the map is complete)."""
        return html.unescape(self.progress.value)


def value_map_dashboard(scenario: Scenario | str = "service-desk", seed: int = 1, lang: str | None = None) -> w.Widget:
    """The value-map dashboard, as a widget."""
    return ValueMap(scenario, seed, lang=lang).widget
