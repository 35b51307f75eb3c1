"""Result is a value: read-only, with an equality that means the same run; its measure names are declared."""

from __future__ import annotations

import math
import pickle

import numpy as np
import pytest

import simlib
from simlib.result import MEASURES, measure_names


def test_a_result_is_read_only(desk):
    res = simlib.simulate(desk, seed=1)
    with pytest.raises(TypeError, match="read-only"):
        res.measures["value"] = 2.0
    with pytest.raises(TypeError, match="read-only"):
        res.outcomes["achieved"] = 0
    with pytest.raises(ValueError, match="read-only"):
        res.requests["wait"][0] = 0.0
    summary = res.summary()
    summary["value"] = 2.0  # a copy, the caller's to change
    assert res.value != 2.0


def test_equal_results_are_the_same_run(desk):
    a, b = simlib.simulate(desk, seed=1), simlib.simulate(desk, seed=1)
    assert a == b and hash(a) == hash(b)
    assert a != simlib.simulate(desk, seed=2)
    assert a != simlib.simulate(desk.replace(**{"first_line.agents": 6}), seed=1)
    assert a != simlib.simulate(desk, seed=1, keep_requests=False), "one has the requests table, one not"
    assert simlib.simulate(desk, seed=1, keep_requests=False) == simlib.simulate(desk, seed=1, keep_requests=False)
    assert a != "a result"


def test_nan_measures_compare_equal(queue):
    sc = queue.replace(horizon=0.001, warmup=0.0)  # nobody arrives: the shares are NaN (0 of 0)
    a, b = simlib.simulate(sc, seed=3), simlib.simulate(sc, seed=3)
    assert any(np.isnan(v) for v in a.measures.values())
    assert a == b


def test_a_result_pickles(desk):
    res = simlib.simulate(desk, seed=4)
    assert pickle.loads(pickle.dumps(res)) == res


@pytest.mark.parametrize("change", [{}, {"second_line.agents": 0}, {"customers.internal.rate": 0.0}])
def test_measure_names_are_declared_without_a_run(desk, change):
    sc = desk.replace(**change)
    assert measure_names(sc) == tuple(simlib.simulate(sc, seed=1, keep_requests=False).measures)
    assert {"utility", "warranty", "value", "breaches", "open_overdue", "open_not_due"} <= set(measure_names(sc))


def test_runs_from_equal_seed_sequences_are_equal(desk) -> None:
    small = desk.replace(horizon=48.0)
    a = simlib.simulate(small, seed=np.random.SeedSequence(7, spawn_key=(3,)))
    b = simlib.simulate(small, seed=np.random.SeedSequence(7, spawn_key=(3,)))
    assert a == b and hash(a) == hash(b)
    assert a != simlib.simulate(small, seed=np.random.SeedSequence(7, spawn_key=(4,)))
    assert simlib.simulate(small, seed=7) == simlib.simulate(small, seed=np.random.SeedSequence(7))
    assert simlib.simulate(small, seed=np.random.SeedSequence([1, 2])) == simlib.simulate(
        small, seed=np.random.SeedSequence([1, 2])
    )


def test_an_empty_catalogue_follows_one_rule_for_nothing_to_measure(desk) -> None:
    # Requests, none fit for purpose: warranty and every group's attainment are 0.0 (nothing is
    # delivered fit for use), so value is utility x warranty = 0 at the top and in each group.
    empty = simlib.simulate(desk.replace(catalogue=[], horizon=48.0), seed=1, keep_requests=False)
    m = empty.measures
    assert m["requests"] > 0 and m["utility"] == 0.0 and m["warranty"] == 0.0 and m["value"] == 0.0
    for g in desk.customers:
        assert m[f"utility.{g.name}"] == 0.0, g.name
        assert m[f"attainment.{g.name}"] == 0.0, g.name
        assert m[f"value.{g.name}"] == 0.0, g.name


def test_a_group_with_no_requests_has_nothing_to_measure(desk) -> None:
    # No request at all: NaN, at the top as in each group.
    first = desk.customers[0].name
    quiet = desk.replace(**{f"customers.{first}.rate": 0.0}, horizon=48.0)
    m = simlib.simulate(quiet, seed=1, keep_requests=False).measures
    assert all(math.isnan(m[f"{k}.{first}"]) for k in ("utility", "attainment", "value"))


def test_the_requests_table_holds_long_names_whole(desk) -> None:
    # Every text column is as wide as its longest value: nothing is cut.
    long_type, long_group = "a-request-type-with-a-long-name", "customers-with-a-long-group-name"
    data = _renamed(desk.replace(horizon=24.0).to_dict(), "incident", long_type)
    renamed = simlib.Scenario.from_dict(_renamed(data, "external", long_group, keys_only=True))
    table = simlib.simulate(renamed, seed=1).requests
    assert long_type in set(table["type"].tolist()) and long_group in set(table["customer"].tolist())
    assert set(table["outcome"].tolist()) <= set(simlib.OUTCOMES) and "second_line" in set(table["team"].tolist())


def _renamed(data, old: str, new: str, keys_only: bool = False):
    if isinstance(data, dict):
        return {(new if k == old else k): _renamed(v, old, new, keys_only) for k, v in data.items()}
    if isinstance(data, list):
        return [_renamed(v, old, new, keys_only) for v in data]
    return new if data == old and not keys_only else data


def test_each_measure_is_declared_once_with_its_meaning() -> None:
    names = [m.name for m in MEASURES]
    assert len(names) == len(set(names))
    assert all(m.meaning and callable(m.compute) for m in MEASURES)


def test_the_readme_shows_the_declared_measures() -> None:
    from pathlib import Path

    from simlib.result import measures_table

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert measures_table() in readme
