"""The honest measures: utility over every arrival, overdue open requests against warranty,
value = utility x warranty exactly, and a time in system that obeys Little's law."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import simlib
from simlib.codes import Outcome
from simlib.result import OUTCOMES


def test_outcome_names_follow_the_codes():
    assert OUTCOMES == tuple(o.name.lower() for o in Outcome)


def test_utility_counts_every_arrival_even_open_ones(desk):
    res = simlib.simulate(desk.replace(**{"first_line.agents": 1, "customers.external.patience": float("inf")}), seed=1)
    req = res.requests
    assert res.outcomes["open"] > 0
    assert res.utility == np.count_nonzero(req["fit_for_purpose"]) / req.size


@settings(max_examples=25, deadline=None)
@given(agents=st.integers(1, 6), seed=st.integers(0, 2**32))
def test_overload_honesty(desk, agents, seed):
    """Warranty never exceeds achieved / (fit for purpose - open and not yet due)."""
    sc = desk.replace(**{"first_line.agents": agents, "customers.external.patience": float("inf")})
    res = simlib.simulate(sc, seed=seed)
    m, req = res.measures, res.requests
    fit = np.count_nonzero(req["fit_for_purpose"])
    not_due = (req["outcome"] == "open") & (req["arrival"] + req["deadline"] > sc.horizon)
    judged = fit - np.count_nonzero(not_due & req["fit_for_purpose"])
    assert res.warranty <= res.outcomes["achieved"] / judged + 1e-15
    assert m["open"] == m["open_overdue"] + m["open_not_due"] == res.outcomes["open"]
    assert res.value == res.utility * res.warranty


def test_an_overloaded_desk_does_not_flatter_warranty(desk):
    sc = desk.replace(
        **{
            "first_line.agents": 2,
            "customers.external.patience": float("inf"),
            "customers.internal.patience": float("inf"),
        }
    )
    res = simlib.simulate(sc, seed=1)
    m = res.measures
    assert m["open_overdue"] > 0
    flattering = res.outcomes["achieved"] / (
        np.count_nonzero(res.requests["fit_for_purpose"] & (res.requests["outcome"] != "open"))
    )
    assert res.warranty < flattering, "overdue open requests count against warranty"


def test_littles_law_with_abandonment(desk):
    """in_system.mean = arrival_rate x time_in_system.all, customers abandoning or not."""
    sc = desk.replace(
        **{"first_line.agents": 3, "customers.external.patience": 0.3, "horizon": 24 * 28, "warmup": 24.0}
    )
    for seed in range(3):
        m = simlib.simulate(sc, seed=seed).measures
        assert m["abandoned"] > 0.05 * m["requests"]
        assert m["in_system.mean"] == pytest.approx(m["arrival_rate"] * m["time_in_system.all"], rel=0.02)
        # The mean over the requests handled to the end leaves out the quick leavers: it is longer.
        assert m["time_in_system.mean"] > m["time_in_system.all"]


def test_conservation_one_outcome_per_arrival_breach_included(desk):
    sc = desk.replace(**{"security.attacks": 0.3, "security.verification": 0.3})
    res = simlib.simulate(sc, seed=6)
    req = res.requests
    assert res.outcomes["breach"] > 0
    assert sum(res.outcomes.values()) == req.size == res.measures["requests"]
    for name in OUTCOMES:
        assert res.outcomes[name] == np.count_nonzero(req["outcome"] == name)
