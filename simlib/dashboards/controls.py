"""The learner's controls: one slider per lever, built from the lever table.

Every lever a dashboard offers is described once, in :mod:`simlib.levers`: its label, unit,
range, step and meaning. :func:`lever_slider` turns that description into a slider, so a
lever reads the same on every page: the label (with its unit when the label does not say it),
the range and step of the table, and the meaning as the tooltip. A whole-number lever (agents)
gets an integer slider; any other a float slider showing as many decimals as its step.

Each control carries a CSS class made from its label (:func:`lever_css`), so the browser tests
can find "the skill slider" without knowing how the page is laid out. :func:`slider` is the
one place a slider is made, for the few controls that are not levers (the value map's demand).

**Named for a screen reader.** ipywidgets draws a slider with noUiSlider, whose handle (the
element that takes the keyboard focus, ``role="slider"``) is not tied to the label beside it,
so a screen reader announces a bare number and an accessibility check (axe-core, WCAG 2.1
"ARIA input fields must have an accessible name") fails; its Image widget has no ``alt`` (and
its ``tooltip``, which would give a title, breaks the image's view in ipywidgets 8.1). Neither
library offers an option, so :func:`accessible_names` gives a dashboard a small script that
ties every slider handle to its label and a dashboard's picture to the text describing it
(``aria-labelledby``), now and whenever they are drawn again.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from simlib.i18n import _
from simlib.levers import lever

__all__ = ["SLIDER", "STYLE", "lever_css", "lever_slider", "accessible_names", "slider"]

STYLE = {"description_width": "125px"}
SLIDER = w.Layout(width="375px")


def slider(
    kind: type,
    description: str,
    value: float,
    lo: float,
    hi: float,
    step: float,
    css: str,
    *,
    continuous: bool = True,
    **kw: Any,
) -> w.ValueWidget:
    """A slider for one lever, its value clipped into range, with a CSS class the tests can find.

    ``continuous``: send the value while the handle is dragged (the numbers follow the hand).
    A move costs one simulation and a cheap redraw, so every lever is continuous except those
    that start a long computation (the value map's demand: 100 runs).
    """
    value = min(max(value, lo), hi)
    s = kind(
        value=value,
        min=lo,
        max=hi,
        step=step,
        description=description,
        style=STYLE,
        layout=SLIDER,
        continuous_update=continuous,
        **kw,
    )
    s.add_class(css)
    return s


def lever_css(name: str) -> str:
    """The CSS class of a lever's control: ``simlib-`` and its label, without a bracket ("Skill (speed)": skill)."""
    label = lever(name).label.split("(")[0].strip().lower()
    return "simlib-" + "-".join(label.replace("-", " ").split())


def lever_slider(name: str, value: float, *, continuous: bool = True) -> w.ValueWidget:
    """The slider of the lever that sets field ``name``, as :mod:`simlib.levers` describes it.

    Its label, range, step and meaning (the tooltip) come from the lever table; ``value`` is
    the value in force (clipped into range).
    """
    lv = lever(name)
    if lv.low is None or lv.high is None or lv.step is None:
        raise ValueError(f"lever: {name!r} is not a slider; its kind is {lv.kind!r}")
    shown = lv.unit and lv.unit != "x" and lv.unit.lower() not in lv.label.lower()
    description = f"{_(lv.label)} ({_(lv.unit)})" if shown else _(lv.label)
    if lv.kind == "whole":
        s = slider(w.IntSlider, description, int(round(value)), int(lv.low), int(lv.high), int(lv.step),
                   lever_css(name), continuous=continuous)  # fmt: skip
    else:
        decimals = len(f"{lv.step:g}".partition(".")[2])
        s = slider(w.FloatSlider, description, float(value), lv.low, lv.high, lv.step, lever_css(name),
                   continuous=continuous, readout_format=f".{decimals}f")  # fmt: skip
    s.tooltip = _(lv.meaning)
    return s


# Ties each slider handle to its label (the label gets an id if it has none) and the picture of a
# dashboard (.simlib-dashboard) to its hidden description (.simlib-figure-text). Installed once per
# page; a MutationObserver names what is drawn later.
_NAME_SCRIPT = """
if (!window.simlibAccessibleNames) {
  let next = 0;
  const idOf = el => { if (!el.id) el.id = 'simlib-name-' + (next++); return el.id; };
  const name = () => {
    document.querySelectorAll('.noUi-handle:not([aria-labelledby])').forEach(handle => {
      const box = handle.closest('.widget-slider, .jupyter-widget-slider');
      const label = box && box.querySelector('.widget-label');
      if (label && label.textContent.trim()) handle.setAttribute('aria-labelledby', idOf(label));
    });
    document.querySelectorAll('.simlib-dashboard').forEach(board => {
      const text = board.querySelector('.simlib-figure-text');
      if (!text) return;
      board.querySelectorAll('img.simlib-figure:not([aria-labelledby])').forEach(
        img => img.setAttribute('aria-labelledby', idOf(text)));
    });
  };
  window.simlibAccessibleNames = name;
  new MutationObserver(name).observe(document.body, {childList: true, subtree: true});
}
window.simlibAccessibleNames();
"""


def accessible_names() -> w.Output:
    """An output, empty to the eye, whose script names the sliders and pictures of the page for a screen reader.

    JupyterLab and Voila run a script shown in an Output widget each time the widget is drawn
    (its outputs are trusted), so the names follow the dashboard wherever it is shown.
    """
    from IPython.display import Javascript

    out = w.Output(layout=w.Layout(height="0px", overflow="hidden"))
    out.add_class("simlib-accessible-names")
    out.append_display_data(Javascript(_NAME_SCRIPT))
    return out
