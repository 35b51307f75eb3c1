"""The service desk at work, as a SimPy discrete-event simulation.

Requests arrive from the customer groups and join the first line's queue. An agent who is
free takes the oldest request, unless its customer has run out of patience and left. The
agent handles it (the task, for a mean ``handling / skill`` hours: skill is speed). If the
first line holds the know-how the request is resolved; if only the second line does, it is
escalated there, handled in turn and resolved; if nobody in the service knows how, it is
closed unresolved. While a team's system is down (an outage, a major disruption of the whole
service, a breach being contained) or the team is off shift, its agents stop: work in hand
is paused and resumes when the team is back.

Some requests of the security targets' types come from impostors. The first line's check
lengthens the handling of every such request and catches a share of the impostors; a caught
one is refused (handled as usual), and one who gets through and is served is a breach.

Everything random about a request is drawn when it arrives, from its customer group's own
streams: its type, whether the service *can* resolve it (the know-how), whether the first
line holds that know-how, whether it is an impostor and would be caught, its customer's
patience and its handling times. So a request is the same request whatever the capacity,
first-line knowledge, skill or verification: comparisons between scenarios use common
random numbers, and no warranty lever moves utility.
"""

from __future__ import annotations

import itertools
import math
from array import array
from collections import deque
from collections.abc import Callable

import numpy as np
import simpy

from simlib import validation
from simlib.codes import Fate, Status, TeamCode
from simlib.draws import Draws, arrival_times, draw
from simlib.limits import enforce as enforce_limits
from simlib.parts import Team
from simlib.result import Record, Result, build_result
from simlib.scenario import Scenario

__all__ = ["simulate"]

# The codes of simlib.codes as plain ints: the agents' loop compares and stores them millions of times.
FIRST, SECOND = int(Fate.FIRST), int(Fate.SECOND)
OPEN, RESOLVED, UNRESOLVED = int(Status.OPEN), int(Status.RESOLVED), int(Status.UNRESOLVED)
ABANDONED, NOT_SUPPORTED = int(Status.ABANDONED), int(Status.NOT_SUPPORTED)
NO_TEAM, FIRST_LINE, SECOND_LINE = int(TeamCode.NONE), int(TeamCode.FIRST_LINE), int(TeamCode.SECOND_LINE)


class Line:
    """One team at work: a first-in-first-out queue of requests and the agents who take them.

    Each agent is a SimPy process (:meth:`agent`). The line can be *stopped* for several
    reasons at once (its system is down, a major disruption, a breach being contained, off
    shift): ``stopped`` counts them, and work goes on only when it is back to 0.
    """

    def __init__(
        self,
        run: Run,
        team: Team,
        handling: list[float],
        rng: np.random.Generator,
        take: Callable[[int], bool] | None = None,
    ) -> None:
        self.run = run
        self.take = take  # a rule of the line as it takes a request: False, and it is not handled
        self.env = run.env
        self.team = team
        self.handling = handling
        self.queue: deque[int] = deque()
        self.idle: list[simpy.Event] = []  # one event per idle agent, waiting for a request
        self.stopped = 0  # reasons not to work now: an outage, a disruption, a containment, off shift
        self.resumed: simpy.Event | None = None  # fires when the last reason to stop ends
        self.outages: list[tuple[float, float]] = []  # the team's system down: outages, disruptions, containments
        self.down_since: dict[int, float] = {}  # outages going on now, by key
        self.keys = itertools.count()
        self.working: dict[simpy.Process, float] = {}  # agents handling a request now: since when
        self.busy = 0.0  # agent-hours worked inside the measured window
        self.off_duty: list[tuple[float, float]] = []  # the team off shift: (start, end)
        self.duty = 0.0  # hours on duty inside the measured window (set by close)
        for _ in range(team.agents):
            self.env.process(self.agent())
        if team.has_outages:
            self.env.process(self.failures(rng))
        if team.has_shifts:
            self.env.process(self.shifts())

    def push(self, i: int) -> None:
        """Request ``i`` joins the queue; an idle agent, if any, wakes up to take it."""
        self.queue.append(i)
        if self.idle:
            self.idle.pop().succeed()

    def agent(self):
        """One agent's working life: take the oldest request, handle it, hand it on; repeat.

        1. With nothing queued the agent waits on an event of its own in ``idle``, which
           :meth:`push` fires.
        2. While the line is stopped the agent waits for ``resumed``, and looks again.
        3. The line's ``take`` rule, if it has one, may say the request is not to be handled
           (at the first line: its customer left, see :meth:`Run.take_first`); the agent
           then takes the next.
        4. Handling is a timeout of the time the request still needs (``remaining``). If the
           line stops meanwhile, :meth:`stop` interrupts the agent: the time worked so far is
           booked (``busy``), ``remaining`` shrinks by it, and the agent waits until the line
           resumes (a new stop may begin the very moment the last ends, hence the loop), then
           carries on with the rest of the same request. Work is paused, never lost or redone.
        5. When it is done, :meth:`Run.handled` decides what happens to the request next.
        """
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
            if self.take is not None and not self.take(i):
                continue
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
        """The team is on duty from ``hours[0]`` to ``hours[1]`` each day; work in hand waits for the next shift.

        The spans off duty are recorded: the hours on duty (for utilisation and cost) are
        the window less them, computed once, here (see :meth:`close`).
        """
        env = self.env
        start, end = self.team.hours
        day = 0.0
        if start > 0:
            yield from self.off_shift(start)
        while True:
            yield env.timeout(day + end - env.now)
            yield from self.off_shift(day + 24.0 + start - env.now)
            day += 24.0

    def off_shift(self, hours: float):
        t0 = self.env.now
        self.stop()
        self.off_duty.append((t0, math.inf))  # open until the shift starts again
        yield self.env.timeout(hours)
        self.off_duty[-1] = (t0, self.env.now)
        self.resume()

    def system_down(self) -> int:
        """The team's system goes down (an outage, a disruption, a containment): work stops.

        Returns the key of this outage, for :meth:`system_up`; outages may overlap.
        """
        key = next(self.keys)
        self.down_since[key] = self.env.now
        self.stop()
        return key

    def system_up(self, key: int) -> None:
        """Outage ``key`` is over: record its span, and resume if nothing else keeps the line stopped."""
        self.outages.append((self.down_since.pop(key), self.env.now))
        self.resume()

    def stop(self) -> None:
        """One more reason not to work. The first one interrupts every agent in the middle of a
        request (see :meth:`agent`) and creates the ``resumed`` event they will wait for; agents
        who are idle or about to take a request see ``stopped`` and wait for it too."""
        self.stopped += 1
        if self.stopped == 1:
            self.resumed = self.env.event()
            for proc in list(self.working):
                proc.interrupt()

    def resume(self) -> None:
        """One reason fewer; when none is left, ``resumed`` fires and every waiting agent carries on."""
        self.stopped -= 1
        if self.stopped == 0:
            self.resumed.succeed()

    def close(self, horizon: float) -> None:
        """Account for the work in hand, the outages going on and the hours on duty, at the horizon."""
        for t0 in self.working.values():
            self.busy += self.run.in_window(t0, horizon)
        self.outages.extend((t0, horizon) for t0 in self.down_since.values())
        off = sum(self.run.in_window(t0, min(t1, horizon)) for t0, t1 in self.off_duty)
        self.duty = self.run.in_window(0.0, horizon) - off


class Run:
    """One run of a scenario: the SimPy environment, both lines and the requests' records."""

    def __init__(self, sc: Scenario, draws: Draws, systems: list[np.random.Generator]) -> None:
        self.sc = sc
        self.env = simpy.Environment()
        n = draws.arrival.size
        self.warmup, self.horizon = sc.warmup, sc.horizon
        self.fate = draws.fate.tolist()
        # An impostor who would get through verification: fulfilling the request is a breach,
        # contained if containment takes time (a containment of 0 hours is no process).
        contained = sc.security.active and sc.security.containment > 0
        self.breaches = (draws.attack & ~draws.caught).tolist() if contained else None
        self.abandon_at = (draws.arrival + draws.patience).tolist()
        # Plain arrays of doubles: 8 bytes a request rather than a Python float each.
        self.start = array("d", [math.nan]) * n
        self.finish = array("d", [math.nan]) * n
        self.status = [OPEN] * n
        self.escalated = [False] * n
        self.team = [NO_TEAM] * n
        self.containments: list[float] = []  # when each breach was found and containment began
        self.first = Line(self, sc.first_line, draws.handling1.tolist(), systems[0], take=self.take_first)
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

    def take_first(self, i: int) -> bool:
        """The first line takes request ``i``: its handling starts now, unless its customer left."""
        if self.gave_up(i, self.env.now):
            return False
        self.start[i] = self.env.now
        return True

    def gave_up(self, i: int, now: float) -> bool:
        """Abandonment, decided here only: the customer of request ``i``, waiting for the first
        line, has run out of patience by ``now``; the request is abandoned when it ran out."""
        if self.abandon_at[i] > now:
            return False
        self.status[i] = ABANDONED
        self.finish[i] = self.abandon_at[i]
        return True

    def handled(self, line: Line, i: int) -> None:
        """``line`` has finished handling request ``i``: resolve it, escalate it, or close it unresolved.

        Who can resolve it was drawn at arrival (its fate). At the first line, a request the
        first line can resolve is resolved. One only the second line can resolve is escalated
        (it queues again there) if there is a second line, and closed unresolved if not. One
        that nobody in the service can resolve is closed unresolved by the first line: the
        desk's knowledge base shows that nobody knows how, so escalating it would only load
        the second line. So the know-how moves utility and hardly warranty, and the first
        line's share of it (first-time fix) moves warranty and not utility.
        An impostor's request that is resolved is a breach: containment stops the first line.
        """
        now = self.env.now
        fate = self.fate[i]
        if line is self.first:
            if fate == FIRST:
                self.status[i], self.finish[i], self.team[i] = RESOLVED, now, FIRST_LINE
            elif fate == SECOND and self.second is not None:
                self.escalated[i] = True
                self.second.push(i)
                return
            else:
                self.status[i], self.finish[i], self.team[i] = UNRESOLVED, now, FIRST_LINE
        else:
            self.status[i] = RESOLVED if fate == SECOND else UNRESOLVED
            self.finish[i], self.team[i] = now, SECOND_LINE
        if self.breaches is not None and self.breaches[i] and self.status[i] == RESOLVED:
            self.env.process(self.contain())

    def contain(self):
        """A breach: the first line's systems go down for the containment time."""
        hours = self.sc.security.containment
        self.containments.append(self.env.now)
        key = self.first.system_down()
        yield self.env.timeout(hours)
        self.first.system_up(key)

    def plan_disruptions(self, rng: np.random.Generator) -> list[float]:
        cont = self.sc.continuity
        starts = [s for s in cont.starts if s < self.horizon]
        if cont.rate > 0:
            starts += arrival_times(rng, cont.rate, None, self.horizon).tolist()
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
        for i in self.first.queue:  # still waiting at the horizon: some customers have left
            self.gave_up(i, self.horizon)
        for line in (self.first, self.second):
            if line is not None:
                line.close(self.horizon)
                line.handling = []  # kept in the draws; dropping the copy lightens long runs
        self.fate = []

    def record(self, draws: Draws) -> Record:
        """The run as plain arrays, for :func:`simlib.result.build_result`."""
        lines = [self.first] if self.second is None else [self.first, self.second]
        return Record(
            arrival=draws.arrival,
            group=draws.group,
            type=draws.type,
            fate=draws.fate,
            attack=draws.attack,
            caught=draws.caught,
            start=np.array(self.start),
            finish=np.array(self.finish),
            status=np.array(self.status, dtype=np.int8),
            team=np.array(self.team, dtype=np.int8),
            escalated=np.array(self.escalated, dtype=bool),
            busy=tuple(line.busy for line in lines),
            duty=tuple(line.duty for line in lines),
            outages=tuple(line.outages for line in lines),
            disruptions=np.array(self.disruptions, dtype=float),
            containments=np.array(self.containments, dtype=float),
        )


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
    validation.scenario("scenario", scenario)
    keep_requests = validation.flag("keep_requests", keep_requests)
    if seed is None:  # fresh entropy, recorded in the result so that the run can be repeated
        seed = int(np.random.SeedSequence().entropy)
    elif not isinstance(seed, np.random.SeedSequence):
        seed = validation.seed("seed", seed)
    enforce_limits(scenario, limits, keep_requests=keep_requests)
    draws, systems = draw(scenario, seed)
    run = Run(scenario, draws, systems)
    run.execute()
    return build_result(scenario, seed, run.record(draws), keep_requests=keep_requests)
