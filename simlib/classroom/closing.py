"""Closing a round: every team's desk on the round's weeks, the results kept, the next round prepared.

First the round is marked ``closing`` (submissions are refused from then on), then every team
runs on the same ``runs`` weeks (:func:`~.plays.runs`: desks run while the round was open are
read, not run again), then what each team played, the leaderboard, the closing of the round and
the preparing of the next go in one transaction (:func:`_record_close`). A close that was
interrupted (a killed server) left the round ``closing`` with its submissions intact: closing
again completes it, with the same numbers.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from simlib.classroom.debrief import leaderboard_rows
from simlib.classroom.plays import Play, desk_key, plays_now, runs
from simlib.classroom.rounds import game_state
from simlib.classroom.storage import RoundStatus, Store
from simlib.i18n import _

__all__ = ["ClosedRound", "NeedsConfirmation", "close_round"]


class NeedsConfirmation(ValueError):
    """Closing a round that no team has submitted for: the instructor must say so (``confirm=True``)."""


@dataclass(frozen=True)
class ClosedRound:
    """What a close did: the round, how many teams played (and submitted), and the round now prepared."""

    round: int
    teams: int
    submitted: int
    next: int | None


def close_round(
    store: Store,
    *,
    confirm: bool = False,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ClosedRound:
    """Close the open round: run every team's choices on the round's weeks, keep the results, prepare the next.

    A team that did not submit, or whose submission is over the budget, plays the round's
    defaults. With teams but not one submission, closing needs ``confirm=True``
    (:class:`NeedsConfirmation`). ``progress(done, total)`` while the desks run.
    """
    st = game_state(store)
    r = st.current
    if r is None:
        raise ValueError(_("round: the game is over; every round has been played."))
    if r.status is RoundStatus.PREPARED:
        raise ValueError(_("round: round {n} is not open yet; open it first, so that teams can send their choices.")
                         .format(n=r.number))  # fmt: skip
    number = r.number
    if r.status is RoundStatus.OPEN and not confirm:
        joined = store.read("SELECT COUNT(*) FROM teams WHERE first_round <= ?", (number,))[0][0]
        sent = store.read("SELECT COUNT(*) FROM submissions WHERE round = ?", (number,))[0][0]
        if joined and not sent:
            raise NeedsConfirmation(
                _("round: no team has sent choices for round {n} yet (0 of {teams}). Close it anyway? "
                  "Then every team plays the round's standard settings.").format(n=number, teams=joined)
            )  # fmt: skip
    store.write(lambda con: con.execute(
        "UPDATE rounds SET status = ? WHERE number = ? AND status = ?",
        (RoundStatus.CLOSING.value, number, RoundStatus.OPEN.value),
    ))  # fmt: skip
    plays = plays_now(store, number)  # read after the mark: a team joining now starts next round
    results = runs(store, number, [p.choices for p in plays], workers=workers, progress=progress)
    keys = [desk_key(p.choices) for p in plays]
    board = leaderboard_rows(number, {p.team: p for p in plays}, {p.team: rr for p, rr in zip(plays, results)})
    store.write(
        lambda con: _record_close(con, store.settings.rounds, store.settings.budget, number, plays, keys, board)
    )
    after = game_state(store)
    return ClosedRound(number, len(plays), sum(p.was_submitted for p in plays),
                       after.current.number if after.current else None)  # fmt: skip


def _record_close(
    con: Any, rounds: int, budget: float, number: int, plays: Sequence[Play], keys: Sequence[str], board: list
) -> None:
    """In the close's one transaction: what each team played, the leaderboard, the round closed, the next prepared."""
    (status,) = con.execute("SELECT status FROM rounds WHERE number = ?", (number,)).fetchone()
    if status == RoundStatus.CLOSED.value:
        return  # another process closed it meanwhile, with the same numbers
    con.execute("DELETE FROM played WHERE round = ?", (number,))
    con.executemany(
        "INSERT INTO played VALUES (?, ?, ?, ?, ?, ?)",
        [(number, p.team, json.dumps(p.choices), p.cost, p.kind.value, k) for p, k in zip(plays, keys)],
    )
    con.execute("INSERT OR REPLACE INTO debrief VALUES (?, 'board', ?)", (number, json.dumps(board)))
    con.execute("DELETE FROM debrief WHERE round = ? AND part = 'advice'", (number,))
    now = time.time()
    con.execute("UPDATE rounds SET status = ?, closed = ? WHERE number = ?", (RoundStatus.CLOSED.value, now, number))
    if number < rounds and not con.execute("SELECT 1 FROM rounds WHERE number = ?", (number + 1,)).fetchone():
        (last,) = con.execute("SELECT budget FROM rounds WHERE number = ?", (number,)).fetchone()
        con.execute(
            "INSERT INTO rounds VALUES (?, 'none', ?, ?, NULL, NULL)",
            (number + 1, max(last, budget), RoundStatus.PREPARED.value),
        )
