"""The availability-and-continuity dashboard: outages, a major disruption, and the queue they leave."""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from simlib import plots
from simlib.dashboards.base import Dashboard, slider
from simlib.i18n import N_, _
from simlib.scenario import Scenario

__all__ = ["Availability", "availability_dashboard"]


class Availability(Dashboard):
    """Outages and a major disruption on a timeline, and the queue they build."""

    title = N_("Availability and continuity")
    intro = N_(
        "The desk's systems fail now and then (on average every <b>MTBF</b> hours) and take <b>MTRS</b> hours to "
        "restore; a <b>major disruption</b> stops everything until it has recovered. While the service is down "
        "nobody is helped: watch the queue build up, and the agents drain it afterwards."
    )
    figsize = (13.5, 4.2)
    margins = {"left": 0.05, "right": 0.99, "bottom": 0.14, "top": 0.92, "wspace": 0.18}
    measure_names = ("utility", "warranty", "value", "availability.first_line")

    def levers(self) -> list[w.ValueWidget]:
        self.agents = self.lever("first_line.agents")
        self.mtbf = self.lever("first_line.mtbf")
        self.mtrs = self.lever("first_line.mtrs")
        self.recovery = self.lever("continuity.recovery")
        self.disruption = slider(
            w.FloatSlider, _("Disruption at (h)"), -1, -1, self.base.horizon - 1, 1, "simlib-disruption",
            readout_format=".0f",
        )  # fmt: skip
        self.disruption.tooltip = _(
            "when a major disruption starts; -1: none besides the scenario's; 34 is Tuesday 10:00"
        )
        return [self.agents, self.mtbf, self.mtrs, self.recovery, self.disruption]

    def scenario(self) -> Scenario:
        changes: dict[str, Any] = self.lever_changes()
        if self.disruption.value >= 0:
            changes["continuity.starts"] = sorted([*self.base.continuity.starts, float(self.disruption.value)])
        return self.base.replace(**changes)

    def pictures(self) -> None:
        a, b = self.figure.subplots(1, 2, width_ratios=[3.0, 1.0])
        # Availability is in the numbers panel: a fixed title is one text fewer to redraw on each move.
        self.live.add(plots.Queue(a, title=_("Requests waiting; shaded: the service is down"), fontsize=10))
        self.live.add(plots.Measures(b, title=_("Utility, warranty and value"), fontsize=10))


def availability_dashboard(
    scenario: Scenario | str = "service-desk", seed: int = 1, lang: str | None = None
) -> w.Widget:
    """The availability-and-continuity dashboard, as a widget."""
    return Availability(scenario, seed, lang=lang).widget
