"""simlib: services that deliver outcomes under capacity and knowledge constraints.

A teaching kit for IT service management: a SimPy model of a service desk whose utility
(fit for purpose), warranty (fit for use) and value (both) change as learners vary its
capabilities.

    >>> import simlib
    >>> sc = simlib.load_scenario("service-desk")
    >>> res = simlib.simulate(sc, seed=1)
    >>> round(res.value, 12) == round(res.utility * res.warranty, 12)
    True
"""

from __future__ import annotations

# isort: off
from simlib import _startup  # noqa: F401  (first of all: Ctrl-C as the command line loads, see its docstring)

# isort: on
import importlib
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from simlib import experiments, theory, warmup
from simlib.experiments import (
    Comparison,
    Estimate,
    Replications,
    RunsNeeded,
    compare,
    replicate,
    runs_needed,
    sweep,
    to_csv,
)
from simlib.model import simulate
from simlib.result import OUTCOMES, Result
from simlib.scenario import (
    Continuity,
    CustomerGroup,
    RequestType,
    Scenario,
    Security,
    Team,
    builtin_scenarios,
    load_scenario,
)


def __getattr__(name: str) -> Any:
    """``simlib.check``, the exercise checker, is loaded when it is first used, not by ``import simlib``."""
    if name == "check":
        return importlib.import_module("simlib.check")
    raise AttributeError(f"module 'simlib' has no attribute {name!r}")


try:
    __version__ = version("simlib")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

__all__ = [
    "OUTCOMES",
    "Comparison",
    "Continuity",
    "CustomerGroup",
    "Estimate",
    "Replications",
    "RequestType",
    "Result",
    "RunsNeeded",
    "Scenario",
    "Security",
    "Team",
    "__version__",
    "builtin_scenarios",
    "check",
    "compare",
    "experiments",
    "load_scenario",
    "replicate",
    "runs_needed",
    "simulate",
    "sweep",
    "theory",
    "to_csv",
    "warmup",
]
