"""The two paths through the kit: a 90-minute class and a modelling track.

Every lesson (``notebooks/``) and exercise (``solutions/``) says in its metadata how long it
takes and on which path it lies::

    "simlib": {"minutes": 10, "paths": ["class", "modelling"], "concepts": [...]}

An exercise may say after which lesson it comes (``"after": "02-utility-and-warranty"``); the
paths run through the lessons in their order, each exercise right after its lesson.

- **class**: the instructor's 90 minutes for a first-year ITSM course, debrief included. It
  shows no code: a student runs the notebook, reads a short page, moves the dashboards' sliders
  and answers by clicking; together its notebooks teach every concept of :mod:`simlib.concepts`.
- **modelling**: queueing theory, replications and confidence intervals, common random
  numbers, warm-up and sweeps on an executor, with exercises that ask for code.

This module reads the metadata and draws the course map; the tests hold the paths to their
promises, and the README and ``00-start-here`` show the same map.

    python -m simlib.course            # the course map, as a markdown table (for the README)
    python -m simlib.course . class    # the class path's map alone (for 00-start-here)
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

__all__ = ["CLASS_MINUTES", "DEBRIEF", "PATHS", "Step", "course_map", "path", "steps"]

PATHS = ("class", "modelling")
CLASS_MINUTES = 90  # the length of the class, debrief included
DEBRIEF = 18  # minutes of debrief at the end: the two-by-two, then the wrong first answers (the margin)


@dataclass(frozen=True)
class Step:
    """One notebook on the paths: where it is, its title, minutes, paths and concepts."""

    folder: str  # "notebooks" or "solutions" (whose copy for learners is in exercises/)
    name: str  # the file name without .ipynb
    title: str
    minutes: int
    paths: tuple[str, ...]
    concepts: tuple[str, ...]
    after: str = ""  # the lesson an exercise comes after ("" for a lesson, or at the end)

    @property
    def where(self) -> str:
        """The notebook as a learner finds it: exercises in ``exercises/``."""
        return f"exercises/{self.name}" if self.folder == "solutions" else self.name


def _title(nb: dict) -> str:
    cells = nb.get("cells", [])
    first = "".join(cells[0]["source"]) if cells else ""
    return first.splitlines()[0].lstrip("# ").strip() if first else ""


def steps(root: Path | str = ".") -> list[Step]:
    """Every lesson and exercise under ``root`` that declares its paths, in course order."""
    found = []
    for folder in ("notebooks", "solutions"):
        for nb_path in sorted((Path(root) / folder).glob("*.ipynb")):
            nb = json.loads(nb_path.read_text(encoding="utf-8"))
            meta = nb.get("metadata", {}).get("simlib", {})
            if "paths" not in meta:
                continue
            found.append(
                Step(
                    folder,
                    nb_path.stem,
                    _title(nb),
                    int(meta.get("minutes", 0)),
                    tuple(meta["paths"]),
                    tuple(meta.get("concepts", ())),
                    str(meta.get("after", "")),
                )
            )
    lessons = [s for s in found if s.folder == "notebooks"]
    out = []
    for lesson in lessons:
        out.append(lesson)
        out += [s for s in found if s.folder == "solutions" and s.after == lesson.name]
    return out + [s for s in found if s not in out]


def _known(name: str) -> str:
    """``name`` if it is a path of the kit; else a ValueError naming the paths there are."""
    if name not in PATHS:
        raise ValueError(f"path: {name!r} is not a path of the kit; expected one of {', '.join(PATHS)}")
    return name


def path(name: str, root: Path | str = ".") -> list[Step]:
    """The steps of one path, in order; a ValueError names the paths there are."""
    return [s for s in steps(root) if _known(name) in s.paths]


def course_map(root: Path | str = ".", names: tuple[str, ...] = PATHS) -> str:
    """The course map in markdown: the notebooks of each path in ``names``, in order, with their minutes."""
    names = tuple(_known(n) for n in names)
    parts = []
    for name, heading in (("class", "Class path"), ("modelling", "Modelling path")):
        if name not in names:
            continue
        chosen = path(name, root)
        total = sum(s.minutes for s in chosen) + (DEBRIEF if name == "class" else 0)
        extra = ", debrief included" if name == "class" else ""
        parts += [f"**{heading}: {total} minutes{extra}**", "", "| step | notebook | minutes |", "|---:|---|---:|"]
        parts += [f"| {i} | `{s.where}`: {s.title} | {s.minutes} |" for i, s in enumerate(chosen, 1)]
        if name == "class":
            parts.append(
                f"| {len(chosen) + 1} | debrief: what moved utility, what moved warranty, and why | {DEBRIEF} |"
            )
        parts.append("")
    return "\n".join(parts).rstrip() + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(course_map(sys.argv[1] if len(sys.argv) > 1 else ".", tuple(sys.argv[2:]) or PATHS))
