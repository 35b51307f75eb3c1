"""What every dashboard shares: the levers, the numbers panel, one live figure, and the timing.

A dashboard is a small class holding the widgets (sliders for the learner's levers, a seed,
a Reset button), a *pure* :meth:`Dashboard.scenario` that maps the widget values to a
:class:`~simlib.scenario.Scenario`, and the pictures it shows (from :mod:`simlib.plots`).

**Numbers first, pictures after.** A move runs the scenario and puts the headline numbers
and the outcome counts on the page (the *numbers panel*) as soon as the simulation ends;
only then is the figure redrawn. Each figure is built once; a move updates its artists in
place and redraws only what moved (:class:`simlib.plots.LiveFigure`).

**Following the hand.** When a move comes from the browser (a widget message to the
kernel), the work is not done inside the message handler but queued on the kernel's event
loop: moves that arrive while one is being worked on are coalesced (the latest position
wins, the stale ones are dropped), the numbers of the latest position come first, and the
picture is drawn once nobody is waiting for numbers. Anywhere else (a notebook cell, a
test, a script) a move updates everything at once, so code can read the result right away.

A student never sees a traceback: a setting the model refuses shows its plain message in
the dashboard; anything unexpected is logged and shown as a short apology.

The sliders are built in :mod:`simlib.dashboards.controls`, the numbers panel in
:mod:`simlib.dashboards.numbers`; their names are importable from here too.
"""

from __future__ import annotations

import asyncio
import functools
import html
import logging
import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import ipywidgets as w

from simlib import plots

# The controls and the numbers panel have rooms of their own; their names are importable from here too.
from simlib.dashboards.controls import SLIDER as SLIDER
from simlib.dashboards.controls import STYLE, accessible_names, lever_css, lever_slider, slider
from simlib.dashboards.numbers import measures_html, numbers_html
from simlib.i18n import _, error, in_language, language, measure_label
from simlib.levers import lever
from simlib.model import simulate
from simlib.plots import pct
from simlib.result import Result
from simlib.scenario import Scenario, load_scenario

__all__ = ["Dashboard", "lever_css", "lever_slider", "measures_html", "numbers_html", "run", "slider"]

log = logging.getLogger("simlib.dashboards")

#: Seconds the picture waits after the numbers, so that a move already on its way is taken first.
PICTURE_DELAY = 0.01
#: While moves come faster than this (seconds apart), a picture whose scale must change (the
#: whole figure drawn, ten times dearer than a move) waits for the hand to rest: it would hold
#: up the numbers of the next move.
SETTLE = 0.15


@functools.lru_cache(maxsize=512)
def run(scenario: Scenario, seed: int, keep_requests: bool = True) -> Result:
    """:func:`simlib.simulate`, remembered: a setting seen before shows at once."""
    return simulate(scenario, seed=seed, keep_requests=keep_requests)


def _browser_loop() -> asyncio.AbstractEventLoop | None:
    """The kernel's event loop if the code running now handles a widget message from the browser.

    Inside a notebook cell, a test or a script: ``None`` (update at once).
    """
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return None
    try:
        from IPython import get_ipython

        kernel = getattr(get_ipython(), "kernel", None)
        kind = kernel.get_parent()["header"]["msg_type"] if kernel is not None else ""
    except Exception:  # noqa: BLE001 - no kernel, or one that keeps no parent: update at once
        return None
    return loop if str(kind).startswith("comm_") else None


class Dashboard:
    """The common parts: a seed, Reset, a message line, the numbers panel, and one live figure.

    A subclass lists its levers in :meth:`levers`, maps them to a scenario in
    :meth:`scenario`, builds its pictures in :meth:`pictures` (once) and, if it needs more
    than the pictures' own update, shows a result in :meth:`show`.
    """

    title = "simlib"  # marked with N_() in subclasses, translated when shown
    intro = ""
    figsize: tuple[float, float] = (12.0, 4.0)
    dpi = 72
    margins: dict[str, float] = {"left": 0.06, "right": 0.98, "bottom": 0.16, "top": 0.9, "wspace": 0.35}
    measure_names: tuple[str, ...] = ("utility", "warranty", "value")
    png_level = 1  # zlib level of the PNG: level 1 is the fastest that keeps the image small (bench_widgets)

    @in_language
    def __init__(self, scenario: Scenario | str = "service-desk", seed: int = 1, *, lang: str | None = None) -> None:
        self.lang = language(lang)  # every text of the dashboard, and its callbacks, in this language
        self.base = load_scenario(scenario) if isinstance(scenario, str) else scenario
        self.by_field: dict[str, w.ValueWidget] = {}  # the lever sliders, by the scenario field they set
        self.catalogue: dict[str, w.ToggleButton] = {}  # the catalogue's toggles, by request type
        self.result: Result | None = None
        self.live = plots.LiveFigure(self.figsize, self.dpi, self.margins)
        self.figure = self.live.figure
        self.image = w.Image(
            format="png", layout=w.Layout(width="100%", max_width=f"{self.figsize[0] * self.dpi:.0f}px")
        )
        self.image.add_class("simlib-figure")
        self.figure_text = w.HTML(layout=w.Layout(display="none"))  # what the picture shows, in words
        self.figure_text.add_class("simlib-figure-text")
        self.message = w.HTML()
        self.message.add_class("simlib-message")
        self.measures = w.HTML()  # the numbers panel: measures and outcome counts
        self.measures.add_class("simlib-measures")
        self.seed = w.IntText(value=seed, description=_("Seed"), style=STYLE, layout=w.Layout(width="200px"))
        self.reset_button = w.Button(description=_("Reset"), tooltip=_("back to the scenario's own settings"))
        self.reset_button.on_click(lambda _: self.reset())
        self.controls: list[w.ValueWidget] = [*self.levers(), self.seed]
        self.defaults = {id(c): c.value for c in self.controls}
        self._held = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._numbers_due = False  # a move waits for its numbers
        self._picture_due = False  # the numbers shown wait for their picture
        self._last_move = 0.0
        self.moves = 0  # moves asked for
        self.runs = 0  # settings actually run (fewer than moves when moves were coalesced)
        self.timings: dict[str, float] = {}  # the last update's phases, in seconds (benchmarks read them)
        for c in self.controls:
            c.observe(self._changed, names="value")
        self.pictures()
        self.widget = self.layout()
        # For a screen reader: the picture's description (kept hidden) and the script naming sliders and picture.
        self.widget.children = (*self.widget.children, self.figure_text, accessible_names())
        self.widget.add_class("simlib-dashboard")
        self.update()

    # ------------------------------------------------------------------ for subclasses

    def levers(self) -> list[w.ValueWidget]:
        """The sliders of this dashboard, built from ``self.base``."""
        raise NotImplementedError

    def scenario(self) -> Scenario:
        """The scenario the widgets describe now (pure: reads widget values, runs nothing)."""
        raise NotImplementedError

    def pictures(self) -> None:
        """Build the pictures once, on ``self.live`` (``self.figure``); called before the first update."""
        raise NotImplementedError

    def show(self, result: Result) -> None:
        """Put ``result`` in the pictures (the default: every :class:`~simlib.plots.Picture` updates)."""
        self.live.update(result)

    def layout(self) -> w.Widget:
        title = w.HTML(f"<h3 style='margin:0.2em 0'>{html.escape(_(self.title))}</h3><p>{_(self.intro)}</p>")
        side = w.VBox([self.seed, self.reset_button])
        return w.VBox([title, w.HBox([self.lever_columns(), side]), self.message, self.measures, self.image])

    def lever_columns(self) -> w.Widget:
        """The levers in columns by the half of value they move: utility, then warranty, then the rest."""
        utility: list[w.Widget] = []
        warranty: list[w.Widget] = []
        if self.catalogue:
            utility.append(w.HTML(f"<span style='font-size:90%'>{html.escape(_(lever('catalogue').label))}:</span>"))
            utility.append(w.HBox(list(self.catalogue.values()), layout=w.Layout(flex_flow="row wrap", width="375px")))
        for name, control in self.by_field.items():
            (utility if lever(name).half == "utility" else warranty).append(control)
        known = {id(c) for c in (*self.by_field.values(), *self.catalogue.values(), self.seed)}
        rest = [c for c in self.controls if id(c) not in known]
        columns = []
        for head, items in ((_("Utility: fit for purpose"), utility), (_("Warranty: fit for use"), warranty)):
            if items:
                columns.append(w.VBox([w.HTML(f"<b>{head}</b>"), *items]))
        if rest:
            situation = _("The situation")
            columns.append(w.VBox([w.HTML(f"<b>{situation}</b>") if columns else w.HTML(), *rest]))
        return w.HBox(columns, layout=w.Layout(flex_flow="row wrap"))

    # ------------------------------------------------------------------ helpers

    def moved(self, control: w.ValueWidget) -> bool:
        """Whether ``control`` has left its first value (only moved levers change the scenario)."""
        return control.value != self.defaults[id(control)]

    def in_force(self, name: str) -> float:
        """The base scenario's value of lever ``name``.

        A table per type (know-how, first-time fix) shows as its mean over the catalogue, on the
        slider's steps; the table itself stays in force until the slider is moved.
        """
        value: Any = self.base
        for part in name.split("."):
            value = getattr(value, part)
        lv = lever(name)
        if hasattr(value, "items"):  # a table per type: its mean over the catalogue, on the slider's steps
            values = [value[t] for t in self.base.catalogue if t in value] or list(value.values())
            mean = sum(values) / len(values)
            # A browser puts a slider on its steps, so the first value must be on one too, or the page
            # would send back a value never chosen; the table stays in force until the slider is moved.
            step = lv.step or 0.01
            return round(round(mean / step) * step, 6)
        if not math.isfinite(value):  # e.g. systems that never fail: the top of the slider
            return float(lv.high)
        return value

    def lever(self, name: str, *, continuous: bool = True) -> w.ValueWidget:
        """The slider of lever ``name`` (:mod:`simlib.levers`) at the value in force; :meth:`lever_changes` reads it."""
        control = lever_slider(name, self.in_force(name), continuous=continuous)
        self.by_field[name] = control
        return control

    def catalogue_toggles(self) -> list[w.ToggleButton]:
        """One toggle per request type the customers ask for: pressed when the desk supports it (utility)."""
        meaning = lever("catalogue").meaning
        for t in self.base.types:
            toggle = w.ToggleButton(
                value=t.name in self.base.catalogue, description=t.name, tooltip=f"{t.name}: {_(meaning)}",
                layout=w.Layout(width="auto"),
            )  # fmt: skip
            toggle.add_class("simlib-catalogue")
            toggle.add_class(f"simlib-catalogue-{t.name}")
            self._style_toggle(toggle)
            toggle.observe(lambda change: self._style_toggle(change["owner"]), names="value")
            self.catalogue[t.name] = toggle
        return list(self.catalogue.values())

    @staticmethod
    def _style_toggle(toggle: w.ToggleButton) -> None:
        """A supported type shows in blue, the colour of utility; one left out stays plain."""
        toggle.button_style = "primary" if toggle.value else ""

    def lever_changes(self) -> dict[str, Any]:
        """The dotted changes the lever sliders and the catalogue make to the base (only what was moved)."""
        out: dict[str, Any] = {}
        for name, control in self.by_field.items():
            if self.moved(control):
                step = lever(name).step or 1
                decimals = len(f"{step:g}".partition(".")[2])
                value = control.value
                out[name] = value if isinstance(value, int) else round(float(value), decimals)
        if any(self.moved(t) for t in self.catalogue.values()):
            out["catalogue"] = [name for name, t in self.catalogue.items() if t.value]
            if "know_how" not in out:  # a type added to the catalogue takes the know-how in force
                know = self.base.know_how
                fill = self.in_force("know_how")
                out["know_how"] = {t: know.get(t, fill) for t in out["catalogue"]} if out["catalogue"] else fill
        return out

    def set_levers(self, values: dict[str, Any]) -> None:
        """Move sliders and toggles to ``values`` (by field; ``catalogue``: the types supported); no update."""
        for name, value in values.items():
            if name == "catalogue":
                for t, toggle in self.catalogue.items():
                    toggle.value = t in value
            elif name in self.by_field:
                control = self.by_field[name]
                control.value = min(max(value(control.value) if callable(value) else value, control.min), control.max)
            else:
                raise ValueError(f"lever: {name!r} has no control on this dashboard; it has {', '.join(self.by_field)}")

    # ------------------------------------------------------------------ behaviour

    def _changed(self, change: dict[str, Any]) -> None:
        if not self._held:
            self.request()

    @contextmanager
    def hold(self) -> Iterator[None]:
        """Change several widgets, then update once."""
        self._held = True
        try:
            yield
        finally:
            self._held = False
        self.request()

    def reset(self) -> None:
        """Every control back to its first value."""
        with self.hold():
            for c in self.controls:
                c.value = self.defaults[id(c)]

    def simulate(self) -> Result:
        return run(self.scenario(), self.seed.value)

    def request(self) -> None:
        """A move: update at once, or, for a move from the browser, queue it (see the module)."""
        self.moves += 1
        self._last_move = time.perf_counter()
        loop = _browser_loop()
        if loop is None:
            self.update()
            return
        self._loop = loop
        if not self._numbers_due:  # a move already queued will read the latest widget values
            self._numbers_due = True
            loop.call_soon(self._numbers_job)

    def update(self) -> None:
        """Run the current setting and show it: the numbers first, then the picture."""
        if self.numbers():
            self.picture()

    @in_language
    def numbers(self) -> bool:
        """Run the current setting and show its numbers; ``False`` (and a message) if it cannot run."""
        t0 = time.perf_counter()
        try:
            result = self.simulate()
        except ValueError as err:
            self._say(_("This setting cannot run: {error}. Change it back, or press Reset.").format(error=error(err)))
            return False
        except Exception:  # noqa: BLE001 - a student must never see a traceback
            log.exception("simlib dashboard %s failed", type(self).__name__)
            self._say(_("Something went wrong with this setting. Press Reset to start again."))
            return False
        t1 = time.perf_counter()
        self.runs += 1
        self.result = result
        self.measures.value = numbers_html(result, self.measure_names)
        self.message.value = ""
        self.timings = {"simulate": t1 - t0, "numbers": time.perf_counter() - t0}
        return True

    @in_language
    def picture(self, settle: bool = False) -> bool:
        """Show the current result in the figure and send it to the page as PNG.

        With ``settle``, a picture that must be drawn whole while the hand still moves is not
        drawn (``False``): the caller asks again once the moves have paused (see :data:`SETTLE`).
        """
        if self.result is None:
            return True
        t0 = time.perf_counter()
        try:
            self.show(self.result)
            if settle and self.live.stale and time.perf_counter() - self._last_move < SETTLE:
                return False
            png = self.live.png(self.png_level)
        except Exception:  # noqa: BLE001 - a student must never see a traceback
            log.exception("simlib dashboard %s could not draw", type(self).__name__)
            self._say(_("Something went wrong with this setting. Press Reset to start again."))
            return True
        self.image.value = png
        self.figure_text.value = html.escape(
            f"{_(self.title)}: "
            + ", ".join(f"{measure_label(n)} {pct(self.result.measures.get(n, math.nan))}" for n in self.measure_names)
        )
        self.timings["picture"] = time.perf_counter() - t0
        return True

    def _numbers_job(self) -> None:
        self._numbers_due = False
        if self.numbers() and not self._picture_due:
            self._picture_due = True
            self._loop.call_later(PICTURE_DELAY, self._picture_job)

    def _picture_job(self) -> None:
        self._picture_due = False
        if self._numbers_due:  # a newer move is queued: its numbers first; it asks for the picture again
            return
        if not self.picture(settle=True):
            self._picture_due = True
            self._loop.call_later(SETTLE, self._picture_job)

    def _say(self, text: str) -> None:
        self.result = None
        self.measures.value = numbers_html(None, self.measure_names)
        self.message.value = f'<div style="color:#8B2500;font-weight:bold;padding:0.3em 0">{html.escape(text)}</div>'

    @in_language
    def shown(self) -> dict[str, str]:
        """The measures the dashboard shows, as text, by name (what a student reads)."""
        if self.message.value or self.result is None:
            return {}
        return {n: pct(self.result.measures.get(n, math.nan)) for n in self.measure_names}
