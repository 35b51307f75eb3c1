"""The classroom game in a real browser: ``make classroom`` (Voila), an instructor and three
teams, each in its own Chromium context, play two rounds with two events through the pages.
The leaderboard and the debrief must appear on the instructor page, the results on the team
pages, and no page may show an error. Screenshots go to ``artifacts/browser/classroom-*.png``.

Run only these with ``pytest -m browser tests/test_classroom_browser.py``.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Iterator
from typing import Any

import browser
import pytest

from simlib.classroom import Game

pytestmark = pytest.mark.browser

ROOT = browser.REPO
TEAMS = {"red": 1, "blue": -1, "green": 0}  # ArrowRight presses on the Agents slider in round 1


@pytest.fixture(scope="module")
def classroom(chromium: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """``make classroom`` on 127.0.0.1 and a free port, with its games in a temporary folder."""
    base = tmp_path_factory.mktemp("classroom")
    games = base / "games"
    port = browser.free_port()
    command = browser.make_command(
        "classroom",
        {"HOST": "127.0.0.1", "CLASS_PORT": str(port), "GAMES": str(games), "GAME": "", "ROUNDS": "2"},
    )
    browser.warm_matplotlib()
    server = browser.Server(
        command,
        url=f"http://127.0.0.1:{port}/voila/static/voila.js",
        page=f"http://127.0.0.1:{port}/voila/render",
        cwd=ROOT,
        env=browser.jupyter_home(base),
        log=base / "classroom.log",
    )
    with server:
        printed = server.log_path.read_text()
        code = next(p.stem for p in games.glob("*.sqlite"))
        instructor = (games / "instructor-code.txt").read_text().strip()
        assert f"classroom-team.ipynb?game={code}" in printed, printed
        assert f"game code:       {code}" in printed and f"instructor code: {instructor}" in printed, printed
        yield {"server": server, "code": code, "instructor": instructor, "games": games}


# Every text the progress bar's label shows while the round closes (the kernel is busy meanwhile).
_WATCH_PROGRESS = """() => {
    window.__simlibProgress = [];
    const box = document.querySelector('.simlib-progress');
    new MutationObserver(() => {
        const label = box.querySelector('.widget-label');
        if (label) window.__simlibProgress.push(label.innerText.trim());
    }).observe(box, {subtree: true, childList: true, characterData: true, attributes: true});
}"""


def shoot(page: Any, name: str) -> None:
    browser.ARTEFACTS.mkdir(parents=True, exist_ok=True)
    path = browser.ARTEFACTS / f"classroom-{name}.png"
    # Voila scrolls inside its own box: grow the window to the page's height to show all of it.
    size = page.viewport_size
    height = page.evaluate("() => document.querySelector('.simlib-page').getBoundingClientRect().height")
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], int(height) + 120)})
    page.screenshot(path=path, full_page=True)
    page.set_viewport_size(size)
    print(f"screenshot: {path}")


def clean(page: Any, who: str) -> None:
    errors = browser.page_errors(page)
    body = page.locator("body").inner_text()
    assert "Traceback" not in body, f"{who}: a traceback on the page"
    assert not errors, f"{who}: the page shows errors:\n" + "\n---\n".join(errors)


def text(page: Any, css: str) -> str:
    return page.locator(css).first.inner_text().strip()


def wait_text(page: Any, css: str, wanted: str, timeout: float = 90.0) -> None:
    """Wait until an element ``css`` shows ``wanted``; fail with what it and the message box show."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(
            "([css, wanted]) => Array.from(document.querySelectorAll(css)).some(el => el.innerText.includes(wanted))",
            arg=[css, wanted],
            timeout=timeout * 1000,
        )
    except PlaywrightTimeout:
        shown = [el.inner_text()[:300] for el in page.locator(css).all()]
        browser.ARTEFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=browser.ARTEFACTS / "classroom-FAILED.png", full_page=True)
        raise AssertionError(
            f"after {timeout:.0f} s {css} shows {shown}, not {wanted!r}; message: {browser.message(page)!r}; "
            f"errors: {browser.page_errors(page)}"
        ) from None


def set_slider(page: Any, css: str, target: float, timeout: float = 60.0) -> None:
    """Move a slider to ``target`` with the arrow keys, one press at a time, as a keyboard user does.

    Each press waits for the readout to move, so a press that lands while the page is still
    drawing the slider is simply made again.
    """
    deadline = time.monotonic() + timeout
    while True:
        now = browser.slider_value(page, css)
        if abs(now - target) < 1e-6:
            return
        assert time.monotonic() < deadline, f"the slider .{css} stays at {now}, not {target}"
        browser.press(page, css, "ArrowRight" if now < target else "ArrowLeft")
        with contextlib.suppress(Exception):
            page.wait_for_function(
                "([css, before]) => { const el = document.querySelector(`.${css} .widget-readout`);"
                " return el && parseFloat(el.innerText) !== before; }",
                arg=[css, now],
                timeout=3000,
            )


def click(page: Any, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).first.click()


def test_an_instructor_and_three_teams_play_two_rounds(classroom: dict[str, Any], chrome: Any) -> None:
    server = classroom["server"]
    contexts = []
    try:
        # The instructor opens the console with the instructor code.
        ctx = chrome.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(ctx)
        boss = ctx.new_page()
        boss.set_default_timeout(60_000)
        boss.goto(f"{server.page}/classroom-instructor.ipynb", timeout=90_000)
        boss.locator(".simlib-instructor-code input").fill("WRONG")
        click(boss, "Open")
        wait_text(boss, ".simlib-message", "not the code of this classroom")
        boss.locator(".simlib-instructor-code input").fill(classroom["instructor"])
        click(boss, "Open")
        wait_text(boss, ".simlib-game-info", classroom["code"])
        # Round 1's event, before the teams submit: a major disruption.
        boss.locator(".simlib-event-choice select").select_option(label="Major disruption (continuity)")
        click(boss, "Set event")
        wait_text(boss, ".simlib-game-info", "Major disruption")
        shoot(boss, "1-instructor-open")
        game = Game.open(classroom["games"] / f"{classroom['code']}.sqlite")
        agents = next(lv["default"] for lv in game.levers(1) if lv["name"] == "first_line.agents")

        # Three teams join from their own browsers and submit for round 1.
        teams = {}
        for name, presses in TEAMS.items():
            c = chrome.new_context(viewport={"width": 1100, "height": 900})
            contexts.append(c)
            page = c.new_page()
            page.set_default_timeout(60_000)
            if name == "blue":  # the address printed by make classroom carries the game code
                page.goto(f"{server.page}/classroom-team.ipynb?game={classroom['code']}", timeout=90_000)
                page.wait_for_selector(".simlib-game-code input")
                assert page.locator(".simlib-game-code input").input_value() == classroom["code"]
            else:
                page.goto(f"{server.page}/classroom-team.ipynb", timeout=90_000)
                page.locator(".simlib-game-code input").fill(classroom["code"].lower())
            page.locator(".simlib-team-name input").fill(name)
            click(page, "Join")
            wait_text(page, ".simlib-round", "round 1 of 2")
            wait_text(page, ".simlib-round", "Major disruption")
            wait_text(page, ".simlib-cost", f"Cost {game.cost({}, 1):,.0f} of")
            if presses:
                set_slider(page, "simlib-lever-first-line-agents", agents + presses)
                wait_text(page, ".simlib-cost", f"Cost {game.cost({'first_line.agents': agents + presses}, 1):,.0f} of")
            click(page, "Submit")
            wait_text(page, ".simlib-status", "Submitted for round 1")
            clean(page, name)
            teams[name] = page
        shoot(teams["red"], "2-team-red-round-1-submitted")

        # A team cannot overspend: the page says why, in words.
        red = teams["red"]
        set_slider(red, "simlib-lever-first-line-agents", agents + 7)
        wait_text(red, ".simlib-cost", "over the budget")
        click(red, "Submit")
        wait_text(red, ".simlib-message", "budget:")
        shoot(red, "3-team-red-over-budget")
        set_slider(red, "simlib-lever-first-line-agents", agents + 1)
        clean(red, "red")

        # The instructor sees three submissions and closes round 1.
        click(boss, "Refresh")
        wait_text(boss, ".simlib-teams", "3 submitted")
        boss.evaluate(_WATCH_PROGRESS)
        click(boss, "Close round")
        wait_text(boss, ".simlib-message", "Round 1 is closed")
        seen = boss.evaluate("() => window.__simlibProgress")
        moved = [t for t in seen if re.fullmatch(r"Closing [12]/3", t)]
        assert moved, f"the progress bar did not move: it showed {seen}"
        wait_text(boss, ".simlib-leaderboard", "Leaderboard, round 1")
        assert boss.locator(".simlib-leaderboard tr[data-team]").count() == 3
        shoot(boss, "4-instructor-round-1-leaderboard")

        # Round 2: an attack wave.
        boss.locator(".simlib-event-choice select").select_option(label="Attack wave (security)")
        click(boss, "Set event")
        wait_text(boss, ".simlib-game-info", "Attack wave")
        default = game.cost({}, 2)
        check = next(lv for lv in game.levers(2) if lv["name"] == "security.verification")
        more = game.cost({"security.verification": round(check["default"] + 2 * check["step"], 4)}, 2)
        for name, page in teams.items():
            click(page, "Refresh")
            wait_text(page, ".simlib-results", "Your results, round 1")
            wait_text(page, ".simlib-round", "Attack wave")
            assert page.locator(".simlib-leaderboard tr[data-team]").count() == 3
            wait_text(page, ".simlib-cost", f"Cost {default:,.0f} of")  # the round's levers are shown
            if name != "green":  # red and blue buy better verification of callers
                # wait for round 2's levers with its event (not those drawn before the event was set)
                page.wait_for_selector(f".simlib-levers-round-2-{game.state()['event']}", timeout=90_000)
                set_slider(page, "simlib-lever-security-verification", check["default"] + 2 * check["step"])
                wait_text(page, ".simlib-cost", f"Cost {more:,.0f} of")
            click(page, "Submit")
            wait_text(page, ".simlib-status", "Submitted for round 2")
            clean(page, name)
        shoot(teams["blue"], "5-team-blue-results-and-round-2")
        assert f"cost {more:,.0f}" in text(teams["blue"], ".simlib-status"), "blue's verification is in its submission"

        click(boss, "Refresh")
        wait_text(boss, ".simlib-teams", "3 submitted")
        click(boss, "Close round")
        wait_text(boss, ".simlib-message", "Round 2 is closed")
        wait_text(boss, ".simlib-leaderboard", "Leaderboard, round 2")
        wait_text(boss, ".simlib-game-info", "The game is over")

        # The debrief, full screen.
        click(boss, "Debrief")
        boss.wait_for_selector(".simlib-advice li", timeout=180_000)
        assert boss.locator(".simlib-advice li").count() == 3
        images = boss.locator(".simlib-debrief img")
        assert images.count() == 2
        for i in range(2):
            assert images.nth(i).evaluate("img => img.complete && img.naturalWidth > 0")
        boss.get_by_role("button", name="Full screen").click()
        boss.wait_for_selector(".simlib-fullscreen")
        assert not boss.locator(".simlib-controls").first.is_visible()
        shoot(boss, "6-instructor-debrief-full-screen")
        boss.get_by_role("button", name="Full screen").click()
        click(boss, "Export CSV")
        wait_text(boss, ".simlib-export", f"Download classroom-{classroom['code']}.csv")
        clean(boss, "instructor")

        # The last results reach a team page by themselves (it checks every few seconds).
        wait_text(teams["green"], ".simlib-results", "Your results, round 2", timeout=30)
        wait_text(teams["green"], ".simlib-round", "The game is over")
        shoot(teams["green"], "7-team-green-final")
        for name, page in teams.items():
            clean(page, name)
    finally:
        for c in contexts:
            c.close()
