"""The availability-and-continuity dashboard: outages, a major disruption, and the queue they leave."""

from __future__ import annotations

import math
from typing import Any

import ipywidgets as w

from simlib import plots
from simlib.dashboards.base import Dashboard, slider
from simlib.scenario import Scenario

__all__ = ["Availability", "availability_dashboard"]


class Availability(Dashboard):
    """Outages and a major disruption on a timeline, and the queue they build."""

    title = "Availability and continuity"
    intro = (
        "The desk's systems fail now and then (on average every <b>MTBF</b> hours) and take <b>MTRS</b> hours to "
        "restore; a <b>major disruption</b> stops everything until it has recovered. While the service is down "
        "nobody is helped: watch the queue build up, and the agents drain it afterwards."
    )
    figsize = (13.5, 4.2)
    margins = {"left": 0.05, "right": 0.99, "bottom": 0.14, "top": 0.92, "wspace": 0.18}
    measure_names = ("utility", "warranty", "value", "availability.first_line")

    def levers(self) -> list[w.ValueWidget]:
        fl = self.base.first_line
        mtbf = fl.mtbf if math.isfinite(fl.mtbf) else 500.0
        self.agents = slider(w.IntSlider, "Agents", fl.agents, 1, 15, 1, "simlib-agents")
        self.mtbf = slider(w.FloatSlider, "MTBF (hours)", mtbf, 5, 500, 5, "simlib-mtbf", readout_format=".0f")
        self.mtrs = slider(w.FloatSlider, "MTRS (hours)", fl.mtrs, 0.25, 12, 0.25, "simlib-mtrs")
        self.disruption = slider(
            w.FloatSlider, "Disruption at (h)", -1, -1, self.base.horizon - 1, 1, "simlib-disruption",
            readout_format=".0f",
        )  # fmt: skip
        self.disruption.tooltip = "-1: no extra disruption; 34 is Tuesday 10:00"
        self.recovery = slider(
            w.FloatSlider, "Recovery (hours)", self.base.continuity.recovery or 4.0, 0.5, 24, 0.5, "simlib-recovery"
        )
        return [self.agents, self.mtbf, self.mtrs, self.disruption, self.recovery]

    def scenario(self) -> Scenario:
        changes: dict[str, Any] = {}
        if self.moved(self.agents):
            changes["first_line.agents"] = self.agents.value
        if self.moved(self.mtbf):
            changes["first_line.mtbf"] = self.mtbf.value
        if self.moved(self.mtrs):
            changes["first_line.mtrs"] = self.mtrs.value
        if self.disruption.value >= 0:
            changes["continuity.starts"] = sorted([*self.base.continuity.starts, float(self.disruption.value)])
        if self.moved(self.recovery) or "continuity.starts" in changes:
            changes["continuity.recovery"] = self.recovery.value
        return self.base.replace(**changes)

    def pictures(self) -> None:
        a, b = self.figure.subplots(1, 2, width_ratios=[3.0, 1.0])
        # Availability is in the numbers panel: a fixed title is one text fewer to redraw on each move.
        self.live.add(plots.Queue(a, title="Requests waiting; shaded: the service is down", fontsize=10))
        self.live.add(plots.Measures(b, title="Utility, warranty and value", fontsize=10))


def availability_dashboard(scenario: Scenario | str = "service-desk", seed: int = 1) -> w.Widget:
    """The availability-and-continuity dashboard, as a widget."""
    return Availability(scenario, seed).widget
