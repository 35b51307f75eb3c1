"""The team page's server (:mod:`simlib.classroom.web`) without a browser: the page, the JSON API,
what is acknowledged (only what is stored), and the errors (plain sentences, logged with their cause)."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any

import pytest
import tornado.web
from tornado.testing import AsyncHTTPTestCase

import simlib
from simlib import classroom as cr
from simlib.classroom.web import handlers


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """A games folder with one short game, as `make classroom` leaves it."""
    monkeypatch.setattr(cr.pool, "default_workers", lambda: 1)
    with new_game(tmp_path) as game:
        cr.open_round(game)
    return {"dir": tmp_path, "code": "ABC234", "path": cr.game_path(tmp_path, "ABC234")}


def new_game(folder: Path) -> cr.Store:
    sc = simlib.load_scenario("service-desk").replace(horizon=48.0)
    return cr.create_game(cr.game_path(folder, "ABC234"), sc, rounds=2, seed=3, runs=2, code="ABC234")


def stored(folder: dict) -> cr.Store:
    return cr.Store.open(folder["path"])


class Client(AsyncHTTPTestCase):
    """The server's team routes on a test port; ``call`` posts JSON and returns (status, answer)."""

    def __init__(self, directory: Path, lang: str = "en") -> None:
        self.directory, self.lang = directory, lang
        super().__init__("runTest")

    def runTest(self) -> None:  # noqa: N802 - unittest's name
        pass

    def get_app(self) -> tornado.web.Application:
        return tornado.web.Application(handlers(self.directory, self.lang))

    def call(self, action: str, **body: Any) -> tuple[int, dict[str, Any]]:
        answer = self.fetch(f"/team/api/{action}", method="POST", body=json.dumps(body),
                            headers={"Content-Type": "application/json"})  # fmt: skip
        return answer.code, json.loads(answer.body)


@pytest.fixture
def client(folder: dict[str, Any]) -> Any:
    c = Client(folder["dir"])
    c.setUp()
    yield c
    c.tearDown()


def test_the_page_carries_the_join_form_and_the_game_code(client: Client) -> None:
    page = client.fetch("/team?game=abc234").body.decode()
    assert 'id="team-name"' in page and 'value="ABC234"' in page
    assert 'aria-live="polite"' in page and "Reconnecting..." in page
    assert 'value=""' in client.fetch("/team?game=%3Cscript%3E").body.decode(), "a code that is not one is dropped"
    assert client.fetch("/team/static/team.js").code == 200
    assert client.fetch("/", follow_redirects=False).headers["Location"] == "/team"


def test_a_team_joins_sees_the_cost_submits_and_its_submission_is_stored(client: Client, folder: dict) -> None:
    status, view = client.call("join", game="abc234", name="red")
    assert status == 200 and view["team"] == "red" and view["round"] == 1 and view["submission"] is None
    agents = next(lv for lv in view["levers"] if lv["name"] == "first_line.agents")
    choices = {"first_line.agents": agents["default"] + 1}
    status, cost = client.call("cost", game="ABC234", token=view["token"], round=1, choices=choices)
    game = stored(folder)
    assert status == 200 and cost["cost"] == pytest.approx(cr.cost(game, choices, 1)) and not cost["over"]
    status, sub = client.call("submit", game="ABC234", token=view["token"], round=1, choices=choices)
    assert status == 200 and sub["round"] == 1
    assert cr.submission(game, "red").choices["first_line.agents"] == agents["default"] + 1, "stored before the reply"
    status, view = client.call("state", game="ABC234", token=view["token"])
    assert dict(view["submission"]["played"])["Agents"] == str(agents["default"] + 1), "the last submission is shown"
    status, again = client.call("join", game="ABC234", token=view["token"].lower())
    assert status == 200 and again["team"] == "red", "the rejoin code rejoins the same team"


def test_refusals_are_plain_sentences(client: Client, folder: dict) -> None:
    status, answer = client.call("join", game="../../etc/passwd", name="x")
    assert status == 400 and answer["error"].startswith("game code: '../../ETC/PASSWD' is not a game code")
    status, answer = client.call("join", game="ZZZ999", name="x")
    assert status == 503 and answer["error"].startswith("game ZZZ999: the server has no game with this code")
    status, answer = client.call("join", game="ABC234", name="<script>")
    assert status == 400 and answer["error"].startswith("team:")
    status, answer = client.call("join", game="ABC234", name="Zoë")
    assert status == 200 and answer["team"] == "Zoë", "letters of any script"
    _, red = client.call("join", game="ABC234", name="red")
    status, answer = client.call("join", game="ABC234", name="RED")
    assert status == 400 and answer["error"].startswith("team: 'RED' is taken")
    status, answer = client.call("submit", game="ABC234", token=red["token"], round=1,
                                 choices={"first_line.agents": 30})  # fmt: skip
    assert status == 400 and answer["error"].startswith("budget:")
    status, answer = client.call("submit", game="ABC234", token="WRONG123", round=1, choices={})
    assert status == 400 and answer["error"].startswith("token:")
    answer = client.fetch("/team/api/join", method="POST", body="game=ABC234&name=x")
    assert answer.code == 415, "a form posted from another site is refused"
    assert cr.submission(stored(folder), "red") is None


def test_nothing_is_acknowledged_that_is_not_stored(client: Client, folder: dict, caplog: Any) -> None:
    _, red = client.call("join", game="ABC234", name="red")
    folder["path"].unlink()  # the game file deleted under a running server
    with caplog.at_level(logging.INFO, logger="simlib.classroom.web"):
        status, answer = client.call("submit", game="ABC234", token=red["token"], round=1, choices={})
    assert status == 503 and "its file is missing" in answer["error"]
    assert not folder["path"].exists()
    new_game(folder["dir"]).close()
    with open(folder["path"], "r+b") as f:  # its header corrupted
        f.write(b"this is not sqlite" * 8)
    with caplog.at_level(logging.INFO, logger="simlib.classroom.web"):
        status, answer = client.call("join", game="ABC234", name="blue")
    assert status == 503
    assert answer["error"].startswith("The game's file ABC234.sqlite cannot be used (the file is damaged)")
    assert any("the file is damaged" in r.getMessage() for r in caplog.records), "the server's log says why"


def test_an_unexpected_error_is_logged_with_its_cause(
    client: Client, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    _, red = client.call("join", game="ABC234", name="red")

    def boom(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("simlib.classroom.web.submit", boom)
    with caplog.at_level(logging.INFO, logger="simlib.classroom.web"):
        status, answer = client.call("submit", game="ABC234", token=red["token"], round=1, choices={})
    assert status == 500 and "disk on fire" not in answer["error"] and "try again" in answer["error"]
    failed = [r for r in caplog.records if r.exc_info]
    assert failed and "disk on fire" in str(failed[0].exc_info[1])


def test_a_closed_round_shows_the_results_what_was_played_and_the_board(client: Client, folder: dict) -> None:
    _, red = client.call("join", game="ABC234", name="red")
    _, blue = client.call("join", game="ABC234", name="blue")
    client.call("submit", game="ABC234", token=red["token"], round=1, choices={"first_line.agents": 6})
    cr.close_round(stored(folder), workers=1)
    _, view = client.call("state", game="ABC234", token=red["token"])
    results = view["results"]
    assert results["round"] == 1 and [r["team"] for r in results["board"]] != []
    assert {r["team"] for r in results["board"]} == {"red", "blue"}
    assert dict(results["mine"]["played"])["Agents"] == "6" and results["mine"]["submitted"]
    assert re.fullmatch(r"\d+\.\d%", results["mine"]["value"])
    _, view = client.call("state", game="ABC234", token=blue["token"])
    assert not view["results"]["mine"]["submitted"], "blue played the defaults, and is told so"
    assert view["status"] == "prepared" and view["round"] == 2
    status, answer = client.call("submit", game="ABC234", token=red["token"], round=1, choices={})
    assert status == 400 and answer["error"].startswith("round: round 1 is closed"), "a stale page is told in words"
    status, answer = client.call("submit", game="ABC234", token=red["token"], round=2, choices={})
    assert status == 400 and answer["error"].startswith("round: round 2 has not opened yet")


def test_the_page_speaks_dutch(folder: dict) -> None:
    c = Client(folder["dir"], "nl")
    c.setUp()
    try:
        page = c.fetch("/team").body.decode()
        assert '<html lang="nl">' in page and "Teamnaam" in page
        status, answer = c.call("join", game="ZZZ999", name="x")
        assert status == 503 and "ZZZ999" in answer["error"]
    finally:
        c.tearDown()


def test_the_page_puts_text_on_the_page_never_html() -> None:
    """Names and every text from the server go in with textContent: the script writes no HTML."""
    script = (Path(cr.__file__).parent / "static" / "team.js").read_text(encoding="utf-8")
    assert "textContent" in script
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in script, sink
