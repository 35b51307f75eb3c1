"""The learner's controls: one slider per lever, built from the lever table.

Every lever a dashboard offers is described once, in :mod:`simlib.levers`: its label, unit,
range, step and meaning. :func:`lever_slider` turns that description into a slider, so a
lever reads the same on every page: the label (with its unit when the label does not say it),
the range and step of the table, and the meaning as the tooltip. A whole-number lever (agents)
gets an integer slider; any other a float slider showing as many decimals as its step.

Each control carries a CSS class made from its label (:func:`lever_css`), so the browser tests
can find "the skill slider" without knowing how the page is laid out. :func:`slider` is the
one place a slider is made, for the few controls that are not levers (the value map's demand).
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from simlib.i18n import _
from simlib.levers import lever

__all__ = ["SLIDER", "STYLE", "lever_css", "lever_slider", "slider"]

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
