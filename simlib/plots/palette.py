"""The kit's colours and the small helpers every picture shares.

Colours come from the Okabe-Ito palette, which people with the common forms of colour
blindness can tell apart, and mean the same thing everywhere: blue is utility, orange
warranty, green value (and an achieved outcome).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from simlib.i18n import translator

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from simlib.result import Result

OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
}
COLOURS = {
    "utility": OKABE_ITO["blue"],
    "warranty": OKABE_ITO["orange"],
    "value": OKABE_ITO["bluish green"],
    "theory": OKABE_ITO["black"],
    "simulation": OKABE_ITO["vermillion"],
    "outage": OKABE_ITO["sky blue"],
    "disruption": OKABE_ITO["vermillion"],
    "queue": OKABE_ITO["blue"],
}
OUTCOME_COLOURS = {
    "achieved": OKABE_ITO["bluish green"],
    "late": OKABE_ITO["yellow"],
    "abandoned": OKABE_ITO["vermillion"],
    "unresolved": OKABE_ITO["reddish purple"],
    "not_supported": "#7F7F7F",
    "breach": OKABE_ITO["black"],
    "open": OKABE_ITO["sky blue"],
}


def _axes(ax: Axes | None, size: tuple[float, float] = (6.4, 3.6)) -> Axes:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt  # only when no Axes is given: notebooks without widgets

    _, ax = plt.subplots(figsize=size, layout="constrained")
    return ax


def pct(x: float, digits: int = 1) -> str:
    """A share as a percentage with one decimal (``"n/a"`` for NaN): how every number is shown.

    In the language in force (:mod:`simlib.i18n`): ``87.4%`` in English, ``87,4%`` in Dutch.
    """
    return translator().percent(x, digits)


def nice_limit(x: float) -> float:
    """The smallest of 1, 1.5, 2, 3, 4, 5, 6, 8 (times a power of ten) at or above ``x``."""
    if not x > 0 or not math.isfinite(x):
        return 1.0
    power = 10.0 ** math.floor(math.log10(x))
    for step in (1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0):
        if step * power >= x * (1 - 1e-12):
            return step * power
    return 10.0 * power  # pragma: no cover - the loop ends at 10


def matplotlib_line(colour: str, width: float, label: str, marker: str | None = None):
    """A legend entry: a line (or a marker) in ``colour``."""
    from matplotlib.lines import Line2D

    if marker:
        return Line2D([], [], color=colour, marker=marker, linestyle="none", markersize=10, label=label)
    return Line2D([], [], color=colour, linewidth=width, label=label)


def waiting_over_time(result: Result) -> tuple[np.ndarray, np.ndarray]:
    """The number of requests waiting for the first line, as a step function of time.

    A request waits from its arrival until work starts; one that is never started waits
    until its customer gives up (abandoned) or the horizon (open). Returns ``(times,
    waiting)``: ``waiting[i]`` holds from ``times[i]`` to ``times[i + 1]``.
    """
    req = _requests(result)
    horizon = result.scenario.horizon
    queued = req["outcome"] != "not_supported"
    arrive = req["arrival"][queued]
    leave = np.where(np.isnan(req["start"][queued]), req["finish"][queued], req["start"][queued])
    leave = np.where(np.isnan(leave), horizon, leave)
    waited = leave > arrive  # a request started on arrival never waits: no blip in the picture
    arrive, leave = arrive[waited], leave[waited]
    times = np.concatenate([arrive, leave])
    steps = np.concatenate([np.ones(arrive.size), -np.ones(leave.size)])
    order = np.lexsort((-steps, times))  # at a tie, arrive before leave: never below zero
    times = np.concatenate([[result.scenario.warmup], times[order]])
    waiting = np.concatenate([[0.0], np.cumsum(steps[order])])
    return times, waiting


def _requests(result: Result) -> np.ndarray:
    if result.requests is None:
        raise ValueError("result.requests: None is not allowed; expected a run with keep_requests=True")
    return result.requests
