"""After a round: the leaderboard, why each team scored what it did, the history, and the export.

Every team played the round's weeks, so the measures of two teams can be compared week by
week (paired). The leaderboard ranks teams by value (utility x warranty) with 95% confidence
intervals, and says which teams cannot be told apart; it is made once, when the round closes
(:func:`leaderboard_rows`), and kept. :func:`explain` says in a trainer's words what the team
played in the round's event, whether it lost value on utility (could the desk deliver at all?)
or on warranty (was it delivered when needed?), and what broke. :func:`debrief` gathers it all
as data (:class:`Debrief`); :mod:`simlib.plots` draws it. Each function takes the game's store.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from simlib.classroom.choices import GameLever, game_levers, same_value
from simlib.classroom.events import EVENTS
from simlib.classroom.plays import Play, PlayKind, played, stored_runs
from simlib.classroom.rounds import game_state, get_round, levers
from simlib.classroom.storage import Store
from simlib.classroom.teams import find_team
from simlib.i18n import _, translator
from simlib.stats import Estimate, estimate

__all__ = [
    "Debrief",
    "explain",
    "explain_measures",
    "export_csv",
    "history",
    "leaderboard",
    "leaderboard_rows",
    "measures",
    "team_runs",
]


def team_runs(store: Store, number: int) -> dict[str, list[dict[str, float]]]:
    """Every team's runs in a closed round, by team."""
    keys = dict(store.read("SELECT team, key FROM played WHERE round = ?", (number,)))
    kept = stored_runs(store, number, list(keys.values()))
    return {t: kept[k] for t, k in keys.items()}


def measures(store: Store, team: str, number: int | None = None) -> dict[str, Estimate]:
    """A team's measures in a closed round: each measure's mean and 95% CI over the round's weeks."""
    name = find_team(store, team)
    number = get_round(store, number, closed=True).number
    runs = team_runs(store, number).get(name)
    if not runs:
        raise ValueError(_("team: {name} did not play round {n}.").format(name=repr(name), n=number))
    names = list(dict.fromkeys(k for r in runs for k in r))
    return {k: estimate(k, np.array([r.get(k, math.nan) for r in runs], dtype=float)) for k in names}


def _num(x: Any) -> float:
    try:
        x = float(x)
    except (TypeError, ValueError):
        return -math.inf
    return x if math.isfinite(x) else -math.inf


def leaderboard_rows(
    number: int, plays: Mapping[str, Play], results: Mapping[str, Sequence[Mapping[str, float]]]
) -> list[dict[str, Any]]:
    """The ranking of a round from what each team played and its runs, best value first.

    Each row: round, team, rank, value, utility, warranty (means over the round's weeks, each
    with ``_low``/``_high``, its 95% CI), cost, submitted, played (a :class:`~.plays.PlayKind`
    value), and ``tied_with``: the teams it cannot be told apart from (the paired difference of
    value over the same weeks has a 95% CI that includes 0), with ``note`` saying so in words.
    """
    values = {t: np.array([r.get("value", math.nan) for r in runs], dtype=float) for t, runs in results.items()}
    rows = []
    for team, runs in results.items():
        row: dict[str, Any] = {"round": number, "team": team}
        for m in ("value", "utility", "warranty"):
            e = estimate(m, np.array([r.get(m, math.nan) for r in runs], dtype=float))
            row[m], row[f"{m}_low"], row[f"{m}_high"] = e.mean, e.low, e.high
        row["cost"] = plays[team].cost
        row["submitted"] = plays[team].was_submitted
        row["played"] = plays[team].kind.value
        rows.append(row)
    rows.sort(key=lambda r: (-_num(r["value"]), _num(r["cost"]), r["team"].lower()))
    for row in rows:
        row["rank"] = 1 + sum(1 for o in rows if _num(o["value"]) > _num(row["value"]) + 1e-12)
    for row in rows:
        ties = [
            o["team"]
            for o in rows
            if o is not row and not estimate("value", values[o["team"]] - values[row["team"]]).significant
        ]
        row["tied_with"] = ties
        row["note"] = (
            _("cannot be told apart from {teams} (paired runs on the same weeks)").format(teams=", ".join(ties))
            if ties
            else ""
        )
    return rows


def leaderboard(store: Store, number: int | None = None) -> list[dict[str, Any]]:
    """The ranking of a closed round (default: the last), best value first (see :func:`leaderboard_rows`)."""
    number = get_round(store, number, closed=True).number
    rows = store.read("SELECT data FROM debrief WHERE round = ? AND part = 'board'", (number,))
    return json.loads(rows[0][0]) if rows else []


def history(store: Store) -> list[dict[str, Any]]:
    """Every closed round, every team: round, event, team, rank, value, utility, warranty, cost."""
    return [
        {"event": get_round(store, n).event, **row} for n in game_state(store).closed for row in leaderboard(store, n)
    ]


def _lever_words(lv: GameLever, value: Any) -> str:
    if lv.kind == "types":
        return _("{lever}: {n} request types").format(lever=_(lv.label), n=len(value))
    shown = f"{value:g}" if isinstance(value, float) else str(value)
    unit = f" {_(lv.unit)}" if lv.unit and lv.kind != "whole" else ""
    return f"{_(lv.label).lower()} {shown}{unit}"


def explain(store: Store, team: str, number: int | None = None) -> str:
    """Why a team's value was what it was in a closed round: the event, its own levers, utility and warranty."""
    name = find_team(store, team)
    r = get_round(store, number, closed=True)
    play = played(store, r.number).get(name)
    if play is None:
        raise ValueError(_("team: {name} did not play round {n}.").format(name=repr(name), n=r.number))
    offered = levers(store, r.number)
    moved = [_lever_words(lv, play.choices[lv.name]) for lv in offered
             if lv.name in play.choices and not same_value(play.choices[lv.name], lv.default)]  # fmt: skip
    event = EVENTS[r.event]
    said = [
        _("Round {n}: {event}.").format(n=r.number, event=_(event.title))
        + ("" if r.event == "none" else " " + _("The answer to it: {hint}.").format(hint=_(event.hint)))
    ]
    if play.kind is PlayKind.NOT_SUBMITTED:
        said.append(_("You did not send choices, so your desk played the round's standard settings."))
    elif play.kind is PlayKind.OVER_BUDGET:
        said.append(
            _("Your choices were over the budget once it was lowered, so your desk played the standard settings.")
        )
    elif moved:
        said.append(_("You chose {levers}; the rest stayed as they were.").format(levers="; ".join(moved)))
    else:
        said.append(_("You kept every lever as it was."))
    m = {k: e.mean for k, e in measures(store, name, r.number).items()}
    return " ".join([*said, explain_measures(m)])


@dataclass(frozen=True)
class Debrief:
    """The debrief of a game as data: each closed round's event and leaderboard, and the last round's advice.

    ``teams``: every team that played, in the order they joined (which fixes its colour);
    ``rounds``: one (number, event key, event title, leaderboard rows) per closed round;
    ``advice``: for each team, the one move that would have raised its value most in the last
    closed round (:mod:`.advice`). Drawn by :func:`simlib.plots.class_history` and
    :func:`simlib.plots.class_value_cost`.
    """

    teams: tuple[str, ...]
    rounds: tuple[tuple[int, str, str, tuple[dict[str, Any], ...]], ...]
    advice: tuple[dict[str, Any], ...]

    @property
    def history(self) -> list[dict[str, Any]]:
        """One row per closed round and team (round, event, team, rank, value, utility, warranty, cost)."""
        return [{"event": event, **row} for _n, event, _t, board in self.rounds for row in board]


def gather(store: Store, advice: Sequence[Mapping[str, Any]]) -> Debrief:
    """The debrief of every closed round, with ``advice`` for the last one."""
    rounds = []
    for n in game_state(store).closed:
        ev = get_round(store, n).event
        rounds.append((n, ev, _(EVENTS[ev].title), tuple(leaderboard(store, n))))
    order = [t for (t,) in store.read("SELECT name FROM teams ORDER BY joined, name")]
    seen = {row["team"] for *_x, board in rounds for row in board}
    teams = [t for t in order if t in seen] + sorted(seen - set(order), key=str.lower)
    return Debrief(tuple(teams), tuple(rounds), tuple(dict(a) for a in advice))


def export_csv(store: Store, path: str | Path | None = None) -> str:
    """Every closed round's results as CSV text (and written to ``path`` if given).

    One row per round and team: the event, rank, value, utility and warranty with their 95%
    CIs, cost, whether the team submitted, and the value of every lever it played.
    """
    lever_names = [lv.name for lv in game_levers(store.settings.scenario, store.settings.levers)]
    fields = ["round", "event", "team", "rank", "value", "value_low", "value_high", "utility", "utility_low",
              "utility_high", "warranty", "warranty_low", "warranty_high", "cost", "submitted", "tied_with",
              *lever_names]  # fmt: skip
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for number in game_state(store).closed:
        plays = played(store, number)
        ev = get_round(store, number).event
        for row in leaderboard(store, number):
            choices = plays[row["team"]].choices if row["team"] in plays else {}
            out = {**row, "event": ev, "tied_with": " ".join(row["tied_with"])}
            for name in lever_names:
                v = choices.get(name, "")
                out[name] = " ".join(v) if isinstance(v, list) else v
            writer.writerow(out)
    text = buffer.getvalue()
    if path is not None:
        Path(path).write_text(text, encoding="utf-8")
    return text


def explain_measures(m: Mapping[str, float]) -> str:
    """Utility versus warranty in words, and what broke, from a run's (or the runs' mean) measures."""

    def g(k: str) -> float:
        v = m.get(k)
        return float(v) if v is not None and math.isfinite(float(v)) else 0.0

    t = translator()
    pct, n = t.percent, (lambda x: t.number(x, 0))
    parts = [
        _("Value {value} = utility {utility} x warranty {warranty}.").format(
            value=pct(g("value")), utility=pct(g("utility")), warranty=pct(g("warranty"))
        ),
    ]
    lost_u = []
    if g("not_supported") >= 0.5:
        lost_u.append(
            _("{n} requests a week were outside your catalogue (not supported)").format(n=n(g("not_supported")))
        )
    if g("unresolved") >= 0.5:
        lost_u.append(_("{n} could not be resolved by anyone (know-how)").format(n=n(g("unresolved"))))
    if lost_u:
        parts.append(_("Utility (can the desk deliver at all?):") + " " + "; ".join(lost_u) + ".")
    else:
        parts.append(_("Utility: the desk could deliver every request it was asked for."))
    lost_w = []
    if g("late") >= 0.5:
        lost_w.append(_("{n} were resolved after the deadline").format(n=n(g("late"))))
    if g("abandoned") >= 0.5:
        lost_w.append(_("{n} customers gave up waiting").format(n=n(g("abandoned"))))
    if g("breach") >= 0.5 or g("breaches") >= 0.5:
        lost_w.append(
            _("{n} impostors got what they asked for (breaches)").format(n=n(max(g("breach"), g("breaches"))))
        )
    if lost_w:
        parts.append(_("Warranty (delivered when needed?):") + " " + "; ".join(lost_w) + ".")
    causes = []
    busy, gave_up, up = g("utilisation.first_line"), g("abandonment"), g("availability.first_line")
    if busy >= 0.8:
        causes.append(_("the first line was busy {busy} of the time (capacity)").format(busy=pct(busy, 0)))
    elif gave_up >= 0.05 and not 0 < up < 0.97:
        causes.append(
            _("{share} of customers gave up waiting at the busy hours (capacity)").format(share=pct(gave_up, 0))
        )
    if 0 < up < 0.97:
        causes.append(
            _("its systems were down {down} of the week (availability, continuity)").format(down=pct(1 - up))
            + (_(", and {share} of customers gave up waiting").format(share=pct(gave_up, 0)) if gave_up >= 0.05 else "")
        )
    if g("escalation_share") >= 0.3:
        causes.append(
            _("{share} of requests went to the second line (first-time fix)").format(
                share=pct(g("escalation_share"), 0)
            )
        )
    if g("breaches") >= 0.5 or g("breach") >= 0.5:
        causes.append(_("impostors were let through (security: verification)"))
    if causes:
        parts.append(_("What broke:") + " " + "; ".join(causes) + ".")
    return " ".join(parts)
