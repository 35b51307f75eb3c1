"""The utility-vs-warranty dashboard: levers against utility, warranty and value."""

from __future__ import annotations

import math
from typing import Any

import ipywidgets as w

from simlib import plots
from simlib.dashboards.base import Dashboard, mean_knowledge, slider
from simlib.scenario import Scenario

__all__ = ["UtilityWarranty", "utility_warranty_dashboard"]


class UtilityWarranty(Dashboard):
    """Capacity, knowledge, skill, availability and demand against utility, warranty and value."""

    title = "Utility versus warranty"
    intro = (
        "<b>Utility</b>: can the desk resolve the request at all (knowledge)? <b>Warranty</b>: does it deliver "
        "by the deadline (capacity, skill, availability)? <b>Value</b> = utility &times; warranty: "
        "move a lever and watch which one moves."
    )
    figsize = (11.5, 3.8)
    margins = {"left": 0.06, "right": 0.99, "bottom": 0.17, "top": 0.9, "wspace": 0.5}

    def levers(self) -> list[w.ValueWidget]:
        fl = self.base.first_line
        mtbf = fl.mtbf if math.isfinite(fl.mtbf) else 500.0
        self.agents = slider(w.IntSlider, "Agents", fl.agents, 1, 15, 1, "simlib-agents")
        self.knowledge = slider(
            w.FloatSlider, "Knowledge", mean_knowledge(fl, self.base.catalogue), 0, 1, 0.05, "simlib-knowledge",
            readout_format=".2f",
        )  # fmt: skip
        self.skill = slider(w.FloatSlider, "Skill (x time)", fl.skill, 0.5, 2.0, 0.05, "simlib-skill")
        self.mtbf = slider(w.FloatSlider, "MTBF (hours)", mtbf, 10, 500, 5, "simlib-mtbf", readout_format=".0f")
        self.demand = slider(w.FloatSlider, "Demand (x)", 1.0, 0.25, 3.0, 0.05, "simlib-demand")
        return [self.agents, self.knowledge, self.skill, self.mtbf, self.demand]

    def changes(self) -> dict[str, Any]:
        """The dotted changes the levers make to the base scenario (only levers moved from the start)."""
        out: dict[str, Any] = {}
        if self.moved(self.agents):
            out["first_line.agents"] = self.agents.value
        if self.moved(self.knowledge):
            out["first_line.knowledge"] = round(float(self.knowledge.value), 2)  # a browser may send 0.6000000000000001
        if self.moved(self.skill):
            out["first_line.skill"] = round(float(self.skill.value), 2)
        if self.moved(self.mtbf):
            out["first_line.mtbf"] = float(self.mtbf.value)
        if self.moved(self.demand):
            for g in self.base.customers:
                out[f"customers.{g.name}.rate"] = g.rate * round(self.demand.value, 2)
        return out

    def scenario(self) -> Scenario:
        return self.base.replace(**self.changes())

    def pictures(self) -> None:
        a, b, c = self.figure.subplots(1, 3, width_ratios=[1.0, 1.1, 1.2])
        self.live.add(plots.Measures(a, title="Value = utility \u00d7 warranty", fontsize=11))
        # The counts are in the numbers panel above: no text beside the bars (text is dear to redraw).
        self.live.add(plots.Outcomes(b, labels=False, title="How the requests ended", fontsize=11))
        self.live.add(plots.Deadlines(c, late_label=False, title="Time to outcome against the deadline", fontsize=11))


def utility_warranty_dashboard(scenario: Scenario | str = "service-desk", seed: int = 1) -> w.Widget:
    """The utility-vs-warranty dashboard, as a widget."""
    return UtilityWarranty(scenario, seed).widget
