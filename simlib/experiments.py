"""Experiments: many runs, confidence intervals, scenario comparisons and sweeps.

One run of the service desk is one week of possible weeks: another seed gives another week,
with other numbers. So a question such as "what is the value with 6 agents?" is answered by
*replications*: independent runs of the same scenario, their mean, and a 95% confidence
interval (Student t) that says how sure the mean is.

- :func:`replicate` runs a scenario ``runs`` times; run ``i`` uses the ``i``-th stream spawned
  from ``numpy.random.SeedSequence(seed)``, so the same seed gives the same numbers, in any
  process, with any executor, and 20 runs begin with the same 10 runs as 10 runs.
- :func:`compare` runs two scenarios on the *same* streams (common random numbers): each run
  sees the same requests in both, so the paired difference ``b - a`` shows the effect of the
  change and little of the luck of the draw.
- :func:`runs_needed` adds runs until the confidence intervals are narrow enough.
- :func:`sweep` runs a grid of scenarios (say agents x knowledge), on any
  ``concurrent.futures.Executor``: a process pool on one machine, a Dask cluster on many.

The pieces live in small modules: :mod:`simlib.stats` (the t quantile and confidence
intervals), :mod:`simlib.runner` (streams, executors, progress), :mod:`simlib.sweeps` (the
grid) and :mod:`simlib.warmup` (choosing the warm-up of a steady-state scenario).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from simlib import validation
from simlib.limits import enforce_experiment
from simlib.runner import check_measures, execute, run_many, seeds, stack, union
from simlib.scenario import Scenario
from simlib.stats import Estimate, estimate, t_quantile, welch_difference
from simlib.sweeps import sweep, to_csv

__all__ = [
    "Comparison",
    "Estimate",
    "Replications",
    "RunsNeeded",
    "compare",
    "estimate",
    "replicate",
    "runs_needed",
    "seeds",
    "sweep",
    "t_quantile",
    "to_csv",
]


@dataclass(frozen=True)
class Replications:
    """Independent runs of one scenario: every measure of every run, and their estimates.

    ``values[i, j]`` is measure ``names[j]`` in run ``i`` (NaN where a run leaves it undefined).
    """

    scenario: Scenario
    seed: int | np.random.SeedSequence
    names: tuple[str, ...]
    values: np.ndarray = field(repr=False)

    @property
    def runs(self) -> int:
        return int(self.values.shape[0])

    def column(self, name: str) -> np.ndarray:
        """The values of one measure, run by run."""
        return self.values[:, self._index(name)]

    def measure(self, name: str) -> Estimate:
        """One measure's mean, standard deviation and 95% CI: ``exp.measure("value").low``."""
        return estimate(name, self.column(name))

    def __getitem__(self, name: str) -> Estimate:
        return self.measure(name)

    @property
    def estimates(self) -> dict[str, Estimate]:
        return {name: self.measure(name) for name in self.names}

    @property
    def mean(self) -> dict[str, float]:
        return {k: e.mean for k, e in self.estimates.items()}

    @property
    def std(self) -> dict[str, float]:
        return {k: e.std for k, e in self.estimates.items()}

    @property
    def ci(self) -> dict[str, tuple[float, float]]:
        """The 95% confidence interval (low, high) of each measure's mean."""
        return {k: (e.low, e.high) for k, e in self.estimates.items()}

    @property
    def half_width(self) -> dict[str, float]:
        return {k: e.half_width for k, e in self.estimates.items()}

    def table(self, measures: Iterable[str] | None = None) -> str:
        """A readable table: each measure's mean and 95% CI over the runs."""
        names = tuple(measures) if measures is not None else self.names
        head = f"{self.scenario.name}: {self.runs} runs (seed {_seed_text(self.seed)}), means with 95% CIs"
        return head + "\n" + _table([self.measure(n) for n in names], "mean")

    def __str__(self) -> str:
        return self.table()

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:  # pragma: no cover - display only
        p.text(self.table())

    def _index(self, name: str) -> int:
        try:
            return self.names.index(name)
        except ValueError:
            raise ValueError(f"measure: {name!r} is unknown; expected one of {', '.join(self.names)}") from None


def _table(rows: Sequence[Estimate], label: str) -> str:
    width = max([len(e.name) for e in rows] + [7])
    lines = [f"  {'measure':<{width}s} {label:>12s} {'95% CI low':>12s} {'95% CI high':>12s} {'sd':>11s}"]
    for e in rows:
        lines.append(f"  {e.name:<{width}s} {e.mean:12.5g} {e.low:12.5g} {e.high:12.5g} {e.std:11.4g}")
    return "\n".join(lines)


def _seed_text(seed: int | np.random.SeedSequence) -> str:
    return str(seed) if not isinstance(seed, np.random.SeedSequence) else f"SeedSequence({seed.entropy})"


def replicate(
    scenario: Scenario,
    runs: int,
    seed: int | np.random.SeedSequence,
    *,
    measures: Sequence[str] | None = None,
    executor: Any = None,
) -> Replications:
    """Run ``scenario`` ``runs`` times on independent streams; every measure with its 95% CI.

    >>> exp = replicate(load_scenario("service-desk"), runs=20, seed=1)
    >>> exp.measure("value")          # mean, std, low, high, n
    >>> print(exp.table(["utility", "warranty", "value"]))

    ``executor``: any ``concurrent.futures.Executor`` (or a Dask ``distributed.Client``);
    the numbers are the same whichever runs them.
    """
    scenario = validation.scenario("scenario", scenario)
    runs = validation.runs("runs", runs)
    enforce_experiment([scenario], runs)
    streams = seeds(seed, runs)
    names = check_measures(measures, [scenario])
    rows = execute([(scenario, streams)], executor, progress=False, label=scenario.name)[0]
    names = names or union(rows)
    return Replications(scenario, seed, names, stack(rows, names))


@dataclass(frozen=True)
class Comparison:
    """Two scenarios run on the same streams: the paired differences ``b - a`` run by run."""

    a: Replications
    b: Replications
    names: tuple[str, ...]

    @property
    def differences(self) -> np.ndarray:
        """``differences[i, j]``: measure ``names[j]`` of run ``i`` in ``b`` minus in ``a``."""
        return np.stack([self.b.column(n) - self.a.column(n) for n in self.names], axis=1)

    def difference(self, name: str) -> Estimate:
        """The mean paired difference ``b - a`` of one measure, with its 95% CI."""
        if name not in self.names:
            raise ValueError(f"measure: {name!r} is unknown; expected one of {', '.join(self.names)}")
        return estimate(name, self.b.column(name) - self.a.column(name))

    def significant(self, name: str) -> bool:
        """Whether the change makes a difference to ``name``: its paired CI excludes 0."""
        return self.difference(name).significant

    def unpaired(self, name: str) -> Estimate:
        """The difference as if the runs were independent (Welch's t): to see what pairing gains."""
        return welch_difference(name, self.a.column(name), self.b.column(name))

    def table(self, measures: Iterable[str] | None = None) -> str:
        names = tuple(measures) if measures is not None else self.names
        rows = [self.difference(n) for n in names]
        head = (
            f"{self.b.scenario.name} minus {self.a.scenario.name}: {self.a.runs} paired runs "
            f"(seed {_seed_text(self.a.seed)}), mean differences with 95% CIs"
        )
        body = _table(rows, "difference").split("\n")
        body[0] += "  significant"
        body[1:] = [line + ("  yes" if e.significant else "  no") for line, e in zip(body[1:], rows)]
        return head + "\n" + "\n".join(body)

    def __str__(self) -> str:
        return self.table()

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:  # pragma: no cover - display only
        p.text(self.table())


def compare(
    a: Scenario,
    b: Scenario,
    runs: int,
    seed: int | np.random.SeedSequence,
    *,
    measures: Sequence[str] | None = None,
    executor: Any = None,
) -> Comparison:
    """Run ``a`` and ``b`` on the same streams (common random numbers) and pair the runs.

    Run ``i`` of both uses the same SeedSequence, so the same requests arrive with the same
    types, fates, patience and handling times: the difference between the runs is the
    effect of the change. ``compare(sc, sc.replace(**{"first_line.agents": 6}), 20, seed=1)``.
    """
    a = validation.scenario("a", a)
    b = validation.scenario("b", b)
    runs = validation.runs("runs", runs)
    enforce_experiment([a, b], runs)
    streams = seeds(seed, runs)
    names = check_measures(measures, [a, b])
    rows_a, rows_b = execute([(a, streams), (b, streams)], executor, progress=False, label="compare")
    if names is None:
        in_b = set(union(rows_b))
        names = tuple(n for n in union(rows_a) if n in in_b)
    ra = Replications(a, seed, names, stack(rows_a, names))
    rb = Replications(b, seed, names, stack(rows_b, names))
    return Comparison(ra, rb, names)


@dataclass(frozen=True)
class RunsNeeded:
    """The outcome of :func:`runs_needed`: the replications, and whether the precision was reached."""

    replications: Replications
    reached: bool
    precision: float
    measures: tuple[str, ...]

    @property
    def runs(self) -> int:
        return self.replications.runs

    @property
    def relative_half_width(self) -> dict[str, float]:
        """Each chosen measure's CI half-width as a share of its mean."""
        return {m: _relative(self.replications.measure(m)) for m in self.measures}

    def __iter__(self):  # ``exp, reached = runs_needed(...)``
        return iter((self.replications, self.reached))

    def __str__(self) -> str:
        widths = ", ".join(f"{m} +-{r:.1%}" for m, r in self.relative_half_width.items())
        if self.reached:
            return f"{self.runs} runs: every 95% CI within +-{self.precision:.0%} of its mean ({widths})"
        return f"precision +-{self.precision:.0%} NOT reached after {self.runs} runs ({widths})"


def _relative(e: Estimate) -> float:
    if not (math.isfinite(e.half_width) and math.isfinite(e.mean)):
        return math.nan
    if e.mean == 0.0:
        return 0.0 if e.half_width == 0.0 else math.inf
    return e.half_width / abs(e.mean)


def runs_needed(
    scenario: Scenario,
    measures: Sequence[str] = ("value",),
    precision: float = 0.05,
    seed: int | np.random.SeedSequence = 0,
    *,
    initial: int = 5,
    max_runs: int = 200,
) -> RunsNeeded:
    """Add runs until each measure's 95% CI half-width is within ``precision`` x its mean.

    Starts with ``initial`` runs and adds one at a time, up to ``max_runs``. The result says
    whether the precision was reached; at the cap it is not, and says so. Run ``i`` has the
    same stream as in ``replicate(scenario, n, seed)``.
    """
    scenario = validation.scenario("scenario", scenario)
    share = "a share between 0 and 1, e.g. 0.05"
    precision = validation.number("precision", precision, low_open=True, high=1.0, what=share)
    if precision == 1.0:
        raise ValueError(f"precision: {precision!r} is out of range; expected {share}")
    initial = validation.runs("initial", initial)
    max_runs = validation.runs("max_runs", max_runs, low=initial)
    enforce_experiment([scenario], max_runs)
    names = check_measures(measures, [scenario])
    rows = run_many(scenario, seeds(seed, initial))
    all_names = union(rows)
    while True:
        exp = Replications(scenario, seed, all_names, stack(rows, all_names))
        reached = all(_relative(exp.measure(m)) <= precision for m in names)
        if reached or exp.runs >= max_runs:
            return RunsNeeded(exp, reached, float(precision), names)
        rows += run_many(scenario, seeds(seed, exp.runs + 1, start=exp.runs))
