"""Security, the fourth aspect of warranty: impostors, verification, breaches and containment."""

from __future__ import annotations

import numpy as np
import pytest

import simlib
from simlib.result import OUTCOMES


def test_breach_is_an_outcome_and_a_measure(desk):
    assert OUTCOMES == ("achieved", "late", "abandoned", "unresolved", "not_supported", "breach", "open")
    res = simlib.simulate(desk, seed=2)
    m = res.summary()
    assert m["breaches"] == res.outcomes["breach"] == np.count_nonzero(res.requests["outcome"] == "breach")
    assert 0 < m["breaches"] <= m["attacks"] - m["attacks_caught"]
    breach = res.requests["outcome"] == "breach"
    assert np.all(res.requests["attack"][breach])
    assert np.all(np.isin(res.requests["type"][res.requests["attack"]], desk.security.targets))
    assert np.all(res.requests["fit_for_purpose"][breach]), "a breach is fit for purpose but not for use"


def test_verification_lowers_breaches_raises_load_and_leaves_utility(desk):
    low = desk.replace(**{"security.verification": 0.2})
    high = desk.replace(**{"security.verification": 0.9})
    c = simlib.compare(low, high, runs=20, seed=3)
    breaches = c.difference("breaches")
    assert breaches.significant and breaches.high < 0, f"more verification, fewer breaches: {breaches}"
    load = c.difference("utilisation.first_line")
    assert load.significant and load.low > 0, f"the checks take the first line's time: {load}"
    assert np.all(c.differences[:, c.names.index("utility")] == 0.0), "security is warranty, not utility"
    assert np.all(c.differences[:, c.names.index("attacks")] == 0.0), "the same impostors call"


def test_breaches_fall_run_by_run_as_verification_rises(desk):
    for seed in range(5):
        counts = [
            simlib.simulate(desk.replace(**{"security.verification": v}), seed=seed).measures["breaches"]
            for v in (0.0, 0.5, 1.0)
        ]
        assert counts[0] >= counts[1] >= counts[2] == 0, counts


def test_the_check_costs_time_on_every_target_request(queue):
    base = queue.replace(
        **{"security.targets": ["request"], "security.check_time": 0.25, "types.request.distribution": "deterministic"}
    )
    res = simlib.simulate(base.replace(**{"security.verification": 0.4}), seed=1)
    req = res.requests
    done = ~np.isnan(req["finish"])
    assert np.allclose(req["finish"][done] - req["start"][done], 0.25 + 0.4 * 0.25)


def test_a_breach_takes_the_first_line_down_for_containment(queue):
    sc = queue.replace(
        **{
            "customers.all.rate": 2.0,
            "horizon": 200.0,
            "warmup": 0.0,
            "security.targets": ["request"],
            "security.attacks": 0.05,
            "security.verification": 0.0,
            "security.containment": 2.0,
        }
    )
    res = simlib.simulate(sc, seed=4)
    breaches = res.measures["breaches"]
    assert breaches > 0
    spans = res.outages["first_line"]
    assert len(spans) >= 1 and res.measures["availability.first_line"] < 1.0
    down = float((spans[:, 1] - spans[:, 0]).sum())
    assert down <= breaches * 2.0 + 1e-9
    calm = simlib.simulate(sc.replace(**{"security.containment": 0.0}), seed=4)
    assert calm.measures["availability.first_line"] == 1.0


def test_no_attacks_no_breaches(desk):
    res = simlib.simulate(desk.replace(**{"security.attacks": 0.0}), seed=1)
    assert res.measures["attacks"] == res.measures["breaches"] == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"security.verification": 1.5}, "security.verification"),
        ({"security.attacks": -0.1}, "security.attacks"),
        ({"security.targets": ["teleportation"]}, "security.targets"),
        ({"security.targets": "password-reset"}, "security.targets"),
        ({"security.check_time": -1}, "security.check_time"),
        ({"security.containment": float("nan")}, "security.containment"),
        ({"security.firewall": 1}, "security.firewall"),
    ],
)
def test_bad_security_fields_are_named(desk, change, field):
    with pytest.raises(ValueError, match=field.replace(".", r"\.")):
        desk.replace(**change)
