"""Exercises from one source: the generator, the stored notebooks, and the strict checks under nbval."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from simlib import concepts
from simlib.exercises import exercise_notebook, generate, main, render, stub_source, write_bytes

ROOT = Path(__file__).parent.parent
SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))
EXERCISES = ROOT / "exercises"
# The exercises that ask for code (``...`` and a check under it); the class exercises ask by id
# (simlib.quiz) and are held to that by tests/test_quiz.py.
CODED = [
    p for p in SOLUTIONS if "class" not in json.loads(p.read_text(encoding="utf-8"))["metadata"]["simlib"]["paths"]
]


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def text(cell: dict) -> str:
    return "".join(cell["source"])


def is_check(cell: dict) -> bool:
    return cell["cell_type"] == "code" and "check" in cell["metadata"].get("tags", [])


# ----------------------------------------------------------------------------- stubs


def test_an_assignment_keeps_its_name() -> None:
    src = "import math\n### BEGIN SOLUTION\nagents = 7\n### END SOLUTION\nprint(agents)"
    assert stub_source(src) == "import math\nagents = ...  # your code here\nprint(agents)"


def test_every_name_assigned_at_the_solutions_level_once() -> None:
    src = (
        "### BEGIN SOLUTION\nx = 1\na, (b, c) = 2, (3, 4)\nx += 1\ny: float = 2.0\n"
        "for i in range(3):\n    z = i\n### END SOLUTION"
    )
    assert stub_source(src).splitlines() == [f"{n} = ...  # your code here" for n in ("x", "a", "b", "c", "y")]


def test_an_explicit_stub_wins() -> None:
    src = (
        "### BEGIN SOLUTION\n### STUB: best = ...  # a plan's name\n### STUB: gain = ...\n"
        "d = 3\nbest, gain = 'a', d\n### END SOLUTION"
    )
    assert stub_source(src) == "best = ...  # a plan's name\ngain = ..."


def test_indented_solutions_keep_their_indentation() -> None:
    ret = "def f(x):\n    ### BEGIN SOLUTION\n    y = x\n    return 2 * y\n    ### END SOLUTION"
    assert stub_source(ret) == "def f(x):\n    y = ...  # your code here"
    only_return = "def f(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION"
    assert stub_source(only_return) == "def f(x):\n    return ...  # your code here"
    loop = "for i in range(3):\n    ### BEGIN SOLUTION\n    print(i)\n    ### END SOLUTION\nprint('done')"
    assert stub_source(loop) == "for i in range(3):\n    pass  # your code here\nprint('done')"
    assert stub_source("### BEGIN SOLUTION\nprint(1)\n### END SOLUTION") == "# your code here"


def test_markdown_answers() -> None:
    src = "Why?\n\n<!-- BEGIN SOLUTION -->\nBecause.\n<!-- END SOLUTION -->\nNext."
    assert stub_source(src, markdown=True) == "Why?\n\n*Your answer here.*\nNext."


@pytest.mark.parametrize(
    ("src", "words"),
    [
        ("x = 1\n### END SOLUTION", "line 2: '### END SOLUTION' without a '### BEGIN SOLUTION' before it"),
        ("### BEGIN SOLUTION\nx = 1", "line 1: '### BEGIN SOLUTION' without an '### END SOLUTION'"),
        ("### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION", "inside another solution"),
        ("### BEGIN SOLUTION\nx = (\n### END SOLUTION", "does not parse as Python"),
    ],
)
def test_broken_markers_are_named(src: str, words: str) -> None:
    with pytest.raises(ValueError, match="nb.ipynb, cell 3") as err:
        stub_source(src, where="nb.ipynb, cell 3")
    assert words in str(err.value)


# ----------------------------------------------------------------------------- notebooks


def small_notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook(metadata={"simlib": {"concepts": ["utility"]}})
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Title\n\nThe answer is\n<!-- BEGIN SOLUTION -->\n42\n<!-- END SOLUTION -->"),
        nbformat.v4.new_code_cell("import math\nfrom simlib import check", execution_count=1),
        nbformat.v4.new_code_cell(
            "### BEGIN SOLUTION\nagents = 7\n### END SOLUTION",
            execution_count=2,
            outputs=[nbformat.v4.new_output("stream", name="stdout", text="hello\n")],
            metadata={"execution": {"iopub.status.busy": "2026-01-01T00:00:00Z"}, "tags": ["answer"]},
        ),
        nbformat.v4.new_code_cell(
            "check.integer(agents, 7)",
            execution_count=3,
            outputs=[nbformat.v4.new_output("execute_result", {"text/plain": "✔ Right"}, execution_count=3)],
            metadata={"tags": ["check"], "jupyter": {"source_hidden": True}},
        ),
    ]
    for k, cell in enumerate(nb.cells):
        cell.id = f"cell-{k}"
    return nb


def test_the_generator_replaces_solutions_and_keeps_the_rest(tmp_path: Path) -> None:
    (tmp_path / "solutions").mkdir()
    source = tmp_path / "solutions" / "01-small.ipynb"
    nbformat.write(small_notebook(), source)
    assert [p.name for p in generate(tmp_path / "solutions", tmp_path / "exercises")] == ["01-small.ipynb"]
    sol, ex = load(source), load(tmp_path / "exercises" / "01-small.ipynb")
    assert text(ex["cells"][0]) == "# Title\n\nThe answer is\n*Your answer here.*"
    assert text(ex["cells"][1]) == text(sol["cells"][1])
    assert text(ex["cells"][2]) == "agents = ...  # your code here"
    assert ex["cells"][2]["metadata"] == {"tags": ["answer"]}  # the run's timing is gone, the tags stay
    assert (
        ex["cells"][3]["source"] == sol["cells"][3]["source"]
        and ex["cells"][3]["metadata"] == sol["cells"][3]["metadata"]
    )
    assert [c["id"] for c in ex["cells"]] == [c["id"] for c in sol["cells"]]
    for cell in ex["cells"][1:]:
        assert cell["outputs"] == [] and cell["execution_count"] is None
    assert ex["metadata"]["simlib"] == {"concepts": ["utility"], "generated_from": "solutions/01-small.ipynb"}
    assert load(source) == sol  # the source is not touched


def test_the_generator_is_deterministic_and_idempotent(tmp_path: Path) -> None:
    (tmp_path / "solutions").mkdir()
    source = tmp_path / "solutions" / "01-small.ipynb"
    nbformat.write(small_notebook(), source)
    generate(tmp_path / "solutions", tmp_path / "exercises")
    first = (tmp_path / "exercises" / "01-small.ipynb").read_bytes()
    assert generate(tmp_path / "solutions", tmp_path / "exercises") == []  # a second run changes nothing
    assert (tmp_path / "exercises" / "01-small.ipynb").read_bytes() == first == render(source)
    ex = json.loads(first)
    assert write_bytes(exercise_notebook(ex, source="solutions/01-small.ipynb")) == first  # f(f(x)) == f(x)
    # the bytes are those nbformat writes: indent 1, sorted keys, a final newline
    assert first == (nbformat.writes(nbformat.reads(first.decode(), as_version=4)) + "\n").encode()
    assert first.endswith(b"}\n") and b'\n "cells": [\n' in first


def test_stale_exercises_are_removed_and_hand_made_ones_kept(tmp_path: Path) -> None:
    (tmp_path / "solutions").mkdir()
    nbformat.write(small_notebook(), tmp_path / "solutions" / "01-small.ipynb")
    generate(tmp_path / "solutions", tmp_path / "exercises")
    shutil.copy(tmp_path / "exercises" / "01-small.ipynb", tmp_path / "exercises" / "00-old.ipynb")
    nbformat.write(nbformat.v4.new_notebook(), tmp_path / "exercises" / "mine.ipynb")
    assert main([str(tmp_path / "solutions"), str(tmp_path / "exercises"), "--check"]) == 1
    generate(tmp_path / "solutions", tmp_path / "exercises")
    assert sorted(p.name for p in (tmp_path / "exercises").iterdir()) == ["01-small.ipynb", "mine.ipynb"]


def test_the_command_line_names_a_bad_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "nowhere"), str(tmp_path / "out")]) == 2
    assert "solutions: " in capsys.readouterr().err


# ----------------------------------------------------------------------------- the kit's exercises


def test_exercises_are_exactly_what_the_generator_makes(tmp_path: Path) -> None:
    """`make test` fails when exercises/ was edited by hand or not regenerated: run `make exercises`."""
    out = tmp_path / "exercises"
    generate(ROOT / "solutions", out)
    made = {p.name: p.read_bytes() for p in out.glob("*.ipynb")}
    stored = {p.name: p.read_bytes() for p in EXERCISES.glob("*.ipynb")}
    assert sorted(stored) == sorted(made), "exercises/ and solutions/ hold different notebooks: run `make exercises`"
    stale = [name for name in made if made[name] != stored[name]]
    assert not stale, f"exercises/ is out of date for {stale}: run `make exercises`"


def test_there_are_eight_exercises_on_the_template() -> None:
    assert len(SOLUTIONS) >= 8
    for path in SOLUTIONS:
        nb = load(path)
        md = "\n".join(text(c) for c in nb["cells"] if c["cell_type"] == "markdown")
        assert text(nb["cells"][0]).startswith("# Exercise "), path
        for part in (
            "**What you will learn**",
            "**Prerequisites and time.**",
            "minutes",
            "## Summary",
            "## Things to try",
        ):
            assert part in md, (path.name, part)
        assert md.index("## Summary") < md.index("## Things to try"), path


def test_every_answer_has_a_check_right_under_it() -> None:
    for path in CODED:
        cells = load(path)["cells"]
        answers = [k for k, c in enumerate(cells) if c["cell_type"] == "code" and "### BEGIN SOLUTION" in text(c)]
        assert len(answers) >= 2, path
        for k in answers:
            assert is_check(cells[k + 1]) and "check." in text(cells[k + 1]), (path.name, k)


def test_stored_solutions_pass_every_check() -> None:
    """nbval compares these stored outputs with a fresh run; so every check passes when run again."""
    for path in SOLUTIONS:
        for cell in filter(is_check, load(path)["cells"]):
            html = [o["data"]["text/html"] for o in cell["outputs"] if "text/html" in o.get("data", {})]
            assert len(html) == 1 and "simlib-check-right" in "".join(html[0]), (path.name, text(cell)[:60])


def test_exercises_hold_stubs_and_no_answers() -> None:
    for path in sorted(EXERCISES.glob("*.ipynb")):
        nb = load(path)
        sources = "\n".join(text(c) for c in nb["cells"])
        coded = EXERCISES / path.name in [EXERCISES / p.name for p in CODED]
        assert "SOLUTION" not in sources and (" = ...  # " in sources or not coded), path
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                assert cell["outputs"] == [] and cell["execution_count"] is None, path


def test_together_the_exercises_teach_every_concept() -> None:
    taught = set()
    for path in SOLUTIONS:
        names = load(path)["metadata"]["simlib"]["concepts"]
        for name in names:
            concepts.concept(name)  # a ValueError names an unknown concept
        taught.update(names)
    assert taught == set(concepts.names())


# ----------------------------------------------------------------------------- strict checks under nbval


def test_the_strict_mode_follows_the_folder() -> None:
    spec = importlib.util.spec_from_file_location("project_conftest", ROOT / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    strict_mode_for = module.strict_mode_for
    assert strict_mode_for(ROOT / "solutions" / "01-utility-or-warranty.ipynb") == "1"
    assert strict_mode_for(ROOT / "exercises" / "01-utility-or-warranty.ipynb") == "not-yet"
    assert strict_mode_for(ROOT / "notebooks" / "00-start-here.ipynb") is None
    assert strict_mode_for(ROOT / "tests" / "test_check.py") is None


def test_nbval_fails_a_wrong_solution_and_a_filled_exercise(tmp_path: Path) -> None:
    """End to end: the project's conftest makes nbval hold checks to the folder's strict mode."""
    shutil.copy(ROOT / "conftest.py", tmp_path / "conftest.py")
    (tmp_path / "pytest.ini").write_text("[pytest]\naddopts = --nbval --nbval-current-env -p no:cacheprovider\n")

    def notebook(folder: str, name: str, answer: str) -> None:
        (tmp_path / folder).mkdir(exist_ok=True)
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(f"from simlib import check\nagents = {answer}\ncheck.integer(agents, 6)")]
        nb.cells[0].id = "only"
        nbformat.write(nb, tmp_path / folder / name)

    notebook("solutions", "right.ipynb", "6")
    notebook("solutions", "wrong.ipynb", "5")
    notebook("exercises", "empty.ipynb", "...")
    notebook("exercises", "filled.ipynb", "6")
    env = {k: v for k, v in os.environ.items() if k != "SIMLIB_CHECK_STRICT"}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-rA", "-q", "solutions", "exercises"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = run.stdout
    assert "PASSED solutions/right.ipynb::Cell 0" in report, report
    assert "FAILED solutions/wrong.ipynb::Cell 0" in report, report
    assert "PASSED exercises/empty.ipynb::Cell 0" in report, report
    assert "FAILED exercises/filled.ipynb::Cell 0" in report, report
    assert "CheckFailed" in report and "one too few" in report and "should say 'not yet'" in report, report
