"""The lessons follow one template, stay short, and are stored executed and seeded."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from simlib import concepts, course

NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("*.ipynb"))
LESSONS = [p for p in NOTEBOOKS if p.name[:2].isdigit()]
SECTIONS = ("**What you will learn**", "**Prerequisites:**", "**Time:**", "## Summary", "## Things to try")


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def source(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_lesson_follows_the_template(path: Path) -> None:
    cells = load(path)["cells"]
    assert cells[0]["cell_type"] == "markdown" and source(cells[0]).startswith("# "), "a title first"
    text = "\n".join(source(c) for c in cells if c["cell_type"] == "markdown")
    positions = [text.find(s) for s in SECTIONS]
    assert all(p >= 0 for p in positions), f"missing {[s for s, p in zip(SECTIONS, positions) if p < 0]}"
    assert positions == sorted(positions), "sections out of order"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_executed_without_errors_and_short_cells(path: Path) -> None:
    code = [c for c in load(path)["cells"] if c["cell_type"] == "code"]
    assert code and all(c["execution_count"] for c in code), "store the notebook executed"
    for c in code:
        assert not [o for o in c["outputs"] if o["output_type"] == "error"], source(c)
        assert len(source(c).splitlines()) <= 20, f"a long code cell: the model belongs in simlib\n{source(c)}"
        if re.search(
            r"simlib\.widgets\.|_dashboard\(|\bdashboards\.\w+\(", source(c)
        ):  # a widget's output is a model id
            assert "# NBVAL_IGNORE_OUTPUT" in source(c).splitlines()[:2], source(c)  # it changes every run
        else:
            assert "NBVAL_IGNORE_OUTPUT" not in source(c), "mark only the cells whose output cannot be stable"
    runs = [source(c) for c in code if "simulate(" in source(c) or "replicate(" in source(c) or "sweep(" in source(c)]
    assert all("seed=" in s for s in runs), "every run is seeded"


def test_start_here_and_instructor_show_dashboards() -> None:
    start = load(next(p for p in NOTEBOOKS if p.name == "00-start-here.ipynb"))
    assert any("utility_warranty_dashboard(" in source(c) for c in start["cells"])
    assert any("image/png" in o.get("data", {}) for c in start["cells"] for o in c.get("outputs", []))
    dash = load(next(p for p in NOTEBOOKS if p.name == "instructor-dashboard.ipynb"))
    assert any("dashboards.instructor_dashboard(" in source(c) for c in dash["cells"])


# ----------------------------------------------------------------------------- the two paths

ROOT = Path(__file__).parent.parent
EXERCISES = sorted((ROOT / "solutions").glob("*.ipynb"))


@pytest.mark.parametrize("path", LESSONS + EXERCISES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_notebook_declares_its_minutes_and_paths(path: Path) -> None:
    meta = load(path)["metadata"]["simlib"]
    assert isinstance(meta.get("minutes"), int) and 0 < meta["minutes"] <= 60, meta.get("minutes")
    paths = meta.get("paths")
    assert isinstance(paths, list) and paths and set(paths) <= set(course.PATHS), paths
    md = "\n".join(source(c) for c in load(path)["cells"] if c["cell_type"] == "markdown")
    said = f"**Time:** {meta['minutes']} minutes" if path.parent.name == "notebooks" else f"About {meta['minutes']}"
    assert said in md, f"{path.name}: the text should say {said!r}, as the metadata does"
    if "after" in meta:
        assert (ROOT / "notebooks" / f"{meta['after']}.ipynb").exists(), meta["after"]


def test_the_class_fits_in_ninety_minutes_debrief_included() -> None:
    minutes = sum(s.minutes for s in course.path("class", ROOT)) + course.DEBRIEF
    assert minutes <= course.CLASS_MINUTES == 90, minutes


def test_the_class_path_teaches_every_concept_security_too() -> None:
    taught = set().union(*(s.concepts for s in course.path("class", ROOT)))
    missing = [n for n in concepts.names() if n not in taught]
    assert not missing and "security" in taught, f"the class path does not teach {missing}"


def test_the_class_path_needs_no_code() -> None:
    """Lessons: run the cells (tests/test_class_claims.py holds them to no code on screen). Exercises: no
    ``...`` left to edit but an answer line."""
    for step in course.path("class", ROOT):
        folder = "exercises" if step.folder == "solutions" else "notebooks"
        for cell in load(ROOT / folder / f"{step.name}.ipynb")["cells"]:
            if cell["cell_type"] != "code":
                continue
            for line in source(cell).splitlines():
                if "..." in line and not line.lstrip().startswith("#"):
                    assert step.folder == "solutions" and line.split("#")[0].strip().endswith("= ..."), line


def test_the_modelling_path_covers_theory_replications_crn_warmup_and_executors() -> None:
    code = "\n".join(
        source(c)
        for s in course.path("modelling", ROOT)
        for c in load(ROOT / s.folder / f"{s.name}.ipynb")["cells"]
        if c["cell_type"] == "code"
    )
    for topic, words in {
        "queueing theory": "theory.mmc_mean_wait",
        "replications and CIs": "replicate(",
        "common random numbers": "compare(",
        "warm-up": "warmup.welch(",
        "sweeps on an executor": "executor=",
    }.items():
        assert words in code, f"the modelling path does not teach {topic} ({words})"


def test_the_course_map_is_the_same_everywhere() -> None:
    drawn = course.course_map(ROOT)
    assert drawn in (ROOT / "README.md").read_text(encoding="utf-8"), "README: paste `python -m simlib.course`"
    start = "\n".join(source(c) for c in load(ROOT / "notebooks" / "00-start-here.ipynb")["cells"])
    assert course.course_map(ROOT, ("class",)) in start, "00-start-here: the class path's map, from simlib.course"
    with pytest.raises(ValueError, match="path: 'evening' is not a path of the kit; expected one of class, modelling"):
        course.path("evening", ROOT)
    with pytest.raises(ValueError, match="path: 'evening' is not a path of the kit"):
        course.course_map(ROOT, ("class", "evening"))


def test_the_instructor_guide_walks_the_class_path() -> None:
    guide = (ROOT / "docs" / "instructor-guide.md").read_text(encoding="utf-8")
    for step in course.path("class", ROOT):
        assert step.name in guide, f"the guide does not mention {step.name}"
    from simlib.levers import LEVERS

    for lever in LEVERS:
        assert lever.label in guide, f"the guide does not name the lever {lever.label!r}"
    spans = re.findall(r"^\| (\d+)–(\d+) \|", guide, re.M)
    assert spans and spans[0][0] == "0" and spans[-1][1] == "90", spans
    assert all(b == c for (_, b), (c, _) in zip(spans, spans[1:])), "the plan's minutes should follow on"
    for part in ("## Misconceptions to listen for", "## The classroom game", "make classroom", "## Debrief"):
        assert part in guide


# ----------------------------------------------------------------------------- numbers in prose

NUMBER = re.compile(r"(?<![\w.\-:/])\d+(?:[.,]\d+)*%?(?![\w:/-])")


def prose_numbers(cell: dict) -> list[str]:
    """The numbers a markdown cell states, leaving out code spans, list markers, the time line,
    notebook numbers, clock times and the things to try (suggestions, not claims)."""
    text = source(cell).split("## Things to try")[0]
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"\*\*Time:\*\*[^\n]*", " ", text)
    text = re.sub(r"(?i)\b(notebooks?|exercises?)\s+\d+(\s*(and|to|,)\s*\d+)*", " ", text)
    text = re.sub(r"^\s*\d+\.\s", " ", text, flags=re.M)
    return NUMBER.findall(text)


def tokens(nb: dict) -> set[str]:
    """Every number written in the notebook's code, or printed by it (text outputs)."""
    parts = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        parts.append(source(cell))
        for out in cell["outputs"]:
            parts.append("".join(out.get("text", "")) + "".join(out.get("data", {}).get("text/plain", "")))
    return set(NUMBER.findall("\n".join(parts))) | {n.rstrip("%") for n in NUMBER.findall("\n".join(parts))}


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_every_number_in_prose_comes_from_code(path: Path) -> None:
    """A number the text states is set in the notebook's code, printed by it, or asserted in a
    hidden cell tagged ``claims`` (so a re-run that changes it fails). The course map is exempt:
    a test of its own holds it to the metadata."""
    nb = load(path)
    known = tokens(nb)
    typed = [
        (k, n)
        for k, c in enumerate(nb["cells"])
        if c["cell_type"] == "markdown" and "course-map" not in c["metadata"].get("tags", [])
        for n in prose_numbers(c)
        if n not in known and n.rstrip("%") not in known
    ]
    assert not typed, f"{path.name}: numbers typed in prose, not from code (cell, number): {typed}"
    for cell in nb["cells"]:
        if "claims" in cell["metadata"].get("tags", []):
            assert cell["cell_type"] == "code" and "assert" in source(cell), source(cell)
            assert cell["metadata"].get("jupyter", {}).get("source_hidden"), "a claims cell stays folded"
