"""The classroom pages without a browser: who may do what, and a plain message, never a traceback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import simlib
from simlib import classroom
from simlib.classroom import Game
from simlib.dashboards.classroom import InstructorPage


def plain(html_text: str) -> str:
    return re.sub(r"<[^>]+>", "", html_text).replace("&#x27;", "'").strip()


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict:
    """A games folder with one short game, as `make classroom` leaves it."""
    monkeypatch.setattr(classroom.pool, "default_workers", lambda: 1)  # run_scenarios looks it up there
    code_i = classroom.instructor_code(tmp_path)
    sc = simlib.load_scenario("service-desk").replace(horizon=48.0)
    game = Game.create(
        classroom.game_path(tmp_path, "ABC234"), sc, rounds=2, seed=3, runs=2, code="ABC234", instructor_code=code_i
    )
    game.close()
    return {"dir": tmp_path, "code": "ABC234", "instructor": code_i}


def join(folder: dict, name: str) -> classroom.TeamEntry:
    """A team joins through the game (its page is the web page of simlib.classroom.web)."""
    with Game.open(classroom.game_path(folder["dir"], folder["code"])) as game:
        return game.join(name)


def submit(folder: dict, team: classroom.TeamEntry, choices: dict | None = None) -> None:
    with Game.open(classroom.game_path(folder["dir"], folder["code"])) as game:
        game.submit(team, choices or {})


def test_only_the_instructor_code_opens_the_console_and_closes_rounds(folder: dict) -> None:
    boss = InstructorPage(folder["dir"], poll=0)
    boss.code.value = "NOTTHECODE"
    boss.login_button.click()
    assert plain(boss.message.value).startswith("instructor code:")
    assert boss.game is None and boss.console.layout.display == "none"
    red, blue = join(folder, "red"), join(folder, "blue")
    submit(folder, red)
    boss.code.value = folder["instructor"].lower()
    boss.login_button.click()
    assert boss.game is not None and folder["code"] in plain(boss.info.value)
    assert "2 team(s) joined, 1 submitted" in plain(boss.teams.value)
    boss.event.value = "failing-system"
    boss.event_button.click()
    assert plain(boss.message.value).startswith("event: 1 team(s) have already submitted")
    boss.close_button.click()
    assert plain(boss.message.value) == "Round 1 is closed: 2 team(s), 2 weeks each."
    assert boss.progress.value == boss.progress.max
    assert "Leaderboard, round 1" in plain(boss.board.value)
    boss.event.value = "failing-system"
    boss.event_button.click()
    assert "Systems fail more often" in plain(boss.info.value)
    submit(folder, blue)
    boss.close_button.click()
    assert "The game is over" in plain(boss.info.value)
    boss.debrief_button.click()
    advice = plain(boss.debrief_box.children[-1].value)
    assert "red:" in advice and "blue:" in advice
    boss.export_button.click()
    assert "Download classroom-ABC234.csv" in plain(boss.export_link.value)


def test_a_new_game_from_the_instructor_page(folder: dict) -> None:
    boss = InstructorPage(folder["dir"], poll=0)
    boss.code.value = folder["instructor"]
    boss.login_button.click()
    first = boss.game.code
    boss.rounds.value = 3
    boss.create_button.click()
    assert boss.game.code != first and boss.game.rounds == 3
    assert len(boss.games.options) == 2


def test_the_console_opens_the_game_it_was_started_for(folder: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not the game file modified last: the one `make classroom` printed ($SIMLIB_CLASSROOM_GAME)."""
    sc = simlib.load_scenario("service-desk").replace(horizon=48.0)
    other = Game.create(classroom.game_path(folder["dir"], "XYZ789"), sc, rounds=2, seed=3, runs=2, code="XYZ789",
                        instructor_code=folder["instructor"])  # fmt: skip
    other.join("late")  # modified last
    other.close()
    monkeypatch.setenv("SIMLIB_CLASSROOM_GAME", folder["code"])
    boss = InstructorPage(folder["dir"], poll=0)
    boss.code.value = folder["instructor"]
    boss.login_button.click()
    assert boss.game.code == folder["code"]
    assert len(boss.games.options) == 2


def test_closing_a_round_no_team_submitted_for_asks_first(folder: dict) -> None:
    join(folder, "red")
    boss = InstructorPage(folder["dir"], poll=0)
    boss.code.value = folder["instructor"]
    boss.login_button.click()
    boss.close_button.click()
    assert "0 of 1 teams have submitted for round 1" in plain(boss.confirm_text.value)
    assert boss.game.state()["round"] == 1, "not closed yet"
    boss.cancel_button.click()
    assert boss.confirm_box.layout.display == "none" and boss.game.state()["round"] == 1
    boss.close_button.click()
    boss.confirm_button.click()
    assert plain(boss.message.value) == "Round 1 is closed: 1 team(s), 2 weeks each."


def test_a_failed_action_reaches_the_server_log_with_its_cause(
    folder: dict, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from simlib.dashboards.classroom_base import log

    boss = InstructorPage(folder["dir"], poll=0)
    boss.code.value = folder["instructor"]
    boss.login_button.click()
    submit(folder, join(folder, "red"))

    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(Game, "close_round", boom)
    log.addHandler(caplog.handler)
    try:
        boss.close_button.click()
    finally:
        log.removeHandler(caplog.handler)
    assert "disk on fire" not in plain(boss.message.value)
    assert any(r.exc_info and "disk on fire" in str(r.exc_info[1]) for r in caplog.records)
