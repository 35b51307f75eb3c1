"""The concepts the kit teaches: the vocabulary of service management, in English and Dutch.

The kit was created from a short Dutch page on ITIL service management. Its core idea is
that a service delivers *value* to a customer, and value needs two things at once:
*utility* (the service can deliver the outcome at all: fit for purpose) and *warranty* (it
delivers it when it is needed: fit for use). A team's *capabilities* (capacity, knowledge
and skill) produce both. Warranty has parts of its own (availability, capacity, continuity and
*security*); security is not on the page, but the kit teaches it as one more concept.

Every notebook names the concepts it teaches in its metadata
(``nb.metadata["simlib"]["concepts"]``), using the names below; a test checks that together
the notebooks teach every one.

    >>> from simlib.concepts import concept
    >>> concept("warranty").dutch
    'warranty (zekerheid)'
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CONCEPTS", "SOURCE", "Concept", "concept", "names"]


@dataclass(frozen=True)
class Concept:
    """One concept: its name in the kit, the word on the Dutch source page, and its meaning here."""

    name: str
    dutch: str
    meaning: str


CONCEPTS: tuple[Concept, ...] = (
    Concept(
        "service management",
        "Service Management",
        "delivering value to customers in the form of services, using capabilities",
    ),
    Concept("service", "service", "a way to help a customer reach a desired outcome"),
    Concept(
        "desired outcome", "gewenst eindresultaat", "what a customer's request is for; achieved or not, per request"
    ),
    Concept("task", "taak", "the customer's own work, which the outcome makes possible; the service supports it"),
    Concept("constraint", "beperking", "what bounds the outcome: time (above all the deadline), money, rules"),
    Concept("capability: capacity", "capaciteit", "how much work can be done at once (agents, hours on shift)"),
    Concept(
        "capability: knowledge",
        "kennis",
        "what the service knows how to resolve (per request type), and where: the first line or the second",
    ),
    Concept("capability: skill", "kunde", "how well and how fast they do it (speed: handling time)"),
    Concept("value", "waarde", "outcomes achieved for the customer: needs utility AND warranty"),
    Concept("utility", "utility (bruikbaarheid)", "fit for purpose: the service can deliver this outcome at all"),
    Concept(
        "warranty",
        "warranty (zekerheid)",
        "fit for use: it delivers it when needed (available, enough capacity, continuous, secure)",
    ),
    Concept(
        "internal / external customer",
        "interne / externe klant",
        "customer inside / outside the organisation; a colleague can be one",
    ),
    Concept(
        "internal / external service",
        "interne / externe service",
        "a service to customers inside / outside the organisation; internal services support external ones",
    ),
    # Not on the source page, which names warranty but not its parts; ITIL counts security as
    # one of them (with availability, capacity and continuity), and the kit teaches it.
    Concept(
        "security",
        "beveiliging",
        "the part of warranty that keeps outcomes safe: callers are verified, and a request "
        "fulfilled for an impostor is a breach, not a desired outcome",
    ),
)
SOURCE = tuple(c.name for c in CONCEPTS[:-1])  # the concepts the Dutch source page names itself


def names() -> tuple[str, ...]:
    """The names of every concept, in the order of the table."""
    return tuple(c.name for c in CONCEPTS)


def concept(name: str) -> Concept:
    """The concept called ``name``; a ValueError names the allowed ones if there is none."""
    for c in CONCEPTS:
        if c.name == name:
            return c
    raise ValueError(f"concept: {name!r} is not a concept of the kit; expected one of {', '.join(names())}")
