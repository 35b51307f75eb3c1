"""The Dutch instructor dashboard in a real browser: ``make demo LANG=nl``, one screenshot.

The server is started as ``tests/browser.py`` starts ``make demo``, with the language given
the way the Makefile gives it (``LANGUAGE=nl`` for Voila and so for its kernels).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import browser
import pytest

pytestmark = pytest.mark.browser

DASHBOARD = browser.REPO / "notebooks" / "instructor-dashboard.ipynb"


@pytest.fixture(scope="module")
def dutch_demo(chromium: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[browser.Server]:
    browser.warm_matplotlib()
    server = browser.demo_server(tmp_path_factory.mktemp("voila-nl"), browser.REPO)
    server.env["LANGUAGE"] = "nl"  # what `make demo LANG=nl` does (tests/test_i18n.py checks the Makefile)
    with server:
        yield server


def test_the_dutch_instructor_dashboard(chromium: str, dutch_demo: browser.Server) -> None:
    from playwright.sync_api import sync_playwright

    browser.ARTEFACTS.mkdir(parents=True, exist_ok=True)
    shot = browser.ARTEFACTS / "demo-nl-instructor.png"
    with sync_playwright() as playwright:
        chrome = browser.launch(playwright, chromium)
        try:
            page: Any = chrome.new_page(viewport={"width": 1280, "height": 900})
            page.set_default_timeout(30_000)
            browser.open_dashboard(page, dutch_demo.page)
            shown = browser.shown_measures(page)
            for name, text in shown.items():  # Dutch numbers: 86,5%
                assert re.fullmatch(r"\d{1,3},\d%", text), (name, text)
            body = page.inner_text("body")
            for word in ("waarde", "Medewerkers", "Beginwaarden", "Laat het misgaan", "utility (bruikbaarheid)"):
                assert word in body, f"{word!r} is not on the Dutch dashboard"
            assert page.get_by_role("button", name="Medewerker ziek", exact=True).is_visible()
            assert not browser.page_errors(page), browser.page_errors(page)
            page.wait_for_timeout(500)  # the picture follows the numbers
            page.screenshot(path=shot, full_page=True)
            print(f"screenshot: {shot}")
        finally:
            chrome.close()
    assert shot.stat().st_size > 10_000
