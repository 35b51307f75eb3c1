"""The events an instructor picks for a round, each pushing one concept of utility and warranty.

A round is a week of the same service desk with something happening in it: a demand surge
(capacity), a new request type customers ask for (utility: the catalogue and know-how), an
attack wave (security), a major disruption (continuity), systems that fail more often
(availability). An :class:`Event` is the text the teams read, the lever that answers it (for
the debrief), and the scenario changes it makes; every team plays the round with those changes
and its own choices.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from simlib.classroom.choices import field_of
from simlib.i18n import N_
from simlib.scenario import Scenario

__all__ = ["EVENTS", "NEW_TYPE", "Event", "get_event"]


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
        return not self.needs or field_of(scenario.to_dict(), self.needs) is not None

    def apply(self, scenario: Scenario) -> Scenario:
        """The round's scenario: ``scenario`` with this event's changes."""
        changes = self.changes(scenario)
        return scenario.replace(**changes) if changes else scenario


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
    know_how = field_of(data, "know_how")
    if know_how is not None:  # the model of issue 9: know-how per type, first-time fix a share of it
        if not isinstance(know_how, Mapping):
            know_how = dict.fromkeys(sc.type_names, know_how)
        changes["know_how"] = {**know_how, name: 0.4}
        changes[f"first_line.knowledge.{name}"] = 0.3
    else:  # first line and second line each know a share
        changes[f"first_line.knowledge.{name}"] = 0.3
        if isinstance(field_of(data, "second_line.knowledge"), Mapping):
            changes[f"second_line.knowledge.{name}"] = 0.4
    return changes


def _attacks(sc: Scenario) -> dict[str, Any]:
    attacks = float(field_of(sc.to_dict(), "security.attacks") or 0.0)
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
