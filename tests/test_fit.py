"""simlib.fit: a desk fitted from a ticket export reproduces what the log identifies."""

from __future__ import annotations

import gzip
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from simlib import fit, load_scenario

DATA = Path(__file__).parent / "data"
SERVICENOW = DATA / "servicenow-incident-event-log.csv.gz"
HELPDESK = DATA / "helpdesk-event-log.csv.gz"
HELPDESK_COLUMNS = {"ticket": "case:concept:name", "opened": "time:timestamp", "activity": "concept:name"}


@pytest.fixture(scope="module")
def servicenow():
    return fit.from_log(SERVICENOW)


@pytest.fixture(scope="module")
def helpdesk():
    return fit.from_log(HELPDESK, "csv", HELPDESK_COLUMNS, escalation_activity="Require upgrade")


def test_servicenow_is_detected_and_one_row_per_ticket(servicenow):
    tickets, fmt = fit.read_tickets(SERVICENOW)
    assert fmt == "servicenow"
    assert len(tickets) == 890  # 5,998 audit rows, 890 incident numbers
    assert servicenow.report.observed["tickets"] == 890


@pytest.mark.parametrize("name", ["servicenow", "helpdesk"])
def test_the_fitted_desk_reproduces_the_log(name, request):
    desk = request.getfixturevalue(name)
    checks = desk.validate()
    assert set(checks) >= {"arrival rate", "shares by hour", "type mix", "escalation share"}
    for what, c in checks.items():
        assert c["ok"], (name, what, c)
    assert checks["arrival rate"]["tolerance"] == 0.10
    assert checks["shares by hour"]["tolerance"] == 0.05
    assert checks["type mix"]["tolerance"] == 0.03
    assert checks["escalation share"]["tolerance"] == 0.05


def test_validation_fails_when_the_desk_does_not_match(servicenow):
    wrong = fit.Fit(
        servicenow.scenario.replace(**{"customers.customers.rate": 10.0}), servicenow.report, servicenow.tickets
    )
    assert not wrong.validate()["arrival rate"]["ok"]


def test_a_partial_week_is_fitted_with_a_day_profile_and_says_what_it_missed(servicenow):
    profile = servicenow.scenario.customers[0].profile
    assert len(profile) == 24
    unseen = " ".join(servicenow.report.unseen)
    assert "Thursday" in unseen and "Sunday" in unseen
    assert "Tuesday" not in unseen.split(":")[1].split("not in")[0]


def test_a_log_over_every_hour_of_the_week_gives_a_week_profile(helpdesk):
    profile = np.array(helpdesk.scenario.customers[0].profile)
    assert profile.size == 168
    weekdays, weekend = profile[: 5 * 24].mean(), profile[5 * 24 :].mean()
    assert weekend < weekdays / 3  # a help desk of a company: quiet at the weekend


def test_the_report_says_field_by_field_what_is_data_and_what_is_assumed(servicenow, helpdesk):
    sources = {i.field: i.source for i in servicenow.report.items}
    assert sources["customers.customers.rate"] == "data"
    assert sources["customers.customers.mix"] == "data"
    assert sources["first_line.knowledge"] == "data"
    assert sources["types.*.handling"] == "assumed"
    assert sources["first_line.agents"] == "assumed"
    assert {i.field: i.source for i in helpdesk.report.items}["customers.customers.mix"] == "assumed"
    text = servicenow.report.text()
    assert "assumed" in text and "could not see" in text and "890 tickets" in text
    assert "SLA attainment" in text and "priorities" in text  # read and said, not fitted
    assert 0 < servicenow.report.observed["made"] < 1


def test_type_mix_is_the_largest_types_plus_other(servicenow):
    mix = servicenow.scenario.customers[0].mix
    assert list(mix)[-1] == "other"
    assert len(mix) <= fit.MAX_TYPES + 1
    assert math.isclose(sum(mix.values()), 1.0)


def test_the_fitted_scenario_round_trips_through_toml(tmp_path, helpdesk):
    path = tmp_path / "my-desk.toml"
    path.write_text(helpdesk.scenario.to_toml())
    assert load_scenario(path) == helpdesk.scenario


def _write(tmp_path, text, name="log.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def _weeks_of_tickets(rng, n, start="2024-01-01"):
    """n tickets at random times over two weeks from a Monday, as ISO stamps."""
    base = np.datetime64(f"{start}T00:00")
    minutes = np.sort(rng.integers(0, 14 * 24 * 60, n))
    return [str(base + np.timedelta64(int(m), "m")).replace("T", " ") for m in minutes]


def test_handling_times_are_fitted_with_goodness_of_fit(tmp_path):
    rng = np.random.default_rng(1)
    stamps = _weeks_of_tickets(rng, 600)
    sigma = math.sqrt(math.log1p(0.8**2))
    worked = np.exp(math.log(0.4) - sigma**2 / 2 + sigma * rng.standard_normal(600))
    lines = ["Key,Created,Type,Minutes"] + [
        f"T{i},{s},incident,{w * 60:.2f}" for i, (s, w) in enumerate(zip(stamps, worked))
    ]
    path = _write(tmp_path, "\n".join(lines))
    desk = fit.from_log(path, "csv", {"ticket": "Key", "opened": "Created", "type": "Type", "worked": "Minutes"})
    f = desk.report.handling_fit["incident"]
    # the column holds minutes, but a generic CSV's work time is in hours: 60 times too long
    assert f["mean"] == pytest.approx(24.0, rel=0.1)
    assert f["cv"] == pytest.approx(0.8, rel=0.2)
    assert f["p"] > 0.01  # drawn from a lognormal: the KS test does not reject it
    assert desk.scenario.types[0].distribution == "lognormal"


def test_ks_rejects_the_wrong_distribution():
    rng = np.random.default_rng(2)
    uniform = rng.uniform(0.9, 1.1, 500)  # nothing like a lognormal with cv 1
    d, p = fit._ks(uniform, 1.0, 1.0)
    assert d > 0.2 and p < 1e-6


def test_missing_values_and_several_rows_per_ticket(tmp_path):
    rng = np.random.default_rng(3)
    stamps = _weeks_of_tickets(rng, 100)
    rows = ["number,opened_at,category,reassignment_count"]
    for i, s in enumerate(stamps):
        rows.append(f"INC{i},{s},{'?' if i % 10 == 0 else 'network'},0")
        rows.append(f"INC{i},{s},NULL,{1 if i % 4 == 0 else 0}")  # a later update
    rows.append("?,2024-01-02 10:00,network,0")  # no ticket number: left out
    desk = fit.from_log(_write(tmp_path, "\n".join(rows)))
    assert desk.report.observed["tickets"] == 100
    assert desk.report.observed["escalation"] == pytest.approx(0.25)
    assert set(desk.scenario.customers[0].mix) <= {"network", "other"}


def test_dates_day_first_or_month_first(tmp_path):
    assert fit.parse_times(["13-01-2024 10:00", "01-02-2024 10:00"])[1].month == 2  # 13 decides: day first
    assert fit.parse_times(["01/13/2024 10:00 PM"])[0].hour == 22  # 13 decides: month first
    with pytest.raises(ValueError, match="dayfirst"):
        fit.parse_times(["01-02-2024 10:00"])
    assert fit.parse_times(["01-02-2024 10:00"], dayfirst=True)[0].month == 2
    assert fit.parse_times(["01-02-2024 10:00"], dayfirst=False)[0].month == 1
    with pytest.raises(ValueError, match="drop the flag"):
        fit.parse_times(["13-01-2024 10:00"], dayfirst=False)


def test_time_zones_are_converted_to_the_desks_zone():
    t = fit.parse_times(["2024-07-01T08:00:00+00:00"], tz="Europe/Amsterdam")[0]
    assert t.hour == 10  # summer time: UTC+2
    assert fit.parse_times(["2024-07-01T08:00:00Z"])[0].hour == 8
    with pytest.raises(ValueError, match="--timezone"):
        fit.parse_times(["2024-07-01T08:00:00Z"], tz="Mars/Olympus")


@pytest.mark.parametrize(
    ("header", "fmt"),
    [
        ("Issue key,Summary,Issue Type,Priority,Created,Time Spent", "jira"),
        ("ID,Title,Category,Priority,Opening date,Total duration", "glpi"),
        ("Ticket#,Title,Queue,Type,Priority,Created,Accounted time", "otrs"),
        ("number,short_description,category,priority,opened_at,reassignment_count", "servicenow"),
    ],
)
def test_formats_are_detected_from_the_header(header, fmt):
    assert fit.detect_format(header.split(",")) == fmt


def test_bad_input_names_what_is_wrong(tmp_path):
    with pytest.raises(ValueError, match="not a file"):
        fit.from_log(tmp_path)
    with pytest.raises(ValueError, match="empty"):
        fit.from_log(_write(tmp_path, ""))
    with pytest.raises(ValueError, match="matches none"):
        fit.from_log(_write(tmp_path, "a,b\n1,2\n"))
    with pytest.raises(ValueError, match="not a column"):
        fit.from_log(_write(tmp_path, "a,b\n1,2\n"), "csv", {"opened": "when"})
    with pytest.raises(ValueError, match="not a role"):
        fit.from_log(_write(tmp_path, "a,b\n1,2\n"), "csv", {"colour": "a"})
    with pytest.raises(ValueError, match="at least 30"):
        fit.from_log(
            _write(tmp_path, "Key,Created\nA,2024-01-01 10:00\n"), "csv", {"ticket": "Key", "opened": "Created"}
        )
    with pytest.raises(ValueError, match="not a date"):
        fit.from_log(_write(tmp_path, "Key,Created\nA,yesterday\n"), "csv", {"ticket": "Key", "opened": "Created"})


def test_gzip_bombs_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(fit, "MAX_BYTES", 1000)
    path = tmp_path / "bomb.csv.gz"
    path.write_bytes(gzip.compress(b"number,opened_at\n" + b"x,2024-01-01 10:00\n" * 1000))
    with pytest.raises(ValueError, match="unpacks to more"):
        fit.from_log(path)


def test_pictures(servicenow):
    import matplotlib

    matplotlib.use("Agg")
    from simlib.plots import fit_pictures

    fig = fit_pictures(servicenow)
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == ["Arrivals by hour", "Type mix", "Handling times"]


def test_command_line(tmp_path):
    out = tmp_path / "my-desk.toml"
    done = subprocess.run(
        [sys.executable, "-m", "simlib", "fit", str(SERVICENOW), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "arrival rate" in done.stdout and "ok" in done.stdout
    assert load_scenario(out).customers[0].rate == pytest.approx(14.127, rel=1e-3)
    bad = subprocess.run(
        [sys.executable, "-m", "simlib", "fit", str(SERVICENOW), "--columns", "opened"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 2 and "--columns" in bad.stderr and "Traceback" not in bad.stderr


def test_the_class_game_plays_on_a_fitted_desk(tmp_path, servicenow):
    """'This is your service desk': a round of the classroom game on the desk fitted from the log."""
    from simlib import classroom as cr

    desk = servicenow.scenario.replace(horizon=24.0)
    store = cr.create_game(tmp_path / "my-desk.sqlite", desk, rounds=1, seed=1, runs=2)
    cr.open_round(store)
    red, blue = cr.join(store, "red"), cr.join(store, "blue")
    cr.submit(store, red, {"first_line.agents": desk.first_line.agents + 1})
    cr.submit(store, blue, {})
    cr.close_round(store, workers=1)
    board = {row["team"]: row for row in cr.leaderboard(store, 1)}
    assert set(board) == {"red", "blue"}
    assert board["red"]["cost"] > board["blue"]["cost"] > 0  # the fitted desk is priced: one more agent costs
