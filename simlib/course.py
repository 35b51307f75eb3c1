"""The two paths through the kit: a 90-minute class and a modelling track.

Every lesson (``notebooks/``) and exercise (``solutions/``) says in its metadata how long it
takes and on which path it lies::

    "simlib": {"minutes": 10, "paths": ["class", "modelling"], "concepts": [...]}

- **class**: the instructor's 90 minutes for a first-year ITSM course, debrief included. It
  needs no code beyond running cells, moving sliders and typing an answer where a ``...`` is;
  together its notebooks teach every concept of :mod:`simlib.concepts`.
- **modelling**: queueing theory, replications and confidence intervals, common random
  numbers, warm-up and sweeps on an executor, with exercises that ask for code.

This module reads the metadata and draws the course map; the tests hold the paths to their
promises, and the README and ``00-start-here`` show the same map.

    python -m simlib.course            # the course map, as a markdown table
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

__all__ = ["CLASS_MINUTES", "DEBRIEF", "PATHS", "Step", "course_map", "path", "steps"]

PATHS = ("class", "modelling")
CLASS_MINUTES = 90  # the length of the class, debrief included
DEBRIEF = 10  # minutes for the debrief at the end of the class


@dataclass(frozen=True)
class Step:
    """One notebook on the paths: where it is, its title, minutes, paths and concepts."""

    folder: str  # "notebooks" or "solutions" (whose copy for learners is in exercises/)
    name: str  # the file name without .ipynb
    title: str
    minutes: int
    paths: tuple[str, ...]
    concepts: tuple[str, ...]


def _title(nb: dict) -> str:
    cells = nb.get("cells", [])
    first = "".join(cells[0]["source"]) if cells else ""
    return first.splitlines()[0].lstrip("# ").strip() if first else ""


def steps(root: Path | str = ".") -> list[Step]:
    """Every lesson and exercise under ``root`` that declares its paths, lessons first."""
    out = []
    for folder in ("notebooks", "solutions"):
        for nb_path in sorted((Path(root) / folder).glob("*.ipynb")):
            nb = json.loads(nb_path.read_text(encoding="utf-8"))
            meta = nb.get("metadata", {}).get("simlib", {})
            if "paths" not in meta:
                continue
            out.append(
                Step(
                    folder,
                    nb_path.stem,
                    _title(nb),
                    int(meta.get("minutes", 0)),
                    tuple(meta["paths"]),
                    tuple(meta.get("concepts", ())),
                )
            )
    return out


def path(name: str, root: Path | str = ".") -> list[Step]:
    """The steps of one path, in order; a ValueError names the paths there are."""
    if name not in PATHS:
        raise ValueError(f"path: {name!r} is not a path of the kit; expected one of {', '.join(PATHS)}")
    return [s for s in steps(root) if name in s.paths]


def course_map(root: Path | str = ".") -> str:
    """The course map as a markdown table: each notebook, its minutes, and its paths."""
    rows = ["| notebook | minutes | class | modelling |", "|---|---:|:---:|:---:|"]
    for s in steps(root):
        where = "exercises/" if s.folder == "solutions" else ""
        marks = ["✔" if p in s.paths else "" for p in PATHS]
        rows.append(f"| `{where}{s.name}` | {s.minutes} | {marks[0]} | {marks[1]} |")
    total = {p: sum(s.minutes for s in path(p, root)) for p in PATHS}
    rows.append(f"| debrief (class) | {DEBRIEF} | ✔ | |")
    rows.append(f"| **total** | | **{total['class'] + DEBRIEF}** | **{total['modelling']}** |")
    return "\n".join(rows)


if __name__ == "__main__":  # pragma: no cover
    print(course_map(sys.argv[1] if len(sys.argv) > 1 else "."))
