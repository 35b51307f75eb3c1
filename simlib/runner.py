"""Running many runs: their random streams, and the executors that run them.

Run ``i`` of an experiment with seed ``s`` uses the stream ``SeedSequence(s).spawn(n)[i]``.
The runs are independent of each other and of where they run: in this process, in a pool
of processes, or on the workers of a Dask cluster (any ``concurrent.futures.Executor``).
Workers get a scenario as plain data, which pickles anywhere, and send back each run's
measures. A long job shows a progress bar: a widget in a notebook, text on stderr elsewhere.
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor, as_completed
from typing import Any

import numpy as np

from simlib import validation as check
from simlib.model import simulate
from simlib.result import measure_names as _measure_names
from simlib.scenario import Scenario

__all__ = ["check_measures", "check_runs", "check_scenario", "execute", "measure_names", "run_many", "seeds"]


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
    seed = check.seed(seed, sequence=True)
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


def run_many(scenario: Scenario | dict[str, Any], streams: list[np.random.SeedSequence]) -> list[dict[str, float]]:
    """Run ``scenario`` once per stream: the task an executor's worker does.

    Workers get the scenario as plain data (its TOML shape), which pickles anywhere.
    """
    if not isinstance(scenario, Scenario):
        scenario = Scenario.from_dict(scenario)
    # simulate() draws from a fresh copy of each stream, so a stream gives the same run every
    # time it is used (common random numbers).
    return [dict(simulate(scenario, s, keep_requests=False).measures) for s in streams]


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
    """
    executor = _as_executor(executor)
    bar = _Progress(len(jobs), label, progress)
    try:
        if executor is None:
            out = []
            for scenario, streams in jobs:
                out.append(run_many(scenario, streams))
                bar.advance()
            return out
        size = max(1, math.ceil(sum(len(s) for _, s in jobs) / 64)) if len(jobs) < 16 else None
        futures = {}
        pieces: list[list[Any]] = []
        for j, (scenario, streams) in enumerate(jobs):
            step = size or len(streams)
            chunks = [streams[k : k + step] for k in range(0, len(streams), step)]
            pieces.append([None] * len(chunks))
            data = scenario.to_dict()
            for c, chunk in enumerate(chunks):
                futures[executor.submit(run_many, data, chunk)] = (j, c)
        left = [len(p) for p in pieces]
        try:
            for future in as_completed(futures):
                j, c = futures[future]
                pieces[j][c] = future.result()
                left[j] -= 1
                if left[j] == 0:
                    bar.advance()
        except BaseException:  # a failed run or Ctrl-C: do not leave the rest running
            for future in futures:
                future.cancel()
            raise
        return [[row for chunk in p for row in chunk] for p in pieces]
    finally:
        bar.close()


def _in_notebook() -> bool:
    shell = sys.modules.get("IPython")
    if shell is None:
        return False
    try:
        ip = shell.get_ipython()
    except Exception:  # pragma: no cover - an IPython that cannot tell
        return False
    return ip is not None and "IPKernelApp" in getattr(ip, "config", {})


class _Progress:
    """A progress bar for long sweeps: an ipywidgets bar in a notebook, text on stderr elsewhere."""

    def __init__(self, total: int, label: str, mode: bool | None, delay: float = 1.0) -> None:
        self.total, self.label, self.done = total, label, 0
        self.enabled = mode is not False and total > 1
        self.delay = 0.0 if mode else delay
        self.t0 = time.perf_counter()
        self.show: Callable[[], None] | None = None
        self.widget: Any = None
        self.shown = -math.inf  # when the bar was last drawn

    def advance(self) -> None:
        self.done += 1
        if not self.enabled:
            return
        now = time.perf_counter()
        if self.show is None and now - self.t0 >= self.delay:
            self.show = self._start()
        if self.show is not None and (now - self.shown >= 0.2 or self.done == self.total):
            self.shown = now
            self.show()

    def _start(self) -> Callable[[], None]:
        if _in_notebook():
            try:
                import ipywidgets
                from IPython.display import display

                self.widget = ipywidgets.IntProgress(value=0, min=0, max=self.total, description=self.label)
                display(self.widget)
                return self._update_widget
            except Exception:  # pragma: no cover - no widgets: fall back to text
                pass
        return self._update_text

    def _update_widget(self) -> None:
        self.widget.value = self.done
        self.widget.description = f"{self.label} {self.done}/{self.total}"

    def _update_text(self) -> None:
        width = 30
        filled = round(width * self.done / self.total)
        secs = time.perf_counter() - self.t0
        sys.stderr.write(
            f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} points {secs:5.1f} s"
        )
        sys.stderr.flush()

    def close(self) -> None:
        if self.show == self._update_text:
            sys.stderr.write("\n")
            sys.stderr.flush()
