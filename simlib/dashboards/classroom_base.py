"""The parts of the instructor's console: the page box, its style, the leaderboard table, safe actions, the log.

The console (:mod:`.classroom_instructor`) is built from: a :class:`Page` box with a short
text form, the page's CSS, the leaderboard as an HTML table with the value's 95% CI that fits 40
teams on a projector without wrapping (:func:`leaderboard_html`), pictures as SVG at the
page's width (:func:`figure_image`), and :func:`safe`, which wraps every action so that a
refusal shows its plain message and nothing unexpected ever shows a traceback; both go to the
server's log (:func:`log_to_server`). A :class:`Poller` refreshes the page every few seconds on
the kernel's event loop.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import functools
import html
import io
import logging
import math
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as w

from simlib.classroom import Store
from simlib.i18n import N_, _, error, in_language, language, translator

__all__ = [
    "CSS",
    "POLL_SECONDS",
    "STATUS_WORDS",
    "STYLE",
    "Page",
    "PageState",
    "Poller",
    "button",
    "figure_image",
    "figure_svg",
    "games_dir",
    "leaderboard_html",
    "log_to_server",
    "percent",
    "safe",
    "say",
    "with_ci",
]

log = logging.getLogger("simlib.classroom.pages")


def log_to_server() -> None:
    """Send the pages' log to the server's own stderr (its terminal), not to the page.

    In a kernel, ``sys.stderr`` is the page's output; its ``fileno()`` is a copy of the
    process's real stderr, which the server that started the kernel writes to its log.
    """
    if any(getattr(h, "_simlib", False) for h in log.handlers):
        return
    try:
        stream: Any = open(os.dup(sys.stderr.fileno()), "w", buffering=1, encoding="utf-8")  # noqa: SIM115
    except (OSError, ValueError, AttributeError):
        stream = sys.__stderr__
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("[%(levelname)s %(asctime)s %(name)s] %(message)s"))
    handler._simlib = True  # type: ignore[attr-defined]
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False


STYLE = {"description_width": "150px"}
POLL_SECONDS = 3.0
#: The states of a round, as an instructor reads them (``_(status)``).
STATUS_WORDS = (N_("open"), N_("closing"), N_("closed"), N_("over"))
CSS = """<style>
.simlib-page { font-size: 15px; max-width: 1100px; }
.simlib-page table { border-collapse: collapse; margin: 0.4em 0; }
.simlib-page th, .simlib-page td { padding: 3px 10px; border-bottom: 1px solid #ddd; text-align: left; }
.simlib-page td.num { text-align: right; font-variant-numeric: tabular-nums; }
.simlib-board { font-size: 13px; line-height: 1.25; }
.simlib-page .simlib-board th, .simlib-page .simlib-board td { padding: 1px 6px; white-space: nowrap; }
.simlib-board td.note { max-width: 16em; overflow: hidden; text-overflow: ellipsis; color: #4a4a4a; }
.simlib-figure { width: 100%; height: auto; }
.simlib-big { font-size: 140%; }
.simlib-fullscreen { font-size: 130%; max-width: none; }
.simlib-fullscreen .simlib-controls { display: none !important; }
</style>"""


class Page(w.VBox):
    """A page's outer box, with a short, stable text form (what a notebook stores as its output)."""

    def __init__(self, children: list[w.Widget], name: str) -> None:
        super().__init__(children)
        self._page_name = name

    def __repr__(self) -> str:
        return f"<simlib classroom: {self._page_name}>"


class PageState:
    """What both pages hold: the language they were built in, the games folder, the open game,
    and the line where an action's message shows (see :func:`safe`)."""

    def __init__(self, directory: str | Path | None, lang: str | None) -> None:
        self.lang = language(lang)
        self.dir = games_dir(directory)
        log_to_server()
        self.game: Store | None = None
        self.message = w.HTML()
        self.message.add_class("simlib-message")


def games_dir(directory: str | Path | None = None) -> Path:
    """The folder of the game files: the argument, else $SIMLIB_CLASSROOM_DIR, else ./games."""
    return Path(directory or os.environ.get("SIMLIB_CLASSROOM_DIR") or "games")


def percent(x: float, digits: int = 1) -> str:
    return translator().percent(math.nan if x is None or not math.isfinite(x) else x, digits)


def with_ci(row: dict[str, Any], m: str) -> str:
    lo, hi = row.get(f"{m}_low"), row.get(f"{m}_high")
    if lo is None or not math.isfinite(lo):
        return percent(row[m])
    return f"{percent(row[m])} <small>(" + _("{low} to {high}").format(low=percent(lo), high=percent(hi)) + ")</small>"


def leaderboard_html(rows: list[dict[str, Any]], highlight: str | None = None) -> str:
    """The leaderboard as an HTML table: one ``<tr data-team=...>`` per team."""
    if not rows:
        return "<p>" + _("No results yet.") + "</p>"
    head = (
        "<tr>"
        + "".join(
            f"<th>{h}</th>"
            for h in (_("rank"), _("team"), _("value (95% CI)"), _("utility"), _("warranty"), _("cost"), _("note"))
        )
        + "</tr>"
    )
    body = []
    for r in rows:
        mark = ' style="background:#fff3c4;font-weight:bold"' if highlight and r["team"] == highlight else ""
        note = html.escape(r["note"] + ("" if r["submitted"] else " " + _("(did not submit: played the defaults)")))
        body.append(
            f'<tr data-team="{html.escape(r["team"])}"{mark}><td class="num">{r["rank"]}</td>'
            f"<td>{html.escape(r['team'])}</td><td>{with_ci(r, 'value')}</td><td>{percent(r['utility'])}</td>"
            f'<td>{percent(r["warranty"])}</td><td class="num">{translator().number(r["cost"], 0)}</td>'
            f'<td class="note" title="{note}">{note}</td></tr>'
        )
    n = rows[0]["round"]
    return (
        "<h4>" + _("Leaderboard, round {n}").format(n=n) + "</h4>"
        f"<table class='simlib-board'>{head}{''.join(body)}</table><p><small>"
        + _(
            "Every team ran on the same weeks; a team is <i>not distinguishable</i> from another when the "
            "paired difference of their values over those weeks could be zero (95% CI)."
        )
        + "</small></p>"
    )


def figure_svg(figure: Any) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg")
    return buffer.getvalue()


def figure_image(figure: Any, alt: str) -> w.HTML:
    """A figure as SVG at the width of the page: it grows with the window (and full screen), labels too.

    ``alt``: what the picture shows, for a screen reader.
    """
    data = base64.b64encode(figure_svg(figure)).decode("ascii")
    return w.HTML(
        f'<img class="simlib-figure" alt="{html.escape(alt)}" src="data:image/svg+xml;base64,{data}">',
        layout=w.Layout(width="100%"),
    )


def say(box: w.HTML, text: str, kind: str = "error") -> None:
    colour = {"error": "#8B2500", "ok": "#1b5e20", "info": "#333"}[kind]
    box.value = f'<div style="color:{colour};font-weight:bold;padding:0.3em 0">{html.escape(text)}</div>'


def safe(method: Callable[..., Any]) -> Callable[..., Any]:
    """A page action: a refusal shows its message, anything else an apology; never a traceback."""

    @functools.wraps(method)
    @in_language  # the page's language, for whatever the action shows
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except ValueError as err:
            log.info("classroom page: %s refused: %s", method.__name__, err)
            say(self.message, error(err))
        except Exception:  # noqa: BLE001 - a page must never show a traceback
            log.exception("classroom page: %s failed", method.__name__)
            say(self.message, _("Something went wrong. Try again, or ask the instructor."))
        return None

    return wrapper


def button(text: str, css: str, style: str = "") -> w.Button:
    b = w.Button(description=text, button_style=style, layout=w.Layout(width="auto"))
    b.add_class(css)
    return b


class Poller:
    """Calls ``tick`` every few seconds on the kernel's event loop (no thread touches the widgets)."""

    def __init__(self, tick: Callable[[], None], seconds: float) -> None:
        self.tick, self.seconds, self.task = tick, seconds, None
        if seconds <= 0:
            return
        try:
            loop = asyncio.get_running_loop()
            self.task = loop.create_task(self._run())
        except Exception:  # no running loop (a plain Python): the Refresh buttons do the job
            self.task = None

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.seconds)
            with contextlib.suppress(Exception):
                self.tick()
