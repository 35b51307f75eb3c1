"""Argument checks (simlib.validation): numpy numbers welcome, absurd values and non-booleans refused, by name."""

from __future__ import annotations

import math

import numpy as np
import pytest

import simlib
from simlib import validation


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("first_line.agents", np.int64(6)),
        ("first_line.agents", np.arange(3, 6)[2]),
        ("first_line.agents", 6.0),
        ("first_line.skill", np.float64(1.5)),
        ("first_line.knowledge", np.float32(0.5)),
        ("know_how", np.float64(0.9)),
        ("customers.external.rate", np.int32(4)),
        ("first_line.hours", np.array([8, 18])),
        ("security.verification", np.float64(1.0)),
    ],
)
def test_numpy_numbers_are_numbers(desk, field, value):
    sc = desk.replace(**{field: value})
    got = sc.replace()  # and the scenario still round-trips
    assert got == sc
    assert simlib.simulate(sc.replace(horizon=12.0), seed=np.int64(1)).measures["requests"] >= 0


def test_a_sweep_over_a_numpy_grid(desk):
    table = simlib.sweep(
        desk.replace(horizon=24.0), {"first_line.agents": np.arange(3, 6)}, runs=2, seed=1, measures=["value"]
    )
    assert table["first_line.agents"].tolist() == [3, 4, 5]


def test_numpy_seeds_and_runs(desk):
    sc = desk.replace(horizon=12.0)
    assert simlib.simulate(sc, seed=np.uint32(3)) == simlib.simulate(sc, seed=3)
    assert simlib.replicate(sc, runs=np.int64(2), seed=np.int64(1)).runs == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"first_line.agents": 10_001}, "first_line.agents"),
        ({"second_line.agents": 1e9}, "second_line.agents"),
        ({"customers.external.rate": 1e9}, "customers.external.rate"),
        ({"horizon": 1e12}, "horizon"),
        ({"horizon": math.inf}, "horizon"),
        ({"first_line.mtrs": math.inf}, "first_line.mtrs"),
        ({"continuity.recovery": math.inf}, "continuity.recovery"),
        ({"continuity.rate": 1e9}, "continuity.rate"),
        ({"types.incident.handling": 1e9}, "types.incident.handling"),
        ({"first_line.agents": True}, "first_line.agents"),
        ({"first_line.skill": np.bool_(True)}, "first_line.skill"),
    ],
)
def test_absurd_values_are_refused_by_name(desk, change, field):
    with pytest.raises(ValueError, match=field.replace(".", r"\.")) as info:
        desk.replace(**change)
    assert "expected" in str(info.value)


def test_endless_times_where_they_mean_never(desk):
    sc = desk.replace(**{"first_line.mtbf": math.inf, "customers.external.patience": math.inf})
    assert not sc.first_line.has_outages


@pytest.mark.parametrize("flag", ["no", 0, 1, None])
def test_keep_requests_is_a_real_boolean(desk, flag):
    with pytest.raises(ValueError, match="keep_requests"):
        simlib.simulate(desk, seed=1, keep_requests=flag)


def test_numpy_booleans_are_booleans(desk):
    assert simlib.simulate(desk.replace(horizon=6.0), seed=1, keep_requests=np.bool_(False)).requests is None


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: validation.number("x", "1"), r"^x: '1' is not a number; expected a number >= 0$"),
        (lambda: validation.number("x", -1), r"^x: -1.0 is out of range; expected a number >= 0$"),
        (lambda: validation.whole("n", 2.5, low=1), r"^n: 2.5 is not a whole number; expected a whole number >= 1$"),
        (lambda: validation.seed("seed", -1), r"^seed: -1 is not allowed; expected a whole number >= 0$"),
        (lambda: validation.runs("runs", 1), r"^runs: 1 is not allowed; expected a whole number >= 2$"),
        (lambda: validation.scenario("scenario", "desk"), r"^scenario: str is not allowed; expected a Scenario"),
        (lambda: validation.flag("keep_requests", "yes"), r"^keep_requests: 'yes' is not allowed; expected True"),
    ],
)
def test_one_message_format(call, message):
    with pytest.raises(ValueError, match=message):
        call()
