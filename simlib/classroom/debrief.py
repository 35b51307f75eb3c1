"""After a round: the leaderboard, why each team scored what it did, and the one move that would have helped.

Every team played the round's weeks, so the measures of two teams can be compared week by
week (paired). The leaderboard ranks teams by value (utility x warranty) with 95% confidence
intervals, and says which teams cannot be told apart. :func:`explain_measures` says in words
whether a team lost value on utility (could the desk deliver at all?) or on warranty (was it
delivered when needed?), and what broke. :meth:`Debrief.advice` tries one step of every lever
for each team on the same weeks and names the move that would have raised its value most. The
pictures are drawn by :mod:`simlib.plots`; the results go out as CSV.
"""

from __future__ import annotations

import csv
import io
import json
import math
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from simlib import plots
from simlib.classroom.choices import GameLever, apply_choices, choices_cost, game_levers, same_value
from simlib.classroom.events import EVENTS
from simlib.classroom.pool import round_streams, run_scenarios
from simlib.classroom.prices import PRICES
from simlib.classroom.rounds import Rounds, TeamEntry
from simlib.classroom.storage import db_number
from simlib.i18n import _, fmt, translator
from simlib.stats import Estimate, estimate

__all__ = ["Debrief", "explain_measures"]


class Debrief(Rounds):
    """A game's results: measures, leaderboard, history, explanations, advice, pictures, export."""

    # ------------------------------------------------------------------ results

    def _results(self, number: int) -> dict[str, list[dict[str, float]]]:
        out: dict[str, list[dict[str, float]]] = {}
        for team, _run, measures in self._query(
            "SELECT team, run, measures FROM results WHERE round = ? ORDER BY team, run", (number,)
        ):
            out.setdefault(team, []).append(json.loads(measures))
        return out

    def _played(self, number: int) -> dict[str, dict[str, Any]]:
        return {
            team: {"choices": json.loads(c), "cost": cost, "submitted": bool(s)}
            for team, c, cost, s in self._query(
                "SELECT team, choices, cost, submitted FROM played WHERE round = ?", (number,)
            )  # fmt: skip
        }

    def measures(self, team: str | TeamEntry, round: int | None = None) -> dict[str, Estimate]:
        """A team's measures in a closed round: each measure's mean and 95% CI over the round's weeks."""
        name = self._team_name(team)
        number = self._round_number(round, closed=True)
        runs = self._results(number).get(name)
        if not runs:
            raise ValueError(f"team: {name!r} did not play round {number}")
        names = list(dict.fromkeys(k for r in runs for k in r))
        return {k: estimate(k, np.array([r.get(k, math.nan) for r in runs], dtype=float)) for k in names}

    def leaderboard(self, round: int | None = None) -> list[dict[str, Any]]:
        """The ranking of a closed round (default: the last), best value first.

        Each row: team, rank, value, utility, warranty (means over the round's weeks, each with
        ``_low``/``_high``, its 95% CI), cost, submitted, and ``tied_with``: the teams it cannot
        be told apart from (the paired difference of value over the same weeks has a 95% CI that
        includes 0), with ``note`` saying so in words.
        """
        number = self._round_number(round, closed=True)
        results = self._results(number)
        played = self._played(number)
        values = {t: np.array([r.get("value", math.nan) for r in runs], dtype=float) for t, runs in results.items()}
        rows = []
        for team, runs in results.items():
            row: dict[str, Any] = {"round": number, "team": team}
            for m in ("value", "utility", "warranty"):
                e = estimate(m, np.array([r.get(m, math.nan) for r in runs], dtype=float))
                row[m], row[f"{m}_low"], row[f"{m}_high"] = e.mean, e.low, e.high
            row["cost"] = played.get(team, {}).get("cost", math.nan)
            row["submitted"] = played.get(team, {}).get("submitted", False)
            rows.append(row)
        rows.sort(key=lambda r: (-_num(r["value"]), _num(r["cost"]), r["team"].lower()))
        for row in rows:
            row["rank"] = 1 + sum(1 for o in rows if _num(o["value"]) > _num(row["value"]) + 1e-12)
        for row in rows:
            ties = []
            for other in rows:
                if other is row:
                    continue
                diff = estimate("value", values[other["team"]] - values[row["team"]])
                if not diff.significant:
                    ties.append(other["team"])
            row["tied_with"] = ties
            row["note"] = f"not distinguishable from {', '.join(ties)} (paired runs on the same weeks)" if ties else ""
        return rows

    def history(self) -> list[dict[str, Any]]:
        """Every closed round, every team: round, event, team, rank, value, utility, warranty, cost."""
        out = []
        for number in self.state()["closed"]:
            ev = self.round_info(number)["event"]
            for row in self.leaderboard(number):
                out.append({"event": ev, **row})
        return out

    def explain(self, team: str | TeamEntry, round: int | None = None) -> str:
        """Why a team's value was what it was in a closed round: utility versus warranty, what broke."""
        m = {k: e.mean for k, e in self.measures(team, round).items()}
        return explain_measures(m)

    # ------------------------------------------------------------------ debrief

    def advice(
        self,
        round: int | None = None,
        progress: Callable[[int, int], None] | None = None,
        *,
        workers: int | None = None,
    ) -> list[dict[str, Any]]:
        """For each team, the one lever move that would have raised its value most in a closed round.

        Each move (one more agent, 0.1 more of a share, MTBF doubled, MTRS or recovery halved, one
        more request type in the catalogue) runs on the round's weeks and is compared run by run
        with what the team played (paired). A move that fits the round's budget and clearly helps
        comes first; else the biggest gain, said to be over the budget. Stored: computed once a round.
        """
        number = self._round_number(round, closed=True)
        stored = self._query(
            "SELECT team, lever, text, difference, low, high, extra_cost FROM advice WHERE round = ? ORDER BY team",
            (number,),
        )
        played = self._played(number)
        if stored and len(stored) >= len(played):
            keys = ("team", "lever", "text", "difference", "low", "high", "extra_cost")
            return [dict(zip(keys, r)) for r in stored]
        sc = self.scenario(number)
        levers = self._levers(number)
        results = self._results(number)
        jobs: list[tuple[str, GameLever, str, dict[str, Any]]] = []
        for team, info in played.items():
            for lv, words, choices in _moves(levers, info["choices"]):
                jobs.append((team, lv, words, choices))
        streams = round_streams(self.seed, number, self.runs)
        scenarios = [apply_choices(sc, levers, c) for _, _, _, c in jobs]
        rows = run_scenarios(scenarios, streams, workers=workers, progress=progress) if jobs else []
        budget = self.round_info(number)["budget"]
        best: dict[str, tuple[tuple[bool, float], dict[str, Any]]] = {}
        for (team, lv, words, choices), runs in zip(jobs, rows):
            base = np.array([r.get("value", math.nan) for r in results[team]], dtype=float)
            new = np.array([r.get("value", math.nan) for r in runs], dtype=float)
            d = estimate("value", new - base)
            extra = choices_cost(sc, choices) - played[team]["cost"]
            fits = played[team]["cost"] + extra <= budget + 1e-6
            key = (fits and d.significant and d.mean > 0, _num(d.mean))  # within the budget first
            if team not in best or key > best[team][0]:
                best[team] = (key, {"lever": lv.name, "words": words, "d": d, "extra": extra})
        out = []
        for team in sorted(played, key=str.lower):
            if team not in best:
                continue
            b = best[team][1]
            d: Estimate = b["d"]
            over = played[team]["cost"] + b["extra"] > budget + 1e-6
            num = translator().number
            low, high = num(d.low * 100, 1), num(d.high * 100, 1)
            if d.mean > 0 and d.significant:
                text = _(
                    "{team}: {move} would have raised value by {points} points "
                    "(95% CI {low} to {high}, paired runs on the round's weeks), for {cost}"
                ).format(
                    team=team, move=b["words"], points=num(d.mean * 100, 1), low=low, high=high,
                    cost=("+" if b["extra"] >= 0 else "") + num(b["extra"], 0),
                ) + (" (" + _("over the budget") + ")." if over else ".")  # fmt: skip
            else:
                text = _(
                    "{team}: no single move would have made a clear difference; the best, {move}, "
                    "changes value by {points} points (95% CI {low} to {high})."
                ).format(
                    team=team, move=b["words"], low=low, high=high,
                    points=("+" if d.mean >= 0 else "") + num(d.mean * 100, 1),
                )  # fmt: skip
            out.append(
                {"team": team, "lever": b["lever"], "text": text, "difference": d.mean, "low": d.low, "high": d.high,
                 "extra_cost": b["extra"]}
            )  # fmt: skip

        def body(con: sqlite3.Connection) -> None:
            con.execute("DELETE FROM advice WHERE round = ?", (number,))
            con.executemany(
                "INSERT INTO advice VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(number, a["team"], a["lever"], a["text"], db_number(a["difference"]), db_number(a["low"]),
                  db_number(a["high"]), a["extra_cost"]) for a in out],
            )  # fmt: skip

        self._retry_write(body)
        return out

    def figure_history(self, figure: Any = None) -> Any:
        """Utility, warranty, value and cost over the rounds, one line per team (a matplotlib Figure)."""
        return plots.class_history(self.history(), figure)

    def figure_value_cost(self, figure: Any = None) -> Any:
        """The class's value against cost, one panel per closed round, with 95% CIs (a Figure)."""
        closed = self.state()["closed"]
        title = _("round {n}: {title}")
        rounds = [
            (title.format(n=n, title=_(EVENTS[self.round_info(n)["event"]].title)), self.leaderboard(n)) for n in closed
        ]
        teams = sorted({r["team"] for r in self.history()}, key=str.lower)
        return plots.class_value_cost(rounds, teams, figure)

    # ------------------------------------------------------------------ export

    def export_csv(self, path: str | Path | None = None) -> str:
        """Every closed round's results as CSV text (and written to ``path`` if given).

        One row per round and team: the event, rank, value, utility and warranty with their 95%
        CIs, cost, whether the team submitted, and the value of every lever it played.
        """
        lever_names = [lv.name for lv in self._levers_any()]
        fields = ["round", "event", "team", "rank", "value", "value_low", "value_high", "utility", "utility_low",
                  "utility_high", "warranty", "warranty_low", "warranty_high", "cost", "submitted", "tied_with",
                  *lever_names]  # fmt: skip
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for number in self.state()["closed"]:
            played = self._played(number)
            ev = self.round_info(number)["event"]
            for row in self.leaderboard(number):
                choices = played.get(row["team"], {}).get("choices", {})
                out = {**row, "event": ev, "tied_with": " ".join(row["tied_with"])}
                for name in lever_names:
                    v = choices.get(name, "")
                    out[name] = " ".join(v) if isinstance(v, list) else v
                writer.writerow(out)
        text = buffer.getvalue()
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text

    def _levers_any(self) -> list[GameLever]:
        return game_levers(self.base, self.allowed)


def _num(x: Any) -> float:
    try:
        x = float(x)
    except (TypeError, ValueError):
        return -math.inf
    return x if math.isfinite(x) else -math.inf


def _moves(levers: Sequence[GameLever], choices: Mapping[str, Any]) -> Iterator[tuple[GameLever, str, dict[str, Any]]]:
    """One step in the better direction for every lever: (lever, the move in words, the new choices)."""
    for lv in levers:
        now = choices.get(lv.name, lv.default)
        if lv.kind == "types":
            for t in lv.options:
                if t not in now:
                    yield (
                        lv,
                        _("adding '{type}' to the catalogue").format(type=t),
                        {**choices, lv.name: [o for o in lv.options if o in now or o == t]},
                    )
            continue
        lo, hi = float(lv.low), float(lv.high)
        better = PRICES[lv.name].better
        if lv.kind == "whole":
            new: float = min(hi, now + 1)
            words = _("one more agent ({now} to {new})").format(now=now, new=int(new))
            new = int(new)
        elif better == "lower":
            new = max(lo, round(float(now) / 2, 4))
            words = _("halving {lever} ({now} to {new} {unit})").format(
                lever=_(lv.label).lower(), now=fmt(now, "g"), new=fmt(new, "g"), unit=_(lv.unit) if lv.unit else ""
            )
            words = words.replace(" )", ")")
        elif lv.name.endswith("mtbf"):
            new = min(hi, float(now) * 2)
            words = _("doubling {lever} ({now} to {new} {unit})").format(
                lever=_(lv.label), now=fmt(now, "g"), new=fmt(new, "g"), unit=_(lv.unit) if lv.unit else ""
            )
            words = words.replace(" )", ")")
        else:
            step = 0.25 if lv.kind == "number" else 0.1
            new = min(hi, round(float(now) + step, 4))
            words = _("more {lever} ({now} to {new})").format(
                lever=_(lv.label).lower(), now=fmt(now, "g"), new=fmt(new, "g")
            )
        if same_value(new, now):
            continue
        yield lv, words, {**choices, lv.name: new}


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
