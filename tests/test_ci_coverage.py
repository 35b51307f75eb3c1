"""Do the 95% confidence intervals of :func:`simlib.replicate` cover the truth 95% of the time?

The pure queue is an M/M/5 queue, whose mean wait Erlang C gives exactly. Over many
independent experiments (each ``replicate`` with its own seed) the 95% interval of the mean
wait must contain that value in about 95 experiments out of 100. The runs are shorter than
the built-in pure-queue (500 hours measured after a 20-hour warm-up, over four relaxation
times of this queue), which biases the mean wait by well under 1%: negligible against the
intervals' width.

With 100 experiments and a true coverage of 0.95, the number covering is binomial: 88 or
fewer has probability about 0.004, and 100 out of 100 about 0.006. An interval without the
square root of n, or from the wrong spread, covers far less; one twice too wide covers all
100. (The normal quantile in place of Student's t, 88% here, is too close to tell apart in
100 experiments: the t quantile has its own tests in test_experiments.py.)
"""

from __future__ import annotations

import numpy as np
import pytest

import simlib
from simlib import theory
from simlib.experiments import estimate, replicate

EXPERIMENTS, RUNS = 100, 5


@pytest.mark.slow
def test_confidence_intervals_of_the_mean_wait_cover_erlang_c(queue: simlib.Scenario) -> None:
    sc = queue.replace(horizon=520.0, warmup=20.0)
    truth = theory.mmc_mean_wait(16.0, 4.0, 5)
    covered = 0
    means = []
    for k in range(EXPERIMENTS):
        e = replicate(sc, runs=RUNS, seed=1000 + k, measures=["wait.mean"]).measure("wait.mean")
        assert e.n == RUNS
        covered += e.low <= truth <= e.high
        means.append(e.mean)
    coverage = covered / EXPERIMENTS
    assert 0.89 <= coverage <= 0.99, f"coverage {coverage:.2f}; expected about 0.95"
    # And the experiments together agree with Erlang C (no bias the intervals would hide).
    overall = estimate("wait.mean", np.array(means))
    assert overall.low <= truth <= overall.high or abs(overall.mean / truth - 1) < 0.01
