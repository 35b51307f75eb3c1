"""The classroom game's rooms (issue 16): one concept each, small, imports running one way.

``simlib/classroom/`` is a package of rooms, lowest first in :data:`ROOMS`: a room may import
only the rooms before it, so the game can be read from the bottom up. The rest of simlib is
checked by ``tests/test_imports.py``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import simlib
from simlib import classroom

ROOT = Path(__file__).resolve().parents[1] / "simlib" / "classroom"
ROOMS = [
    "prices", "choices", "events", "pool", "storage", "rounds", "teams", "plays", "debrief", "advice", "closing",
    "game", "web", "serve",
]  # fmt: skip


def rooms_imported(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.level:
                raise AssertionError(f"{path.name}: a relative import; write simlib.classroom.<room>")
            parts = node.module.split(".")
            if parts[:2] == ["simlib", "classroom"]:
                found.add(parts[2] if len(parts) > 2 else "__init__")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[:2] == ["simlib", "classroom"]:
                    found.add(parts[2] if len(parts) > 2 else "__init__")
    return found


def test_every_room_is_listed() -> None:
    found = {p.stem for p in ROOT.glob("*.py")} - {"__init__", "__main__"}
    assert found == set(ROOMS)


@pytest.mark.parametrize("room", ROOMS)
def test_a_room_imports_only_the_rooms_below_it(room: str) -> None:
    for used in rooms_imported(ROOT / f"{room}.py"):
        assert used in ROOMS[: ROOMS.index(room)], f"simlib.classroom.{room} imports {used}, a room above it"


@pytest.mark.parametrize("room", [*ROOMS, "__init__"])
def test_a_room_is_small_and_says_what_it_models(room: str) -> None:
    path = ROOT / f"{room}.py"
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 400
    assert ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))), f"{room}.py has no docstring"


def test_the_package_offers_its_public_names() -> None:
    for name in classroom.__all__:
        assert hasattr(classroom, name), name
    assert classroom.create_game.__module__ == "simlib.classroom.game"


def test_no_class_of_the_game_inherits_from_another_class_of_the_game() -> None:
    """Issue 21: the game is composed (a store and functions), not an inheritance chain split over files."""
    ours = set()
    bases = {}
    for path in ROOT.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                ours.add(node.name)
                bases[f"{path.stem}.{node.name}"] = {b.id for b in node.bases if isinstance(b, ast.Name)}
    assert ours, "the rooms define classes"
    for name, used in bases.items():
        assert not used & ours, f"{name} inherits from {used & ours}"


def test_classroom_does_not_import_the_pictures() -> None:
    for path in ROOT.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "simlib.plots" not in {n.module for n in ast.walk(ast.parse(text)) if isinstance(n, ast.ImportFrom)}
        assert "from simlib import plots" not in text, path.name


def test_an_agents_price_counts_the_hours_on_duty_as_the_model_does() -> None:
    """The price of an agent uses the hours on duty the model counts in a run (its cost measure)."""
    sc = simlib.load_scenario("service-desk").replace(**{"first_line.hours": [8.0, 17.5], "horizon": 100.0})
    res = simlib.simulate(sc, seed=3, keep_requests=False)
    lines = [sc.first_line, sc.second_line] if sc.has_second_line else [sc.first_line]
    priced = sum(t.agents * t.cost * t.hours_on_duty(sc.warmup, sc.horizon) for t in lines)
    assert res.measures["cost"] == pytest.approx(priced, rel=1e-12)
    assert classroom.agent_price(sc) * sc.first_line.agents == pytest.approx(
        sc.first_line.agents * sc.first_line.cost * sc.first_line.hours_on_duty(sc.warmup, 100.0)
    )


PAGES = Path(__file__).resolve().parents[1] / "simlib" / "dashboards"


@pytest.mark.parametrize("room", ["classroom", "classroom_base", "classroom_instructor", "classroom_teams"])
def test_the_pages_rooms_are_small_and_the_base_imports_neither_page(room: str) -> None:
    text = (PAGES / f"{room}.py").read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 400
    assert ast.get_docstring(ast.parse(text))
    if room == "classroom_base":
        modules = {n.module for n in ast.walk(ast.parse(text)) if isinstance(n, ast.ImportFrom)}
        assert not modules & {"simlib.dashboards.classroom_instructor"}
