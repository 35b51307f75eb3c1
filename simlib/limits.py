"""Limits: the work a run or an experiment asks for, estimated before anything runs.

A scenario is a few numbers, and a few keystrokes make it ask for years of work: a horizon
of ``1e9`` hours, ten million requests an hour, an outage every nanosecond. Rather than
find out by filling the machine's memory, :func:`simulate` and the experiment functions
estimate the work first and refuse (:func:`enforce`), with one message naming the fields that drive it::

    horizon x customers.external.rate gives about 1.0e+10 requests; the limit is 1e+07
    (set max_requests to raise it)

The estimates (:func:`estimate`):

- **requests**: ``horizon x rate`` for each customer group (its hourly profile included),
  the expected number of arrivals;
- **events**: the outages of each team (``horizon / (mtbf + mtrs)``, each a stop and a
  restart), the disruptions (``horizon x continuity.rate`` and the ``starts``) and the
  shift changes (two a day for a team not always on duty) and the containments of breaches;
- **memory**: bytes for each request (more with ``keep_requests``), each agent (a SimPy
  process), each disruption (a SimPy process from the start, however late it comes), each
  other event, and each hour of a demand profile, measured on the built-in scenarios (see
  ``tests/test_robust.py``). Every size a scenario can carry is counted: a list of a million
  ``continuity.starts`` is a million disruptions.

The default limits (:data:`DEFAULTS`) are generous: a run of ten million requests (a few
minutes) or an experiment of a billion requests in all (a few hours on one core).

Going past them, for someone who knows what they ask:

- ``simulate(sc, seed, limits={"max_requests": 1e8})``, or ``limits=False`` for none;
- ``with simlib.limits.raised(max_requests=1e8, max_total_requests=1e10): replicate(...)``;
- the environment variables ``SIMLIB_MAX_REQUESTS``, ``SIMLIB_MAX_EVENTS``,
  ``SIMLIB_MAX_MEMORY``, ``SIMLIB_MAX_RUNS``, ``SIMLIB_MAX_TOTAL_REQUESTS`` (a number each),
  or ``SIMLIB_LIMITS=off`` for none (``on``, or empty, for the limits; anything else is
  refused, not ignored);
- on the command line, ``--limit max_requests=1e8`` (or ``--no-limits``).
"""

from __future__ import annotations

import contextlib
import decimal
import math
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from simlib.validation import shown

if TYPE_CHECKING:  # pragma: no cover
    from simlib.scenario import Scenario

__all__ = [
    "DEFAULTS",
    "LimitError",
    "SizeEstimate",
    "current",
    "enforce",
    "enforce_experiment",
    "estimate",
    "number",
    "raised",
    "sci",
]

#: The default limits; see the module's docstring for the ways past them.
DEFAULTS: Mapping[str, float] = {
    "max_requests": 1e7,  # requests in one run: a few minutes, 2.4 GB without the requests table
    "max_events": 1e7,  # outages, disruptions and shift changes in one run
    "max_memory": 4e9,  # bytes one run may need
    "max_runs": 1e5,  # runs in one experiment (a sweep: points x runs)
    "max_total_requests": 1e9,  # requests in one experiment, all runs together
}
ENV = {name: f"SIMLIB_{name.upper()}" for name in DEFAULTS}
ENV_OFF = "SIMLIB_LIMITS"
_OFF_WORDS = ("off", "0", "no", "false", "none")
_ON_WORDS = ("", "on", "1", "yes", "true")

# Bytes of memory, measured on the built-in scenarios (python 3.11, numpy 2): a request
# costs about 250 bytes during a run and 500 once its table is kept; an agent is a SimPy
# process of about 850 bytes; an hour of a demand profile is about 32 bytes. A disruption is
# a SimPy process waiting from the start: with its start time and its record, about 1,150 bytes
# in all (measured with 1 million continuity.starts); other events (outages, shift changes) come one
# at a time and leave a record of about 200 bytes.
BYTES_PER_REQUEST = 320
BYTES_PER_KEPT_REQUEST = 640
BYTES_PER_AGENT = 1000
BYTES_PER_EVENT = 200
BYTES_PER_DISRUPTION = 950
BYTES_PER_PROFILE_HOUR = 48
BYTES_BASE = 100e6  # the interpreter, numpy and simpy

_raised: list[dict[str, float]] = []


class LimitError(ValueError):
    """A scenario or experiment asks for more work than a limit allows.

    ``drivers`` names the fields that drive the size, ``detail`` gives the estimate, and
    ``name`` is the limit (``max_requests``); :meth:`message` words the way past it.
    """

    def __init__(self, drivers: str, detail: str, limit: float, name: str) -> None:
        self.drivers, self.detail, self.limit, self.name = drivers, detail, limit, name
        super().__init__(self.message(f"set {name} to raise it"))

    def message(self, hint: str) -> str:
        """The one-line message, with ``hint`` saying how to raise the limit."""
        unit = " bytes" if self.name == "max_memory" else ""
        return f"{self.drivers} gives about {self.detail}; the limit is {sci(self.limit, 0)}{unit} ({hint})"


@dataclass(frozen=True)
class SizeEstimate:
    """The expected work of one run: requests, events and bytes, with what drives each."""

    requests: float
    events: float
    memory: float
    # (fields, amount[, what]) for each source, largest first
    request_sources: tuple[tuple[str, float], ...] = field(default=(), repr=False)
    event_sources: tuple[tuple[str, float, str], ...] = field(default=(), repr=False)
    memory_sources: tuple[tuple[str, float, str], ...] = field(default=(), repr=False)


def sci(x: float, digits: int = 1) -> str:
    """``1.0e10``, ``2e7``: a number in the short scientific form of the messages (any size of int)."""
    if isinstance(x, int):
        x = decimal.Decimal(x)
    elif math.isinf(x) or math.isnan(x):
        return str(x)
    mantissa, _, exponent = f"{x:.{digits}e}".partition("e")
    return f"{mantissa}e{int(exponent)}"


# --------------------------------------------------------------------------- the limits in force


def current(limits: Mapping[str, Any] | None = None) -> dict[str, float]:
    """The limits in force: the defaults, the environment, :func:`raised`, then ``limits``."""
    switch = os.environ.get(ENV_OFF, "").strip().lower()
    if switch in _OFF_WORDS:
        return dict.fromkeys(DEFAULTS, math.inf)
    if switch not in _ON_WORDS:
        raise ValueError(
            f"{ENV_OFF}: {shown(os.environ[ENV_OFF])} is not allowed; expected off (no limits on the work) or on"
        )
    out = dict(DEFAULTS)
    for name, var in ENV.items():
        text = os.environ.get(var)
        if text is not None and text.strip():
            out[name] = number(var, text.strip())
    for layer in _raised:
        out.update(layer)
    if limits is not None:
        out.update(_checked(limits, "limits"))
    return out


@contextlib.contextmanager
def raised(**limits: Any) -> Iterator[dict[str, float]]:
    """Raise (or lower) limits inside a ``with`` block: ``with raised(max_requests=1e8): ...``."""
    layer = _checked(limits, "raised")
    _raised.append(layer)
    try:
        yield current()
    finally:
        _raised.remove(layer)


def _checked(limits: Any, where: str) -> dict[str, float]:
    if not isinstance(limits, Mapping):
        raise ValueError(f"{where}: {shown(limits)} is not allowed; expected a mapping such as {{'max_requests': 1e8}}")
    out = {}
    for name, value in limits.items():
        if name not in DEFAULTS:
            raise ValueError(f"{where}: {shown(name)} is not a limit; expected some of {', '.join(DEFAULTS)}")
        out[name] = number(f"{where}.{name}", value)
    return out


def number(where: str, value: Any) -> float:
    """A limit's value: a number > 0, ``inf`` (or the words ``inf``, ``off``, ``none``) for none."""
    if isinstance(value, str):
        text = value.strip().lower()
        try:
            value = math.inf if text in ("inf", "off", "none") else float(text)
        except ValueError:
            raise ValueError(f"{where}: {shown(value)} is not a number; expected a number > 0, or inf") from None
    if isinstance(value, bool) or not hasattr(value, "__float__"):
        raise ValueError(f"{where}: {shown(value)} is not a number; expected a number > 0, or inf")
    try:
        number = float(value)
    except (OverflowError, TypeError, ValueError):
        number = math.inf if isinstance(value, int) and value > 0 else math.nan
    if not number > 0:
        raise ValueError(f"{where}: {shown(value)} is out of range; expected a number > 0, or inf")
    return number


# --------------------------------------------------------------------------- estimates


def _hours_weighted(profile: Sequence[float] | None, horizon: float) -> float:
    """The expected arrivals of a group of rate 1 over ``horizon``: its profile's hours, weighted."""
    if profile is None:
        return horizon
    top = max(float(w) for w in profile)
    weights = [float(w) / top for w in profile]  # relative to the largest: no underflow of the mean
    period = len(weights)  # 24 hours of the day, or 168 of the week
    mean = sum(weights) / period
    # whole periods, then the hours of the last, part period (the model's arrival process, in closed form)
    whole = math.floor(horizon / period)
    rest = horizon - period * whole
    part = sum(w * min(1.0, max(0.0, rest - h)) for h, w in enumerate(weights))
    return period * whole + part / mean


def _count(x: Any) -> float:
    try:
        return float(x)
    except OverflowError:
        return math.inf


def estimate(scenario: Scenario, *, keep_requests: bool = True) -> SizeEstimate:
    """The expected requests, events and memory (bytes) of one run of ``scenario``."""
    horizon = scenario.horizon
    requests = []
    memory = []  # (fields, bytes, what)
    for g in scenario.customers:
        requests.append((f"horizon x customers.{g.name}.rate", g.rate * _hours_weighted(g.profile, horizon)))
        if g.profile is not None and g.rate > 0:
            hours = math.ceil(horizon)
            memory.append(
                (f"horizon with customers.{g.name}.profile", hours * BYTES_PER_PROFILE_HOUR, f"{hours} hours")
            )
    n_requests = sum(n for _, n in requests)
    per = BYTES_PER_KEPT_REQUEST if keep_requests else BYTES_PER_REQUEST
    memory.append((_join(requests, n_requests), n_requests * per, f"{sci(n_requests)} requests"))

    events = []  # (fields, count, what)
    teams = [scenario.first_line]
    if scenario.has_second_line:
        teams.append(scenario.second_line)
    for team in teams:
        if team.has_outages:
            cycle = team.mtbf + team.mtrs
            events.append((f"horizon / ({team.line}.mtbf + {team.line}.mtrs)", horizon / cycle, "outages"))
        if tuple(team.hours) != (0.0, 24.0):
            events.append((f"horizon x {team.line}.hours", 2 * math.ceil(horizon / 24), "shift changes"))
        memory.append(
            (
                f"{team.line}.agents",
                _count(team.agents) * BYTES_PER_AGENT,
                f"{team.agents if team.agents < 1e6 else sci(team.agents)} agents",
            )
        )
    cont = scenario.continuity
    if cont.rate > 0:
        n = cont.rate * horizon
        events.append(("horizon x continuity.rate", n, "disruptions"))
        memory.append(("horizon x continuity.rate", n * BYTES_PER_DISRUPTION, f"{sci(n)} disruptions"))
    if cont.starts:
        n = len(cont.starts)
        events.append(("continuity.starts", n, "disruptions"))
        memory.append(("continuity.starts", n * BYTES_PER_DISRUPTION, f"{n:,} disruptions"))
    sec = getattr(scenario, "security", None)
    if sec is not None and sec.attacks > 0 and sec.containment > 0 and sec.targets:
        # each breach (an impostor not caught) stops the first line for the containment
        share = sum(g.rate * sum(v for t, v in g.mix.items() if t in sec.targets) for g in scenario.customers) / max(
            scenario.arrival_rate, 1e-300
        )
        breaches = n_requests * share * sec.attacks * (1 - sec.verification)
        events.append(("requests x security.attacks", breaches, "breaches"))
    n_events = sum(n for _, n, _ in events)
    memory.append(("the outages and disruptions", n_events * BYTES_PER_EVENT, f"{sci(n_events)} events"))
    return SizeEstimate(
        requests=n_requests,
        events=n_events,
        memory=BYTES_BASE + sum(b for _, b, _ in memory),
        request_sources=tuple(sorted(requests, key=lambda s: -s[1])),
        event_sources=tuple(sorted(events, key=lambda s: -s[1])),
        memory_sources=tuple(sorted(memory, key=lambda s: -s[1])),
    )


def _join(sources: Sequence[tuple[str, float]], total: float) -> str:
    """``horizon x customers.a.rate``, or ``horizon x (customers.a.rate + customers.b.rate)``."""
    big = [label for label, n in sorted(sources, key=lambda s: -s[1]) if n >= 0.1 * total] or [sources[0][0]]
    if len(big) == 1:
        return big[0]
    return "horizon x (" + " + ".join(label.removeprefix("horizon x ") for label in big) + ")"


# --------------------------------------------------------------------------- refusing


def enforce(
    scenario: Scenario, limits: Mapping[str, Any] | bool | None = None, *, keep_requests: bool = True
) -> SizeEstimate | None:
    """Refuse a run of ``scenario`` that asks for more than the limits; return its estimate.

    ``limits``: ``None`` for the limits in force (:func:`current`), a mapping to change
    some (``{"max_requests": 1e8}``), or ``False`` for none.
    """
    if limits is False:
        return None
    if limits is True:
        limits = None
    lim = current(limits)  # type: ignore[arg-type]
    est = estimate(scenario, keep_requests=keep_requests)
    if est.requests > lim["max_requests"]:
        drivers = _join(est.request_sources, est.requests)
        raise LimitError(drivers, f"{sci(est.requests)} requests", lim["max_requests"], "max_requests")
    if est.events > lim["max_events"]:
        label, n, what = est.event_sources[0]
        detail = f"{sci(n)} {what}" + ("" if n >= 0.99 * est.events else f" ({sci(est.events)} events in all)")
        raise LimitError(label, detail, lim["max_events"], "max_events")
    if est.memory > lim["max_memory"]:
        label, _, what = est.memory_sources[0]
        if label.endswith(".agents"):
            team = scenario.first_line if label.startswith("first") else scenario.second_line
            size = sci(team.agents * BYTES_PER_AGENT)  # exact, however many agents
        else:
            size = sci(est.memory)
        raise LimitError(label, f"{what}, {size} bytes of memory", lim["max_memory"], "max_memory")
    return est


def enforce_experiment(
    scenarios: Sequence[Scenario], runs: int, *, points: int | None = None, drivers: str = ""
) -> None:
    """Refuse an experiment (``runs`` runs of each scenario) that asks for more than the limits.

    Checks the number of runs first (``points`` x ``runs`` for a sweep, before its grid is
    built; ``drivers`` then names the grid's axes), then each scenario's run, then the
    requests of all runs together.
    """
    lim = current()
    n_points = len(scenarios) if points is None else points
    total_runs = _count(n_points) * _count(runs)
    if total_runs > lim["max_runs"]:
        drivers = (
            f"a grid of {drivers} x runs" if drivers else "runs" if n_points == 1 else f"{n_points} scenarios x runs"
        )
        raise LimitError(drivers, f"{sci(total_runs)} runs", lim["max_runs"], "max_runs")
    if points is not None and not scenarios:
        return
    total = 0.0
    for sc in scenarios:
        est = enforce(sc, keep_requests=False)
        total += est.requests * runs if est is not None else 0.0
    if total > lim["max_total_requests"]:
        drivers = f"{sci(total_runs, 0)} runs x about {sci(total / total_runs)} requests"
        raise LimitError(drivers, f"{sci(total)} requests in all", lim["max_total_requests"], "max_total_requests")
