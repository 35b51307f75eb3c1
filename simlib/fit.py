"""Your own desk: fit a scenario from a ticket-system export, and say what the data decided.

Every built-in scenario is invented. This module turns a real export (ServiceNow, Jira, GLPI,
OTRS, or any CSV with a column map) into a scenario, and a report that says, field by field,
what came from the data and what was assumed, and why::

    from simlib import fit
    desk = fit.from_log("incidents.csv")           # the format is detected from the header
    print(desk.report.text())
    desk.scenario.to_toml()                        # a scenario like any other
    desk.validate()                                # simulate it: does it reproduce the log?

or on the command line, ``python -m simlib fit incidents.csv -o my-desk.toml``.

What a log identifies, and so what is fitted: the arrival rate and its profile over the hours
of the day (and over the days of the week, when the log covers every day of the week: then
the profile has 168 hours, Monday 00:00 first), the type mix (the largest types, plus
"other"), the escalation share per type (from reassignment counts, tier or group changes, or
an escalation activity), the deadlines (from SLA target fields) and the handling times (from
work-time fields). What a log does not hold (the number of agents, outages, disruptions,
impostors) is an assumption, and the report says so.

Input modelling is step two of every simulation study: from data to distributions, with the
goodness of fit shown. Handling times are fitted as lognormal (mean and coefficient of
variation by the method of moments) and checked with the Kolmogorov-Smirnov statistic and a
Q-Q picture (:func:`simlib.plots.fit_pictures`).
"""

from __future__ import annotations

import csv
import gzip
import io
import math
import os
import re
import statistics
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["FORMATS", "Fit", "FitReport", "Tickets", "fit", "from_log", "read_tickets"]

MAX_BYTES = 300 * 2**20  # a bigger export is refused: cut it to the months you want to model
MAX_ROWS = 3_000_000
MISSING = frozenset({"", "?", "null", "none", "n/a", "na", "-", "nan"})
ROLES = ("ticket", "opened", "type", "priority", "escalated", "group", "worked", "target", "made", "activity")
MAX_TYPES = 5  # the largest types by share; the rest is "other"
MIN_SHARE = 0.02  # a type below this share goes into "other"

# The columns each export names, per role (lower case); the first column present wins.
FORMATS: dict[str, dict[str, tuple[str, ...]]] = {
    "servicenow": {
        "ticket": ("number",),
        "opened": ("opened_at", "sys_created_on"),
        "type": ("category", "u_category"),
        "priority": ("priority",),
        "escalated": ("reassignment_count",),
        "group": ("assignment_group",),
        "worked": ("time_worked", "business_duration"),
        "made": ("made_sla",),
    },
    "jira": {
        "ticket": ("issue key", "key"),
        "opened": ("created",),
        "type": ("issue type", "issuetype"),
        "priority": ("priority",),
        "worked": ("time spent", "timespent"),
        "escalated": ("custom field (escalated)", "escalated"),
    },
    "glpi": {
        "ticket": ("id",),
        "opened": ("opening date", "date"),
        "type": ("category", "itilcategories_id"),
        "priority": ("priority",),
        "worked": ("total duration", "actiontime"),
        "group": ("assigned to - group", "groups_id_assign"),
    },
    "otrs": {
        "ticket": ("ticket#", "ticketnumber", "tn"),
        "opened": ("created", "create_time"),
        "type": ("type", "queue"),
        "priority": ("priority",),
        "worked": ("accounted time", "accountedtime"),
        "group": ("queue",),
    },
    "csv": {},
}
# The unit of each format's work-time field, in hours per unit.
WORK_UNITS = {"servicenow": 1 / 3600, "jira": 1 / 3600, "glpi": 1 / 3600, "otrs": 1 / 60, "csv": 1.0}
ASSUMED_HANDLING = (0.5, 1.0)  # mean hours at the first and the second line when the log has no work time
ASSUMED_DEADLINE = 8.0  # hours, when the log has no SLA target
COST = (40.0, 60.0)  # per agent-hour, first and second line: the kit's own prices, for the game
TARGET_LOAD = 0.85  # agents are sized so that the busiest 8 hours of the day keep them this busy


@dataclass(frozen=True)
class Tickets:
    """One row per ticket: when it was opened (hours from Monday 00:00 of its first week), and what the log says."""

    opened: np.ndarray
    start: datetime
    types: tuple[str, ...] | None = None
    priorities: tuple[str, ...] | None = None
    escalated: np.ndarray | None = None
    worked: np.ndarray | None = None  # hours, NaN where missing
    targets: np.ndarray | None = None  # hours, NaN where missing
    made: np.ndarray | None = None  # whether the ticket made its SLA, as the log says
    source: dict[str, str] = field(default_factory=dict)  # role -> the column it came from, or how it was derived

    def __len__(self) -> int:
        return self.opened.size


@dataclass(frozen=True)
class Item:
    """One field of the fitted scenario: its value, whether data or an assumption gave it, and why."""

    field: str
    value: Any
    source: str  # "data" or "assumed"
    why: str


@dataclass(frozen=True)
class FitReport:
    """What the log identified, what was assumed, and what the log could not see."""

    items: tuple[Item, ...]
    observed: dict[str, Any]
    unseen: tuple[str, ...]
    handling_fit: dict[str, dict[str, float]]

    def text(self) -> str:
        o = self.observed
        lines = [
            f"{o['tickets']} tickets from {o['first']} to {o['last']} ({o['hours']:.0f} hours observed)",
            f"arrival rate: {o['rate']:.3f} requests per hour",
        ]
        if o.get("priorities"):
            shares = ", ".join(f"{k} {v:.0%}" for k, v in o["priorities"].items())
            lines.append(f"priorities (not a field of the model; read, not fitted): {shares}")
        if o.get("made") is not None:
            lines.append(f"the log's own SLA attainment: {o['made']:.1%} made (its targets are not in the log)")
        lines += [
            "",
            "field by field:",
        ]
        width = max(len(i.field) for i in self.items)
        for i in self.items:
            lines.append(f"  {i.field:<{width}}  {i.source:<7}  {_short(i.value)}  ({i.why})")
        if self.handling_fit:
            lines += ["", "handling times (lognormal, method of moments; Kolmogorov-Smirnov):"]
            for name, f in self.handling_fit.items():
                lines.append(
                    f"  {name}: n={f['n']:.0f}, mean {f['mean']:.3f} h, cv {f['cv']:.2f}, "
                    f"KS D={f['ks']:.3f} (p={f['p']:.3f})"
                )
        if self.unseen:
            lines += ["", "what the log could not see:"] + [f"  - {u}" for u in self.unseen]
        return "\n".join(lines)


@dataclass(frozen=True)
class Fit:
    """A fitted desk: the scenario, the report, and the tickets it came from."""

    scenario: Any
    report: FitReport
    tickets: Tickets
    _simulated: dict = field(default_factory=dict, compare=False, repr=False)

    def simulated(self, *, weeks: int | None = None, seed: int = 1) -> dict[str, Any]:
        """The shares the fitted desk shows when simulated (rate, by hour, mix, escalation), kept once run.

        ``weeks``: how long to simulate; by default long enough for about 20,000 requests
        (at least 20 weeks), so that the simulation's own noise is small beside the tolerances.
        """
        from simlib.model import simulate

        if weeks is None:
            weeks = max(20, math.ceil(20_000 / (self.scenario.arrival_rate * 168)))
        if (weeks, seed) not in self._simulated:
            sc = self.scenario.replace(horizon=168.0 * weeks)
            req = simulate(sc, seed=np.random.SeedSequence(seed)).requests
            shares = _shares(req["arrival"], [str(t) for t in req["type"]], req["escalated"], sc.horizon)
            self._simulated[weeks, seed] = shares
        return self._simulated[weeks, seed]

    def validate(self, *, weeks: int | None = None, seed: int = 1) -> dict[str, dict[str, float]]:
        """Each quantity the log identifies, observed against the fitted desk simulated (:meth:`simulated`).

        Returns ``{name: {"observed", "simulated", "difference", "tolerance", "ok"}}`` for the
        arrival rate (relative difference, within 10%), the largest gap in the shares by hour
        of the day (5 points), in the type mix (3 points) and the escalation share (5 points).
        """
        sim = self.simulated(weeks=weeks, seed=seed)
        obs = self.report.observed
        out = {}
        rate = abs(sim["rate"] - obs["rate"]) / obs["rate"]
        out["arrival rate"] = _check(obs["rate"], sim["rate"], rate, 0.10)
        gap = float(np.max(np.abs(np.asarray(sim["by_hour"]) - np.asarray(obs["by_hour"]))))
        out["shares by hour"] = _check(None, None, gap, 0.05)
        names = set(obs["mix"]) | set(sim["mix"])
        gap = max(abs(obs["mix"].get(n, 0.0) - sim["mix"].get(n, 0.0)) for n in names)
        out["type mix"] = _check(None, None, gap, 0.03)
        if obs.get("escalation") is not None:
            gap = abs(sim["escalation"] - obs["escalation"])
            out["escalation share"] = _check(obs["escalation"], sim["escalation"], gap, 0.05)
        return out


def _check(observed: float | None, simulated: float | None, difference: float, tolerance: float) -> dict[str, Any]:
    return {
        "observed": observed,
        "simulated": simulated,
        "difference": difference,
        "tolerance": tolerance,
        "ok": bool(difference <= tolerance),
    }


def _short(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, (list, tuple)) and len(value) > 6:
        return f"[{len(value)} values]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_short(v)}" for k, v in value.items()) + "}"
    return str(value)


# ---------------------------------------------------------------------------- reading


def _open_text(path: Path) -> str:
    if not path.is_file():
        raise ValueError(f"LOG: {str(path)!r} is not a file; expected a ticket export (CSV)")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ValueError(f"LOG: {str(path)!r} has {size:,} bytes; expected at most {MAX_BYTES:,} (cut the export)")
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        with gzip.open(io.BytesIO(raw)) as f:
            raw = f.read(MAX_BYTES + 1)
        if len(raw) > MAX_BYTES:
            raise ValueError(f"LOG: {str(path)!r} unpacks to more than {MAX_BYTES:,} bytes; cut the export")
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte")  # pragma: no cover


def _rows(text: str) -> tuple[list[str], list[list[str]]]:
    sample = text[:20000]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise ValueError("LOG: the file is empty; expected a header row and one row per ticket or event") from None
    rows = []
    for n, row in enumerate(reader, start=2):
        if n > MAX_ROWS:
            raise ValueError(f"LOG: more than {MAX_ROWS:,} rows; expected at most that many (cut the export)")
        if row:
            rows.append(row)
    if not rows:
        raise ValueError("LOG: a header but no rows; expected one row per ticket or event")
    return header, rows


def detect_format(header: Sequence[str]) -> str:
    """The export a header comes from: the format whose ticket and opened columns it has most of."""
    names = {h.lower() for h in header}
    best, score = None, 0
    for name, roles in FORMATS.items():
        if not roles or not any(c in names for c in roles["ticket"]) or not any(c in names for c in roles["opened"]):
            continue
        hits = sum(any(c in names for c in cols) for cols in roles.values())
        if hits > score:
            best, score = name, hits
    if best is None:
        raise ValueError(
            f"--format: the header {list(header)[:8]!r} matches none of {', '.join(f for f in FORMATS if f != 'csv')}; "
            "give --format csv and --columns opened=...,type=... to map the columns"
        )
    return best


def _columns(header: Sequence[str], fmt: str, columns: Mapping[str, str] | None) -> dict[str, int]:
    if fmt not in FORMATS:
        raise ValueError(f"--format: {fmt!r} is not a format; expected one of {', '.join(FORMATS)}")
    lower = {h.lower(): i for i, h in enumerate(header)}
    found: dict[str, int] = {}
    for role, candidates in FORMATS[fmt].items():
        for c in candidates:
            if c in lower:
                found[role] = lower[c]
                break
    for role, col in (columns or {}).items():
        if role not in ROLES:
            raise ValueError(f"--columns: {role!r} is not a role; expected some of {', '.join(ROLES)}")
        if col.lower() not in lower:
            raise ValueError(f"--columns: {role}={col!r} is not a column of the log; it has {', '.join(header)}")
        found[role] = lower[col.lower()]
    if "opened" not in found:
        raise ValueError(f"--columns: no column for when a ticket was opened; give opened=<one of {', '.join(header)}>")
    return found


_STAMP = re.compile(
    r"^\s*(\d{1,4})[-/.](\d{1,2})[-/.](\d{1,4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*([AaPp][Mm])?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?\s*$"
)


def parse_times(values: Sequence[str], *, dayfirst: bool | None = None, tz: str | None = None) -> list[datetime]:
    """Timestamps as naive local datetimes, the day-first question decided by the data when it can be.

    ISO dates (year first) need no decision. Otherwise a first number above 12 means day first,
    a second above 12 month first; when the data cannot decide, ``dayfirst`` must. A time-zone
    offset is converted to ``tz`` (a zone name like ``Europe/Amsterdam``) if given, else to UTC.
    """
    parts = []
    for v in values:
        m = _STAMP.match(v)
        if not m:
            raise ValueError(
                f"opened: {v!r} is not a date and time; expected e.g. 2016-02-29 13:05 or 29-02-2016 13:05"
            )
        parts.append(m.groups())
    iso = all(len(p[0]) == 4 for p in parts)
    if not iso:
        if any(len(p[0]) == 4 for p in parts):
            raise ValueError("opened: the log mixes year-first and year-last dates; expected one format")
        firsts = {int(p[0]) for p in parts}
        seconds = {int(p[1]) for p in parts}
        day_first_seen, month_first_seen = max(firsts) > 12, max(seconds) > 12
        if day_first_seen and month_first_seen:
            raise ValueError("opened: some dates are day-first and some month-first; expected one format")
        if day_first_seen or month_first_seen:
            decided = day_first_seen
            if dayfirst is not None and dayfirst != decided:
                raise ValueError(
                    f"--dayfirst: the dates are {'day' if decided else 'month'}-first "
                    "(a number above 12 decides it); drop the flag"
                )
            dayfirst = decided
        elif dayfirst is None:
            raise ValueError(
                "opened: every date reads both day-first and month-first (no number above 12); "
                "give --dayfirst or --monthfirst"
            )
    zone = None
    if tz is not None:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            zone = ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"--timezone: {tz!r} is not a time zone; expected a name like Europe/Amsterdam") from None
    out = []
    for p in parts:
        a, b, c, hh, mm, ss, ampm, offset = p
        if iso:
            year, month, day = int(a), int(b), int(c)
        else:
            day, month = (int(a), int(b)) if dayfirst else (int(b), int(a))
            year = int(c) + (2000 if len(c) == 2 else 0)
        hour = int(hh or 0)
        if ampm:
            hour = hour % 12 + (12 if ampm.lower() == "pm" else 0)
        try:
            t = datetime(year, month, day, hour, int(mm or 0), int(ss or 0))
        except ValueError as exc:
            raise ValueError(f"opened: {a}-{b}-{c} {hh}:{mm} is not a real date and time ({exc})") from None
        if offset:
            if offset == "Z":
                aware = t.replace(tzinfo=UTC)
            else:
                digits = offset[1:].replace(":", "")
                delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
                aware = t.replace(tzinfo=timezone(-delta if offset[0] == "-" else delta))
            t = aware.astimezone(zone or UTC).replace(tzinfo=None)
        out.append(t)
    return out


def _flag(value: str) -> bool | None:
    v = value.strip().lower()
    if v in MISSING:
        return None
    if v in ("true", "yes", "y", "1", "t"):
        return True
    if v in ("false", "no", "n", "0", "f"):
        return False
    try:
        return float(v.replace(",", ".")) > 0  # a count: reassigned at least once
    except ValueError:
        return None


def _hours(value: str, unit: float) -> float:
    v = value.strip().lower()
    if v in MISSING:
        return math.nan
    m = re.fullmatch(r"(\d+):(\d{2})(?::(\d{2}))?", v)
    if m:  # hh:mm[:ss]
        return int(m[1]) + int(m[2]) / 60 + int(m[3] or 0) / 3600
    try:
        x = float(v.replace(",", "."))
    except ValueError:
        return math.nan
    return x * unit if math.isfinite(x) and x >= 0 else math.nan


def read_tickets(
    path: str | os.PathLike[str],
    *,
    format: str | None = None,
    columns: Mapping[str, str] | None = None,
    dayfirst: bool | None = None,
    timezone: str | None = None,
    escalation_activity: str | None = None,
) -> tuple[Tickets, str]:
    """Read an export into one row per ticket; also the format it was read as.

    Audit and event logs have one row per update: the rows of one ticket (by its number) are
    kept as one, opened at the earliest time seen, escalated if any row says so (a
    reassignment count above 0, a change of assignment group, or ``escalation_activity``).
    """
    header, rows = _rows(_open_text(Path(path)))
    fmt = format or ("csv" if columns and "ticket" in columns else None) or detect_format(header)
    cols = _columns(header, fmt, columns)
    source = {role: header[i] for role, i in cols.items()}
    width = len(header)
    by_ticket: dict[str, list[list[str]]] = {}
    for n, row in enumerate(rows):
        row = row + [""] * (width - len(row))
        key = row[cols["ticket"]].strip() if "ticket" in cols else str(n)
        if key.lower() in MISSING:
            continue
        by_ticket.setdefault(key, []).append(row)

    def first(role: str, group: list[list[str]]) -> str | None:
        if role not in cols:
            return None
        for row in group:
            v = row[cols[role]].strip()
            if v.lower() not in MISSING:
                return v
        return None

    keep, stamps = [], []
    for key, group in by_ticket.items():
        stamp = [row[cols["opened"]].strip() for row in group if row[cols["opened"]].strip().lower() not in MISSING]
        if stamp:
            keep.append(key)
            stamps.append(stamp)
    if not keep:
        raise ValueError(
            f"opened: column {source['opened']!r} holds no date in any row; expected when each ticket was opened"
        )
    flat = [s for ss in stamps for s in ss]
    parsed = iter(parse_times(flat, dayfirst=dayfirst, tz=timezone))
    opened_at = [min(next(parsed) for _ in ss) for ss in stamps]
    start = min(opened_at)
    monday = datetime(start.year, start.month, start.day) - timedelta(days=start.weekday())
    opened = np.array([(t - monday).total_seconds() / 3600 for t in opened_at])
    groups = [by_ticket[k] for k in keep]
    types = priorities = escalated = worked = targets = made = None
    if "type" in cols:
        types = tuple(first("type", g) or "unknown" for g in groups)
    if "priority" in cols:
        priorities = tuple(first("priority", g) or "unknown" for g in groups)
    if "escalated" in cols:
        escalated = np.array([any(_flag(r[cols["escalated"]]) for r in g) for g in groups])
    elif "group" in cols:
        escalated = np.array([len({r[cols["group"]].strip() for r in g} - {""}) > 1 for g in groups])
        source["escalated"] = f"a change of {source['group']!r}"
    if escalation_activity is not None:
        if "activity" not in cols:
            raise ValueError("--escalation-activity: needs --columns activity=<the column naming each event>")
        hit = escalation_activity.strip().lower()
        escalated = np.array([any(r[cols["activity"]].strip().lower() == hit for r in g) for g in groups])
        source["escalated"] = f"{source['activity']!r} is {escalation_activity!r}"
    if "worked" in cols:
        unit = WORK_UNITS[fmt]
        worked = np.array([_hours(g[-1][cols["worked"]], unit) for g in groups])  # an audit log: the last row
    if "target" in cols:
        targets = np.array([_hours(first("target", g) or "", 1.0) for g in groups])
    if "made" in cols:  # the last row of an audit log has the final word
        made = np.array([_flag(g[-1][cols["made"]]) is True for g in groups])
    order = np.argsort(opened, kind="stable")

    def pick(seq: Any) -> Any:
        if seq is None:
            return None
        return tuple(seq[i] for i in order) if isinstance(seq, tuple) else np.asarray(seq)[order]

    tickets = Tickets(
        opened=opened[order],
        start=monday,
        types=pick(types),
        priorities=pick(priorities),
        escalated=pick(escalated),
        worked=pick(worked),
        targets=pick(targets),
        made=pick(made),
        source=source,
    )
    return tickets, fmt


# ---------------------------------------------------------------------------- fitting


def _slug(name: str, taken: set[str]) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "type"
    if not s[0].isalpha():
        s = "t-" + s
    base, n = s[:40], 2
    s = base
    while s in taken:
        s, n = f"{base}-{n}", n + 1
    taken.add(s)
    return s


def _type_names(tickets: Tickets) -> list[str]:
    """Each ticket's type in the scenario: the largest types by share (slugs), the rest 'other'."""
    if tickets.types is None:
        return ["request"] * len(tickets)
    counts = Counter(tickets.types)
    n = len(tickets)
    big = [t for t, c in counts.most_common(MAX_TYPES) if c / n >= MIN_SHARE and t != "unknown"]
    taken: set[str] = {"other"}
    slug = {t: _slug(t, taken) for t in big}
    return [slug.get(t, "other") for t in tickets.types]


def _coverage(opened: np.ndarray) -> tuple[np.ndarray, float]:
    """How many hours of each hour of the week the log covers, from its first to its last ticket's hour."""
    lo, hi = math.floor(opened.min()), math.floor(opened.max()) + 1
    hours = np.arange(lo, hi)
    return np.bincount(hours % 168, minlength=168).astype(float), float(hi - lo)


def _shares(arrival: np.ndarray, types: Sequence[str], escalated: np.ndarray | None, hours: float) -> dict[str, Any]:
    n = arrival.size
    by_hour = np.bincount(np.floor(arrival).astype(int) % 24, minlength=24) / max(n, 1)
    mix = {t: c / n for t, c in Counter(types).items()}
    esc = None if escalated is None else float(np.mean(escalated))
    return {"rate": n / hours, "by_hour": by_hour.tolist(), "mix": mix, "escalation": esc}


def _ks(x: np.ndarray, mean: float, cv: float) -> tuple[float, float]:
    """The Kolmogorov-Smirnov statistic of ``x`` against a lognormal of this mean and cv, and its p-value."""
    sigma = math.sqrt(math.log1p(cv**2))
    mu = math.log(mean) - sigma**2 / 2
    xs = np.sort(x)
    z = (np.log(xs) - mu) / (sigma * math.sqrt(2))
    cdf = 0.5 * (1 + np.vectorize(math.erf)(z))
    n = xs.size
    d = float(max(np.max(np.arange(1, n + 1) / n - cdf), np.max(cdf - np.arange(n) / n)))
    t = (math.sqrt(n) + 0.12 + 0.11 / math.sqrt(n)) * d  # Stephens' approximation
    p = 2 * sum((-1) ** (k - 1) * math.exp(-2 * k * k * t * t) for k in range(1, 101))
    return d, min(1.0, max(0.0, p))


def fit(tickets: Tickets, *, name: str = "my-desk") -> Fit:
    """The scenario a log identifies, with the report of what came from data and what was assumed."""
    from simlib.scenario import Scenario

    n = len(tickets)
    if n < 30:
        raise ValueError(f"LOG: {n} tickets; expected at least 30 to fit a desk")
    items: list[Item] = []
    unseen: list[str] = []
    covered, hours = _coverage(tickets.opened)
    rate = n / hours
    items.append(Item("customers.customers.rate", rate, "data", f"{n} tickets in {hours:.0f} hours"))
    counts = np.bincount(np.floor(tickets.opened).astype(int) % 168, minlength=168).astype(float)
    days_seen = [d for d in range(7) if covered[24 * d : 24 * d + 24].max() > 0]
    day_names = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    if covered.min() > 0:
        week = counts / covered
        profile = week / week.mean()
        items.append(
            Item("customers.customers.profile", profile.tolist(), "data", "168 hours: each day of the week seen")
        )
    else:
        seen = covered > 0
        by_hour = np.array([counts[h::24][seen[h::24]].sum() / covered[h::24][seen[h::24]].sum() for h in range(24)])
        profile = by_hour / by_hour.mean()
        seen_names = ", ".join(day_names[d] for d in days_seen)
        missing = ", ".join(day_names[d] for d in range(7) if d not in days_seen)
        items.append(Item("customers.customers.profile", profile.tolist(), "data", f"24 hours, from {seen_names}"))
        unseen.append(
            f"not every hour of the week: {missing or 'some hours'} not in the log, "
            "so every day is taken to be like the days seen"
        )
    names = _type_names(tickets)
    mix = {t: c / n for t, c in sorted(Counter(names).items(), key=lambda kv: (kv[0] == "other", -kv[1]))}
    how = f"the largest types of {tickets.source.get('type')!r}" if tickets.types else "no type column: one type"
    items.append(Item("customers.customers.mix", mix, "data" if tickets.types else "assumed", how))
    if tickets.escalated is not None:
        esc = {t: float(np.mean(tickets.escalated[np.array(names) == t])) for t in mix}
        knowledge = {t: 1.0 - e for t, e in esc.items()}
        items.append(
            Item("first_line.knowledge", knowledge, "data", f"1 - escalated share, from {tickets.source['escalated']}")
        )
        esc_share = float(np.mean(tickets.escalated))
    else:
        knowledge, esc_share = dict.fromkeys(mix, 0.8), None
        items.append(Item("first_line.knowledge", 0.8, "assumed", "the log says nothing of escalation"))
        unseen.append("escalation: no reassignment, group or tier field")
    items.append(Item("know_how", 1.0, "assumed", "every ticket in the log was for the desk to resolve"))
    handling_fit: dict[str, dict[str, float]] = {}
    handling = dict.fromkeys(mix, ASSUMED_HANDLING[0])
    cv = dict.fromkeys(mix, 1.0)
    if tickets.worked is not None and np.sum(np.isfinite(tickets.worked) & (tickets.worked > 0)) >= 20:
        for t in mix:
            x = tickets.worked[(np.array(names) == t) & np.isfinite(tickets.worked) & (tickets.worked > 0)]
            if x.size >= 20:
                mean, sd = float(np.mean(x)), float(np.std(x, ddof=1))
                handling[t], cv[t] = mean, max(sd / mean, 0.05)
                d, p = _ks(x, mean, cv[t])
                handling_fit[t] = {"n": float(x.size), "mean": mean, "cv": cv[t], "ks": d, "p": p}
        items.append(
            Item(
                "types.*.handling", handling, "data", f"lognormal fitted to {tickets.source['worked']!r} (time worked)"
            )
        )
    else:
        items.append(
            Item(
                "types.*.handling",
                ASSUMED_HANDLING[0],
                "assumed",
                "no work-time field: 0.5 h first line, 1 h second line",
            )
        )
        unseen.append("handling times: the log has no work-time field, and open-to-resolved time includes waiting")
    deadlines = dict.fromkeys(mix, ASSUMED_DEADLINE)
    if tickets.targets is not None and np.isfinite(tickets.targets).any():
        for t in mix:
            x = tickets.targets[(np.array(names) == t) & np.isfinite(tickets.targets)]
            if x.size:
                deadlines[t] = float(statistics.median(x.tolist()))
        items.append(Item("types.*.deadline", deadlines, "data", f"median SLA target of {tickets.source['target']!r}"))
    else:
        items.append(Item("types.*.deadline", ASSUMED_DEADLINE, "assumed", "no SLA target field in the log"))
    # the busiest 8 hours of the day, on average: a working day's demand
    day = profile.reshape(-1, 24).mean(axis=0)
    busy = rate * float(np.sort(day)[-8:].mean())
    agents = max(1, math.ceil(busy * sum(mix[t] * handling[t] for t in mix) / TARGET_LOAD))
    second = max(1, math.ceil(busy * sum(mix[t] * (1 - knowledge[t]) for t in mix) * ASSUMED_HANDLING[1] / TARGET_LOAD))
    sized = f"{TARGET_LOAD:.0%} busy in the busiest 8 hours of the day"
    items.append(Item("first_line.agents", agents, "assumed", sized))
    items.append(Item("second_line.agents", second, "assumed", sized))
    items.append(Item("first_line.cost, second_line.cost", COST, "assumed", "the kit's own prices per agent-hour"))
    items.append(Item("customers.customers.patience", math.inf, "assumed", "a ticket waits; nobody hangs up"))
    items.append(Item("continuity, security, outages", "none", "assumed", "a ticket log does not record them"))
    unseen.append("agents, shifts, outages, disruptions and impostors: not in a ticket log")
    data = {
        "name": name,
        "description": f"Fitted from {n} tickets ({hours:.0f} hours)",
        "horizon": 168.0,
        "catalogue": list(mix),
        "know_how": 1.0,
        "types": {
            t: {
                "handling": handling[t],
                "second_line_handling": ASSUMED_HANDLING[1],
                "deadline": deadlines[t],
                "distribution": "lognormal" if t in handling_fit else "exponential",
                "cv": cv[t],
            }
            for t in mix
        },
        "customers": {
            "customers": {
                "kind": "internal",
                "rate": rate,
                "mix": mix,
                "profile": [float(w) for w in profile],
            }
        },
        "first_line": {"agents": agents, "knowledge": knowledge, "cost": COST[0]},
        "second_line": {"agents": second, "cost": COST[1]},
    }
    # the shares the log shows, for validation: by hour of the day over the whole log
    observed = _shares(tickets.opened, names, tickets.escalated, hours)
    # by hour of the day, each hour counted over the days the log covers it (a log that ends at
    # 15:33 saw the evening one day less often than the morning)
    day_counts = counts.reshape(7, 24).sum(axis=0)
    day_cover = covered.reshape(7, 24).sum(axis=0)
    per_hour = np.divide(day_counts, day_cover, out=np.zeros(24), where=day_cover > 0)
    observed["by_hour"] = (per_hour / per_hour.sum()).tolist()
    observed["escalation"] = esc_share
    if tickets.priorities is not None:
        observed["priorities"] = {k: c / n for k, c in Counter(tickets.priorities).most_common()}
    observed["made"] = None if tickets.made is None else float(np.mean(tickets.made))
    first_t = tickets.start + timedelta(hours=float(tickets.opened.min()))
    last_t = tickets.start + timedelta(hours=float(tickets.opened.max()))
    observed.update(tickets=n, hours=hours, first=f"{first_t:%Y-%m-%d %H:%M}", last=f"{last_t:%Y-%m-%d %H:%M}")
    report = FitReport(tuple(items), observed, tuple(unseen), handling_fit)
    return Fit(Scenario.from_dict(data), report, tickets)


def from_log(
    path: str | os.PathLike[str],
    format: str | None = None,
    columns: Mapping[str, str] | None = None,
    *,
    dayfirst: bool | None = None,
    timezone: str | None = None,
    escalation_activity: str | None = None,
    name: str = "my-desk",
) -> Fit:
    """Read a ticket export and fit a desk to it: :class:`Fit` with ``scenario`` and ``report``."""
    tickets, _fmt = read_tickets(
        path,
        format=format,
        columns=columns,
        dayfirst=dayfirst,
        timezone=timezone,
        escalation_activity=escalation_activity,
    )
    return fit(tickets, name=name)
