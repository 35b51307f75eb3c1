"""The utility-vs-warranty dashboard: each lever moves the half of value it stands for.

The levers come from :mod:`simlib.levers`: the catalogue and the service's know-how move
**utility** (can the service deliver the outcome at all?); agents, skill, MTBF, first-time
fix, recovery time and verification move **warranty** (does it deliver when needed?).
"""

from __future__ import annotations

import ipywidgets as w

from simlib import plots
from simlib.dashboards.base import Dashboard
from simlib.i18n import N_, _
from simlib.scenario import Scenario

__all__ = ["LEVERS", "UtilityWarranty", "utility_warranty_dashboard"]

#: The sliders of the dashboard, by scenario field (their labels and ranges are in simlib.levers).
LEVERS = (
    "know_how",
    "first_line.agents",
    "first_line.skill",
    "first_line.mtbf",
    "first_line.knowledge",
    "continuity.recovery",
    "security.verification",
)


class UtilityWarranty(Dashboard):
    """The catalogue and know-how (utility) and the warranty levers against utility, warranty and value."""

    title = N_("Utility versus warranty")
    intro = N_(
        "<b>Utility</b> (fit for purpose): does the desk support the request, and does the service know how to "
        "resolve it? <b>Warranty</b> (fit for use): does it deliver by the deadline: capacity, skill, availability, "
        "first-time fix, continuity, security? <b>Value</b> = utility &times; warranty: move a lever and watch which "
        "half moves."
    )
    figsize = (11.5, 3.8)
    margins = {"left": 0.06, "right": 0.99, "bottom": 0.17, "top": 0.9, "wspace": 0.5}

    def levers(self) -> list[w.ValueWidget]:
        toggles = self.catalogue_toggles()
        sliders = [self.lever(name) for name in LEVERS]
        f = self.by_field
        self.know_how, self.agents, self.skill, self.mtbf = (f[n] for n in LEVERS[:4])
        self.first_time_fix, self.recovery, self.verification = (f[n] for n in LEVERS[4:])
        return [*toggles, *sliders]

    def changes(self) -> dict:
        """The dotted changes the levers make to the base scenario (only levers moved from the start)."""
        return self.lever_changes()

    def scenario(self) -> Scenario:
        return self.base.replace(**self.changes())

    def pictures(self) -> None:
        a, b, c = self.figure.subplots(1, 3, width_ratios=[1.0, 1.1, 1.2])
        self.live.add(plots.Measures(a, title=_("Value = utility \u00d7 warranty"), fontsize=11))
        # The counts are in the numbers panel above: no text beside the bars (text is dear to redraw).
        self.live.add(plots.Outcomes(b, labels=False, title=_("How the requests ended"), fontsize=11))
        self.live.add(
            plots.Deadlines(c, late_label=False, title=_("Time to outcome against the deadline"), fontsize=11)
        )


def utility_warranty_dashboard(
    scenario: Scenario | str = "service-desk", seed: int = 1, lang: str | None = None
) -> w.Widget:
    """The utility-vs-warranty dashboard, as a widget."""
    return UtilityWarranty(scenario, seed, lang=lang).widget
