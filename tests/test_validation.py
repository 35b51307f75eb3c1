"""The reductions of DESIGN.md, checked against theory through confidence intervals.

Each check runs independent replications (streams spawned from one SeedSequence), forms a
99% Student-t confidence interval of the run means, and asks that theory lies inside it.
The seeds are fixed, so the suite is repeatable; the intervals are wide enough (99%) and
the runs long enough (warm-up many relaxation times, horizons of tens of thousands of
requests) that a correct model passes for almost every seed, and a wrong one fails.
"""

from __future__ import annotations

import numpy as np
import pytest

import simlib
from simlib import theory

# Two-sided 99% Student-t quantiles, t(0.995, df).
T995 = {9: 3.2498, 11: 3.1058, 14: 2.9768, 19: 2.8609}


def replications(scenario, runs, seed, measure):
    seeds = np.random.SeedSequence(seed).spawn(runs)
    return np.array([simlib.simulate(scenario, s, keep_requests=False).measures[measure] for s in seeds])


def ci(values):
    half = T995[values.size - 1] * values.std(ddof=1) / np.sqrt(values.size)
    return values.mean() - half, values.mean() + half


def mmc(queue, servers, load, horizon, warmup):
    service_rate = 4.0  # handling 0.25 h
    rate = load * servers * service_rate
    sc = queue.replace(
        **{"first_line.agents": servers, "customers.all.rate": rate, "horizon": horizon, "warmup": warmup}
    )
    return sc, rate, service_rate


@pytest.mark.slow
@pytest.mark.parametrize(
    ("servers", "load", "horizon", "warmup"),
    [
        (1, 0.5, 2_000.0, 20.0),
        (5, 0.5, 1_000.0, 20.0),
        (2, 0.8, 4_000.0, 50.0),
        (5, 0.8, 2_050.0, 50.0),
        (10, 0.8, 1_050.0, 50.0),
        (2, 0.95, 12_000.0, 500.0),
        (8, 0.95, 4_500.0, 300.0),
    ],
)
def test_mmc_mean_wait_matches_erlang_c(queue, servers, load, horizon, warmup):
    sc, lam, mu = mmc(queue, servers, load, horizon, warmup)
    low, high = ci(replications(sc, 12, seed=100 + servers, measure="wait.mean"))
    expected = theory.mmc_mean_wait(lam, mu, servers)
    assert low <= expected <= high, f"Erlang C {expected:.4f} h outside 99% CI [{low:.4f}, {high:.4f}]"
    assert high - low < 0.25 * expected, "the interval is too wide to mean anything"


@pytest.mark.slow
def test_mean_number_in_system_and_littles_law(queue):
    sc, lam, mu = mmc(queue, 5, 0.8, 2_050.0, 50.0)
    seeds = np.random.SeedSequence(7).spawn(10)
    runs = [simlib.simulate(sc, s, keep_requests=False).measures for s in seeds]
    in_system = np.array([m["in_system.mean"] for m in runs])
    low, high = ci(in_system)
    expected = theory.mmc_mean_in_system(lam, mu, 5)
    assert low <= expected <= high
    # Little's law holds run by run: L = lambda W, up to the requests still open at the horizon.
    for m in runs:
        assert m["in_system.mean"] == pytest.approx(m["arrival_rate"] * m["time_in_system.mean"], rel=0.01)


@pytest.mark.slow
def test_observed_availability_matches_mtbf_over_mtbf_plus_mtrs(queue):
    # Ample agents and little demand: no queueing, only outages (about 1,700 cycles a run).
    changes = {"first_line.agents": 20, "customers.all.rate": 1.0, "horizon": 20_050.0}
    sc = queue.replace(**changes, **{"first_line.mtbf": 10.0, "first_line.mtrs": 2.0})
    low, high = ci(replications(sc, 10, seed=3, measure="availability.first_line"))
    assert low <= theory.availability(10.0, 2.0) <= high
    assert high - low < 0.01


@pytest.mark.parametrize("knowledge", [0.3, 0.7, 0.95])
def test_escalation_share_is_one_minus_knowledge(queue, knowledge):
    sc = queue.replace(
        **{
            "first_line.agents": 8,
            "first_line.knowledge": knowledge,
            "second_line.agents": 8,
            "know_how": 1.0,
            "horizon": 550.0,
        }
    )
    low, high = ci(replications(sc, 10, seed=5, measure="escalation_share"))
    assert low <= 1 - knowledge <= high
    res = simlib.simulate(sc, seed=1)
    assert res.utility == 1.0, "the service knows everything: every request is fit for purpose"
