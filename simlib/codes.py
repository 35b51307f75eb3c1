"""The codes of the model, each defined once: outcomes, who can resolve, which team, run status.

A request's story is kept in small integer arrays while the simulation runs (a million
requests fit in a few megabytes). Each code has one name here, and every room that reads or
writes one imports it from here: this is the lowest room of the house, and imports nothing
of simlib.

- :class:`Outcome`: what the customer got, one per request (the order of :data:`OUTCOMES`).
- :class:`Fate`: who *can* resolve a request, drawn when it arrives: the first line, the
  second line, or nobody (the service lacks the know-how).
- :class:`Status`: what became of a request during the run, before it is classified into an
  outcome against its deadline.
- :class:`TeamCode`: which team closed a request (none, first line, second line).
- :class:`Distribution`: the handling-time distributions a request type may have.
"""

from __future__ import annotations

from enum import IntEnum

__all__ = ["DISTRIBUTIONS", "OUTCOMES", "TEAMS", "Distribution", "Fate", "Outcome", "Status", "TeamCode"]


class Outcome(IntEnum):
    """The outcome of a request: exactly one each (see :mod:`simlib.result`)."""

    ACHIEVED = 0  # resolved by its deadline, securely: the desired outcome
    LATE = 1  # resolved after its deadline
    ABANDONED = 2  # the customer gave up before work started
    UNRESOLVED = 3  # handled, but nobody in the service knew how to resolve it
    NOT_SUPPORTED = 4  # its type is not in the catalogue
    BREACH = 5  # an impostor's request that got through verification and was fulfilled
    OPEN = 6  # still in the system at the horizon


OUTCOMES: tuple[str, ...] = tuple(o.name.lower() for o in Outcome)


class Fate(IntEnum):
    """Who can resolve a request: drawn at arrival from the know-how and the first line's share of it."""

    FIRST = 0  # the first line holds the know-how: resolved without escalation
    SECOND = 1  # the service knows how, but only the second line: escalated
    NOBODY = 2  # the service lacks the know-how: not fit for purpose


class Status(IntEnum):
    """What became of a request during the run (its outcome is classified afterwards)."""

    OPEN = 0
    RESOLVED = 1
    UNRESOLVED = 2
    ABANDONED = 3
    NOT_SUPPORTED = 4


class TeamCode(IntEnum):
    """Which team closed a request."""

    NONE = 0
    FIRST_LINE = 1
    SECOND_LINE = 2


TEAMS: tuple[str, ...] = ("", "first_line", "second_line")  # by TeamCode, as the requests table shows them


class Distribution(IntEnum):
    """Handling-time distributions, all with mean 1 times the type's mean handling time."""

    EXPONENTIAL = 0  # memoryless: the M/M/c queue of theory
    DETERMINISTIC = 1  # always exactly the mean
    LOGNORMAL = 2  # right-skewed, with the type's coefficient of variation ``cv``


DISTRIBUTIONS: tuple[str, ...] = tuple(d.name.lower() for d in Distribution)
