"""What each team plays in a round, and the runs of every desk on the round's weeks, kept once run.

A team plays what it submitted; a team that did not submit, or whose submission is over the
round's budget (the budget was lowered after it submitted), plays the round's defaults, and
its :class:`Play` says so (:class:`PlayKind`). Every desk runs on the round's weeks
(:func:`~.pool.round_streams`), so a desk's runs depend only on the desk and the round: they
are kept in the game's file by the desk (:func:`runs`, :func:`desk_key`) and never run twice. That is what lets
the game run the teams' desks, and the moves the debrief tries, while the round is still open.
"""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from simlib.classroom.choices import apply_choices, choices_cost
from simlib.classroom.pool import round_streams, run_scenarios
from simlib.classroom.rounds import event_scenario, get_round, levers
from simlib.classroom.storage import Store, finite

__all__ = ["Play", "PlayKind", "desk_key", "played", "plays_now", "runs", "stored_runs"]


class PlayKind(enum.StrEnum):
    """Why a team plays what it plays: its submission, or the round's defaults (and why)."""

    SUBMITTED = "submitted"
    NOT_SUBMITTED = "not submitted"  # the round's defaults
    OVER_BUDGET = "over budget"  # submitted over the budget (lowered since): the round's defaults


@dataclass(frozen=True)
class Play:
    """What a team plays in a round: every lever's value, their cost, and why (:class:`PlayKind`)."""

    team: str
    choices: Mapping[str, Any]
    cost: float
    kind: PlayKind
    submitted: Mapping[str, Any] | None = None  # what it submitted, when that is not what it plays

    @property
    def was_submitted(self) -> bool:
        return self.kind is PlayKind.SUBMITTED


def plays_now(store: Store, number: int) -> list[Play]:
    """What every team that plays round ``number`` would play if the round closed now."""
    r = get_round(store, number)
    sc = event_scenario(store, r.event)
    defaults = {lv.name: lv.default for lv in levers(store, number)}
    base_cost = choices_cost(sc, defaults)
    subs = {
        t.lower(): (json.loads(c), cost)
        for t, c, cost in store.read("SELECT team, choices, cost FROM submissions WHERE round = ?", (number,))
    }
    out = []
    for (name,) in store.read("SELECT name FROM teams WHERE first_round <= ? ORDER BY name", (number,)):
        sub = subs.get(name.lower())
        if sub is None:
            out.append(Play(name, defaults, base_cost, PlayKind.NOT_SUBMITTED))
        elif sub[1] > r.budget + 1e-6:
            out.append(Play(name, defaults, base_cost, PlayKind.OVER_BUDGET, sub[0]))
        else:
            out.append(Play(name, sub[0], sub[1], PlayKind.SUBMITTED))
    return out


def played(store: Store, number: int) -> dict[str, Play]:
    """What every team played in a closed round, by team."""
    return {
        team: Play(team, json.loads(c), cost, PlayKind(kind))
        for team, c, cost, kind in store.read(
            "SELECT team, choices, cost, kind FROM played WHERE round = ? ORDER BY team", (number,)
        )
    }


def desk_key(choices: Mapping[str, Any]) -> str:
    """A desk's key in a round: its choices (every lever's value), as text, hashed.

    A round's scenario is fixed once it opens (the game's scenario and the round's event), so
    within a round the choices alone make the desk.
    """
    return hashlib.sha256(json.dumps(dict(choices), sort_keys=True).encode()).hexdigest()[:32]


def runs(
    store: Store,
    number: int,
    choices: Sequence[Mapping[str, Any]],
    *,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[list[dict[str, float]]]:
    """The runs on the round's weeks of the desk of each set of ``choices``: read where kept, else run
    (once per desk) and kept."""
    keys = [desk_key(c) for c in choices]
    kept = stored_runs(store, number, keys)
    todo = {k: c for k, c in zip(keys, choices) if k not in kept}
    if todo:
        r, s = get_round(store, number), store.settings
        sc, offered = event_scenario(store, r.event), levers(store, number)
        new = run_scenarios([apply_choices(sc, offered, c) for c in todo.values()],
                            round_streams(s.seed, number, s.runs), workers=workers, progress=progress)  # fmt: skip
        rows = [(number, k, json.dumps([finite(m) for m in r])) for k, r in zip(todo, new)]
        store.write(lambda con: con.executemany("INSERT OR IGNORE INTO runs VALUES (?, ?, ?)", rows))
        kept.update({k: [_nan(m) for m in r] for k, r in zip(todo, new)})
    elif progress:
        progress(len(set(keys)), len(set(keys)))
    return [kept[k] for k in keys]


def stored_runs(store: Store, number: int, keys: Sequence[str]) -> dict[str, list[dict[str, float]]]:
    """The kept runs of the desks ``keys`` in round ``number`` (those run already)."""
    out: dict[str, list[dict[str, float]]] = {}
    wanted = list(dict.fromkeys(keys))
    for i in range(0, len(wanted), 500):
        part = wanted[i : i + 500]
        rows = store.read(
            f"SELECT key, measures FROM runs WHERE round = ? AND key IN ({', '.join('?' * len(part))})",
            (number, *part),
        )
        out.update({k: [_nan(m) for m in json.loads(text)] for k, text in rows})
    return out


def _nan(m: Mapping[str, float | None]) -> dict[str, float]:
    return {k: (float("nan") if v is None else float(v)) for k, v in m.items()}
