"""The classroom game: how long the class waits for the debrief after the instructor closes the last round.

Thirty teams play three rounds (a normal week, a demand surge, a new request type), each team
with its own choices. While a round is open, the game's background thread
(:class:`simlib.classroom.Preparer`) runs every team's desk and each move the advice tries
(:func:`simlib.classroom.warm`, timed here as the work done while the class thinks); once a
round closes it works out that round's advice. After the last close the debrief is read, not
run: the leaderboards, the history and the last round's advice (the data), then both pictures
drawn as PNG (matplotlib loaded and its fonts read, as in a server that has drawn a picture
before: a small figure is drawn first, outside the timing). Target: the
debrief within 2 s of the last close, for 30 teams.
"""

from __future__ import annotations

import io
import sys
import tempfile
import time
from pathlib import Path

from simlib import classroom, plots

TARGET_S = 2.0
EVENTS = ("none", "demand-surge", "new-request-type")


def _choices(i: int) -> dict:
    """Thirty different desks, all within the budget."""
    return {
        "first_line.agents": 4 + i % 3,
        "first_line.knowledge": round(0.6 + 0.05 * (i % 7), 2),
        "first_line.mtbf": 40.0 + 10.0 * (i // 7),
    }


def _png(figure) -> int:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.tell()


def debrief_time(teams: int) -> dict[str, float]:
    """Seconds: the background work per round (most), the last close, and the debrief after it."""
    from matplotlib.figure import Figure

    _png(Figure(figsize=(2, 2)).add_subplot().plot([1, 2]).pop().figure)  # a server that has drawn before
    warm: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        game = classroom.create_game(Path(tmp) / "bench.sqlite", "service-desk", rounds=len(EVENTS), seed=11)
        for i in range(teams):
            classroom.join(game, f"team-{i:02d}")
        for number, event in enumerate(EVENTS, start=1):
            classroom.prepare_round(game, event)
            classroom.open_round(game)
            for i in range(teams):
                classroom.submit(game, f"team-{i:02d}", _choices(i + number))
            t0 = time.perf_counter()
            classroom.warm(game, number)  # what the Preparer does while the class thinks
            warm.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            classroom.close_round(game)
            last_close = time.perf_counter() - t0
            if number < len(EVENTS):
                t0 = time.perf_counter()
                classroom.advice(game, number)  # the Preparer, once the round has closed
                warm[-1] += time.perf_counter() - t0
        t0, cpu0 = time.perf_counter(), time.process_time()
        debrief = classroom.debrief(game)
        data = time.perf_counter() - t0
        _png(plots.class_history(debrief))
        _png(plots.class_value_cost(debrief))
        ready, cpu = time.perf_counter() - t0, time.process_time() - cpu0
        assert len(debrief.advice) == teams and len(debrief.rounds) == len(EVENTS)
        game.close()
    classroom.shutdown()
    return {"warm": max(warm), "close": last_close, "data": data, "debrief": ready, "cpu": cpu}


def run(quick: bool = False) -> list[dict]:
    teams = 6 if quick else 30
    t = debrief_time(teams)
    return [
        {"benchmark": "game", "measure": f"debrief after the last close, {teams} teams x {len(EVENTS)} rounds "
         "(data, advice and both pictures)", "value": t["debrief"], "unit": "s", "target": f"< {TARGET_S:.0f} s",
         "ok": None if quick else t["debrief"] < TARGET_S},
        {"benchmark": "game", "measure": "its CPU seconds (what a busy machine cannot stretch)", "value": t["cpu"],
         "unit": "s", "target": "", "ok": None},
        {"benchmark": "game", "measure": "of which the data (leaderboards, history, advice)", "value": t["data"],
         "unit": "s", "target": "", "ok": None},
        {"benchmark": "game", "measure": f"last close, {teams} teams (desks run while the round was open)",
         "value": t["close"], "unit": "s", "target": "", "ok": None},
        {"benchmark": "game", "measure": "background work per round while the class thinks (most of a round)",
         "value": t["warm"], "unit": "s", "target": "", "ok": None},
    ]  # fmt: skip


if __name__ == "__main__":
    from benchmarks.__main__ import table

    print(table(run(quick="--quick" in sys.argv)))
