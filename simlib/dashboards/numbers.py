"""The numbers panel: the headline measures and the outcome counts, as HTML.

**Numbers first.** A move on a dashboard runs the scenario and puts these numbers on the page
as soon as the simulation ends, before any picture is redrawn: the learner reads the effect of
the move at once. The panel shows each headline measure large, in its colour of the pictures
(:data:`simlib.plots.COLOURS`), then one count per outcome with its colour square.

Every number sits in an element the tests can read: ``<span class="simlib-measure"
data-measure=...>`` and ``<b class="simlib-outcome" data-outcome=...>``. When a setting cannot
run, every number shows a dash rather than the old value, so that no stale number is read as
the answer for the new setting.

**Readable colours.** A number is written in its picture's colour made dark enough to read on
white (:func:`readable`: a contrast of at least 4.5 to 1, WCAG 2.1 AA for text), so the
orange of warranty reads as a darker orange; the colour squares of the outcomes are decoration,
hidden from screen readers.
"""

from __future__ import annotations

import html
import math

from simlib import plots
from simlib.i18n import measure_label, outcome_label
from simlib.plots import pct
from simlib.result import Result

__all__ = ["measures_html", "numbers_html", "readable"]

#: The contrast ratio text needs against its background (WCAG 2.1 AA, normal text).
CONTRAST = 4.5


def _luminance(colour: str) -> float:
    """The relative luminance of ``#rrggbb`` (WCAG 2.1)."""
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(colour: str, background: str = "#ffffff") -> float:
    """The WCAG contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    hi, lo = sorted((_luminance(colour), _luminance(background)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def readable(colour: str, background: str = "#ffffff") -> str:
    """``colour``, darkened in steps of 5% (its hue kept) until text in it reads on ``background``."""
    rgb = [int(colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4)]
    shade = colour
    for step in range(1, 21):
        if contrast(shade, background) >= CONTRAST:
            break
        shade = "#" + "".join(f"{round(c * (1 - step / 20)):02x}" for c in rgb)
    return shade


def numbers_html(
    result: Result | None,
    names: tuple[str, ...] = ("utility", "warranty", "value"),
    outcomes: bool = True,
) -> str:
    """The numbers panel as HTML: the headline measures, then the outcome counts.

    One ``<span class="simlib-measure" data-measure=...>`` per measure and one
    ``<span class="simlib-outcome" data-outcome=...>`` per outcome. Without a result (the
    setting could not run) every number shows a dash, so that no old number is read as the
    answer for the new setting.
    """
    cells = []
    for name in names:
        text = "\u2013" if result is None else pct(result.measures.get(name, math.nan))
        colour = readable(plots.COLOURS.get(name.split(".")[0], plots.OKABE_ITO["black"]))
        cells.append(
            f'<div style="display:inline-block;margin-right:2.5em">'
            f'<div style="font-size:90%;color:#444">{html.escape(measure_label(name))}</div>'
            f'<span class="simlib-measure" data-measure="{html.escape(name)}" '
            f'style="font-size:200%;font-weight:bold;color:{colour}">{text}</span>'
            f"</div>"
        )
    out = "".join(cells)
    if outcomes:
        counts = []
        for name in plots.OUTCOME_COLOURS:
            if result is not None and name not in result.outcomes:
                continue
            text = "\u2013" if result is None else str(int(result.outcomes[name]))
            label = html.escape(outcome_label(name))
            counts.append(
                f'<span style="margin-right:1.2em;white-space:nowrap">'
                f'<span aria-hidden="true" style="color:{plots.OUTCOME_COLOURS[name]}">\u25a0</span> {label} '
                f'<b class="simlib-outcome" data-outcome="{html.escape(name)}">{text}</b></span>'
            )
        out += f'<div class="simlib-outcomes" style="font-size:95%;margin:0.2em 0 0.4em 0">{"".join(counts)}</div>'
    return out


def measures_html(result: Result | None, names: tuple[str, ...] = ("utility", "warranty", "value")) -> str:
    """The headline measures alone as HTML (:func:`numbers_html` without the outcome counts)."""
    return numbers_html(result, names, outcomes=False)
