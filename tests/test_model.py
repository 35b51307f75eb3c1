"""The model's bookkeeping: every request gets one outcome, and the measures add up."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

import simlib
from simlib.result import OUTCOMES


def test_every_arrival_gets_exactly_one_outcome(desk):
    res = simlib.simulate(desk, seed=3)
    req = res.requests
    assert set(np.unique(req["outcome"])) <= set(OUTCOMES)
    assert sum(res.outcomes.values()) == req.size
    for name, count in res.outcomes.items():
        assert count == np.count_nonzero(req["outcome"] == name)
    assert res.measures["requests"] == req.size, "every arrival of the window counts, open ones too"
    assert res.outcomes["open"] == res.measures["open_overdue"] + res.measures["open_not_due"]
    assert np.all(req["arrival"] >= desk.warmup) and np.all(req["arrival"] < desk.horizon)


def test_value_is_utility_times_warranty_from_counts(desk):
    res = simlib.simulate(desk, seed=4)
    o, req = res.outcomes, res.requests
    fit = req["fit_for_purpose"]
    not_due = (req["outcome"] == "open") & (req["arrival"] + req["deadline"] > desk.horizon)
    assert res.utility == np.count_nonzero(fit) / req.size, "utility: over every arrival of the window"
    assert res.warranty == o["achieved"] / np.count_nonzero(fit & ~not_due), "only open, not yet due is left out"
    assert res.value == res.utility * res.warranty


def test_outcomes_agree_with_times(desk):
    req = simlib.simulate(desk, seed=5).requests
    done = np.isin(req["outcome"], ["achieved", "late"])
    late = req["outcome"] == "late"
    assert np.all(req["time_in_system"][late] > req["deadline"][late])
    on_time = done & ~late
    assert np.all(req["time_in_system"][on_time] <= req["deadline"][on_time])
    assert np.all(np.isnan(req["start"][req["outcome"] == "abandoned"]))
    assert np.all(np.isnan(req["finish"][req["outcome"] == "open"]))
    started = ~np.isnan(req["start"])
    assert np.all(req["wait"][started] >= 0)
    finished = ~np.isnan(req["finish"]) & started
    assert np.all(req["finish"][finished] >= req["start"][finished])
    unsupported = req["outcome"] == "not_supported"
    assert not np.any(req["fit_for_purpose"][unsupported])
    assert np.all(req["escalated"][req["team"] == "second_line"])


def test_same_seed_same_numbers_different_seed_different(desk):
    a, b = simlib.simulate(desk, seed=11), simlib.simulate(desk, seed=11)
    assert a.requests.tobytes() == b.requests.tobytes()
    assert json.dumps(a.summary()) == json.dumps(b.summary())
    assert simlib.simulate(desk, seed=12).requests.tobytes() != a.requests.tobytes()


def test_same_seed_same_numbers_in_another_process(desk):
    code = (
        "import hashlib, simlib;"
        "r = simlib.simulate(simlib.load_scenario('service-desk'), seed=11);"
        "print(hashlib.sha256(r.requests.tobytes()).hexdigest())"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    import hashlib

    assert out == hashlib.sha256(simlib.simulate(desk, seed=11).requests.tobytes()).hexdigest()


def test_common_random_numbers_across_capacity(desk):
    """More agents change when requests are served, not which requests arrive or can be resolved."""
    a = simlib.simulate(desk, seed=21).requests
    b = simlib.simulate(desk.replace(**{"first_line.agents": 9}), seed=21).requests
    for field in ("arrival", "type", "customer", "fit_for_purpose", "deadline"):
        assert np.array_equal(a[field], b[field]), field


def test_more_capacity_never_lowers_utility_and_helps_warranty(desk):
    low = simlib.simulate(desk.replace(**{"first_line.agents": 3}), seed=2)
    high = simlib.simulate(desk.replace(**{"first_line.agents": 9}), seed=2)
    # Same requests (common random numbers): utility is fixed at arrival.
    assert high.utility == low.utility
    assert high.warranty > low.warranty
    assert high.measures["wait.mean"] < low.measures["wait.mean"]


def test_know_how_is_utility(desk):
    full = desk.replace(know_how=1.0)
    res = simlib.simulate(full, seed=3)
    supported = np.isin(res.requests["type"], full.catalogue)
    assert np.array_equal(res.requests["fit_for_purpose"], supported)
    assert simlib.simulate(desk.replace(know_how=0.0), seed=3).utility == 0.0
    none = simlib.simulate(desk.replace(**{"first_line.knowledge": 0.0, "second_line.agents": 0}), seed=3)
    assert none.utility == 0.0 and none.value == 0.0, "without a second line, what the first line lacks is unresolved"


def test_first_line_knowledge_is_not_utility(desk):
    low = simlib.simulate(desk.replace(**{"first_line.knowledge": 0.3}), seed=3)
    high = simlib.simulate(desk.replace(**{"first_line.knowledge": 1.0}), seed=3)
    assert low.utility == high.utility
    assert np.array_equal(low.requests["fit_for_purpose"], high.requests["fit_for_purpose"])
    assert low.measures["escalations"] > high.measures["escalations"]


def test_second_line_knowledge_is_gone(desk):
    with pytest.raises(ValueError, match=r"second_line\.knowledge: no longer a field.*know_how"):
        desk.replace(**{"second_line.knowledge": 0.9})
    with pytest.raises(ValueError, match=r"second_line\.knowledge: no longer a field.*know_how"):
        desk.replace(**{"second_line.knowledge.incident": 0.9})


def test_no_second_line_means_first_line_unresolved(desk):
    sc = desk.replace(**{"second_line.agents": 0, "first_line.knowledge": 0.5})
    res = simlib.simulate(sc, seed=8)
    assert res.measures["escalations"] == 0
    assert "utilisation.second_line" not in res.measures
    assert res.outcomes["unresolved"] > 0
    assert not np.any(res.requests["team"] == "second_line")


def test_warmup_requests_are_not_measured(desk):
    sc = desk.replace(warmup=24.0)
    res = simlib.simulate(sc, seed=1)
    assert res.requests["arrival"].min() >= 24.0
    full = simlib.simulate(desk, seed=1)
    assert res.requests.size < full.requests.size


def test_a_disruption_stops_all_work(desk):
    sc = desk.replace(**{"continuity.starts": [50.0], "continuity.recovery": 10.0, "continuity.rate": 0.0})
    res = simlib.simulate(sc, seed=1)
    assert res.disruptions.tolist() == [[50.0, 60.0]]
    req = res.requests
    assert not np.any((req["start"] > 50.0) & (req["start"] < 60.0)), "no work starts while disrupted"
    for spans in res.outages.values():
        assert any(s <= 50.0 and e >= 60.0 for s, e in spans)


def test_impatient_customers_abandon(desk):
    sc = desk.replace(**{"first_line.agents": 1, "customers.external.patience": 0.05})
    res = simlib.simulate(sc, seed=1)
    assert res.outcomes["abandoned"] > 0.3 * res.measures["requests"]
    assert res.measures["abandonment"] > 0.3


def test_skill_scales_handling(queue):
    fast = simlib.simulate(queue.replace(**{"first_line.skill": 2.0}), seed=1)  # skill is speed
    slow = simlib.simulate(queue, seed=1)
    assert fast.measures["utilisation.first_line"] == pytest.approx(
        slow.measures["utilisation.first_line"] / 2, rel=0.02
    )


def test_handling_distributions(queue):
    det = simlib.simulate(queue.replace(**{"types.request.distribution": "deterministic"}), seed=1)
    req = det.requests
    done = ~np.isnan(req["finish"])
    assert np.allclose(req["finish"][done] - req["start"][done], 0.25)
    logn = queue.replace(**{"types.request.distribution": "lognormal", "types.request.cv": 0.5})
    assert simlib.simulate(logn, seed=1).measures["utilisation.first_line"] == pytest.approx(0.8, abs=0.03)


def test_keep_requests_false_keeps_the_measures(desk):
    a = simlib.simulate(desk, seed=9)
    b = simlib.simulate(desk, seed=9, keep_requests=False)
    assert b.requests is None
    assert json.dumps(a.summary()) == json.dumps(b.summary())


@pytest.mark.parametrize("seed", [-1, 1.5, "one", True])
def test_bad_seed(desk, seed):
    with pytest.raises(ValueError, match="seed"):
        simlib.simulate(desk, seed=seed)


def test_report_leads_with_utility_warranty_value(desk):
    text = simlib.simulate(desk, seed=1).report()
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    assert [ln.split()[0] for ln in lines[1:4]] == ["utility", "warranty", "value"]


def test_shifts_no_work_starts_off_duty(desk):
    calm = desk.replace(**{"first_line.mtbf": float("inf"), "continuity.rate": 0.0, "security.attacks": 0.0})
    sc = calm.replace(**{"first_line.hours": [8, 18]})
    res = simlib.simulate(sc, seed=2)
    hour = res.requests["start"] % 24
    started = ~np.isnan(hour)
    assert np.all((hour[started] >= 8) & (hour[started] <= 18))
    always = simlib.simulate(calm, seed=2)
    assert res.warranty < always.warranty, "night requests wait for the morning"
    assert res.measures["cost"] == pytest.approx(5 * 40 * 70 + 2 * 60 * 168), "agents are paid on duty"
    assert res.measures["availability.first_line"] == 1.0, "off shift is not an outage"


def test_a_seed_sequence_can_be_used_twice(desk):
    seq = np.random.SeedSequence(5)
    first = simlib.simulate(desk, seq).requests.tobytes()
    assert simlib.simulate(desk, seq).requests.tobytes() == first


def test_a_containment_of_no_hours_starts_no_process(desk, monkeypatch):
    from simlib import model

    started = []
    real = model.Run.contain

    def contain(self):
        started.append(self.env.now)
        return real(self)

    monkeypatch.setattr(model.Run, "contain", contain)
    attacked = desk.replace(**{"security.attacks": 0.3, "security.verification": 0.3}, horizon=72.0)
    res = simlib.simulate(attacked, seed=6)
    assert res.outcomes["breach"] > 0 and started
    started.clear()
    free = simlib.simulate(attacked.replace(**{"security.containment": 0.0}), seed=6)
    assert free.outcomes["breach"] > 0 and started == []
    assert free.measures["availability.first_line"] >= res.measures["availability.first_line"]


def test_abandonment_is_decided_in_the_model_alone(desk):
    # Customers still waiting when the run ends, whose patience ran out, have left: the model
    # records it (status, and the moment they left), not the result.
    from simlib import draws as drawing
    from simlib import model

    sc = desk.replace(**{"first_line.agents": 1, "customers.external.patience": 0.5}, horizon=12.0)
    d, systems = drawing.draw(sc, 1)
    run = model.Run(sc, d, systems)
    run.execute()
    left = [i for i in run.first.queue if run.abandon_at[i] <= sc.horizon]
    still = [i for i in run.first.queue if run.abandon_at[i] > sc.horizon]
    assert left and all(run.status[i] == model.ABANDONED and run.finish[i] == run.abandon_at[i] for i in left)
    assert still and all(run.status[i] == model.OPEN and np.isnan(run.finish[i]) for i in still)
    assert "abandon_at" not in {f.name for f in __import__("dataclasses").fields(model.Record)}


def test_the_generic_line_knows_no_first_line_rule(desk):
    # A line takes requests by its own rule: the second line has none, so a request escalated
    # after its customer's patience ran out is still handled (patience is for the first line).
    from simlib import draws as drawing
    from simlib import model

    sc = desk.replace(**{"customers.external.patience": 0.01, "customers.internal.patience": 0.01}, horizon=24.0)
    d, systems = drawing.draw(sc, 2)
    run = model.Run(sc, d, systems)
    assert run.first.take == run.take_first and run.second.take is None
    run.execute()
    escalated = [i for i, e in enumerate(run.escalated) if e]
    assert all(run.status[i] != model.ABANDONED for i in escalated)
