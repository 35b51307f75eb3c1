"""The instructor's dashboard: utility versus warranty on a big screen, the ITIL two-by-two and "break it".

Two rows of buttons:

- **The four quadrants** of ITIL's picture of value, one click each: fit for purpose and for
  use; for purpose, not for use; for use, not for purpose; neither. Each sets every lever (the
  sliders and the catalogue show the values in force) from the scenario's own settings.
- **Break it**: each preset is named for what it breaks, and the concept is in its tooltip.
  A preset that moves a lever moves its slider (the slider shows the value in force; Reset
  repairs it); a preset that changes what happens to the desk (a major disruption, a demand
  spike) is a toggle: press it again to repair it. Presets add up.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import ipywidgets as w

from simlib.dashboards.utility_warranty import UtilityWarranty
from simlib.i18n import N_, _, in_language
from simlib.scenario import Scenario

__all__ = ["BREAK_IT", "HIGH", "LOW", "PRESETS", "QUADRANTS", "InstructorDashboard", "Preset", "instructor_dashboard"]

#: A quadrant's "fit" half is at least HIGH, its "not fit" half at most LOW (means over paired runs).
HIGH = 0.8
LOW = 0.6


@dataclass(frozen=True)
class Preset:
    """One button: what it breaks (or which quadrant it is), in words, and what it does.

    ``levers`` move sliders and toggles (by scenario field; a function of the value in force
    for a relative change); ``changes`` change the scenario where no slider shows it (a toggle).
    """

    name: str
    concept: str
    text: str
    levers: Mapping[str, Any] = field(default_factory=dict)
    changes: Callable[[Scenario], dict[str, Any]] | None = None

    @property
    def toggle(self) -> bool:
        return self.changes is not None


ALL_TYPES = ("password-reset", "incident", "access-request", "software-install", "hardware-repair")
STRONG = {"first_line.agents": 8, "first_line.mtbf": 500.0, "first_line.knowledge": 0.9,
          "security.verification": 1.0}  # fmt: skip
WEAK = {"first_line.agents": 2, "first_line.mtbf": 20.0, "security.verification": 0.0}

#: The ITIL two-by-two: (utility fit?, warranty fit?) and the levers that put the desk there.
QUADRANTS: dict[str, tuple[tuple[bool, bool], Preset]] = {
    p.name: (fit, p)
    for fit, p in (
        ((True, True), Preset(
            N_("Fit for purpose and for use"), N_("utility and warranty"),
            N_("every type supported, the service knows how to resolve all of them, and enough agents with working "
            "systems, first-time fix and full checks deliver them in time"),
            {"catalogue": ALL_TYPES, "know_how": 1.0, **STRONG})),
        ((True, False), Preset(
            N_("For purpose, not for use"), N_("utility without warranty"),
            N_("the service could resolve every request, but two agents on failing systems, with no checks against "
            "impostors, deliver too few in time"),
            {"catalogue": ALL_TYPES, "know_how": 1.0, **WEAK})),
        ((False, True), Preset(
            N_("For use, not for purpose"), N_("warranty without utility"),
            N_("fast and reliable, but the desk supports only password resets and access requests, and knows how to "
            "resolve only half of them"),
            {"catalogue": ("password-reset", "access-request"), "know_how": 0.5, **STRONG})),
        ((False, False), Preset(
            N_("Neither"), N_("neither"),
            N_("a narrow catalogue, half the know-how, one slow agent on failing systems, little first-time fix"),
            {"catalogue": ("password-reset", "incident"), "know_how": 0.5, "first_line.agents": 1,
             "first_line.skill": 0.5, "first_line.mtbf": 20.0, "first_line.knowledge": 0.3,
             "security.verification": 0.0})),
    )
}  # fmt: skip

#: The "break it" presets, named for what they break.
BREAK_IT: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset(
            N_("Major disruption"), N_("continuity"),
            N_("a major disruption stops the whole desk on Tuesday at 10:00, a busy hour, for the recovery time"),
            changes=lambda sc: {"continuity.starts": sorted([*sc.continuity.starts, 34.0])},
        ),
        Preset(N_("Systems outage"), N_("availability"),
               N_("the desk's systems fail every 20 hours on average (MTBF 20 h)"), {"first_line.mtbf": 20.0}),
        Preset(
            N_("Demand spike"), N_("capacity"), N_("external customers send 1.5 times as many requests"),
            changes=lambda sc: {f"customers.{g.name}.rate": g.rate * 1.5 for g in sc.customers if g.kind == "external"},
        ),
        Preset(N_("Agent off sick"), N_("capacity"), N_("one first-line agent fewer"),
               {"first_line.agents": lambda n: n - 1}),
        Preset(N_("Expert leaves the first line"), N_("first-time fix"),
               N_("the first line holds only 30 per cent of the know-how itself: the rest waits for the second line"),
               {"first_line.knowledge": 0.3}),
        Preset(N_("Checks skipped"), N_("security"),
               N_("the first line stops verifying callers: impostors get through"), {"security.verification": 0.0}),
        Preset(N_("Know-how lost"), N_("utility: knowledge"),
               N_("the service can resolve only half of the requests of each type, whichever line gets them"),
               {"know_how": 0.5}),
    )
}  # fmt: skip

#: Every preset by name (the two-by-two, then "break it").
PRESETS: dict[str, Preset] = {**{n: p for n, (_, p) in QUADRANTS.items()}, **BREAK_IT}


class InstructorDashboard(UtilityWarranty):
    """Utility versus warranty for the big screen: the two-by-two, and "break it" presets."""

    title = N_("Service desk: utility, warranty and value")
    figsize = (14.0, 4.2)
    dpi = 88  # drawn at the size it is shown on a classroom screen

    @in_language
    def __init__(self, scenario: Scenario | str = "service-desk", seed: int = 1, *, lang: str | None = None) -> None:
        self.active: set[str] = set()  # the toggles in force
        self.preset_buttons: dict[str, w.Button] = {}
        for name, preset in PRESETS.items():
            button = w.Button(
                description=_(name), tooltip=f"{_(preset.concept)}: {_(preset.text)}", layout=w.Layout(width="auto")
            )
            button.add_class("simlib-quadrant" if name in QUADRANTS else "simlib-preset")
            button.on_click(lambda _, name=name: self.press(name))
            self.preset_buttons[name] = button
        super().__init__(scenario, seed, lang=lang)

    def press(self, name: str) -> None:
        """Apply a preset: a quadrant sets every lever; a break-it preset moves its lever or toggles its change."""
        if name not in PRESETS:
            raise ValueError(f"preset: {name!r} is not a preset; expected one of {', '.join(PRESETS)}")
        preset = PRESETS[name]
        if name in QUADRANTS:
            with self.hold():
                self._clear()
                for c in self.controls[:-1]:  # every lever from the scenario's own settings; the seed stays
                    c.value = self.defaults[id(c)]
                self.set_levers(dict(preset.levers))
            return
        if preset.toggle:
            self.active.symmetric_difference_update({name})
            self.preset_buttons[name].button_style = "danger" if name in self.active else ""
            self.request()
            return
        with self.hold():
            self.set_levers(dict(preset.levers))

    def _clear(self) -> None:
        self.active.clear()
        for button in self.preset_buttons.values():
            button.button_style = ""

    def reset(self) -> None:
        self._clear()
        super().reset()

    def scenario(self) -> Scenario:
        sc = super().scenario()
        for name, preset in BREAK_IT.items():  # in a fixed order, whatever order they were pressed
            if name in self.active:
                sc = sc.replace(**preset.changes(sc))
        return sc

    def layout(self) -> w.Widget:
        title = w.HTML(
            f"<h2 style='margin:0.2em 0'>{html.escape(_(self.title))}</h2><p style='max-width:75em'>"
            + _(
                "One week of an IT service desk. <b>Utility</b> (fit for purpose): the desk supports the request and "
                "the service knows how to resolve it. <b>Warranty</b> (fit for use): it delivers by the deadline. "
                "<b>Value</b> = utility &times; warranty: the share of requests whose desired outcome is achieved. "
                "Move the levers, jump to a quadrant, or break the service:"
            )
            + "</p>"
        )
        quadrants = w.HBox(
            [w.HTML("<b>" + _("The four quadrants:") + "</b>&nbsp;"), *(self.preset_buttons[n] for n in QUADRANTS)],
            layout=w.Layout(flex_flow="row wrap", align_items="center"),
        )
        breaks = w.HBox(
            [
                w.HTML("<b>" + _("Break it:") + "</b>&nbsp;"),
                *(self.preset_buttons[n] for n in BREAK_IT),
                self.reset_button,
            ],
            layout=w.Layout(flex_flow="row wrap", align_items="center"),
        )
        explain = w.HTML(
            "<p style='font-size:90%;margin:0.2em 0'>"
            + " &middot; ".join(
                _("<b>{name}</b> breaks {concept}").format(name=html.escape(_(n)), concept=html.escape(_(p.concept)))
                for n, p in BREAK_IT.items()
            )
            + ". "
            + _("Major disruption and Demand spike are toggles (press again to repair); Reset repairs everything.")
            + "</p>"
        )
        return w.VBox(
            [
                title,
                w.HBox([self.lever_columns(), self.seed], layout=w.Layout(flex_flow="row wrap")),
                quadrants,
                breaks,
                explain,
                self.message,
                self.measures,
                self.image,
            ],
            layout=w.Layout(padding="0 1em"),
        )


def instructor_dashboard(scenario: Scenario | str = "service-desk", seed: int = 1, lang: str | None = None) -> w.Widget:
    """The instructor's dashboard (served full screen by ``make demo``), as a widget; ``lang``: "nl" or "en"."""
    return InstructorDashboard(scenario, seed, lang=lang).widget
