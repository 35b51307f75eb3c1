"""simlib.warmup: Welch's moving average, MSER-5 and the suggested warm-up."""

from __future__ import annotations

import math

import numpy as np
import pytest

import simlib
from simlib import warmup


def test_mser_finds_the_end_of_a_clear_transient() -> None:
    rng = np.random.default_rng(1)
    y = np.concatenate([np.linspace(8.0, 1.0, 60), np.ones(540)]) + rng.normal(0, 0.3, 600)
    d = warmup.mser(y)
    assert 40 <= d <= 80 and d % 5 == 0
    assert warmup.mser(rng.normal(0, 1, 500)) <= 100  # no transient: little to cut


def test_mser_rejects_short_or_gappy_series() -> None:
    with pytest.raises(ValueError, match="too short"):
        warmup.mser(np.ones(10))
    with pytest.raises(ValueError, match="NaN"):
        warmup.mser(np.array([1.0, math.nan] * 20))


def test_welch_moving_average() -> None:
    y = np.arange(10.0)
    assert warmup.moving_average(y, 0).tolist() == y.tolist()
    # Point i averages 2*min(i, w)+1 points around it; a straight line is its own average.
    assert warmup.moving_average(y, 2).tolist() == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]
    z = np.array([0.0, 3.0, 0.0, 3.0, 0.0, 3.0])
    assert warmup.moving_average(z, 1).tolist() == [0.0, 1.0, 2.0, 1.0, 2.0]
    with pytest.raises(ValueError, match="window"):
        warmup.moving_average(y, 10)


def test_welch_data_and_suggested_warmup_of_the_pure_queue(queue: simlib.Scenario) -> None:
    sc = queue.replace(horizon=150.0)
    data = warmup.welch(sc, runs=3, seed=1, width=2.0, window=5)
    assert data.runs.shape == (3, 75) and data.time[0] == 0.0 and data.time[1] == 2.0
    assert data.smooth.size == 70
    assert np.nanmean(data.mean) == pytest.approx(simlib.theory.mmc_mean_wait(16, 4, 5), rel=0.5)
    w = warmup.suggest_warmup(sc, runs=3, seed=1, width=2.0)
    assert 0.0 <= w <= 75.0  # never more than half the series
    from simlib import plots

    ax = plots.welch(data, warmup=w)
    assert ax.get_xlabel() == "arrival time (hours)"
    import matplotlib.pyplot as plt

    plt.close(ax.figure)


def test_series_needs_the_requests_table(desk: simlib.Scenario) -> None:
    with pytest.raises(ValueError, match="keep_requests"):
        warmup.series(simlib.simulate(desk, seed=1, keep_requests=False))
    with pytest.raises(ValueError, match="column"):
        warmup.series(simlib.simulate(desk, seed=1), column="colour")
    t, y = warmup.series(simlib.simulate(desk, seed=1), width=24.0)
    assert t.tolist() == [24.0 * d for d in range(7)] and y.shape == (7,)
