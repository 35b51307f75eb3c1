"""The one move that would have helped each team most, worked out while the rounds run.

:func:`advice` tries one step of every lever for each team (one more agent, 0.1 more of a
share, MTBF doubled, MTRS or recovery halved, one more request type) on the round's weeks and
compares it run by run with what the team played (paired). A move that fits the round's budget
and clearly helps comes first; else the biggest gain, said to be over the budget.

That is many runs (about ten moves per team), so they are run *before* they are needed: while
a round is open, :func:`warm` runs the desk every team would play and each of its moves (a desk
runs once, :func:`~.plays.runs`), and a :class:`Preparer` thread does so in the background and
works out the advice of each round as soon as it closes. The debrief is then read, not run.
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from simlib.classroom.choices import GameLever, choices_cost, same_value
from simlib.classroom.debrief import Debrief, gather, team_runs
from simlib.classroom.plays import Play, played, plays_now, runs
from simlib.classroom.prices import PRICES
from simlib.classroom.rounds import event_scenario, game_state, get_round, levers
from simlib.classroom.storage import GameFileError, RoundStatus, Store
from simlib.i18n import _, fmt, translator
from simlib.stats import Estimate, estimate

__all__ = ["Preparer", "advice", "debrief", "moves", "warm"]

log = logging.getLogger(__name__)


def moves(levers: Sequence[GameLever], choices: Mapping[str, Any]) -> Iterator[tuple[GameLever, str, dict[str, Any]]]:
    """One step in the better direction for every lever: (lever, the move in words, the new choices)."""
    for lv in levers:
        now = choices.get(lv.name, lv.default)
        if lv.kind == "types":
            for t in lv.options:
                if t not in now:
                    yield (
                        lv,
                        _("adding '{type}' to the catalogue").format(type=t),
                        {**choices, lv.name: [o for o in lv.options if o in now or o == t]},
                    )
            continue
        lo, hi = float(lv.low), float(lv.high)
        better = PRICES[lv.name].better
        unit = _(lv.unit) if lv.unit else ""
        if lv.kind == "whole":
            new: float = int(min(hi, now + 1))
            words = _("one more agent ({now} to {new})").format(now=now, new=new)
        elif better == "lower":
            new = max(lo, round(float(now) / 2, 4))
            words = (
                _("halving {lever} ({now} to {new} {unit})")
                .format(lever=_(lv.label).lower(), now=fmt(now, "g"), new=fmt(new, "g"), unit=unit)
                .replace(" )", ")")
            )
        elif lv.name.endswith("mtbf"):
            new = min(hi, float(now) * 2)
            words = (
                _("doubling {lever} ({now} to {new} {unit})")
                .format(lever=_(lv.label), now=fmt(now, "g"), new=fmt(new, "g"), unit=unit)
                .replace(" )", ")")
            )
        else:
            new = min(hi, round(float(now) + (0.25 if lv.kind == "number" else 0.1), 4))
            words = _("more {lever} ({now} to {new})").format(
                lever=_(lv.label).lower(), now=fmt(now, "g"), new=fmt(new, "g")
            )
        if not same_value(new, now):
            yield lv, words, {**choices, lv.name: new}


def _jobs(store: Store, number: int, plays: Sequence[Play]) -> list[tuple[str, GameLever, str, dict[str, Any]]]:
    offered = levers(store, number)
    return [(p.team, lv, words, c) for p in plays for lv, words, c in moves(offered, p.choices)]


def warm(
    store: Store, number: int, *, workers: int | None = None, progress: Callable[[int, int], None] | None = None
) -> None:
    """Run now what closing round ``number`` and its advice will need, for the choices as they stand:
    first every team's desk, then each move the advice tries. ``progress(done, total)`` per part."""
    plays = plays_now(store, number)
    runs(store, number, [p.choices for p in plays], workers=workers, progress=progress)
    jobs = _jobs(store, number, plays)
    runs(store, number, [c for *_x, c in jobs], workers=workers, progress=progress)


def _kept(store: Store, number: int) -> list[dict[str, Any]] | None:
    import json

    rows = store.read("SELECT data FROM debrief WHERE round = ? AND part = 'advice'", (number,))
    return json.loads(rows[0][0]) if rows else None


def advice(
    store: Store,
    number: int | None = None,
    *,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[dict[str, Any]]:
    """For each team (by name), the one lever move that would have raised its value most in a closed round.

    Each row: team, lever, text (in words, with the 95% CI of the paired difference), difference,
    low, high, extra_cost. Worked out once a round, and kept.
    """
    import json

    number = get_round(store, number, closed=True).number
    kept = _kept(store, number)
    if kept is not None:
        return kept
    plays = played(store, number)
    results = team_runs(store, number)
    jobs = _jobs(store, number, list(plays.values()))
    rows = runs(store, number, [c for *_x, c in jobs], workers=workers,
                progress=progress)  # fmt: skip
    r = get_round(store, number)
    sc = event_scenario(store, r.event)
    best: dict[str, tuple[tuple[bool, float], dict[str, Any]]] = {}
    for (team, lv, words, choices), new_runs in zip(jobs, rows):
        base = np.array([x.get("value", math.nan) for x in results[team]], dtype=float)
        new = np.array([x.get("value", math.nan) for x in new_runs], dtype=float)
        d = estimate("value", new - base)
        extra = choices_cost(sc, choices) - plays[team].cost
        fits = plays[team].cost + extra <= r.budget + 1e-6
        key = (fits and d.significant and d.mean > 0, -math.inf if not math.isfinite(d.mean) else d.mean)
        if team not in best or key > best[team][0]:
            best[team] = (key, {"lever": lv.name, "words": words, "d": d, "extra": extra})
    out = [_row(team, best[team][1], plays[team].cost + best[team][1]["extra"] > r.budget + 1e-6)
           for team in sorted(plays, key=str.lower) if team in best]  # fmt: skip
    store.write(lambda con: con.execute("INSERT OR REPLACE INTO debrief VALUES (?, 'advice', ?)",
                                        (number, json.dumps(out))))  # fmt: skip
    return out


def _row(team: str, b: Mapping[str, Any], over: bool) -> dict[str, Any]:
    d: Estimate = b["d"]
    num = translator().number
    low, high = num(d.low * 100, 1), num(d.high * 100, 1)
    if d.mean > 0 and d.significant:
        text = _(
            "{team}: {move} would have raised value by {points} points "
            "(95% CI {low} to {high}, paired runs on the round's weeks), for {cost}"
        ).format(
            team=team, move=b["words"], points=num(d.mean * 100, 1), low=low, high=high,
            cost=("+" if b["extra"] >= 0 else "") + num(b["extra"], 0),
        ) + (" (" + _("over the budget") + ")." if over else ".")  # fmt: skip
    else:
        text = _(
            "{team}: no single move would have made a clear difference; the best, {move}, "
            "changes value by {points} points (95% CI {low} to {high})."
        ).format(
            team=team, move=b["words"], low=low, high=high, points=("+" if d.mean >= 0 else "") + num(d.mean * 100, 1)
        )

    def finite(x: float) -> float | None:
        return x if math.isfinite(x) else None

    return {"team": team, "lever": b["lever"], "text": text, "difference": finite(d.mean), "low": finite(d.low),
            "high": finite(d.high), "extra_cost": b["extra"]}  # fmt: skip


def debrief(store: Store, *, workers: int | None = None, progress: Callable[[int, int], None] | None = None) -> Debrief:
    """The debrief of every closed round as data, with the advice of the last one (worked out if not yet)."""
    last = game_state(store).last_closed
    if last is None:
        raise ValueError(_("round: no round has closed yet."))
    return gather(store, advice(store, last, workers=workers, progress=progress))


class _Stopped(Exception):
    """The preparer was told to stop."""


class Preparer:
    """A thread that keeps the debrief ready: while a round is open it runs what teams would play and
    their moves (:func:`warm`), and once a round has closed it works out its advice.

    Start one per game in the server (``Preparer(path).start()``); :meth:`stop` ends it.
    """

    def __init__(self, path: str | Path, *, every: float = 1.0, workers: int | None = None) -> None:
        self.path, self.every, self.workers = Path(path), every, workers
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=f"simlib-classroom-preparer-{self.path.stem}",
                                        daemon=True)  # fmt: skip
        self._seen: object = None
        self.idle = threading.Event()

    def start(self) -> Preparer:
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop now: the runs under way are dropped (they run again when needed)."""
        self._stop.set()
        self._thread.join(timeout=60)

    def _stopping(self, done: int, total: int) -> None:
        if self._stop.is_set():
            raise _Stopped

    def _loop(self) -> None:
        try:
            store = Store.open(self.path)
        except GameFileError:
            log.exception("classroom: the preparer cannot open %s", self.path)
            return
        with store:
            while not self._stop.is_set():
                try:
                    busy = self.step(store)
                except _Stopped:
                    return
                except GameFileError:
                    log.exception("classroom: the preparer stops: the game's file cannot be used")
                    return
                except Exception:
                    log.exception("classroom: the preparer failed, and tries again")
                    busy = False
                if not busy:
                    self.idle.set()
                    self._stop.wait(self.every)

    def step(self, store: Store) -> bool:
        """One look at the game: do what is left to do; whether there was something."""
        st = game_state(store)
        last = st.last_closed
        if last is not None and _kept(store, last) is None:
            self.idle.clear()
            advice(store, last, workers=self.workers, progress=self._stopping)
            return True
        if st.current is not None and st.current.status is RoundStatus.OPEN:
            n = st.current.number
            seen = (n, store.read("SELECT COUNT(*), MAX(submitted), SUM(cost) FROM submissions WHERE round = ?", (n,)),
                    store.read("SELECT COUNT(*), MAX(joined) FROM teams"), st.current.budget)  # fmt: skip
            if seen != self._seen:
                self.idle.clear()
                warm(store, n, workers=self.workers, progress=self._stopping)
                self._seen = seen
                return True
        return False
