"""Dashboards: how long a student waits after moving a slider, as multiples of the simulation.

Each move goes to a setting not seen before (the cache of runs is emptied first), as a new
setting does in class. Three times per move, all in the same process:

- *numbers*: from the move to the numbers panel holding the new numbers (an observer on the
  panel stops the clock);
- *callback*: from the move until the picture is sent too (the whole work of a move);
- *simulate*: one fresh ``simulate()`` of the same setting, timed right after.

The ratios pair each move with its own simulation, so a busy machine slows both alike.
Targets (issue 13): callback / simulate at most 4, numbers / simulate at most 1.5.

Then what the picture costs: a full draw against a redraw of the moving artists only
(blitting), and the PNG encoders at several compression levels (time and size); and the value
map, moving on a computed map and starting a new one.
"""

from __future__ import annotations

import io
import statistics
import time
from collections.abc import Callable

import numpy as np

import simlib
from simlib import dashboards as sw
from simlib import plots
from simlib.dashboards import base

CALLBACK_X = 4.0
NUMBERS_X = 1.5
SECOND = {4: 1, 6: 3, 3: 0, 7: 2, 5: 0}  # second-line agents for each move (each differs from the one before)


def _row(measure: str, value: float, unit: str, target: str = "", ok: bool | None = None) -> dict:
    return {"benchmark": "widgets", "measure": measure, "value": value, "unit": unit, "target": target, "ok": ok}


def _moves(dash: sw.Dashboard, move: Callable[[int], None], values: list[int]) -> dict[str, list[float]]:
    """Time each move: to the numbers, to the end of the callback, and a fresh simulate of the setting."""
    stamp: list[float] = []
    dash.measures.observe(lambda _: stamp.append(time.perf_counter()), names="value")
    out: dict[str, list[float]] = {"numbers": [], "callback": [], "simulate": []}
    for v in values:
        base.run.cache_clear()
        stamp.clear()
        t0 = time.perf_counter()
        move(v)
        t1 = time.perf_counter()
        if not stamp or dash.message.value:
            raise RuntimeError(f"{type(dash).__name__}: the move to {v} showed no numbers ({dash.message.value})")
        sc, seed = dash.scenario(), dash.seed.value
        t2 = time.perf_counter()
        simlib.simulate(sc, seed=seed)
        sim = time.perf_counter() - t2
        out["numbers"].append((stamp[0] - t0) / sim)
        out["callback"].append((t1 - t0) / sim)
        out["simulate"].append(sim * 1000)
    return out


def _png_rows(dash: sw.Dashboard, repeats: int) -> list[dict]:
    """Full draw against blitting, and PNG encoders by level, on the instructor's figure."""
    from PIL import Image

    live = dash.live

    def median_ms(action: Callable[[], object]) -> float:
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            action()
            times.append((time.perf_counter() - t0) * 1000)
        return statistics.median(times)

    def full() -> bytes:
        live.invalidate()
        return live.png()

    rows = [
        _row("picture: whole figure drawn, PNG level 1", median_ms(full), "ms"),
        _row("picture: moving artists only (blitting), PNG level 1", median_ms(live.png), "ms"),
    ]
    rgba = np.asarray(live.canvas.buffer_rgba()).copy()
    for level in (0, 1, 6):
        ms = median_ms(lambda lv=level: plots.png_bytes(rgba, lv))
        size = len(plots.png_bytes(rgba, level)) / 1000
        rows.append(
            _row(f"PNG of {rgba.shape[1]}x{rgba.shape[0]}, plots.png_bytes level {level} ({size:.0f} kB)", ms, "ms")
        )
    for level in (1, 6):

        def pil(lv: int = level) -> bytes:
            buffer = io.BytesIO()
            Image.fromarray(rgba, "RGBA").save(buffer, format="png", compress_level=lv)
            return buffer.getvalue()

        rows.append(_row(f"PNG, Pillow compress_level {level} ({len(pil()) / 1000:.0f} kB)", median_ms(pil), "ms"))
    return rows


def run(quick: bool = False) -> list[dict]:
    repeats = 6 if quick else 20
    agents = ([4, 6, 3, 7, 5] * (repeats // 5 + 1))[:repeats]  # each differs from the one before
    sc = simlib.load_scenario("service-desk")
    rows: list[dict] = []
    cases: list[tuple[str, sw.Dashboard, Callable[[sw.Dashboard, int], None]]] = [
        ("instructor: Agents", sw.InstructorDashboard(sc), lambda d, a: setattr(d.agents, "value", a)),
        ("utility-warranty: Agents", sw.UtilityWarranty(sc), lambda d, a: setattr(d.agents, "value", a)),
        ("availability: Agents", sw.Availability(sc), lambda d, a: setattr(d.agents, "value", a)),
        ("internal-external: 2nd line", sw.InternalExternal(sc), lambda d, a: setattr(d.second_agents, "value", SECOND[a])),  # noqa: E501
    ]  # fmt: skip
    sims = []
    for name, dash, move in cases:
        got = _moves(dash, lambda a, d=dash, m=move: m(d, a), agents)
        sims += got["simulate"]
        callback, numbers = statistics.median(got["callback"]), statistics.median(got["numbers"])
        rows.append(_row(f"callback / simulate, {name}", callback, "x", f"<= {CALLBACK_X:g}x", callback <= CALLBACK_X))
        rows.append(
            _row(f"move to numbers / simulate, {name}", numbers, "x", f"<= {NUMBERS_X:g}x", numbers <= NUMBERS_X)
        )
    rows.insert(0, _row("simulate one week (reference, median of the moves' settings)", statistics.median(sims), "ms"))
    rows += _png_rows(cases[0][1], repeats)

    # The value map: moving on a computed map only moves the circle (and the bars of the circled setting).
    vm = sw.ValueMap(sc)
    got = _moves(vm, lambda a: setattr(vm.agents, "value", a), [3, 4, 8, 6, 7, 9, 10, 11][: max(4, repeats // 3)])
    callback = statistics.median(got["callback"])
    rows.append(
        _row(
            "callback / simulate, value map, map computed", callback, "x", f"<= {CALLBACK_X:g}x", callback <= CALLBACK_X
        )
    )
    base.run.cache_clear()
    t0 = time.perf_counter()
    vm.demand.value = 1.3  # a new map: 100 one-week runs (at once here; square by square in a browser)
    rows.append(_row("value map, new 10 x 10 map, all squares", (time.perf_counter() - t0) * 1000, "ms"))
    return rows


if __name__ == "__main__":  # pragma: no cover
    for row in run(quick=True):
        print(row)
