"""Dashboards: how long a student waits after moving a slider (simulation + redraw + PNG).

Each callback runs one week of the service desk and redraws the dashboard's figure. The
simulation cache is emptied before every change, so each timing is a fresh run, as for a
setting never seen before. Target: under 150 ms for the default scenario, so the dashboard
feels immediate. The share of the time spent simulating is reported beside it.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import simlib
import simlib.widgets as sw

TARGET_MS = 150.0


def _median_ms(action: Callable[[int], None], values: list[int]) -> float:
    times = []
    for v in values:
        sw.run.cache_clear()
        t0 = time.perf_counter()
        action(v)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def run(quick: bool = False) -> list[dict]:
    repeats = 6 if quick else 20
    agents = [4, 6, 3, 7, 5][:5] * (repeats // 5 + 1)
    agents = agents[:repeats]
    sc = simlib.load_scenario("service-desk")
    rows = []
    sim = _median_ms(lambda a: simlib.simulate(sc.replace(**{"first_line.agents": a}), seed=1), agents)
    rows.append(
        {"benchmark": "widgets", "measure": "simulate one week (reference)", "value": sim, "unit": "ms",
         "target": "", "ok": None}
    )  # fmt: skip
    cases: list[tuple[str, sw.Dashboard, Callable[[sw.Dashboard, int], None]]] = [
        ("instructor: Agents slider", sw.InstructorDashboard(sc), lambda d, a: setattr(d.agents, "value", a)),
        ("utility-warranty: Agents slider", sw.UtilityWarranty(sc), lambda d, a: setattr(d.agents, "value", a)),
        ("availability: Agents slider", sw.Availability(sc), lambda d, a: setattr(d.agents, "value", a)),
        ("internal-external: 2nd line", sw.InternalExternal(sc), lambda d, a: setattr(d.second_agents, "value", a % 4)),
    ]  # fmt: skip
    for name, dash, move in cases:
        ms = _median_ms(lambda a, d=dash, m=move: m(d, a), agents)
        rows.append(
            {"benchmark": "widgets", "measure": f"callback, {name}", "value": ms, "unit": "ms",
             "target": f"< {TARGET_MS:.0f} ms", "ok": ms < TARGET_MS}
        )  # fmt: skip
        rows.append(
            {"benchmark": "widgets", "measure": f"callback / simulate, {name}", "value": ms / sim, "unit": "x",
             "target": "", "ok": None}
        )  # fmt: skip
    # The value map: moving on a grid already computed only moves the circle.
    vm = sw.ValueMap(sc)
    vm.agents.value = 6  # fills the grid cache
    moves = [3, 4, 5, 6, 7, 8][: max(3, repeats // 4)]
    t = []
    for a in moves:
        t0 = time.perf_counter()
        vm.agents.value = a
        t.append((time.perf_counter() - t0) * 1000)
    ms = statistics.median(t)
    rows.append(
        {"benchmark": "widgets", "measure": "callback, value map (grid cached)", "value": ms, "unit": "ms",
         "target": f"< {TARGET_MS:.0f} ms", "ok": ms < TARGET_MS}
    )  # fmt: skip
    sw.run.cache_clear()
    t0 = time.perf_counter()
    vm.demand.value = 1.3  # a new grid: 100 one-week runs
    rows.append(
        {"benchmark": "widgets", "measure": "value map, new 10 x 10 grid", "value": (time.perf_counter() - t0) * 1000,
         "unit": "ms", "target": "", "ok": None}
    )  # fmt: skip
    return rows


if __name__ == "__main__":  # pragma: no cover
    for row in run(quick=True):
        print(row)
