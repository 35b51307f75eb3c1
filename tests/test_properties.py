"""Properties that hold for every valid scenario, over scenarios drawn by hypothesis."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import simlib
from simlib.result import OUTCOMES

DESK = simlib.load_scenario("service-desk")
probability = st.floats(0.0, 1.0)


@st.composite
def scenarios(draw):
    changes = {
        "horizon": draw(st.floats(5.0, 60.0)),
        "first_line.agents": draw(st.integers(1, 8)),
        "first_line.knowledge": draw(
            st.one_of(probability, st.dictionaries(st.sampled_from(DESK.catalogue), probability))
        ),
        "first_line.skill": draw(st.floats(0.2, 3.0)),
        "second_line.agents": draw(st.integers(0, 3)),
        "know_how": draw(st.one_of(probability, st.dictionaries(st.sampled_from(DESK.catalogue), probability))),
        "security.attacks": draw(probability),
        "security.verification": draw(probability),
        "security.containment": draw(st.floats(0.0, 3.0)),
        "customers.external.rate": draw(st.floats(0.0, 20.0)),
        "customers.internal.rate": draw(st.floats(0.5, 10.0)),
        "customers.external.patience": draw(st.one_of(st.just(math.inf), st.floats(0.05, 5.0))),
        "first_line.mtbf": draw(st.one_of(st.just(math.inf), st.floats(1.0, 100.0))),
        "continuity.starts": draw(st.lists(st.floats(0.0, 60.0), max_size=2)),
        "types.incident.distribution": draw(st.sampled_from(["exponential", "deterministic", "lognormal"])),
    }
    changes["warmup"] = draw(st.floats(0.0, 0.5)) * changes["horizon"]
    return DESK.replace(**changes)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sc=scenarios(), seed=st.integers(0, 2**32))
def test_conservation_and_shares(sc, seed):
    res = simlib.simulate(sc, seed=seed)
    req = res.requests
    assert sum(res.outcomes.values()) == req.size
    assert set(res.outcomes) == set(OUTCOMES)
    m = res.summary()
    if m["requests"] == 0:
        assert math.isnan(res.utility)
        return
    for key in ("utility", "warranty", "value", "utilisation.first_line", "availability.first_line"):
        assert 0.0 <= m[key] <= 1.0 + 1e-12, (key, m[key])
    for key in ("abandonment", "escalation_share", "first_time_fix"):  # 0/0 (nothing to share) is NaN
        assert math.isnan(m[key]) or 0.0 <= m[key] <= 1.0, (key, m[key])
    assert res.value == res.utility * res.warranty
    assert m["breaches"] == res.outcomes["breach"] <= m["attacks"] - m["attacks_caught"]
    assert np.all(req["arrival"][:-1] <= req["arrival"][1:])


@settings(max_examples=15, deadline=None)
@given(sc=scenarios(), seed=st.integers(0, 2**32))
def test_reproducible(sc, seed):
    assert simlib.simulate(sc, seed=seed).requests.tobytes() == simlib.simulate(sc, seed=seed).requests.tobytes()


@settings(max_examples=25, deadline=None)
@given(sc=scenarios(), seed=st.integers(0, 2**32), extra=st.integers(1, 4))
def test_capacity_keeps_the_requests(sc, seed, extra):
    more = sc.replace(**{"first_line.agents": sc.first_line.agents + extra})
    a, b = simlib.simulate(sc, seed=seed).requests, simlib.simulate(more, seed=seed).requests
    assert np.array_equal(a["arrival"], b["arrival"])
    assert np.array_equal(a["fit_for_purpose"], b["fit_for_purpose"])


@settings(max_examples=40, deadline=None)
@given(sc=scenarios())
def test_toml_round_trip(sc):
    assert simlib.Scenario.from_dict(__import__("tomllib").loads(sc.to_toml())) == sc
