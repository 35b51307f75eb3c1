"""Utility is fixed when a request arrives: no warranty lever can move it under the same seed.

Over random scenarios (hypothesis) and random moves of every warranty lever, including moves
that overload the desk (one agent, slow, down half the time, impatient customers), the same
seed gives exactly the same utility, request by request.
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import simlib

DESK = simlib.load_scenario("service-desk")
share = st.floats(0.0, 1.0)


@st.composite
def scenarios(draw):
    changes = {
        "horizon": draw(st.floats(5.0, 48.0)),
        "know_how": draw(st.one_of(share, st.dictionaries(st.sampled_from(DESK.catalogue), share))),
        "first_line.knowledge": draw(share),
        "second_line.agents": draw(st.integers(0, 3)),
        "customers.external.rate": draw(st.floats(0.5, 15.0)),
        "security.attacks": draw(share),
    }
    return DESK.replace(**changes)


@st.composite
def warranty_moves(draw, sc):
    """A random move of some warranty levers (never the catalogue, the know-how or demand)."""
    moves = {
        "first_line.agents": st.integers(1, 12),
        "first_line.skill": st.floats(0.2, 3.0),
        "first_line.mtbf": st.one_of(st.just(math.inf), st.floats(0.5, 200.0)),
        "first_line.mtrs": st.floats(0.1, 10.0),
        "first_line.hours": st.sampled_from([[0.0, 24.0], [8.0, 18.0], [6.0, 22.0], [9.0, 12.0]]),
        "continuity.recovery": st.floats(0.5, 24.0),
        "continuity.starts": st.lists(st.floats(0.0, 48.0), max_size=3),
        "continuity.rate": st.floats(0.0, 0.2),
        "security.verification": share,
        "security.check_time": st.floats(0.0, 0.5),
        "security.containment": st.floats(0.0, 5.0),
        "customers.external.patience": st.one_of(st.just(math.inf), st.floats(0.01, 5.0)),
        "customers.internal.patience": st.one_of(st.just(math.inf), st.floats(0.01, 5.0)),
    }
    if sc.has_second_line:  # with a second line, first-time fix only decides who resolves
        moves["first_line.knowledge"] = share
        moves["second_line.agents"] = st.integers(1, 4)
        moves["second_line.skill"] = st.floats(0.2, 3.0)
        moves["second_line.mtbf"] = st.one_of(st.just(math.inf), st.floats(0.5, 200.0))
        moves["second_line.hours"] = st.sampled_from([[0.0, 24.0], [8.0, 18.0]])
    chosen = draw(st.lists(st.sampled_from(sorted(moves)), min_size=1, max_size=5, unique=True))
    return {name: draw(moves[name]) for name in chosen}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), seed=st.integers(0, 2**32))
def test_no_warranty_lever_moves_utility(data, seed):
    sc = data.draw(scenarios())
    moved = sc.replace(**data.draw(warranty_moves(sc)))
    a, b = simlib.simulate(sc, seed=seed), simlib.simulate(moved, seed=seed)
    assert np.array_equal(a.requests["fit_for_purpose"], b.requests["fit_for_purpose"])
    assert a.measures["requests"] == b.measures["requests"]
    if a.measures["requests"]:
        assert a.utility == b.utility
    for g in sc.customers:
        u_a, u_b = a.measures[f"utility.{g.name}"], b.measures[f"utility.{g.name}"]
        assert u_a == u_b or (math.isnan(u_a) and math.isnan(u_b))
