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
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as w

from simlib import classroom
from simlib.classroom import EVENTS, Game, TeamEntry, game_path
from simlib.i18n import N_, _, error, in_language, language, translator
from simlib.scenario import builtin_scenarios

__all__ = ["InstructorPage", "TeamPage", "games_dir", "instructor_page", "team_page"]

log = logging.getLogger(__name__)
STYLE = {"description_width": "150px"}
POLL_SECONDS = 3.0
#: The states of a round, as an instructor reads them (``_(status)``).
STATUS_WORDS = (N_("open"), N_("closing"), N_("closed"), N_("over"))
CSS = """<style>
.simlib-page { font-size: 15px; max-width: 1100px; }
.simlib-page table { border-collapse: collapse; margin: 0.4em 0; }
.simlib-page th, .simlib-page td { padding: 3px 10px; border-bottom: 1px solid #ddd; text-align: left; }
.simlib-page td.num { text-align: right; font-variant-numeric: tabular-nums; }
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


def games_dir(directory: str | Path | None = None) -> Path:
    """The folder of the game files: the argument, else $SIMLIB_CLASSROOM_DIR, else ./games."""
    return Path(directory or os.environ.get("SIMLIB_CLASSROOM_DIR") or "games")


def _pct(x: float, digits: int = 1) -> str:
    return translator().percent(math.nan if x is None or not math.isfinite(x) else x, digits)


def _ci(row: dict[str, Any], m: str) -> str:
    lo, hi = row.get(f"{m}_low"), row.get(f"{m}_high")
    if lo is None or not math.isfinite(lo):
        return _pct(row[m])
    return f"{_pct(row[m])} <small>(" + _("{low} to {high}").format(low=_pct(lo), high=_pct(hi)) + ")</small>"


def leaderboard_html(rows: list[dict[str, Any]], highlight: str | None = None) -> str:
    """The leaderboard as an HTML table: one ``<tr data-team=...>`` per team."""
    if not rows:
        return "<p>" + _("No results yet.") + "</p>"
    head = (
        "<tr>"
        + "".join(
            f"<th>{h}</th>"
            for h in (_("rank"), _("team"), _("value (95% CI)"), _("utility"), _("warranty"), _("cost"), "")
        )
        + "</tr>"
    )
    body = []
    for r in rows:
        mark = ' style="background:#fff3c4;font-weight:bold"' if highlight and r["team"] == highlight else ""
        note = html.escape(r["note"]) + ("" if r["submitted"] else " " + _("(did not submit: played the defaults)"))
        body.append(
            f'<tr data-team="{html.escape(r["team"])}"{mark}><td class="num">{r["rank"]}</td>'
            f"<td>{html.escape(r['team'])}</td><td>{_ci(r, 'value')}</td><td>{_ci(r, 'utility')}</td>"
            f'<td>{_ci(r, "warranty")}</td><td class="num">{translator().number(r["cost"], 0)}</td>'
            f"<td><small>{note}</small></td></tr>"
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


def _png(figure: Any) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _image(figure: Any) -> w.Image:
    """A figure at its own size (never stretched), shrunk only to fit a narrow page."""
    width = figure.get_figwidth() * figure.dpi
    return w.Image(value=_png(figure), format="png", layout=w.Layout(width=f"{width:.0f}px", max_width="100%"))


def _say(box: w.HTML, text: str, kind: str = "error") -> None:
    colour = {"error": "#8B2500", "ok": "#1b5e20", "info": "#333"}[kind]
    box.value = f'<div style="color:{colour};font-weight:bold;padding:0.3em 0">{html.escape(text)}</div>'


def _query_code() -> str:
    """The game code in the page's address (``...classroom-team.ipynb?game=K7QM2D``), if any."""
    from urllib.parse import parse_qs

    with contextlib.suppress(Exception):
        code = parse_qs(os.environ.get("QUERY_STRING", "")).get("game", [""])[0].strip().upper()
        if code.isalnum() and len(code) <= 12:
            return code
    return ""


def safe(method: Callable[..., Any]) -> Callable[..., Any]:
    """A page action: a refusal shows its message, anything else an apology; never a traceback."""

    @functools.wraps(method)
    @in_language  # the page's language, for whatever the action shows
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except ValueError as err:
            _say(self.message, error(err))
        except Exception:  # noqa: BLE001 - a page must never show a traceback
            log.exception("classroom page %s failed", method.__name__)
            _say(self.message, _("Something went wrong. Try again, or ask the instructor."))
        return None

    return wrapper


def _button(text: str, css: str, style: str = "") -> w.Button:
    b = w.Button(description=text, button_style=style, layout=w.Layout(width="auto"))
    b.add_class(css)
    return b


class _Poller:
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


# ------------------------------------------------------------------------------------ team


class TeamPage:
    """Join a game, set the levers within the budget, submit; after the close, results and why."""

    @in_language
    def __init__(
        self, directory: str | Path | None = None, poll: float = POLL_SECONDS, *, lang: str | None = None
    ) -> None:
        self.lang = language(lang)
        self.dir = games_dir(directory)
        self.game: Game | None = None
        self.team: TeamEntry | None = None
        self.shown_round: int | None = None
        self.shown_results: int | None = None
        self.controls: dict[str, Any] = {}
        self._shown_event: str | None = None

        self.message = w.HTML()
        self.message.add_class("simlib-message")
        self.code = w.Text(description=_("Game code"), placeholder=_("from the instructor"), style=STYLE)
        self.code.value = _query_code()
        self.code.add_class("simlib-game-code")
        self.name = w.Text(description=_("Team name"), placeholder=_("e.g. red"), style=STYLE)
        self.name.add_class("simlib-team-name")
        self.token = w.Text(description=_("Team token"), placeholder=_("only to rejoin"), style=STYLE)
        self.token.add_class("simlib-team-token")
        self.join_button = _button(_("Join"), "simlib-join", "primary")
        self.join_button.on_click(lambda _: self.join())
        self.join_box = w.VBox(
            [
                w.HTML("<p>" + _("Enter the game code the instructor gave you and a name for your team. "
                       "If your team joined already (a reloaded page), enter its token instead of a name.") + "</p>"),
                self.code, self.name, self.token, self.join_button,
            ]
        )  # fmt: skip
        self.join_box.add_class("simlib-join-box")

        self.header = w.HTML()
        self.header.add_class("simlib-round")
        self.levers_box = w.VBox()
        self.levers_box.add_class("simlib-levers")
        self.cost = w.HTML()
        self.cost.add_class("simlib-cost")
        self.submit_button = _button(_("Submit"), "simlib-submit", "success")
        self.submit_button.on_click(lambda _: self.submit())
        self.refresh_button = _button(_("Refresh"), "simlib-refresh")
        self.refresh_button.on_click(lambda _: self.refresh(force=True))
        self.status = w.HTML()
        self.status.add_class("simlib-status")
        self.results = w.HTML()
        self.results.add_class("simlib-results")
        self.board = w.HTML()
        self.board.add_class("simlib-leaderboard")
        self.play_box = w.VBox(
            [self.header, self.levers_box, self.cost, w.HBox([self.submit_button, self.refresh_button]),
             self.status, self.results, self.board]
        )  # fmt: skip
        self.play_box.layout.display = "none"
        self.widget = Page(
            [w.HTML(CSS + "<h2 style='margin:0.2em 0'>" + _("Service desk game: your team") + "</h2>"), self.message,
             self.join_box, self.play_box], "team page",
        )  # fmt: skip
        self.widget.add_class("simlib-page")
        self.widget.add_class("simlib-team-page")
        self._poller = _Poller(lambda: self.refresh(), poll)

    # -------------------------------------------------------------- joining

    @safe
    def join(self) -> None:
        path = game_path(self.dir, self.code.value)
        if not path.is_file():
            raise ValueError(
                _("game code: no game has the code {code}; check it").format(code=repr(self.code.value.strip().upper()))
            )
        game = Game.open(path)
        if self.token.value.strip():
            team = game.team(self.token.value)
        else:
            team = game.join(self.name.value)
        self.game, self.team = game, team
        self.join_box.layout.display = "none"
        self.play_box.layout.display = None
        _say(
            self.message,
            _("You are team {name}. Your team token is {token}: keep it to rejoin from another page.").format(
                name=team.name, token=team.token
            ),
            "ok",
        )
        self.refresh(force=True)

    # -------------------------------------------------------------- the round

    def _build_levers(self, number: int) -> None:
        assert self.game is not None and self.team is not None
        sub = self.game.submission(self.team, number)
        values = sub["choices"] if sub else {}
        self.controls = {}
        rows: list[w.Widget] = []
        for lv in self.game.levers(number):
            value = values.get(lv["name"], lv["default"])
            css = "simlib-lever-" + lv["name"].replace(".", "-").replace("_", "-")
            if lv["kind"] == "types":
                boxes = {}
                for option in lv["options"]:
                    box = w.Checkbox(value=option in value, description=option, indent=False,
                                     layout=w.Layout(width="auto", margin="0 1em 0 0"))  # fmt: skip
                    box.observe(lambda _: self._update_cost(), names="value")
                    boxes[option] = box
                control = w.HBox(list(boxes.values()), layout=w.Layout(flex_flow="row wrap", width="800px"))
                self.controls[lv["name"]] = boxes
                label = w.HTML(f"<b>{html.escape(_(lv['label']))}</b>", layout=w.Layout(width="155px"))
                row = w.VBox([w.HBox([label, control])])
            else:
                kind = w.IntSlider if lv["kind"] == "whole" else w.FloatSlider
                extra = {} if lv["kind"] == "whole" else {"readout_format": ".2f" if lv["step"] < 0.5 else ".1f"}
                control = kind(
                    value=value, min=lv["low"], max=lv["high"], step=lv["step"], description=_(lv["label"]),
                    style=STYLE, layout=w.Layout(width="420px"), continuous_update=True, **extra,
                )  # fmt: skip
                control.observe(lambda _: self._update_cost(), names="value")
                self.controls[lv["name"]] = control
                row = w.HBox([control])
            row.add_class(css)
            hint = w.HTML(
                f"<small style='color:#555'>{html.escape(_(lv['concept']))} &middot; "
                + _("moves <b>{half}</b>").format(half=html.escape(_(lv["half"])))
                + f" &middot; {html.escape(lv['price'])}</small>",
                layout=w.Layout(margin="0 0 0 8px"),
            )
            rows.append(w.HBox([row, hint], layout=w.Layout(align_items="center")))
        self.levers_box.children = rows
        self._update_cost()

    def choices(self) -> dict[str, Any]:
        """The levers as the page shows them."""
        out: dict[str, Any] = {}
        for name, control in self.controls.items():
            if isinstance(control, dict):
                out[name] = [t for t, box in control.items() if box.value]
            elif isinstance(control, w.IntSlider):
                out[name] = int(control.value)
            else:
                out[name] = round(float(control.value), 4)  # a browser may send 0.6000000000000001
        return out

    def _update_cost(self) -> None:
        if self.game is None or self.shown_round is None:
            return
        try:
            cost = self.game.cost(self.choices(), self.shown_round)
            budget = self.game.round_info(self.shown_round)["budget"]
        except ValueError as err:
            self.cost.value = f"<p style='color:#8B2500'>{html.escape(error(err))}</p>"
            return
        except Exception:  # noqa: BLE001 - a page must never show a traceback
            log.exception("classroom page: the cost could not be shown")
            self.cost.value = "<p style='color:#8B2500'>" + _("The cost cannot be shown just now.") + "</p>"
            return
        over = cost > budget + 1e-6
        colour = "#8B2500" if over else "#1b5e20"
        number = translator().number
        self.cost.value = (
            "<p class='simlib-big'>"
            + _("Cost {cost} of a budget of {budget}").format(
                cost=f"<b style='color:{colour}' data-cost='{cost:.0f}'>{number(cost, 0)}</b>",
                budget=f"<b>{number(budget, 0)}</b>",
            )
            + (" &mdash; " + _("over the budget") if over else "")
            + "</p>"
        )

    @safe
    def submit(self) -> None:
        if self.game is None or self.team is None:
            raise ValueError(_("team: join a game first"))
        sub = self.game.submit(self.team, self.choices(), round=self.shown_round)
        _say(
            self.status,
            _(
                "Submitted for round {round} (cost {cost}). You can change your levers and submit "
                "again until the instructor closes the round."
            ).format(round=sub["round"], cost=translator().number(sub["cost"], 0)),
            "ok",
        )
        self.message.value = ""

    @safe
    def refresh(self, force: bool = False) -> None:
        """Show the open round and the latest results (the page polls this every few seconds)."""
        if self.game is None or self.team is None:
            return
        st = self.game.state()
        last = st["last_closed"]
        if last is not None and (force or last != self.shown_results):
            self._show_results(last)
        if st["over"]:
            self.header.value = "<h3>" + _("The game is over. Thank you for playing!") + "</h3>"
            self.levers_box.children = ()
            self.cost.value = ""
            self.status.value = ""
            self.submit_button.layout.display = "none"
            self.refresh_button.layout.display = "none"
            self.shown_round = None
            return
        number = st["round"]
        ev = EVENTS[st["event"]]
        concept = f" <i>({html.escape(_(ev.concept))})</i>" if ev.concept else ""
        self.header.value = (
            "<h3 style='margin:0.3em 0'>"
            + _("Team {name} &mdash; round {number} of {rounds}").format(
                name=html.escape(self.team.name), number=number, rounds=st["rounds"]
            )
            + "</h3><p><small>"
            + _("Your team token (to rejoin from another page):")
            + f" <b class='simlib-token'>{self.team.token}</b></small></p>"
            + f"<p class='simlib-event' data-event='{ev.key}'><b>"
            + _("This week: {title}").format(title=html.escape(_(ev.title)))
            + f"</b>{concept}. {html.escape(_(ev.text))}</p><p>"
            + _("Budget for the round: {budget}.").format(budget=f"<b>{translator().number(st['budget'], 0)}</b>")
            + (" <b>" + _("The round is being closed.") + "</b>" if st["status"] != "open" else "")
            + "</p>"
        )
        if number != self.shown_round or self._shown_event != st["event"]:
            self.shown_round = number
            self._shown_event = st["event"]
            self._build_levers(number)
            sub = self.game.submission(self.team, number)
            self.status.value = "" if sub is None else "<p>" + _("Submitted for round {n}.").format(n=number) + "</p>"
        self.submit_button.disabled = st["status"] != "open"

    def _show_results(self, number: int) -> None:
        assert self.game is not None and self.team is not None
        self.shown_results = number
        rows = self.game.leaderboard(number)
        mine = next((r for r in rows if r["team"] == self.team.name), None)
        self.board.value = leaderboard_html(rows, self.team.name)
        if mine is None:
            self.results.value = "<p>" + _("Round {n} is closed; your team joined after it.").format(n=number) + "</p>"
            return
        why = self.game.explain(self.team, number)
        self.results.value = (
            "<h4>"
            + _("Your results, round {n}").format(n=number)
            + "</h4><p class='simlib-big'>"
            + " &middot; ".join(
                f"{_(name)} <b data-measure='{name}'>{_pct(mine[name])}</b>"
                for name in ("value", "utility", "warranty")
            )
            + " &middot; "
            + _("rank {rank} of {teams}").format(rank=f"<b data-measure='rank'>{mine['rank']}</b>", teams=len(rows))
            + " &middot; "
            + _("cost {cost}").format(cost=translator().number(mine["cost"], 0))
            + f"</p><p class='simlib-why'>{html.escape(why)}</p><p><small>"
            + _(
                "<b>Utility</b>: could the desk deliver the outcome at all (catalogue, know-how)? "
                "<b>Warranty</b>: did it deliver it when needed (capacity, speed, availability, continuity, "
                "security)?"
            )
            + "</small></p>"
        )


# ------------------------------------------------------------------------------------ instructor


class InstructorPage:
    """Open or create a game with the instructor code; run the rounds; leaderboard and debrief."""

    @in_language
    def __init__(
        self, directory: str | Path | None = None, poll: float = POLL_SECONDS, *, lang: str | None = None
    ) -> None:
        self.lang = language(lang)
        self.dir = games_dir(directory)
        self.game: Game | None = None
        self.instructor: str | None = None

        self.message = w.HTML()
        self.message.add_class("simlib-message")
        self.code = w.Password(description=_("Instructor code"), style=STYLE)
        self.code.add_class("simlib-instructor-code")
        self.login_button = _button(_("Open"), "simlib-login", "primary")
        self.login_button.on_click(lambda _: self.login())
        self.login_box = w.VBox([self.code, self.login_button])

        self.games = w.Dropdown(description=_("Game"), style=STYLE, layout=w.Layout(width="420px"))
        self.games.add_class("simlib-games")
        self.open_button = _button(_("Open game"), "simlib-open")
        self.open_button.on_click(lambda _: self.open())
        self.rounds = w.BoundedIntText(value=4, min=1, max=20, description=_("Rounds"), style=STYLE)
        self.seed = w.BoundedIntText(value=1, min=0, max=10**9, description=_("Seed"), style=STYLE)
        self.scenario = w.Dropdown(options=list(builtin_scenarios()),
                                   value="service-desk", description=_("Scenario"), style=STYLE)  # fmt: skip
        self.create_button = _button(_("New game"), "simlib-create")
        self.create_button.on_click(lambda _: self.create())
        self.choose_box = w.VBox(
            [w.HBox([self.games, self.open_button]), w.HTML("<b>" + _("or a new game:") + "</b>"),
             w.HBox([self.rounds, self.seed]), w.HBox([self.scenario, self.create_button])]
        )  # fmt: skip
        self.choose_box.layout.display = "none"
        self.choose_box.add_class("simlib-controls")

        self.info = w.HTML()
        self.info.add_class("simlib-game-info")
        self.teams = w.HTML()
        self.teams.add_class("simlib-teams")
        self.event = w.Dropdown(description=_("Event of the round"), style=STYLE, layout=w.Layout(width="420px"))
        self.event.add_class("simlib-event-choice")
        self.budget = w.FloatText(description=_("Budget"), style=STYLE, layout=w.Layout(width="300px"))
        self.budget.add_class("simlib-budget")
        self.event_button = _button(_("Set event"), "simlib-set-event")
        self.event_button.on_click(lambda _: self.set_event())
        self.close_button = _button(_("Close round"), "simlib-close", "danger")
        self.close_button.on_click(lambda _: self.close_round())
        self.progress = w.IntProgress(value=0, min=0, max=1, description=_("Closing"), style=STYLE,
                                      layout=w.Layout(width="420px", visibility="hidden"))  # fmt: skip
        self.progress.add_class("simlib-progress")
        self.refresh_button = _button(_("Refresh"), "simlib-refresh")
        self.refresh_button.on_click(lambda _: self.refresh())
        self.debrief_button = _button(_("Debrief"), "simlib-debrief-button", "info")
        self.debrief_button.on_click(lambda _: self.debrief())
        self.full = w.ToggleButton(description=_("Full screen"), value=False, layout=w.Layout(width="auto"))
        self.full.add_class("simlib-full")
        self.full.observe(lambda change: self._full_screen(change["new"]), names="value")
        self.export_button = _button(_("Export CSV"), "simlib-export-button")
        self.export_button.on_click(lambda _: self.export())
        self.export_link = w.HTML()
        self.export_link.add_class("simlib-export")
        self.board = w.HTML()
        self.board.add_class("simlib-leaderboard")
        self.debrief_box = w.VBox()
        self.debrief_box.add_class("simlib-debrief")
        controls = w.VBox(
            [self.teams, w.HBox([self.event, self.budget, self.event_button]),
             w.HBox([self.close_button, self.progress]),
             w.HBox([self.refresh_button, self.export_button, self.export_link])]
        )  # fmt: skip
        controls.add_class("simlib-controls")
        self.console = w.VBox(
            [self.info, controls, w.HBox([self.debrief_button, self.full]), self.board, self.debrief_box]
        )
        self.console.layout.display = "none"
        self.widget = Page(
            [w.HTML(CSS + "<h2 style='margin:0.2em 0'>" + _("Service desk game: instructor") + "</h2>"), self.message,
             self.login_box, self.choose_box, self.console], "instructor page",
        )  # fmt: skip
        self.widget.add_class("simlib-page")
        self.widget.add_class("simlib-instructor-page")
        self._poller = _Poller(self._tick, poll)

    # -------------------------------------------------------------- games

    def _games(self, code: str) -> list[tuple[str, Path]]:
        found = []
        for path in sorted(self.dir.glob("*.sqlite"), key=lambda p: p.stat().st_mtime, reverse=True):
            with contextlib.suppress(Exception):
                g = Game.open(path)
                try:
                    if g.instructor_code == code:
                        st = g.state()
                        where = _("round {n} of {rounds}").format(n=st["round"], rounds=g.rounds)
                        where = _("over") if st["over"] else where
                        found.append((f"{g.code}: {g.base.name}, {where}", path))
                finally:
                    g.close()
        return found

    @safe
    def login(self) -> None:
        code = self.code.value.strip().upper()
        games = self._games(code) if code else []
        folder = classroom.instructor_code_file(self.dir)
        own = folder.is_file() and folder.read_text(encoding="utf-8").strip() == code
        if not code or not (games or own):
            raise ValueError(_("instructor code: not the code of this classroom; it is printed by `make classroom`"))
        self.instructor = code
        self.code.value = ""
        self.login_box.layout.display = "none"
        self.games.options = games
        self.choose_box.layout.display = None
        self.message.value = ""
        if games:
            self.open(games[0][1])

    @safe
    def open(self, path: Path | None = None) -> None:
        if self.instructor is None:
            raise ValueError(_("instructor code: enter it first"))
        path = path or self.games.value
        if path is None:
            raise ValueError(_("game: choose a game, or make a new one"))
        game = Game.open(path)
        if game.instructor_code != self.instructor:
            raise ValueError(_("game: this game belongs to another instructor code"))
        if self.game is not None:
            self.game.close()
        self.game = game
        self.games.value = path
        with contextlib.suppress(Exception):
            classroom.warm_up()  # the workers start while the teams play: the first close is quick
        self.console.layout.display = None
        self.board.value = ""
        self.debrief_box.children = ()
        self.export_link.value = ""
        self.refresh()

    @safe
    def create(self) -> None:
        if self.instructor is None:
            raise ValueError(_("instructor code: enter it first"))
        while True:
            code = classroom.new_game_code()
            if not game_path(self.dir, code).exists():
                break
        game = Game.create(
            game_path(self.dir, code), self.scenario.value, rounds=int(self.rounds.value), seed=int(self.seed.value),
            code=code, instructor_code=self.instructor,
        )  # fmt: skip
        game.close()
        self.games.options = self._games(self.instructor)
        self.open(game.path)

    # -------------------------------------------------------------- the console

    def _tick(self) -> None:
        if self.game is not None and not self.close_button.disabled:
            self._show_state()

    @safe
    def refresh(self) -> None:
        if self.game is None:
            return
        self._show_state()
        st = self.game.state()
        self.event.options = [(f"{_(e['title'])} ({_(e['concept'])})" if e["concept"] else _(e["title"]), e["key"])
                              for e in self.game.events()]  # fmt: skip
        if not st["over"]:
            self.event.value = st["event"]
            self.budget.value = st["budget"]
        if st["last_closed"] is not None:
            self.board.value = leaderboard_html(self.game.leaderboard())

    def _show_state(self) -> None:
        assert self.game is not None
        if self.instructor is not None:
            self.games.options = self._games(self.instructor)  # labels say where each game is
            self.games.value = self.game.path
        st = self.game.state()
        g = self.game
        if st["over"]:
            where = "<b>" + _("The game is over.") + "</b>"
        else:
            ev = EVENTS[st["event"]]
            where = _("Round {n} of {rounds}, {status}. Event: {event}. Budget {budget}.").format(
                n=f"<b>{st['round']}</b>", rounds=g.rounds, status=f"<b>{_(st['status'])}</b>",
                event=f"<b>{html.escape(_(ev.title))}</b>", budget=translator().number(st["budget"], 0),
            )  # fmt: skip
        self.info.value = (
            "<p class='simlib-big'>"
            + _("Game code for the teams:")
            + f" <b class='simlib-code' style='font-size:160%;letter-spacing:0.1em'>{g.code}</b></p><p>"
            + _("{scenario}, {runs} weeks per round (the same for every team), seed {seed}.").format(
                scenario=html.escape(g.base.name), runs=g.runs, seed=g.seed
            )
            + f" {where}</p>"
        )
        teams = g.teams()
        submitted = _("submitted")
        rows = "".join(
            f"<tr data-team='{html.escape(t['team'])}'><td>{html.escape(t['team'])}</td>"
            f"<td class='simlib-submitted'>{submitted if t['submitted'] else '&ndash;'}</td></tr>"
            for t in teams
        )
        done = sum(t["submitted"] for t in teams)
        joined = _("{teams} team(s) joined, {done} submitted for this round.").format(
            teams=f"<b>{len(teams)}</b>", done=f"<b>{done}</b>"
        )
        head = "<tr><th>" + _("team") + "</th><th>" + _("this round") + "</th></tr>"
        self.teams.value = f"<p>{joined}</p>" + (f"<table>{head}{rows}</table>" if teams else "")
        over = st["over"]
        self.close_button.disabled = over
        self.event_button.disabled = over

    @safe
    def set_event(self) -> None:
        if self.game is None:
            raise ValueError(_("game: open a game first"))
        self.game.set_event(self.event.value, float(self.budget.value))
        title = _(EVENTS[self.event.value].title)
        _say(self.message, _("The event of the open round is now: {title}.").format(title=title), "ok")
        self.refresh()

    @safe
    def close_round(self) -> None:
        if self.game is None:
            raise ValueError(_("game: open a game first"))
        number = self.game.state()["round"]
        self.close_button.disabled = True
        self.progress.layout.visibility = "visible"
        self.progress.value = 0

        def step(done: int, total: int) -> None:
            self.progress.max = max(total, 1)
            self.progress.value = done
            self.progress.description = _("Closing {done}/{total}").format(done=done, total=total)

        try:
            out = self.game.close_round(progress=step)
        finally:
            self.close_button.disabled = False
        self.progress.description = _("Closed")
        self.debrief_box.children = ()
        closed = _("Round {n} is closed: {teams} team(s), {runs} weeks each.")
        _say(self.message, closed.format(n=number, teams=out["teams"], runs=out["runs"]), "ok")
        self.refresh()

    @safe
    def debrief(self) -> None:
        if self.game is None:
            raise ValueError(_("game: open a game first"))
        if self.game.state()["last_closed"] is None:
            raise ValueError(_("debrief: no round is closed yet"))
        self.progress.layout.visibility = "visible"

        def step(done: int, total: int) -> None:
            self.progress.max = max(total, 1)
            self.progress.value = done
            self.progress.description = _("Debrief {done}/{total}").format(done=done, total=total)

        advice = self.game.advice(progress=step)
        self.progress.description = _("Debrief ready")
        history = _image(self.game.figure_history())
        picture = _image(self.game.figure_value_cost())
        rows = [r for r in self.game.history()]
        table = "".join(
            f"<tr><td>{r['round']}</td><td>{html.escape(r['team'])}</td><td>{_pct(r['utility'])}</td>"
            f"<td>{_pct(r['warranty'])}</td><td>{_pct(r['value'])}</td>"
            f"<td class='num'>{translator().number(r['cost'], 0)}</td>"
            f"<td>{r['rank']}</td></tr>"
            for r in sorted(rows, key=lambda r: (r["team"].lower(), r["round"]))
        )
        last = self.game.state()["last_closed"]
        items = "".join(f"<li>{html.escape(a['text'])}</li>" for a in advice)
        self.debrief_box.children = [
            w.HTML("<h3>" + _("Debrief") + "</h3><h4>" + _("Each team over the rounds") + "</h4>"),
            history,
            w.HTML("<h4>" + _("Value against cost, round by round (95% CIs)") + "</h4>"),
            picture,
            w.HTML(
                "<h4>"
                + _("The one lever that would have helped most in round {n}").format(n=last)
                + f"</h4><ul class='simlib-advice'>{items}</ul><h4>"
                + _("The numbers")
                + "</h4><table><tr>"
                + "".join(
                    f"<th>{h}</th>"
                    for h in (_("round"), _("team"), _("utility"), _("warranty"), _("value"), _("cost"), _("rank"))
                )
                + f"</tr>{table}</table>"
            ),
        ]

    def _full_screen(self, on: bool) -> None:
        if on:
            self.widget.add_class("simlib-fullscreen")
        else:
            self.widget.remove_class("simlib-fullscreen")

    @safe
    def export(self) -> None:
        if self.game is None:
            raise ValueError(_("game: open a game first"))
        text = self.game.export_csv()
        name = f"classroom-{self.game.code}.csv"
        data = base64.b64encode(text.encode("utf-8")).decode("ascii")
        rounds = len(self.game.state()["closed"])
        self.export_link.value = (
            f"<a download='{name}' href='data:text/csv;base64,{data}'>"
            + _("Download {name}").format(name=name)
            + "</a> <small>("
            + _("{n} round(s)").format(n=rounds)
            + ")</small>"
        )


def team_page(directory: str | Path | None = None, lang: str | None = None) -> w.Widget:
    """The team page, as a widget (``notebooks/classroom-team.ipynb``); ``lang``: "nl" or "en"."""
    return TeamPage(directory, lang=lang).widget


def instructor_page(directory: str | Path | None = None, lang: str | None = None) -> w.Widget:
    """The instructor page, as a widget (``notebooks/classroom-instructor.ipynb``); ``lang``: "nl" or "en"."""
    return InstructorPage(directory, lang=lang).widget
