"""A game's settings and its rounds: which round is open, its event, budget and scenario.

A game is a number of rounds of the same service desk (the game's scenario, its seed, the
weeks per round and the levers teams may set are fixed when it is made). Each round has an
event the instructor picks before the teams submit (:mod:`.events`), and a budget that fits
the round's own settings. A round is ``open`` (teams submit; a resubmission replaces), then
``closing`` (submissions are refused), then ``closed``; the next one opens as it closes. A
team that joins plays from the open round on (:class:`TeamEntry`).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simlib import validation as check
from simlib.classroom.choices import GameLever, choices_cost, game_levers
from simlib.classroom.events import EVENTS, get_event
from simlib.classroom.storage import Store
from simlib.scenario import Scenario

__all__ = ["Rounds", "TeamEntry", "check_budget"]


@dataclass(frozen=True)
class TeamEntry:
    """A team that joined: its name and the token its page keeps to act for it."""

    name: str
    token: str
    first_round: int = 1


def check_budget(budget: Any, default_cost: float, settings: str) -> float:
    """A round's budget: at least what the scenario's own settings cost (they always fit)."""
    return check.number(
        "budget", budget, low=default_cost, allow_inf=True,
        what=f"a number >= {default_cost:,.0f}, the cost of the scenario's own settings{settings}",
    )  # fmt: skip


class Rounds(Store):
    """A game's settings, as stored in its file, and its rounds (the base of :class:`~.game.Game`)."""

    def __init__(self, path: str | Path, _con: sqlite3.Connection | None = None) -> None:
        super().__init__(path, _con)
        meta = dict(self._query("SELECT key, value FROM meta"))
        if "schema" not in meta:
            raise ValueError(f"game: {str(path)!r} is not a classroom game file")
        self.seed = int(meta["seed"])
        self.rounds = int(meta["rounds"])
        self.runs = int(meta["runs"])
        self.budget = float(meta["budget"])
        self.code = meta["code"]
        self.instructor_code = meta["instructor_code"]
        self.allowed: tuple[str, ...] | None = tuple(json.loads(meta["levers"])) if meta.get("levers") else None
        self.base = Scenario.from_dict(json.loads(meta["scenario"]))
        self._scenarios: dict[int, tuple[str, Scenario]] = {}

    # ------------------------------------------------------------------ rounds and teams

    def state(self) -> dict[str, Any]:
        """Where the game is: the open round (or None), its event, budget and status."""
        rows = self._query("SELECT number, event, budget, status FROM rounds ORDER BY number")
        current = next((r for r in rows if r[3] != "closed"), None)
        closed = [r[0] for r in rows if r[3] == "closed"]
        return {
            "round": current[0] if current else None,
            "event": current[1] if current else None,
            "budget": current[2] if current else None,
            "status": current[3] if current else "over",
            "rounds": self.rounds,
            "closed": closed,
            "last_closed": closed[-1] if closed else None,
            "over": current is None,
        }

    def round_info(self, number: int) -> dict[str, Any]:
        rows = self._query(
            "SELECT number, event, budget, status, opened, closed FROM rounds WHERE number = ?", (number,)
        )
        if not rows:
            raise ValueError(f"round: {number!r} has not started; expected one of 1 to {self.rounds} that has")
        n, ev, budget, status, opened, closed = rows[0]
        return {"round": n, "event": ev, "budget": budget, "status": status, "opened": opened, "closed": closed}

    def _round_number(self, number: int | None, *, closed: bool = False) -> int:
        st = self.state()
        if number is None:
            number = st["last_closed"] if closed else st["round"]
            if number is None:
                raise ValueError("round: no round is closed yet" if closed else "round: the game is over")
        number = check.whole("round", number, low=1, high=self.rounds)
        info = self.round_info(number)
        if closed and info["status"] != "closed":
            raise ValueError(f"round: round {number} is not closed yet; its results come when it closes")
        return number

    def scenario(self, number: int | None = None) -> Scenario:
        """The scenario of a round: the game's scenario with the round's event."""
        number = self._round_number(number)
        ev = self.round_info(number)["event"]
        cached = self._scenarios.get(number)
        if cached is None or cached[0] != ev:
            sc = EVENTS[ev].apply(self.base)
            cached = (ev, sc)
            self._scenarios[number] = cached
        return cached[1]

    def levers(self, round: int | None = None) -> list[dict[str, Any]]:
        """What teams may set in a round: name, label, range, price, concept and the round's default."""
        return [lv.as_dict() for lv in self._levers(round)]

    def _levers(self, number: int | None = None) -> list[GameLever]:
        return game_levers(self.scenario(number), self.allowed)

    def events(self) -> list[dict[str, str]]:
        """The events this game's scenario can play: key, title, concept, text."""
        return [
            {"key": e.key, "title": e.title, "concept": e.concept, "text": e.text}
            for e in EVENTS.values()
            if e.available(self.base)
        ]

    def set_event(self, key: str, budget: float | None = None) -> None:
        """Choose the open round's event (and budget), before any team has submitted for it."""
        ev = get_event(key)
        if not ev.available(self.base):
            raise ValueError(f"event: {key!r} needs the scenario field {ev.needs!r}, which this game's scenario lacks")
        st = self.state()
        if st["over"]:
            raise ValueError("event: the game is over; there is no round to set")
        number = st["round"]
        sc = ev.apply(self.base)
        default_cost = choices_cost(sc, {lv.name: lv.default for lv in game_levers(sc, self.allowed)})
        budget = (
            max(self.budget, default_cost) if budget is None else check_budget(budget, default_cost, " in this round")
        )

        def body(con: sqlite3.Connection) -> None:
            status = con.execute("SELECT status FROM rounds WHERE number = ?", (number,)).fetchone()[0]
            if status != "open":
                raise ValueError(f"event: round {number} is being closed; choose the event of the next round")
            n = con.execute("SELECT COUNT(*) FROM submissions WHERE round = ?", (number,)).fetchone()[0]
            old = con.execute("SELECT event FROM rounds WHERE number = ?", (number,)).fetchone()[0]
            if n and old != key:
                raise ValueError(
                    f"event: {n} team(s) have already submitted for round {number} under its event {old!r}; "
                    "choose an event before the teams submit"
                )
            con.execute("UPDATE rounds SET event = ?, budget = ? WHERE number = ?", (key, float(budget), number))

        self._retry_write(body)

    def _team_name(self, team: str | TeamEntry) -> str:
        name = team.name if isinstance(team, TeamEntry) else team
        rows = self._query("SELECT name FROM teams WHERE name = ?", (str(name),))
        if not rows:
            raise ValueError(f"team: {name!r} has not joined this game")
        return rows[0][0]
