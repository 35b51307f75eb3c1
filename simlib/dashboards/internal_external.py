"""The internal-and-external dashboard: the second line seen through the external customers' outcomes."""

from __future__ import annotations

import math
from typing import Any

import ipywidgets as w

from simlib import plots
from simlib.dashboards.base import Dashboard, slider
from simlib.i18n import N_, _
from simlib.plots import pct
from simlib.result import Result
from simlib.scenario import Scenario

__all__ = ["InternalExternal", "internal_external_dashboard"]


def second_line_title(result: Result) -> str:
    """The title of the groups picture: how busy and available the second line is."""
    m = result.measures
    if "utilisation.second_line" in m:
        line = _("second line busy {busy}, available {up}").format(
            busy=pct(m["utilisation.second_line"], 0), up=pct(m["availability.second_line"])
        )
    else:
        line = _("no second line: what the first line cannot resolve stays unresolved")
    return _("What each group gets ({line})").format(line=line)


class InternalExternal(Dashboard):
    """The second line, an internal service, seen through the external customers' outcomes."""

    title = N_("Internal and external services")
    intro = N_(
        "External customers are served by the first line. What the service knows but the first line does not "
        "(<b>first-time fix</b> below 1) is escalated to the <b>second line</b>: an internal <i>supporting</i> "
        "service behind the first line, bound by an operational level agreement (OLA). Size the second line "
        "(0 = there is none) and break its systems, and see what the <i>external</i> customers get."
    )
    figsize = (12.5, 4.2)
    margins = {"left": 0.07, "right": 0.99, "bottom": 0.15, "top": 0.92, "wspace": 0.25}

    def levers(self) -> list[w.ValueWidget]:
        sl = self.base.second_line
        agents = sl.agents if sl is not None else 0
        mtbf = sl.mtbf if sl is not None and math.isfinite(sl.mtbf) else 500.0
        self.second_agents = slider(w.IntSlider, _("2nd-line agents"), agents, 0, 6, 1, "simlib-second-agents")
        self.second_mtbf = slider(
            w.FloatSlider, _("2nd-line MTBF (h)"), mtbf, 5, 500, 5, "simlib-second-mtbf", readout_format=".0f"
        )
        self.first_time_fix = self.lever("first_line.knowledge")
        return [self.first_time_fix, self.second_agents, self.second_mtbf]

    @property
    def measure_names(self) -> tuple[str, ...]:  # type: ignore[override]
        return ("value", *(f"attainment.{g.name}" for g in self.base.customers))

    def scenario(self) -> Scenario:
        changes: dict[str, Any] = self.lever_changes()
        if self.moved(self.second_agents):
            changes["second_line.agents"] = self.second_agents.value
        if self.moved(self.second_mtbf) and self.second_agents.value > 0:
            changes["second_line.mtbf"] = float(self.second_mtbf.value)
        return self.base.replace(**changes)

    def pictures(self) -> None:
        a, b = self.figure.subplots(1, 2, width_ratios=[1.0, 1.1])
        self.live.add(plots.Groups(a, title=second_line_title, fontsize=10))
        self.live.add(plots.Outcomes(b, kind="external", labels=False, fontsize=10))


def internal_external_dashboard(
    scenario: Scenario | str = "service-desk", seed: int = 1, lang: str | None = None
) -> w.Widget:
    """The internal-and-external dashboard, as a widget."""
    return InternalExternal(scenario, seed, lang=lang).widget
