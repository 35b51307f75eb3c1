"""Shared fixtures: the built-in scenarios and a small fast variant of the service desk."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import browser
import pytest
from hypothesis import settings

import simlib

# In CI the property tests draw the same examples every run, so a submission's result is repeatable;
# on a developer's machine they explore new examples each time.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(scope="session")
def desk() -> simlib.Scenario:
    return simlib.load_scenario("service-desk")


@pytest.fixture(scope="session")
def queue() -> simlib.Scenario:
    return simlib.load_scenario("pure-queue")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> object:
    """Browser tests: on failure, flag the test (its page fixture saves a screenshot) and add the servers' logs."""
    outcome = yield
    report = outcome.get_result()
    if report.failed and item.get_closest_marker("browser") is not None:
        item.browser_failed = True
        for server in getattr(item, "browser_servers", ()):
            report.sections.append((f"server log ({report.when})", server.log()))


# ---------------------------------------------------------------- browser tests (tests/browser.py drives them)


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@pytest.fixture(scope="session")
def chromium() -> str:
    """The browser's path; skip (developer) or fail (CI) with the reason when it cannot run."""
    reason = None
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        reason = "the playwright package is missing (make setup installs the test extra)"
    path = browser.chromium_path()
    if reason is None and path is None:
        where = os.environ.get("SIMLIB_CHROMIUM") or f"{browser.DEFAULT_CHROMIUM} or on PATH"
        reason = (
            f"no Chromium at {where} "
            "(Debian/Ubuntu: apt-get install chromium; or set SIMLIB_CHROMIUM to a Chromium binary)"
        )
    if reason is not None:
        if in_ci():
            pytest.fail(f"browser tests must run in CI, but {reason}", pytrace=False)
        pytest.skip(f"browser tests need a browser: {reason}")
    return path


@pytest.fixture(scope="module")
def chrome(chromium: str) -> Iterator[Any]:
    """One headless Chromium for this module, gone before the rest of the run (nbval, its event loops)."""
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        instance = browser.launch(playwright, chromium)
        yield instance
        instance.close()
    finally:
        playwright.stop()


@pytest.fixture
def page(chrome: Any, artefacts: Path, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh browser page; on failure its screenshot goes to the test module's ``artefacts`` folder
    and the servers' logs to the report."""
    context = chrome.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    request.node.browser_servers = [
        request.getfixturevalue(name) for name in ("demo", "lab") if name in request.fixturenames
    ]
    yield tab
    if getattr(request.node, "browser_failed", False):
        shot = artefacts / f"FAILED-{request.node.name}.png"
        try:
            tab.screenshot(path=shot, full_page=True)
            print(f"screenshot of the failure: {shot}")
        except Exception as err:  # a crashed page must not hide the test's own failure
            print(f"no screenshot of the failure: {err}")
    context.close()
