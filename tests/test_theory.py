"""simlib.theory against values worked out by hand and from textbooks."""

from __future__ import annotations

import math

import pytest

from simlib import theory


def test_erlang_b_single_server_is_load_over_one_plus_load():
    assert theory.erlang_b(3.0, 1.0, 1) == pytest.approx(3 / 4)


def test_erlang_c_single_server_is_the_load():
    # For M/M/1 the chance of waiting is rho.
    assert theory.erlang_c(0.7, 1.0, 1) == pytest.approx(0.7)


def test_erlang_c_textbook_value():
    # Offered load 2 erlang on 3 servers: C = 4/9 (standard worked example).
    assert theory.erlang_c(2.0, 1.0, 3) == pytest.approx(4 / 9)


def test_mm1_mean_wait_and_number_in_system():
    lam, mu = 3.0, 4.0
    assert theory.mmc_mean_wait(lam, mu, 1) == pytest.approx(lam / (mu * (mu - lam)))
    rho = lam / mu
    assert theory.mmc_mean_in_system(lam, mu, 1) == pytest.approx(rho / (1 - rho))


def test_wait_probability_at_zero_is_erlang_c_and_decays():
    c = theory.erlang_c(16, 4, 5)
    assert theory.mmc_wait_probability(16, 4, 5, 0.0) == pytest.approx(c)
    assert theory.mmc_wait_probability(16, 4, 5, 0.5) == pytest.approx(c * math.exp(-2.0))


def test_availability():
    assert theory.availability(99.0, 1.0) == pytest.approx(0.99)
    assert theory.availability(math.inf, 5.0) == 1.0


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: theory.erlang_c(8.0, 4.0, 2), "arrival_rate"),
        (lambda: theory.erlang_c(1.0, 0.0, 2), "service_rate"),
        (lambda: theory.erlang_b(1.0, 1.0, 0), "servers"),
        (lambda: theory.availability(0.0, 1.0), "mtbf"),
        (lambda: theory.mmc_wait_probability(1.0, 1.0, 2, -1.0), "t"),
    ],
)
def test_bad_input_names_the_field(call, field):
    with pytest.raises(ValueError, match=field):
        call()
