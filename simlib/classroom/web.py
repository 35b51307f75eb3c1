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
import string
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import tornado.web
from tornado.ioloop import IOLoop

from simlib.classroom.debrief import explain, leaderboard
from simlib.classroom.events import EVENTS
from simlib.classroom.plays import PlayKind, played
from simlib.classroom.rounds import game_state, get_round, levers
from simlib.classroom.storage import GameFileError, Store, game_path
from simlib.classroom.teams import TeamEntry, cost, join, submission, submit, team
from simlib.i18n import _, error, translator, using

__all__ = ["POLL_SECONDS", "Games", "handlers", "team_html", "view"]

log = logging.getLogger("simlib.classroom.web")
STATIC = Path(__file__).with_name("static")
POLL_SECONDS = 2.0


class Games:
    """The games of a folder, each opened once and shared by the server's threads.

    A store checks its file at every read and write (:class:`GameFileError` when it is missing,
    replaced or damaged); then it is forgotten here, and the next request opens the file again,
    so nothing is acknowledged that went to a file no one reads.
    """

    def __init__(self, directory: str | Path) -> None:
        self.dir = Path(directory)
        self._open: dict[str, Store] = {}
        self._lock = threading.Lock()

    def get(self, code: str) -> Store:
        """The game of ``code`` (ValueError: not a code; GameFileError: its file cannot be used)."""
        path = game_path(self.dir, code)
        with self._lock:
            store = self._open.get(path.stem)
            if store is None:
                store = self._open[path.stem] = Store.open(path)
            return store

    def forget(self, code: str) -> None:
        with self._lock:
            store = self._open.pop(str(code).strip().upper(), None)
        if store is not None:
            store.close()


# ---------------------------------------------------------------------------------- what a team sees


def _number(x: Any) -> str:
    return translator().number(x, 0) if x is not None and math.isfinite(x) else "-"


def _percent(x: Any) -> str:
    return translator().percent(x, 1) if x is not None and math.isfinite(x) else "-"


def _levers(store: Store, number: int) -> list[dict[str, Any]]:
    return [
        {"name": lv.name, "label": _(lv.label), "concept": _(lv.concept), "half": _(lv.half), "kind": lv.kind,
         "low": lv.low, "high": lv.high, "step": lv.step, "price": lv.price, "default": lv.default,
         "options": list(lv.options)}
        for lv in levers(store, number)
    ]  # fmt: skip


def _choices_text(levers: list[dict[str, Any]], choices: Mapping[str, Any]) -> list[list[str]]:
    """A submission as the team reads it: each lever's label and value."""
    out = []
    for lv in levers:
        value = choices.get(lv["name"], lv["default"])
        if lv["kind"] == "types":
            shown = ", ".join(value) if value else "-"
        elif lv["kind"] == "whole":
            shown = str(int(value))
        else:
            step = lv["step"] or 0.01
            shown = translator().number(float(value), 0 if step >= 1 else 1 if step >= 0.1 else 2)
        out.append([lv["label"], shown])
    return out


def _results(store: Store, me: TeamEntry, number: int) -> dict[str, Any]:
    """A team's results in a closed round: its measures, why, what it played, and the leaderboard."""
    rows = leaderboard(store, number)
    mine = next((r for r in rows if r["team"] == me.name), None)
    board = [
        {
            "team": r["team"], "rank": r["rank"], "value": _percent(r["value"]),
            "value_ci": _("{low} to {high}").format(low=_percent(r["value_low"]), high=_percent(r["value_high"])),
            "utility": _percent(r["utility"]), "warranty": _percent(r["warranty"]), "cost": _number(r["cost"]),
            "mine": r["team"] == me.name,
        }
        for r in rows
    ]  # fmt: skip
    out: dict[str, Any] = {"round": number, "teams": len(rows), "board": board}
    if mine is None:
        return out
    play = played(store, number).get(me.name)
    out["mine"] = {
        "value": _percent(mine["value"]), "utility": _percent(mine["utility"]),
        "warranty": _percent(mine["warranty"]), "rank": mine["rank"], "cost": _number(mine["cost"]),
        "why": explain(store, me.name, number), "submitted": play is not None and play.kind is PlayKind.SUBMITTED,
        "played": _choices_text(_levers(store, number), play.choices if play else {}),
        "numbers": {k: _finite(mine[k]) for k in ("value", "utility", "warranty")},
    }  # fmt: skip
    return out


def _finite(x: Any) -> float:
    return float(x) if x is not None and math.isfinite(x) else 0.0


def view(store: Store, me: TeamEntry) -> dict[str, Any]:
    """Everything a team's page shows, as stored now."""
    st = game_state(store)
    r = st.current
    out: dict[str, Any] = {
        "game": store.settings.code, "team": me.name, "token": me.token, "round": r.number if r else None,
        "rounds": st.rounds, "status": r.status.value if r else "over", "over": r is None,
    }  # fmt: skip
    if r is not None:
        ev = EVENTS[r.event]
        out["event"] = {"key": ev.key, "title": _(ev.title), "concept": _(ev.concept) if ev.concept else "",
                        "text": _(ev.text)}  # fmt: skip
        out["budget"] = r.budget
        out["budget_text"] = _number(r.budget)
        out["levers"] = _levers(store, r.number)
        sub = submission(store, me, r.number)
        out["submission"] = None
        if sub is not None:
            out["submission"] = {"choices": dict(sub.choices), "cost": _number(sub.cost), "over": sub.over_budget,
                                 "played": _choices_text(out["levers"], sub.choices)}  # fmt: skip
    last = st.last_closed
    out["results"] = None if last is None else _closed_results(store, me, last, translator().lang)
    return out


_RESULTS: dict[tuple[str, str, int, str, str], dict[str, Any]] = {}  # a closed round's results never change
_RESULTS_LOCK = threading.Lock()


def _closed_results(store: Store, me: TeamEntry, number: int, lang: str) -> dict[str, Any]:
    """:func:`_results`, worked out once per game, round, team and language (the pages ask every 2 s)."""
    key = (str(store.path), store.meta("created"), number, me.name, lang)
    with _RESULTS_LOCK:
        found = _RESULTS.get(key)
    if found is None:
        found = _results(store, me, number)
        with _RESULTS_LOCK:
            if len(_RESULTS) > 10_000:
                _RESULTS.clear()
            _RESULTS[key] = found
    return found


# ---------------------------------------------------------------------------------- the page


def team_html(code: str = "") -> str:
    """The team page: the join form is in the HTML itself, so it shows before any script runs."""
    t = {
        "lang": translator().lang,
        "title": _("Service desk game: your team"),
        "intro": _("Enter the game code the instructor gave you and a name for your team. If your team joined "
                   "already, enter its rejoin code instead of a name."),
        "code": _("Game code"), "name": _("Team name"), "token": _("Rejoin code"),
        "name_hint": _("up to 20 letters, digits, spaces or '-'"), "token_hint": _("only to rejoin"),
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
        "not_open": _("The round is not open yet: look at the event and set your levers; you can submit once the "
                      "instructor opens it."),
        "over_now": _("Your submission is over this round's budget now (the instructor lowered it): submit again "
                      "within the budget, or your desk plays the round's defaults."),
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
    }  # fmt: skip
    values = {k: html.escape(v) for k, v in t.items()}
    values.update(game_code=html.escape(code), texts=_json_for_script(texts),
                  settings=_json_for_script({"poll": POLL_SECONDS}))  # fmt: skip
    return string.Template((STATIC / "team.html").read_text(encoding="utf-8")).substitute(values)


def _json_for_script(data: Any) -> str:
    """JSON that cannot end the ``<script>`` it sits in."""
    return json.dumps(data).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# ---------------------------------------------------------------------------------- the handlers


class TeamHandler(tornado.web.RequestHandler):
    """``/team``: the page; ``/team/api/<action>``: join, state, cost, submit (JSON in, JSON out)."""

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

    async def get(self, action: str | None = None) -> None:
        if action is not None:
            if action != "state":
                raise tornado.web.HTTPError(405)
            await self.answer(action, {k: self.get_query_argument(k, "") for k in ("game", "token")})
            return
        code = self.get_query_argument("game", "").strip().upper()
        code = code if code.isalnum() and len(code) <= 12 else ""
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Content-Security-Policy", "default-src 'self'; script-src 'self'; object-src 'none'")
        with using(self.lang):
            self.finish(team_html(code))

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
        except GameFileError as err:
            log.error("game %s: %s failed, its file %s cannot be used: %s", code, action, err.path, err.cause)
            self.games.forget(code)
            with using(self.lang):
                self.reply({"error": str(err) if err.path.exists() else self.missing(code), "unavailable": True},
                           503)  # fmt: skip
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

    @staticmethod
    def missing(code: str) -> str:
        return _("game {code}: the server has no game with this code (its file is missing); check the code, or "
                 "tell the instructor").format(code=code)  # fmt: skip

    def act(self, action: str, code: str, args: dict[str, Any]) -> dict[str, Any]:
        store = self.games.get(code)
        if action == "join":
            token = str(args.get("token") or "").strip()
            me = team(store, token) if token else join(store, str(args.get("name") or ""))
            log.info("game %s: team %r %s", code, me.name, "rejoined" if token else "joined")
            return view(store, me)
        me = team(store, str(args.get("token") or ""))
        if action == "state":
            return view(store, me)
        choices = args.get("choices")
        if not isinstance(choices, dict):
            raise ValueError("choices: expected the levers and their values")
        number = args.get("round")
        if action == "cost":
            price = cost(store, choices, number)
            budget = get_round(store, number).budget
            return {"cost": price, "cost_text": _number(price), "budget_text": _number(budget),
                    "over": price > budget + 1e-6}  # fmt: skip
        sub = submit(store, me, choices, number)
        log.info("game %s: team %r submitted for round %s", code, me.name, sub.round)
        return {"round": sub.round, "cost": _number(sub.cost), "choices": dict(sub.choices)}

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
        (r"/team/?", TeamHandler, options),
        (r"/team/api/(\w+)", TeamHandler, options),
        (r"/team/static/(.*)", _Static, {"path": str(STATIC)}),
    ]
