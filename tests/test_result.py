"""Result is a value: read-only, with an equality that means the same run; its measure names are declared."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

import simlib
from simlib.result import measure_names


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
