"""The readable report of one run: the words around the numbers of a :class:`~simlib.result.Result`.

:meth:`Result.report() <simlib.result.Result.report>` calls :func:`report`. The measures
themselves, and what each one means, live in :mod:`simlib.result`; this room only lays them
out for a person to read:

- the three headline measures first (utility, warranty, value), each with what it means;
- then one line per topic: the outcomes, the open requests, waiting, time in the system,
  each team's utilisation and availability, escalation and abandonment, security (only when
  there were impostors), each customer group's value and SLA attainment, and the cost (only
  when there is one).

Every word goes through the learner's language (:mod:`simlib.i18n`): hours under one become
minutes, shares become percentages in the language's own notation.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from simlib.i18n import N_, Translator, measure_label, outcome_label, translator

if TYPE_CHECKING:  # pragma: no cover
    from simlib.result import Result

__all__ = ["report"]


def report(result: Result, lang: str | None = None) -> str:
    """A short readable report of ``result``: utility, warranty and value first, in ``lang``."""
    t = translator(lang)
    _, pct = t.gettext, t.percent
    m = result.measures
    sc = result.scenario
    heads = [
        (measure_label(k, t.lang), m[k], _(meaning))
        for k, meaning in (
            ("utility", N_("fit for purpose: supported, and the service knows how")),
            ("warranty", N_("fit for use: of those, delivered by the deadline, securely")),
            ("value", N_("desired outcome achieved = utility x warranty")),
        )
    ]
    rows = [
        (_("outcomes"), ", ".join(f"{outcome_label(k, t.lang)} {v}" for k, v in result.outcomes.items())),
        (
            _("open"),
            _("{overdue} overdue (count against warranty), {not_due} not yet due (left out)").format(
                overdue=int(m["open_overdue"]), not_due=int(m["open_not_due"])
            ),
        ),
        (
            _("waiting"),
            _("mean {mean}, 90% within {p90} (requests whose handling started)").format(
                mean=_hours(m["wait.mean"], t), p90=_hours(m["wait.p90"], t)
            ),
        ),
        (
            _("in system"),
            _("mean {mean} (requests handled to the end), {all} (every request that left)").format(
                mean=_hours(m["time_in_system.mean"], t), all=_hours(m["time_in_system.all"], t)
            ),
        ),
    ]
    teams = [(_("first line"), "first_line")]
    if "utilisation.second_line" in m:
        teams.append((_("second line"), "second_line"))
    for label, key in teams:
        rows.append(
            (
                label,
                _("utilisation {busy}, availability {up}").format(
                    busy=pct(m[f"utilisation.{key}"], 0), up=pct(m[f"availability.{key}"])
                ),
            )
        )
    rows.append(
        (
            _("escalated"),
            _("{n} ({share} of those handled by the first line), abandoned {abandoned}").format(
                n=int(m["escalations"]), share=pct(m["escalation_share"], 0), abandoned=pct(m["abandonment"])
            ),
        )
    )
    if m["attacks"]:
        rows.append(
            (
                _("security"),
                _("{attacks} impostors, {caught} caught, {breaches} breaches").format(
                    attacks=int(m["attacks"]), caught=int(m["attacks_caught"]), breaches=int(m["breaches"])
                ),
            )
        )
    for g in sc.customers:
        kind = _("internal customers") if g.kind == "internal" else _("external customers")
        rows.append(
            (
                f"{kind} '{g.name}'",
                _("value {value}, SLA attainment {attainment}").format(
                    value=pct(m[f"value.{g.name}"]), attainment=pct(m[f"attainment.{g.name}"])
                ),
            )
        )
    if m["cost"]:
        rows.append((_("cost"), t.number(m["cost"], 0)))
    head_width = max(len(label) for label, *_rest in heads)
    width = max(len(label) for label, _text in rows if len(label) <= 16)
    lines = [
        _("{name}: {n} requests over {hours} hours (seed {seed})").format(
            name=sc.name, n=int(m["requests"]), hours=t.number(sc.horizon - sc.warmup, 0), seed=result.seed
        ),
        "",
        *(f"  {label:<{head_width}} {pct(x):>6}   {meaning}" for label, x, meaning in heads),
        "",
    ]
    for label, text in rows:
        lines.append(f"  {label:<{width}} {text}" if len(label) <= width else f"  {label}: {text}")
    return "\n".join(lines)


def _hours(h: float, t: Translator) -> str:
    if math.isnan(h):
        return t.gettext("n/a")
    if h < 1:
        return t.gettext("{n} min").format(n=t.number(h * 60, 0))
    return t.gettext("{n} h").format(n=t.number(h, 1))
