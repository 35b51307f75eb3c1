"""The lessons follow one template, stay short, and are stored executed and seeded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

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
        if "simlib.widgets." in source(c):  # a widget's output is a model id: it changes every run
            assert source(c).startswith("# NBVAL_IGNORE_OUTPUT"), source(c)
        else:
            assert "NBVAL_IGNORE_OUTPUT" not in source(c), "mark only the cells whose output cannot be stable"
    runs = [source(c) for c in code if "simulate(" in source(c) or "replicate(" in source(c) or "sweep(" in source(c)]
    assert all("seed=" in s for s in runs), "every run is seeded"


def test_start_here_and_instructor_show_dashboards() -> None:
    start = load(next(p for p in NOTEBOOKS if p.name == "00-start-here.ipynb"))
    assert any("simlib.widgets.utility_warranty(" in source(c) for c in start["cells"])
    assert any("image/png" in o.get("data", {}) for c in start["cells"] for o in c.get("outputs", []))
    dash = load(next(p for p in NOTEBOOKS if p.name == "instructor-dashboard.ipynb"))
    assert any("simlib.widgets.instructor_dashboard(" in source(c) for c in dash["cells"])
