"""Running every team's desk on the round's weeks: common random numbers, on one pool of processes.

Fair scoring means every team plays exactly the same weeks: the same arrivals, the same
failures, the same callers (:func:`round_streams`, one stream per week, the same for every
team and different from round to round). Then the only difference between two teams is their
choices, and a paired comparison tells them apart with few weeks. Teams that chose alike play
one scenario, run once (:func:`run_scenarios`).

The server closes several rounds, so the process keeps *one* pool of worker processes for its
life: the kit's pool (:func:`simlib.runner.process_pool`, the only place that makes one), made
on first use or early by :func:`warm_up`, and ended by :func:`shutdown`. Its workers end with
the server, even after ``kill -9`` of the server (see ``tests/test_classroom_concurrency.py::
test_the_workers_end_with_the_server_even_after_kill_9``); a worker may end with the *thread*
that made the pool, so the server calls :func:`warm_up` from its main thread.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool

import numpy as np

from simlib.runner import process_pool, run_many, seeds
from simlib.scenario import Scenario

__all__ = ["RUNS", "default_workers", "round_streams", "run_scenarios", "shutdown", "warm_up"]

RUNS = 10  # weeks per round: every team's desk runs on the same 10 weeks

_POOL: ProcessPoolExecutor | None = None
_LOCK = threading.Lock()


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 4))


def _pool(workers: int) -> ProcessPoolExecutor | None:
    """The process's one pool, made on first use and kept (a server closes several rounds)."""
    global _POOL
    if workers <= 1:
        return None
    with _LOCK:
        if _POOL is None:
            _POOL = process_pool(workers)
        return _POOL


def shutdown() -> None:
    """End the pool's workers now (a server that stops); the next run starts a new pool."""
    global _POOL
    with _LOCK:
        pool, _POOL = _POOL, None
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)


def warm_up(workers: int | None = None) -> None:
    """Start the worker processes now (they import the model), so that the first close is quick.

    Call it from a thread that lives as long as the server, such as the main thread.
    """
    n = default_workers() if workers is None else workers
    pool = _pool(n)
    if pool is not None:
        for future in [pool.submit(_ready) for _ in range(n)]:
            future.result()


def _ready() -> bool:
    return True


def run_scenarios(
    scenarios: Sequence[Scenario],
    streams: list[np.random.SeedSequence],
    *,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[list[dict[str, float]]]:
    """Run each scenario on ``streams``; identical scenarios run once. Progress as (done, total)."""
    keys = [json.dumps(sc.to_dict(), sort_keys=True, default=str) for sc in scenarios]
    data = {k: sc.to_dict() for k, sc in zip(keys, scenarios)}
    unique = list(data)
    rows: dict[str, list[dict[str, float]]] = {}
    if progress:
        progress(0, len(unique))
    pool = _pool(default_workers() if workers is None else workers) if len(unique) > 1 else None
    if pool is not None:
        try:
            futures = {pool.submit(run_many, data[k], streams): k for k in unique}
            try:
                for future in as_completed(futures):
                    rows[futures[future]] = future.result()
                    if progress:
                        progress(len(rows), len(unique))
            except BaseException:
                for future in futures:
                    future.cancel()
                raise
            return [rows[k] for k in keys]
        except BrokenProcessPool:  # a worker could not start or died: run here instead
            shutdown()
            rows.clear()
    for k in unique:
        rows[k] = run_many(data[k], streams)
        if progress:
            progress(len(rows), len(unique))
    return [rows[k] for k in keys]


def round_streams(seed: int, number: int, runs: int) -> list[np.random.SeedSequence]:
    """The round's weeks: the same for every team, different from round to round."""
    return seeds(np.random.SeedSequence([int(seed), int(number)]), runs)
