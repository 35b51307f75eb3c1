"""Sweeps: a grid of scenarios, each run many times, as one tidy table.

How do capacity and knowledge together make value? A sweep runs every combination of the
values given for some fields (say agents 3 to 12 and knowledge 0.5 to 0.95), each on the
same streams, and returns one row per combination with each measure's mean and 95% CI.
"""

from __future__ import annotations

import csv
import errno
import itertools
import math
import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from simlib import limits, validation
from simlib.runner import check_measures, execute, seeds, stack, union
from simlib.scenario import Scenario
from simlib.stats import estimate
from simlib.tomlio import shown

__all__ = ["sweep", "to_csv"]


def sweep(
    scenario: Scenario,
    grid: Mapping[str, Sequence[Any]],
    runs: int,
    seed: int | np.random.SeedSequence,
    executor: Any = None,
    *,
    measures: Sequence[str] | None = None,
    progress: bool | None = None,
) -> np.ndarray:
    """Run every combination of the ``grid`` values, ``runs`` times each, as a tidy table.

    ``grid`` maps dotted field names to the values to try, e.g.
    ``{"first_line.agents": [3, 4, 5], "first_line.knowledge": [0.5, 0.7, 0.9]}``: 9 points,
    the last name varying fastest. Every point uses the same ``runs`` streams (common random
    numbers across the grid), so neighbouring points differ by the change, not by luck.

    Returns a numpy structured array, one row per point: the grid columns (named as in
    ``grid``), ``runs``, and for each measure ``<measure>_mean``, ``<measure>_low`` and
    ``<measure>_high`` (the 95% CI), measure names kept as they are (``wait.mean_mean``).
    ``pandas.DataFrame(table)`` or :func:`to_csv` take it further. The grid's size times
    ``runs``, and the requests of all its runs, are checked against :mod:`simlib.limits`. A measure a point does
    not report (e.g. the second line's utilisation with no second line) is NaN.

    ``executor``: any ``concurrent.futures.Executor``, e.g. a ``ProcessPoolExecutor``, or a
    Dask ``distributed.Client`` for a cluster. ``progress``: ``True`` shows a bar (a widget in
    a notebook, text on stderr elsewhere), ``False`` never, ``None`` only once the sweep has
    taken more than a second. The whole grid is checked before anything runs.
    """
    scenario = validation.scenario("scenario", scenario)
    if progress is not None and not isinstance(progress, bool):
        raise ValueError(f"progress: {progress!r} is not allowed; expected True, False or None")
    if not isinstance(grid, Mapping) or not grid:
        raise ValueError(f"grid: {grid!r} is not allowed; expected a mapping of field names to lists of values")
    axes: dict[str, list[Any]] = {}
    most = limits.current()["max_runs"]
    for name, values in grid.items():
        if not isinstance(name, str) or not name:
            raise ValueError(f"grid: {name!r} is not a field name; expected a dotted name such as first_line.agents")
        if isinstance(values, (str, bytes, Mapping)) or not isinstance(values, Iterable):
            raise ValueError(f"{name}: {values!r} is not allowed; expected a list of values to try")
        if isinstance(values, np.ndarray) and values.ndim != 1:
            raise ValueError(f"{name}: an array of shape {values.shape} is not allowed; expected a list of values")
        values = list(itertools.islice(values, int(min(most, 1e9)) + 1))  # however long an iterable
        if not values:
            raise ValueError(f"{name}: no values; expected a list of at least one value to try")
        axes[name] = values
    runs = validation.runs("runs", runs)
    size = math.prod(len(v) for v in axes.values())
    limits.enforce_experiment([], runs, points=size, drivers=" x ".join(f"{len(v)} {n}" for n, v in axes.items()))
    streams = seeds(seed, runs)
    points = list(itertools.product(*axes.values()))
    scenarios = [scenario.replace(**dict(zip(axes, point))) for point in points]  # validates the grid
    limits.enforce_experiment(scenarios, runs)
    names = check_measures(measures, scenarios[:1] + scenarios[-1:])
    results = execute([(sc, streams) for sc in scenarios], executor, progress=progress, label="sweep")
    names = names or union(row for rows in results for row in rows)

    dtype = [(name, _column_dtype(values)) for name, values in axes.items()]
    dtype.append(("runs", "i8"))
    dtype += [(f"{m}_{part}", "f8") for m in names for part in ("mean", "low", "high")]
    table = np.empty(len(points), dtype=dtype)
    for r, (point, rows) in enumerate(zip(points, results)):
        for name, value in zip(axes, point):
            table[name][r] = value
        table["runs"][r] = runs
        values = stack(rows, names)
        for j, m in enumerate(names):
            e = estimate(m, values[:, j])
            table[f"{m}_mean"][r], table[f"{m}_low"][r], table[f"{m}_high"][r] = e.mean, e.low, e.high
    return table


def _column_dtype(values: list[Any]) -> Any:
    if all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in values):
        return "i8"
    if all(isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool) for v in values):
        return "f8"
    if all(isinstance(v, str) for v in values):
        return f"U{max(len(v) for v in values)}"
    return object


def to_csv(table: np.ndarray, path: str | os.PathLike[str]) -> str:
    """Write a sweep's table (or any structured array) to a CSV file, one row per point.

    A table that is not a structured array, or a path that cannot be written (no such
    folder, a folder, no permission, a name too long), is a ValueError naming it; a full
    disk stays an ``OSError``: the fault is the machine's, not the argument's.
    """
    if not isinstance(table, np.ndarray) or table.dtype.names is None:
        raise ValueError(
            f"table: {type(table).__name__} is not allowed; expected a table from sweep() (a numpy structured array)"
        )
    try:
        path = os.fspath(path)
    except TypeError:
        raise ValueError(f"path: {type(path).__name__} is not allowed; expected a file name") from None
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    if not path or "\0" in path:
        raise ValueError(f"path: {path!r} is not allowed; expected a file name")
    try:
        f = open(path, "w", newline="", encoding="utf-8")
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EIO, errno.EDQUOT):
            raise
        raise ValueError(f"path: cannot write {shown(path)}: {exc.strerror or exc}") from None
    with f:
        writer = csv.writer(f)
        writer.writerow(table.dtype.names)
        for row in table.tolist():
            writer.writerow(["" if isinstance(v, float) and math.isnan(v) else v for v in row])
    return path
