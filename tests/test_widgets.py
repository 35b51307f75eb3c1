"""The dashboards, driven headless: move a slider, and the numbers shown are simulate()'s."""

from __future__ import annotations

import asyncio
import logging
import re

import ipywidgets as w
import numpy as np
import pytest

import simlib
import simlib.dashboards.base
from simlib import dashboards as sw
from simlib.levers import lever

SPAN = re.compile(r'<span class="simlib-measure" data-measure="([^"]+)"[^>]*>([^<]*)</span>')


def shown(dash: sw.Dashboard) -> dict[str, str]:
    """The measures as the HTML widget shows them (what the browser test reads too)."""
    return dict(SPAN.findall(dash.measures.value))


def expected(sc: simlib.Scenario, seed: int, names=("utility", "warranty", "value")) -> dict[str, str]:
    res = simlib.simulate(sc, seed=seed)
    return {n: f"{res.measures[n]:.1%}" for n in names}


@pytest.fixture
def instructor() -> sw.InstructorDashboard:
    return sw.InstructorDashboard("service-desk", seed=1)


def test_instructor_contract_widgets(instructor: sw.InstructorDashboard) -> None:
    d = instructor
    assert d.agents.description == "Agents" and "simlib-agents" in d.agents._dom_classes
    assert d.know_how.description == "Know-how" and "simlib-know-how" in d.know_how._dom_classes
    assert (d.agents.value, d.know_how.value, d.seed.value) == (5, 0.95, 1)
    assert d.know_how.step == 0.05 and d.know_how.readout_format == ".2f"
    assert "simlib-measures" in d.measures._dom_classes and "simlib-message" in d.message._dom_classes
    assert list(d.preset_buttons) == [*sw.QUADRANTS, *sw.BREAK_IT]
    assert list(sw.QUADRANTS) == [
        "Fit for purpose and for use",
        "For purpose, not for use",
        "For use, not for purpose",
        "Neither",
    ]
    assert "Major disruption" in sw.BREAK_IT and sw.BREAK_IT["Major disruption"].concept == "continuity"
    assert not any("outage" in n.lower() and p.concept != "availability" for n, p in sw.BREAK_IT.items())
    assert d.reset_button.description == "Reset"
    assert isinstance(sw.instructor_dashboard(), w.VBox)


def test_sliders_come_from_the_lever_table(instructor: sw.InstructorDashboard) -> None:
    """Labels, ranges, steps and meanings are the lever table's, never typed twice."""
    assert set(instructor.by_field) == set(LEVERS_SHOWN)
    for name, control in instructor.by_field.items():
        lv = lever(name)
        assert control.description.startswith(lv.label), (name, control.description)
        assert (control.min, control.max, control.step) == (lv.low, lv.high, lv.step), name
        assert control.tooltip == lv.meaning
    assert instructor.skill.description == "Skill (speed)"  # higher is better
    assert set(instructor.catalogue) == {t.name for t in instructor.base.types}
    assert [t for t, b in instructor.catalogue.items() if b.value] == list(instructor.base.catalogue)


def test_instructor_shows_simulate_at_start(instructor: sw.InstructorDashboard, desk: simlib.Scenario) -> None:
    assert instructor.scenario() == desk
    assert shown(instructor) == expected(desk, 1)
    assert instructor.message.value == ""
    assert instructor.image.value[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(("agents", "know_how", "seed"), [(6, 0.95, 1), (3, 0.95, 1), (5, 0.6, 1), (7, 0.85, 4)])
def test_sliders_show_simulate_for_that_setting(
    instructor: sw.InstructorDashboard, desk: simlib.Scenario, agents: int, know_how: float, seed: int
) -> None:
    before = instructor.image.value
    instructor.agents.value = agents
    instructor.know_how.value = know_how
    instructor.seed.value = seed
    changes = {"first_line.agents": agents} if agents != 5 else {}
    if know_how != 0.95:
        changes["know_how"] = know_how
    sc = desk.replace(**changes)
    assert instructor.scenario() == sc
    assert shown(instructor) == expected(sc, seed)
    assert instructor.image.value != before


def test_warranty_levers_map_to_the_scenario(desk: simlib.Scenario) -> None:
    d = sw.UtilityWarranty(desk, seed=2)
    d.skill.value, d.mtbf.value, d.first_time_fix.value = 1.5, 20.0, 0.4
    d.recovery.value, d.verification.value = 12.0, 0.9
    sc = desk.replace(
        **{
            "first_line.skill": 1.5,
            "first_line.mtbf": 20.0,
            "first_line.knowledge": 0.4,
            "continuity.recovery": 12.0,
            "security.verification": 0.9,
        }
    )
    assert d.scenario() == sc
    assert shown(d) == expected(sc, 2)


def test_catalogue_toggles(desk: simlib.Scenario) -> None:
    d = sw.UtilityWarranty(desk, seed=1)
    d.catalogue["software-install"].value = False
    assert d.scenario().catalogue == ("password-reset", "incident", "access-request")
    d.catalogue["hardware-repair"].value = True  # a new type takes the know-how in force
    sc = d.scenario()
    assert sc.catalogue == ("password-reset", "incident", "access-request", "hardware-repair")
    assert sc.know_how["hardware-repair"] == d.know_how.value and sc.know_how["incident"] == 0.9
    assert shown(d) == expected(sc, 1)
    d.know_how.value = 0.5  # the slider, once moved, is the know-how of every type
    assert {d.scenario().know_how[t] for t in d.scenario().catalogue} == {0.5}


def test_the_outcome_panel_shows_breaches(instructor: sw.InstructorDashboard) -> None:
    assert 'data-outcome="breach"' in instructor.measures.value
    instructor.press("Checks skipped")
    assert instructor.verification.value == 0.0
    breaches = int(re.search(r'data-outcome="breach">(\d+)<', instructor.measures.value).group(1))
    assert breaches == instructor.result.outcomes["breach"] > 0


@pytest.mark.parametrize("name", list(sw.BREAK_IT))
def test_break_it_changes_the_scenario_as_it_says_and_reset_repairs(
    instructor: sw.InstructorDashboard, desk: simlib.Scenario, name: str
) -> None:
    preset = sw.BREAK_IT[name]
    base = shown(instructor)
    instructor.press(name)
    if preset.toggle:
        assert instructor.scenario() == desk.replace(**preset.changes(desk))
        assert instructor.preset_buttons[name].button_style == "danger"
    else:  # the slider shows the value in force
        for field, value in preset.levers.items():
            control = instructor.by_field[field]
            want = value(instructor.defaults[id(control)]) if callable(value) else value
            assert control.value == want, (name, field)
        assert instructor.scenario() == desk.replace(**instructor.lever_changes())
    assert shown(instructor) == expected(instructor.scenario(), 1)
    assert shown(instructor) != base, f"{name} does not visibly change the numbers"
    instructor.reset_button.click()
    assert instructor.scenario() == desk and shown(instructor) == base
    assert instructor.preset_buttons[name].button_style == ""


def test_presets_add_up_and_toggles_repair(instructor: sw.InstructorDashboard, desk: simlib.Scenario) -> None:
    instructor.agents.value = 6
    instructor.press("Agent off sick")
    instructor.press("Major disruption")
    assert instructor.agents.value == 5
    assert instructor.scenario() == desk.replace(**{"continuity.starts": [34.0]})
    instructor.press("Major disruption")
    assert instructor.scenario() == desk
    with pytest.raises(ValueError, match="preset: 'Flood' is not a preset"):
        instructor.press("Flood")


@pytest.mark.parametrize("name", list(sw.QUADRANTS))
def test_quadrant_buttons_set_every_lever_and_sliders_show_it(instructor: sw.InstructorDashboard, name: str) -> None:
    _, preset = sw.QUADRANTS[name]
    instructor.press("Major disruption")
    instructor.press(name)
    assert not instructor.active, "a quadrant starts from the scenario's own settings"
    for field, value in preset.levers.items():
        if field == "catalogue":
            assert [t for t, b in instructor.catalogue.items() if b.value] == list(value)
        else:
            assert instructor.by_field[field].value == value, field
    assert shown(instructor) == expected(instructor.scenario(), 1)


def test_quadrant_buttons_land_in_their_quadrants(instructor: sw.InstructorDashboard) -> None:
    """Over 20 paired runs (the same streams for every quadrant), not one seed."""
    for name, ((purpose, use), _) in sw.QUADRANTS.items():
        instructor.press(name)
        runs = simlib.replicate(instructor.scenario(), 20, seed=7, measures=["utility", "warranty"])
        for measure, fit in (("utility", purpose), ("warranty", use)):
            est = runs.measure(measure)
            if fit:
                assert est.low >= sw.HIGH, (name, measure, est)
            else:
                assert est.high <= sw.LOW, (name, measure, est)


# Each lever of the instructor dashboard, moved as a class would: the half it must move.
MOVES = {
    "know_how": ("utility", 0.7),
    "catalogue": ("utility", None),  # software-install taken out of the catalogue
    "first_line.agents": ("warranty", 3),
    "first_line.skill": ("warranty", 0.7),
    "first_line.mtbf": ("warranty", 20.0),
    "first_line.knowledge": ("warranty", 0.4),
    "continuity.recovery": ("warranty", 18.0),
    "security.verification": ("warranty", 0.0),
}
LEVERS_SHOWN = [n for n in MOVES if n != "catalogue"]


@pytest.mark.parametrize("name", list(MOVES))
def test_each_lever_moves_the_half_it_stands_for(instructor: sw.InstructorDashboard, name: str) -> None:
    """Paired runs: a warranty lever leaves utility exactly still; a utility lever moves utility, warranty barely."""
    half, value = MOVES[name]
    assert lever(name).half == half
    base = instructor.scenario()
    if name == "catalogue":
        instructor.catalogue["software-install"].value = False
    else:
        instructor.by_field[name].value = value
    cmp = simlib.compare(base, instructor.scenario(), 20, seed=3, measures=["utility", "warranty"])
    du, dw = cmp.difference("utility"), cmp.difference("warranty")
    if half == "warranty":
        assert np.all(cmp.differences[:, cmp.names.index("utility")] == 0), f"{name} moved utility"
        assert dw.high < 0, f"{name} did not lower warranty: {dw}"
    else:
        assert du.high < -0.05, f"{name} did not lower utility: {du}"
        assert abs(dw.mean) < abs(du.mean) / 3, f"{name} moved warranty as much as utility: {du} {dw}"


def test_reset_restores_every_control(instructor: sw.InstructorDashboard) -> None:
    start = shown(instructor)
    instructor.agents.value, instructor.know_how.value, instructor.seed.value = 2, 0.3, 9
    instructor.mtbf.value = 15
    instructor.catalogue["incident"].value = False
    instructor.reset_button.click()
    assert (instructor.agents.value, instructor.know_how.value, instructor.seed.value) == (5, 0.95, 1)
    assert instructor.catalogue["incident"].value
    assert shown(instructor) == start


def test_a_refused_setting_shows_a_message_not_a_traceback(instructor: sw.InstructorDashboard) -> None:
    instructor.seed.value = -1
    assert "seed: -1 is not allowed" in instructor.message.value
    assert "Traceback" not in instructor.message.value
    assert set(shown(instructor).values()) == {"\u2013"}, "no old number may pass for the new setting's"
    instructor.seed.value = 1
    assert instructor.message.value == ""


def test_an_unexpected_error_is_logged_and_explained(
    instructor: sw.InstructorDashboard, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(simlib.dashboards.base, "run", broken)
    with caplog.at_level(logging.ERROR, logger="simlib.dashboards"):
        instructor.agents.value = 7
    assert "Something went wrong" in instructor.message.value and "boom" not in instructor.message.value
    assert any("InstructorDashboard" in r.getMessage() for r in caplog.records)


def test_value_map_square_is_simulate(desk: simlib.Scenario) -> None:
    d = sw.ValueMap(desk, seed=1)
    d.agents.value, d.know_how.value = 8, 0.5
    sc = desk.replace(**{"first_line.agents": 8, "know_how": 0.5})
    assert shown(d) == expected(sc, 1)
    grid = d.grid()
    i, j = d.KNOW_HOW.index(0.5), d.AGENTS.index(8)
    assert grid[i][j] == pytest.approx(simlib.simulate(sc, seed=1).value)
    best = grid[-1][-1]
    assert grid[0][-1] < best / 2, "many agents without know-how should not give value"
    assert grid[-1][0] < best * 0.8, "know-how without agents should not give value"


def test_value_map_demand_changes_every_square(desk: simlib.Scenario) -> None:
    d = sw.ValueMap(desk, seed=1)
    d.demand.value = 1.5
    assert d.scenario() == desk.replace(
        **{"customers.external.rate": 7.5, "customers.internal.rate": 3.75, "know_how": 0.9, "first_line.agents": 5}
    )


def test_availability_disruption_and_outages(desk: simlib.Scenario) -> None:
    d = sw.Availability(desk, seed=1)
    assert d.scenario() == desk
    d.disruption.value = 34
    d.recovery.value = 4
    sc = desk.replace(**{"continuity.starts": [34.0], "continuity.recovery": 4.0})
    assert d.scenario() == sc
    assert shown(d) == expected(sc, 1, ("utility", "warranty", "value", "availability.first_line"))
    assert [34.0, 38.0] in d.result.disruptions.tolist()
    d.mtbf.value, d.mtrs.value = 20, 3
    assert d.scenario().first_line.mtbf == 20 and d.scenario().first_line.mtrs == 3


def test_internal_external_second_line(desk: simlib.Scenario) -> None:
    d = sw.InternalExternal(desk, seed=1)
    names = ("value", "attainment.external", "attainment.internal")
    assert shown(d) == expected(desk, 1, names)
    d.second_agents.value = 0
    sc = desk.replace(**{"second_line.agents": 0})
    assert not d.scenario().has_second_line
    assert shown(d) == expected(sc, 1, names)
    d.second_agents.value, d.second_mtbf.value = 1, 10
    sc = desk.replace(**{"second_line.agents": 1, "second_line.mtbf": 10.0})
    assert d.scenario() == sc and shown(d) == expected(sc, 1, names)
    d.first_time_fix.value = 0.5
    assert d.scenario() == sc.replace(**{"first_line.knowledge": 0.5})


def test_every_dashboard_builds_a_widget() -> None:
    for build in (
        sw.utility_warranty_dashboard,
        sw.value_map_dashboard,
        sw.availability_dashboard,
        sw.internal_external_dashboard,
        sw.instructor_dashboard,
    ):
        widget = build()
        assert isinstance(widget, w.VBox) and widget.children


@pytest.mark.parametrize("cls", [sw.UtilityWarranty, sw.ValueMap, sw.Availability, sw.InternalExternal])
def test_every_dashboard_explains_a_refused_seed_and_recovers(cls: type[sw.Dashboard], desk: simlib.Scenario) -> None:
    d = cls(desk, seed=1)
    before = shown(d)
    d.seed.value = -3
    assert "seed: -3 is not allowed" in d.message.value and "Traceback" not in d.message.value
    d.reset_button.click()
    assert d.seed.value == 1 and d.message.value == "" and shown(d) == before


# ---------------------------------------------------------------- following the hand (issue 13)


@pytest.fixture
def browser_loop(monkeypatch: pytest.MonkeyPatch):
    """Moves as if they came from a browser: the work is queued on this event loop."""
    loop = asyncio.new_event_loop()
    monkeypatch.setattr(simlib.dashboards.base, "_browser_loop", lambda: loop)
    yield loop
    loop.close()


def settle(loop: asyncio.AbstractEventLoop, seconds: float = 1.0) -> None:
    loop.run_until_complete(asyncio.sleep(seconds))


def test_numbers_panel_has_the_measures_and_the_outcome_counts(instructor: sw.InstructorDashboard) -> None:
    res = instructor.result
    counts = dict(re.findall(r'data-outcome="([^"]+)">(\d+)<', instructor.measures.value))
    assert counts == {n: str(c) for n, c in res.outcomes.items()}


def test_browser_moves_are_coalesced_and_the_numbers_come_first(
    desk: simlib.Scenario, browser_loop: asyncio.AbstractEventLoop
) -> None:
    d = sw.InstructorDashboard(desk, seed=1)
    events: list[str] = []
    d.measures.observe(lambda _: events.append("numbers"), names="value")
    d.image.observe(lambda _: events.append("picture"), names="value")
    runs = d.runs
    for agents in (6, 7, 8):  # three moves reach the kernel before it gets to work
        d.agents.value = agents
    assert events == [], "the message handler itself must return at once"
    settle(browser_loop)
    assert d.runs == runs + 1, "the stale positions 6 and 7 must not be simulated"
    assert events == ["numbers", "picture"]
    assert shown(d) == expected(desk.replace(**{"first_line.agents": 8}), 1)


def test_a_move_while_the_picture_waits_gets_its_numbers_first(
    desk: simlib.Scenario, browser_loop: asyncio.AbstractEventLoop
) -> None:
    d = sw.UtilityWarranty(desk, seed=1)
    events: list[str] = []
    d.measures.observe(lambda _: events.append("numbers"), names="value")
    d.image.observe(lambda _: events.append("picture"), names="value")
    d.agents.value = 6
    browser_loop.run_until_complete(asyncio.sleep(0))  # the numbers of 6; its picture waits a moment
    d.agents.value = 7
    settle(browser_loop)
    assert events == ["numbers", "numbers", "picture"], "the picture of 6 is dropped: 7 came first"
    assert shown(d) == expected(desk.replace(**{"first_line.agents": 7}), 1)


def test_figures_are_built_once_and_updated_in_place(instructor: sw.InstructorDashboard) -> None:
    axes = list(instructor.figure.axes)
    artists = [id(a) for p in instructor.live.pictures for a in p.moving]
    instructor.agents.value = 6  # the scales now hold both settings
    draws = instructor.live.full_draws
    for agents in (5, 6, 5, 6):
        instructor.agents.value = agents
    assert instructor.figure.axes == axes
    assert [id(a) for p in instructor.live.pictures for a in p.moving] == artists
    assert instructor.live.full_draws == draws, "a move that keeps the scale redraws only the moving artists"
    bars = instructor.live.pictures[0].bars
    res = instructor.result
    assert [b.get_height() for b in bars] == pytest.approx([res.utility, res.warranty, res.value])


def test_value_map_fills_in_square_by_square_and_stays_responsive(
    desk: simlib.Scenario, browser_loop: asyncio.AbstractEventLoop
) -> None:
    d = sw.ValueMap(desk, seed=1)
    sw.run.cache_clear()
    d.demand.value = 1.7  # a new map of 100 runs
    browser_loop.run_until_complete(asyncio.sleep(0.02))
    assert shown(d) == expected(d.scenario(), 1), "the numbers of the circled setting come before the map"
    assert "of 100 squares" in d.progress.value
    partial = np.isnan(d.squares(d.key())).sum()
    assert 0 < partial <= 100
    d.agents.value = 9  # a move while the map fills in is answered between squares
    browser_loop.run_until_complete(asyncio.sleep(0.2))
    assert shown(d) == expected(d.scenario(), 1)
    assert np.isnan(d.squares(d.key())).sum() > 0, "the move was answered before the map was complete"
    for _ in range(100):
        if not np.isnan(d.squares(d.key())).any() and d.progress.value == "":
            break
        settle(browser_loop, 0.2)
    assert d.progress.value == "" and not np.isnan(d.squares(d.key())).any()
    draws = d.live.full_draws
    d.agents.value, d.know_how.value = 4, 0.5  # within the computed map: only the circle moves
    settle(browser_loop, 0.5)
    assert d.live.full_draws == draws
    assert d.map.marker.get_offsets().tolist() == [[d.AGENTS.index(4), d.KNOW_HOW.index(0.5)]]


def test_every_slider_but_the_value_maps_demand_follows_the_hand(desk: simlib.Scenario) -> None:
    for cls in (sw.UtilityWarranty, sw.ValueMap, sw.Availability, sw.InternalExternal, sw.InstructorDashboard):
        d = cls(desk, seed=1)
        for control in d.controls[:-1]:
            if not hasattr(control, "continuous_update"):  # the catalogue's toggles
                continue
            assert control.continuous_update is not (cls is sw.ValueMap and control is d.demand), (cls, control)
