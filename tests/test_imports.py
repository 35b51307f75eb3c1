"""Imports run one way: no room of simlib imports one above it, not even inside a function.

As in SimPy (``events`` sees ``core`` only under ``TYPE_CHECKING``), the rooms stand in
layers, lowest first. A module may import a module of a lower layer only; an import under
``if TYPE_CHECKING:`` is for type hints and does not count. Rooms not listed here (new ones)
must at least not be part of an import cycle.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "simlib"

# Lowest first. The model's rooms are exact; the rooms above them in order of use.
LAYERS = [
    "i18n",  # the learner's language: imports nothing of simlib, so every room may use it
    "codes",
    "validation",
    "tomlio",
    "limits",
    "parts",
    "scenario",
    "draws",
    "report",
    "result",
    "model",
    "stats",
    "runner",
    "sweeps",
    "experiments",
    "warmup",
    "theory",
    "levers",
    "feedback",  # the exercise checks: the box and the help in steps,
    "slips",  # the named slips,
    "answer",  # answer by clicking: a form under an empty check (uses i18n only)
    "check",  # and the checks themselves
]


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(path: Path) -> set[str]:
    """The simlib modules a file imports at run time (``simlib.x`` -> ``x``), anywhere in it."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            parts = node.module.split(".")
            if parts[0] == "simlib":
                if len(parts) > 1:
                    found.add(parts[1])
                else:  # from simlib import x, y
                    found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "simlib" and len(parts) > 1:
                    found.add(parts[1])
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return found


def modules() -> dict[str, set[str]]:
    graph = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).with_suffix("")
        name = rel.parts[0] if rel.parts[-1] != "__init__" or len(rel.parts) > 1 else "__init__"
        graph.setdefault(name, set()).update(imports_of(path) - {name})
    return graph


GRAPH = modules()


@pytest.mark.parametrize("module", LAYERS)
def test_a_room_imports_only_rooms_below_it(module):
    assert module in GRAPH, f"simlib/{module}.py is gone: update LAYERS"
    level = LAYERS.index(module)
    for used in GRAPH[module]:
        if used in LAYERS:
            assert LAYERS.index(used) < level, f"simlib.{module} imports simlib.{used}, a room above it"
        else:
            assert used in GRAPH, f"simlib.{module} imports simlib.{used}, which does not exist"
            pytest.fail(f"simlib.{module} imports simlib.{used}, a room above the model's layers")


def test_no_import_cycles():
    state: dict[str, int] = {}

    def walk(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(GRAPH.get(node, ())):
            if nxt not in GRAPH:
                continue
            if state.get(nxt) == 1:
                cycle = path[path.index(nxt) :] + [nxt] if nxt in path else [node, nxt]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                walk(nxt, [*path, nxt])
        state[node] = 2

    for name in sorted(GRAPH):
        if name not in state and name != "__init__":
            walk(name, [name])


def test_the_lowest_rooms_import_nothing_of_simlib():
    assert GRAPH["i18n"] == set()
    assert GRAPH["codes"] == set()
    assert GRAPH["validation"] == set()
    assert "model" not in GRAPH["result"], "result.py must not import model.py"


def test_import_simlib_is_lean():
    # A learner's `import simlib` loads the model, not the exercise checker or the widgets.
    code = (
        "import sys, simlib\n"
        "heavy = [m for m in ('simlib.check', 'simlib.feedback', 'simlib.slips', 'simlib.answer',"
        " 'ipywidgets', 'matplotlib') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
        "from simlib import check\n"
        "assert check is sys.modules['simlib.check'] and simlib.check is check\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=_env())
    assert done.returncode == 0, done.stderr


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(PACKAGE.parent), os.environ.get("PYTHONPATH", "")])}
