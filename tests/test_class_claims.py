"""The class-path lessons: a page to read per step, no code on screen, and every claim held to the runs.

Each lesson's prose states directions ("warranty falls", "utility does not move in any week")
that the printout beside it shows. These tests run the lesson's own cells (all but the
dashboards) and hold each such sentence to the paired differences the cells return, so that a
change to the model that turns a claim false fails here, not in front of a class.
"""

from __future__ import annotations

import functools
import json
import math
import re
import tomllib
from pathlib import Path

import matplotlib
import pytest

from simlib import course
from simlib.dashboards import KnowledgeSkill

matplotlib.use("Agg")

ROOT = Path(__file__).parent.parent
LESSONS = [s.name for s in course.path("class", ROOT) if s.folder == "notebooks"]
WORDS = 2100  # the lessons' share of the class path's 3,000 words; the exercises have the rest
JARGON = ("paired", "common random numbers", "CRN", "replication", "confidence interval", "seed=", "utilisation.")


def load(name: str) -> dict:
    return json.loads((ROOT / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8"))


def source(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def words(text: str) -> int:
    """Words as a reader counts them: ``fit-for-purpose`` and ``don't`` are one each."""
    return len(re.findall(r"\w+(?:['’-]\w+)*", text))


def prose(name: str) -> str:
    return "\n".join(source(c) for c in load(name)["cells"] if c["cell_type"] == "markdown")


def word_counts() -> dict[str, int]:
    """The words of each class-path lesson's text (its markdown cells, the course map included)."""
    return {name: words(prose(name)) for name in LESSONS}


@functools.cache
def ran(name: str) -> dict:
    """What a lesson's cells leave behind (the dashboards left out): the numbers its prose is held to."""
    import matplotlib.pyplot as plt

    space: dict = {}
    for cell in load(name)["cells"]:
        if cell["cell_type"] == "code" and "NBVAL_IGNORE_OUTPUT" not in source(cell):
            exec(compile(source(cell), f"{name}.ipynb", "exec"), space)  # noqa: S102 - the lesson's own cells
    plt.close("all")
    return space


def still(d) -> bool:
    """No change in any week (a rule of the model, not a finding)."""
    return d.low == d.high == 0


def rises(d) -> bool:
    return d.low > 0


def falls(d) -> bool:
    return d.high < 0


# ----------------------------------------------------------------------------- a page to read, no code


def test_the_lessons_are_a_page_to_read_each() -> None:
    counts = word_counts()
    assert set(counts) == {"00-start-here", "01-services-and-outcomes", "02-utility-and-warranty",
                           "04-knowledge-and-skill", "05-availability-and-continuity",
                           "06-internal-and-external"}  # fmt: skip
    assert sum(counts.values()) <= WORDS, counts


def test_the_class_fits_in_ninety_minutes() -> None:
    steps = course.path("class", ROOT)
    assert sum(s.minutes for s in steps) + course.DEBRIEF <= course.CLASS_MINUTES, [(s.name, s.minutes) for s in steps]


@pytest.mark.parametrize("name", LESSONS)
def test_no_code_on_screen_and_nothing_to_edit(name: str) -> None:
    for cell in load(name)["cells"]:
        if cell["cell_type"] != "code":
            continue
        assert cell["metadata"].get("jupyter", {}).get("source_hidden") is True, source(cell)
        first = source(cell).splitlines()[0]  # JupyterLab shows a hidden cell's first line: words, not code
        assert first.startswith("# ") and "NBVAL" not in first, first
        assert "..." not in source(cell), source(cell)
        assert "simlib.widgets" not in source(cell), "dashboards come from simlib.dashboards"
        for out in cell["outputs"]:
            assert out["output_type"] != "error", source(cell)
            assert "Traceback" not in "".join(out.get("text", "")), source(cell)


@pytest.mark.parametrize("name", LESSONS)
def test_no_jargon_in_the_prose(name: str) -> None:
    text = prose(name)
    said = [j for j in JARGON if j.lower() in text.lower()]
    assert not said, f"{name}: say it in plain words: {said}"


@pytest.mark.parametrize("name", LESSONS)
def test_one_idea_per_screen(name: str) -> None:
    """Short sections: no markdown cell longer than a screen (about 130 words)."""
    long = [words(source(c)) for c in load(name)["cells"] if c["cell_type"] == "markdown"
            and "course-map" not in c["metadata"].get("tags", []) and words(source(c)) > 130]  # fmt: skip
    assert not long, f"{name}: a long section ({long} words)"


# ----------------------------------------------------------------------------- the claims, lesson by lesson


def test_00_value_is_the_requests_that_have_both() -> None:
    week = ran("00-start-here")["week"]
    assert math.isclose(week["value"], week["utility"] * week["warranty"], rel_tol=1e-9)
    assert week["value"] <= min(week["utility"], week["warranty"])


def test_01_a_tighter_deadline_costs_warranty_not_utility() -> None:
    (d,) = ran("01-services-and-outcomes")["found"].values()
    assert still(d["utility"]) and falls(d["warranty"]) and falls(d["value"])


def test_02_three_changes() -> None:
    found = ran("02-utility-and-warranty")["found"]
    fewer, less, bigger = found["fewer agents"], found["less know-how"], found["bigger catalogue"]
    assert still(fewer["utility"]) and falls(fewer["warranty"])  # the rule, and capacity acts on warranty
    assert falls(less["utility"]) and rises(less["warranty"]) and falls(less["escalations"])  # less sent on
    assert rises(bigger["utility"]) and falls(bigger["warranty"]) and falls(bigger["value"])
    assert rises(bigger["utilisation.first_line"])  # new work for the same agents


def test_02_both_weak_lose_more_than_either_and_less_than_the_sum() -> None:
    both = ran("02-utility-and-warranty")["found_both"]
    assert both["both"].high < min(both["one"].low, both["other"].low)  # more than either alone
    assert rises(both["beyond"])  # both at once lose less than the two losses added up


def test_02_each_lever_acts_on_its_own_half_and_side_effects_come_through_load() -> None:
    from simlib.levers import LEVERS

    found = ran("02-utility-and-warranty")["found_levers"]
    for lv in LEVERS:
        du, dw = found[lv.name]
        if lv.half == "warranty":
            assert still(du) and (rises(dw) or falls(dw)), lv.name
        else:
            assert falls(du) or rises(du), lv.name
    assert falls(found["catalogue"][1]) and rises(found["know_how"][1])  # the side effects the prose explains
    assert rises(found["security.verification"][1])


def test_04_knowledge_whether_and_where() -> None:
    space = ran("04-knowledge-and-skill")
    found, waited, skill = space["found"], space["waited"], space["found_skill"]
    assert falls(found["less know-how"]["utility"])
    fix = found["less first-time fix"]
    assert still(fix["utility"]) and rises(fix["escalations"]) and falls(fix["warranty"])
    assert waited["longer"].low > 0 and waited["escalated"] > 2 * waited["first"]  # "far longer", every week pooled
    (slower,) = skill.values()
    assert still(slower["utility"]) and falls(slower["warranty"])


def test_05_availability_continuity_security() -> None:
    space = ran("05-availability-and-continuity")
    found = space["found"]
    assert found["simulated"] < found["theory"]  # the desk is up less often than the formula says...
    assert abs(found["calm"] - found["theory"]) < 0.005  # ...without disruptions and breaches, the two agree
    assert space["busy"]["10:00"] > 5 * space["busy"]["03:00"]  # far fewer requests arrive at night
    night, day = space["lost"].values()
    assert falls(day["value"]) and falls(space["later"]["the same disruption at 10:00 instead of 03:00"]["value"])
    assert day["value"].mean < 2 * night["value"].mean  # "far more": at least twice the loss
    (checked,) = space["checked"].values()
    assert falls(checked["breaches"]) and still(checked["utility"])
    assert rises(checked["utilisation.first_line"]) and rises(checked["warranty"])


def test_05_the_scenario_says_how_often_a_week_has_a_major_disruption() -> None:
    found = ran("05-availability-and-continuity")["found"]
    text = (ROOT / "simlib" / "scenarios" / "service-desk.toml").read_text(encoding="utf-8")
    rate = tomllib.loads(text)["continuity"]["rate"]
    assert math.isclose(found["per_week"], rate * 168.0)
    assert f"{found['per_week']:.2f} a week" in text and f"{found['some_week']:.0%}" in text


def test_06_the_second_line_reaches_the_external_customers() -> None:
    found = ran("06-internal-and-external")["found"]
    none, one = found["no second line"], found["one second-line agent instead of two"]
    assert falls(none["utility.external"]) and rises(none["attainment.external"]) and falls(none["value.external"])
    assert still(one["utility.external"]) and falls(one["attainment.external"]) and falls(one["value.external"])


@pytest.mark.parametrize("name", LESSONS)
def test_every_change_a_lesson_names_is_marked_for_translation(name: str) -> None:
    from simlib.lessons import TITLES

    space = ran(name)
    named = [k for v in ("found", "found_skill", "lost", "later", "checked") if isinstance(space.get(v), dict)
             for k in space[v] if isinstance(space[v][k], dict)]  # fmt: skip
    assert set(named) <= set(TITLES), set(named) - set(TITLES)


# ----------------------------------------------------------------------------- notebook 04's dashboard


def test_the_knowledge_and_skill_dashboard_moves_the_half_each_lever_acts_on() -> None:
    d = KnowledgeSkill("service-desk", seed=1)
    labels = [c.description for c in d.controls]
    assert labels == ["Know-how", "First-time fix", "Skill (speed)", "Seed"] and all(c.tooltip for c in d.controls[:3])
    first = d.shown()
    d.by_field["first_line.knowledge"].value = 1.0
    fix = d.shown()
    assert fix["utility"] == first["utility"] and fix["warranty"] != first["warranty"]
    d.by_field["know_how"].value = 0.5
    assert d.shown()["utility"] != fix["utility"]
    d.reset()
    assert d.shown() == first
