"""Running every team's desk on the round's weeks: common random numbers, on a pool of processes.

Fair scoring means every team plays exactly the same weeks: the same arrivals, the same
failures, the same callers (:func:`round_streams`, one stream per week, the same for every
team and different from round to round). Then the only difference between two teams is their
choices, and a paired comparison tells them apart with few weeks. Teams that chose alike play
one scenario, run once (:func:`run_scenarios`). A kernel closes several rounds, so its pool of
worker processes is kept (spawned, not forked: a kernel's threads must not be copied) and can
be started early (:func:`warm_up`).
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from typing import Any

import numpy as np

from simlib.runner import run_many, seeds
from simlib.scenario import Scenario

__all__ = ["RUNS", "default_workers", "round_streams", "run_scenarios", "warm_up"]

RUNS = 10  # weeks per round: every team's desk runs on the same 10 weeks

_POOL: Executor | None = None
_POOL_LOCK = threading.Lock()


def _pool(workers: int) -> Executor | None:
    """A process pool kept for the life of the process (a kernel closes several rounds)."""
    global _POOL
    if workers <= 1:
        return None
    with _POOL_LOCK:
        if _POOL is None:
            import multiprocessing

            # spawn: a kernel's threads (zmq, tornado) must not be forked
            _POOL = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
        return _POOL


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 4))


def run_scenarios(
    scenarios: Sequence[Scenario],
    streams: list[np.random.SeedSequence],
    *,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[list[dict[str, float]]]:
    """Run each scenario on ``streams``; identical scenarios run once. Progress as (done, total)."""
    keys = [json.dumps(sc.to_dict(), sort_keys=True, default=str) for sc in scenarios]
    unique = list(dict.fromkeys(keys))
    data = {k: sc.to_dict() for k, sc in zip(keys, scenarios)}
    total = len(unique)
    done = 0
    rows: dict[str, list[dict[str, float]]] = {}
    if progress:
        progress(0, total)
    executor = _pool(default_workers() if workers is None else workers) if total > 1 else None
    if executor is not None:
        try:
            return _run_pool(executor, unique, data, keys, streams, progress)
        except BrokenProcessPool:  # a worker could not start or died: run here instead
            _reset_pool()
            if progress:
                progress(0, total)
    for k in unique:
        rows[k] = run_many(data[k], streams)
        done += 1
        if progress:
            progress(done, total)
    return [rows[k] for k in keys]


def _run_pool(
    executor: Executor,
    unique: list[str],
    data: dict[str, Any],
    keys: list[str],
    streams: list[np.random.SeedSequence],
    progress: Callable[[int, int], None] | None,
) -> list[list[dict[str, float]]]:
    rows: dict[str, list[dict[str, float]]] = {}
    futures = {executor.submit(run_many, data[k], streams): k for k in unique}
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


def _reset_pool(wait: bool = False) -> None:
    global _POOL
    with _POOL_LOCK:
        if _POOL is not None:
            _POOL.shutdown(wait=wait, cancel_futures=True)
        _POOL = None


def warm_up(workers: int | None = None) -> None:
    """Start the worker processes now (they import the model), so that the first close is quick."""
    executor = _pool(default_workers() if workers is None else workers)
    if executor is not None:
        for _ in range(default_workers() if workers is None else workers):
            executor.submit(_ready)


def _ready() -> bool:
    return True


def round_streams(seed: int, number: int, runs: int) -> list[np.random.SeedSequence]:
    """The round's weeks: the same for every team, different from round to round."""
    return seeds(np.random.SeedSequence([int(seed), int(number)]), runs)
