"""The game: making one, teams joining and submitting, and closing a round.

In each round (:mod:`.rounds`) the teams submit their choices (:mod:`.choices`) within the
round's budget (:mod:`.prices`); closing the round runs every team's desk on the same weeks
(:mod:`.pool`) and stores the results, the closing of the round and the opening of the next in
one transaction (:mod:`.storage`). Then the leaderboard and the debrief read them
(:mod:`.debrief`). A :class:`Game` is all of these: ``Store`` <- ``Rounds`` <- ``Debrief`` <-
``Game``, each room using only the ones before it. This API is trusted: the pages
(:mod:`simlib.dashboards.classroom`) decide who may call what.
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from simlib import levers as lever_table
from simlib import validation as check
from simlib.classroom.choices import apply_choices, check_choices, choices_cost, game_levers
from simlib.classroom.debrief import Debrief
from simlib.classroom.events import get_event
from simlib.classroom.pool import RUNS, round_streams, run_scenarios
from simlib.classroom.prices import BUDGET_FACTOR, PRICES
from simlib.classroom.rounds import TeamEntry, check_budget
from simlib.classroom.storage import SCHEMA, create_file, finite, new_code, new_game_code
from simlib.scenario import Scenario, load_scenario

__all__ = ["Game", "LateSubmission", "TeamEntry"]

_TEAM_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _-]{0,19}$")


class LateSubmission(ValueError):
    """A submission for a round that is closed (or being closed), or after the last round."""


class Game(Debrief):
    """One classroom game, stored in one SQLite file. Use :meth:`create` or :meth:`open`."""

    # ------------------------------------------------------------------ create and open

    @classmethod
    def create(
        cls,
        path: str | Path,
        scenario: str | Scenario = "service-desk",
        rounds: int = 4,
        seed: int = 1,
        *,
        runs: int = RUNS,
        budget: float | None = None,
        levers: Sequence[str] | None = None,
        event: str = "none",
        code: str | None = None,
        instructor_code: str | None = None,
    ) -> Game:
        """A new game in a new file (an existing file is refused); round 1 is open."""
        path = Path(path)
        sc = load_scenario(scenario) if isinstance(scenario, (str, Path)) else scenario
        if not isinstance(sc, Scenario):
            raise ValueError(
                f"scenario: {type(scenario).__name__} is not allowed; expected a scenario name or Scenario"
            )
        rounds = check.whole("rounds", rounds, low=1, high=20)
        seed = check.whole("seed", check.seed("seed", seed), low=0, high=2**63 - 1)
        runs = check.whole("runs", runs, low=2, high=200)
        if levers is not None:
            levers = list(levers)
            for name in levers:
                lever_table.lever(name)
                if name not in PRICES:
                    raise ValueError(f"levers: {name!r} has no price in the game; expected some of {', '.join(PRICES)}")
        default_cost = choices_cost(sc, {lv.name: lv.default for lv in game_levers(sc, levers)})
        if budget is None:
            budget = math.ceil(default_cost * BUDGET_FACTOR / 1000.0) * 1000.0
        budget = check_budget(budget, default_cost, "")
        ev = get_event(event)
        if not ev.available(sc):
            raise ValueError(f"event: {event!r} needs the scenario field {ev.needs!r}, which {sc.name} lacks")
        meta = {
            "schema": str(SCHEMA),
            "scenario": json.dumps(sc.to_dict(), default=str),
            "scenario_name": sc.name,
            "seed": str(seed),
            "rounds": str(rounds),
            "runs": str(runs),
            "budget": repr(float(budget)),
            "levers": json.dumps(levers) if levers is not None else "",
            "code": code or new_game_code(),
            "instructor_code": instructor_code or new_code(10),
            "created": repr(time.time()),
        }
        return cls(path, create_file(path, meta, event, budget))

    @classmethod
    def open(cls, path: str | Path) -> Game:
        """The game stored in ``path``, as last committed (from any process)."""
        path = Path(path)
        if not path.is_file():
            raise ValueError(f"game: {str(path)!r} does not exist; expected the file of a game (Game.create makes one)")
        try:
            return cls(path)
        except sqlite3.DatabaseError as err:
            raise ValueError(f"game: {str(path)!r} is not a classroom game file ({err})") from None

    def __enter__(self) -> Game:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Game({str(self.path)!r}, code={self.code!r}, rounds={self.rounds}, seed={self.seed})"

    def join(self, name: str) -> TeamEntry:
        """A new team; its name is checked (ValueError naming the field) and must be free."""
        if not isinstance(name, str) or not _TEAM_NAME.match(name.strip()):
            raise ValueError(
                f"team: {name!r} is not a team name; expected 1 to 20 letters, digits, spaces, '-' or '_', "
                "starting with a letter or digit"
            )
        name = name.strip()
        token = new_code(8)

        def body(con: sqlite3.Connection) -> TeamEntry:
            taken = con.execute("SELECT name FROM teams WHERE name = ?", (name,)).fetchone()
            if taken:
                raise ValueError(f"team: {name!r} has joined already; pick another name, or rejoin with its token")
            row = con.execute("SELECT number FROM rounds WHERE status != 'closed' ORDER BY number LIMIT 1").fetchone()
            if row is None:
                raise ValueError("team: the game is over; no team can join")
            con.execute("INSERT INTO teams VALUES (?, ?, ?, ?)", (name, token, time.time(), row[0]))
            return TeamEntry(name, token, row[0])

        return self._retry_write(body)

    def team(self, token: str) -> TeamEntry:
        """The team a token belongs to (a page that rejoins)."""
        rows = self._query("SELECT name, token, first_round FROM teams WHERE token = ?", (str(token).strip().upper(),))
        if not rows:
            raise ValueError("token: no team of this game has that token; check it, or join as a new team")
        return TeamEntry(*rows[0])

    def teams(self) -> list[dict[str, Any]]:
        """Who joined, and whether each has submitted for the open round."""
        st = self.state()
        rows = self._query("SELECT name, joined, first_round FROM teams ORDER BY joined, name")
        done = {r[0].lower(): r[1] for r in self._query("SELECT team, submitted FROM submissions WHERE round = ?",
                                                          (st["round"] or -1,))}  # fmt: skip
        return [
            {
                "team": n,
                "joined": j,
                "first_round": f,
                "submitted": n.lower() in done,
                "submitted_at": done.get(n.lower()),
            }
            for n, j, f in rows
        ]

    # ------------------------------------------------------------------ submissions

    def cost(self, choices: Mapping[str, Any], round: int | None = None) -> float:
        """What ``choices`` cost in a round (levers not named are at the round's default)."""
        levers = self._levers(round)
        return choices_cost(self.scenario(round), check_choices(levers, choices))

    def submit(self, team: str | TeamEntry, choices: Mapping[str, Any], round: int | None = None) -> dict[str, Any]:
        """A team's choices for the open round, committed at once; a resubmission replaces them.

        ``round``: the round the team's page shows; a submission for a round that is closed or
        being closed is refused (:class:`LateSubmission`, a ValueError, with a message).
        """
        name = self._team_name(team)
        st = self.state()
        if st["over"]:
            raise LateSubmission("round: the game is over; no more submissions")
        number = st["round"]
        if round is not None and round != number:
            raise LateSubmission(
                f"round: round {round} is closed; round {number} is open now. Your choices were not submitted"
            )
        if st["status"] != "open":
            raise LateSubmission(f"round: round {number} is being closed; too late to submit")
        levers = self._levers(number)
        full = check_choices(levers, choices)
        sc = self.scenario(number)
        cost = choices_cost(sc, full)
        budget = float(st["budget"])
        if cost > budget + 1e-6:
            raise ValueError(
                f"budget: these choices cost {cost:,.0f}; the budget of round {number} is {budget:,.0f}. "
                "Spend less on one of the levers"
            )
        apply_choices(sc, levers, full)  # the model's own checks (ValueError naming the field)
        now = time.time()

        def body(con: sqlite3.Connection) -> None:
            row = con.execute("SELECT status FROM rounds WHERE number = ?", (number,)).fetchone()
            if row is None or row[0] != "open":
                raise LateSubmission(f"round: round {number} is closed; too late to submit")
            con.execute(
                "INSERT OR REPLACE INTO submissions VALUES (?, ?, ?, ?, ?)",
                (number, name, json.dumps(full), cost, now),
            )

        self._retry_write(body)
        return {"team": name, "round": number, "choices": full, "cost": cost, "budget": budget, "submitted": now}

    def submission(self, team: str | TeamEntry, round: int | None = None) -> dict[str, Any] | None:
        """A team's submission for a round (default: the open one), or None."""
        name = self._team_name(team)
        number = self._round_number(round)
        rows = self._query(
            "SELECT choices, cost, submitted FROM submissions WHERE round = ? AND team = ?", (number, name)
        )
        if not rows:
            return None
        return {"team": name, "round": number, "choices": json.loads(rows[0][0]), "cost": rows[0][1],
                "submitted": rows[0][2]}  # fmt: skip

    # ------------------------------------------------------------------ closing a round

    def close_round(
        self,
        progress: Callable[[int, int], None] | None = None,
        *,
        workers: int | None = None,
        _before_commit: Callable[[], None] | None = None,
    ) -> dict[str, Any]:
        """Run every team's choices on the round's weeks and store the results; open the next round.

        First the round is marked ``closing`` (submissions are refused from then on), then every
        team runs on the same ``runs`` weeks, then the results, the closing of the round and the
        opening of the next go in one transaction. A close that was interrupted (a killed kernel)
        left the round ``closing`` with its submissions intact: closing again completes it.
        A team that did not submit plays the round's default settings. ``progress(done, total)``.
        """
        st = self.state()
        if st["over"]:
            raise ValueError("round: the game is over; every round is closed")
        number = st["round"]

        def mark(con: sqlite3.Connection) -> None:
            con.execute("UPDATE rounds SET status = 'closing' WHERE number = ? AND status = 'open'", (number,))

        self._retry_write(mark)
        sc = self.scenario(number)
        levers = self._levers(number)
        defaults = {lv.name: lv.default for lv in levers}
        teams = [r[0] for r in self._query("SELECT name FROM teams WHERE first_round <= ? ORDER BY name", (number,))]
        subs = {
            r[0].lower(): (json.loads(r[1]), r[2])
            for r in self._query("SELECT team, choices, cost FROM submissions WHERE round = ?", (number,))
        }
        plays = []
        for name in teams:
            if name.lower() in subs:
                choices, cost = subs[name.lower()]
                plays.append((name, choices, cost, 1))
            else:
                plays.append((name, defaults, choices_cost(sc, defaults), 0))
        scenarios = [apply_choices(sc, levers, choices) for _, choices, _, _ in plays]
        streams = round_streams(self.seed, number, self.runs)
        rows = run_scenarios(scenarios, streams, workers=workers, progress=progress) if plays else []

        def store(con: sqlite3.Connection) -> None:
            status = con.execute("SELECT status FROM rounds WHERE number = ?", (number,)).fetchone()[0]
            if status == "closed":
                return  # another kernel closed it meanwhile, with the same numbers
            for table in ("results", "played", "advice"):
                con.execute(f"DELETE FROM {table} WHERE round = ?", (number,))
            for (name, choices, cost, submitted), runs in zip(plays, rows):
                con.execute(
                    "INSERT INTO played VALUES (?, ?, ?, ?, ?)", (number, name, json.dumps(choices), cost, submitted)
                )
                con.executemany(
                    "INSERT INTO results VALUES (?, ?, ?, ?)",
                    [(number, name, i, json.dumps(finite(m))) for i, m in enumerate(runs)],
                )
            if _before_commit is not None:
                _before_commit()
            now = time.time()
            con.execute("UPDATE rounds SET status = 'closed', closed = ? WHERE number = ?", (now, number))
            if (
                number < self.rounds
                and not con.execute("SELECT 1 FROM rounds WHERE number = ?", (number + 1,)).fetchone()
            ):
                budget = con.execute("SELECT budget FROM rounds WHERE number = ?", (number,)).fetchone()[0]
                con.execute(
                    "INSERT INTO rounds VALUES (?, 'none', ?, 'open', ?, NULL)",
                    (number + 1, max(budget, self.budget), now),
                )

        self._retry_write(store)
        return {"round": number, "teams": len(plays), "runs": self.runs, "next": self.state()["round"]}
