"""The classroom game: teams run rival service desks in rounds, on the same weeks.

Each team buys a service desk for the round: agents, training, investment in availability, a
continuity plan, verification of callers. The instructor picks an *event* for each round (a
demand surge, a new request type, an attack wave, a major disruption, systems that fail more
often). When the round closes, every team's desk runs on the *same* weeks (common random
numbers, ``runs`` weeks per round), so the only difference between two teams is their
decisions; the leaderboard shows 95% confidence intervals and says when two teams cannot be
told apart (a paired comparison on those weeks).

::

    from simlib.classroom import Game

    game = Game.create("spring.sqlite", scenario="service-desk", rounds=4, seed=7)
    red = game.join("red")                  # red.token lets its page rejoin
    game.levers()                           # name, label, range, price, concept, this round's default
    game.submit("red", {"first_line.agents": 6})
    game.close_round()                      # runs every team on the round's weeks, stores the results
    game.leaderboard()                      # team, value, utility, warranty, cost, rank, 95% CIs
    game = Game.open("spring.sqlite")       # the same game, from any process

The levers are the kit's lever table (:mod:`simlib.levers`) with a price each (:data:`PRICES`);
a lever is offered when the scenario has its field, so a lever the model gains is played as
soon as it has a price. The game lives in one SQLite file (WAL mode): many kernels write to it
at once, a submission is committed at once, and closing a round is one transaction that can be
run again after a crash. This API is trusted; :mod:`simlib.dashboards.classroom` decides who may
call what.

One concept per room, lowest first (a room imports only the rooms above it in this list):

- :mod:`.prices`: what each lever costs for a round, and the budget;
- :mod:`.choices`: the levers a team may set, checked, priced and applied to the scenario;
- :mod:`.events`: what happens in a round, and the concept it pushes;
- :mod:`.pool`: every team's desk on the round's weeks (common random numbers), on a pool;
- :mod:`.storage`: the SQLite file, its transactions, and the codes;
- :mod:`.rounds`: the game's settings and its rounds;
- :mod:`.debrief`: the leaderboard, the explanations, the advice, the export;
- :mod:`.game`: :class:`Game`: making one, joining, submitting, closing a round;
- :mod:`.serve`: ``python -m simlib.classroom serve``.

The pictures of the debrief are in :mod:`simlib.plots` (``class_history``, ``class_value_cost``).
"""

from __future__ import annotations

from simlib.classroom.choices import (
    NEW_TYPE_KNOW_HOW,
    GameLever,
    apply_choices,
    check_choices,
    choices_cost,
    current_value,
    field_of,
    game_levers,
)
from simlib.classroom.debrief import explain_measures
from simlib.classroom.events import EVENTS, NEW_TYPE, Event, get_event
from simlib.classroom.game import Game, LateSubmission
from simlib.classroom.pool import RUNS, default_workers, round_streams, run_scenarios, shutdown, warm_up
from simlib.classroom.prices import BUDGET_FACTOR, PRICES, Price, agent_price
from simlib.classroom.rounds import TeamEntry
from simlib.classroom.serve import main
from simlib.classroom.storage import SCHEMA, game_path, instructor_code, instructor_code_file, new_game_code

_field = field_of  # the name the single-module game had

__all__ = [
    "BUDGET_FACTOR",
    "EVENTS",
    "NEW_TYPE",
    "NEW_TYPE_KNOW_HOW",
    "PRICES",
    "RUNS",
    "SCHEMA",
    "Event",
    "Game",
    "GameLever",
    "LateSubmission",
    "Price",
    "TeamEntry",
    "agent_price",
    "apply_choices",
    "check_choices",
    "choices_cost",
    "current_value",
    "default_workers",
    "explain_measures",
    "field_of",
    "game_levers",
    "game_path",
    "get_event",
    "instructor_code",
    "instructor_code_file",
    "main",
    "new_game_code",
    "round_streams",
    "run_scenarios",
    "shutdown",
    "warm_up",
]
