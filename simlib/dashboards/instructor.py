"""The instructor's dashboard: utility versus warranty on a big screen, with "break it" presets."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from simlib.dashboards.utility_warranty import UtilityWarranty
from simlib.scenario import Scenario

__all__ = ["PRESETS", "InstructorDashboard", "instructor_dashboard"]

#: The "break it" presets: what each does to the scenario, in words and as a function.
PRESETS: dict[str, tuple[str, Callable[[Scenario], dict[str, Any]]]] = {
    "Outage": (
        "a major disruption stops the whole desk on Tuesday at 10:00, a busy hour, for the scenario's recovery "
        "time (6 hours in service-desk)",
        lambda sc: {
            "continuity.starts": sorted([*sc.continuity.starts, 34.0]),
            "continuity.recovery": sc.continuity.recovery or 4.0,
        },
    ),
    "Demand spike": (
        "external customers send 1.5 times as many requests",
        lambda sc: {f"customers.{g.name}.rate": g.rate * 1.5 for g in sc.customers if g.kind == "external"},
    ),
    "Agent off sick": ("one first-line agent fewer", lambda sc: {"first_line.agents": sc.first_line.agents - 1}),
    "Knowledge lost": (
        "the first line can resolve only half of every type of request itself (knowledge 0.5)",
        lambda sc: {"first_line.knowledge": 0.5},
    ),
}


class InstructorDashboard(UtilityWarranty):
    """Utility versus warranty for the big screen, with "break it" presets (toggles)."""

    title = "Service desk: utility, warranty and value"
    figsize = (14.0, 4.2)
    dpi = 88  # drawn at the size it is shown on a classroom screen

    def __init__(self, scenario: Scenario | str = "service-desk", seed: int = 1) -> None:
        self.active: set[str] = set()
        self.preset_buttons = {name: w.Button(description=name, tooltip=text) for name, (text, _) in PRESETS.items()}
        for name, button in self.preset_buttons.items():
            button.add_class("simlib-preset")
            button.on_click(lambda _, name=name: self.toggle(name))
        super().__init__(scenario, seed)

    def toggle(self, name: str) -> None:
        """Switch a preset on or off, then run again."""
        if name not in PRESETS:
            raise ValueError(f"preset: {name!r} is not a preset; expected one of {', '.join(PRESETS)}")
        self.active.symmetric_difference_update({name})
        self.preset_buttons[name].button_style = "danger" if name in self.active else ""
        self.request()

    def reset(self) -> None:
        self.active.clear()
        for button in self.preset_buttons.values():
            button.button_style = ""
        super().reset()

    def scenario(self) -> Scenario:
        sc = super().scenario()
        for name in PRESETS:  # in a fixed order, whatever order they were pressed
            if name in self.active:
                sc = sc.replace(**PRESETS[name][1](sc))
        return sc

    def layout(self) -> w.Widget:
        title = w.HTML(
            f"<h2 style='margin:0.2em 0'>{html.escape(self.title)}</h2>"
            "<p style='max-width:70em'>One week of an IT service desk. <b>Utility</b> (fit for purpose): the desk "
            "supports the request and knows how to resolve it. <b>Warranty</b> (fit for use): it delivers by the "
            "deadline. <b>Value</b> = utility &times; warranty: the share of requests whose desired outcome is "
            "achieved. Move the levers, or break the service:</p>"
        )
        explain = w.HTML(
            "<ul style='margin:0;padding-left:1.2em;font-size:90%'>"
            + "".join(f"<li><b>{html.escape(n)}</b>: {html.escape(t)}</li>" for n, (t, _) in PRESETS.items())
            + "<li><b>Reset</b>: everything back to the scenario's own settings</li></ul>"
            "<p style='font-size:90%'>Press a preset again to repair it; presets add up.</p>"
        )
        presets = w.VBox([w.HBox([*self.preset_buttons.values(), self.reset_button]), explain])
        levers = w.VBox(self.controls[:-1])
        return w.VBox(
            [title, w.HBox([levers, w.VBox([self.seed, presets])]), self.message, self.measures, self.image],
            layout=w.Layout(padding="0 1em"),
        )


def instructor_dashboard(scenario: Scenario | str = "service-desk", seed: int = 1) -> w.Widget:
    """The instructor's dashboard (served full screen by ``make demo``), as a widget."""
    return InstructorDashboard(scenario, seed).widget
