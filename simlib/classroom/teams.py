"""The teams of a game: joining, their rejoin codes, how many may join, and their submissions.

A team joins with a name (:func:`check_name`: letters of any script, digits, spaces and '-',
at most 20 characters) and gets a *token*, the code its page keeps to act for it; the
instructor can read a team's token and reissue it (:func:`team_token`, :func:`reissue_token`),
cap the number of teams (:func:`set_max_teams`, 40 unless set) and remove a team
(:func:`remove_team`). A team submits its choices to the open round only (:func:`submit`);
the submission is committed before it is acknowledged. Each function takes the game's
:class:`~.storage.Store`.
"""

from __future__ import annotations

import json
import time
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from simlib import validation
from simlib.classroom.choices import apply_choices, check_choices, choices_cost
from simlib.classroom.rounds import event_scenario, game_state, get_round, levers
from simlib.classroom.storage import RoundStatus, Store, new_code
from simlib.i18n import _

__all__ = [
    "MAX_NAME",
    "MAX_TEAMS",
    "LateSubmission",
    "Submission",
    "TeamEntry",
    "check_name",
    "cost",
    "find_team",
    "join",
    "reissue_token",
    "remove_team",
    "set_max_teams",
    "submission",
    "submit",
    "team",
    "team_token",
    "teams",
]

MAX_NAME = 20
MAX_TEAMS = 40  # unless the instructor sets another cap (set_max_teams)


class LateSubmission(ValueError):
    """A submission for a round that is closed (or being closed), or after the last round."""


@dataclass(frozen=True)
class TeamEntry:
    """A team that joined: its name, the token its page keeps to act for it, the round it joined in."""

    name: str
    token: str
    first_round: int = 1


@dataclass(frozen=True)
class Submission:
    """A team's choices for a round, what they cost, when they were stored, and whether they are over budget."""

    team: str
    round: int
    choices: Mapping[str, Any]
    cost: float
    budget: float
    submitted: float

    @property
    def over_budget(self) -> bool:
        return self.cost > self.budget + 1e-6


def check_name(name: Any) -> str:
    """A team name: trimmed, 1 to 20 letters (of any script, with their accents and vowel signs), digits,
    spaces or '-', starting with a letter or digit."""
    text = unicodedata.normalize("NFC", name).strip() if isinstance(name, str) else ""
    ok = (
        0 < len(text) <= MAX_NAME
        and (text[0].isalpha() or text[0].isdecimal())
        and all(c.isalpha() or c.isdecimal() or c in " -" or unicodedata.category(c).startswith("M") for c in text)
    )
    if not ok:
        shown = repr(name if not isinstance(name, str) or len(name) <= 24 else name[:20] + "...")
        raise ValueError(
            _("team: {name} cannot be a team name. A name has 1 to {n} letters, digits, spaces or '-', "
              "and starts with a letter or digit.").format(name=shown, n=MAX_NAME)
        )  # fmt: skip
    return text


def join(store: Store, name: str) -> TeamEntry:
    """A new team. The round it starts in is read in the same transaction that stores it."""
    name = check_name(name)
    token = new_code(8)

    def body(con: Any) -> TeamEntry:
        if con.execute("SELECT 1 FROM teams WHERE name = ?", (name,)).fetchone():
            raise ValueError(
                _("team: {name} is taken. Pick another name, or rejoin with your team's code.").format(name=repr(name))
            )
        cap = _max_teams(con)
        if con.execute("SELECT COUNT(*) FROM teams").fetchone()[0] >= cap:
            raise ValueError(_("team: this game is full ({n} teams). Ask the instructor to make room.").format(n=cap))
        row = con.execute(
            "SELECT number, status FROM rounds WHERE status != ? ORDER BY number LIMIT 1", (RoundStatus.CLOSED.value,)
        ).fetchone()
        first = None if row is None else row[0] + (row[1] == RoundStatus.CLOSING.value)
        if first is None or first > store.settings.rounds:
            raise ValueError(_("team: the game is over, so no team can join."))
        con.execute("INSERT INTO teams VALUES (?, ?, ?, ?)", (name, token, time.time(), first))
        return TeamEntry(name, token, first)

    return store.write(body)


def _max_teams(con: Any) -> int:
    row = con.execute("SELECT value FROM meta WHERE key = 'max_teams'").fetchone()
    return int(row[0]) if row else MAX_TEAMS


def set_max_teams(store: Store, n: int) -> None:
    """How many teams may join (teams that joined already stay)."""
    n = validation.whole("max_teams", n, low=1, high=1000)
    store.write(lambda con: con.execute("INSERT OR REPLACE INTO meta VALUES ('max_teams', ?)", (str(n),)))


def team(store: Store, token: str) -> TeamEntry:
    """The team a token belongs to (a page that rejoins)."""
    rows = store.read("SELECT name, token, first_round FROM teams WHERE token = ?", (str(token).strip().upper(),))
    if not rows:
        raise ValueError(_("token: no team of this game has that code. Check it, or join as a new team."))
    return TeamEntry(*rows[0])


def find_team(store: Store, name: str | TeamEntry) -> str:
    """A team's name as it joined (names match whatever their case)."""
    name = name.name if isinstance(name, TeamEntry) else str(name)
    rows = store.read("SELECT name FROM teams WHERE name = ?", (name,))
    if not rows:
        raise ValueError(_("team: {name} is not a team of this game.").format(name=repr(name[:24])))
    return rows[0][0]


def team_token(store: Store, name: str) -> str:
    """A team's rejoin code, for the instructor to read out."""
    return store.read("SELECT token FROM teams WHERE name = ?", (find_team(store, name),))[0][0]


def reissue_token(store: Store, name: str) -> str:
    """A new rejoin code for a team (the old one stops working); the new code."""
    name = find_team(store, name)
    token = new_code(8)
    store.write(lambda con: con.execute("UPDATE teams SET token = ? WHERE name = ?", (token, name)))
    return token


def remove_team(store: Store, name: str) -> None:
    """Remove a team: it no longer plays, and its submission for the round being played is dropped.

    The rounds it played stay in the history as they were.
    """
    name = find_team(store, name)

    def body(con: Any) -> None:
        con.execute("DELETE FROM teams WHERE name = ?", (name,))
        con.execute(
            "DELETE FROM submissions WHERE team = ? AND round IN (SELECT number FROM rounds WHERE status != ?)",
            (name, RoundStatus.CLOSED.value),
        )

    store.write(body)


def teams(store: Store) -> list[dict[str, Any]]:
    """Who joined (in the order they joined), and each team's submission for the round being played."""
    st = game_state(store)
    number = st.current.number if st.current else -1
    budget = st.current.budget if st.current else 0.0
    subs = {
        t.lower(): (at, cost)
        for t, at, cost in store.read("SELECT team, submitted, cost FROM submissions WHERE round = ?", (number,))
    }
    out = []
    for name, joined, first in store.read("SELECT name, joined, first_round FROM teams ORDER BY joined, name"):
        at, c = subs.get(name.lower(), (None, None))
        out.append({
            "team": name, "joined": joined, "first_round": first, "submitted": at is not None,
            "submitted_at": at, "over_budget": c is not None and c > budget + 1e-6,
        })  # fmt: skip
    return out


def cost(store: Store, choices: Mapping[str, Any], number: int | None = None) -> float:
    """What ``choices`` cost in a round (levers not named are at the round's default)."""
    r = get_round(store, number)
    return choices_cost(event_scenario(store, r.event), check_choices(levers(store, r.number), choices))


def submit(store: Store, name: str | TeamEntry, choices: Mapping[str, Any], number: int | None = None) -> Submission:
    """A team's choices for the open round, returned once committed; a resubmission replaces them.

    ``number``: the round the team's page shows. A submission for a round that is closed or
    being closed is refused (:class:`LateSubmission`), and so is one for a round not open yet.
    """
    name = find_team(store, name)
    st = game_state(store)
    if st.current is None:
        raise LateSubmission(_("round: the game is over, so nothing more can be submitted."))
    r = st.current
    if number is not None and number != r.number:
        if number > r.number:
            raise ValueError(_("round: round {n} has not started yet.").format(n=number))
        raise LateSubmission(
            _("round: round {old} is closed, so these choices were not sent. Round {n} is on now: "
              "look at its event and send your choices for it.").format(old=number, n=r.number)
        )  # fmt: skip
    if r.status is RoundStatus.PREPARED:
        raise ValueError(
            _("round: round {n} has not opened yet. Keep your choices; send them once the instructor opens it.").format(
                n=r.number
            )
        )
    if r.status is not RoundStatus.OPEN:
        raise LateSubmission(
            _("round: round {n} is being closed, so it is too late to send choices.").format(n=r.number)
        )
    lv = levers(store, r.number)
    full = check_choices(lv, choices)
    sc = event_scenario(store, r.event)
    price = choices_cost(sc, full)
    if price > r.budget + 1e-6:
        raise ValueError(
            _("budget: these choices cost {cost}, and this round's budget is {budget}. "
              "Spend less on one of the levers.").format(cost=f"{price:,.0f}", budget=f"{r.budget:,.0f}")
        )  # fmt: skip
    apply_choices(sc, lv, full)  # the model's own checks (ValueError naming the field)
    now = time.time()

    def body(con: Any) -> None:
        row = con.execute("SELECT status, budget FROM rounds WHERE number = ?", (r.number,)).fetchone()
        if row is None or row[0] != RoundStatus.OPEN.value:
            raise LateSubmission(
                _("round: round {n} has just closed, so these choices were not sent.").format(n=r.number)
            )
        if price > row[1] + 1e-6:
            raise ValueError(
                _("budget: the budget has just changed to {budget}; spend less.").format(budget=f"{row[1]:,.0f}")
            )
        con.execute("INSERT OR REPLACE INTO submissions VALUES (?, ?, ?, ?, ?)",
                    (r.number, name, json.dumps(full), price, now))  # fmt: skip

    store.write(body)
    return Submission(name, r.number, full, price, r.budget, now)


def submission(store: Store, name: str | TeamEntry, number: int | None = None) -> Submission | None:
    """A team's submission for a round (default: the round being played), or None."""
    name = find_team(store, name)
    r = get_round(store, number)
    rows = store.read("SELECT choices, cost, submitted FROM submissions WHERE round = ? AND team = ?", (r.number, name))
    if not rows:
        return None
    return Submission(name, r.number, json.loads(rows[0][0]), rows[0][1], r.budget, rows[0][2])
