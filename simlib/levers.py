"""The levers a learner may move, and the half of value each one moves.

This is the kit's central lesson in one table. Every lever stands for one concept and moves
the half of value it stands for:

- the **utility** levers decide whether the service *can* deliver an outcome at all: the
  catalogue (which request types it supports) and the service's know-how (what any line of it
  knows how to resolve);
- the **warranty** levers decide whether it delivers the outcome *when needed*: capacity
  (agents, hours on shift), skill (speed), knowledge in the right place (first-time fix),
  availability (MTBF, MTRS), continuity (recovery after a major disruption) and security
  (verification of the callers who ask for a password reset or access).

Whether a request is fit for purpose is drawn when it arrives, so under the same seed no
warranty lever moves utility. The dashboards, the classroom game and the handout all read
this table; none of them types a lever twice.

    >>> from simlib.levers import lever
    >>> lever("security.verification").half
    'warranty'
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["LEVERS", "Lever", "lever", "names"]


@dataclass(frozen=True)
class Lever:
    """One lever: the scenario field it sets, what a learner sees, and what it teaches."""

    name: str  # the dotted scenario field (``Scenario.replace``)
    label: str  # what a learner sees on a slider
    concept: str  # the concept it stands for
    half: str  # "utility" or "warranty": the half of value it moves
    kind: str  # "whole", "number", "share", "types" (a list of request types), "hours" (a daily shift)
    low: float | None
    high: float | None
    step: float | None
    unit: str
    meaning: str


LEVERS: tuple[Lever, ...] = (
    Lever(
        "catalogue", "Catalogue", "utility", "utility", "types", None, None, None, "",
        "which request types the service supports; a request outside it is not supported",
    ),
    Lever(
        "know_how", "Know-how", "knowledge", "utility", "share", 0.0, 1.0, 0.05, "",
        "the share of requests the service as a whole (any line) knows how to resolve",
    ),
    Lever(
        "first_line.knowledge", "First-time fix", "knowledge in the right place", "warranty", "share",
        0.0, 1.0, 0.05, "",
        "the share of the know-how the first line holds itself; the rest waits for the second line",
    ),
    Lever(
        "first_line.agents", "Agents", "capacity", "warranty", "whole", 1, 30, 1, "agents",
        "how many first-line agents work at once",
    ),
    Lever(
        "first_line.hours", "Hours on shift", "capacity", "warranty", "hours", 0.0, 24.0, 1.0, "h",
        "the hours of the day the first line is on duty",
    ),
    Lever(
        "first_line.skill", "Skill (speed)", "skill", "warranty", "number", 0.5, 2.0, 0.05, "x",
        "how fast the first line works: 2 handles a request in half the time (higher is better)",
    ),
    Lever(
        "first_line.mtbf", "MTBF", "availability", "warranty", "number", 10.0, 500.0, 5.0, "h",
        "mean time between failures of the desk's systems (higher is better)",
    ),
    Lever(
        "first_line.mtrs", "MTRS", "availability", "warranty", "number", 0.25, 12.0, 0.25, "h",
        "mean time to restore the desk's systems after a failure (lower is better)",
    ),
    Lever(
        "continuity.recovery", "Recovery time", "continuity", "warranty", "number", 0.5, 24.0, 0.5, "h",
        "hours to recover from a major disruption (lower is better)",
    ),
    Lever(
        "security.verification", "Verification", "security", "warranty", "share", 0.0, 1.0, 0.05, "",
        "the share of impostors the first line's checks catch; the checks take time on every request they cover",
    ),
)  # fmt: skip


def names() -> tuple[str, ...]:
    """The scenario field of every lever, in the order of the table."""
    return tuple(lv.name for lv in LEVERS)


def lever(name: str) -> Lever:
    """The lever that sets field ``name``; a ValueError names the allowed ones if there is none."""
    for lv in LEVERS:
        if lv.name == name:
            return lv
    raise ValueError(f"lever: {name!r} is not a lever of the kit; expected one of {', '.join(names())}")
