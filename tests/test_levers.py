"""The levers of the kit (simlib.levers): each is a scenario field, and each moves its own half of value.

The paired test is the kit's central lesson as a check: over 20 paired runs of the default
scenario (``simlib.compare``, common random numbers), a utility lever moves utility, and a
warranty lever moves warranty while utility stays exactly where it was.
"""

from __future__ import annotations

import numpy as np
import pytest

import simlib
from benchmarks.lever_table import moves
from simlib.levers import LEVERS, names

DESK = simlib.load_scenario("service-desk")

MOVES = moves(DESK)  # a clear move of each lever away from the default (shared with the lever table)


def test_every_lever_has_a_move_here():
    assert set(MOVES) == set(names()), "a lever was added or renamed: give it a move in MOVES"


@pytest.mark.parametrize("lever", LEVERS, ids=lambda lv: lv.name)
def test_every_lever_is_a_field_replace_accepts(lever):
    sc = DESK.replace(**{lever.name: MOVES[lever.name]})
    assert sc != DESK
    if lever.kind in ("share", "number", "whole") and lever.low is not None:
        DESK.replace(**{lever.name: lever.low})
        DESK.replace(**{lever.name: lever.high})


@pytest.mark.parametrize("lever", LEVERS, ids=lambda lv: lv.name)
def test_each_lever_moves_its_own_half(lever):
    moved = DESK.replace(**{lever.name: MOVES[lever.name]})
    c = simlib.compare(DESK, moved, runs=20, seed=1, measures=["utility", "warranty", "value"])
    du, dw = c.difference("utility"), c.difference("warranty")
    where = f"lever {lever.name!r} (concept: {lever.concept}, a {lever.half} lever)"
    if lever.half == "utility":
        assert du.significant, f"{where} should move utility; paired change {du}"
        assert abs(du.mean) > 3 * abs(dw.mean), f"{where} should move utility far more than warranty: {du}, {dw}"
    else:
        assert lever.half == "warranty", where
        assert dw.significant, f"{where} should move warranty; paired change {dw}"
        utility = c.differences[:, c.names.index("utility")]
        assert np.all(utility == 0.0), f"{where} must leave utility exactly as it was; paired changes {utility}"
