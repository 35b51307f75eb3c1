"""Running many runs: their random streams, and the one place that runs them on processes.

Run ``i`` of an experiment with seed ``s`` uses the stream ``SeedSequence(s).spawn(n)[i]``.
The runs are independent of each other and of where they run: here, on a pool of processes,
or on the workers of a Dask cluster. Workers get a scenario as plain data (its TOML shape),
which pickles anywhere, and send back each run's measures.

The API (experiments, sweeps, the command line and the classroom game use it):

- :func:`seeds` ``(seed, runs, start=0)``: the streams of runs ``start`` to ``runs - 1``.
- :func:`run_many` ``(scenario, streams, check=True)``: run a scenario once per stream, here;
  a list of each run's measures (a dict of name to float). It is also what a worker runs.
- :func:`execute` ``(jobs, executor=None, progress=None, label="")``: run each job, a
  ``(scenario, streams)`` pair, and return each job's list of measures, in the jobs' order.
  ``executor``: ``None`` (here), any ``concurrent.futures.Executor`` (e.g. a
  :func:`process_pool`) or a Dask ``distributed.Client``. ``progress``: ``True`` / ``False``
  / ``None`` for a bar (``tqdm.auto``: a widget in a notebook, text on stderr elsewhere;
  ``None`` shows it once the work has taken a second), or a function called as
  ``progress(done, total)`` with the number of jobs done (0 first). A failed run raises its
  error, with the runs not started cancelled. Ctrl-C stops the work within seconds (see
  :func:`execute`).
- :func:`process_pool` ``(workers)``: the kit's pool of worker processes, the only one it
  makes. Its workers are spawned (a notebook kernel's threads are not copied) and started at
  once, from the calling thread; they leave Ctrl-C to the main process, and die when that
  thread or the process ends (Linux). Use it in a ``with`` block, or keep one for the life of
  the process, made in the main thread (the game does). It is a ``ProcessPoolExecutor``
  (:class:`Pool`) whose ``kill()`` stops it at once; Ctrl-C kills it, in :func:`execute` or
  in its ``with`` block. After that, or a worker lost (``BrokenProcessPool``), make a new one.
"""

from __future__ import annotations

import contextlib
import ctypes
import math
import multiprocessing
import multiprocessing.context
import os
import signal
import sys
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from multiprocessing import resource_tracker
from typing import Any

import numpy as np
from tqdm.auto import tqdm

from simlib import validation
from simlib.model import simulate
from simlib.result import measure_names
from simlib.scenario import Scenario

__all__ = ["check_measures", "execute", "process_pool", "run_many", "seeds"]

PIECE = 8  # runs per task on an executor: every worker has work, and a task is soon done
STOP_WAIT = 10.0  # seconds Ctrl-C waits for the tasks running on another's executor


def seeds(seed: int | np.random.SeedSequence, runs: int, start: int = 0) -> list[np.random.SeedSequence]:
    """The streams of runs ``start`` to ``runs - 1``: ``SeedSequence(seed).spawn(runs)[start:]``.

    Built from the spawn key directly, so that run ``i`` has the same stream however many
    runs there are, and a given SeedSequence is not changed.
    """
    seed = validation.seed("seed", seed, sequence=True)
    root = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    return [
        np.random.SeedSequence(root.entropy, spawn_key=(*root.spawn_key, i), pool_size=root.pool_size)
        for i in range(start, runs)
    ]


def check_measures(measures: Any, scenarios: Sequence[Scenario]) -> tuple[str, ...] | None:
    """The measure names asked for, checked against what runs of ``scenarios`` report."""
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

    ``check=False``: the caller has checked the work against :mod:`simlib.limits` already
    (a worker does not know the limits raised in the main process).
    """
    _exit_with_parent()
    if not isinstance(scenario, Scenario):
        scenario = Scenario.from_dict(scenario)
    # simulate() draws from a fresh copy of each stream, so a stream gives the same run every
    # time it is used (common random numbers).
    limits = None if check else False
    return [dict(simulate(scenario, s, keep_requests=False, limits=limits).measures) for s in streams]


def stack(rows: list[dict[str, float]], names: Sequence[str]) -> np.ndarray:
    return np.array([[row.get(n, math.nan) for n in names] for row in rows], dtype=float).reshape(len(rows), len(names))


def union(rows: Iterable[dict[str, float]]) -> tuple[str, ...]:
    names: dict[str, None] = {}
    for row in rows:
        names.update(dict.fromkeys(row))
    return tuple(names)


Progress = bool | None | Callable[[int, int], None]


def execute(
    jobs: list[tuple[Scenario, list[np.random.SeedSequence]]],
    executor: Any = None,
    progress: Progress = None,
    label: str = "",
) -> list[list[dict[str, float]]]:
    """Run each job (a scenario and its streams); each job's measures, in the jobs' order.

    On an executor a job goes in tasks of at most :data:`PIECE` runs. A failed run raises its
    error and the tasks not started are cancelled. Ctrl-C (KeyboardInterrupt) stops the work
    and is raised again once it has stopped; more Ctrl-Cs meanwhile are ignored. A
    :func:`process_pool` is killed (:meth:`Pool.kill`). Another process pool
    is shut down with its tasks not started cancelled; the tasks running on any other
    executor are waited for (up to :data:`STOP_WAIT` seconds).
    """
    executor = _as_executor(executor)
    with _progress(len(jobs), label, progress) as done:
        if executor is None:
            out = []
            for scenario, streams in jobs:
                out.append(run_many(scenario, streams, check=False))
                done()
            return out
        futures: dict[Future, tuple[int, int]] = {}
        pieces: list[list[Any]] = []
        try:
            with _interrupts_held():
                for j, (scenario, streams) in enumerate(jobs):
                    data = scenario.to_dict()
                    chunks = [streams[k : k + PIECE] for k in range(0, len(streams), PIECE)]
                    pieces.append([None] * len(chunks))
                    for c, chunk in enumerate(chunks):
                        futures[executor.submit(run_many, data, chunk, False)] = (j, c)
            left = [len(p) for p in pieces]
            for future in as_completed(futures):
                j, c = futures[future]
                pieces[j][c] = _rows(future.result(), jobs[j][1][c * PIECE : (c + 1) * PIECE], executor)
                left[j] -= 1
                if left[j] == 0:
                    done()
        except Exception:  # a failed run: the tasks not started are not needed
            for future in futures:
                future.cancel()
            raise
        except BaseException:  # Ctrl-C, a closed kernel
            _stop(executor, list(futures))
            raise
    return [[row for chunk in p for row in chunk] for p in pieces]


def _rows(rows: Any, streams: list[Any], executor: Executor) -> list[dict[str, float]]:
    """A task's result: one dict of measures per stream, or a clear error (never 0 runs)."""
    if not isinstance(rows, list) or len(rows) != len(streams) or not all(isinstance(r, dict) for r in rows):
        raise ValueError(
            f"executor: {type(executor).__name__} returned {rows!r:.80} for a task of {len(streams)} runs; "
            "expected the list the task returns (an executor must run the function it is given)"
        )
    return rows


def _as_executor(executor: Any) -> Executor | None:
    if executor is None or isinstance(executor, Executor):
        return executor
    if type(executor).__module__.split(".")[0] == "distributed" and hasattr(executor, "get_executor"):
        return executor.get_executor()  # a Dask distributed.Client: its concurrent.futures face
    raise ValueError(
        f"executor: {type(executor).__name__} is not allowed; expected None, a concurrent.futures.Executor "
        "or a dask distributed.Client"
    )


def _stop(executor: Executor, futures: list[Future]) -> None:
    """Stop the work of ``futures``, ignoring Ctrl-C meanwhile (a second one would leave it half done)."""
    if isinstance(executor, Pool):
        executor.kill()
        return
    with _interrupts_held(replay=False):
        if isinstance(executor, ProcessPoolExecutor):  # its own thread cancels the tasks not started
            executor.shutdown(wait=False, cancel_futures=True)
        else:
            for future in futures:
                future.cancel()
        # polled: concurrent.futures.wait() is not told of a future the pool's thread cancels
        deadline = time.monotonic() + STOP_WAIT
        while not all(f.done() for f in futures) and time.monotonic() < deadline:
            time.sleep(0.05)


@contextlib.contextmanager
def _interrupts_held(replay: bool = True) -> Iterator[None]:
    """Hold Ctrl-C back until the block is done (a pool half started cannot be stopped), then
    act on it; ``replay=False``: ignore it (the block is stopping the work already)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[Any] = []
    before = signal.signal(signal.SIGINT, lambda *args: held.append(args))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)
    if held and replay and callable(before):
        before(*held[0])


@contextlib.contextmanager
def _progress(total: int, label: str, progress: Progress) -> Iterator[Callable[[], None]]:
    """A function to call when a job is done: it moves a bar or calls ``progress(done, total)``."""
    if callable(progress):
        count = [0]
        progress(0, total)

        def step() -> None:
            count[0] += 1
            progress(count[0], total)

        yield step
        return
    with tqdm(
        total=total,
        desc=label,
        unit="points",
        disable=progress is False or total <= 1,
        delay=0.0 if progress else 1.0,
        leave=True,
        dynamic_ncols=True,
    ) as bar:
        yield bar.update


# The kit's process pool ------------------------------------------------------------------


class _Spawn(multiprocessing.context.SpawnContext):
    """Spawned workers (a kernel's threads are not forked), kept to be killed."""

    def __init__(self) -> None:
        super().__init__()
        self.workers: weakref.WeakSet = weakref.WeakSet()

    def Process(self, *args: Any, **kwargs: Any) -> Any:  # noqa: N802 - the name the pool calls
        process = _Worker(*args, **kwargs)
        self.workers.add(process)
        return process


class _Worker(multiprocessing.context.SpawnProcess):
    def start(self) -> None:
        """Start with Ctrl-C blocked, which the worker inherits: it is not interrupted while it imports."""
        if not hasattr(signal, "pthread_sigmask"):  # Windows
            return super().start()
        resource_tracker.ensure_running()  # (if it starts here, it unblocks Ctrl-C)
        before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            super().start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, before)


class Pool(ProcessPoolExecutor):
    """The kit's process pool: see :func:`process_pool`."""

    def __init__(self, workers: int) -> None:
        self.spawner = _Spawn()
        try:
            with _interrupts_held():
                super().__init__(max_workers=workers, mp_context=self.spawner, initializer=_worker_start)
                for _ in range(workers):  # each finds no idle worker, so the pool starts one
                    self.submit(int)
        except BaseException:  # Ctrl-C, held until the pool could be stopped
            self.kill()
            raise

    def kill(self) -> None:
        """Kill the workers (a run cannot be stopped otherwise) and shut the pool down; Ctrl-C
        is ignored meanwhile. See ``test_ctrl_c_kills_a_long_run_at_once``."""
        with _interrupts_held(replay=False):
            # no future is cancelled first: Python 3.11's pool fails, and hangs at exit,
            # setting the outcome of a cancelled future after a worker died
            for process in list(self.spawner.workers):
                with contextlib.suppress(Exception):
                    process.kill()
            self.shutdown(wait=True)

    def __exit__(self, kind: Any, error: Any, trace: Any) -> bool:
        if kind is not None and not issubclass(kind, Exception):  # Ctrl-C in the block
            self.kill()
            return False
        return super().__exit__(kind, error, trace)


def process_pool(workers: int) -> Pool:
    """The kit's pool of ``workers`` processes (see the module's docstring), all started now.

    Started now, from this thread: a worker dies with the thread that started it (see
    :func:`_exit_with_parent`), so make the pool in a thread that lives as long as the pool,
    such as the main thread.
    """
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ValueError(f"workers: {workers!r} is not allowed; expected a whole number from 1 up")
    return Pool(workers)


def _worker_start() -> None:
    # Ctrl-C in a terminal reaches every process of its group: the main process stops the
    # work, and a worker interrupted while waiting for work would print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_with_parent()


_PR_SET_PDEATHSIG = 1
_exiting_with_parent: list[bool] = []


def _exit_with_parent() -> None:
    """In a worker process: be killed when the process that started it dies (Linux).

    A pool's worker waits for work on a pipe that it holds open itself, so it would wait for
    ever once its parent is killed (a notebook kernel shut down, ``kill -9``); see
    ``test_a_worker_leaves_when_its_parent_is_killed`` and
    ``test_the_kit_pool_leaves_when_its_main_process_is_killed``. Linux sends the signal
    when the *thread* that started the worker ends (``prctl(2)``).
    """
    parent = multiprocessing.parent_process()
    if _exiting_with_parent or parent is None or not sys.platform.startswith("linux"):
        return
    _exiting_with_parent.append(True)
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if not parent.is_alive():  # it died before the line above
        os._exit(1)
