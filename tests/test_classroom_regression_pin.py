"""A regression pin of the classroom game: a small fixed game, its leaderboards, debrief and export.

Pinned before ``simlib/classroom.py`` was split into the ``simlib/classroom/`` package (issue
16): moving the game into rooms must give the same leaderboard, the same advice and the same
CSV for the same seed. Update a digest only when the game or the model changes on purpose, and
say so in the commit message.
"""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path
from typing import Any

import simlib
from simlib import classroom as cr

# Three teams, two rounds with events (a demand surge, then an attack wave), four weeks of three days.
TEAMS = {
    "red": [{"first_line.agents": 7}, {"first_line.agents": 7, "security.verification": 0.9}],
    "blue": [{}, {}],
    "green": [{"first_line.knowledge": 1.0}, {"know_how": 1.0}],
}
EVENTS = ("demand-surge", "attack-wave")
PIN_LEADERBOARD = "0d0330871d7cc31c474c97f81947f2691e71a1485c401e94fa89e8aa6b9de4da"
PIN_DEBRIEF = "d3d8455b59718a0353e822cf43f970219432e9b2aee987d2a965a9c20e280ecf"
PIN_LEVERS = "d7f811d44fb77eeef243e189839877adba3ea66746565bad78bde9ca32a18d36"
PIN_EXPORT = "489832cb4b43ecaa80f763f494a3694b2e4151478d5b2fe7c978049b4bcace35"


def _rounded(x: Any) -> Any:
    if isinstance(x, float):
        return None if not math.isfinite(x) else round(x, 9)
    if isinstance(x, dict):
        return {k: _rounded(v) for k, v in sorted(x.items())}
    if isinstance(x, (list, tuple)):
        return [_rounded(v) for v in x]
    return x


def digest(data: Any) -> str:
    return hashlib.sha256(json.dumps(_rounded(data), sort_keys=True).encode()).hexdigest()


def play(path: Path) -> cr.Store:
    short = simlib.load_scenario("service-desk").replace(horizon=72.0)
    game = cr.create_game(path, short, rounds=2, seed=11, runs=4)
    for team in TEAMS:
        cr.join(game, team)
    for number, event in enumerate(EVENTS):
        cr.prepare_round(game, event)
        cr.open_round(game)
        for team, choices in TEAMS.items():
            cr.submit(game, team, choices[number])
        cr.close_round(game, workers=1)
    return game


def test_regression_pin_of_a_small_game(tmp_path: Path) -> None:
    game = play(tmp_path / "pin.sqlite")
    boards = [cr.leaderboard(game, n) for n in (1, 2)]
    debrief = {
        "advice": cr.advice(game, 2, workers=1),
        "history": cr.history(game),
        "why": [cr.explain(game, team, n) for n in (1, 2) for team in TEAMS],
    }
    levers = [[lv.as_dict() for lv in cr.levers(game, n)] for n in (1, 2)]
    assert boards[1][0]["team"] == "red" and boards[1][0]["rank"] == 1
    assert digest(boards) == PIN_LEADERBOARD
    assert digest(debrief) == PIN_DEBRIEF
    assert digest(levers) == PIN_LEVERS
    assert digest(cr.export_csv(game)) == PIN_EXPORT
