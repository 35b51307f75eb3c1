"""Running many runs: their random streams, and the executors that run them.

Run ``i`` of an experiment with seed ``s`` uses the stream ``SeedSequence(s).spawn(n)[i]``.
The runs are independent of each other and of where they run: in this process, in a pool
of processes, or on the workers of a Dask cluster (any ``concurrent.futures.Executor``).
Workers get a scenario as plain data, which pickles anywhere, and send back each run's
measures. A long job shows a progress bar (``tqdm.auto``): a widget in a notebook, text on
stderr elsewhere. Ctrl-C stops every executor's work within seconds (see :func:`stop`).
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from typing import Any

import numpy as np
from tqdm.auto import tqdm

from simlib import validation as check
from simlib.model import simulate
from simlib.result import measure_names as _measure_names
from simlib.scenario import Scenario

__all__ = [
    "check_measures",
    "check_runs",
    "check_scenario",
    "execute",
    "measure_names",
    "process_pool",
    "run_many",
    "seeds",
    "stop",
]

_STOP = threading.Event()  # set while stopping: the runs on a thread pool's threads stop too


def seeds(seed: int | np.random.SeedSequence, runs: int, start: int = 0) -> list[np.random.SeedSequence]:
    """The streams of runs ``start`` to ``runs - 1``: ``SeedSequence(seed).spawn(runs)[start:]``.

    Built from the spawn key directly, so that run ``i`` has the same stream however many
    runs there are, and a given SeedSequence is not changed.
    """
    root = _root(seed)
    return [
        np.random.SeedSequence(root.entropy, spawn_key=(*root.spawn_key, i), pool_size=root.pool_size)
        for i in range(start, runs)
    ]


def _root(seed: Any) -> np.random.SeedSequence:
    seed = check.seed("seed", seed, sequence=True)
    return seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)


check_runs = check.runs  # kept importable here for the rooms that use them
check_scenario = check.scenario


def measure_names(scenario: Scenario) -> tuple[str, ...]:
    """The names of the measures a run of ``scenario`` reports (declared next to build_result)."""
    return _measure_names(scenario)


def check_measures(measures: Any, scenarios: Sequence[Scenario]) -> tuple[str, ...] | None:
    if measures is None:
        return None
    if isinstance(measures, str):
        measures = (measures,)
    measures = tuple(measures)
    if not measures:
        raise ValueError("measures: empty; expected at least one measure name, or None for all")
    known: dict[str, None] = {}
    for sc in scenarios:
        known.update(dict.fromkeys(measure_names(sc)))
    for m in measures:
        if m not in known:
            raise ValueError(f"measures: {m!r} is not a measure; expected some of {', '.join(known)}")
    return measures


def run_many(
    scenario: Scenario | dict[str, Any], streams: list[np.random.SeedSequence], check: bool = True
) -> list[dict[str, float]]:
    """Run ``scenario`` once per stream: the task an executor's worker does.

    Workers get the scenario as plain data (its TOML shape), which pickles anywhere.
    ``check=False``: the caller has checked the work against :mod:`simlib.limits` already
    (a worker does not know the limits raised in the main process).
    """
    _watch_parent()
    if not isinstance(scenario, Scenario):
        scenario = Scenario.from_dict(scenario)
    # simulate() draws from a fresh copy of each stream, so a stream gives the same run every
    # time it is used (common random numbers).
    rows = []
    for s in streams:
        if _STOP.is_set():  # a thread of a ThreadPoolExecutor, told to stop
            raise KeyboardInterrupt
        rows.append(dict(simulate(scenario, s, keep_requests=False, limits=None if check else False).measures))
    return rows


def stack(rows: list[dict[str, float]], names: Sequence[str]) -> np.ndarray:
    return np.array([[row.get(n, math.nan) for n in names] for row in rows], dtype=float).reshape(len(rows), len(names))


def union(rows: Iterable[dict[str, float]]) -> tuple[str, ...]:
    names: dict[str, None] = {}
    for row in rows:
        names.update(dict.fromkeys(row))
    return tuple(names)


def _as_executor(executor: Any) -> Executor | None:
    if executor is None or isinstance(executor, Executor):
        return executor
    if type(executor).__module__.split(".")[0] == "distributed" and hasattr(executor, "get_executor"):
        return executor.get_executor()  # a Dask distributed.Client: its concurrent.futures face
    raise ValueError(
        f"executor: {type(executor).__name__} is not allowed; expected None, a concurrent.futures.Executor "
        "or a dask distributed.Client"
    )


def execute(
    jobs: list[tuple[Scenario, list[np.random.SeedSequence]]], executor: Any, progress: bool | None, label: str
) -> list[list[dict[str, float]]]:
    """Run each job (a scenario and its streams); the results in the jobs' order.

    With an executor, a job of many runs is cut into pieces so that every worker has work.

    Ctrl-C (KeyboardInterrupt) or a failed run stops the rest within seconds: the pieces not
    started are cancelled, and the workers of a ``ProcessPoolExecutor`` are stopped, so that
    none is left running (the pool cannot be used again: make a new one).
    """
    executor = _as_executor(executor)
    if executor is None:
        with _bar(len(jobs), label, progress) as bar:
            out = []
            for scenario, streams in jobs:
                out.append(run_many(scenario, streams, check=False))
                bar.update()
            return out
    size = max(1, math.ceil(sum(len(s) for _, s in jobs) / 64)) if len(jobs) < 16 else None
    futures: dict[Future, tuple[int, int]] = {}
    pieces: list[list[Any]] = []
    try:
        for j, (scenario, streams) in enumerate(jobs):
            step = size or len(streams)
            chunks = [streams[k : k + step] for k in range(0, len(streams), step)]
            pieces.append([None] * len(chunks))
            data = scenario.to_dict()
            for c, chunk in enumerate(chunks):
                futures[executor.submit(run_many, data, chunk, False)] = (j, c)
        left = [len(p) for p in pieces]
        with _bar(len(jobs), label, progress) as bar:  # made after the pool has forked its workers
            for future in as_completed(futures):
                j, c = futures[future]
                pieces[j][c] = future.result()
                left[j] -= 1
                if left[j] == 0:
                    bar.update()
    except Exception:  # a failed run: the pieces not started are not needed
        for future in futures:
            future.cancel()
        raise
    except BaseException:  # Ctrl-C, a closed kernel: stop now, leave nothing running
        stop(executor, futures)
        raise
    return [[row for chunk in p for row in chunk] for p in pieces]


def stop(executor: Executor, futures: Iterable[Future], timeout: float = 5.0) -> None:
    """Stop the work of ``futures`` on ``executor`` now, leaving no worker process behind.

    A process pool's workers are killed: a worker cannot be stopped in the middle of a run
    otherwise. Its futures then fail with ``BrokenProcessPool`` (they are not cancelled
    first: Python 3.11's pool crashes, and hangs at exit, setting the outcome of a cancelled
    future). Other executors (threads, Dask) have the pieces not yet started cancelled, and
    their running runs stop at the next run (see :func:`run_many`).
    """
    if isinstance(executor, ProcessPoolExecutor):
        processes = list((getattr(executor, "_processes", None) or {}).values())
        for proc in processes:
            with contextlib.suppress(Exception):
                proc.kill()
        executor.shutdown(wait=False)
        deadline = time.monotonic() + timeout
        for proc in processes:
            with contextlib.suppress(Exception):
                proc.join(max(0.0, deadline - time.monotonic()))
        thread = getattr(executor, "_executor_manager_thread", None)
        if thread is not None:
            thread.join(max(0.0, deadline - time.monotonic()))
        return
    _STOP.set()
    try:
        for future in futures:
            future.cancel()
        if isinstance(executor, ThreadPoolExecutor):
            executor.shutdown(wait=True, cancel_futures=True)
    finally:
        _STOP.clear()


def _bar(total: int, label: str, progress: bool | None) -> Any:
    """A progress bar (``tqdm.auto``): a widget in a notebook, text on stderr elsewhere.

    ``progress=None`` shows it only once the work has taken more than a second.
    """
    return tqdm(
        total=total,
        desc=label,
        unit="points",
        disable=progress is False or total <= 1,
        delay=0.0 if progress else 1.0,
        leave=True,
        dynamic_ncols=True,
    )


def process_pool(workers: int) -> ProcessPoolExecutor:
    """A process pool whose workers leave Ctrl-C to the main process and stop when it dies.

    The command line uses it: Ctrl-C reaches every process of the terminal's process group,
    and a worker interrupted while waiting for work would print a traceback.
    """
    return ProcessPoolExecutor(max_workers=workers, initializer=_worker_start)


def _worker_start() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _watch_parent()


_watching: list[int] = []


def _watch_parent() -> None:
    """In a worker process: exit when the process that started it dies (no orphans).

    A pool's worker waits for work on a pipe that it holds open itself, so it would wait for
    ever once its parent is killed (a notebook kernel shut down, ``kill -9``).
    """
    if _watching or multiprocessing.parent_process() is None:
        return
    parent = os.getppid()
    _watching.append(parent)

    def watch() -> None:
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="simlib-parent-watch", daemon=True).start()
