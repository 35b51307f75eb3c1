"""Confidence intervals: how sure is a mean over a few runs?

Five runs of a service desk give five values of, say, its value. Their mean is an estimate;
the 95% confidence interval ``mean +- t * sd / sqrt(n)`` is the range that, made this way,
contains the true mean in 95 experiments out of 100. With few runs the multiplier ``t`` is
Student's t quantile (2.776 for 5 runs), larger than the normal 1.96: a few runs know their
own spread only roughly. numpy has no t quantile, so this module has one.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

import numpy as np

__all__ = ["LEVEL", "Estimate", "estimate", "t_quantile", "welch_difference"]

LEVEL = 0.95  # every confidence interval of the kit is a 95% interval


def t_quantile(p: float, df: float) -> float:
    """The ``p`` quantile of Student's t distribution with ``df`` degrees of freedom.

    ``t_quantile(0.975, 4)`` is 2.776: the half-width of a 95% confidence interval of the
    mean of 5 runs is 2.776 standard errors. Hill's algorithm (ACM algorithm 396, 1970),
    accurate to 5 digits or better for df >= 2 (about 3 between 1 and 2); ``df = inf`` gives
    the normal quantile (1.960).
    """
    if not 0.0 < p < 1.0:
        raise ValueError(f"p: {p!r} is out of range; expected a probability strictly between 0 and 1")
    if not df > 0:
        raise ValueError(f"df: {df!r} is out of range; expected degrees of freedom > 0")
    if p == 0.5:
        return 0.0
    if p < 0.5:
        return -t_quantile(1.0 - p, df)
    if math.isinf(df):
        return statistics.NormalDist().inv_cdf(p)
    return _hill(2.0 * (1.0 - p), float(df))


def _hill(p: float, n: float) -> float:
    """t such that P(|T| > t) = p, for n degrees of freedom (Hill 1970)."""
    if n == 1.0:
        return 1.0 / math.tan(p * math.pi / 2.0)
    if n == 2.0:
        return math.sqrt(2.0 / (p * (2.0 - p)) - 2.0)
    a = 1.0 / (n - 0.5)
    b = 48.0 / (a * a)
    c = ((20700.0 * a / b - 98.0) * a - 16.0) * a + 96.36
    d = ((94.5 / (b + c) - 3.0) / b + 1.0) * math.sqrt(a * math.pi / 2.0) * n
    x = d * p
    y = x ** (2.0 / n)
    if y > 0.05 + a:  # asymptotic inverse expansion about the normal
        x = statistics.NormalDist().inv_cdf(0.5 * p)
        y = x * x
        if n < 5.0:
            c += 0.3 * (n - 4.5) * (x + 0.6)
        c = (((0.05 * d * x - 5.0) * x - 7.0) * x - 2.0) * x + b + c
        y = (((((0.4 * y + 6.3) * y + 36.0) * y + 94.5) / c - y - 3.0) / b + 1.0) * x
        y = math.expm1(a * y * y)
    else:
        y = ((1.0 / (((n + 6.0) / (n * y) - 0.089 * d - 0.822) * (n + 2.0) * 3.0) + 0.5 / (n + 4.0)) * y - 1.0) * (
            n + 1.0
        ) / (n + 2.0) + 1.0 / y
    return math.sqrt(n * y)


@dataclass(frozen=True)
class Estimate:
    """A measure over replications: mean, standard deviation and 95% confidence interval."""

    name: str
    mean: float
    std: float
    low: float
    high: float
    n: int  # runs in which the measure is defined (e.g. warranty needs fit-for-purpose requests)

    @property
    def half_width(self) -> float:
        """Half the width of the confidence interval: the mean is known to within +- this."""
        return (self.high - self.low) / 2.0

    @property
    def significant(self) -> bool:
        """Whether the interval excludes 0 (for a difference: the change has an effect)."""
        return bool(self.low > 0.0 or self.high < 0.0)

    def __str__(self) -> str:
        return f"{self.name}: {self.mean:.4g} (95% CI {self.low:.4g} to {self.high:.4g}, sd {self.std:.3g}, n={self.n})"


def estimate(name: str, values: np.ndarray) -> Estimate:
    """Mean and 95% Student-t confidence interval of the finite values in ``values``."""
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    n = int(x.size)
    if n == 0:
        return Estimate(name, math.nan, math.nan, math.nan, math.nan, 0)
    mean = float(x.mean())
    if n < 2:
        return Estimate(name, mean, math.nan, math.nan, math.nan, n)
    std = float(x.std(ddof=1))
    h = t_quantile(0.5 + LEVEL / 2.0, n - 1) * std / math.sqrt(n)
    return Estimate(name, mean, std, mean - h, mean + h, n)


def welch_difference(name: str, a: np.ndarray, b: np.ndarray) -> Estimate:
    """The unpaired estimate of mean(b) - mean(a): Welch's t interval (unequal variances)."""
    a = a[np.isfinite(a)]
    b = b[np.isfinite(b)]
    if a.size < 2 or b.size < 2:
        return Estimate(name, math.nan, math.nan, math.nan, math.nan, 0)
    va, vb = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
    diff = float(b.mean() - a.mean())
    se = math.sqrt(va + vb)
    if se == 0.0:
        return Estimate(name, diff, 0.0, diff, diff, min(a.size, b.size))
    df = (va + vb) ** 2 / (va**2 / (a.size - 1) + vb**2 / (b.size - 1))
    h = t_quantile(0.5 + LEVEL / 2.0, df) * se
    return Estimate(name, diff, se, diff - h, diff + h, min(a.size, b.size))
