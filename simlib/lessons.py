"""What the class-path lessons show: the model's answers in plain words, from paired runs.

The class path shows no code: each of its cells calls one function here, which runs the
model and prints what it found, or draws a picture, and returns the numbers, so that
``tests/test_class_claims.py`` holds each sentence of the lessons to them.

Every difference is measured the same way: the same :data:`RUNS` simulated weeks, run with
and without the change (:func:`simlib.compare`), so that the luck of the weeks cancels. The
printout gives the mean change and, in brackets, the range in which the true change lies 19
times in 20 (the 95% confidence interval), in words a first-year student reads.

    >>> from simlib import lessons, load_scenario
    >>> desk = load_scenario("service-desk")
    >>> found = lessons.changes(desk, {"4 agents": desk.replace(**{"first_line.agents": 4})})  # doctest: +SKIP
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np

from simlib import plots, theory
from simlib.experiments import compare, replicate
from simlib.i18n import N_, _, translator
from simlib.levers import LEVERS
from simlib.model import simulate
from simlib.plots import pct
from simlib.scenario import Scenario
from simlib.stats import Estimate, estimate

__all__ = [
    "LEVER_CHANGES",
    "RUNS",
    "SEED",
    "TITLES",
    "arrivals",
    "catalogue",
    "changes",
    "constraints",
    "disruptions",
    "escalation_times",
    "impostors",
    "in_words",
    "lever_table",
    "one_week",
    "second_line",
    "service_levels",
    "together",
]

RUNS = 20  # the simulated weeks behind every difference the class path states
SEED = 1

# How a measure reads in the printouts (shares change by percentage points; counts by a number a week).
LABELS = {
    "utility": N_("utility"),
    "warranty": N_("warranty"),
    "value": N_("value"),
    "escalations": N_("requests sent on to the second line, a week"),
    "breaches": N_("breaches (impostors helped), a week"),
    "utilisation.first_line": N_("share of time the first line is busy"),
    "utilisation.second_line": N_("share of time the second line is busy"),
    "utility.external": N_("external customers: utility"),
    "attainment.external": N_("external customers: SLA attainment (their warranty)"),
    "value.external": N_("external customers: value"),
}
COUNTS = ("escalations", "breaches")
# The changes the lessons name, marked for translation: :func:`changes` prints each title through ``_``.
TITLES = (
    N_("password resets needed within 15 minutes, not 2 hours"),
    N_("bigger catalogue"),
    N_("less know-how"),
    N_("fewer agents"),
    N_("less first-time fix"),
    N_("a slower first line"),
    N_("a disruption Tuesday 03:00"),
    N_("a disruption Tuesday 10:00"),
    N_("the same disruption at 10:00 instead of 03:00"),
    N_("checking every caller"),
    N_("no second line"),
    N_("one second-line agent instead of two"),
    N_("four second-line agents instead of two"),
)
WHO = {"external": N_("another organisation"), "internal": N_("colleagues")}

# Each lever of the lever table, set a little worse (verification: better) than the desk as it is.
LEVER_CHANGES: dict[str, dict] = {
    "catalogue": {
        "catalogue": ["password-reset", "incident", "access-request", "software-install", "hardware-repair"],
        "know_how.hardware-repair": 0.9,
    },
    "know_how": {"know_how": 0.8},
    "first_line.knowledge": {"first_line.knowledge": 0.5},
    "first_line.agents": {"first_line.agents": 4},
    "first_line.hours": {"first_line.hours": [8, 18]},
    "first_line.skill": {"first_line.skill": 0.8},
    "first_line.mtbf": {"first_line.mtbf": 20.0},
    "first_line.mtrs": {"first_line.mtrs": 6.0},
    "continuity.recovery": {"continuity.recovery": 12.0},
    "security.verification": {"security.verification": 1.0},
}


def _amount(name: str, x: float) -> str:
    """A change of measure ``name``, without its sign: percentage points for a share, a number for a count."""
    return translator().number(abs(x) if name in COUNTS else abs(x) * 100, 1, grouping=False)


def in_words(name: str, d: Estimate) -> str:
    """A paired difference in plain words: rises, falls, no clear change, or no change in any week."""
    unit = "" if name in COUNTS else " " + _("points")
    if d.low == d.high == 0:
        return _("no change in any week")
    if d.low > 0 or d.high < 0:
        low, high = (_amount(name, x) for x in sorted((abs(d.low), abs(d.high))))
        text = (
            _("rises by {amount}{unit} (between {low} and {high})")
            if d.low > 0
            else _("falls by {amount}{unit} (between {low} and {high})")
        )
        return text.format(amount=_amount(name, d.mean), unit=unit, low=low, high=high)
    return _("no clear change (between {low} and {high}{unit})").format(
        low=_signed(name, d.low), high=_signed(name, d.high), unit=unit
    )


def _signed(name: str, x: float) -> str:
    return ("+" if x > 0 else "-" if x < 0 else "") + _amount(name, x)


def _header() -> None:
    print(
        _("The same {runs} simulated weeks, run with and without each change.").format(runs=RUNS)
        + "\n"
        + _("Points are percentage points; in brackets, where the true change lies 19 times in 20.")
    )


def changes(
    base: Scenario,
    variants: Mapping[str, Scenario],
    names: Sequence[str] = ("utility", "warranty", "value"),
    *,
    header: bool = True,
) -> dict[str, dict[str, Estimate]]:
    """Print what each variant changes against ``base`` on the same weeks; return the differences.

    ``variants``: by title, in English (the keys of the result); a title of :data:`TITLES` is
    printed in the language in force.
    """
    if header:
        _header()
    found = {}
    for title, sc in variants.items():
        c = compare(base, sc, runs=RUNS, seed=SEED, measures=list(names))
        found[title] = {n: c.difference(n) for n in names}
        print(f"\n{_(title)}:")
        for n in names:
            print(f"  {_(LABELS.get(n, n))}: {in_words(n, found[title][n])}")
    return found


def together(base: Scenario, one: Scenario, other: Scenario, both: Scenario, name: str = "value") -> dict:
    """Two changes, each alone and both at once: is the loss of both the sum of the two losses?

    Prints each loss and what both lose beyond (or short of) the sum, all on the same weeks;
    returns the paired differences ``one``, ``other``, ``both`` and ``beyond`` (``both`` minus
    the sum of the other two: positive when both together lose less than the sum).
    """
    pairs = {"one": one, "other": other, "both": both}
    runs = {k: compare(base, sc, runs=RUNS, seed=SEED, measures=[name]) for k, sc in pairs.items()}
    per_week = {k: c.b.column(name) - c.a.column(name) for k, c in runs.items()}
    found = {k: estimate(name, v) for k, v in per_week.items()}
    found["beyond"] = estimate(name, per_week["both"] - per_week["one"] - per_week["other"])
    _header()
    summed = found["one"].mean + found["other"].mean
    print("\n" + _("value lost to each change alone, added up: {sum} points").format(sum=_amount(name, summed)))
    print(_("value lost to both changes at once:         {both} points").format(both=_amount(name, found["both"].mean)))
    b = found["beyond"]
    low, high = sorted((abs(b.low), abs(b.high)))
    span = {"amount": _amount(name, b.mean), "low": _amount(name, low), "high": _amount(name, high)}
    if b.low > 0:
        print(_("both at once lose {amount} points less than the two added up (between {low} and {high})").format(
            **span))  # fmt: skip
    elif b.high < 0:
        print(_("both at once lose {amount} points more than the two added up (between {low} and {high})").format(
            **span))  # fmt: skip
    else:
        print(_("both at once lose about what the two added up lose (no clear difference)"))
    return found


def one_week(scenario: Scenario, seed: int = SEED) -> dict[str, float]:
    """One simulated week: utility, warranty and value in words, and their picture."""
    result = simulate(scenario, seed=seed)
    m = result.measures
    print(_("Utility  {u}: the share of requests the service can do at all (fit for purpose)").format(
        u=pct(m["utility"])))  # fmt: skip
    print(_("Warranty {w}: of those, the share done in time and safely (fit for use)").format(w=pct(m["warranty"])))
    print(_("Value    {v}: the share of requests that got their desired outcome").format(v=pct(m["value"])))
    plots.measures(result)
    plt.show()
    return {k: m[k] for k in ("utility", "warranty", "value")}


def lever_table(desk: Scenario) -> dict[str, tuple[Estimate, Estimate]]:
    """Every lever, set a little worse (verification better), against the desk on the same weeks.

    Prints the lever, what it stands for, the half it acts on, and the change in utility and
    in warranty; returns ``{lever: (utility, warranty)}``.
    """
    _header()
    found = {}
    for lv in LEVERS:
        changed = desk.replace(**LEVER_CHANGES[lv.name])
        c = compare(desk, changed, runs=RUNS, seed=SEED, measures=["utility", "warranty"])
        found[lv.name] = du, dw = c.difference("utility"), c.difference("warranty")
        said = {"lever": _(lv.label), "concept": _(lv.concept), "half": _(lv.half)}
        print("\n" + _("{lever}: {concept}, acts on {half}").format(**said))
        print(f"  {_('utility')}: {in_words('utility', du)}")
        print(f"  {_('warranty')}: {in_words('warranty', dw)}")
    return found


def escalation_times(desk: Scenario) -> dict:
    """How much longer an escalated request takes than one the first line resolves, week by week.

    In each of :data:`RUNS` weeks, the median time to outcome of the resolved requests the
    first line handled alone and of those escalated; prints the medians and the difference
    (escalated minus first line, in minutes, paired within the week) and draws one week's
    times; returns the mean medians in minutes (``first``, ``escalated``) and the difference (``longer``).
    """
    first, escalated = [], []
    for week in range(RUNS):
        res = simulate(desk, seed=SEED + week)
        done = res.requests[np.isin(res.requests["outcome"], ["achieved", "late"])]
        first.append(np.median(done["time_in_system"][~done["escalated"]]))
        escalated.append(np.median(done["time_in_system"][done["escalated"]]))
        if week == 0:
            shown = done
    d = estimate("minutes", 60 * (np.array(escalated) - np.array(first)))
    found = {"first": 60 * float(np.mean(first)), "escalated": 60 * float(np.mean(escalated)), "longer": d}
    print(_("Median time to outcome, over {runs} simulated weeks:").format(runs=RUNS))
    whole = functools.partial(translator().number, digits=0, grouping=False)
    print("  " + _("resolved by the first line:   {m} minutes").format(m=whole(found["first"])))
    print("  " + _("escalated to the second line: {m} minutes").format(m=whole(found["escalated"])))
    print("  " + _("escalated takes longer by {m} minutes (between {low} and {high})").format(
        m=whole(d.mean), low=whole(d.low), high=whole(d.high)))  # fmt: skip
    hours = np.linspace(0, 8, 33)
    fig, ax = plt.subplots(figsize=(7.5, 3.6), layout="constrained")
    for esc, colour, label in ((False, "bluish green", N_("resolved by the first line")),
                               (True, "vermillion", N_("escalated to the second line"))):  # fmt: skip
        t = shown["time_in_system"][shown["escalated"] == esc]
        ax.hist(np.minimum(t, 8), bins=hours, color=plots.OKABE_ITO[colour], alpha=0.7, label=_(label))
    ax.set(xlabel=_("time to outcome (hours; 8 = 8 or more)"), ylabel=_("requests"), title=_("One of the weeks"))
    ax.legend()
    plt.show()
    return found


def disruptions(desk: Scenario) -> dict[str, float]:
    """Availability in theory and simulated, and how often a major disruption comes."""
    fl, cont = desk.first_line, desk.continuity
    name = "availability.first_line"
    calm = desk.replace(**{"continuity.rate": 0.0, "continuity.starts": [], "security.attacks": 0.0})
    found = {
        "theory": theory.availability(fl.mtbf, fl.mtrs),
        "simulated": replicate(desk, runs=RUNS, seed=SEED, measures=[name]).measure(name).mean,
        "calm": replicate(calm, runs=RUNS, seed=SEED, measures=[name]).measure(name).mean,
        "per_week": cont.rate * desk.horizon,
    }
    found["some_week"] = 1 - math.exp(-found["per_week"])
    print(_("Systems fail every {mtbf:g} hours and take {mtrs:g} hours to restore, on average.").format(
        mtbf=fl.mtbf, mtrs=fl.mtrs))  # fmt: skip
    print(_("  available by the formula MTBF / (MTBF + MTRS): {a}").format(a=pct(found["theory"])))
    print(_("  available in the simulation ({runs} weeks): {a}").format(runs=RUNS, a=pct(found["simulated"])))
    print(_("  available without major disruptions or breaches: {a}").format(a=pct(found["calm"])))
    print(_("Major disruptions: {n} a week on average, {h:g} hours each;").format(
        n=translator().number(found["per_week"], 2), h=cont.recovery))  # fmt: skip
    print(_("  a week has at least one with a chance of {p}").format(p=pct(found["some_week"], 0)))
    return found


def arrivals(desk: Scenario, hours: Mapping[str, int]) -> dict[str, float]:
    """How many requests arrive, on average, in each hour of the day named (all customers together)."""
    found = {}
    for when, hour in hours.items():
        found[when] = sum(
            g.rate * (g.profile[hour % 24] / (sum(g.profile) / len(g.profile)) if g.profile else 1.0)
            for g in desk.customers
        )
        print(_("requests arriving in the hour from {when}: about {n}").format(when=when, n=translator().number(
            found[when], 1)))  # fmt: skip
    return found


def impostors(desk: Scenario) -> None:
    """The desk's security settings in words: how many callers are impostors, and what a breach costs."""
    sec = desk.security
    types = _and(sec.targets)
    print(_("Impostors send {share} of the {types} requests; verification catches {caught} of them.").format(
        share=pct(sec.attacks, 0), types=types, caught=pct(sec.verification, 0)))  # fmt: skip
    hours = _("{h:g} hour") if sec.containment == 1 else _("{h:g} hours")
    print(_("A breach stops the first line's systems for {time} (containment).").format(
        time=hours.format(h=sec.containment)))  # fmt: skip


def constraints(desk: Scenario) -> None:
    """The constraints of money and rules in the scenario: what an agent costs, and who must be verified."""
    print(_("money: an agent costs {first:g} an hour in the first line, {second:g} in the second").format(
        first=desk.first_line.cost, second=desk.second_line.cost if desk.second_line else 0))  # fmt: skip
    print(_("rules: callers asking for {types} are checked; the checks catch {caught} of the impostors").format(
        types=_and(desk.security.targets), caught=pct(desk.security.verification, 0)))  # fmt: skip


def _and(names: Sequence[str]) -> str:
    """``a, b and c``, in the language in force."""
    return " ".join((", ".join(names[:-1]), _("and"), names[-1])) if len(names) > 1 else "".join(names)


def service_levels(desk: Scenario) -> None:
    """Each customer group: internal or external, how much it asks, and its SLA for incidents."""
    incident = next(t for t in desk.types if t.name == "incident")
    for g in desk.customers:
        deadline = g.deadline.get("incident", incident.deadline)
        print(_("{name} customers ({who}): SLA for incidents: resolved within {h:g} hours").format(
            name=g.name, who=_(WHO[g.kind]), h=deadline))  # fmt: skip


def second_line(desk: Scenario) -> dict[str, dict[str, Estimate]]:
    """The second line's size, seen by the external customers, on the same weeks."""
    names = ("utility.external", "attainment.external", "value.external")
    return changes(
        desk,
        {"no second line": desk.replace(**{"second_line.agents": 0}),
         "one second-line agent instead of two": desk.replace(**{"second_line.agents": 1}),
         "four second-line agents instead of two": desk.replace(**{"second_line.agents": 4})},
        names,
    )  # fmt: skip


def catalogue(desk: Scenario) -> None:
    """The kinds of request the customers ask for: in the catalogue or not, and the deadline of each."""
    for t in desk.types:
        where = _("in the catalogue") if t.name in desk.catalogue else _("NOT in the catalogue")
        print(_("{name:17s} {where:21s} needed within {h:g} hours").format(name=t.name, where=where, h=t.deadline))
