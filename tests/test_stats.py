"""simlib.stats: Student's t quantile and the 95% confidence intervals of the kit."""

from __future__ import annotations

import math

import numpy as np
import pytest

from simlib.stats import Estimate, estimate, t_quantile, welch_difference


@pytest.mark.parametrize(
    ("p", "df", "expected"),
    [
        (0.975, 1, 12.7062),
        (0.975, 2, 4.3027),
        (0.975, 4, 2.7764),
        (0.975, 9, 2.2622),
        (0.975, 19, 2.0930),
        (0.975, 29, 2.0452),
        (0.975, 120, 1.9799),
        (0.975, math.inf, 1.9600),
        (0.995, 4, 4.6041),
        (0.95, 10, 1.8125),
        (0.999, 5, 5.8934),
        (0.9, 3, 1.6377),
    ],
)
def test_t_quantile_matches_the_tables(p: float, df: float, expected: float) -> None:
    assert t_quantile(p, df) == pytest.approx(expected, abs=6e-4)


def test_t_quantile_is_symmetric_and_tends_to_the_normal() -> None:
    assert t_quantile(0.025, 7) == pytest.approx(-t_quantile(0.975, 7))
    assert t_quantile(0.5, 3) == 0.0
    values = [t_quantile(0.975, df) for df in (2, 5, 10, 50, 1000)]
    assert values == sorted(values, reverse=True)
    assert values[-1] == pytest.approx(1.9623, abs=1e-3)  # t(0.975, 1000)
    assert values[-1] > t_quantile(0.975, math.inf)


def test_t_quantile_with_fractional_degrees_of_freedom_lies_between_its_neighbours() -> None:
    assert t_quantile(0.975, 4) < t_quantile(0.975, 3.5) < t_quantile(0.975, 3)


@pytest.mark.parametrize(("p", "df", "field"), [(0.0, 3, "p"), (1.0, 3, "p"), (0.975, 0, "df"), (0.975, -1, "df")])
def test_t_quantile_rejects_bad_input(p: float, df: float, field: str) -> None:
    with pytest.raises(ValueError, match=f"^{field}:"):
        t_quantile(p, df)


def test_estimate_of_known_numbers() -> None:
    e = estimate("x", np.array([1.0, 2.0, 3.0, 4.0, 5.0]))
    assert (e.mean, e.n) == (3.0, 5)
    assert e.std == pytest.approx(math.sqrt(2.5))
    assert e.half_width == pytest.approx(2.7764 * math.sqrt(2.5) / math.sqrt(5), rel=1e-4)
    assert e.low == pytest.approx(3.0 - e.half_width)
    assert e.significant
    # NaN runs (a measure a run leaves undefined) are left out and counted apart.
    e = estimate("x", np.array([1.0, math.nan, 3.0]))
    assert (e.mean, e.n) == (2.0, 2)
    assert math.isnan(estimate("x", np.array([1.0])).low)
    assert not Estimate("d", 0.0, 0.0, 0.0, 0.0, 5).significant


def test_welch_difference_of_independent_samples() -> None:
    a, b = np.array([1.0, 2.0, 3.0, 4.0]), np.array([3.0, 4.0, 5.0, 6.0])
    d = welch_difference("x", a, b)
    assert d.mean == pytest.approx(2.0)
    # Equal variances 5/3, standard error sqrt(5/6), Welch's df = 6: t(0.975, 6) = 2.4469.
    assert d.high - d.mean == pytest.approx(2.4469 * (5 / 6) ** 0.5, rel=1e-3)
    assert not d.significant, "four runs each this spread do not tell 2 from 0"
    assert welch_difference("x", a, b + 10).significant
