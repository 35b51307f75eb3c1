"""Accessibility: every page a learner or trainer opens passes axe-core's WCAG 2.1 AA rules
with no serious or critical violation.

The dashboards carry what a screen reader and a weak eye need (:mod:`simlib.dashboards.controls`,
:mod:`simlib.dashboards.numbers`): every slider handle is named by its label, the picture by a
text saying what it shows, and every number is written in a colour that reads on white. The
tests here hold those parts in Python, and axe-core (the copy that axe-playwright-python ships)
checks the instructor dashboard as ``make demo`` serves it. The class notebooks are checked in
JupyterLab by the class walk (``tests/test_class_walk.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import browser
import ipywidgets as w
import pytest

from simlib import dashboards, plots
from simlib.dashboards.numbers import CONTRAST, contrast, readable

ROOT = browser.REPO
DASHBOARD = ROOT / "notebooks" / "instructor-dashboard.ipynb"


def test_contrast_is_wcags_ratio() -> None:
    assert contrast("#000000") == pytest.approx(21.0)
    assert contrast("#ffffff") == pytest.approx(1.0)
    assert contrast("#767676") == pytest.approx(4.54, abs=0.01)  # the lightest grey that reads on white


@pytest.mark.parametrize("colour", sorted(set(plots.COLOURS.values())))
def test_every_measure_colour_is_made_readable(colour: str) -> None:
    shade = readable(colour)
    assert contrast(shade) >= CONTRAST, f"{colour} -> {shade}: contrast {contrast(shade):.2f}"
    if contrast(colour) >= CONTRAST:
        assert shade == colour, "a colour that reads already is kept"


def test_the_numbers_panel_writes_no_number_in_a_colour_too_light_to_read(desk) -> None:
    import re

    result = dashboards.run(desk, 1)
    shown = dashboards.numbers_html(result)
    colours = re.findall(r'class="simlib-measure"[^>]*color:(#[0-9a-fA-F]{6})', shown)
    assert len(colours) == 3, shown
    assert all(contrast(c) >= CONTRAST for c in colours), colours


def widgets_in(root: w.Widget) -> Iterator[w.Widget]:
    stack = [root]
    while stack:
        x = stack.pop()
        yield x
        stack.extend(getattr(x, "children", ()) or ())


@pytest.mark.parametrize(
    "build",
    [
        dashboards.utility_warranty_dashboard,
        dashboards.availability_dashboard,
        dashboards.internal_external_dashboard,
        dashboards.instructor_dashboard,
    ],
)
def test_each_dashboard_names_its_sliders_and_its_picture(build: Any) -> None:
    widget = build("service-desk", seed=1)
    assert "simlib-dashboard" in widget._dom_classes
    parts = list(widgets_in(widget))
    scripts = [x for x in parts if isinstance(x, w.Output) and "simlib-accessible-names" in x._dom_classes]
    assert len(scripts) == 1, "the dashboard carries the script naming its sliders and picture"
    assert "aria-labelledby" in scripts[0].outputs[0]["data"]["application/javascript"]
    texts = [x for x in parts if "simlib-figure-text" in getattr(x, "_dom_classes", ())]
    assert len(texts) == 1 and "%" in texts[0].value, "the picture's description says its numbers"
    sliders = [x for x in parts if isinstance(x, w.IntSlider | w.FloatSlider)]
    assert sliders and all(s.description.strip() for s in sliders), "every slider has a label to be named by"


# ---------------------------------------------------------------- in a browser


@pytest.fixture(scope="module")
def artefacts() -> Path:
    """Screenshots of the pages checked: ``artifacts/accessibility/``."""
    folder = ROOT / "artifacts" / "accessibility"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def demo(chromium: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[browser.Server]:
    """``make demo`` (Voila) on 127.0.0.1 and a free port, stopped after the module."""
    browser.warm_matplotlib()
    server = browser.demo_server(tmp_path_factory.mktemp("voila-axe"), ROOT)
    with server:
        yield server


@pytest.mark.browser
def test_the_instructor_dashboard_passes_axe(demo: browser.Server, page: Any, artefacts: Path) -> None:
    browser.open_dashboard(page, demo.page)
    page.wait_for_function("() => document.querySelectorAll('.noUi-handle[aria-labelledby]').length > 0")
    page.wait_for_selector("img.simlib-figure[aria-labelledby]")
    found = browser.axe(page)
    print("axe on the instructor dashboard:\n" + (browser.describe_violations(found) or "no violation"))
    page.screenshot(path=artefacts / "axe-instructor-dashboard.png", full_page=True)
    blocking = browser.blocking(found)
    assert not blocking, "serious or critical accessibility violations:\n" + browser.describe_violations(blocking)
    names = page.evaluate(
        """() => Array.from(document.querySelectorAll('.noUi-handle'),
                            h => (document.getElementById(h.getAttribute('aria-labelledby')) || {}).textContent)"""
    )
    assert "Agents" in names and "Know-how" in names, names
