"""The classroom game in a real browser, as a class meets it: ``make classroom`` runs one process,
Voila's instructor console (one kernel) and the team web page (no kernel) beside it.

- thirty teams open the team page at the same moment: each shows its name field, the slowest
  within 2 times the slowest of thirty static pages (``http.server``) in the same run, and the
  server with its children under 1 GB (``benchmarks/bench_classroom_pages.py`` measures it too);
- an instructor and thirty teams play one round, with the keyboard (and forty teams on the
  leaderboard, which fits 1024x768 without wrapping);
- an instructor and three teams play a full game, in English and in Dutch, with screenshots
  at 1024x768 and 375 px wide in ``artifacts/browser/classroom-*.png``;
- kill -9 of the server mid-round, then a restart: the pages say they are reconnecting, come
  back by themselves, nothing is lost, and no process of the killed server is left behind.

The team page and the console have no serious or critical axe-core violation (WCAG 2.1 AA).
Run only these with ``pytest -m browser tests/test_classroom_browser.py``.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from typing import Any

import browser
import pytest

from benchmarks import bench_classroom_pages as bench
from simlib import classroom as cr
from simlib.classroom import EVENTS
from simlib.i18n import translator

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}
PROJECTOR = {"width": 1024, "height": 768}


@pytest.fixture
def server_base(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    browser.warm_matplotlib()
    request.node.browser_servers = []  # their logs go into the report of a failed test (conftest.py)
    SERVERS[tmp_path] = request.node.browser_servers
    return tmp_path


SERVERS: dict[Path, list] = {}


def classroom(base: Path, **kwargs: Any) -> Any:
    """``make classroom`` on a free port (start it with ``with``)."""
    server = bench.classroom_server(base, **kwargs)
    SERVERS[base].append(server)
    return server


def game_of(base: Path, code: str) -> cr.Store:
    return cr.Store.open(base / "games" / f"{code}.sqlite")


def shoot(page: Any, name: str) -> None:
    """A screenshot of the whole page (a Voila page scrolls inside its own box: grow the window to it)."""
    browser.ARTEFACTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    height = page.evaluate(
        "() => Math.max(document.body.scrollHeight, ...Array.from(document.querySelectorAll('.simlib-page'),"
        " el => el.getBoundingClientRect().height + 120))"
    )
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], int(height))})
    page.screenshot(path=browser.ARTEFACTS / f"classroom-{name}.png", full_page=True)
    page.set_viewport_size(size)


def accessible(page: Any, who: str) -> None:
    found = browser.blocking(browser.axe(page))
    assert not found, f"{who}: serious or critical axe-core violations:\n{browser.describe_violations(found)}"


def wait_text(page: Any, css: str, wanted: str, timeout: float = 90.0) -> None:
    """Wait until an element ``css`` shows ``wanted``; fail with what it shows."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(
            "([css, wanted]) => Array.from(document.querySelectorAll(css)).some(el => el.innerText.includes(wanted))",
            arg=[css, wanted], timeout=timeout * 1000,
        )  # fmt: skip
    except PlaywrightTimeout:
        shown = [el.inner_text()[:300] for el in page.locator(css).all()]
        raise AssertionError(f"after {timeout:.0f} s {css} shows {shown}, not {wanted!r}") from None


# ---------------------------------------------------------------- a team, with the keyboard alone


def team_joins(chrome: Any, url: str, name: str, viewport: dict[str, int] = PHONE) -> Any:
    """A team opens the printed address, types its name and presses Enter."""
    page = chrome.new_context(viewport=viewport).new_page()
    page.set_default_timeout(60_000)
    page.goto(url)
    page.locator("#team-name").focus()
    page.keyboard.type(name)
    page.keyboard.press("Enter")
    try:
        page.wait_for_selector(".simlib-round h2")
        page.wait_for_selector(".simlib-cost b")
    except Exception as err:
        raise AssertionError(f"team {name} did not join: the page says {page.inner_text('main')[:1500]!r}") from err
    return page


def press(page: Any, lever: str, key: str, times: int = 1) -> None:
    """Move a lever with the arrow keys; wait for the cost to follow."""
    before = page.locator(".simlib-cost b").inner_text()
    page.locator(f"#lever-{lever.replace('.', '-').replace('_', '-')}").focus()
    for _ in range(times):
        page.keyboard.press(key)
    if times:
        page.wait_for_function("(before) => document.querySelector('.simlib-cost b').innerText !== before", arg=before)


def submit(page: Any, wanted: str) -> None:
    """Tab to Submit and press Enter; "Submitted" shows only after the server stored it."""
    page.wait_for_selector(".simlib-submit:not([disabled])")  # the round is open
    page.locator(".simlib-submit").focus()
    page.keyboard.press("Enter")
    wait_text(page, ".simlib-status.ok", wanted)


# ---------------------------------------------------------------- the instructor


def console(chrome: Any, info: dict[str, str], lang: str = "en") -> Any:
    t = translator(lang).gettext
    page = chrome.new_context(viewport=PROJECTOR).new_page()
    page.set_default_timeout(90_000)
    page.goto(info["instructor"], timeout=120_000)
    page.locator(".simlib-instructor-code input").fill(info["instructor_code"])
    page.get_by_role("button", name=t("Open"), exact=True).click()
    wait_text(page, ".simlib-game-info", info["code"], timeout=120)
    return page


def close_round(boss: Any, number: int, lang: str = "en") -> None:
    t = translator(lang).gettext
    boss.get_by_role("button", name=t("Close round"), exact=True).click()
    wait_text(boss, ".simlib-message", t("Round {n} is closed: {teams} team(s), {runs} weeks each.").split("{")[0]
              + str(number), timeout=180)  # fmt: skip


def open_round(boss: Any, number: int, lang: str = "en") -> None:
    t = translator(lang).gettext
    boss.get_by_role("button", name=t("Open round"), exact=True).click()
    wait_text(boss, ".simlib-message", t("Round {n} is open: the teams can submit.").format(n=number))


def set_event(boss: Any, key: str, lang: str = "en") -> None:
    t = translator(lang).gettext
    title = t(EVENTS[key].title)
    index = boss.wait_for_function(  # ipywidgets writes the labels with no-break spaces
        "(title) => { const i = Array.from(document.querySelector('.simlib-event-choice select').options,"
        " o => o.label.replace(/\u00a0/g, ' ')).findIndex(label => label.startsWith(title));"
        " return i >= 0 ? i + 1 : 0; }",
        arg=title,
    ).json_value()
    boss.locator(".simlib-event-choice select").select_option(index=index - 1)
    boss.get_by_role("button", name=t("Set event"), exact=True).click()
    wait_text(boss, ".simlib-message", title)
    wait_text(boss, ".simlib-game-info", title)


# ---------------------------------------------------------------- the tests


def test_thirty_teams_open_the_page_at_once(chromium: str, server_base: Path) -> None:
    m = bench.measure(chromium, server_base)
    print(bench.describe(m))
    assert m["shown"] == bench.TEAMS, f"only {m['shown']} of {bench.TEAMS} pages showed the name field"
    assert m["slowest_team"] <= bench.RATIO * m["slowest_static"], bench.describe(m)
    assert m["peak_bytes"] < bench.PEAK_BYTES, bench.describe(m)


def test_an_instructor_and_thirty_teams_play_a_round(chrome: Any, server_base: Path) -> None:
    server = classroom(server_base, rounds=2)
    with server, bench.PeakMemory(server.process.pid) as memory:
        info = bench.printed(server)
        boss = console(chrome, info)
        open_round(boss, 1)
        pages = [team_joins(chrome, info["teams"], f"team {i:02d}") for i in range(30)]
        accessible(pages[0], "team page")
        for i, page in enumerate(pages):
            press(page, "first_line.agents", "ArrowRight" if i % 2 else "ArrowLeft", i % 3)
            submit(page, "Submitted for round 1")
        with game_of(server_base, info["code"]) as game:  # ten more teams that play the defaults
            for i in range(10):
                cr.join(game, f"late {i}")
        boss.get_by_role("button", name="Refresh", exact=True).click()
        wait_text(boss, ".simlib-teams", "30 submitted")
        accessible(boss, "instructor console")
        close_round(boss, 1)
        wait_text(boss, ".simlib-leaderboard", "Leaderboard, round 1")
        board = boss.locator(".simlib-board")
        assert boss.locator(".simlib-board tr[data-team]").count() == 40
        width = board.evaluate("t => t.getBoundingClientRect().right")
        assert width <= PROJECTOR["width"], f"the leaderboard is {width:.0f} px wide at 1024x768"
        heights = board.evaluate("t => Array.from(t.querySelectorAll('tr[data-team]'), r => r.offsetHeight)")
        assert max(heights) <= 1.5 * min(heights), f"a leaderboard row wraps: row heights {sorted(set(heights))}"
        top = boss.get_by_role("button", name="Close round", exact=True).bounding_box()
        assert top["y"] + top["height"] <= PROJECTOR["height"], "Close sits at the top"
        shoot(boss, "30-instructor-40-teams-1024")
        for page in pages:
            wait_text(page, ".simlib-results", "Your results, round 1", timeout=60)
        assert pages[0].locator(".simlib-leaderboard tr[data-team]").count() == 40
        shoot(pages[1], "30-team-results-375")
        accessible(pages[1], "team page with results")
    print(f"a round of 30 teams: the server and its children peaked at {memory.peak / 2**20:.0f} MiB "
          f"({memory.processes} processes)")  # fmt: skip
    assert memory.peak < bench.PEAK_BYTES


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_an_instructor_and_three_teams_play_a_full_game(chrome: Any, server_base: Path, lang: str) -> None:
    t = translator(lang).gettext
    server = classroom(server_base, rounds=2, lang=lang if lang != "en" else "")
    with server:
        info = bench.printed(server)
        boss = console(chrome, info, lang)
        set_event(boss, "major-disruption", lang)
        with game_of(server_base, info["code"]) as game:
            assert cr.game_state(game).current.event == "major-disruption", "the console stored the event"
        teams = {
            "red": team_joins(chrome, info["teams"], "red", PHONE),
            "blue": team_joins(chrome, info["teams"], "blue", PROJECTOR),
            "Zoë": team_joins(chrome, info["teams"], "Zoë", PHONE),
        }
        assert teams["red"].locator(".simlib-submit").is_disabled(), "no submission before the round opens"
        shoot(teams["red"], f"{lang}-0-team-red-prepared-375")
        open_round(boss, 1, lang)
        submitted = t(
            "Submitted for round {round} (cost {cost}). You can change your levers and submit again until the "
            "instructor closes the round."
        ).split("{")[0]
        for i, page in enumerate(teams.values()):
            wait_text(page, ".simlib-event", t("Major disruption"))
            press(page, "first_line.agents", "ArrowRight", i)
            submit(page, submitted + "1")
        shoot(teams["red"], f"{lang}-1-team-red-submitted-375")
        shoot(teams["blue"], f"{lang}-1-team-blue-submitted-1024")
        shoot(boss, f"{lang}-2-instructor-round-1-1024")
        close_round(boss, 1, lang)
        set_event(boss, "attack-wave", lang)
        open_round(boss, 2, lang)
        for name, page in teams.items():
            wait_text(page, ".simlib-results h2", t("Your results, round {round}").format(round=1))
            wait_text(page, ".simlib-event", t("Attack wave"))
            press(page, "security.verification", "ArrowRight", 2 if name != "Zoë" else 0)
            submit(page, submitted + "2")
        shoot(teams["Zoë"], f"{lang}-3-team-zoe-results-375")
        shoot(teams["blue"], f"{lang}-3-team-blue-results-1024")
        close_round(boss, 2, lang)
        wait_text(boss, ".simlib-game-info", t("The game is over."))
        boss.get_by_role("button", name=t("Debrief"), exact=True).click()
        boss.wait_for_selector(".simlib-advice li", timeout=180_000)
        assert boss.locator(".simlib-advice li").count() == 3
        assert boss.locator(".simlib-debrief img").count() == 2
        shoot(boss, f"{lang}-4-instructor-debrief-1024")
        for name, page in teams.items():
            wait_text(page, ".simlib-round", t("The game is over. Thank you for playing!"))
            wait_text(page, ".simlib-results h2", t("Your results, round {round}").format(round=2))
            accessible(page, f"team {name} at the end")
        shoot(teams["red"], f"{lang}-5-team-red-final-375")
        accessible(boss, "console after the debrief")


def alive(pids: list[int]) -> list[str]:
    """The processes of ``pids`` still running, by command line."""
    import psutil

    out = []
    for pid in pids:
        try:
            p = psutil.Process(pid)
            if p.status() != psutil.STATUS_ZOMBIE:
                out.append(f"{pid}: {' '.join(p.cmdline())[:200]}")
        except psutil.NoSuchProcess:
            pass
    return out


def test_the_server_killed_mid_round_comes_back_and_loses_nothing(chrome: Any, server_base: Path) -> None:
    import psutil

    server = classroom(server_base, rounds=2).start()
    info = bench.printed(server)
    try:
        open_round(console(chrome, info), 1)  # its kernel and the workers it warms up are the server's children
        red = team_joins(chrome, info["teams"], "red")
        blue = team_joins(chrome, info["teams"], "blue")
        press(red, "first_line.agents", "ArrowRight", 1)
        submit(red, "Submitted for round 1")
        press(blue, "first_line.agents", "ArrowRight", 2)  # blue's choice, not yet sent
        sent = red.locator(".simlib-sent").inner_text()
        family = [server.process.pid, *(p.pid for p in psutil.Process(server.process.pid).children(recursive=True))]
        assert len(family) >= 2, "the console's kernel runs"
        os.kill(server.process.pid, signal.SIGKILL)
        server.process.wait(10)
        for page in (red, blue):
            wait_text(page, ".simlib-connection", "Reconnecting...", timeout=30)
        deadline = time.monotonic() + 30
        while left := alive(family):
            assert time.monotonic() < deadline, f"left behind by the killed server: {left}"
            time.sleep(0.5)
    finally:
        server.stop()
    again = classroom(server_base, rounds=2, game=info["code"], port=server.port)
    with again:
        for page in (red, blue):
            page.wait_for_function("() => !document.querySelector('.simlib-connection').innerText.includes('Reconn')",
                                   timeout=30_000)  # fmt: skip
        assert red.locator(".simlib-sent").inner_text() == sent, "red's submission is still there"
        submit(blue, "Submitted for round 1")
        with game_of(server_base, info["code"]) as game:
            default = next(lv.default for lv in cr.levers(game, 1) if lv.name == "first_line.agents")
            assert cr.submission(game, "red").choices["first_line.agents"] == default + 1
            assert cr.submission(game, "blue").choices["first_line.agents"] == default + 2, "blue's unsent choice kept"
