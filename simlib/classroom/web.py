"""The team page: a light web page and a small JSON API, served by the game's own server.

A team page holds no kernel. ``python -m simlib.classroom serve`` runs one process: Voila (a
tornado application, shipped with the Jupyter stack) serves the instructor's console, and the
same tornado application serves, beside it,

- ``/team``: the team page, plain HTML with a form and a little JavaScript (``static/team.js``);
- ``/team/api/join``, ``/team/api/state``, ``/team/api/cost``, ``/team/api/submit``: JSON.

Thirty teams are thirty browsers polling one process every few seconds, not thirty kernels.
The game's calls are short SQLite transactions (:class:`~simlib.classroom.game.Game`); they run
on a few threads so that the server keeps answering while one waits for the writer's lock.

Every answer is the game as stored: ``submit`` answers only after the commit, so the page says
"Submitted" only then. A refusal (a ValueError of the game) answers 400 with its plain message;
a game file that is missing or cannot be read answers 503 with one clear message; anything
else is logged with its cause and answers 500 with a short sentence. Names are only ever put
on the page as text (``textContent``), never as HTML.
"""

from __future__ import annotations

import functools
import html
import json
import logging
import math
import sqlite3
import string
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import tornado.web
from tornado.ioloop import IOLoop

from simlib.classroom.events import EVENTS
from simlib.classroom.game import Game
from simlib.classroom.rounds import TeamEntry
from simlib.classroom.storage import game_path
from simlib.i18n import _, error, translator, using

__all__ = ["POLL_SECONDS", "GameUnavailable", "Games", "handlers", "team_html"]

log = logging.getLogger("simlib.classroom.web")
STATIC = Path(__file__).with_name("static")
POLL_SECONDS = 2.0


class GameUnavailable(RuntimeError):
    """A game whose file is missing or cannot be read (the message says so, for teams and instructor)."""


class Games:
    """The games of a folder, opened once each and shared by the server's threads.

    A game whose file was deleted or replaced under the server is opened again (and refused if
    it is gone), so nothing is acknowledged that went to a file no one reads. A closed round's
    leaderboard never changes: it is computed once per game and round.
    """

    def __init__(self, directory: str | Path) -> None:
        self.dir = Path(directory)
        self._open: dict[str, tuple[tuple[int, int], Game, dict[Any, Any]]] = {}
        self._lock = threading.Lock()

    def get(self, code: str) -> tuple[Game, dict[Any, Any]]:
        """The game of ``code`` and its cache; GameUnavailable if its file is missing or unreadable."""
        path = game_path(self.dir, code)  # ValueError: not a game code
        code = path.stem
        try:
            st = path.stat()
        except FileNotFoundError:
            self.forget(code)
            raise GameUnavailable(
                _("game {code}: the server has no game with this code (its file is missing); check the code, "
                  "or tell the instructor").format(code=code)
            ) from None  # fmt: skip
        key = (st.st_dev, st.st_ino)
        with self._lock:
            entry = self._open.get(code)
            if entry is not None and entry[0] == key:
                return entry[1], entry[2]
            if entry is not None:
                log.warning("game %s: its file %s was replaced; opening it again", code, path)
                entry[1].close()
                del self._open[code]
            try:
                game = Game.open(path)
            except (ValueError, sqlite3.DatabaseError) as err:
                log.error("game %s: its file %s cannot be read: %s", code, path, err)
                raise unreadable(code) from err
            self._open[code] = (key, game, {})
            return game, self._open[code][2]

    def forget(self, code: str) -> None:
        with self._lock:
            entry = self._open.pop(code, None)
        if entry is not None:
            entry[1].close()

    def close(self) -> None:
        for code in list(self._open):
            self.forget(code)


def unreadable(code: str) -> GameUnavailable:
    return GameUnavailable(
        _("game {code}: its file on the server cannot be read (it is damaged); nothing was stored. "
          "Tell the instructor").format(code=code)
    )  # fmt: skip


# ---------------------------------------------------------------------------------- what a team sees


def _number(x: Any) -> str:
    return translator().number(x, 0) if x is not None and math.isfinite(x) else "-"


def _percent(x: Any) -> str:
    return translator().percent(x, 1) if x is not None and math.isfinite(x) else "-"


def _levers(game: Game, number: int) -> list[dict[str, Any]]:
    out = []
    for lv in game.levers(number):
        out.append({
            "name": lv["name"], "label": _(lv["label"]), "concept": _(lv["concept"]), "half": _(lv["half"]),
            "kind": lv["kind"], "low": lv["low"], "high": lv["high"], "step": lv["step"], "price": lv["price"],
            "default": lv["default"], "options": list(lv["options"]),
        })  # fmt: skip
    return out


def _choices_text(levers: list[dict[str, Any]], choices: dict[str, Any]) -> list[list[str]]:
    """A submission as the team reads it: each lever's label and value."""
    out = []
    for lv in levers:
        value = choices.get(lv["name"], lv["default"])
        if lv["kind"] == "types":
            shown = ", ".join(value) if value else "-"
        elif lv["kind"] == "whole":
            shown = str(int(value))
        else:
            shown = translator().number(float(value), 2)
        out.append([lv["label"], shown])
    return out


def _results(game: Game, cache: dict[Any, Any], team: TeamEntry, number: int) -> dict[str, Any]:
    """A team's results in a closed round: its measures, why, what it played, and the leaderboard."""
    key = ("board", number)
    if key not in cache:
        cache[key] = game.leaderboard(number)
    rows = cache[key]
    mine = next((r for r in rows if r["team"] == team.name), None)
    board = [
        {
            "team": r["team"], "rank": r["rank"], "value": _percent(r["value"]),
            "value_ci": _("{low} to {high}").format(low=_percent(r["value_low"]), high=_percent(r["value_high"])),
            "utility": _percent(r["utility"]), "warranty": _percent(r["warranty"]), "cost": _number(r["cost"]),
            "submitted": bool(r["submitted"]), "mine": r["team"] == team.name,
        }
        for r in rows
    ]  # fmt: skip
    out: dict[str, Any] = {"round": number, "teams": len(rows), "board": board}
    if mine is None:
        return out
    why_key = ("why", number, team.name)
    if why_key not in cache:
        cache[why_key] = game.explain(team, number)
    played = game._played(number).get(team.name, {})
    levers = _levers(game, number)
    out["mine"] = {
        "value": _percent(mine["value"]), "utility": _percent(mine["utility"]),
        "warranty": _percent(mine["warranty"]), "rank": mine["rank"], "cost": _number(mine["cost"]),
        "why": error(cache[why_key]), "submitted": bool(played.get("submitted")),
        "played": _choices_text(levers, played.get("choices", {})),
        "numbers": {k: mine[k] if math.isfinite(mine[k]) else 0.0 for k in ("value", "utility", "warranty")},
    }  # fmt: skip
    return out


def view(game: Game, cache: dict[Any, Any], team: TeamEntry) -> dict[str, Any]:
    """Everything a team's page shows, as stored now."""
    st = game.state()
    out: dict[str, Any] = {
        "game": game.code, "team": team.name, "token": team.token, "round": st["round"], "rounds": st["rounds"],
        "status": st["status"], "over": st["over"],
    }  # fmt: skip
    if not st["over"]:
        number = st["round"]
        ev = EVENTS[st["event"]]
        out["event"] = {"key": ev.key, "title": _(ev.title), "concept": _(ev.concept) if ev.concept else "",
                        "text": _(ev.text)}  # fmt: skip
        out["budget"] = st["budget"]
        out["budget_text"] = _number(st["budget"])
        out["levers"] = _levers(game, number)
        sub = game.submission(team, number)
        out["submission"] = None
        if sub is not None:
            played = _choices_text(out["levers"], sub["choices"])
            out["submission"] = {"choices": sub["choices"], "cost": _number(sub["cost"]), "played": played}
    last = st["last_closed"]
    out["results"] = _results(game, cache, team, last) if last is not None else None
    return out


# ---------------------------------------------------------------------------------- the page


def team_html(code: str = "") -> str:
    """The team page: the join form is in the HTML itself, so it shows before any script runs."""
    t = {
        "lang": translator().lang,
        "title": _("Service desk game: your team"),
        "intro": _("Enter the game code the instructor gave you and a name for your team. If your team joined "
                   "already, enter its rejoin code instead of a name."),
        "code": _("Game code"), "name": _("Team name"), "token": _("Rejoin code"),
        "name_hint": _("up to 20 letters, digits, spaces, '-' or '_'"), "token_hint": _("only to rejoin"),
        "join": _("Join"), "submit": _("Submit"), "noscript": _("This page needs JavaScript."),
    }  # fmt: skip
    texts = {
        "reconnecting": _("Reconnecting... the server cannot be reached just now; the page keeps trying."),
        "back": _("Connected again."),
        "sending": _("Sending..."),
        "submitted": _("Submitted for round {round} (cost {cost}). You can change your levers and submit again "
                       "until the instructor closes the round."),
        "not_sent": _("Not submitted: the server cannot be reached. Your choices are kept on this page; submit "
                      "again when it is back."),
        "you_are": _("You are team {name}. Your rejoin code is {token}: keep it to rejoin from another page."),
        "round_of": _("Team {name}, round {round} of {rounds}"),
        "this_week": _("This week: {title}"),
        "budget": _("Budget for the round: {budget}."),
        "cost": _("Cost {cost} of a budget of {budget}"),
        "over_budget": _("over the budget"),
        "closing": _("The round is being closed; submissions wait for the next round."),
        "not_open": _("The round is not open yet; your choices are kept until it is."),
        "over": _("The game is over. Thank you for playing!"),
        "moves": _("moves {half}"),
        "your_results": _("Your results, round {round}"),
        "rank": _("rank {rank} of {teams}"),
        "you_played": _("What you played in round {round}"),
        "defaults": _("You did not submit: your team played the round's defaults."),
        "joined_after": _("Round {round} is closed; your team joined after it."),
        "leaderboard": _("Leaderboard, round {round}"),
        "last_sent": _("Your last submission for this round"),
        "cols": [_("rank"), _("team"), _("value (95% CI)"), _("utility"), _("warranty"), _("cost")],
        "value": _("value"), "utility": _("utility"), "warranty": _("warranty"), "cost_word": _("cost"),
        "rejoin": _("Rejoin code"),
        "server_error": _("The server could not do this just now; try again, or tell the instructor."),
        "leave": _("Leave this team"),
    }  # fmt: skip
    values = {k: html.escape(v) for k, v in t.items()}
    values.update(game_code=html.escape(code), texts=_json_for_script(texts),
                  settings=_json_for_script({"poll": POLL_SECONDS}))  # fmt: skip
    return string.Template((STATIC / "team.html").read_text(encoding="utf-8")).substitute(values)


def _json_for_script(data: Any) -> str:
    """JSON that cannot end the ``<script>`` it sits in."""
    return json.dumps(data).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# ---------------------------------------------------------------------------------- the handlers


class _Base(tornado.web.RequestHandler):
    def initialize(self, games: Games, lang: str, pool: ThreadPoolExecutor) -> None:
        self.games, self.lang, self.pool = games, lang, pool

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")

    def prepare(self) -> None:
        """The API takes JSON bodies only (a cross-site form cannot send one) and acts only with a team's code."""
        if self.request.method == "POST" and not self.request.headers.get("Content-Type", "").startswith(
            "application/json"
        ):
            raise tornado.web.HTTPError(415, "expected a JSON body")

    async def run(self, fn: Callable[[], Any]) -> Any:
        def in_language() -> Any:
            with using(self.lang):
                return fn()

        return await IOLoop.current().run_in_executor(self.pool, in_language)


class TeamPageHandler(_Base):
    async def get(self) -> None:
        code = self.get_query_argument("game", "").strip().upper()
        code = code if code.isalnum() and len(code) <= 12 else ""
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Content-Security-Policy", "default-src 'self'; script-src 'self'; object-src 'none'")
        with using(self.lang):
            self.finish(team_html(code))


class ApiHandler(_Base):
    """``/team/api/<action>``: join, state, cost, submit; JSON in, JSON out."""

    async def get(self, action: str) -> None:
        if action != "state":
            raise tornado.web.HTTPError(405)
        args = {k: self.get_query_argument(k, "") for k in ("game", "token")}
        await self.answer(action, args)

    async def post(self, action: str) -> None:
        if action not in ("join", "cost", "submit", "state"):
            raise tornado.web.HTTPError(404)
        try:
            args = json.loads(self.request.body or b"{}")
            if not isinstance(args, dict):
                raise ValueError
        except ValueError:
            self.reply({"error": "request: expected a JSON object"}, 400)
            return
        await self.answer(action, args)

    async def answer(self, action: str, args: dict[str, Any]) -> None:
        code = str(args.get("game", "")).strip().upper()
        try:
            data = await self.run(functools.partial(self.act, action, code, args))
        except GameUnavailable as err:
            self.reply({"error": str(err), "unavailable": True}, 503)
        except sqlite3.DatabaseError as err:
            log.error("game %s: %s failed, its file cannot be read: %s", code, action, err)
            self.games.forget(code) if code.isalnum() else None
            with using(self.lang):
                self.reply({"error": str(unreadable(code)), "unavailable": True}, 503)
        except ValueError as err:
            log.info("game %s: %s refused: %s", code, action, err)
            with using(self.lang):
                self.reply({"error": error(err)}, 400)
        except Exception:  # noqa: BLE001 - logged with its cause; the page gets a sentence, never a traceback
            log.exception("game %s: %s failed", code, action)
            with using(self.lang):
                self.reply({"error": _("The server could not do this just now; try again, or tell the instructor.")},
                           500)  # fmt: skip
        else:
            self.reply(data)

    def act(self, action: str, code: str, args: dict[str, Any]) -> dict[str, Any]:
        game, cache = self.games.get(code)
        if action == "join":
            token = str(args.get("token") or "").strip()
            team = game.team(token) if token else game.join(str(args.get("name") or ""))
            log.info("game %s: team %r %s", code, team.name, "rejoined" if token else "joined")
            return view(game, cache, team)
        team = game.team(str(args.get("token") or ""))
        if action == "state":
            return view(game, cache, team)
        choices = args.get("choices")
        if not isinstance(choices, dict):
            raise ValueError("choices: expected the levers and their values")
        number = args.get("round")
        if action == "cost":
            cost = game.cost(choices, number)
            budget = game.round_info(number if number is not None else game.state()["round"])["budget"]
            return {"cost": cost, "cost_text": _number(cost), "budget_text": _number(budget),
                    "over": cost > budget + 1e-6}  # fmt: skip
        sub = game.submit(team, choices, round=number)
        log.info("game %s: team %r submitted for round %s", code, team.name, sub["round"])
        return {"round": sub["round"], "cost": _number(sub["cost"]), "choices": sub["choices"]}

    def reply(self, data: dict[str, Any], status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps(data))


class _Static(tornado.web.StaticFileHandler):
    def set_extra_headers(self, path: str) -> None:
        self.set_header("Cache-Control", "no-cache")


def handlers(directory: str | Path, lang: str, threads: int = 4) -> list[tuple[Any, ...]]:
    """The team page's routes, to add to a tornado application (Voila's, in ``serve``)."""
    options = {"games": Games(directory), "lang": lang, "pool": ThreadPoolExecutor(threads, "simlib-team")}
    return [
        (r"/", tornado.web.RedirectHandler, {"url": "/team"}),
        (r"/team/?", TeamPageHandler, options),
        (r"/team/api/(\w+)", ApiHandler, options),
        (r"/team/static/(.*)", _Static, {"path": str(STATIC)}),
    ]
