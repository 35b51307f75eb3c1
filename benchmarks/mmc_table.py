"""``python -m benchmarks.mmc_table``: the M/M/c mean wait, simulated against Erlang C, as a table.

For loads 0.5, 0.8 and 0.95 and 1, 2, 5 and 10 agents: 20 replications of ``pure-queue``
reshaped to that queue, their mean wait with a 95% confidence interval, and Erlang C's value.
The checked version of this comparison is ``tests/test_validation.py``.
"""

from __future__ import annotations

import numpy as np

import simlib
from simlib import theory
from simlib.stats import t_quantile

RUNS = 20
SERVICE_RATE = 4.0  # requests per hour per agent: handling 0.25 h


def main() -> None:
    queue = simlib.load_scenario("pure-queue")
    print("| c | load | Erlang C Wq (min) | simulated Wq (min) [95% CI], 20 runs | inside |")
    print("|---|---|---|---|---|")
    for load, length, warmup in ((0.5, 1000.0, 20.0), (0.8, 3000.0, 100.0), (0.95, 12000.0, 500.0)):
        for c in (1, 2, 5, 10):
            rate = load * c * SERVICE_RATE
            horizon = length * max(1.0, 5 / c) + warmup  # fewer agents: fewer requests an hour, run longer
            sc = queue.replace(
                **{"first_line.agents": c, "customers.all.rate": rate, "horizon": horizon, "warmup": warmup}
            )
            seeds = np.random.SeedSequence(2026).spawn(RUNS)
            waits = np.array([simlib.simulate(sc, s, keep_requests=False).measures["wait.mean"] for s in seeds]) * 60
            half = t_quantile(0.975, RUNS - 1) * waits.std(ddof=1) / np.sqrt(RUNS)
            expected = theory.mmc_mean_wait(rate, SERVICE_RATE, c) * 60
            inside = "yes" if abs(waits.mean() - expected) <= half else "no"
            print(
                f"| {c} | {load} | {expected:.3f} | {waits.mean():.3f} "
                f"[{waits.mean() - half:.3f}, {waits.mean() + half:.3f}] | {inside} |"
            )


if __name__ == "__main__":
    main()
