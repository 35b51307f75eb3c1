"""The service desk at work, as a SimPy discrete-event simulation.

Requests arrive from the customer groups and join the first line's queue. An agent who is
free takes the oldest request, unless its customer has run out of patience and left. The
agent handles it (the task); if the first line has the knowledge the request is resolved,
otherwise it is escalated to the second line, which handles it in turn and resolves it or
not. While a team's system is down (an outage, or a major disruption of the whole service)
its agents stop: work in hand is paused and resumes when the system is restored.

Everything random about a request is drawn when it arrives, from its customer group's own
streams: its type, whether it *can* be resolved (first line, second line or not at all),
its customer's patience and its handling times. So a request is the same request whatever
the capacity, knowledge or skill: comparisons between scenarios use common random numbers.
"""

from __future__ import annotations

import itertools
import math
from array import array
from collections import deque
from dataclasses import dataclass

import numpy as np
import simpy

from simlib.limits import check as check_limits
from simlib.result import Result, build_result
from simlib.scenario import Scenario, Team

__all__ = ["simulate"]

# What became of a request during the run (the outcome proper is classified afterwards).
OPEN, RESOLVED, UNRESOLVED, ABANDONED, NOT_SUPPORTED = 0, 1, 2, 3, 4
# Who can resolve it: drawn at arrival.
FIRST, SECOND, NOBODY = 0, 1, 2


@dataclass
class Draws:
    """Everything random about the run's requests, sorted by arrival time."""

    arrival: np.ndarray
    group: np.ndarray
    type: np.ndarray
    fate: np.ndarray  # FIRST, SECOND or NOBODY
    patience: np.ndarray
    handling1: np.ndarray  # hours at the first line (with skill)
    handling2: np.ndarray  # hours at the second line (with skill)


def _arrival_times(rng: np.random.Generator, rate: float, profile, horizon: float) -> np.ndarray:
    """A Poisson process on [0, horizon): constant rate, or piecewise constant per hour."""
    if rate == 0:
        return np.empty(0)
    if profile is None:
        n = rng.poisson(rate * horizon)
        return np.sort(rng.uniform(0.0, horizon, n))
    weights = np.asarray(profile, dtype=float)
    weights = weights / weights.mean()
    starts = np.arange(math.ceil(horizon), dtype=float)
    lengths = np.minimum(starts + 1.0, horizon) - starts
    counts = rng.poisson(rate * weights[starts.astype(int) % 24] * lengths)
    times = np.repeat(starts, counts) + rng.uniform(0.0, 1.0, counts.sum()) * np.repeat(lengths, counts)
    return np.sort(times)


def _unit_handling(rng: np.random.Generator, n: int, distribution: np.ndarray, cv: np.ndarray) -> np.ndarray:
    """Handling-time multipliers with mean 1, by each request's type distribution."""
    expo = rng.standard_exponential(n)
    normal = rng.standard_normal(n)
    sigma = np.sqrt(np.log1p(cv**2))
    lognormal = np.exp(sigma * normal - sigma**2 / 2)
    return np.select([distribution == 0, distribution == 1], [expo, np.ones(n)], lognormal)


def draw(sc: Scenario, seed: int | np.random.SeedSequence | None) -> tuple[Draws, list[np.random.Generator]]:
    """Draw every request of a run, and the streams for the teams' outages and disruptions.

    Each customer group has its own streams (spawned from ``seed`` in the group's order),
    so changing one group's demand leaves the other groups' requests as they were.
    """
    if isinstance(seed, np.random.SeedSequence):  # a fresh copy: spawning changes the one given
        root = np.random.SeedSequence(seed.entropy, spawn_key=seed.spawn_key, pool_size=seed.pool_size)
    else:
        root = np.random.SeedSequence(seed)
    groups_seq, systems_seq = root.spawn(2)
    type_index = {t.name: i for i, t in enumerate(sc.types)}
    dist_code = {"exponential": 0, "deterministic": 1, "lognormal": 2}
    t_dist = np.array([dist_code[t.distribution] for t in sc.types])
    t_cv = np.array([t.cv for t in sc.types])
    t_h1 = np.array([t.handling for t in sc.types]) * sc.first_line.skill
    second = sc.second_line
    t_h2 = np.array([t.second_line_handling for t in sc.types]) * (second.skill if second else 1.0)
    k1 = np.array([sc.first_line.knowledge.get(t, 0.0) for t in sc.type_names])
    k2 = (
        np.array([second.knowledge.get(t, 0.0) for t in sc.type_names])
        if sc.has_second_line
        else np.zeros(len(sc.types))
    )

    parts = []
    for g, (group, seq) in enumerate(zip(sc.customers, groups_seq.spawn(len(sc.customers)))):
        r_arr, r_type, r_fate, r_pat, r_hand = (np.random.default_rng(s) for s in seq.spawn(5))
        arrival = _arrival_times(r_arr, group.rate, group.profile, sc.horizon)
        n = arrival.size
        mix_types = np.array([type_index[t] for t in group.mix])
        types = mix_types[r_type.choice(len(mix_types), size=n, p=np.array(list(group.mix.values())))]
        u = r_fate.random((2, n))
        fate = np.where(u[0] < k1[types], FIRST, np.where(u[1] < k2[types], SECOND, NOBODY))
        patience = (
            r_pat.standard_exponential(n) * group.patience if not math.isinf(group.patience) else np.full(n, math.inf)
        )
        h1 = _unit_handling(r_hand, n, t_dist[types], t_cv[types]) * t_h1[types]
        h2 = _unit_handling(r_hand, n, t_dist[types], t_cv[types]) * t_h2[types]
        parts.append([arrival, np.full(n, g), types, fate, patience, h1, h2])
    # Merge the groups by arrival time one column at a time, letting go of each group's part
    # as it goes: a run of a million requests holds little more than one copy of its draws.
    order = np.argsort(np.concatenate([p[0] for p in parts]), kind="stable")
    draws = Draws(*(np.concatenate([p.pop(0) for p in parts])[order] for _ in range(len(parts[0]))))
    systems = [np.random.default_rng(s) for s in systems_seq.spawn(3)]  # first, second, continuity
    return draws, systems


class Line:
    """One team at work: a first-in-first-out queue of requests and the agents who take them."""

    def __init__(self, run: Run, team: Team, handling: list[float], rng: np.random.Generator) -> None:
        self.run = run
        self.env = run.env
        self.team = team
        self.handling = handling
        self.queue: deque[int] = deque()
        self.idle: list[simpy.Event] = []
        self.stopped = 0  # reasons not to work now: an outage, a disruption, off shift
        self.resumed: simpy.Event | None = None
        self.outages: list[tuple[float, float]] = []  # the team's system down: outages and disruptions
        self.down_since: dict[int, float] = {}  # outages going on now, by key
        self.keys = itertools.count()
        self.working: dict[simpy.Process, float] = {}
        self.busy = 0.0  # agent-hours worked inside the measured window
        for _ in range(team.agents):
            self.env.process(self.agent())
        if team.has_outages:
            self.env.process(self.failures(rng))
        if team.hours != (0.0, 24.0):
            self.env.process(self.shifts())

    def push(self, i: int) -> None:
        self.queue.append(i)
        if self.idle:
            self.idle.pop().succeed()

    def agent(self):
        env, queue, run = self.env, self.queue, self.run
        me = env.active_process
        while True:
            while not queue:
                wake = env.event()
                self.idle.append(wake)
                yield wake
            if self.stopped:
                yield self.resumed
                continue
            i = queue.popleft()
            if run.first is self:
                if run.abandon_at[i] <= env.now:
                    run.status[i] = ABANDONED
                    run.finish[i] = run.abandon_at[i]
                    continue
                run.start[i] = env.now
            remaining = self.handling[i]
            while True:
                t0 = env.now
                self.working[me] = t0
                try:
                    yield env.timeout(remaining)
                except simpy.Interrupt:
                    del self.working[me]
                    self.busy += run.in_window(t0, env.now)
                    remaining -= env.now - t0
                    while self.stopped:  # a new stop may begin the moment the last one ends
                        yield self.resumed
                    continue
                del self.working[me]
                self.busy += run.in_window(t0, env.now)
                break
            run.handled(self, i)

    def failures(self, rng: np.random.Generator):
        """The team's system fails after a mean MTBF and is restored after a mean MTRS."""
        env = self.env
        while True:
            yield env.timeout(rng.exponential(self.team.mtbf))
            key = self.system_down()
            yield env.timeout(rng.exponential(self.team.mtrs))
            self.system_up(key)

    def shifts(self):
        """The team is on duty from ``hours[0]`` to ``hours[1]`` each day; work in hand waits for the next shift."""
        env = self.env
        start, end = self.team.hours
        day = 0.0
        if start > 0:
            self.stop()
            yield env.timeout(start)
            self.resume()
        while True:
            yield env.timeout(day + end - env.now)
            self.stop()
            yield env.timeout(day + 24.0 + start - env.now)
            self.resume()
            day += 24.0

    def system_down(self) -> int:
        """The team's system goes down (an outage or a disruption): work stops."""
        key = next(self.keys)
        self.down_since[key] = self.env.now
        self.stop()
        return key

    def system_up(self, key: int) -> None:
        self.outages.append((self.down_since.pop(key), self.env.now))
        self.resume()

    def stop(self) -> None:
        self.stopped += 1
        if self.stopped == 1:
            self.resumed = self.env.event()
            for proc in list(self.working):
                proc.interrupt()

    def resume(self) -> None:
        self.stopped -= 1
        if self.stopped == 0:
            self.resumed.succeed()

    def close(self, horizon: float) -> None:
        """Account for the work in hand and the outages going on at the horizon."""
        for t0 in self.working.values():
            self.busy += self.run.in_window(t0, horizon)
        self.outages.extend((t0, horizon) for t0 in self.down_since.values())


class Run:
    """One run of a scenario: the SimPy environment, both lines and the requests' records."""

    def __init__(self, sc: Scenario, draws: Draws, systems: list[np.random.Generator]) -> None:
        self.sc = sc
        self.env = simpy.Environment()
        n = draws.arrival.size
        self.warmup, self.horizon = sc.warmup, sc.horizon
        self.fate = draws.fate.tolist()
        self.abandon_at = (draws.arrival + draws.patience).tolist()
        # Plain arrays of doubles: 8 bytes a request rather than a Python float each.
        self.start = array("d", [math.nan]) * n
        self.finish = array("d", [math.nan]) * n
        self.status = [OPEN] * n
        self.escalated = [False] * n
        self.team = [0] * n  # 1: resolved or closed by the first line, 2: by the second
        self.first = Line(self, sc.first_line, draws.handling1.tolist(), systems[0])
        self.second = Line(self, sc.second_line, draws.handling2.tolist(), systems[1]) if sc.has_second_line else None
        supported = np.isin(draws.type, [sc.type_names.index(t) for t in sc.catalogue])
        for i in np.flatnonzero(~supported).tolist():
            self.status[i] = NOT_SUPPORTED
            self.finish[i] = float(draws.arrival[i])
        idx = np.flatnonzero(supported)
        self.env.process(self.arrivals(draws.arrival[idx], idx))
        self.disruptions = self.plan_disruptions(systems[2])
        for start in self.disruptions:
            self.env.process(self.disruption(start))

    def in_window(self, t0: float, t1: float) -> float:
        return max(0.0, t1 - max(t0, self.warmup))

    def arrivals(self, times: np.ndarray, ids: np.ndarray, chunk: int = 4096):
        """Each request joins the first line's queue at its arrival time.

        The times are turned into Python numbers a chunk at a time, so that a run of a
        million requests does not hold a second copy of them all (see benchmarks/bench_memory.py).
        """
        env, first = self.env, self.first
        for lo in range(0, len(ids), chunk):
            for t, i in zip(times[lo : lo + chunk].tolist(), ids[lo : lo + chunk].tolist()):
                yield env.timeout(t - env.now)
                first.push(i)

    def handled(self, line: Line, i: int) -> None:
        now = self.env.now
        fate = self.fate[i]
        if line is self.first:
            if fate == FIRST:
                self.status[i], self.finish[i], self.team[i] = RESOLVED, now, 1
            elif self.second is not None:
                self.escalated[i] = True
                self.second.push(i)
            else:
                self.status[i], self.finish[i], self.team[i] = UNRESOLVED, now, 1
        else:
            self.status[i] = RESOLVED if fate == SECOND else UNRESOLVED
            self.finish[i], self.team[i] = now, 2

    def plan_disruptions(self, rng: np.random.Generator) -> list[float]:
        cont = self.sc.continuity
        starts = [s for s in cont.starts if s < self.horizon]
        if cont.rate > 0:
            starts += _arrival_times(rng, cont.rate, None, self.horizon).tolist()
        return sorted(starts)

    def disruption(self, start: float):
        lines = [line for line in (self.first, self.second) if line is not None]
        yield self.env.timeout(start)
        keys = [line.system_down() for line in lines]
        yield self.env.timeout(self.sc.continuity.recovery)
        for line, key in zip(lines, keys):
            line.system_up(key)

    def execute(self) -> None:
        self.env.run(until=self.horizon)
        for line in (self.first, self.second):
            if line is not None:
                line.close(self.horizon)
                line.handling = []  # kept in the draws; dropping the copy lightens long runs
        self.fate = []


def simulate(
    scenario: Scenario,
    seed: int | np.random.SeedSequence | None = None,
    *,
    keep_requests: bool = True,
    limits: dict | bool | None = None,
) -> Result:
    """Run ``scenario`` once and return its :class:`~simlib.result.Result`.

    The same scenario and seed give the same numbers, in any process. With
    ``keep_requests=False`` the result keeps its measures but not the per-request table.
    A run that would ask for more work than :mod:`simlib.limits` allows is refused before it
    starts; ``limits={"max_requests": 1e8}`` raises a limit, ``limits=False`` lifts them all.
    """
    if not isinstance(scenario, Scenario):
        raise ValueError(
            f"scenario: {type(scenario).__name__} is not allowed; expected a Scenario (see simlib.load_scenario)"
        )
    if seed is None:  # fresh entropy, recorded in the result so that the run can be repeated
        seed = int(np.random.SeedSequence().entropy)
    elif not isinstance(seed, np.random.SeedSequence):
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
            raise ValueError(f"seed: {seed!r} is not allowed; expected a whole number >= 0")
        seed = int(seed)
    check_limits(scenario, limits, keep_requests=keep_requests)
    draws, systems = draw(scenario, seed)
    run = Run(scenario, draws, systems)
    run.execute()
    return build_result(scenario, seed, draws, run, keep_requests=keep_requests)
