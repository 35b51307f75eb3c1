"""Every concept of the source page is taught: the notebooks' metadata, checked against the table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simlib import concepts

NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("*.ipynb"))
LESSONS = [p for p in NOTEBOOKS if p.name[:2].isdigit()]

# The concepts of the source page (the kit's seed), as the kit names them: a regression pin on the table.
TABLE = {
    "service management": "Service Management",
    "service": "service",
    "desired outcome": "gewenst eindresultaat",
    "task": "taak",
    "constraint": "beperking",
    "capability: capacity": "capaciteit",
    "capability: knowledge": "kennis",
    "capability: skill": "kunde",
    "value": "waarde",
    "utility": "utility (bruikbaarheid)",
    "warranty": "warranty (zekerheid)",
    "internal / external customer": "interne / externe klant",
    "internal / external service": "interne / externe service",
}
# Not on the page (which names warranty but not its parts); the kit teaches it as part of warranty.
ADDED = {"security": "beveiliging"}


def declared(path: Path) -> list[str]:
    meta = json.loads(path.read_text(encoding="utf-8"))["metadata"]
    return list(meta.get("simlib", {}).get("concepts", []))


def test_the_table_is_the_source_pages() -> None:
    assert {c.name: c.dutch for c in concepts.CONCEPTS} == TABLE | ADDED
    assert concepts.names() == tuple(TABLE) + tuple(ADDED)
    assert concepts.SOURCE == tuple(TABLE)
    assert all(c.meaning for c in concepts.CONCEPTS)


def test_an_unknown_concept_is_refused() -> None:
    assert concepts.concept("value").dutch == "waarde"
    with pytest.raises(ValueError, match="concept: 'cost' is not a concept of the kit; expected one of service"):
        concepts.concept("cost")


def test_the_notebooks_are_there() -> None:
    names = {p.name for p in NOTEBOOKS}
    assert "00-start-here.ipynb" in names and "instructor-dashboard.ipynb" in names
    assert len(LESSONS) == 10, [p.name for p in LESSONS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_each_notebook_declares_valid_concepts(path: Path) -> None:
    names = declared(path)
    assert names or not path.name[:2].isdigit(), f"{path.name}: a lesson without metadata simlib.concepts"
    unknown = [n for n in names if n not in concepts.names()]
    assert not unknown, f"{path.name}: unknown concepts {unknown}; expected names from simlib.concepts"


def test_together_the_notebooks_teach_every_concept() -> None:
    taught = set().union(*(declared(p) for p in LESSONS))
    missing = [n for n in concepts.names() if n not in taught]
    assert not missing, f"no lesson teaches {missing}"
