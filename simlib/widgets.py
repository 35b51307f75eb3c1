"""Dashboards: move a capability, the service desk runs again, and utility, warranty and value move.

Each dashboard is a small class holding the widgets (sliders for the learner's levers, a seed,
a Reset button), a *pure* :meth:`Dashboard.scenario` that maps the widget values to a
:class:`~simlib.scenario.Scenario`, and :meth:`Dashboard.update`, which simulates that
scenario and redraws one matplotlib figure into an image. A function builds each one and
returns the widget to display::

    import simlib.widgets
    simlib.widgets.utility_warranty()        # in a notebook cell

- :func:`utility_warranty`: capacity, knowledge, skill, availability and demand against
  utility, warranty and value, the outcomes, and the time to outcome against the deadline;
- :func:`value_map`: value over capacity x knowledge: neither lever alone creates value;
- :func:`availability`: outages and a major disruption, and the queue they leave behind;
- :func:`internal_external`: the second line, an internal service, seen through the
  outcomes of the external customers;
- :func:`instructor_dashboard`: the utility-vs-warranty dashboard with "break it" presets,
  for a class on a big screen (``make demo`` serves it with Voila).

A student never sees a traceback: a setting the model refuses shows its plain message in the
dashboard; anything unexpected is logged and shown as a short apology. The figure is drawn
off-screen (Agg) and pushed as PNG bytes, so the dashboards work the same in JupyterLab and
in Voila and do not flicker.
"""

from __future__ import annotations

import functools
import html
import io
import logging
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import ipywidgets as w
from matplotlib.figure import Figure

from simlib import plots
from simlib.model import simulate
from simlib.result import Result
from simlib.scenario import Scenario, load_scenario

__all__ = [
    "PRESETS",
    "Availability",
    "Dashboard",
    "InstructorDashboard",
    "InternalExternal",
    "UtilityWarranty",
    "ValueMap",
    "availability",
    "instructor_dashboard",
    "internal_external",
    "run",
    "utility_warranty",
    "value_map",
]

log = logging.getLogger(__name__)

STYLE = {"description_width": "110px"}
SLIDER = w.Layout(width="360px")


@functools.lru_cache(maxsize=512)
def run(scenario: Scenario, seed: int, keep_requests: bool = True) -> Result:
    """:func:`simlib.simulate`, remembered: a setting seen before shows at once."""
    return simulate(scenario, seed=seed, keep_requests=keep_requests)


def _pct(x: float) -> str:
    return "n/a" if math.isnan(x) else f"{x:.1%}"


def measures_html(result: Result | None, names: tuple[str, ...] = ("utility", "warranty", "value")) -> str:
    """The headline measures as HTML: one ``<span class="simlib-measure" data-measure=...>`` each.

    Without a result (the setting could not run) every measure shows a dash, so that no old
    number is read as the answer for the new setting.
    """
    cells = []
    for name in names:
        text = "\u2013" if result is None else _pct(result.measures.get(name, math.nan))
        colour = plots.COLOURS.get(name.split(".")[0], plots.OKABE_ITO["black"])
        label = name.replace(".", " ")
        cells.append(
            f'<div style="display:inline-block;margin-right:2.5em">'
            f'<div style="font-size:90%;color:#444">{html.escape(label)}</div>'
            f'<span class="simlib-measure" data-measure="{html.escape(name)}" '
            f'style="font-size:200%;font-weight:bold;color:{colour}">{text}</span>'
            f"</div>"
        )
    return "".join(cells)


class Dashboard:
    """The common parts: a seed, Reset, a message line, the measures, and one figure.

    A subclass lists its levers in :meth:`levers`, maps them to a scenario in
    :meth:`scenario`, and draws a result in :meth:`draw`.
    """

    title = "simlib"
    intro = ""
    figsize: tuple[float, float] = (12.0, 4.0)
    dpi = 72
    margins: dict[str, float] = {"left": 0.06, "right": 0.98, "bottom": 0.16, "top": 0.9, "wspace": 0.35}
    measure_names: tuple[str, ...] = ("utility", "warranty", "value")

    def __init__(self, scenario: Scenario | str = "service-desk", seed: int = 1) -> None:
        self.base = load_scenario(scenario) if isinstance(scenario, str) else scenario
        self.result: Result | None = None
        self.figure = Figure(figsize=self.figsize, dpi=self.dpi)  # fixed margins: a layout engine costs ~100 ms
        self.image = w.Image(
            format="png", layout=w.Layout(width="100%", max_width=f"{self.figsize[0] * self.dpi:.0f}px")
        )
        self.message = w.HTML()
        self.message.add_class("simlib-message")
        self.measures = w.HTML()
        self.measures.add_class("simlib-measures")
        self.seed = w.IntText(value=seed, description="Seed", style=STYLE, layout=w.Layout(width="200px"))
        self.reset_button = w.Button(description="Reset", tooltip="back to the scenario's own settings")
        self.reset_button.on_click(lambda _: self.reset())
        self.controls: list[w.ValueWidget] = [*self.levers(), self.seed]
        self.defaults = {id(c): c.value for c in self.controls}
        self._held = False
        for c in self.controls:
            c.observe(self._changed, names="value")
        self.widget = self.layout()
        self.update()

    # ------------------------------------------------------------------ for subclasses

    def levers(self) -> list[w.ValueWidget]:
        """The sliders of this dashboard, built from ``self.base``."""
        raise NotImplementedError

    def scenario(self) -> Scenario:
        """The scenario the widgets describe now (pure: reads widget values, runs nothing)."""
        raise NotImplementedError

    def draw(self, result: Result) -> None:
        """Draw ``result`` on ``self.figure`` (already cleared)."""
        raise NotImplementedError

    def layout(self) -> w.Widget:
        title = w.HTML(f"<h3 style='margin:0.2em 0'>{html.escape(self.title)}</h3><p>{self.intro}</p>")
        levers = w.VBox(self.controls[:-1])
        side = w.VBox([self.seed, self.reset_button])
        return w.VBox([title, w.HBox([levers, side]), self.message, self.measures, self.image])

    # ------------------------------------------------------------------ behaviour

    def _changed(self, change: dict[str, Any]) -> None:
        if not self._held:
            self.update()

    @contextmanager
    def hold(self) -> Iterator[None]:
        """Change several widgets, then update once."""
        self._held = True
        try:
            yield
        finally:
            self._held = False
        self.update()

    def reset(self) -> None:
        """Every control back to its first value."""
        with self.hold():
            for c in self.controls:
                c.value = self.defaults[id(c)]

    def simulate(self) -> Result:
        return run(self.scenario(), self.seed.value)

    def update(self) -> None:
        """Run the current setting and show it; a refused setting shows a message, never a traceback."""
        try:
            result = self.simulate()
            self.figure.clear()
            self.draw(result)
            self.figure.subplots_adjust(**self.margins)
            buffer = io.BytesIO()
            self.figure.savefig(buffer, format="png", dpi=self.dpi, pil_kwargs={"compress_level": 1})
        except ValueError as error:
            self._say(f"This setting cannot run: {error}. Change it back, or press Reset.")
            return
        except Exception:  # noqa: BLE001 - a student must never see a traceback
            log.exception("simlib dashboard %s failed", type(self).__name__)
            self._say("Something went wrong with this setting. Press Reset to start again.")
            return
        self.result = result
        self.image.value = buffer.getvalue()
        self.measures.value = measures_html(result, self.measure_names)
        self.message.value = ""

    def _say(self, text: str) -> None:
        self.result = None
        self.measures.value = measures_html(None, self.measure_names)
        self.message.value = f'<div style="color:#8B2500;font-weight:bold;padding:0.3em 0">{html.escape(text)}</div>'

    def shown(self) -> dict[str, str]:
        """The measures the dashboard shows, as text, by name (what a student reads)."""
        if self.message.value or self.result is None:
            return {}
        return {n: _pct(self.result.measures.get(n, math.nan)) for n in self.measure_names}


def _slider(kind: type, description: str, value: float, lo: float, hi: float, step: float, css: str, **kw: Any):
    value = min(max(value, lo), hi)
    s = kind(
        value=value,
        min=lo,
        max=hi,
        step=step,
        description=description,
        style=STYLE,
        layout=SLIDER,
        continuous_update=False,
        **kw,
    )
    s.add_class(css)
    return s


def _knowledge(team: Any, catalogue: tuple[str, ...]) -> float:
    values = [team.knowledge[t] for t in catalogue if t in team.knowledge] or list(team.knowledge.values())
    return round(sum(values) / len(values), 2)


# ---------------------------------------------------------------------- utility vs warranty


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
        self.agents = _slider(w.IntSlider, "Agents", fl.agents, 1, 15, 1, "simlib-agents")
        self.knowledge = _slider(
            w.FloatSlider, "Knowledge", _knowledge(fl, self.base.catalogue), 0, 1, 0.05, "simlib-knowledge",
            readout_format=".2f",
        )  # fmt: skip
        self.skill = _slider(w.FloatSlider, "Skill (speed)", fl.skill, 0.5, 2.0, 0.05, "simlib-skill")
        self.mtbf = _slider(w.FloatSlider, "MTBF (hours)", mtbf, 10, 500, 5, "simlib-mtbf", readout_format=".0f")
        self.demand = _slider(w.FloatSlider, "Demand (x)", 1.0, 0.25, 3.0, 0.05, "simlib-demand")
        return [self.agents, self.knowledge, self.skill, self.mtbf, self.demand]

    def changes(self) -> dict[str, Any]:
        """The dotted changes the levers make to the base scenario (only levers moved from the start)."""
        out: dict[str, Any] = {}
        moved = {id(c) for c in self.controls if c.value != self.defaults[id(c)]}
        if id(self.agents) in moved:
            out["first_line.agents"] = self.agents.value
        if id(self.knowledge) in moved:
            out["first_line.knowledge"] = round(float(self.knowledge.value), 2)  # a browser may send 0.6000000000000001
        if id(self.skill) in moved:
            out["first_line.skill"] = round(float(self.skill.value), 2)
        if id(self.mtbf) in moved:
            out["first_line.mtbf"] = float(self.mtbf.value)
        if id(self.demand) in moved:
            for g in self.base.customers:
                out[f"customers.{g.name}.rate"] = g.rate * round(self.demand.value, 2)
        return out

    def scenario(self) -> Scenario:
        return self.base.replace(**self.changes())

    def draw(self, result: Result) -> None:
        a, b, c = self.figure.subplots(1, 3, width_ratios=[1.0, 1.1, 1.2])
        plots.measures(result, a).set_title("Value = utility \u00d7 warranty", fontsize=11)
        plots.outcomes(result, b).set_title("How the requests ended", fontsize=11)
        plots.deadlines(result, c).set_title("Time to outcome against the deadline", fontsize=11)


def utility_warranty(scenario: Scenario | str = "service-desk", seed: int = 1) -> w.Widget:
    """The utility-vs-warranty dashboard, as a widget."""
    return UtilityWarranty(scenario, seed).widget


# ---------------------------------------------------------------------- instructor


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
    dpi = 88  # drawn at the size it is shown on a classroom screen: sharp, and still under 150 ms

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
        self.update()

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


# ---------------------------------------------------------------------- value map


class ValueMap(Dashboard):
    """Value over first-line agents x knowledge; the current setting is circled."""

    title = "The value map: capacity and knowledge"
    intro = (
        "Each square is one week simulated with that many agents and that much knowledge. Value is high only "
        "where <b>both</b> are: agents without knowledge give warranty without utility, knowledge without agents "
        "the reverse."
    )
    figsize = (12.0, 4.6)
    margins = {"left": 0.09, "right": 0.99, "bottom": 0.12, "top": 0.92, "wspace": 0.25}
    AGENTS = tuple(range(2, 12))
    KNOWLEDGE = tuple(round(0.1 * i, 1) for i in range(1, 11))

    def levers(self) -> list[w.ValueWidget]:
        fl = self.base.first_line
        self.agents = _slider(w.IntSlider, "Agents", fl.agents, self.AGENTS[0], self.AGENTS[-1], 1, "simlib-agents")
        k = round(_knowledge(fl, self.base.catalogue), 1)
        self.knowledge = _slider(w.FloatSlider, "Knowledge", k, 0.1, 1.0, 0.1, "simlib-knowledge", readout_format=".1f")
        self.demand = _slider(w.FloatSlider, "Demand (x)", 1.0, 0.5, 2.0, 0.1, "simlib-demand")
        return [self.agents, self.knowledge, self.demand]

    def at(self, agents: int, knowledge: float) -> Scenario:
        """The scenario of one square of the map (demand from its slider)."""
        changes: dict[str, Any] = {"first_line.agents": agents, "first_line.knowledge": float(knowledge)}
        if self.demand.value != 1.0:
            for g in self.base.customers:
                changes[f"customers.{g.name}.rate"] = g.rate * round(self.demand.value, 1)
        return self.base.replace(**changes)

    def scenario(self) -> Scenario:
        return self.at(self.agents.value, round(self.knowledge.value, 1))

    def grid(self) -> list[list[float]]:
        """Value on every square: rows are knowledge, columns agents (cached per setting and seed)."""
        return [
            [run(self.at(a, k), self.seed.value, keep_requests=False).value for a in self.AGENTS]
            for k in self.KNOWLEDGE
        ]

    def draw(self, result: Result) -> None:
        a, b = self.figure.subplots(1, 2, width_ratios=[1.6, 1.0])
        plots.value_map(
            self.AGENTS, self.KNOWLEDGE, self.grid(), a, mark=(self.agents.value, self.knowledge.value), colorbar=False
        )
        plots.measures(result, b)
        b.set_title("At the circled setting", fontsize=10)
        a.title.set_fontsize(10)


def value_map(scenario: Scenario | str = "service-desk", seed: int = 1) -> w.Widget:
    """The value-map dashboard, as a widget."""
    return ValueMap(scenario, seed).widget


# ---------------------------------------------------------------------- availability


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
        self.agents = _slider(w.IntSlider, "Agents", fl.agents, 1, 15, 1, "simlib-agents")
        self.mtbf = _slider(w.FloatSlider, "MTBF (hours)", mtbf, 5, 500, 5, "simlib-mtbf", readout_format=".0f")
        self.mtrs = _slider(w.FloatSlider, "MTRS (hours)", fl.mtrs, 0.25, 12, 0.25, "simlib-mtrs")
        self.disruption = _slider(
            w.FloatSlider, "Disruption at (h)", -1, -1, self.base.horizon - 1, 1, "simlib-disruption",
            readout_format=".0f",
        )  # fmt: skip
        self.disruption.tooltip = "-1: no extra disruption; 34 is Tuesday 10:00"
        self.recovery = _slider(
            w.FloatSlider, "Recovery (hours)", self.base.continuity.recovery or 4.0, 0.5, 24, 0.5, "simlib-recovery"
        )
        return [self.agents, self.mtbf, self.mtrs, self.disruption, self.recovery]

    def scenario(self) -> Scenario:
        moved = {id(c) for c in self.controls if c.value != self.defaults[id(c)]}
        changes: dict[str, Any] = {}
        for control, name in ((self.agents, "first_line.agents"), (self.mtbf, "first_line.mtbf")):
            if id(control) in moved:
                changes[name] = control.value
        if id(self.mtrs) in moved:
            changes["first_line.mtrs"] = self.mtrs.value
        if self.disruption.value >= 0:
            changes["continuity.starts"] = sorted([*self.base.continuity.starts, float(self.disruption.value)])
        if id(self.recovery) in moved or "continuity.starts" in changes:
            changes["continuity.recovery"] = self.recovery.value
        return self.base.replace(**changes)

    def draw(self, result: Result) -> None:
        a, b = self.figure.subplots(1, 2, width_ratios=[3.0, 1.0])
        plots.queue(result, a)
        plots.measures(result, b)
        b.set_title(f"Value {_pct(result.value)}", fontsize=10)
        a.title.set_fontsize(10)


def availability(scenario: Scenario | str = "service-desk", seed: int = 1) -> w.Widget:
    """The availability-and-continuity dashboard, as a widget."""
    return Availability(scenario, seed).widget


# ---------------------------------------------------------------------- internal and external


class InternalExternal(Dashboard):
    """The second line, an internal service, seen through the external customers' outcomes."""

    title = "Internal and external services"
    intro = (
        "External customers are served by the first line. What it cannot resolve it escalates to the "
        "<b>second line</b>: an <i>internal</i> service whose customer is the first line. Size the second line "
        "(0 = there is none) and break its systems, and see what the <i>external</i> customers get."
    )
    figsize = (12.5, 4.2)
    margins = {"left": 0.07, "right": 0.99, "bottom": 0.15, "top": 0.92, "wspace": 0.25}

    def levers(self) -> list[w.ValueWidget]:
        sl = self.base.second_line
        agents = sl.agents if sl is not None else 0
        mtbf = sl.mtbf if sl is not None and math.isfinite(sl.mtbf) else 500.0
        fl = self.base.first_line
        self.second_agents = _slider(w.IntSlider, "2nd-line agents", agents, 0, 6, 1, "simlib-second-agents")
        self.second_mtbf = _slider(
            w.FloatSlider, "2nd-line MTBF (h)", mtbf, 5, 500, 5, "simlib-second-mtbf", readout_format=".0f"
        )
        self.knowledge = _slider(
            w.FloatSlider, "1st-line knowledge", _knowledge(fl, self.base.catalogue), 0, 1, 0.05, "simlib-knowledge",
            readout_format=".2f",
        )  # fmt: skip
        return [self.second_agents, self.second_mtbf, self.knowledge]

    @property
    def measure_names(self) -> tuple[str, ...]:  # type: ignore[override]
        return ("value", *(f"attainment.{g.name}" for g in self.base.customers))

    def scenario(self) -> Scenario:
        moved = {id(c) for c in self.controls if c.value != self.defaults[id(c)]}
        changes: dict[str, Any] = {}
        if id(self.second_agents) in moved:
            changes["second_line.agents"] = self.second_agents.value
        if id(self.second_mtbf) in moved and self.second_agents.value > 0:
            changes["second_line.mtbf"] = float(self.second_mtbf.value)
        if id(self.knowledge) in moved:
            changes["first_line.knowledge"] = round(float(self.knowledge.value), 2)
        return self.base.replace(**changes)

    def draw(self, result: Result) -> None:
        a, b = self.figure.subplots(1, 2, width_ratios=[1.0, 1.1])
        plots.groups(result, a)
        plots.outcomes(result, b, kind="external")
        m = result.measures
        if "utilisation.second_line" in m:
            line = (
                f"second line busy {m['utilisation.second_line']:.0%}, available {_pct(m['availability.second_line'])}"
            )
        else:
            line = "no second line: what the first line cannot resolve stays unresolved"
        a.set_title(f"What each group gets ({line})", fontsize=10)
        b.title.set_fontsize(10)


def internal_external(scenario: Scenario | str = "service-desk", seed: int = 1) -> w.Widget:
    """The internal-and-external dashboard, as a widget."""
    return InternalExternal(scenario, seed).widget
