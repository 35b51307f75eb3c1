"""The classroom game's pages: a team page and an instructor page, as ipywidgets.

``make classroom`` serves them with Voila (``notebooks/classroom-team.ipynb`` and
``notebooks/classroom-instructor.ipynb`` each hold one cell that calls :func:`team_page` or
:func:`instructor_page`). The pages decide who may do what:

- a team page joins a game with its *game code* and a team name (or rejoins with the team's
  token) and from then on acts only for that team: it sets levers, sees the cost, submits, and
  after the close sees its results, why, and the leaderboard. It never names a file or a scenario;
- the instructor page opens the games of an *instructor code*: it sees who joined and who
  submitted, chooses the next round's event, closes the round (with a progress bar), shows the
  leaderboard and the debrief full screen, and exports the results.

No traceback ever reaches a page: a refused action shows its plain message, anything unexpected
is logged and shown as a short apology. The games live in ``$SIMLIB_CLASSROOM_DIR`` (set by
``make classroom``), one SQLite file per game, named by its game code.

The team page is in :mod:`.classroom_team`, the instructor page in :mod:`.classroom_instructor`,
and what they share (the page box, the leaderboard table, safe actions) in :mod:`.classroom_base`.
"""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w

from simlib.dashboards.classroom_base import games_dir, leaderboard_html
from simlib.dashboards.classroom_instructor import InstructorPage
from simlib.dashboards.classroom_team import TeamPage

__all__ = ["InstructorPage", "TeamPage", "games_dir", "instructor_page", "leaderboard_html", "team_page"]


def team_page(directory: str | Path | None = None, lang: str | None = None) -> w.Widget:
    """The team page, as a widget (``notebooks/classroom-team.ipynb``); ``lang``: "nl" or "en"."""
    return TeamPage(directory, lang=lang).widget


def instructor_page(directory: str | Path | None = None, lang: str | None = None) -> w.Widget:
    """The instructor page, as a widget (``notebooks/classroom-instructor.ipynb``); ``lang``: "nl" or "en"."""
    return InstructorPage(directory, lang=lang).widget
