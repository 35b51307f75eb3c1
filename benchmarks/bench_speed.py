"""Speed: simlib against a minimal SimPy model and Ciw, measured side by side in one process.

- *pure queue*: the same M/M/5 queue at load 0.8 (16 requests an hour, 4 served an hour per
  agent), about 100,000 customers, through simlib's full model (``pure-queue`` scenario), a
  minimal idiomatic SimPy model (a ``Resource`` and one process per customer) and Ciw.
  Customers per second, and simlib's ratio to each. Targets: >= 0.8 x SimPy, ahead of Ciw.
- *service desk*: the default scenario, every feature on (two lines, outages, a disruption,
  patience, a daily profile, five request types), requests per second as a ratio to the
  minimal SimPy queue. Target >= 0.5 x.
- *classroom*: one simulated week of the service desk (median under 15 ms), and a 10 x 10
  capacity x knowledge sweep with 5 runs a point (under 4 s on 2 cores, with a process pool).

Times are medians over repeats, the models taking turns, so that a busy machine slows all
of them alike and the ratios stay fair.
"""

from __future__ import annotations

import importlib.util
import math
import os
import random
import statistics
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

import simpy

import simlib
from simlib import theory
from simlib.experiments import sweep

ARRIVAL_RATE, SERVICE_RATE, AGENTS = 16.0, 4.0, 5


def simpy_mmc(customers: int, seed: int) -> float:
    """The reference: a minimal idiomatic SimPy M/M/c queue. Returns the mean wait (hours)."""
    rng = random.Random(seed)
    env = simpy.Environment()
    agents = simpy.Resource(env, capacity=AGENTS)
    waits: list[float] = []

    def customer(service: float):
        arrived = env.now
        with agents.request() as request:
            yield request
            waits.append(env.now - arrived)
            yield env.timeout(service)

    def source():
        for _ in range(customers):
            yield env.timeout(rng.expovariate(ARRIVAL_RATE))
            env.process(customer(rng.expovariate(SERVICE_RATE)))

    env.process(source())
    env.run()
    return sum(waits) / len(waits)


def ciw_mmc(customers: int, seed: int) -> float:
    """The same queue in Ciw, run until about ``customers`` have arrived. Returns the mean wait."""
    import ciw

    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(ARRIVAL_RATE)],
        service_distributions=[ciw.dists.Exponential(SERVICE_RATE)],
        number_of_servers=[AGENTS],
    )
    ciw.seed(seed)
    sim = ciw.Simulation(network)
    sim.simulate_until_max_time(customers / ARRIVAL_RATE)
    records = sim.get_all_records()
    return sum(r.waiting_time for r in records) / len(records)


def simlib_mmc(customers: int, seed: int) -> float:
    """The same queue through simlib's whole model (the ``pure-queue`` scenario)."""
    sc = simlib.load_scenario("pure-queue").replace(horizon=customers / ARRIVAL_RATE, warmup=0.0)
    return simlib.simulate(sc, seed=seed, keep_requests=False).measures["wait.mean"]


def _timed(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def _side_by_side(models: dict[str, Callable[[int], object]], repeats: int) -> dict[str, float]:
    """Median seconds of each model, the models taking turns (repeat ``r`` uses seed ``r``)."""
    times: dict[str, list[float]] = {name: [] for name in models}
    for r in range(repeats):
        for name, fn in models.items():
            times[name].append(_timed(lambda fn=fn, r=r: fn(r)))
    return {name: statistics.median(t) for name, t in times.items()}


def _row(measure: str, value: float, unit: str, target: str = "", ok: bool | None = None, bench: str = "speed"):
    return {"benchmark": bench, "measure": measure, "value": value, "unit": unit, "target": target, "ok": ok}


def pure_queue(quick: bool) -> list[dict]:
    n = 10_000 if quick else 100_000
    repeats = 1 if quick else 5
    models = {
        "simlib": lambda s: simlib_mmc(n, s),
        "simpy": lambda s: simpy_mmc(n, s),
    }
    has_ciw = importlib.util.find_spec("ciw") is not None  # a bench-only dependency: `make bench` installs it
    if has_ciw:
        models["ciw"] = lambda s: ciw_mmc(n, s)
    secs = _side_by_side(models, repeats)
    rate = {name: n / t for name, t in secs.items()}
    vs_simpy = rate["simlib"] / rate["simpy"]
    waits = {name: fn(99) for name, fn in models.items()} if not quick else {}
    rows = [_row(f"pure queue M/M/5 {name}", rate[name], "customers/s") for name in models]
    rows.append(_row("pure queue simlib / simpy", vs_simpy, "x", ">= 0.8 x", vs_simpy >= 0.8))
    if has_ciw:
        vs_ciw = rate["simlib"] / rate["ciw"]
        rows.append(_row("pure queue simlib / ciw", vs_ciw, "x", "> 1 x", vs_ciw > 1.0))
    else:
        rows.append(_row("pure queue simlib / ciw (ciw not installed: run make bench)", math.nan, "x"))
    if waits:  # a sanity check that the three models are the same queue
        erlang = theory.mmc_mean_wait(ARRIVAL_RATE, SERVICE_RATE, AGENTS)
        for name, w in waits.items():
            rows.append(
                _row(
                    f"pure queue {name} mean wait / Erlang C",
                    w / erlang,
                    "x",
                    "0.8 to 1.2 (one run)",
                    0.8 <= w / erlang <= 1.2,
                )
            )
    return rows


def service_desk(quick: bool) -> list[dict]:
    sc = simlib.load_scenario("service-desk")
    weeks = 5 if quick else 50
    n = 10_000 if quick else 50_000
    repeats = 1 if quick else 5
    requests = 0

    def desk(seed: int) -> None:
        nonlocal requests
        for w in range(weeks):
            m = simlib.simulate(sc, seed=seed * 1000 + w, keep_requests=False).measures
            requests += int(m["requests"] + m["open"])

    times = {"desk": [], "simpy": []}
    for r in range(repeats):
        requests = 0
        times["desk"].append(_timed(lambda r=r: desk(r)) / requests)
        times["simpy"].append(_timed(lambda r=r: simpy_mmc(n, r)) / n)
    desk_rate = 1 / statistics.median(times["desk"])
    simpy_rate = 1 / statistics.median(times["simpy"])
    ratio = desk_rate / simpy_rate
    return [
        _row("service desk, every feature on", desk_rate, "requests/s"),
        _row("service desk / simpy M/M/5", ratio, "x", ">= 0.5 x", ratio >= 0.5),
    ]


def classroom(quick: bool) -> list[dict]:
    sc = simlib.load_scenario("service-desk")
    simlib.simulate(sc, seed=0)  # warm caches and imports
    week = statistics.median(_timed(lambda s=s: simlib.simulate(sc, seed=s)) for s in range(10 if quick else 50))
    rows = [_row("classroom: one week, one run", week * 1e3, "ms", "< 15 ms", week < 0.015)]
    grid = {
        "first_line.agents": list(range(3, 13)),
        "first_line.knowledge": [round(0.5 + 0.05 * i, 2) for i in range(10)],
    }
    if quick:
        grid = {k: v[:3] for k, v in grid.items()}
    workers = min(2, os.cpu_count() or 1)
    with ProcessPoolExecutor(workers) as pool:
        pool.submit(int).result()  # the workers are up before the clock starts
        repeats = 1 if quick else 3  # medians: other work on the machine makes single timings jumpy
        t_pool = statistics.median(_timed(lambda: sweep(sc, grid, 5, 1, pool, progress=False)) for _ in range(repeats))
    t_serial = statistics.median(_timed(lambda: sweep(sc, grid, 5, 1, progress=False)) for _ in range(repeats))
    points = len(grid["first_line.agents"]) * len(grid["first_line.knowledge"])
    name = f"classroom: {points}-point sweep x 5 runs"
    rows += [
        _row(f"{name}, one process", t_serial, "s"),
        _row(
            f"{name}, {workers} processes",
            t_pool,
            "s",
            "< 4 s" if not quick else "",
            t_pool < 4.0 if not quick else None,
        ),
    ]
    return rows


def run(quick: bool = False) -> list[dict]:
    rows = pure_queue(quick) + service_desk(quick) + classroom(quick)
    if quick:  # a smoke run: too small and too short to judge the targets
        for row in rows:
            row["ok"] = None
    return rows
