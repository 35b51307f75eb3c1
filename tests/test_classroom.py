"""The classroom game's rules: levers and prices, budget and ranges, late and repeated
submissions, fair scoring on common weeks, events, the leaderboard, the debrief and the export."""

from __future__ import annotations

import csv
import io
import math
import time
from pathlib import Path

import numpy as np
import pytest

import simlib
from simlib import classroom, levers, plots
from simlib import classroom as cr
from simlib.classroom import EVENTS, LateSubmission, Store
from simlib.classroom.debrief import team_runs

RUNS = 4


@pytest.fixture(scope="module")
def short() -> simlib.Scenario:
    """Three days of the service desk: the game's rules, at a third of the cost."""
    return simlib.load_scenario("service-desk").replace(horizon=72.0)


def make(tmp_path: Path, short: simlib.Scenario, name: str = "game.sqlite", opened: bool = True, **kw) -> Store:
    """A new game with round 1 open (or only prepared)."""
    kw.setdefault("seed", 7)
    kw.setdefault("runs", RUNS)
    game = cr.create_game(tmp_path / name, short, **kw)
    if opened:
        cr.open_round(game)
    return game


def close(game: Store, event: str | None = None) -> cr.ClosedRound:
    """Close the open round and, if the game goes on, open the next (with ``event``)."""
    done = cr.close_round(game, workers=1, confirm=True)
    if done.next is not None:
        if event:
            cr.prepare_round(game, event)
        cr.open_round(game)
    return done


def runs_of(game: Store, team: str, round: int = 1) -> list[dict]:
    return team_runs(game, round)[team]


# ------------------------------------------------------------------ creating, joining, levers


def test_create_refuses_an_existing_file(tmp_path: Path, short) -> None:
    make(tmp_path, short)
    with pytest.raises(ValueError, match=r"^path: .* exists already"):
        make(tmp_path, short)
    (tmp_path / "other.sqlite").write_text("not a game")
    with pytest.raises(ValueError, match="^path:"):
        make(tmp_path, short, name="other.sqlite")
    with pytest.raises(cr.GameFileError, match=r"^The game's file other.sqlite cannot be used \(the file is damaged\)"):
        Store.open(tmp_path / "other.sqlite")
    with pytest.raises(cr.GameFileError, match=r"\(the file is not there\)"):
        Store.open(tmp_path / "missing.sqlite")


@pytest.mark.parametrize("bad", ["", "   ", "x" * 21, "<b>red</b>", "-red", 7, None])
def test_team_names_are_checked(tmp_path: Path, short, bad) -> None:
    game = make(tmp_path, short)
    with pytest.raises(ValueError, match="^team: "):
        cr.join(game, bad)


def test_a_name_joins_once_and_the_token_rejoins(tmp_path: Path, short) -> None:
    game = make(tmp_path, short)
    red = cr.join(game, "Red team")
    with pytest.raises(ValueError, match="^team: 'red TEAM' is taken"):
        cr.join(game, "red TEAM")
    assert cr.team(game, red.token) == red
    assert cr.team(game, red.token.lower()).name == "Red team"
    with pytest.raises(ValueError, match="^token:"):
        cr.team(game, "NOPE1234")
    assert [t["team"] for t in cr.teams(game)] == ["Red team"]


def test_levers_come_from_the_lever_table_with_a_price(tmp_path: Path, short) -> None:
    game = make(tmp_path, short)
    offered = cr.levers(game)
    names = [lv.name for lv in offered]
    assert names == [n for n in levers.names() if n in names], "in the table's order"
    for lv in offered:
        table = levers.lever(lv.name)
        assert (lv.label, lv.concept, lv.half, lv.low, lv.high) == (
            table.label, table.concept, table.half, table.low, table.high,
        )  # fmt: skip
        assert lv.price and lv.name in classroom.PRICES
        assert classroom.current_value(short, lv.name) == lv.default
    # data-driven: every priced lever the scenario has is offered, and only those
    present = {n for n in classroom.PRICES if classroom.current_value(short, n) is not None}
    assert set(names) == present
    assert {"first_line.agents", "first_line.knowledge", "first_line.mtbf", "catalogue"} <= set(names)
    assert {"know_how", "first_line.skill", "security.verification"} <= set(names), "the model of issue 9"


def test_allowed_levers_limit_what_a_team_may_set(tmp_path: Path, short) -> None:
    game = make(tmp_path, short, levers=["first_line.agents", "first_line.knowledge"])
    assert [lv.name for lv in cr.levers(game)] == ["first_line.knowledge", "first_line.agents"]
    cr.join(game, "red")
    with pytest.raises(ValueError, match=r"^first_line\.mtbf: not a lever of this game"):
        cr.submit(game, "red", {"first_line.mtbf": 100.0})
    with pytest.raises(ValueError, match="^levers:"):
        make(tmp_path, short, name="b.sqlite", levers=["first_line.hours"])


@pytest.mark.parametrize("key", list(EVENTS))
def test_the_scenarios_own_settings_fit_the_default_budget_in_every_event(tmp_path: Path, short, key) -> None:
    game = make(tmp_path, short, opened=False)
    if not EVENTS[key].available(short):
        with pytest.raises(ValueError, match="^event:"):
            cr.prepare_round(game, key)
        return
    cr.prepare_round(game, key)
    cr.open_round(game)
    now = cr.game_state(game).current
    assert now.event == key
    assert cr.cost(game, {}) <= now.budget
    cr.join(game, "red")
    cr.submit(game, "red", {})  # the defaults are always a valid submission


# ------------------------------------------------------------------ submissions


def test_budget_ranges_and_unknown_levers_name_the_field(tmp_path: Path, short) -> None:
    game = make(tmp_path, short)
    cr.join(game, "red")
    cases = {
        "budget": {"first_line.agents": 12},
        r"first_line\.agents: 40 is out of range": {"first_line.agents": 40},
        r"first_line\.agents: 5\.5 is not a whole number": {"first_line.agents": 5.5},
        r"first_line\.knowledge: 1\.5 is out of range": {"first_line.knowledge": 1.5},
        r"first_line\.knowledge: 'high' is not a number": {"first_line.knowledge": "high"},
        r"first_line\.mtrs: nan is not allowed": {"first_line.mtrs": math.nan},
        r"catalogue: 'teleport' is not a request type": {"catalogue": ["incident", "teleport"]},
        r"catalogue: empty": {"catalogue": []},
        r"second_line\.agents: not a lever of this game": {"second_line.agents": 3},
        r"scenario: not a lever": {"scenario": "pure-queue"},
    }
    for message, choices in cases.items():
        with pytest.raises(ValueError, match="^" + message.replace("scenario: not", "scenario: not")):
            cr.submit(game, "red", choices)
    with pytest.raises(ValueError, match="^team: 'blue' is not a team of this game"):
        cr.submit(game, "blue", {})
    assert cr.submission(game, "red") is None, "a refused submission stores nothing"


def test_cost_adds_the_price_of_every_lever(tmp_path: Path, short) -> None:
    game = make(tmp_path, short)
    base = cr.cost(game, {})
    per_agent = classroom.agent_price(short)
    assert per_agent == pytest.approx(short.first_line.cost * short.horizon)
    assert cr.cost(game, {"first_line.agents": 6}) == pytest.approx(base + per_agent)
    assert cr.cost(game, {"first_line.knowledge": 0.9}) == pytest.approx(
        base + 0.1 * classroom.PRICES["first_line.knowledge"].rate
    )
    assert cr.cost(game, {"first_line.mtrs": 1.0}) == pytest.approx(base + classroom.PRICES["first_line.mtrs"].rate)
    everything = [o for lv in cr.levers(game) if lv.name == "catalogue" for o in lv.options]
    assert cr.cost(game, {"catalogue": everything}) > base


def test_resubmission_replaces_the_choice(tmp_path: Path, short) -> None:
    game = make(tmp_path, short)
    cr.join(game, "red")
    cr.submit(game, "red", {"first_line.agents": 6})
    cr.submit(game, "red", {"first_line.knowledge": 0.9}, 1)
    sub = cr.submission(game, "red")
    assert sub.choices["first_line.agents"] == 5 and sub.choices["first_line.knowledge"] == 0.9
    close(game)
    assert cr.played(game, 1)["red"].choices["first_line.knowledge"] == 0.9
    assert cr.played(game, 1)["red"].kind is cr.PlayKind.SUBMITTED


def test_late_submissions_are_refused_with_a_message(tmp_path: Path, short) -> None:
    game = make(tmp_path, short, rounds=2)
    cr.join(game, "red")
    cr.submit(game, "red", {})
    close(game)
    with pytest.raises(
        LateSubmission, match="^round: round 1 is closed, so these choices were not sent. Round 2 is on now"
    ):
        cr.submit(game, "red", {"first_line.agents": 6}, 1)
    assert cr.submission(game, "red", 1) is not None
    cr.submit(game, "red", {"first_line.agents": 6}, 2)  # the open round is fine
    # A round being closed (another kernel is running it) refuses submissions too.
    game.write(lambda con: con.execute("UPDATE rounds SET status = 'closing' WHERE number = 2"))
    with pytest.raises(LateSubmission, match="^round: round 2 is being closed"):
        cr.submit(game, "red", {})
    game.write(lambda con: con.execute("UPDATE rounds SET status = 'open' WHERE number = 2"))
    close(game)
    assert cr.game_state(game).over
    with pytest.raises(LateSubmission, match="^round: the game is over"):
        cr.submit(game, "red", {})
    with pytest.raises(ValueError, match="^round: the game is over"):
        close(game)


def test_the_event_is_set_while_the_round_is_prepared_and_teams_submit_only_once_it_is_open(
    tmp_path: Path, short
) -> None:
    game = make(tmp_path, short, opened=False)
    cr.join(game, "red")
    budget = game.settings.budget + 5000
    cr.prepare_round(game, "demand-surge", budget=budget)
    assert cr.game_state(game).current.budget == budget
    with pytest.raises(ValueError, match="^round: round 1 has not opened yet"):
        cr.submit(game, "red", {})
    assert cr.open_round(game).status is cr.RoundStatus.OPEN
    cr.submit(game, "red", {})
    with pytest.raises(ValueError, match="^round: round 1 is open already, so its event stays as it is"):
        cr.prepare_round(game, "failing-system")
    with pytest.raises(ValueError, match="^round: round 1 is open already"):
        cr.open_round(game)
    with pytest.raises(ValueError, match="^event: 'meteor'"):
        cr.prepare_round(game, "meteor")
    with pytest.raises(ValueError, match="^budget:"):
        cr.set_budget(game, 10)


# ------------------------------------------------------------------ fair scoring


def test_same_choices_give_identical_results(tmp_path: Path, short) -> None:
    game = make(tmp_path, short)
    for team in ("red", "blue", "green"):
        cr.join(game, team)
    cr.submit(game, "red", {"first_line.agents": 6})
    cr.submit(game, "blue", {"first_line.agents": 6})
    cr.submit(game, "green", {"first_line.knowledge": 0.95})
    close(game)
    assert runs_of(game, "red") == runs_of(game, "blue")
    board = {r["team"]: r for r in cr.leaderboard(game)}
    assert board["red"]["value"] == board["blue"]["value"]
    assert board["red"]["rank"] == board["blue"]["rank"]
    assert "blue" in board["red"]["tied_with"] and "cannot be told apart from blue" in board["red"]["note"]
    # the same game again, in another file: the same numbers
    again = make(tmp_path, short, name="again.sqlite")
    cr.join(again, "red")
    cr.submit(again, "red", {"first_line.agents": 6})
    close(again)
    assert runs_of(again, "red") == runs_of(game, "red")


def test_a_teams_result_does_not_depend_on_the_other_teams(tmp_path: Path, short) -> None:
    one = make(tmp_path, short, name="one.sqlite")
    two = make(tmp_path, short, name="two.sqlite")
    cr.join(one, "red")
    cr.submit(one, "red", {"first_line.mtbf": 200.0})
    for team, agents in (("blue", 3), ("green", 6), ("red", None)):
        cr.join(two, team)
        cr.submit(two, team, {"first_line.mtbf": 200.0} if agents is None else {"first_line.agents": agents})
    close(one)
    close(two)
    assert runs_of(one, "red") == runs_of(two, "red")


def test_rounds_have_different_weeks_and_a_team_that_did_not_submit_plays_the_defaults(tmp_path: Path, short) -> None:
    game = make(tmp_path, short, rounds=2)
    cr.join(game, "red")
    close(game)
    close(game)
    assert runs_of(game, "red", 1) != runs_of(game, "red", 2)
    assert cr.played(game, 1)["red"].kind is cr.PlayKind.NOT_SUBMITTED
    assert cr.leaderboard(game, 1)[0]["submitted"] is False


# ------------------------------------------------------------------ events


def event_effect(tmp_path: Path, short, key: str, choices: dict | None = None) -> tuple[dict, dict]:
    """Mean measures of the default desk in a normal week and in the event's week, on the same weeks."""
    plain = make(tmp_path, short, name=f"plain-{key}.sqlite")
    hit = make(tmp_path, short, name=f"hit-{key}.sqlite", event=key)
    for game in (plain, hit):
        cr.join(game, "red")
        if choices and game is hit:
            cr.submit(game, "red", choices)
        close(game)
    return (
        {k: e.mean for k, e in cr.measures(plain, "red").items()},
        {k: e.mean for k, e in cr.measures(hit, "red").items()},
    )


def test_a_demand_surge_hits_warranty_not_utility(tmp_path: Path, short) -> None:
    before, after = event_effect(tmp_path, short, "demand-surge")
    assert after["arrival_rate"] > 1.4 * before["arrival_rate"]
    assert after["warranty"] < before["warranty"] - 0.03
    assert after["utility"] == pytest.approx(before["utility"], abs=0.02)
    assert after["utilisation.first_line"] > before["utilisation.first_line"]


def test_a_new_request_type_hits_utility_and_the_catalogue_answers_it(tmp_path: Path, short) -> None:
    before, after = event_effect(tmp_path, short, "new-request-type")
    assert after["utility"] < before["utility"] - 0.05
    assert after["not_supported"] > before["not_supported"]
    game = make(tmp_path, short, name="new.sqlite", event="new-request-type")
    cat = next(lv for lv in cr.levers(game) if lv.name == "catalogue")
    assert classroom.NEW_TYPE in cat.options and classroom.NEW_TYPE not in cat.default
    _, added = event_effect(
        tmp_path / "x", short, "new-request-type", {"catalogue": [*cat.default, classroom.NEW_TYPE]}
    )
    assert added["utility"] > after["utility"] + 0.05


def test_systems_that_fail_more_often_hit_availability(tmp_path: Path, short) -> None:
    before, after = event_effect(tmp_path, short, "failing-system")
    assert after["availability.first_line"] < before["availability.first_line"] - 0.01
    assert after["utility"] == pytest.approx(before["utility"], abs=1e-9)
    game = make(tmp_path, short, name="f.sqlite", event="failing-system")
    mtbf = next(lv for lv in cr.levers(game) if lv.name == "first_line.mtbf")
    assert mtbf.default == pytest.approx(short.first_line.mtbf / 4)


def test_a_major_disruption_stops_the_desk_and_recovery_is_the_answer(tmp_path: Path, short) -> None:
    before, after = event_effect(tmp_path, short, "major-disruption")
    assert after["availability.first_line"] < before["availability.first_line"]
    assert after["warranty"] < before["warranty"]
    _, quick = event_effect(tmp_path / "q", short, "major-disruption", {"continuity.recovery": 1.0})
    assert quick["warranty"] > after["warranty"]


def test_an_attack_wave_is_offered_only_with_a_security_model(tmp_path: Path, short) -> None:
    game = make(tmp_path, short)
    keys = [e.key for e in cr.events(game)]
    has_security = classroom.choices.field_of(short.to_dict(), "security") is not None
    assert ("attack-wave" in keys) == has_security
    if not has_security:
        pytest.skip("the model has no [security] section yet")
    before, after = event_effect(tmp_path, short, "attack-wave")
    assert after.get("breaches", after.get("breach", 0)) > before.get("breaches", before.get("breach", 0))


# ------------------------------------------------------------------ leaderboard, debrief, export


def test_leaderboard_rows_explanations_advice_and_export(tmp_path: Path, short) -> None:
    game = make(tmp_path, short, rounds=2)
    for team, choices in (("red", {"first_line.agents": 7}), ("blue", {}), ("green", {"first_line.knowledge": 1.0})):
        cr.join(game, team)
        cr.submit(game, team, choices)
    with pytest.raises(ValueError, match="^round: no round has closed yet"):
        cr.leaderboard(game)
    cr.close_round(game, workers=1)
    board = cr.leaderboard(game)
    assert [r["rank"] for r in board] == sorted(r["rank"] for r in board)
    for row in board:
        for key in ("team", "value", "utility", "warranty", "cost", "rank", "value_low", "value_high", "tied_with"):
            assert key in row
        assert row["value_low"] <= row["value"] <= row["value_high"]
        assert row["value"] == pytest.approx(row["utility"] * row["warranty"], abs=0.03)
    text = cr.explain(game, "blue")
    assert "utility" in text and "warranty" in text
    advice = cr.advice(game, workers=1)
    assert sorted(a["team"] for a in advice) == ["blue", "green", "red"]
    for a in advice:
        assert a["text"].startswith(a["team"] + ":") and a["lever"] in [lv.name for lv in cr.levers(game, 1)]
    assert cr.advice(game) == advice, "stored: the same advice without running again"
    cr.prepare_round(game, "demand-surge")
    cr.open_round(game)
    close(game)  # nobody sent choices: every team plays the defaults
    hist = cr.history(game)
    assert {(r["round"], r["team"]) for r in hist} == {(n, t) for n in (1, 2) for t in ("red", "blue", "green")}
    assert {r["event"] for r in hist} == {"none", "demand-surge"}
    rows = list(csv.DictReader(io.StringIO(cr.export_csv(game, tmp_path / "out.csv"))))
    assert len(rows) == 6 and (tmp_path / "out.csv").read_text() == cr.export_csv(game)
    assert {"round", "event", "team", "rank", "value", "value_low", "cost", "first_line.agents"} <= set(rows[0])
    red2 = next(r for r in rows if r["team"] == "red" and r["round"] == "2")
    assert red2["first_line.agents"] == "5" and red2["event"] == "demand-surge"
    debrief = cr.debrief(game)
    assert debrief.teams == ("red", "blue", "green"), "in the order they joined"
    assert [n for n, *_ in debrief.rounds] == [1, 2] and debrief.history == hist
    assert plots.class_history(debrief).axes and plots.class_value_cost(debrief).axes


def test_open_from_another_handle_sees_the_same_game(tmp_path: Path, short) -> None:
    game = make(tmp_path, short)
    cr.join(game, "red")
    cr.submit(game, "red", {"first_line.agents": 6})
    other = Store.open(game.path)
    assert cr.submission(other, "red").choices["first_line.agents"] == 6
    assert other.settings == game.settings
    close(other)
    assert cr.game_state(game).closed == (1,)
    assert np.isfinite(cr.leaderboard(game)[0]["value"])


def test_share_levers_kept_per_type_move_as_a_floor(short) -> None:
    sc = short.replace(**{"first_line.knowledge": {"incident": 0.4}})
    lv = next(x for x in classroom.game_levers(sc) if x.name == "first_line.knowledge")
    assert lv.default == 0.4
    up = classroom.apply_choices(sc, [lv], {lv.name: 0.6}).first_line.knowledge
    assert up["incident"] == 0.6 and up["password-reset"] == 0.8
    down = classroom.apply_choices(sc, [lv], {lv.name: 0.3}).first_line.knowledge
    assert down["incident"] == pytest.approx(0.3) and down["password-reset"] == pytest.approx(0.7)


def test_make_classroom_makes_a_game_and_prints_its_codes(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    pages = Path(__file__).resolve().parents[1] / "notebooks"
    args = ["serve", "--dir", str(tmp_path), "--pages", str(pages), "--dry-run", "--seed", "3", "--rounds", "2"]
    assert classroom.main(args) == 0
    out = capsys.readouterr().out
    (path,) = tmp_path.glob("*.sqlite")
    game = Store.open(path).settings
    code_i = (tmp_path / "instructor-code.txt").read_text().strip()
    assert f"game code:       {game.code}" in out and f"instructor code: {code_i}" in out
    assert f"teams:      http://127.0.0.1:8867/team?game={game.code}" in out
    assert (game.rounds, game.seed, game.instructor_code) == (2, 3, code_i)
    assert sorted(p.name for p in (tmp_path / "pages").iterdir()) == ["classroom-instructor.ipynb"]
    assert classroom.main([*args, "--game", game.code.lower()]) == 0, "reopens the game"
    assert len(list(tmp_path.glob("*.sqlite"))) == 1
    assert classroom.main([*args, "--game", "NOSUCH"]) == 2
    assert "classroom: The game's file NOSUCH.sqlite cannot be used (the file is not there)" in capsys.readouterr().err


# ------------------------------------------------------------------ a real class (issue 24)


def test_names_of_any_script_up_to_20_characters_trimmed_and_a_long_name_is_not_echoed(tmp_path: Path, short) -> None:
    game = make(tmp_path, short)
    assert cr.join(game, "  Zoë ").name == "Zoë"
    assert cr.join(game, "Zoe\u0308 2").name == "Zoë 2", "a name typed with a combining mark is the same name"
    assert cr.join(game, "Команда-1").name == "Команда-1"
    assert cr.join(game, "नमस्ते टीम").name == "नमस्ते टीम", "vowel signs are part of the letters"
    assert cr.join(game, "x" * 20).name == "x" * 20
    for bad in ("red_team", "x" * 21, "<b>", "-red", " ", 7):
        with pytest.raises(ValueError, match="^team: .* cannot be a team name. A name has 1 to 20 letters"):
            cr.join(game, bad)
    with pytest.raises(ValueError) as err:
        cr.join(game, "y" * 10_000)
    assert len(str(err.value)) < 200, "a 10,000-character name is not echoed"


def test_a_cap_on_teams_and_the_instructor_removes_a_team(tmp_path: Path, short) -> None:
    game = make(tmp_path, short, max_teams=2)
    cr.join(game, "red")
    blue = cr.join(game, "blue")
    with pytest.raises(ValueError, match=r"^team: this game is full \(2 teams\)"):
        cr.join(game, "green")
    cr.submit(game, blue, {"first_line.agents": 6})
    cr.remove_team(game, "BLUE")
    assert [t["team"] for t in game_teams(game)] == ["red"]
    assert game.read("SELECT COUNT(*) FROM submissions")[0][0] == 0, "its submission for the open round is gone"
    with pytest.raises(ValueError, match="^token:"):
        cr.team(game, blue.token)
    cr.join(game, "green")
    cr.set_max_teams(game, 3)
    cr.join(game, "yellow")
    assert cr.create_game(tmp_path / "default.sqlite", short).read("SELECT COUNT(*) FROM teams")[0][0] == 0
    assert cr.MAX_TEAMS == 40


def game_teams(game: Store) -> list[dict]:
    return cr.teams(game)


def test_the_instructor_reads_a_teams_rejoin_code_and_reissues_it(tmp_path: Path, short) -> None:
    game = make(tmp_path, short)
    red = cr.join(game, "red")
    assert cr.team_token(game, "Red") == red.token
    new = cr.reissue_token(game, "red")
    assert new != red.token and cr.team(game, new).name == "red"
    with pytest.raises(ValueError, match="^token: no team of this game has that code"):
        cr.team(game, red.token)


def test_a_team_that_joins_while_a_round_closes_starts_in_the_next_round(tmp_path: Path, short, monkeypatch) -> None:
    """The join race: the round and the team are read and written in one transaction."""
    game = make(tmp_path, short, rounds=2)
    cr.join(game, "red")
    cr.submit(game, "red", {})
    from simlib.classroom import closing

    joined = []
    runs = closing.runs

    def join_during_the_close(*args, **kw):
        joined.append(cr.join(Store.open(game.path), "late"))  # another process joins meanwhile
        return runs(*args, **kw)

    monkeypatch.setattr(closing, "runs", join_during_the_close)
    cr.close_round(game, workers=1)
    assert joined[0].first_round == 2
    assert set(cr.played(game, 1)) == {"red"} and [r["team"] for r in cr.leaderboard(game, 1)] == ["red"]
    monkeypatch.undo()
    cr.open_round(game)
    close(game)
    assert set(cr.played(game, 2)) == {"red", "late"}


def test_closing_with_no_submission_needs_a_confirmation(tmp_path: Path, short) -> None:
    game = make(tmp_path, short, rounds=2)
    cr.join(game, "red")
    cr.join(game, "blue")
    with pytest.raises(cr.NeedsConfirmation, match=r"^round: no team has sent choices for round 1 yet \(0 of 2\)"):
        cr.close_round(game, workers=1)
    assert cr.game_state(game).current.status is cr.RoundStatus.OPEN, "nothing happened"
    done = cr.close_round(game, workers=1, confirm=True)
    assert (done.round, done.teams, done.submitted, done.next) == (1, 2, 0, 2)
    with pytest.raises(ValueError, match="^round: round 2 is not open yet; open it first"):
        cr.close_round(game, workers=1, confirm=True)


def test_a_lower_budget_flags_a_submission_over_it_and_it_is_not_played(tmp_path: Path, short) -> None:
    game = make(tmp_path, short)
    cr.join(game, "red")
    cr.join(game, "blue")
    rich = cr.submit(game, "red", {"first_line.agents": 7})
    cr.submit(game, "blue", {})
    assert not rich.over_budget
    assert cr.set_budget(game, rich.cost - 1) == ["red"]
    assert {t["team"]: t["over_budget"] for t in cr.teams(game)} == {"red": True, "blue": False}
    assert cr.submission(game, "red").over_budget
    cr.close_round(game, workers=1)
    red = cr.played(game, 1)["red"]
    assert red.kind is cr.PlayKind.OVER_BUDGET and red.choices["first_line.agents"] == short.first_line.agents
    assert next(r for r in cr.leaderboard(game) if r["team"] == "red")["played"] == "over budget"
    assert "over the budget" in cr.explain(game, "red")


def test_a_missing_or_damaged_game_file_gives_one_clear_error_and_nothing_is_acknowledged(
    tmp_path: Path, short
) -> None:
    game = make(tmp_path, short)
    red = cr.join(game, "red")
    sub = cr.submit(game, red, {"first_line.agents": 6})
    assert cr.submission(Store.open(game.path), "red") == sub, "acknowledged: stored, seen by another process"
    game.path.unlink()
    with pytest.raises(
        cr.GameFileError, match=r"^The game's file game.sqlite cannot be used \(the file is not there\)"
    ):
        cr.submit(game, red, {"first_line.agents": 7})
    with pytest.raises(cr.GameFileError):
        cr.teams(game)
    # damaged: its header overwritten while the game runs
    other = make(tmp_path, short, name="other.sqlite")
    cr.join(other, "red")
    with open(other.path, "r+b") as f:
        f.write(b"garbage garbage!")
    with pytest.raises(
        cr.GameFileError,
        match=r"\(the file is damaged\), so nothing more can be saved. The instructor has to start the game again",
    ):
        cr.submit(other, "red", {})
    with pytest.raises(cr.GameFileError, match=r"\(the file is damaged\)"):
        Store.open(other.path)
    assert not issubclass(cr.GameFileError, ValueError), "not the team's mistake"


def test_after_a_new_request_type_the_levers_show_what_they_were_and_the_defaults_cost_the_same(
    tmp_path: Path, short
) -> None:
    game = make(tmp_path, short, rounds=2, opened=False)
    before = {lv.name: lv.default for lv in cr.levers(game)}
    cost = cr.cost(game, {})
    cr.prepare_round(game, "new-request-type")
    after = {lv.name: lv.default for lv in cr.levers(game)}
    assert after["know_how"] == before["know_how"] and after["first_line.knowledge"] == before["first_line.knowledge"]
    assert after == before, "the event adds a type customers ask for; no lever moved"
    assert cr.cost(game, {}) == cost
    sc = cr.round_scenario(game)
    assert sc.know_how[classroom.NEW_TYPE] == 0.4, "the event's own effect on the new type is kept apart"


def test_the_why_names_the_event_and_the_teams_own_levers(tmp_path: Path, short) -> None:
    game = make(tmp_path, short, opened=False)
    cr.prepare_round(game, "demand-surge")
    cr.open_round(game)
    cr.join(game, "red")
    cr.join(game, "blue")
    cr.submit(game, "red", {"first_line.agents": 6, "first_line.knowledge": 0.9})
    cr.close_round(game, workers=1)
    why = cr.explain(game, "red")
    assert why.startswith("Round 1: Demand surge. The answer to it: capacity")
    assert "You chose first-time fix 0.9; agents 6; the rest stayed as they were." in why
    assert "You did not send choices" in cr.explain(game, "blue")


def test_a_new_game_takes_its_rounds_and_seed(tmp_path: Path, short) -> None:
    game = cr.create_game(tmp_path / "g.sqlite", short, rounds=6, seed=42)
    assert (game.settings.rounds, game.settings.seed) == (6, 42)
    assert cr.game_state(game).current.status is cr.RoundStatus.PREPARED
    with pytest.raises(ValueError, match="^rounds: 0 is out of range"):
        cr.create_game(tmp_path / "h.sqlite", short, rounds=0)


def test_a_teams_colour_is_its_name_when_the_name_is_a_colour() -> None:
    colours = plots.team_colours(["green", "Red", "Zoë", "team Blue", "owls"])
    assert colours["Red"] == plots.NAMED_COLOURS["red"] and colours["green"] == plots.NAMED_COLOURS["green"]
    assert colours["team Blue"] == plots.NAMED_COLOURS["blue"]
    others = {colours["Zoë"], colours["owls"]}
    assert len(others) == 2 and not others & {colours["Red"], colours["green"], colours["team Blue"]}


def test_the_preparer_runs_the_desks_and_the_advice_while_the_rounds_run(tmp_path: Path, short) -> None:
    game = make(tmp_path, short, rounds=2)
    for team in ("red", "blue"):
        cr.join(game, team)
    cr.submit(game, "red", {"first_line.agents": 6})
    preparer = cr.Preparer(game.path, every=0.05, workers=1).start()
    try:
        assert preparer.idle.wait(60)
        kept = game.read("SELECT COUNT(*) FROM runs WHERE round = 1")[0][0]
        assert kept > 2, "the teams' desks and their moves ran while the round was open"
        cr.close_round(game, workers=1)
        assert game.read("SELECT COUNT(*) FROM runs WHERE round = 1")[0][0] == kept, "the close ran nothing new"
        deadline = time.monotonic() + 60
        while not game.read("SELECT 1 FROM debrief WHERE round = 1 AND part = 'advice'"):
            assert time.monotonic() < deadline
            time.sleep(0.05)
    finally:
        preparer.stop()
    assert [a["team"] for a in cr.debrief(game).advice] == ["blue", "red"]


def test_the_preparer_stops_at_once_while_it_runs(tmp_path: Path, short) -> None:
    game = make(tmp_path, short.replace(horizon=168.0), runs=40)
    for i in range(6):
        cr.join(game, f"team {i}")
        cr.submit(game, f"team {i}", {"first_line.agents": 2 + i % 4, "first_line.knowledge": 0.5 + i / 20})
    preparer = cr.Preparer(game.path, every=0.05, workers=1).start()
    while not game.read("SELECT 1 FROM runs LIMIT 1"):
        time.sleep(0.02)  # it has begun
    t0 = time.monotonic()
    preparer.stop()
    assert time.monotonic() - t0 < 5 and not preparer._thread.is_alive()


@pytest.mark.parametrize("key", list(EVENTS))
def test_an_event_moves_only_the_levers_it_acts_on(short, key: str) -> None:
    """A team's page keeps its unsent choices when the event is set: only a lever the event acts on shows
    another value (systems failing more often: MTBF a quarter), and so another price."""
    event = EVENTS[key]
    if not event.available(short):
        pytest.skip(f"the scenario lacks {event.needs}")
    plain = {lv.name: lv.default for lv in classroom.game_levers(short)}
    hit = {lv.name: lv.default for lv in classroom.game_levers(event.apply(short))}
    moved = {name for name in plain if plain[name] != hit[name]}
    acted_on = {name for name in plain for field in event.changes(short) if field == name}
    assert moved <= acted_on, f"{key} moves {moved - acted_on}"
    assert moved == ({"first_line.mtbf"} if key == "failing-system" else set())
