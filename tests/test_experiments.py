"""Replications, paired comparisons and runs needed (confidence intervals: test_stats; warm-up: test_warmup)."""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

import simlib
from simlib.experiments import (
    compare,
    replicate,
    runs_needed,
    seeds,
)


@pytest.fixture(scope="module")
def short_queue(queue: simlib.Scenario) -> simlib.Scenario:
    return queue.replace(horizon=220.0, warmup=20.0)


# ----------------------------------------------------------------------------- replicate


def test_replicate_gives_every_measure_with_a_confidence_interval(desk: simlib.Scenario) -> None:
    exp = replicate(desk, runs=6, seed=3)
    assert exp.runs == 6
    assert exp.values.shape == (6, len(exp.names))
    assert set(simlib.simulate(desk, seed=0).measures) == set(exp.names)
    v = exp.measure("value")
    assert v.low < v.mean < v.high
    assert v.mean == pytest.approx(exp.column("value").mean())
    assert exp.mean["value"] == v.mean and exp.ci["value"] == (v.low, v.high)
    assert exp.half_width["value"] == pytest.approx(v.half_width)
    assert exp.std["value"] == pytest.approx(exp.column("value").std(ddof=1))
    assert exp["utility"] == exp.measure("utility")
    text = exp.table(["utility", "warranty", "value"])
    assert "value" in text and "95% CI" in text and "6 runs" in text


def test_run_i_uses_the_ith_spawned_stream(desk: simlib.Scenario) -> None:
    exp = replicate(desk, runs=4, seed=11, measures=["value", "wait.mean"])
    streams = np.random.SeedSequence(11).spawn(4)
    for i in (0, 3):
        res = simlib.simulate(desk, streams[i])
        assert exp.values[i].tolist() == [res.measures["value"], res.measures["wait.mean"]]
    assert [s.spawn_key for s in seeds(11, 4, start=2)] == [(2,), (3,)]


def test_replicate_is_reproducible_and_nested(desk: simlib.Scenario) -> None:
    a = replicate(desk, runs=5, seed=7)
    b = replicate(desk, runs=5, seed=7)
    more = replicate(desk, runs=8, seed=7)
    other = replicate(desk, runs=5, seed=8)
    assert np.array_equal(a.values, b.values, equal_nan=True)
    assert np.array_equal(a.values, more.values[:5], equal_nan=True)
    assert not np.array_equal(a.values, other.values, equal_nan=True)


def test_replicate_gives_the_same_numbers_on_an_executor(desk: simlib.Scenario) -> None:
    here = replicate(desk, runs=4, seed=2)
    with ThreadPoolExecutor(2) as pool:
        there = replicate(desk, runs=4, seed=2, executor=pool)
    assert here.names == there.names
    assert np.array_equal(here.values, there.values, equal_nan=True)


def test_a_seed_sequence_is_left_as_it_was(desk: simlib.Scenario) -> None:
    root = np.random.SeedSequence(5)
    a = replicate(desk, runs=3, seed=root, measures=["value"])
    b = replicate(desk, runs=3, seed=root, measures=["value"])
    assert root.n_children_spawned == 0
    assert np.array_equal(a.values, b.values)
    assert np.array_equal(a.values, replicate(desk, runs=3, seed=5, measures=["value"]).values)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"runs": 1}, "runs"),
        ({"runs": 0}, "runs"),
        ({"runs": 2.5}, "runs"),
        ({"runs": True}, "runs"),
        ({"seed": -1}, "seed"),
        ({"seed": "one"}, "seed"),
        ({"measures": ["valeu"]}, "measures"),
        ({"measures": []}, "measures"),
        ({"executor": "pool"}, "executor"),
    ],
)
def test_replicate_rejects_bad_input_naming_the_field(desk: simlib.Scenario, kwargs: dict, field: str) -> None:
    args = {"runs": 3, "seed": 1, **kwargs}
    with pytest.raises(ValueError, match=f"^{field}:"):
        replicate(desk, **args)


def test_replicate_rejects_what_is_not_a_scenario() -> None:
    with pytest.raises(ValueError, match="^scenario:"):
        replicate({"name": "x"}, runs=3, seed=1)


def test_asking_for_an_unknown_measure_names_it(desk: simlib.Scenario) -> None:
    exp = replicate(desk, runs=2, seed=1, measures=["value"])
    with pytest.raises(ValueError, match="measure: 'utility' is unknown"):
        exp.measure("utility")


# ----------------------------------------------------------------------------- compare


def test_a_scenario_compared_with_itself_differs_by_exactly_zero(desk: simlib.Scenario) -> None:
    c = compare(desk, desk, runs=5, seed=4)
    assert np.all(np.nan_to_num(c.differences) == 0.0)
    d = c.difference("value")
    assert (d.mean, d.low, d.high) == (0.0, 0.0, 0.0)
    assert not c.significant("value")
    assert "significant" in c.table(["value"])


def test_common_random_numbers_give_a_narrower_interval_than_independent_runs(short_queue: simlib.Scenario) -> None:
    more = short_queue.replace(**{"first_line.agents": 6})
    c = compare(short_queue, more, runs=10, seed=1)
    for m in ("wait.mean", "in_system.mean", "time_in_system.mean", "utilisation.first_line"):
        paired, unpaired = c.difference(m), c.unpaired(m)
        assert paired.mean == pytest.approx(unpaired.mean)
        assert paired.half_width < 0.9 * unpaired.half_width, m
    # Busy weeks are busy in both: the agents' utilisation is known far better paired.
    assert c.difference("utilisation.first_line").half_width < c.unpaired("utilisation.first_line").half_width / 3
    # Same requests in both: arrivals and counts are identical run by run.
    assert np.all(c.differences[:, c.names.index("arrival_rate")] == 0.0)
    # One more agent waits less: the paired interval shows it.
    assert c.significant("wait.mean") and c.difference("wait.mean").high < 0
    assert c.table().startswith("pure-queue minus pure-queue")


def test_compare_pairs_runs_on_the_same_streams(desk: simlib.Scenario) -> None:
    b = desk.replace(know_how=0.6)
    c = compare(desk, b, runs=3, seed=9, measures=["utility", "value"])
    assert np.array_equal(c.a.values, replicate(desk, runs=3, seed=9, measures=["utility", "value"]).values)
    assert np.array_equal(c.b.values, replicate(b, runs=3, seed=9, measures=["utility", "value"]).values)
    assert c.difference("utility").high < 0  # less know-how: less utility, surely


def test_compare_keeps_the_measures_both_scenarios_have(desk: simlib.Scenario) -> None:
    c = compare(desk, desk.replace(**{"second_line.agents": 0}), runs=2, seed=1)
    assert "value" in c.names and "utilisation.second_line" not in c.names


def test_compare_rejects_bad_input(desk: simlib.Scenario) -> None:
    with pytest.raises(ValueError, match="^b:"):
        compare(desk, "service-desk", runs=3, seed=1)
    with pytest.raises(ValueError, match="^runs:"):
        compare(desk, desk, runs=1, seed=1)


# ----------------------------------------------------------------------------- runs needed


def test_runs_needed_stops_once_precise_enough(desk: simlib.Scenario) -> None:
    got = runs_needed(desk, ("utility", "value"), precision=0.05, seed=1, initial=3, max_runs=100)
    assert got.reached
    assert all(r <= 0.05 for r in got.relative_half_width.values())
    assert got.runs < 100
    # One run fewer would not have been enough, and the runs are replicate's runs.
    fewer = replicate(desk, got.runs - 1, seed=1)
    if got.runs > 3:
        assert any(fewer.measure(m).half_width > 0.05 * abs(fewer.measure(m).mean) for m in ("utility", "value"))
    assert np.array_equal(got.replications.values, replicate(desk, got.runs, seed=1).values, equal_nan=True)
    exp, reached = got
    assert reached and exp is got.replications
    assert "within" in str(got)


def test_runs_needed_says_when_the_cap_is_reached_first(desk: simlib.Scenario) -> None:
    got = runs_needed(desk, ("value",), precision=0.001, seed=1, initial=3, max_runs=6)
    assert not got.reached
    assert got.runs == 6
    assert "NOT reached after 6 runs" in str(got)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"precision": 0}, "precision"),
        ({"precision": 1.5}, "precision"),
        ({"initial": 1}, "initial"),
        ({"max_runs": 2, "initial": 5}, "max_runs"),
        ({"measures": ("values",)}, "measures"),
    ],
)
def test_runs_needed_rejects_bad_input(desk: simlib.Scenario, kwargs: dict, field: str) -> None:
    with pytest.raises(ValueError, match=f"^{field}:"):
        runs_needed(desk, **kwargs)


# ----------------------------------------------------------------------------- long runs


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_dropping_the_requests_table_keeps_every_measure(desk: simlib.Scenario, seed: int) -> None:
    full = simlib.simulate(desk, seed=seed)
    lean = simlib.simulate(desk, seed=seed, keep_requests=False)
    assert lean.requests is None and full.requests is not None
    assert lean.outcomes == full.outcomes
    assert list(lean.measures) == list(full.measures)
    for k, v in full.measures.items():
        assert lean.measures[k] == v or (math.isnan(v) and math.isnan(lean.measures[k])), k


def test_dropping_the_requests_table_in_a_queue_keeps_every_measure(short_queue: simlib.Scenario) -> None:
    full = simlib.simulate(short_queue, seed=3)
    lean = simlib.simulate(short_queue, seed=3, keep_requests=False)
    assert lean.measures == full.measures
