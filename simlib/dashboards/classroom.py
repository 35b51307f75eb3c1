"""The classroom game's instructor console, as ipywidgets (served by Voila).

``make classroom`` serves it (``notebooks/classroom-instructor.ipynb`` holds one cell that
calls :func:`instructor_page`); the teams' page is a light web page of the same server, with no
kernel (:mod:`simlib.classroom.web`). The console opens the games of an *instructor code*,
first the game the server was started for: it sees who joined and who submitted, chooses the
next round's event, closes the round (with a progress bar), shows the leaderboard and the
debrief full screen, and exports the results.

No traceback ever reaches the page: a refused action shows its plain message, anything
unexpected is logged to the server's log with its cause and shown as a short apology. The
games live in ``$SIMLIB_CLASSROOM_DIR`` (set by ``make classroom``), one SQLite file per game,
named by its game code.

The console is in :mod:`.classroom_instructor`, its parts (the page box, the leaderboard
table, safe actions, the log) in :mod:`.classroom_base`.
"""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w

from simlib.dashboards.classroom_base import games_dir, leaderboard_html
from simlib.dashboards.classroom_instructor import InstructorPage

__all__ = ["InstructorPage", "games_dir", "instructor_page", "leaderboard_html"]


def instructor_page(directory: str | Path | None = None, lang: str | None = None) -> w.Widget:
    """The instructor page, as a widget (``notebooks/classroom-instructor.ipynb``); ``lang``: "nl" or "en"."""
    return InstructorPage(directory, lang=lang).widget
