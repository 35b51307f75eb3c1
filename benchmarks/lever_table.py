"""``python -m benchmarks.lever_table``: each lever's paired change in utility and warranty, as a table.

Every lever of ``simlib.levers`` moved once away from the default scenario (``service-desk``),
20 paired runs (``simlib.compare``, seed 1): the mean change in utility, warranty and value
with 95% confidence intervals. The checked version is ``tests/test_levers.py``, which uses the
same moves.
"""

from __future__ import annotations

import simlib
from simlib.levers import LEVERS

RUNS = 20


def moves(desk: simlib.Scenario) -> dict[str, object]:
    """A clear move of each lever away from the default scenario."""
    return {
        "catalogue": desk.catalogue[:-1],  # stop supporting software installs
        "know_how": 0.6,
        "first_line.knowledge": 0.4,
        "first_line.agents": 3,
        "first_line.hours": [8.0, 18.0],
        "first_line.skill": 0.6,
        "first_line.mtbf": 20.0,
        "first_line.mtrs": 8.0,
        "continuity.recovery": 24.0,
        "security.verification": 1.0,
    }


def _ci(e: simlib.Estimate) -> str:
    return f"{e.mean:+.4f} [{e.low:+.4f}, {e.high:+.4f}]"


def main() -> None:
    desk = simlib.load_scenario("service-desk")
    changes = moves(desk)
    print(f"service-desk, {RUNS} paired runs (seed 1): mean change with 95% CI")
    print("| lever | concept | half | moved to | utility | warranty | value |")
    print("|---|---|---|---|---|---|---|")
    for lv in LEVERS:
        to = changes[lv.name]
        c = simlib.compare(
            desk, desk.replace(**{lv.name: to}), runs=RUNS, seed=1, measures=["utility", "warranty", "value"]
        )
        shown = "without software-install" if lv.name == "catalogue" else to
        print(
            f"| {lv.name} | {lv.concept} | {lv.half} | {shown} | {_ci(c.difference('utility'))} "
            f"| {_ci(c.difference('warranty'))} | {_ci(c.difference('value'))} |"
        )


if __name__ == "__main__":
    main()
