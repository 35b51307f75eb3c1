"""Warm-up: how long to run a scenario before measuring it.

A simulation starts empty: no queue, every agent idle. A real service desk that has been
open for months is not like that, so the first hours of a run wait less than the rest. For a
scenario about the *steady state* (such as ``pure-queue``), the requests arriving in those
first hours, the *warm-up*, are simulated but not measured.

Two ways to choose the warm-up, both on a series of the mean wait of the requests arriving
in each window of time (say each hour), from runs that start measuring at once:

- **Welch's plot**: average the series over several runs, smooth it with a moving average,
  and look where the curve stops climbing and levels off (:func:`welch`;
  :func:`simlib.plots.welch` draws it).
- **MSER-5**: cut the series into batches of 5 windows and choose the truncation point that
  makes the rest of the series the most precise estimate: the one that minimises its
  variance divided by the square of its length (White 1997; :func:`mser`,
  :func:`suggest_warmup`).

A service desk open one week from an empty Monday morning is a *terminating* scenario: its
start is part of the story, and it needs no warm-up.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np

from simlib import validation
from simlib.model import simulate
from simlib.result import Result
from simlib.runner import seeds
from simlib.scenario import Scenario

__all__ = ["Welch", "mser", "moving_average", "series", "suggest_warmup", "welch"]


def series(result: Result, width: float = 1.0, column: str = "wait") -> tuple[np.ndarray, np.ndarray]:
    """The mean of a per-request ``column`` (``wait``, ``time_in_system``) by arrival window.

    Returns ``(start, mean)``: the start time of each window of ``width`` hours from the
    warm-up to the horizon, and the mean over the requests arriving in it (NaN if none has a
    value: nobody arrived, or nobody was served yet).
    """
    if result.requests is None:
        raise ValueError("result: has no requests table; expected a run with keep_requests=True")
    if not width > 0:
        raise ValueError(f"width: {width!r} is out of range; expected a number of hours > 0")
    sc = result.scenario
    table = result.requests
    if column not in table.dtype.names or table.dtype[column].kind != "f":
        names = [n for n in table.dtype.names if table.dtype[n].kind == "f"]
        raise ValueError(f"column: {column!r} is unknown; expected one of {', '.join(names)}")
    edges = np.arange(sc.warmup, sc.horizon, width)
    k = edges.size
    values = table[column]
    ok = ~np.isnan(values)
    idx = np.minimum(((table["arrival"][ok] - sc.warmup) // width).astype(int), k - 1)
    total = np.bincount(idx, weights=values[ok], minlength=k)
    count = np.bincount(idx, minlength=k)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / count
    return edges, mean


def moving_average(y: np.ndarray, window: int) -> np.ndarray:
    """Welch's moving average: point ``i`` is the mean of the ``2w + 1`` points around it
    (fewer near the start, ``2i + 1``), over the first ``len(y) - w`` points."""
    y = np.asarray(y, dtype=float)
    window = validation.count("window", window)
    m = y.size - window
    if m <= 0:
        raise ValueError(f"window: {window} is too long for a series of {y.size} points")
    cum = np.concatenate([[0.0], np.cumsum(y)])
    i = np.arange(m)
    half = np.minimum(i, window)
    return (cum[i + half + 1] - cum[i - half]) / (2 * half + 1)


def mser(y: np.ndarray, batch: int = 5) -> int:
    """MSER truncation point of a series: how many of its first points to drop.

    The series is cut into batches of ``batch`` points (MSER-5 with the default); the
    truncation ``d`` batches minimises ``sum((z[d:] - mean(z[d:]))**2) / (n - d)**2``,
    searched over the first half only (a minimum in the second half means the series is
    too short to tell). Returns ``d * batch``, in points of ``y``.
    """
    y = np.asarray(y, dtype=float)
    if np.isnan(y).any():
        raise ValueError("y: has NaN values; expected a series with a value in every window (use wider windows)")
    nb = y.size // batch
    if nb < 4:
        raise ValueError(f"y: {y.size} points is too short; expected at least {4 * batch}")
    z = y[: nb * batch].reshape(nb, batch).mean(axis=1)
    # Tail sums give the variance of z[d:] for every d at once.
    s1 = np.cumsum(z[::-1])[::-1]
    s2 = np.cumsum((z * z)[::-1])[::-1]
    n = nb - np.arange(nb)
    sse = s2 - s1 * s1 / n
    stat = sse / (n * n)
    d = int(np.argmin(stat[: nb // 2 + 1]))
    return d * batch


@dataclass(frozen=True)
class Welch:
    """Data for Welch's plot: a series per run, their mean, and its moving average."""

    time: np.ndarray  # start of each window (hours)
    runs: np.ndarray = field(repr=False)  # one row per run
    mean: np.ndarray = field(repr=False)  # average over the runs
    smooth: np.ndarray = field(repr=False)  # moving average of ``mean`` (shorter by ``window``)
    window: int = 0
    width: float = 1.0
    column: str = "wait"


def welch(
    scenario: Scenario,
    runs: int = 5,
    seed: int | np.random.SeedSequence = 0,
    *,
    width: float = 1.0,
    window: int = 10,
    column: str = "wait",
) -> Welch:
    """Run ``scenario`` measured from time 0 (no warm-up) and collect Welch's plot data."""
    scenario = validation.scenario("scenario", scenario)
    runs = validation.runs("runs", runs)
    cold = scenario.replace(warmup=0.0)
    rows = []
    for s in seeds(seed, runs):
        t, y = series(simulate(cold, s), width, column)
        rows.append(y)
    values = np.array(rows)
    with warnings.catch_warnings():  # a window empty in every run stays NaN
        warnings.simplefilter("ignore", RuntimeWarning)
        mean = np.nanmean(values, axis=0)
    return Welch(t, values, mean, moving_average(mean, window), window, width, column)


def suggest_warmup(
    scenario: Scenario,
    runs: int = 5,
    seed: int | np.random.SeedSequence = 0,
    *,
    width: float = 1.0,
    batch: int = 5,
) -> float:
    """A warm-up (hours) for ``scenario`` by MSER-5 on the mean wait per window, averaged over runs."""
    data = welch(scenario, runs, seed, width=width, window=0)
    return float(mser(data.mean, batch) * width)
