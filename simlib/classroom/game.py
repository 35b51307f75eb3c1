"""Making a game: its scenario, rounds, seed, weeks per round, budget, levers, codes and team cap.

:func:`create_game` checks the settings (ValueError naming the field) and makes the game's file
with round 1 prepared; :meth:`~.storage.Store.open` opens a game made before, from any process.
Everything else takes the store that either gives: :mod:`.rounds`, :mod:`.teams`,
:mod:`.closing`, :mod:`.debrief` and :mod:`.advice`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

from simlib import levers as lever_table
from simlib import validation
from simlib.classroom.events import get_event
from simlib.classroom.pool import RUNS
from simlib.classroom.prices import BUDGET_FACTOR, PRICES
from simlib.classroom.rounds import check_budget, default_cost
from simlib.classroom.storage import Settings, Store, new_code, new_game_code
from simlib.classroom.teams import MAX_TEAMS, set_max_teams
from simlib.scenario import Scenario, load_scenario

__all__ = ["create_game"]


def create_game(
    path: str | Path,
    scenario: str | Scenario = "service-desk",
    rounds: int = 4,
    seed: int = 1,
    *,
    runs: int = RUNS,
    budget: float | None = None,
    levers: Sequence[str] | None = None,
    event: str = "none",
    code: str | None = None,
    instructor_code: str | None = None,
    max_teams: int = MAX_TEAMS,
) -> Store:
    """A new game in a new file (an existing file is refused); round 1 is prepared with ``event``.

    ``rounds`` (1 to 20) and ``seed`` make the game; ``runs``: weeks per round (2 to 200);
    ``budget``: a round's budget (default: what the scenario's own settings cost, plus 10%,
    rounded up to a thousand); ``levers``: the levers teams may set (default: every priced
    lever the scenario has); ``max_teams``: how many teams may join (default 40).
    """
    sc = load_scenario(scenario) if isinstance(scenario, (str, Path)) else scenario
    if not isinstance(sc, Scenario):
        raise ValueError(f"scenario: {type(scenario).__name__} is not allowed; expected a scenario name or Scenario")
    rounds = validation.whole("rounds", rounds, low=1, high=20)
    seed = validation.whole("seed", validation.seed("seed", seed), low=0, high=2**63 - 1)
    runs = validation.whole("runs", runs, low=2, high=200)
    max_teams = validation.whole("max_teams", max_teams, low=1, high=1000)
    if levers is not None:
        levers = tuple(levers)
        for name in levers:
            lever_table.lever(name)
            if name not in PRICES:
                raise ValueError(f"levers: {name!r} has no price in the game; expected some of {', '.join(PRICES)}")
    least = default_cost(sc, levers)
    if budget is None:
        budget = math.ceil(least * BUDGET_FACTOR / 1000.0) * 1000.0
    budget = check_budget(budget, least)
    ev = get_event(event)
    if not ev.available(sc):
        raise ValueError(f"event: {event!r} needs the scenario field {ev.needs!r}, which {sc.name} lacks")
    settings = Settings(code or new_game_code(), instructor_code or new_code(10), sc, seed, rounds, runs,
                        float(budget), levers)  # fmt: skip
    store = Store.create(path, settings, (event, max(float(budget), default_cost(ev.apply(sc), levers))))
    if max_teams != MAX_TEAMS:
        set_max_teams(store, max_teams)
    return store
