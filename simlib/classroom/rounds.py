"""A game's rounds: each is prepared, opened, closed; its event, budget, scenario and levers.

A game is a number of rounds of the same service desk (the scenario, its seed, the weeks per
round and the levers teams may set are fixed when it is made, :class:`~.storage.Settings`).
The instructor controls each round (:class:`~.storage.RoundStatus`):

- ``prepared``: the instructor sets its event and budget (:func:`prepare_round`); teams see
  what is coming but cannot submit yet;
- ``open`` (:func:`open_round`): teams submit, a resubmission replaces; the budget may still
  change (:func:`set_budget`, and submissions over the new budget are flagged);
- ``closing``, then ``closed`` (:mod:`.closing`), and the next round is prepared.

Each function takes the game's :class:`~.storage.Store`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from simlib import validation
from simlib.classroom.choices import GameLever, choices_cost, game_levers
from simlib.classroom.events import EVENTS, Event, get_event
from simlib.classroom.storage import RoundStatus, Store
from simlib.i18n import _
from simlib.scenario import Scenario

__all__ = [
    "GameState",
    "Round",
    "check_budget",
    "default_cost",
    "events",
    "game_state",
    "get_round",
    "levers",
    "open_round",
    "prepare_round",
    "round_scenario",
    "set_budget",
]


@dataclass(frozen=True)
class Round:
    """One round as stored: its number, event, budget, status and when it opened and closed."""

    number: int
    event: str
    budget: float
    status: RoundStatus
    opened: float | None = None
    closed: float | None = None


@dataclass(frozen=True)
class GameState:
    """Where a game is: the round being played (None when the game is over) and the closed rounds."""

    current: Round | None
    closed: tuple[int, ...]
    rounds: int

    @property
    def over(self) -> bool:
        return self.current is None

    @property
    def last_closed(self) -> int | None:
        return self.closed[-1] if self.closed else None


def _rounds(store: Store) -> list[Round]:
    return [
        Round(n, ev, budget, RoundStatus(status), opened, closed)
        for n, ev, budget, status, opened, closed in store.read(
            "SELECT number, event, budget, status, opened, closed FROM rounds ORDER BY number"
        )
    ]


def game_state(store: Store) -> GameState:
    rows = _rounds(store)
    current = next((r for r in rows if r.status is not RoundStatus.CLOSED), None)
    closed = tuple(r.number for r in rows if r.status is RoundStatus.CLOSED)
    return GameState(current, closed, store.settings.rounds)


def get_round(store: Store, number: int | None = None, *, closed: bool = False) -> Round:
    """A round by number; default: the round being played (or, ``closed=True``, the last closed one)."""
    st = game_state(store)
    if number is None:
        number = st.last_closed if closed else (st.current.number if st.current else None)
        if number is None:
            raise ValueError(
                _("round: no round has closed yet.")
                if closed
                else _("round: the game is over; every round has been played.")
            )
    number = validation.whole("round", number, low=1, high=st.rounds)
    found = next((r for r in _rounds(store) if r.number == number), None)
    if found is None:
        raise ValueError(_("round: round {n} has not started yet.").format(n=number))
    if closed and found.status is not RoundStatus.CLOSED:
        raise ValueError(_("round: round {n} is not closed yet; its results come when it closes.").format(n=number))
    return found


_ROUNDS: dict[tuple[str, str], tuple[Scenario, Scenario, list[GameLever]]] = {}


def round_scenario(store: Store, number: int | None = None) -> Scenario:
    """The scenario of a round: the game's scenario with the round's event."""
    return event_scenario(store, get_round(store, number).event)


def _event(store: Store, event: str) -> tuple[Scenario, Scenario, list[GameLever]]:
    """The game's scenario, that scenario with ``event``, and its levers: made once per process."""
    base = store.settings.scenario
    cached = _ROUNDS.get((store.settings.code, event))
    if cached is None or (cached[0] is not base and cached[0] != base):  # another game with the same code
        sc = EVENTS[event].apply(base)
        cached = (base, sc, game_levers(sc, store.settings.levers))
        _ROUNDS[(store.settings.code, event)] = cached
    return cached


def event_scenario(store: Store, event: str) -> Scenario:
    return _event(store, event)[1]


def levers(store: Store, number: int | None = None) -> list[GameLever]:
    """What teams may set in a round: each lever with its label, range, price, concept and default."""
    return list(_event(store, get_round(store, number).event)[2])


def events(store: Store) -> list[Event]:
    """The events this game's scenario can play."""
    return [e for e in EVENTS.values() if e.available(store.settings.scenario)]


def default_cost(scenario: Scenario, allowed: tuple[str, ...] | None) -> float:
    """What the scenario's own settings cost: every budget fits them."""
    return choices_cost(scenario, {lv.name: lv.default for lv in game_levers(scenario, allowed)})


def check_budget(budget: Any, least: float) -> float:
    """A round's budget: at least what the scenario's own settings cost (they always fit)."""
    return validation.number(
        "budget", budget, low=least, allow_inf=True,
        what=_("a number of at least {least}, what the desk's own settings cost this round").format(
            least=f"{least:,.0f}"
        ),
    )  # fmt: skip


def _current(store: Store, *allowed: RoundStatus) -> Round:
    st = game_state(store)
    if st.current is None:
        raise ValueError(_("round: the game is over; every round has been played."))
    r = st.current
    if r.status not in allowed:
        if r.status is RoundStatus.OPEN:
            raise ValueError(
                _("round: round {n} is open already, so its event stays as it is. "
                  "You can set the next round's event once this one is closed.").format(n=r.number)
            )  # fmt: skip
        if r.status is RoundStatus.PREPARED:
            raise ValueError(
                _("round: round {n} is not open yet; open it first, so that teams can send their choices.").format(
                    n=r.number
                )
            )
        raise ValueError(_("round: round {n} is being closed right now.").format(n=r.number))
    return r


def prepare_round(store: Store, event: str, budget: float | None = None) -> Round:
    """Set the event (and budget) of the round being prepared: before it opens, never after."""
    ev = get_event(event)
    if not ev.available(store.settings.scenario):
        raise ValueError(f"event: {event!r} needs the scenario field {ev.needs!r}, which this game's scenario lacks")
    number = _current(store, RoundStatus.PREPARED).number
    least = default_cost(event_scenario(store, event), store.settings.levers)
    budget = max(store.settings.budget, least) if budget is None else check_budget(budget, least)

    def body(con: Any) -> None:
        (status,) = con.execute("SELECT status FROM rounds WHERE number = ?", (number,)).fetchone()
        if status != RoundStatus.PREPARED.value:
            raise ValueError(_("round: round {n} has just been opened; its event stays as it is.").format(n=number))
        con.execute("UPDATE rounds SET event = ?, budget = ? WHERE number = ?", (event, float(budget), number))

    store.write(body)
    return get_round(store, number)


def open_round(store: Store) -> Round:
    """Open the prepared round: from now on teams can submit for it."""
    number = _current(store, RoundStatus.PREPARED).number
    store.write(
        lambda con: con.execute(
            "UPDATE rounds SET status = ?, opened = ? WHERE number = ? AND status = ?",
            (RoundStatus.OPEN.value, time.time(), number, RoundStatus.PREPARED.value),
        )
    )
    return get_round(store, number)


def set_budget(store: Store, budget: float) -> list[str]:
    """Change the budget of the round being prepared or played; the teams whose submission is now over it.

    A submission over the new budget is kept but flagged: the team sees it, and unless it
    submits again within the budget it plays the round's defaults (:mod:`.closing`).
    """
    r = _current(store, RoundStatus.PREPARED, RoundStatus.OPEN)
    budget = check_budget(budget, default_cost(event_scenario(store, r.event), store.settings.levers))
    store.write(lambda con: con.execute("UPDATE rounds SET budget = ? WHERE number = ?", (float(budget), r.number)))
    rows = store.read("SELECT team, cost FROM submissions WHERE round = ? ORDER BY team", (r.number,))
    return [team for team, cost in rows if cost > budget + 1e-6]
