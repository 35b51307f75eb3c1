"""The classroom pages without a browser: who may do what, and a plain message, never a traceback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import simlib
from simlib import classroom
from simlib.classroom import Game
from simlib.dashboards.classroom import InstructorPage, TeamPage


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


def join(folder: dict, name: str) -> TeamPage:
    page = TeamPage(folder["dir"], poll=0)
    page.code.value = folder["code"].lower()
    page.name.value = name
    page.join_button.click()
    return page


def test_a_team_joins_sets_levers_sees_the_cost_and_submits(folder: dict) -> None:
    page = join(folder, "red")
    assert "You are team red" in plain(page.message.value)
    assert "round 1 of 2" in plain(page.header.value)
    cost = plain(page.cost.value)
    page.controls["first_line.agents"].value += 1
    assert plain(page.cost.value) != cost
    page.submit_button.click()
    assert plain(page.status.value).startswith("Submitted for round 1")
    game = Game.open(classroom.game_path(folder["dir"], folder["code"]))
    assert game.submission("red")["choices"]["first_line.agents"] == 6


def test_refusals_are_plain_messages(folder: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    page = TeamPage(folder["dir"], poll=0)
    page.code.value = "../../etc/passwd"
    page.join_button.click()
    assert plain(page.message.value).startswith("game code:")
    page.code.value = "ZZZ999"
    page.join_button.click()
    assert plain(page.message.value).startswith("game code: no game has the code 'ZZZ999'")
    page.code.value = folder["code"]
    page.name.value = "<script>"
    page.join_button.click()
    assert plain(page.message.value).startswith("team:")
    red = join(folder, "red")
    again = join(folder, "RED")
    assert "has joined already" in plain(again.message.value)
    red.controls["first_line.agents"].value = 20
    assert "over the budget" in plain(red.cost.value)
    red.submit_button.click()
    assert plain(red.message.value).startswith("budget:")

    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(Game, "submit", boom)
    red.controls["first_line.agents"].value = 5
    red.submit_button.click()
    assert plain(red.message.value) == "Something went wrong. Try again, or ask the instructor."
    assert "disk on fire" not in red.widget.children[1].value


def test_a_token_rejoins_the_same_team(folder: dict) -> None:
    red = join(folder, "red")
    page = TeamPage(folder["dir"], poll=0)
    page.code.value = folder["code"]
    page.token.value = red.team.token
    page.join_button.click()
    assert page.team == red.team
    page.token.value = "WRONG123"
    other = TeamPage(folder["dir"], poll=0)
    other.code.value = folder["code"]
    other.token.value = "WRONG123"
    other.join_button.click()
    assert plain(other.message.value).startswith("token:")


def test_only_the_instructor_code_opens_the_console_and_closes_rounds(folder: dict) -> None:
    boss = InstructorPage(folder["dir"], poll=0)
    boss.code.value = "NOTTHECODE"
    boss.login_button.click()
    assert plain(boss.message.value).startswith("instructor code:")
    assert boss.game is None and boss.console.layout.display == "none"
    red, blue = join(folder, "red"), join(folder, "blue")
    red.submit_button.click()
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
    blue.refresh()
    assert "Your results, round 1" in plain(blue.results.value)
    assert "Systems fail more often" in plain(blue.header.value)
    blue.submit_button.click()
    boss.close_button.click()
    assert "The game is over" in plain(boss.info.value)
    boss.debrief_button.click()
    advice = plain(boss.debrief_box.children[-1].value)
    assert "red:" in advice and "blue:" in advice
    boss.export_button.click()
    assert "Download classroom-ABC234.csv" in plain(boss.export_link.value)
    blue.refresh()
    assert "The game is over" in plain(blue.header.value)
    blue.submit()  # a stale page that still submits gets a message, not a traceback
    assert plain(blue.message.value).startswith("team:") or plain(blue.message.value).startswith("round:")


def test_a_new_game_from_the_instructor_page(folder: dict) -> None:
    boss = InstructorPage(folder["dir"], poll=0)
    boss.code.value = folder["instructor"]
    boss.login_button.click()
    first = boss.game.code
    boss.rounds.value = 3
    boss.create_button.click()
    assert boss.game.code != first and boss.game.rounds == 3
    assert len(boss.games.options) == 2
