"""The classroom game: how long the class waits when the instructor closes a round.

Thirty teams, each with its own choices, run on the round's common weeks (``RUNS`` = 10 per
team: 300 one-week runs), then the results go into the game's SQLite file in one transaction.
Measured as the instructor page does it: ``close_round(store, progress=...)`` from a fresh game,
including starting the worker processes (a "cold" close), and again for the next round with the
workers running (a "warm" close). Target: under 8 s for 30 teams on a 2-core machine, with the
progress bar moving (a text bar on stderr here; the page shows the same steps).
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

from simlib import classroom
from simlib.classroom import RUNS

TARGET_S = 8.0


def _choices(i: int) -> dict:
    """Thirty different desks, all within the budget."""
    return {
        "first_line.agents": 4 + i % 3,
        "first_line.knowledge": round(0.6 + 0.05 * (i % 7), 2),
        "first_line.mtbf": 40.0 + 10.0 * (i // 7),
    }


def _bar(label: str):
    marks: list[tuple[float, int]] = []
    t0 = time.perf_counter()

    def step(done: int, total: int) -> None:
        marks.append((time.perf_counter() - t0, done))
        filled = round(30 * done / max(total, 1))
        sys.stderr.write(f"\r  {label} [{'#' * filled}{'.' * (30 - filled)}] {done}/{total}")
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return step, marks


def _cpu() -> float:
    """CPU seconds used by this process and its finished children (the workers, once shut down)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def close_time(teams: int = 30, rounds: int = 2) -> tuple[list[tuple[float, list[tuple[float, int]]]], float]:
    """Seconds to close each round for ``teams`` teams with the progress marks, and the CPU seconds of all."""
    out = []
    classroom.shutdown()
    cpu0 = _cpu()
    with tempfile.TemporaryDirectory() as tmp:
        game = classroom.create_game(Path(tmp) / "bench.sqlite", "service-desk", rounds=rounds, seed=11)
        for i in range(teams):
            classroom.join(game, f"team-{i:02d}")
        for number in range(1, rounds + 1):
            classroom.open_round(game)
            for i in range(teams):
                classroom.submit(game, f"team-{i:02d}", _choices(i + number))
            step, marks = _bar(f"closing round {number} for {teams} teams")
            t0 = time.perf_counter()
            classroom.close_round(game, progress=step)
            out.append((time.perf_counter() - t0, marks))
        game.close()
    classroom.shutdown()
    return out, _cpu() - cpu0


def _moved(marks: list[tuple[float, int]], seconds: float) -> bool:
    """The bar moved: at least 5 distinct steps, the first long before the end."""
    steps = {done for _, done in marks}
    started = next((t for t, done in marks if done > 0), seconds)
    return len(steps) >= 6 and started < 0.6 * seconds


def run(quick: bool = False) -> list[dict]:
    teams = 6 if quick else 30
    ((cold, cold_marks), (warm, _)), cpu = close_time(teams)
    rows = [
        {"benchmark": "game", "measure": f"close a round, {teams} teams x {RUNS} runs (cold: workers start)",
         "value": cold, "unit": "s", "target": f"< {TARGET_S:.0f} s", "ok": None if quick else cold < TARGET_S},
        {"benchmark": "game", "measure": f"close a round, {teams} teams x {RUNS} runs (warm)",
         "value": warm, "unit": "s", "target": f"< {TARGET_S:.0f} s", "ok": None if quick else warm < TARGET_S},
        {"benchmark": "game", "measure": "progress bar moved while closing (steps shown)",
         "value": float(len({d for _, d in cold_marks})), "unit": "steps", "target": ">= 6, from the start",
         "ok": None if quick else _moved(cold_marks, cold)},
        {"benchmark": "game", "measure": "CPU seconds per close, all processes (2 idle cores: wait about half)",
         "value": cpu / 2, "unit": "s", "target": "", "ok": None},
        {"benchmark": "game", "measure": "worker processes", "value": float(classroom.default_workers()),
         "unit": "", "target": "", "ok": None},
    ]  # fmt: skip
    return rows


if __name__ == "__main__":
    from benchmarks.__main__ import table

    print(table(run(quick="--quick" in sys.argv)))
