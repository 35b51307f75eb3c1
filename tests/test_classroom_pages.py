"""The instructor's console without a browser: who may do what, the round's steps, and a plain message,
never a traceback. (The team page is the web page of simlib.classroom.web: tests/test_classroom_web.py.)"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import simlib
from simlib import classroom as cr
from simlib.dashboards.classroom import InstructorPage


def plain(html_text: str) -> str:
    return re.sub(r"<[^>]+>", "", html_text).replace("&#x27;", "'").strip()


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict:
    """A games folder with one short game, as `make classroom` leaves it."""
    monkeypatch.setattr(cr.pool, "default_workers", lambda: 1)
    monkeypatch.delenv("SIMLIB_CLASSROOM_GAME", raising=False)
    code_i = cr.instructor_code(tmp_path)
    make(tmp_path, "ABC234", code_i).close()
    return {"dir": tmp_path, "code": "ABC234", "instructor": code_i}


def make(folder: Path, code: str, instructor: str) -> cr.Store:
    sc = simlib.load_scenario("service-desk").replace(horizon=48.0)
    return cr.create_game(cr.game_path(folder, code), sc, rounds=2, seed=3, runs=2, code=code,
                          instructor_code=instructor)  # fmt: skip


def store(folder: dict) -> cr.Store:
    return cr.Store.open(cr.game_path(folder["dir"], folder["code"]))


def console(folder: dict, code: str | None = None) -> InstructorPage:
    boss = InstructorPage(folder["dir"], poll=0)
    boss.code.value = folder["instructor"].lower() if code is None else code
    boss.login_button.click()
    return boss


def test_only_the_instructor_code_opens_the_console_and_runs_the_rounds(folder: dict) -> None:
    boss = console(folder, "NOTTHECODE")
    assert plain(boss.message.value).startswith("instructor code:")
    assert boss.game is None and boss.console.layout.display == "none"
    boss = console(folder)
    assert boss.game is not None and folder["code"] in plain(boss.info.value)
    assert "prepared" in plain(boss.info.value) and boss.close_button.disabled and not boss.open_round_button.disabled
    boss.event.value = "failing-system"
    boss.event_button.click()
    assert plain(boss.message.value).startswith("Round 1 is prepared: Systems fail more often")
    with store(folder) as game:
        red, blue = cr.join(game, "red"), cr.join(game, "Zoë")
        with pytest.raises(ValueError, match="has not opened yet"):
            cr.submit(game, red, {})
    boss.open_round_button.click()
    assert plain(boss.message.value) == "Round 1 is open: the teams can submit."
    boss.event.value = "none"
    boss.event_button.click()
    assert plain(boss.message.value).startswith("round:"), "the event stays once the round is open"
    with store(folder) as game:
        cr.submit(game, red, {})
    boss.refresh_button.click()
    assert "2 team(s) joined, 1 submitted" in plain(boss.team_list.summary.value)
    boss.close_button.click()
    assert plain(boss.message.value) == "Round 1 is closed: 2 team(s), 2 weeks each."
    assert boss.progress.value == boss.progress.max
    assert "Leaderboard, round 1" in plain(boss.board.value) and "Zoë" in boss.board.value
    boss.open_round_button.click()
    with store(folder) as game:
        cr.submit(game, blue, {})
    boss.close_button.click()
    assert "The game is over" in plain(boss.info.value)
    boss.debrief_button.click()
    advice = plain(boss.debrief_box.children[-1].value)
    assert "red:" in advice and "Zoë:" in advice
    assert 'alt="Each team over the rounds"' in boss.debrief_box.children[1].value
    boss.export_button.click()
    assert "Download classroom-ABC234.csv" in plain(boss.export_link.value)


def test_the_console_opens_the_game_it_was_started_for(folder: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not the game file modified last: the one `make classroom` printed ($SIMLIB_CLASSROOM_GAME)."""
    with make(folder["dir"], "XYZ789", folder["instructor"]) as other:
        cr.join(other, "late")  # modified last
    for code in ("ABC234", "XYZ789"):
        monkeypatch.setenv("SIMLIB_CLASSROOM_GAME", code)
        boss = console(folder)
        assert boss.game.settings.code == code
        assert len(boss.games.options) == 2


def test_closing_a_round_no_team_submitted_for_asks_first(folder: dict) -> None:
    with store(folder) as game:
        cr.join(game, "red")
    boss = console(folder)
    boss.open_round_button.click()
    boss.close_button.click()
    assert "(0 of 1)" in plain(boss.confirm_text.value) and boss.confirm_box.layout.display is None
    assert plain(boss.message.value) == "Round 1 is open: the teams can submit.", "not closed"
    boss.cancel_button.click()
    assert boss.confirm_box.layout.display == "none"
    boss.close_button.click()
    boss.confirm_button.click()
    assert plain(boss.message.value) == "Round 1 is closed: 1 team(s), 2 weeks each."


def test_the_console_shows_rejoin_codes_reissues_them_and_removes_a_team(folder: dict) -> None:
    with store(folder) as game:
        red = cr.join(game, "red")
        cr.join(game, "joker")
    boss = console(folder)
    assert red.token in boss.team_list.rows.children[1].children[2].value
    boss.team_list.rows.children[1].children[3].click()  # New code
    assert plain(boss.message.value).startswith("Team red has a new rejoin code")
    with store(folder) as game:
        with pytest.raises(ValueError, match="^token:"):
            cr.team(game, red.token)
        assert cr.team_token(game, "red") in boss.team_list.rows.children[1].children[2].value
    boss.team_list.rows.children[2].children[4].click()  # Remove joker
    assert plain(boss.message.value) == "Team joker is removed from the game."
    with store(folder) as game:
        assert [t["team"] for t in cr.teams(game)] == ["red"]
    assert len(boss.team_list.rows.children) == 2


def test_a_new_game_from_the_console(folder: dict) -> None:
    boss = console(folder)
    first = boss.game.settings.code
    boss.rounds.value = 3
    seed = boss.seed.value
    boss.create_button.click()
    assert boss.game.settings.code != first and boss.game.settings.rounds == 3
    assert boss.game.settings.seed == seed
    assert len(boss.games.options) == 2


def test_a_failed_action_reaches_the_server_log_with_its_cause(
    folder: dict, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from simlib.dashboards.classroom_base import log

    boss = console(folder)
    boss.open_round_button.click()

    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(cr, "close_round", boom)
    log.addHandler(caplog.handler)
    try:
        boss.close_button.click()
        boss.event_button.click()  # refused: the round is open
    finally:
        log.removeHandler(caplog.handler)
    assert "disk on fire" not in plain(boss.message.value)
    assert any(r.exc_info and "disk on fire" in str(r.exc_info[1]) for r in caplog.records)
    assert any("refused" in r.getMessage() and "round:" in r.getMessage() for r in caplog.records)
