"""What each lever costs a team for one round: the budget is the game's scarcity.

A service desk cannot have everything: more agents, training, investment in availability, a
continuity plan and verification of callers all cost money, and each round's budget only fits
the scenario's own settings and a little more (``BUDGET_FACTOR``). So a team has to choose what
to spend on: the utility levers (the catalogue, know-how) or the warranty levers (capacity,
first-time fix, speed, availability, continuity, security). Every price is one :class:`Price`
in :data:`PRICES`, by the lever's field in :mod:`simlib.levers`; a lever without a price is not
played. An agent costs what the scenario says an agent-hour costs, times the hours the first
line is on duty in the measured window (:func:`agent_price`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from simlib import levers as lever_table
from simlib.i18n import N_, _, translator
from simlib.scenario import Scenario

__all__ = ["BUDGET_FACTOR", "PRICES", "Price", "agent_price"]

BUDGET_FACTOR = 1.10  # the default budget: the cost of the scenario's own settings x this, rounded up


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


def agent_price(scenario: Scenario) -> float:
    """One first-line agent for the round: cost per agent-hour x hours on duty."""
    fl = scenario.first_line
    return fl.cost * fl.hours_on_duty(scenario.warmup, scenario.horizon)


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
