"""The knowledge-and-skill dashboard: know-how, first-time fix and skill against utility and warranty."""

from __future__ import annotations

import ipywidgets as w

from simlib import plots
from simlib.dashboards.base import Dashboard
from simlib.i18n import N_, _
from simlib.scenario import Scenario

__all__ = ["KnowledgeSkill", "knowledge_skill_dashboard"]


class KnowledgeSkill(Dashboard):
    """Know-how (utility), first-time fix and skill (warranty): how every request ends, and the three shares."""

    title = N_("Knowledge and skill")
    intro = N_(
        "<b>Know-how</b>: the share of requests the service as a whole (either line) knows how to resolve. "
        "<b>First-time fix</b>: the share of that know-how the first line holds itself; the rest waits again "
        "at the second line. <b>Skill (speed)</b>: how fast the first line works. Which bar moves: utility "
        "or warranty?"
    )
    figsize = (12.5, 4.2)
    margins = {"left": 0.1, "right": 0.99, "bottom": 0.15, "top": 0.92, "wspace": 0.3}

    def levers(self) -> list[w.ValueWidget]:
        return [self.lever("know_how"), self.lever("first_line.knowledge"), self.lever("first_line.skill")]

    def scenario(self) -> Scenario:
        return self.base.replace(**self.lever_changes())

    def pictures(self) -> None:
        a, b = self.figure.subplots(1, 2, width_ratios=[1.3, 1.0])
        self.live.add(plots.Outcomes(a, labels=False, title=_("How every request ended"), fontsize=10))
        self.live.add(plots.Measures(b, title=_("Utility, warranty and value"), fontsize=10))


def knowledge_skill_dashboard(
    scenario: Scenario | str = "service-desk", seed: int = 1, lang: str | None = None
) -> w.Widget:
    """The knowledge-and-skill dashboard, as a widget."""
    return KnowledgeSkill(scenario, seed, lang=lang).widget
