"""The classroom game: teams run rival service desks in rounds, on the same weeks.

Each team buys a service desk for the round: agents, training, investment in availability, a
continuity plan, verification of callers. The instructor prepares each round with an *event*
(a demand surge, a new request type, an attack wave, a major disruption, systems that fail more
often), opens it, and closes it. When a round closes, every team's desk runs on the *same*
weeks (common random numbers, ``runs`` weeks per round), so the only difference between two
teams is their decisions; the leaderboard shows 95% confidence intervals and says when two
teams cannot be told apart (a paired comparison on those weeks).

The API: a game is a :class:`Store` (its SQLite file); every function takes it first::

    from simlib import classroom as cr

    store = cr.create_game("spring.sqlite", "service-desk", rounds=4, seed=7)  # round 1 prepared
    store = cr.Store.open("spring.sqlite")        # the same game, from any process
    store.settings                                # code, instructor_code, scenario, seed, rounds, runs, budget

    # rounds (the instructor): prepared -> open -> closing -> closed (cr.RoundStatus)
    cr.game_state(store)                          # GameState: .current (a Round or None), .closed, .over
    cr.prepare_round(store, "demand-surge", budget=None)   # only while the round is prepared
    cr.open_round(store)                          # teams may submit from now on
    cr.set_budget(store, 150_000)                 # -> the teams whose submission is now over budget
    cr.close_round(store, confirm=False)          # ClosedRound; NeedsConfirmation when 0 of N sent
    cr.levers(store, number=None)                 # [GameLever]: name, label, range, price, default
    cr.events(store)                              # [Event] this scenario can play

    # teams
    red = cr.join(store, "Zoë")                   # TeamEntry(name, token, first_round); a cap of 40
    cr.team(store, red.token)                     # a page that rejoins
    cr.teams(store)                               # [{team, joined, first_round, submitted, over_budget, ...}]
    cr.team_token(store, "Zoë"); cr.reissue_token(store, "Zoë"); cr.remove_team(store, "Zoë")
    cr.set_max_teams(store, 60)
    cr.cost(store, {"first_line.agents": 6})
    cr.submit(store, red, {"first_line.agents": 6}, number=1)  # a Submission, once committed
    cr.submission(store, red, number=None)        # Submission or None

    # after a round
    cr.leaderboard(store, number=None)            # rows: team, rank, value, utility, warranty, CIs, cost, played
    cr.played(store, number)                      # {team: Play(team, choices, cost, kind: PlayKind)}
    cr.explain(store, "Zoë", number=None)         # the why: the event, the team's levers, what broke
    cr.advice(store, number=None)                 # the one move that would have helped each team
    cr.debrief(store)                             # Debrief: teams, rounds and their boards, advice
    cr.export_csv(store, path=None)

    # the server
    cr.warm_up()                                  # from the main thread: the one process pool starts
    preparer = cr.Preparer(store.path).start()    # background: runs desks and advice while rounds run,
    preparer.stop(); cr.shutdown()                # so the debrief is ready when the last round closes

Errors: a ValueError whose message a learner can read (:class:`LateSubmission` for a closed
round, :class:`NeedsConfirmation`), and :class:`GameFileError` when the game's file is missing,
replaced or damaged. The pictures of the debrief are :func:`simlib.plots.class_history` and
:func:`simlib.plots.class_value_cost`, which take a :class:`Debrief`; a team's colour is
:func:`simlib.plots.team_colours`.

The levers are the kit's lever table (:mod:`simlib.levers`) with a price each (:data:`PRICES`).
The game lives in one SQLite file (WAL mode): many threads and processes write to it at once,
a submission is committed before it is acknowledged, and closing a round is one transaction
that can be run again after a crash. This API is trusted: the pages decide who may call what.

One concept per room, lowest first (a room imports only the rooms above it in this list):
:mod:`.prices`, :mod:`.choices`, :mod:`.events`, :mod:`.pool` (the one process pool),
:mod:`.storage` (the file), :mod:`.rounds`, :mod:`.teams`, :mod:`.plays` (what each team plays,
and the runs kept), :mod:`.debrief`, :mod:`.advice` (and the background :class:`Preparer`),
:mod:`.closing`, :mod:`.game` (:func:`create_game`), :mod:`.web` (the team page and its JSON API, no kernel
per team), :mod:`.serve` (Voila's console and the team page, one process).
"""

from __future__ import annotations

from simlib.classroom.advice import Preparer, advice, debrief, warm
from simlib.classroom.choices import GameLever, apply_choices, check_choices, choices_cost, current_value, game_levers
from simlib.classroom.closing import ClosedRound, NeedsConfirmation, close_round
from simlib.classroom.debrief import Debrief, explain, explain_measures, export_csv, history, leaderboard, measures
from simlib.classroom.events import EVENTS, NEW_TYPE, Event, get_event
from simlib.classroom.game import create_game
from simlib.classroom.plays import Play, PlayKind, played
from simlib.classroom.pool import RUNS, default_workers, shutdown, warm_up
from simlib.classroom.prices import BUDGET_FACTOR, PRICES, Price, agent_price
from simlib.classroom.rounds import (
    GameState,
    Round,
    events,
    game_state,
    get_round,
    levers,
    open_round,
    prepare_round,
    round_scenario,
    set_budget,
)
from simlib.classroom.serve import main
from simlib.classroom.storage import (
    GameFileError,
    RoundStatus,
    Settings,
    Store,
    game_path,
    instructor_code,
    instructor_code_file,
    new_game_code,
)
from simlib.classroom.teams import (
    MAX_TEAMS,
    LateSubmission,
    Submission,
    TeamEntry,
    check_name,
    cost,
    join,
    reissue_token,
    remove_team,
    set_max_teams,
    submission,
    submit,
    team,
    team_token,
    teams,
)

__all__ = [
    "BUDGET_FACTOR", "EVENTS", "MAX_TEAMS", "NEW_TYPE", "PRICES", "RUNS",
    "ClosedRound", "Debrief", "Event", "GameFileError", "GameLever", "GameState", "LateSubmission",
    "NeedsConfirmation", "Play", "PlayKind", "Preparer", "Price", "Round", "RoundStatus", "Settings", "Store",
    "Submission", "TeamEntry",
    "advice", "agent_price", "apply_choices", "check_choices", "check_name", "choices_cost", "close_round",
    "cost", "create_game", "current_value", "debrief", "default_workers", "events", "explain",
    "explain_measures", "export_csv", "game_levers", "game_path", "game_state", "get_event", "get_round",
    "history", "instructor_code", "instructor_code_file", "join", "leaderboard", "levers", "main",
    "measures", "new_game_code", "open_round", "played", "prepare_round", "reissue_token", "remove_team",
    "round_scenario", "set_budget", "set_max_teams", "shutdown", "submission", "submit", "team",
    "team_token", "teams", "warm", "warm_up",
]  # fmt: skip
