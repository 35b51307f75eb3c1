"""The kit in a real browser: the instructor dashboard under ``make demo`` and the first
notebook under ``make lab``, driven by Playwright in Debian's Chromium.

A person moves a slider with the keyboard or the mouse, and the numbers on the page must be
what ``simlib.simulate()`` gives for that setting; in JupyterLab a student runs every cell of
the first notebook and must see its dashboard and picture, and no error. Screenshots of every state go to
``artifacts/browser/`` (printed at the end of the run).

Chromium missing: skipped on a developer's machine, a failure in CI (``CI`` set), where
``.ci/run`` installs it. Run only these with ``pytest -m browser``, skip them with
``pytest -m "not browser"``.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import browser
import pytest

pytestmark = pytest.mark.browser

ROOT = browser.REPO
DASHBOARD = ROOT / "notebooks" / "instructor-dashboard.ipynb"
START_HERE = ROOT / "notebooks" / "00-start-here.ipynb"
QUADRANTS = ("Fit for purpose and for use", "For purpose, not for use", "For use, not for purpose", "Neither")
PRESETS = (
    "Major disruption",
    "Systems outage",
    "Demand spike",
    "Agent off sick",
    "Expert leaves the first line",
    "Checks skipped",
    "Know-how lost",
)
# What a preset moves: the slider that shows the value in force afterwards (none for the toggles).
PRESET_SLIDERS = {
    "Systems outage": ("simlib-mtbf", "20"),
    "Agent off sick": ("simlib-agents", "4"),
    "Expert leaves the first line": ("simlib-first-time-fix", "0.30"),
    "Checks skipped": ("simlib-verification", "0.00"),
    "Know-how lost": ("simlib-know-how", "0.50"),
}


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def artefacts(request: pytest.FixtureRequest) -> Iterator[Path]:
    """The folder for screenshots, emptied of the last run's; its path is printed at the end of the run."""
    browser.ARTEFACTS.mkdir(parents=True, exist_ok=True)
    for old in browser.ARTEFACTS.glob("*.png"):
        old.unlink()
    yield browser.ARTEFACTS
    shots = sorted(browser.ARTEFACTS.glob("*.png"))
    reporter = request.config.pluginmanager.getplugin("terminalreporter")
    capture = request.config.pluginmanager.getplugin("capturemanager")
    if reporter is not None and capture is not None and shots:
        with capture.global_and_fixture_disabled():
            reporter.write_line(f"\nbrowser screenshots ({len(shots)}): {browser.ARTEFACTS}")


@pytest.fixture(scope="module")
def demo(chromium: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[browser.Server]:
    """``make demo`` (Voila) on 127.0.0.1 and a free port, stopped after the module.

    Every page load starts a kernel; Voila's own shutdown on leaving the page fails here (403,
    no _xsrf cookie: voila-dashboards/voila#1458), so the kernels live until the server stops.
    """
    if not DASHBOARD.exists():
        pytest.fail(f"{DASHBOARD.relative_to(ROOT)} is missing: `make demo` has nothing to serve", pytrace=False)
    browser.warm_matplotlib()
    server = browser.demo_server(tmp_path_factory.mktemp("voila"), ROOT)
    with server:
        yield server


@pytest.fixture
def dashboard(demo: browser.Server, page: Any) -> Any:
    """The instructor dashboard, loaded, with its measures shown."""
    browser.open_dashboard(page, demo.page)
    return page


def shoot(page: Any, artefacts: Path, name: str) -> Path:
    path = artefacts / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    print(f"screenshot: {path}")
    return path


def assert_no_errors(page: Any) -> None:
    errors = browser.page_errors(page)
    assert not errors, "the page shows errors:\n" + "\n---\n".join(errors)
    assert browser.message(page) == "", f"the dashboard's message box says {browser.message(page)!r}"


def setting(page: Any) -> tuple[int, float]:
    """(agents, know-how) as the sliders show them."""
    return int(browser.slider_value(page, "simlib-agents")), browser.slider_value(page, "simlib-know-how")


# ---------------------------------------------------------------- make demo


def test_dashboard_loads_with_the_default_setting(dashboard: Any, artefacts: Path) -> None:
    page = dashboard
    assert page.locator(".simlib-agents .widget-label").first.inner_text().strip() == "Agents"
    assert page.locator(".simlib-know-how .widget-label").first.inner_text().strip() == "Know-how"
    assert setting(page) == (5, pytest.approx(browser.default_know_how()))
    assert browser.readout(page, "simlib-agents") == "5"
    browser.wait_for_measures(page, browser.expected_measures(5))
    assert page.locator('.simlib-outcome[data-outcome="breach"]').count() == 1, "the outcome panel shows breaches"
    for name in (*QUADRANTS, *PRESETS, "Reset"):
        assert page.get_by_role("button", name=name, exact=True).is_visible(), f"no visible button {name!r}"
    assert_no_errors(page)
    shoot(page, artefacts, "demo-1-start")


def test_agents_slider_by_keyboard(dashboard: Any, artefacts: Path) -> None:
    page = dashboard
    browser.wait_for_measures(page, browser.expected_measures(5))
    browser.press(page, "simlib-agents", "ArrowRight")
    assert browser.readout(page, "simlib-agents") == "6"
    browser.wait_for_measures(page, browser.expected_measures(6))
    shoot(page, artefacts, "demo-2-agents-6")
    browser.press(page, "simlib-agents", "ArrowLeft", times=3)
    assert browser.readout(page, "simlib-agents") == "3"
    browser.wait_for_measures(page, browser.expected_measures(3))
    shoot(page, artefacts, "demo-3-agents-3")
    assert_no_errors(page)


def test_know_how_slider_by_keyboard(dashboard: Any, artefacts: Path) -> None:
    page = dashboard
    browser.wait_for_measures(page, browser.expected_measures(5))
    browser.press(page, "simlib-know-how", "ArrowLeft", times=4)
    agents, know_how = setting(page)
    assert know_how < browser.default_know_how() - 0.15
    browser.wait_for_measures(page, browser.expected_measures(5, know_how))
    shoot(page, artefacts, f"demo-4-know-how-{know_how:.2f}")
    browser.press(page, "simlib-know-how", "ArrowRight", times=2)
    agents, know_how = setting(page)
    browser.wait_for_measures(page, browser.expected_measures(5, know_how))
    assert_no_errors(page)


def test_agents_slider_by_mouse(dashboard: Any, artefacts: Path) -> None:
    page = dashboard
    before = browser.expected_measures(5)
    browser.wait_for_measures(page, before)
    browser.drag(page, "simlib-agents", dx=60)
    agents, know_how = setting(page)
    assert agents > 5, f"dragging the Agents handle 60 px right left it at {agents}"
    assert browser.readout(page, "simlib-agents") == str(agents)
    browser.wait_for_measures(page, browser.expected_measures(agents, know_how))
    shoot(page, artefacts, f"demo-5-agents-dragged-to-{agents}")
    assert_no_errors(page)


@pytest.mark.parametrize("preset", PRESETS)
def test_break_it_preset_changes_the_numbers_and_reset_restores_them(
    dashboard: Any, artefacts: Path, preset: str
) -> None:
    page = dashboard
    baseline = browser.expected_measures(5)
    browser.wait_for_measures(page, baseline)
    page.get_by_role("button", name=preset, exact=True).click()
    broken = browser.wait_for_change(page, baseline)
    if preset in PRESET_SLIDERS:  # the slider shows the value in force
        css, text = PRESET_SLIDERS[preset]
        assert browser.readout(page, css) == text, (
            f"after {preset!r} the slider .{css} reads {browser.readout(page, css)}"
        )
    shoot(page, artefacts, "demo-6-preset-" + preset.lower().replace(" ", "-").replace(",", ""))
    assert_no_errors(page)
    page.get_by_role("button", name="Reset", exact=True).click()
    browser.wait_for_measures(page, baseline)  # Reset: every lever back to the scenario's own settings
    assert browser.shown_measures(page) != broken
    assert setting(page) == (5, pytest.approx(browser.default_know_how()))
    assert_no_errors(page)


def test_quadrant_buttons_move_the_sliders_and_the_numbers(dashboard: Any, artefacts: Path) -> None:
    import simlib.widgets as sw

    page = dashboard
    browser.wait_for_measures(page, browser.expected_measures(5))
    here = sw.InstructorDashboard(browser.SCENARIO, seed=browser.SEED)  # what each button must show
    for name in QUADRANTS:
        here.press(name)
        page.get_by_role("button", name=name, exact=True).click()
        browser.wait_for_measures(page, here.shown())
        assert setting(page) == (here.agents.value, pytest.approx(here.know_how.value)), name
        shoot(page, artefacts, "demo-7-quadrant-" + name.lower().replace(" ", "-").replace(",", ""))
    assert_no_errors(page)


# ---------------------------------------------------------------- make lab


@pytest.fixture(scope="module")
def lab(chromium: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[browser.Server]:
    """``make lab`` on 127.0.0.1 and a free port, serving a copy of the kit's folders (the repo is not touched)."""
    if not START_HERE.exists():
        pytest.fail(f"{START_HERE.relative_to(ROOT)} is missing: `make lab` opens it", pytrace=False)
    browser.warm_matplotlib()
    base = tmp_path_factory.mktemp("lab")
    root = base / "root"
    for folder in ("notebooks", "exercises", "solutions"):  # what `make lab` serves: the kit's root
        shutil.copytree(ROOT / folder, root / folder, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    server = browser.lab_server(base, root)
    with server:
        yield server


def test_lab_runs_the_start_here_notebook(lab: browser.Server, page: Any, artefacts: Path) -> None:
    served = Path(lab.cwd) / "notebooks" / START_HERE.name
    on_disk = served.read_bytes()
    page.goto(lab.page, timeout=60_000)
    page.wait_for_selector(".jp-NotebookPanel .jp-CodeCell", timeout=60_000)
    browser.run_all(page)
    shoot(page, artefacts, "lab-1-after-run-all")

    errors = browser.page_errors(page)
    assert not errors, "the notebook shows errors after Run All:\n" + "\n---\n".join(errors)
    assert page.locator(".jp-Dialog").count() == 0, f"a dialog is open: {page.locator('.jp-Dialog').inner_text()}"

    widgets = page.locator(".jp-OutputArea-output > .jupyter-widgets")
    assert widgets.count() >= 1, "no widget (dashboard) is shown after Run All"
    widgets.first.scroll_into_view_if_needed()
    assert widgets.first.bounding_box()["height"] > 20, "the dashboard widget is drawn with no height"
    widgets.first.screenshot(path=artefacts / "lab-2-dashboard.png")

    pictures = page.locator(".jp-OutputArea .jp-RenderedImage img, .jp-OutputArea .jp-RenderedSVG svg")
    assert pictures.count() >= 1, "no picture is shown after Run All"
    picture = pictures.first
    picture.scroll_into_view_if_needed()
    if picture.evaluate("el => el.tagName.toLowerCase()") == "img":
        assert picture.evaluate("img => img.complete && img.naturalWidth > 0"), "the picture did not decode"
    picture.screenshot(path=artefacts / "lab-3-picture.png")
    print(f"screenshots: {artefacts / 'lab-2-dashboard.png'}, {artefacts / 'lab-3-picture.png'}")

    # A student moves the dashboard's Agents slider: the kernel answers through the widget comm.
    dashboard = widgets.filter(has=page.locator(".simlib-agents")).filter(has=page.locator(".simlib-measures"))
    assert dashboard.count() >= 1, "the start-here dashboard has no Agents slider (.simlib-agents) and measures"
    dashboard = dashboard.first
    dashboard.locator(".simlib-agents .noUi-handle").first.focus()
    page.keyboard.press("ArrowRight")
    agents = int(dashboard.locator(".simlib-agents .widget-readout").first.inner_text())
    know_how = float(dashboard.locator(".simlib-know-how .widget-readout").first.inner_text())
    assert agents == 6, f"ArrowRight on Agents (5) shows {agents}"
    browser.wait_for_measures(page, browser.expected_measures(agents, know_how))
    dashboard.screenshot(path=artefacts / "lab-4-dashboard-agents-6.png")
    assert not browser.page_errors(page), browser.page_errors(page)

    assert served.read_bytes() == on_disk, "JupyterLab wrote the executed notebook back to disk (autosave)"


def test_lab_file_browser_reaches_the_exercises(lab: browser.Server, page: Any, artefacts: Path) -> None:
    """From the start page, a student finds exercises/ in the file browser, opens the first one and runs it."""
    first = (
        sorted((Path(lab.cwd) / "exercises").glob("c1-*.ipynb"))
        or sorted((Path(lab.cwd) / "exercises").glob("*.ipynb"))
    )[0]
    page.goto(lab.page, timeout=60_000)
    page.wait_for_selector(".jp-NotebookPanel .jp-CodeCell", timeout=60_000)
    tab = page.locator('.jp-SideBar [data-id="filebrowser"]').first
    tab.wait_for(timeout=30_000)
    home = page.locator(".jp-BreadCrumbs-home").first
    if not home.is_visible():  # the file browser is closed (a restored layout): open it from the left bar
        tab.click()
    home.wait_for(state="visible", timeout=30_000)
    browser.file_browser_follows(page, "notebooks")  # clicks before it has moved there would be undone
    # The file browser shows the folder of the open notebook; go up to the kit's root.
    home.click()
    names = lambda: page.locator(".jp-DirListing-item .jp-DirListing-itemText").all_inner_texts()  # noqa: E731
    page.wait_for_function(
        """() => Array.from(document.querySelectorAll('.jp-DirListing-item .jp-DirListing-itemText'),
                            el => el.textContent.trim()).includes('exercises')""",
        timeout=30_000,
    )
    assert {"notebooks", "exercises", "solutions"} <= set(names()), names()
    shoot(page, artefacts, "lab-5-file-browser-root")
    page.locator(".jp-DirListing-item", has_text="exercises").first.dblclick()
    item = page.locator(".jp-DirListing-item", has_text=first.name).first
    item.wait_for(timeout=30_000)
    item.dblclick()
    page.wait_for_selector(f'.lm-TabBar-tab[title*="{first.name}"], .lm-TabBar-tab:has-text("{first.name}")')
    browser.run_all(page)
    shoot(page, artefacts, "lab-6-exercise-run")
    errors = browser.page_errors(page)
    assert not errors, f"exercises/{first.name} shows errors after Run All:\n" + "\n---\n".join(errors)

    # A class exercise is answered by clicking: the form under the first check, option "c", then Check.
    form = page.locator(".simlib-answer").first
    form.scroll_into_view_if_needed()
    form.get_by_role("button", name="c", exact=True).click()
    form.get_by_role("button", name="Check", exact=True).click()
    page.wait_for_function(
        """() => { const f = document.querySelector('.simlib-answer');
                   return f !== null && /Right|Not right/.test(f.textContent); }""",
        timeout=30_000,
    )
    form.screenshot(path=artefacts / "lab-7-answer-by-clicking.png")
    assert "Right" in form.inner_text(), form.inner_text()
