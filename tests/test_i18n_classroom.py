"""The classroom game's pages in Dutch: a team and the instructor play a round, and no English label shows."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from test_i18n import english_in, english_words, widget_texts

import simlib
from simlib import classroom
from simlib.dashboards.classroom import InstructorPage
from simlib.i18n import translator


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict:
    monkeypatch.setattr(classroom.pool, "default_workers", lambda: 1)
    code_i = classroom.instructor_code(tmp_path)
    sc = simlib.load_scenario("service-desk").replace(horizon=48.0)
    game = classroom.create_game(
        classroom.game_path(tmp_path, "ABC234"), sc, rounds=2, seed=3, runs=2, code="ABC234", instructor_code=code_i
    )
    classroom.open_round(game)
    names = [*sc.type_names, *(g.name for g in sc.customers), "ABC234", *simlib.builtin_scenarios()]
    game.close()
    return {"dir": tmp_path, "code": "ABC234", "instructor": code_i, "names": names}


def test_a_round_of_the_game_in_dutch(folder: dict) -> None:
    vocabulary = english_words()
    boss = InstructorPage(folder["dir"], poll=0, lang="nl")
    names = [*folder["names"], "rood"]

    def no_english(page, when):
        english = english_in(widget_texts(page.widget), vocabulary, names)
        assert not english, f"English on the Dutch page ({when}):\n" + "\n".join(f"{h}: {t!r}" for t, h in english)

    no_english(boss, "before the code")
    with classroom.Store.open(classroom.game_path(folder["dir"], folder["code"])) as game:  # test_classroom_web
        classroom.submit(game, classroom.join(game, "rood"), {})
    boss.code.value = folder["instructor"]
    boss.login_button.click()
    no_english(boss, "console")
    boss.close_button.click()
    assert "Ronde 1 is gesloten" in boss.message.value
    no_english(boss, "after the close")
    boss.debrief_button.click()
    assert "Nabespreking" in boss.debrief_box.children[0].value
    assert "rood:" in boss.debrief_box.children[-1].value
    no_english(boss, "debrief")


def test_the_pages_keep_their_language(folder: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANGUAGE", "en")
    boss = InstructorPage(folder["dir"], poll=0, lang="nl")
    boss.code.value = "ZZZ999"
    boss.login_button.click()
    assert "docentcode: niet de code van dit lokaal" in html.unescape(boss.message.value)


def test_the_new_request_type_event_names_the_type_it_adds() -> None:
    """Its text is written out for the catalogue; it must still name the type the event adds."""
    text = classroom.EVENTS["new-request-type"].text
    assert f"'{classroom.NEW_TYPE}'" in text
    assert f"'{classroom.NEW_TYPE}'" in translator("nl").gettext(text)
