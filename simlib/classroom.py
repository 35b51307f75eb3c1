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
run again after a crash. This API is trusted; :mod:`simlib.classroom_pages` decides who may
call what.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import os
import re
import secrets
import sqlite3
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from simlib import levers as lever_table
from simlib.i18n import N_, _, translator
from simlib.runner import run_many, seeds
from simlib.scenario import Scenario, load_scenario
from simlib.stats import Estimate, estimate

__all__ = [
    "EVENTS",
    "PRICES",
    "RUNS",
    "Event",
    "Game",
    "GameLever",
    "LateSubmission",
    "Price",
    "TeamEntry",
    "game_path",
    "main",
]

RUNS = 10  # weeks per round: every team's desk runs on the same 10 weeks
BUDGET_FACTOR = 1.10  # the default budget: the cost of the scenario's own settings x this, rounded up
SCHEMA = 1
NEW_TYPE_KNOW_HOW = 0.5  # a table of know-how that lacks a type added to the catalogue gets this
_TEAM_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _-]{0,19}$")
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud in a classroom


class LateSubmission(ValueError):
    """A submission for a round that is closed (or being closed), or after the last round."""


# ---------------------------------------------------------------------------------- prices


@dataclass(frozen=True)
class Price:
    """What a lever costs for one round.

    ``better`` is ``"higher"`` (cost = rate x (value - low)), ``"lower"`` (rate x (high -
    value)), ``"each"`` (rate x the number of request types in the catalogue) or ``"agent"``
    (the scenario's cost per agent-hour x hours on duty in the round, per agent).
    """

    lever: str
    better: str
    rate: float
    what: str  # the price in words, with {rate} for the number

    def cost(self, scenario: Scenario, value: Any) -> float:
        lv = lever_table.lever(self.lever)
        if self.better == "each":
            return self.rate * len(value)
        if self.better == "agent":
            return float(value) * agent_price(scenario)
        if self.better == "higher":
            return self.rate * (float(value) - float(lv.low))
        return self.rate * (float(lv.high) - float(value))

    def words(self, scenario: Scenario) -> str:
        rate = agent_price(scenario) if self.better == "agent" else self.rate
        number = translator().number
        return _(self.what).format(rate=number(rate, 0), hourly=number(scenario.first_line.cost, 0))


def on_duty_hours(hours: tuple[float, float], t0: float, t1: float) -> float:
    """Hours on duty between ``t0`` and ``t1`` for a daily shift from ``hours[0]`` to ``hours[1]`` o'clock."""
    start, end = hours
    total, day = 0.0, math.floor(t0 / 24.0) * 24.0
    while day < t1:
        total += max(0.0, min(t1, day + end) - max(t0, day + start))
        day += 24.0
    return total


def agent_price(scenario: Scenario) -> float:
    """One first-line agent for the round: cost per agent-hour x hours on duty."""
    fl = scenario.first_line
    return fl.cost * on_duty_hours(fl.hours, scenario.warmup, scenario.horizon)


#: The price of every lever the game plays, by the lever's field. A lever of :mod:`simlib.levers`
#: without a price here (hours on shift) is not played.
PRICES: dict[str, Price] = {
    p.lever: p
    for p in (
        Price("first_line.agents", "agent", 0.0, N_("{hourly} per agent-hour: {rate} per agent for the round")),
        Price("catalogue", "each", 3000.0, N_("{rate} per request type supported")),
        Price("know_how", "higher", 40000.0, N_("training: {rate} per 1.0 of know-how (0.1 costs a tenth)")),
        Price("first_line.knowledge", "higher", 15000.0, N_("training for first-time fix: {rate} per 1.0")),
        Price("first_line.skill", "higher", 20000.0, N_("training for speed: {rate} per 1.0 of speed above 0.5")),
        Price("first_line.mtbf", "higher", 20.0, N_("investment in availability: {rate} per hour of MTBF above 10")),
        Price("first_line.mtrs", "lower", 1500.0, N_("investment in availability: {rate} per hour of MTRS below 12")),
        Price("continuity.recovery", "lower", 500.0, N_("a continuity plan: {rate} per hour of recovery below 24")),
        Price("security.verification", "higher", 10000.0, N_("verification of callers: {rate} per 1.0")),
    )
}


# ---------------------------------------------------------------------------------- levers


@dataclass(frozen=True)
class GameLever:
    """A lever as the game offers it in one round: the table's entry, its price and default."""

    name: str
    label: str
    concept: str
    half: str
    kind: str
    low: float | None
    high: float | None
    step: float | None
    unit: str
    meaning: str
    price: str  # the price in words
    default: Any  # the value in this round's scenario (the event applied)
    options: tuple[str, ...] = ()  # for the catalogue: the request types customers ask for

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _field(data: Mapping[str, Any], dotted: str) -> Any:
    node: Any = data
    for part in dotted.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node


def _snap(value: float, lv: lever_table.Lever) -> float:
    if lv.step:
        value = round(round((value - float(lv.low)) / lv.step) * lv.step + float(lv.low), 10)
    return min(max(value, float(lv.low)), float(lv.high))


def current_value(scenario: Scenario, name: str) -> Any:
    """A lever's value in ``scenario`` (None: the scenario has no such field).

    A share given per request type reads as its lowest value: raising the lever lifts every
    type to at least that (see :func:`apply_choices`).
    """
    lv = lever_table.lever(name)
    if name == "catalogue":
        return list(scenario.catalogue)
    value = _field(scenario.to_dict(), name)
    if value is None:
        return None
    if isinstance(value, Mapping):
        value = min(value.values()) if value else 1.0
    if isinstance(value, (list, tuple)):
        return None  # not a one-number lever (e.g. hours on shift)
    if lv.kind == "whole":
        return int(value)
    value = float(value)
    if not math.isfinite(value):
        return None
    return _snap(value, lv)


def game_levers(scenario: Scenario, allowed: Sequence[str] | None = None) -> list[GameLever]:
    """The levers a team may set on ``scenario``: priced, present in the scenario, allowed."""
    out = []
    for lv in lever_table.LEVERS:
        if lv.name not in PRICES or (allowed is not None and lv.name not in allowed):
            continue
        default = current_value(scenario, lv.name)
        if default is None:
            continue
        options = tuple(_asked_for(scenario)) if lv.kind == "types" else ()
        out.append(
            GameLever(
                lv.name, lv.label, lv.concept, lv.half, lv.kind, lv.low, lv.high, lv.step, lv.unit, lv.meaning,
                PRICES[lv.name].words(scenario), default, options,
            )
        )  # fmt: skip
    return out


def _asked_for(scenario: Scenario) -> list[str]:
    """The request types customers ask for (in the scenario's order)."""
    asked = {t for g in scenario.customers for t, share in g.mix.items() if share > 0}
    return [t for t in scenario.type_names if t in asked or t in scenario.catalogue]


def check_choices(levers: Sequence[GameLever], choices: Mapping[str, Any]) -> dict[str, Any]:
    """Every lever's value: the choices checked (ValueError naming the field), the rest at default."""
    if not isinstance(choices, Mapping):
        raise ValueError(f"choices: {choices!r} is not allowed; expected a table of lever names to values")
    by_name = {lv.name: lv for lv in levers}
    for name in choices:
        if name not in by_name:
            allowed = ", ".join(by_name) or "none"
            raise ValueError(f"{name}: not a lever of this game; the levers teams may set are {allowed}")
    out: dict[str, Any] = {}
    for lv in levers:
        value = choices.get(lv.name, lv.default)
        out[lv.name] = _check_value(lv, value)
    return out


def _check_value(lv: GameLever, value: Any) -> Any:
    if lv.kind == "types":
        if isinstance(value, str) or not isinstance(value, (list, tuple, set, frozenset)):
            raise ValueError(f"{lv.name}: {value!r} is not allowed; expected a list of request types")
        types = list(value)
        for t in types:
            if t not in lv.options:
                raise ValueError(
                    f"{lv.name}: {t!r} is not a request type here; expected some of {', '.join(lv.options)}"
                )
        if not types:
            raise ValueError(f"{lv.name}: empty; expected at least one request type")
        if len(set(types)) != len(types):
            raise ValueError(f"{lv.name}: a request type appears twice in {types!r}; expected each once")
        return [t for t in lv.options if t in types]
    lo, hi = float(lv.low), float(lv.high)
    if lv.kind == "whole":
        if isinstance(value, bool) or not (
            isinstance(value, (int, np.integer)) or (isinstance(value, float) and float(value).is_integer())
        ):
            raise ValueError(
                f"{lv.name}: {value!r} is not a whole number; expected a whole number from {lo:g} to {hi:g}"
            )
        if not lo <= value <= hi:
            raise ValueError(f"{lv.name}: {value!r} is out of range; expected a whole number from {lo:g} to {hi:g}")
        return int(value)
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"{lv.name}: {value!r} is not a number; expected a number from {lo:g} to {hi:g}")
    value = float(value)
    if not math.isfinite(value) or not lo - 1e-9 <= value <= hi + 1e-9:
        raise ValueError(f"{lv.name}: {value!r} is out of range; expected a number from {lo:g} to {hi:g}")
    return round(min(max(value, lo), hi), 6)


def choices_cost(scenario: Scenario, choices: Mapping[str, Any]) -> float:
    """What a set of lever values costs for the round."""
    return float(sum(PRICES[name].cost(scenario, value) for name, value in choices.items() if name in PRICES))


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, list) or isinstance(b, list):
        return list(a) == list(b)
    return abs(float(a) - float(b)) < 1e-9


def apply_choices(scenario: Scenario, levers: Sequence[GameLever], choices: Mapping[str, Any]) -> Scenario:
    """The round's scenario with a team's choices: only the levers moved from their default change.

    A share kept per request type (say know-how, after a new request type arrived) moves as a
    whole: raising the lever lifts every type to at least the new value; lowering it takes the
    same amount off every type.
    """
    data = scenario.to_dict()
    changes: dict[str, Any] = {}
    for lv in levers:
        value = choices.get(lv.name, lv.default)
        if _same(value, lv.default):
            continue
        if lv.kind == "types":
            changes["catalogue"] = list(value)
            for table in ("know_how", "first_line.knowledge", "second_line.knowledge"):
                known = _field(data, table)
                if isinstance(known, Mapping):
                    missing = {t: NEW_TYPE_KNOW_HOW for t in value if t not in known}
                    if missing:
                        changes[table] = {**known, **changes.get(table, {}), **missing}
            continue
        now = changes.get(lv.name, _field(data, lv.name))
        if isinstance(now, Mapping):
            low = float(lv.default)
            v = float(value)
            if v >= low:
                changes[lv.name] = {t: max(float(x), v) for t, x in now.items()}
            else:
                changes[lv.name] = {t: max(float(x) - (low - v), 0.0) for t, x in now.items()}
        else:
            changes[lv.name] = value
    return scenario.replace(**changes) if changes else scenario


# ---------------------------------------------------------------------------------- events


@dataclass(frozen=True)
class Event:
    """What happens in a round, the concept it pushes, and what it does to the scenario."""

    key: str
    title: str
    concept: str
    text: str  # what the teams read
    hint: str  # the lever that answers it, for the debrief
    changes: Callable[[Scenario], dict[str, Any]] = field(repr=False)
    needs: str = ""  # a scenario field the event needs (e.g. "security")

    def available(self, scenario: Scenario) -> bool:
        return not self.needs or _field(scenario.to_dict(), self.needs) is not None


NEW_TYPE = "cloud-access"


def _surge(sc: Scenario) -> dict[str, Any]:
    return {f"customers.{g.name}.rate": g.rate * 1.5 for g in sc.customers}


def _new_type(sc: Scenario) -> dict[str, Any]:
    data = sc.to_dict()
    name = NEW_TYPE if NEW_TYPE not in sc.type_names else f"{NEW_TYPE}-2"
    changes: dict[str, Any] = {f"types.{name}": {"handling": 0.4, "second_line_handling": 0.8, "deadline": 8.0}}
    for g in sc.customers:
        mix = {t: share * 0.85 for t, share in g.mix.items()}
        mix[name] = 1.0 - sum(mix.values())
        changes[f"customers.{g.name}.mix"] = mix
    know_how = _field(data, "know_how")
    if know_how is not None:  # the model of issue 9: know-how per type, first-time fix a share of it
        if not isinstance(know_how, Mapping):
            know_how = dict.fromkeys(sc.type_names, know_how)
        changes["know_how"] = {**know_how, name: 0.4}
        changes[f"first_line.knowledge.{name}"] = 0.3
    else:  # first line and second line each know a share
        changes[f"first_line.knowledge.{name}"] = 0.3
        if isinstance(_field(data, "second_line.knowledge"), Mapping):
            changes[f"second_line.knowledge.{name}"] = 0.4
    return changes


def _attacks(sc: Scenario) -> dict[str, Any]:
    attacks = float(_field(sc.to_dict(), "security.attacks") or 0.0)
    return {"security.attacks": min(1.0, max(0.2, 3 * attacks))}


def _disruption(sc: Scenario) -> dict[str, Any]:
    return {
        "continuity.starts": sorted([*sc.continuity.starts, 34.0]),  # Tuesday 10:00, a busy hour
        "continuity.recovery": sc.continuity.recovery or 6.0,
    }


def _failing(sc: Scenario) -> dict[str, Any]:
    mtbf = sc.first_line.mtbf if math.isfinite(sc.first_line.mtbf) else 80.0
    changes: dict[str, Any] = {"first_line.mtbf": max(10.0, mtbf / 4)}
    if sc.first_line.mtrs <= 0:
        changes["first_line.mtrs"] = 2.0
    return changes


#: The events an instructor may pick for a round, by key.
EVENTS: dict[str, Event] = {
    e.key: e
    for e in (
        Event("none", N_("A normal week"), "", N_("Nothing special happens this week."), "", lambda sc: {}),
        Event(
            "demand-surge", N_("Demand surge"), N_("capacity"),
            N_("Customers send 1.5 times as many requests as usual."),
            N_("capacity: more agents (or faster ones)"), _surge,
        ),
        Event(
            "new-request-type", N_("A new request type"), N_("utility: catalogue and know-how"),
            # the type's name written out (NEW_TYPE), so that the text is one string to translate
            N_("Customers start asking for 'cloud-access' (15 in every 100 requests). It is not in your catalogue, "
               "and the desk knows little about it."),
            N_("the catalogue and know-how (utility)"), _new_type,
        ),
        Event(
            "attack-wave", N_("Attack wave"), N_("security"),
            N_("Impostors call to get passwords reset and access granted."),
            N_("verification of callers (security)"), _attacks, needs="security",
        ),
        Event(
            "major-disruption", N_("Major disruption"), N_("continuity"),
            N_("A major disruption stops the whole desk on Tuesday at 10:00 until it has recovered."),
            N_("a continuity plan: a shorter recovery time"), _disruption,
        ),
        Event(
            "failing-system", N_("Systems fail more often"), N_("availability"),
            N_("The desk's systems fail four times as often as before (MTBF a quarter of what it was)."),
            N_("investment in availability: MTBF and MTRS"), _failing,
        ),
    )
}  # fmt: skip


def get_event(key: str) -> Event:
    if key not in EVENTS:
        raise ValueError(f"event: {key!r} is not an event; expected one of {', '.join(EVENTS)}")
    return EVENTS[key]


# ---------------------------------------------------------------------------------- running


_POOL: Executor | None = None
_POOL_LOCK = threading.Lock()


def _pool(workers: int) -> Executor | None:
    """A process pool kept for the life of the process (a kernel closes several rounds)."""
    global _POOL
    if workers <= 1:
        return None
    with _POOL_LOCK:
        if _POOL is None:
            import multiprocessing

            # spawn: a kernel's threads (zmq, tornado) must not be forked
            _POOL = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
        return _POOL


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 4))


def run_scenarios(
    scenarios: Sequence[Scenario],
    streams: list[np.random.SeedSequence],
    *,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[list[dict[str, float]]]:
    """Run each scenario on ``streams``; identical scenarios run once. Progress as (done, total)."""
    keys = [json.dumps(sc.to_dict(), sort_keys=True, default=str) for sc in scenarios]
    unique = list(dict.fromkeys(keys))
    data = {k: sc.to_dict() for k, sc in zip(keys, scenarios)}
    total = len(unique)
    done = 0
    rows: dict[str, list[dict[str, float]]] = {}
    if progress:
        progress(0, total)
    executor = _pool(default_workers() if workers is None else workers) if total > 1 else None
    if executor is not None:
        try:
            return _run_pool(executor, unique, data, keys, streams, progress)
        except BrokenProcessPool:  # a worker could not start or died: run here instead
            _reset_pool()
            if progress:
                progress(0, total)
    for k in unique:
        rows[k] = run_many(data[k], streams)
        done += 1
        if progress:
            progress(done, total)
    return [rows[k] for k in keys]


def _run_pool(
    executor: Executor,
    unique: list[str],
    data: dict[str, Any],
    keys: list[str],
    streams: list[np.random.SeedSequence],
    progress: Callable[[int, int], None] | None,
) -> list[list[dict[str, float]]]:
    rows: dict[str, list[dict[str, float]]] = {}
    futures = {executor.submit(run_many, data[k], streams): k for k in unique}
    try:
        for future in as_completed(futures):
            rows[futures[future]] = future.result()
            if progress:
                progress(len(rows), len(unique))
    except BaseException:
        for future in futures:
            future.cancel()
        raise
    return [rows[k] for k in keys]


def _reset_pool(wait: bool = False) -> None:
    global _POOL
    with _POOL_LOCK:
        if _POOL is not None:
            _POOL.shutdown(wait=wait, cancel_futures=True)
        _POOL = None


def warm_up(workers: int | None = None) -> None:
    """Start the worker processes now (they import the model), so that the first close is quick."""
    executor = _pool(default_workers() if workers is None else workers)
    if executor is not None:
        for _ in range(default_workers() if workers is None else workers):
            executor.submit(_ready)


def _ready() -> bool:
    return True


def round_streams(seed: int, number: int, runs: int) -> list[np.random.SeedSequence]:
    """The round's weeks: the same for every team, different from round to round."""
    return seeds(np.random.SeedSequence([int(seed), int(number)]), runs)


# ---------------------------------------------------------------------------------- storage

_SCHEMA_SQL = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE teams(name TEXT PRIMARY KEY COLLATE NOCASE, token TEXT NOT NULL UNIQUE, joined REAL NOT NULL,
                   first_round INTEGER NOT NULL);
CREATE TABLE rounds(number INTEGER PRIMARY KEY, event TEXT NOT NULL, budget REAL NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('open', 'closing', 'closed')),
                    opened REAL, closed REAL);
CREATE TABLE submissions(round INTEGER NOT NULL, team TEXT NOT NULL COLLATE NOCASE, choices TEXT NOT NULL,
                         cost REAL NOT NULL, submitted REAL NOT NULL, PRIMARY KEY (round, team));
CREATE TABLE played(round INTEGER NOT NULL, team TEXT NOT NULL COLLATE NOCASE, choices TEXT NOT NULL,
                    cost REAL NOT NULL, submitted INTEGER NOT NULL, PRIMARY KEY (round, team));
CREATE TABLE results(round INTEGER NOT NULL, team TEXT NOT NULL COLLATE NOCASE, run INTEGER NOT NULL,
                     measures TEXT NOT NULL, PRIMARY KEY (round, team, run));
CREATE TABLE advice(round INTEGER NOT NULL, team TEXT NOT NULL COLLATE NOCASE, lever TEXT, text TEXT NOT NULL,
                    difference REAL, low REAL, high REAL, extra_cost REAL, PRIMARY KEY (round, team));
"""

_RETRIES = 20


def _connect(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(str(path), timeout=30.0, isolation_level=None, check_same_thread=False)
    con.execute("PRAGMA busy_timeout = 30000")
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("PRAGMA synchronous = FULL")
    con.execute("PRAGMA foreign_keys = ON")
    return con


def _locked(err: sqlite3.OperationalError) -> bool:
    text = str(err).lower()
    return "locked" in text or "busy" in text


def _code(n: int) -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(n))


def new_game_code() -> str:
    return _code(6)


def game_path(directory: str | Path, code: str) -> Path:
    """Where the game with ``code`` lives in ``directory`` (one file per game, named by its code)."""
    code = str(code).strip().upper()
    if not re.fullmatch(r"[A-Z0-9]{4,12}", code):
        raise ValueError(f"game code: {code!r} is not a game code; expected the letters and digits you were given")
    return Path(directory) / f"{code}.sqlite"


@dataclass(frozen=True)
class TeamEntry:
    """A team that joined: its name and the token its page keeps to act for it."""

    name: str
    token: str
    first_round: int = 1


class Game:
    """One classroom game, stored in one SQLite file. Use :meth:`create` or :meth:`open`."""

    def __init__(self, path: str | Path, _con: sqlite3.Connection | None = None) -> None:
        self.path = Path(path)
        self._con = _con or _connect(self.path)
        self._lock = threading.RLock()
        meta = dict(self._query("SELECT key, value FROM meta"))
        if "schema" not in meta:
            raise ValueError(f"game: {str(path)!r} is not a classroom game file")
        self.seed = int(meta["seed"])
        self.rounds = int(meta["rounds"])
        self.runs = int(meta["runs"])
        self.budget = float(meta["budget"])
        self.code = meta["code"]
        self.instructor_code = meta["instructor_code"]
        self.allowed: tuple[str, ...] | None = tuple(json.loads(meta["levers"])) if meta.get("levers") else None
        self.base = Scenario.from_dict(json.loads(meta["scenario"]))
        self._scenarios: dict[int, tuple[str, Scenario]] = {}

    # ------------------------------------------------------------------ create and open

    @classmethod
    def create(
        cls,
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
    ) -> Game:
        """A new game in a new file (an existing file is refused); round 1 is open."""
        path = Path(path)
        sc = load_scenario(scenario) if isinstance(scenario, (str, Path)) else scenario
        if not isinstance(sc, Scenario):
            raise ValueError(
                f"scenario: {type(scenario).__name__} is not allowed; expected a scenario name or Scenario"
            )
        rounds = _whole_number("rounds", rounds, 1, 20)
        seed = _whole_number("seed", seed, 0, 2**63 - 1)
        runs = _whole_number("runs", runs, 2, 200)
        if levers is not None:
            levers = list(levers)
            for name in levers:
                lever_table.lever(name)
                if name not in PRICES:
                    raise ValueError(f"levers: {name!r} has no price in the game; expected some of {', '.join(PRICES)}")
        default_cost = choices_cost(sc, {lv.name: lv.default for lv in game_levers(sc, levers)})
        if budget is None:
            budget = math.ceil(default_cost * BUDGET_FACTOR / 1000.0) * 1000.0
        elif isinstance(budget, bool) or not isinstance(budget, (int, float)) or not budget >= default_cost:
            raise ValueError(
                f"budget: {budget!r} is not allowed; expected a number >= {default_cost:,.0f}, "
                "the cost of the scenario's own settings"
            )
        ev = get_event(event)
        if not ev.available(sc):
            raise ValueError(f"event: {event!r} needs the scenario field {ev.needs!r}, which {sc.name} lacks")
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            raise ValueError(
                f"path: {str(path)!r} exists already; expected a new file (Game.open opens a game)"
            ) from None
        os.close(fd)
        meta = {
            "schema": str(SCHEMA),
            "scenario": json.dumps(sc.to_dict(), default=str),
            "scenario_name": sc.name,
            "seed": str(seed),
            "rounds": str(rounds),
            "runs": str(runs),
            "budget": repr(float(budget)),
            "levers": json.dumps(levers) if levers is not None else "",
            "code": code or new_game_code(),
            "instructor_code": instructor_code or _code(10),
            "created": repr(time.time()),
        }
        con = _connect(path)
        try:
            con.execute("BEGIN IMMEDIATE")
            for statement in _SCHEMA_SQL.strip().split(";"):
                if statement.strip():
                    con.execute(statement)
            con.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
            con.execute("INSERT INTO rounds VALUES (1, ?, ?, 'open', ?, NULL)", (event, float(budget), time.time()))
            con.execute("COMMIT")
        except BaseException:
            con.close()
            with contextlib.suppress(OSError):
                path.unlink()
            raise
        return cls(path, con)

    @classmethod
    def open(cls, path: str | Path) -> Game:
        """The game stored in ``path``, as last committed (from any process)."""
        path = Path(path)
        if not path.is_file():
            raise ValueError(f"game: {str(path)!r} does not exist; expected the file of a game (Game.create makes one)")
        try:
            return cls(path)
        except sqlite3.DatabaseError as err:
            raise ValueError(f"game: {str(path)!r} is not a classroom game file ({err})") from None

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._con.close()

    def __enter__(self) -> Game:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Game({str(self.path)!r}, code={self.code!r}, rounds={self.rounds}, seed={self.seed})"

    # ------------------------------------------------------------------ database plumbing

    def _query(self, sql: str, args: Sequence[Any] = ()) -> list[tuple]:
        for attempt in range(_RETRIES):
            try:
                with self._lock:
                    return self._con.execute(sql, args).fetchall()
            except sqlite3.OperationalError as err:
                if not _locked(err) or attempt == _RETRIES - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE: the writer's lock at once, or wait for it)."""
        with self._lock:
            for attempt in range(_RETRIES):
                try:
                    self._con.execute("BEGIN IMMEDIATE")
                    break
                except sqlite3.OperationalError as err:
                    if not _locked(err) or attempt == _RETRIES - 1:
                        raise
                    time.sleep(0.05 * (attempt + 1) + secrets.randbelow(50) / 1000)
            try:
                yield self._con
            except BaseException:
                self._con.execute("ROLLBACK")
                raise
            else:
                self._con.execute("COMMIT")

    def _retry_write(self, body: Callable[[sqlite3.Connection], Any]) -> Any:
        for attempt in range(_RETRIES):
            try:
                with self._write() as con:
                    return body(con)
            except sqlite3.OperationalError as err:
                if not _locked(err) or attempt == _RETRIES - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")

    # ------------------------------------------------------------------ rounds and teams

    def state(self) -> dict[str, Any]:
        """Where the game is: the open round (or None), its event, budget and status."""
        rows = self._query("SELECT number, event, budget, status FROM rounds ORDER BY number")
        current = next((r for r in rows if r[3] != "closed"), None)
        closed = [r[0] for r in rows if r[3] == "closed"]
        return {
            "round": current[0] if current else None,
            "event": current[1] if current else None,
            "budget": current[2] if current else None,
            "status": current[3] if current else "over",
            "rounds": self.rounds,
            "closed": closed,
            "last_closed": closed[-1] if closed else None,
            "over": current is None,
        }

    def round_info(self, number: int) -> dict[str, Any]:
        rows = self._query(
            "SELECT number, event, budget, status, opened, closed FROM rounds WHERE number = ?", (number,)
        )
        if not rows:
            raise ValueError(f"round: {number!r} has not started; expected one of 1 to {self.rounds} that has")
        n, ev, budget, status, opened, closed = rows[0]
        return {"round": n, "event": ev, "budget": budget, "status": status, "opened": opened, "closed": closed}

    def _round_number(self, number: int | None, *, closed: bool = False) -> int:
        st = self.state()
        if number is None:
            number = st["last_closed"] if closed else st["round"]
            if number is None:
                raise ValueError("round: no round is closed yet" if closed else "round: the game is over")
        number = _whole_number("round", number, 1, self.rounds)
        info = self.round_info(number)
        if closed and info["status"] != "closed":
            raise ValueError(f"round: round {number} is not closed yet; its results come when it closes")
        return number

    def scenario(self, number: int | None = None) -> Scenario:
        """The scenario of a round: the game's scenario with the round's event."""
        number = self._round_number(number)
        ev = self.round_info(number)["event"]
        cached = self._scenarios.get(number)
        if cached is None or cached[0] != ev:
            sc = self.base.replace(**EVENTS[ev].changes(self.base)) if ev != "none" else self.base
            cached = (ev, sc)
            self._scenarios[number] = cached
        return cached[1]

    def levers(self, round: int | None = None) -> list[dict[str, Any]]:
        """What teams may set in a round: name, label, range, price, concept and the round's default."""
        return [lv.as_dict() for lv in self._levers(round)]

    def _levers(self, number: int | None = None) -> list[GameLever]:
        return game_levers(self.scenario(number), self.allowed)

    def events(self) -> list[dict[str, str]]:
        """The events this game's scenario can play: key, title, concept, text."""
        return [
            {"key": e.key, "title": e.title, "concept": e.concept, "text": e.text}
            for e in EVENTS.values()
            if e.available(self.base)
        ]

    def set_event(self, key: str, budget: float | None = None) -> None:
        """Choose the open round's event (and budget), before any team has submitted for it."""
        ev = get_event(key)
        if not ev.available(self.base):
            raise ValueError(f"event: {key!r} needs the scenario field {ev.needs!r}, which this game's scenario lacks")
        st = self.state()
        if st["over"]:
            raise ValueError("event: the game is over; there is no round to set")
        number = st["round"]
        sc = self.base.replace(**ev.changes(self.base)) if key != "none" else self.base
        default_cost = choices_cost(sc, {lv.name: lv.default for lv in game_levers(sc, self.allowed)})
        if budget is None:
            budget = max(self.budget, default_cost)
        elif isinstance(budget, bool) or not isinstance(budget, (int, float)) or not budget >= default_cost:
            raise ValueError(
                f"budget: {budget!r} is not allowed; expected a number >= {default_cost:,.0f}, "
                "the cost of the scenario's own settings in this round"
            )

        def body(con: sqlite3.Connection) -> None:
            status = con.execute("SELECT status FROM rounds WHERE number = ?", (number,)).fetchone()[0]
            if status != "open":
                raise ValueError(f"event: round {number} is being closed; choose the event of the next round")
            n = con.execute("SELECT COUNT(*) FROM submissions WHERE round = ?", (number,)).fetchone()[0]
            old = con.execute("SELECT event FROM rounds WHERE number = ?", (number,)).fetchone()[0]
            if n and old != key:
                raise ValueError(
                    f"event: {n} team(s) have already submitted for round {number} under its event {old!r}; "
                    "choose an event before the teams submit"
                )
            con.execute("UPDATE rounds SET event = ?, budget = ? WHERE number = ?", (key, float(budget), number))

        self._retry_write(body)

    def join(self, name: str) -> TeamEntry:
        """A new team; its name is checked (ValueError naming the field) and must be free."""
        if not isinstance(name, str) or not _TEAM_NAME.match(name.strip()):
            raise ValueError(
                f"team: {name!r} is not a team name; expected 1 to 20 letters, digits, spaces, '-' or '_', "
                "starting with a letter or digit"
            )
        name = name.strip()
        token = _code(8)

        def body(con: sqlite3.Connection) -> TeamEntry:
            taken = con.execute("SELECT name FROM teams WHERE name = ?", (name,)).fetchone()
            if taken:
                raise ValueError(f"team: {name!r} has joined already; pick another name, or rejoin with its token")
            row = con.execute("SELECT number FROM rounds WHERE status != 'closed' ORDER BY number LIMIT 1").fetchone()
            if row is None:
                raise ValueError("team: the game is over; no team can join")
            con.execute("INSERT INTO teams VALUES (?, ?, ?, ?)", (name, token, time.time(), row[0]))
            return TeamEntry(name, token, row[0])

        return self._retry_write(body)

    def team(self, token: str) -> TeamEntry:
        """The team a token belongs to (a page that rejoins)."""
        rows = self._query("SELECT name, token, first_round FROM teams WHERE token = ?", (str(token).strip().upper(),))
        if not rows:
            raise ValueError("token: no team of this game has that token; check it, or join as a new team")
        return TeamEntry(*rows[0])

    def teams(self) -> list[dict[str, Any]]:
        """Who joined, and whether each has submitted for the open round."""
        st = self.state()
        rows = self._query("SELECT name, joined, first_round FROM teams ORDER BY joined, name")
        done = {r[0].lower(): r[1] for r in self._query("SELECT team, submitted FROM submissions WHERE round = ?",
                                                          (st["round"] or -1,))}  # fmt: skip
        return [
            {
                "team": n,
                "joined": j,
                "first_round": f,
                "submitted": n.lower() in done,
                "submitted_at": done.get(n.lower()),
            }
            for n, j, f in rows
        ]

    def _team_name(self, team: str | TeamEntry) -> str:
        name = team.name if isinstance(team, TeamEntry) else team
        rows = self._query("SELECT name FROM teams WHERE name = ?", (str(name),))
        if not rows:
            raise ValueError(f"team: {name!r} has not joined this game")
        return rows[0][0]

    # ------------------------------------------------------------------ submissions

    def cost(self, choices: Mapping[str, Any], round: int | None = None) -> float:
        """What ``choices`` cost in a round (levers not named are at the round's default)."""
        levers = self._levers(round)
        return choices_cost(self.scenario(round), check_choices(levers, choices))

    def submit(self, team: str | TeamEntry, choices: Mapping[str, Any], round: int | None = None) -> dict[str, Any]:
        """A team's choices for the open round, committed at once; a resubmission replaces them.

        ``round``: the round the team's page shows; a submission for a round that is closed or
        being closed is refused (:class:`LateSubmission`, a ValueError, with a message).
        """
        name = self._team_name(team)
        st = self.state()
        if st["over"]:
            raise LateSubmission("round: the game is over; no more submissions")
        number = st["round"]
        if round is not None and round != number:
            raise LateSubmission(
                f"round: round {round} is closed; round {number} is open now. Your choices were not submitted"
            )
        if st["status"] != "open":
            raise LateSubmission(f"round: round {number} is being closed; too late to submit")
        levers = self._levers(number)
        full = check_choices(levers, choices)
        sc = self.scenario(number)
        cost = choices_cost(sc, full)
        budget = float(st["budget"])
        if cost > budget + 1e-6:
            raise ValueError(
                f"budget: these choices cost {cost:,.0f}; the budget of round {number} is {budget:,.0f}. "
                "Spend less on one of the levers"
            )
        apply_choices(sc, levers, full)  # the model's own checks (ValueError naming the field)
        now = time.time()

        def body(con: sqlite3.Connection) -> None:
            row = con.execute("SELECT status FROM rounds WHERE number = ?", (number,)).fetchone()
            if row is None or row[0] != "open":
                raise LateSubmission(f"round: round {number} is closed; too late to submit")
            con.execute(
                "INSERT OR REPLACE INTO submissions VALUES (?, ?, ?, ?, ?)",
                (number, name, json.dumps(full), cost, now),
            )

        self._retry_write(body)
        return {"team": name, "round": number, "choices": full, "cost": cost, "budget": budget, "submitted": now}

    def submission(self, team: str | TeamEntry, round: int | None = None) -> dict[str, Any] | None:
        """A team's submission for a round (default: the open one), or None."""
        name = self._team_name(team)
        number = self._round_number(round)
        rows = self._query(
            "SELECT choices, cost, submitted FROM submissions WHERE round = ? AND team = ?", (number, name)
        )
        if not rows:
            return None
        return {"team": name, "round": number, "choices": json.loads(rows[0][0]), "cost": rows[0][1],
                "submitted": rows[0][2]}  # fmt: skip

    # ------------------------------------------------------------------ closing a round

    def close_round(
        self,
        progress: Callable[[int, int], None] | None = None,
        *,
        workers: int | None = None,
        _before_commit: Callable[[], None] | None = None,
    ) -> dict[str, Any]:
        """Run every team's choices on the round's weeks and store the results; open the next round.

        First the round is marked ``closing`` (submissions are refused from then on), then every
        team runs on the same ``runs`` weeks, then the results, the closing of the round and the
        opening of the next go in one transaction. A close that was interrupted (a killed kernel)
        left the round ``closing`` with its submissions intact: closing again completes it.
        A team that did not submit plays the round's default settings. ``progress(done, total)``.
        """
        st = self.state()
        if st["over"]:
            raise ValueError("round: the game is over; every round is closed")
        number = st["round"]

        def mark(con: sqlite3.Connection) -> None:
            con.execute("UPDATE rounds SET status = 'closing' WHERE number = ? AND status = 'open'", (number,))

        self._retry_write(mark)
        sc = self.scenario(number)
        levers = self._levers(number)
        defaults = {lv.name: lv.default for lv in levers}
        teams = [r[0] for r in self._query("SELECT name FROM teams WHERE first_round <= ? ORDER BY name", (number,))]
        subs = {
            r[0].lower(): (json.loads(r[1]), r[2])
            for r in self._query("SELECT team, choices, cost FROM submissions WHERE round = ?", (number,))
        }
        plays = []
        for name in teams:
            if name.lower() in subs:
                choices, cost = subs[name.lower()]
                plays.append((name, choices, cost, 1))
            else:
                plays.append((name, defaults, choices_cost(sc, defaults), 0))
        scenarios = [apply_choices(sc, levers, choices) for _, choices, _, _ in plays]
        streams = round_streams(self.seed, number, self.runs)
        rows = run_scenarios(scenarios, streams, workers=workers, progress=progress) if plays else []

        def store(con: sqlite3.Connection) -> None:
            status = con.execute("SELECT status FROM rounds WHERE number = ?", (number,)).fetchone()[0]
            if status == "closed":
                return  # another kernel closed it meanwhile, with the same numbers
            for table in ("results", "played", "advice"):
                con.execute(f"DELETE FROM {table} WHERE round = ?", (number,))
            for (name, choices, cost, submitted), runs in zip(plays, rows):
                con.execute(
                    "INSERT INTO played VALUES (?, ?, ?, ?, ?)", (number, name, json.dumps(choices), cost, submitted)
                )
                con.executemany(
                    "INSERT INTO results VALUES (?, ?, ?, ?)",
                    [(number, name, i, json.dumps(_finite(m))) for i, m in enumerate(runs)],
                )
            if _before_commit is not None:
                _before_commit()
            now = time.time()
            con.execute("UPDATE rounds SET status = 'closed', closed = ? WHERE number = ?", (now, number))
            if (
                number < self.rounds
                and not con.execute("SELECT 1 FROM rounds WHERE number = ?", (number + 1,)).fetchone()
            ):
                budget = con.execute("SELECT budget FROM rounds WHERE number = ?", (number,)).fetchone()[0]
                con.execute(
                    "INSERT INTO rounds VALUES (?, 'none', ?, 'open', ?, NULL)",
                    (number + 1, max(budget, self.budget), now),
                )

        self._retry_write(store)
        return {"round": number, "teams": len(plays), "runs": self.runs, "next": self.state()["round"]}

    # ------------------------------------------------------------------ results

    def _results(self, number: int) -> dict[str, list[dict[str, float]]]:
        out: dict[str, list[dict[str, float]]] = {}
        for team, _run, measures in self._query(
            "SELECT team, run, measures FROM results WHERE round = ? ORDER BY team, run", (number,)
        ):
            out.setdefault(team, []).append(json.loads(measures))
        return out

    def _played(self, number: int) -> dict[str, dict[str, Any]]:
        return {
            team: {"choices": json.loads(c), "cost": cost, "submitted": bool(s)}
            for team, c, cost, s in self._query(
                "SELECT team, choices, cost, submitted FROM played WHERE round = ?", (number,)
            )  # fmt: skip
        }

    def measures(self, team: str | TeamEntry, round: int | None = None) -> dict[str, Estimate]:
        """A team's measures in a closed round: each measure's mean and 95% CI over the round's weeks."""
        name = self._team_name(team)
        number = self._round_number(round, closed=True)
        runs = self._results(number).get(name)
        if not runs:
            raise ValueError(f"team: {name!r} did not play round {number}")
        names = list(dict.fromkeys(k for r in runs for k in r))
        return {k: estimate(k, np.array([r.get(k, math.nan) for r in runs], dtype=float)) for k in names}

    def leaderboard(self, round: int | None = None) -> list[dict[str, Any]]:
        """The ranking of a closed round (default: the last), best value first.

        Each row: team, rank, value, utility, warranty (means over the round's weeks, each with
        ``_low``/``_high``, its 95% CI), cost, submitted, and ``tied_with``: the teams it cannot
        be told apart from (the paired difference of value over the same weeks has a 95% CI that
        includes 0), with ``note`` saying so in words.
        """
        number = self._round_number(round, closed=True)
        results = self._results(number)
        played = self._played(number)
        values = {t: np.array([r.get("value", math.nan) for r in runs], dtype=float) for t, runs in results.items()}
        rows = []
        for team, runs in results.items():
            row: dict[str, Any] = {"round": number, "team": team}
            for m in ("value", "utility", "warranty"):
                e = estimate(m, np.array([r.get(m, math.nan) for r in runs], dtype=float))
                row[m], row[f"{m}_low"], row[f"{m}_high"] = e.mean, e.low, e.high
            row["cost"] = played.get(team, {}).get("cost", math.nan)
            row["submitted"] = played.get(team, {}).get("submitted", False)
            rows.append(row)
        rows.sort(key=lambda r: (-_num(r["value"]), _num(r["cost"]), r["team"].lower()))
        for row in rows:
            row["rank"] = 1 + sum(1 for o in rows if _num(o["value"]) > _num(row["value"]) + 1e-12)
        for row in rows:
            ties = []
            for other in rows:
                if other is row:
                    continue
                diff = estimate("value", values[other["team"]] - values[row["team"]])
                if not diff.significant:
                    ties.append(other["team"])
            row["tied_with"] = ties
            row["note"] = f"not distinguishable from {', '.join(ties)} (paired runs on the same weeks)" if ties else ""
        return rows

    def history(self) -> list[dict[str, Any]]:
        """Every closed round, every team: round, event, team, rank, value, utility, warranty, cost."""
        out = []
        for number in self.state()["closed"]:
            ev = self.round_info(number)["event"]
            for row in self.leaderboard(number):
                out.append({"event": ev, **row})
        return out

    def explain(self, team: str | TeamEntry, round: int | None = None) -> str:
        """Why a team's value was what it was in a closed round: utility versus warranty, what broke."""
        m = {k: e.mean for k, e in self.measures(team, round).items()}
        return explain_measures(m)

    # ------------------------------------------------------------------ debrief

    def advice(
        self,
        round: int | None = None,
        progress: Callable[[int, int], None] | None = None,
        *,
        workers: int | None = None,
    ) -> list[dict[str, Any]]:
        """For each team, the one lever move that would have raised its value most in a closed round.

        Each move (one more agent, 0.1 more of a share, MTBF doubled, MTRS or recovery halved, one
        more request type in the catalogue) runs on the round's weeks and is compared run by run
        with what the team played (paired). A move that fits the round's budget and clearly helps
        comes first; else the biggest gain, said to be over the budget. Stored: computed once a round.
        """
        number = self._round_number(round, closed=True)
        stored = self._query(
            "SELECT team, lever, text, difference, low, high, extra_cost FROM advice WHERE round = ? ORDER BY team",
            (number,),
        )
        played = self._played(number)
        if stored and len(stored) >= len(played):
            keys = ("team", "lever", "text", "difference", "low", "high", "extra_cost")
            return [dict(zip(keys, r)) for r in stored]
        sc = self.scenario(number)
        levers = self._levers(number)
        results = self._results(number)
        jobs: list[tuple[str, GameLever, str, dict[str, Any]]] = []
        for team, info in played.items():
            for lv, words, choices in _moves(levers, info["choices"]):
                jobs.append((team, lv, words, choices))
        streams = round_streams(self.seed, number, self.runs)
        scenarios = [apply_choices(sc, levers, c) for _, _, _, c in jobs]
        rows = run_scenarios(scenarios, streams, workers=workers, progress=progress) if jobs else []
        budget = self.round_info(number)["budget"]
        best: dict[str, tuple[tuple[bool, float], dict[str, Any]]] = {}
        for (team, lv, words, choices), runs in zip(jobs, rows):
            base = np.array([r.get("value", math.nan) for r in results[team]], dtype=float)
            new = np.array([r.get("value", math.nan) for r in runs], dtype=float)
            d = estimate("value", new - base)
            extra = choices_cost(sc, choices) - played[team]["cost"]
            fits = played[team]["cost"] + extra <= budget + 1e-6
            key = (fits and d.significant and d.mean > 0, _num(d.mean))  # within the budget first
            if team not in best or key > best[team][0]:
                best[team] = (key, {"lever": lv.name, "words": words, "d": d, "extra": extra})
        out = []
        for team in sorted(played, key=str.lower):
            if team not in best:
                continue
            b = best[team][1]
            d: Estimate = b["d"]
            over = played[team]["cost"] + b["extra"] > budget + 1e-6
            num = translator().number
            low, high = num(d.low * 100, 1), num(d.high * 100, 1)
            if d.mean > 0 and d.significant:
                text = _(
                    "{team}: {move} would have raised value by {points} points "
                    "(95% CI {low} to {high}, paired runs on the round's weeks), for {cost}"
                ).format(
                    team=team, move=b["words"], points=num(d.mean * 100, 1), low=low, high=high,
                    cost=("+" if b["extra"] >= 0 else "") + num(b["extra"], 0),
                ) + (" (" + _("over the budget") + ")." if over else ".")  # fmt: skip
            else:
                text = _(
                    "{team}: no single move would have made a clear difference; the best, {move}, "
                    "changes value by {points} points (95% CI {low} to {high})."
                ).format(
                    team=team, move=b["words"], low=low, high=high,
                    points=("+" if d.mean >= 0 else "") + num(d.mean * 100, 1),
                )  # fmt: skip
            out.append(
                {"team": team, "lever": b["lever"], "text": text, "difference": d.mean, "low": d.low, "high": d.high,
                 "extra_cost": b["extra"]}
            )  # fmt: skip

        def body(con: sqlite3.Connection) -> None:
            con.execute("DELETE FROM advice WHERE round = ?", (number,))
            con.executemany(
                "INSERT INTO advice VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(number, a["team"], a["lever"], a["text"], _db(a["difference"]), _db(a["low"]), _db(a["high"]),
                  a["extra_cost"]) for a in out],
            )  # fmt: skip

        self._retry_write(body)
        return out

    def figure_history(self, figure: Any = None) -> Any:
        """Utility, warranty, value and cost over the rounds, one line per team (a matplotlib Figure)."""
        from matplotlib.figure import Figure

        from simlib import plots

        fig = figure or Figure(figsize=(12, 3.4), dpi=80)
        axes = fig.subplots(1, 4)
        hist = self.history()
        teams = sorted({r["team"] for r in hist}, key=str.lower)
        for ax, m in zip(axes, ("utility", "warranty", "value", "cost")):
            for i, team in enumerate(teams):
                rows = [r for r in hist if r["team"] == team]
                x = [r["round"] for r in rows]
                y = [r[m] * (1 if m == "cost" else 100) for r in rows]
                ax.plot(x, y, marker="o", label=team, color=_colour(i))
            title = _("cost") if m == "cost" else _("{measure} (%)").format(measure=_(m))
            ax.set_title(title, fontsize=10, color=plots.COLOURS.get(m, "black"))
            ax.set_xlabel(_("round"))
            _spread(ax, 5.0 if m != "cost" else 5000.0)  # a tiny difference must not fill the panel
            ax.set_xticks(sorted({r["round"] for r in hist}) or [1])
        if teams:
            axes[-1].legend(fontsize=8, loc="best")
        fig.subplots_adjust(left=0.05, right=0.99, bottom=0.17, top=0.88, wspace=0.35)
        return fig

    def figure_value_cost(self, figure: Any = None) -> Any:
        """The class's value against cost, one panel per closed round, with 95% CIs (a Figure)."""
        from matplotlib.figure import Figure
        from matplotlib.ticker import FuncFormatter, MaxNLocator

        closed = self.state()["closed"]
        fig = figure or Figure(figsize=(3.4 * max(1, len(closed)) + 0.6, 3.4), dpi=80)
        axes = np.atleast_1d(fig.subplots(1, max(1, len(closed)), sharey=True))
        teams = sorted({r["team"] for r in self.history()}, key=str.lower)
        for ax, number in zip(axes, closed):
            ev = EVENTS[self.round_info(number)["event"]]
            labels: dict[tuple[float, float], list[str]] = {}
            for row in self.leaderboard(number):
                i = teams.index(row["team"])
                v, lo, hi = (row[k] * 100 for k in ("value", "value_low", "value_high"))
                yerr = [[max(v - lo, 0) if math.isfinite(lo) else 0], [max(hi - v, 0) if math.isfinite(hi) else 0]]
                ax.errorbar([row["cost"]], [v], yerr=yerr, fmt="o", color=_colour(i), capsize=3)
                labels.setdefault((row["cost"], round(v, 6)), []).append(row["team"])
            for (cost, v), names in labels.items():  # teams that chose alike share a point and a label
                ax.annotate(", ".join(names), (cost, v), textcoords="offset points", xytext=(4, 4), fontsize=8)
            ax.margins(x=0.25)
            ax.set_title(_("round {n}: {title}").format(n=number, title=_(ev.title)), fontsize=10)
            ax.set_xlabel(_("cost (thousands)"))
            ax.xaxis.set_major_locator(MaxNLocator(4))
            ax.xaxis.set_major_formatter(FuncFormatter(lambda x, pos: translator().number(x / 1000, 0) + "k"))
            _spread(ax, 5000.0, axis="x")
        axes[0].set_ylabel(_("value (%), 95% CI"))
        fig.subplots_adjust(left=0.08, right=0.98, bottom=0.17, top=0.88, wspace=0.15)
        return fig

    # ------------------------------------------------------------------ export

    def export_csv(self, path: str | Path | None = None) -> str:
        """Every closed round's results as CSV text (and written to ``path`` if given).

        One row per round and team: the event, rank, value, utility and warranty with their 95%
        CIs, cost, whether the team submitted, and the value of every lever it played.
        """
        lever_names = [lv.name for lv in self._levers_any()]
        fields = ["round", "event", "team", "rank", "value", "value_low", "value_high", "utility", "utility_low",
                  "utility_high", "warranty", "warranty_low", "warranty_high", "cost", "submitted", "tied_with",
                  *lever_names]  # fmt: skip
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for number in self.state()["closed"]:
            played = self._played(number)
            ev = self.round_info(number)["event"]
            for row in self.leaderboard(number):
                choices = played.get(row["team"], {}).get("choices", {})
                out = {**row, "event": ev, "tied_with": " ".join(row["tied_with"])}
                for name in lever_names:
                    v = choices.get(name, "")
                    out[name] = " ".join(v) if isinstance(v, list) else v
                writer.writerow(out)
        text = buffer.getvalue()
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text

    def _levers_any(self) -> list[GameLever]:
        return game_levers(self.base, self.allowed)


# ---------------------------------------------------------------------------------- helpers


def _whole_number(name: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not low <= value <= high:
        raise ValueError(f"{name}: {value!r} is not allowed; expected a whole number from {low} to {high}")
    return int(value)


def _num(x: Any) -> float:
    try:
        x = float(x)
    except (TypeError, ValueError):
        return -math.inf
    return x if math.isfinite(x) else -math.inf


def _db(x: Any) -> float | None:
    return float(x) if x is not None and math.isfinite(float(x)) else None


def _finite(m: Mapping[str, float]) -> dict[str, float | None]:
    return {k: (float(v) if math.isfinite(float(v)) else None) for k, v in m.items()}


def _spread(ax: Any, least: float, axis: str = "y") -> None:
    """Widen an axis to at least ``least`` around its middle."""
    lo, hi = ax.get_ylim() if axis == "y" else ax.get_xlim()
    if hi - lo < least:
        mid = (lo + hi) / 2
        (ax.set_ylim if axis == "y" else ax.set_xlim)(mid - least / 2, mid + least / 2)


def _colour(i: int) -> str:
    palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
    return palette[i % len(palette)]


def _moves(levers: Sequence[GameLever], choices: Mapping[str, Any]) -> Iterator[tuple[GameLever, str, dict[str, Any]]]:
    """One step in the better direction for every lever: (lever, the move in words, the new choices)."""
    for lv in levers:
        now = choices.get(lv.name, lv.default)
        if lv.kind == "types":
            for t in lv.options:
                if t not in now:
                    yield (
                        lv,
                        _("adding '{type}' to the catalogue").format(type=t),
                        {**choices, lv.name: [o for o in lv.options if o in now or o == t]},
                    )
            continue
        lo, hi = float(lv.low), float(lv.high)
        better = PRICES[lv.name].better
        if lv.kind == "whole":
            new: float = min(hi, now + 1)
            words = _("one more agent ({now} to {new})").format(now=now, new=int(new))
            new = int(new)
        elif better == "lower":
            new = max(lo, round(float(now) / 2, 4))
            words = _("halving {lever} ({now} to {new} {unit})").format(
                lever=_(lv.label).lower(), now=f"{now:g}", new=f"{new:g}", unit=_(lv.unit) if lv.unit else ""
            )
            words = words.replace(" )", ")")
        elif lv.name.endswith("mtbf"):
            new = min(hi, float(now) * 2)
            words = _("doubling {lever} ({now} to {new} {unit})").format(
                lever=_(lv.label), now=f"{now:g}", new=f"{new:g}", unit=_(lv.unit) if lv.unit else ""
            )
            words = words.replace(" )", ")")
        else:
            step = 0.25 if lv.kind == "number" else 0.1
            new = min(hi, round(float(now) + step, 4))
            words = _("more {lever} ({now} to {new})").format(lever=_(lv.label).lower(), now=f"{now:g}", new=f"{new:g}")
        if _same(new, now):
            continue
        yield lv, words, {**choices, lv.name: new}


def explain_measures(m: Mapping[str, float]) -> str:
    """Utility versus warranty in words, and what broke, from a run's (or the runs' mean) measures."""

    def g(k: str) -> float:
        v = m.get(k)
        return float(v) if v is not None and math.isfinite(float(v)) else 0.0

    t = translator()
    pct, n = t.percent, (lambda x: t.number(x, 0))
    parts = [
        _("Value {value} = utility {utility} x warranty {warranty}.").format(
            value=pct(g("value")), utility=pct(g("utility")), warranty=pct(g("warranty"))
        ),
    ]
    lost_u = []
    if g("not_supported") >= 0.5:
        lost_u.append(
            _("{n} requests a week were outside your catalogue (not supported)").format(n=n(g("not_supported")))
        )
    if g("unresolved") >= 0.5:
        lost_u.append(_("{n} could not be resolved by anyone (know-how)").format(n=n(g("unresolved"))))
    if lost_u:
        parts.append(_("Utility (can the desk deliver at all?):") + " " + "; ".join(lost_u) + ".")
    else:
        parts.append(_("Utility: the desk could deliver every request it was asked for."))
    lost_w = []
    if g("late") >= 0.5:
        lost_w.append(_("{n} were resolved after the deadline").format(n=n(g("late"))))
    if g("abandoned") >= 0.5:
        lost_w.append(_("{n} customers gave up waiting").format(n=n(g("abandoned"))))
    if g("breach") >= 0.5 or g("breaches") >= 0.5:
        lost_w.append(
            _("{n} impostors got what they asked for (breaches)").format(n=n(max(g("breach"), g("breaches"))))
        )
    if lost_w:
        parts.append(_("Warranty (delivered when needed?):") + " " + "; ".join(lost_w) + ".")
    causes = []
    busy, gave_up, up = g("utilisation.first_line"), g("abandonment"), g("availability.first_line")
    if busy >= 0.8:
        causes.append(_("the first line was busy {busy} of the time (capacity)").format(busy=pct(busy, 0)))
    elif gave_up >= 0.05 and not 0 < up < 0.97:
        causes.append(
            _("{share} of customers gave up waiting at the busy hours (capacity)").format(share=pct(gave_up, 0))
        )
    if 0 < up < 0.97:
        causes.append(
            _("its systems were down {down} of the week (availability, continuity)").format(down=pct(1 - up))
            + (_(", and {share} of customers gave up waiting").format(share=pct(gave_up, 0)) if gave_up >= 0.05 else "")
        )
    if g("escalation_share") >= 0.3:
        causes.append(
            _("{share} of requests went to the second line (first-time fix)").format(
                share=pct(g("escalation_share"), 0)
            )
        )
    if g("breaches") >= 0.5 or g("breach") >= 0.5:
        causes.append(_("impostors were let through (security: verification)"))
    if causes:
        parts.append(_("What broke:") + " " + "; ".join(causes) + ".")
    return " ".join(parts)


# ---------------------------------------------------------------------------------- serving


def instructor_code_file(directory: Path) -> Path:
    return directory / "instructor-code.txt"


def instructor_code(directory: str | Path) -> str:
    """The instructor code of a games folder: made once, kept in a file only its owner reads."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    path = instructor_code_file(directory)
    if path.is_file():
        return path.read_text(encoding="utf-8").strip()
    code = _code(10)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(code + "\n")
    return code


def _address(host: str) -> str:
    """The address to give the class: this machine's address on its network when listening on all."""
    if host not in ("0.0.0.0", "::", ""):
        return host
    import socket

    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.255.255.255", 1))  # sends nothing: only picks the outgoing interface
            return probe.getsockname()[0]
    except OSError:
        return socket.gethostname()


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m simlib.classroom serve``: make (or reopen) a game, print its codes, run Voila."""
    import argparse
    import shutil

    parser = argparse.ArgumentParser(prog="python -m simlib.classroom", description="Serve the classroom game.")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="make a game (or reopen one), print the codes, serve the pages")
    serve.add_argument("--dir", default="games", help="the folder of the game files (default: games)")
    serve.add_argument("--host", default="127.0.0.1", help="the address to listen on (0.0.0.0: every network)")
    serve.add_argument("--port", type=int, default=8867)
    serve.add_argument("--game", default="", help="the code of a game to reopen (default: a new game)")
    serve.add_argument("--scenario", default="service-desk")
    serve.add_argument("--rounds", type=int, default=4)
    serve.add_argument("--seed", type=int, default=None, help="the game's seed (default: a random one)")
    serve.add_argument("--pages", default="notebooks", help="the folder with classroom-*.ipynb")
    serve.add_argument("--dry-run", action="store_true", help="make the game and print, but do not serve")
    args, voila_args = parser.parse_known_args(argv)

    directory = Path(args.dir).resolve()
    code_i = instructor_code(directory)
    try:
        if args.game:
            game = Game.open(game_path(directory, args.game))
        else:
            seed = args.seed if args.seed is not None else secrets.randbelow(10**6)
            while True:
                code = new_game_code()
                if not game_path(directory, code).exists():
                    break
            game = Game.create(
                game_path(directory, code), args.scenario, rounds=args.rounds, seed=seed, code=code,
                instructor_code=code_i,
            )  # fmt: skip
    except ValueError as err:
        print(f"classroom: {err}", file=sys.stderr)
        return 2
    pages = directory / "pages"
    pages.mkdir(exist_ok=True)
    for name in ("classroom-team.ipynb", "classroom-instructor.ipynb"):
        shutil.copyfile(Path(args.pages) / name, pages / name)
    shown = _address(args.host)
    base = f"http://{shown}:{args.port}/voila/render"
    print(
        f"Classroom game {game.code}: {game.base.name}, {game.rounds} rounds, seed {game.seed}\n"
        f"  teams:      {base}/classroom-team.ipynb?game={game.code}  game code:       {game.code}\n"
        f"  instructor: {base}/classroom-instructor.ipynb instructor code: {game.instructor_code}\n"
        f"  game file:  {game.path}",
        flush=True,
    )
    if args.host not in ("127.0.0.1", "localhost"):
        print(
            "  listening on every network: anyone who can reach this machine can open the pages and join as a "
            "team; only the instructor code closes rounds",
            flush=True,
        )
    game.close()
    if args.dry_run:
        return 0
    env = dict(os.environ, SIMLIB_CLASSROOM_DIR=str(directory))
    command = [
        sys.executable, "-m", "voila", "--no-browser", f"--port={args.port}", f"--Voila.ip={args.host}",
        f"--Voila.root_dir={pages}", "--MappingKernelManager.cull_idle_timeout=1800",
        "--MappingKernelManager.cull_interval=60", *voila_args,
    ]  # fmt: skip
    os.execve(sys.executable, command, env)
    return 0  # pragma: no cover


if __name__ == "__main__":
    sys.exit(main())
