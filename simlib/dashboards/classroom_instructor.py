"""The instructor page: open the game it was started for, run the rounds, show the debrief.

``python -m simlib.classroom serve`` names its game in ``$SIMLIB_CLASSROOM_GAME``: the console
opens that game after the instructor code (the other games of the code are in a list).
Close sits at the top, and closing a round that no team submitted for asks first.

The instructor sees who joined and who submitted, chooses the next round's event (each pushes
one concept) before the teams submit, closes the round with a progress bar (every team runs on
the same weeks), and shows the leaderboard and the debrief full screen: utility, warranty,
value and cost over the rounds, the class's value against cost, and for each team the one move
that would have helped it most. The results export as CSV.
"""

from __future__ import annotations

import base64
import contextlib
import html
import os
from pathlib import Path

import ipywidgets as w

from simlib import classroom
from simlib.classroom import EVENTS, Game, game_path
from simlib.dashboards.classroom_base import (
    CSS,
    POLL_SECONDS,
    STYLE,
    Page,
    PageState,
    Poller,
    button,
    figure_image,
    leaderboard_html,
    log,
    percent,
    safe,
    say,
)
from simlib.i18n import _, in_language, translator
from simlib.scenario import builtin_scenarios

__all__ = ["InstructorPage"]


class InstructorPage(PageState):
    """Open or create a game with the instructor code; run the rounds; leaderboard and debrief."""

    @in_language
    def __init__(
        self, directory: str | Path | None = None, poll: float = POLL_SECONDS, *, lang: str | None = None
    ) -> None:
        super().__init__(directory, lang)
        self.instructor: str | None = None

        self.code = w.Password(description=_("Instructor code"), style=STYLE)
        self.code.add_class("simlib-instructor-code")
        self.login_button = button(_("Open"), "simlib-login", "primary")
        self.login_button.on_click(lambda _: self.login())
        self.login_box = w.VBox([self.code, self.login_button])

        self.games = w.Dropdown(description=_("Game"), style=STYLE, layout=w.Layout(width="420px"))
        self.games.add_class("simlib-games")
        self.open_button = button(_("Open game"), "simlib-open")
        self.open_button.on_click(lambda _: self.open())
        self.rounds = w.BoundedIntText(value=4, min=1, max=20, description=_("Rounds"), style=STYLE)
        self.seed = w.BoundedIntText(value=1, min=0, max=10**9, description=_("Seed"), style=STYLE)
        self.scenario = w.Dropdown(options=list(builtin_scenarios()),
                                   value="service-desk", description=_("Scenario"), style=STYLE)  # fmt: skip
        self.create_button = button(_("New game"), "simlib-create")
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
        self.event_button = button(_("Set event"), "simlib-set-event")
        self.event_button.on_click(lambda _: self.set_event())
        self.close_button = button(_("Close round"), "simlib-close", "danger")
        self.close_button.on_click(lambda _: self.close_round())
        self.confirm_text = w.HTML()
        self.confirm_button = button(_("Close anyway"), "simlib-close-anyway", "danger")
        self.confirm_button.on_click(lambda _: self.close_round(confirmed=True))
        self.cancel_button = button(_("Cancel"), "simlib-close-cancel")
        self.cancel_button.on_click(lambda _: self._confirm(False))
        self.confirm_box = w.HBox([self.confirm_text, self.confirm_button, self.cancel_button])
        self.confirm_box.add_class("simlib-confirm")
        self.confirm_box.layout.display = "none"
        self.progress = w.IntProgress(value=0, min=0, max=1, description=_("Closing"), style=STYLE,
                                      layout=w.Layout(width="420px", visibility="hidden"))  # fmt: skip
        self.progress.add_class("simlib-progress")
        self.refresh_button = button(_("Refresh"), "simlib-refresh")
        self.refresh_button.on_click(lambda _: self.refresh())
        self.debrief_button = button(_("Debrief"), "simlib-debrief-button", "info")
        self.debrief_button.on_click(lambda _: self.debrief())
        self.full = w.ToggleButton(description=_("Full screen"), value=False, layout=w.Layout(width="auto"))
        self.full.add_class("simlib-full")
        self.full.observe(lambda change: self._full_screen(change["new"]), names="value")
        self.export_button = button(_("Export CSV"), "simlib-export-button")
        self.export_button.on_click(lambda _: self.export())
        self.export_link = w.HTML()
        self.export_link.add_class("simlib-export")
        self.board = w.HTML()
        self.board.add_class("simlib-leaderboard")
        self.debrief_box = w.VBox(layout=w.Layout(overflow="visible"))
        self.debrief_box.add_class("simlib-debrief")
        top = w.VBox([w.HBox([self.close_button, self.progress, self.refresh_button]), self.confirm_box])
        top.add_class("simlib-controls")
        controls = w.VBox(
            [w.HBox([self.event, self.budget, self.event_button]), self.teams,
             w.HBox([self.export_button, self.export_link])]
        )  # fmt: skip
        controls.add_class("simlib-controls")
        self.console = w.VBox(
            [top, self.info, controls, w.HBox([self.debrief_button, self.full]), self.board, self.debrief_box]
        )
        self.console.layout.display = "none"
        self.widget = Page(
            [w.HTML(CSS + "<h2 style='margin:0.2em 0'>" + _("Service desk game: instructor") + "</h2>"), self.message,
             self.login_box, self.console, self.choose_box], "instructor page",
        )  # fmt: skip
        self.widget.add_class("simlib-page")
        self.widget.add_class("simlib-instructor-page")
        self._poller = Poller(self._tick, poll)

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
        started = os.environ.get("SIMLIB_CLASSROOM_GAME", "").strip().upper()
        chosen = next((path for _label, path in games if path.stem == started), None)
        if chosen is None and games:
            chosen = games[0][1]
        if chosen is not None:
            self.open(chosen)

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
        say(self.message, _("The event of the open round is now: {title}.").format(title=title), "ok")
        self.refresh()

    def _confirm(self, show: bool, text: str = "") -> None:
        self.confirm_text.value = f"<b>{html.escape(text)}</b>" if show else ""
        self.confirm_box.layout.display = None if show else "none"

    @safe
    def close_round(self, confirmed: bool = False) -> None:
        if self.game is None:
            raise ValueError(_("game: open a game first"))
        number = self.game.state()["round"]
        teams = self.game.teams()
        if not confirmed and teams and not any(t["submitted"] for t in teams):
            self._confirm(True, _("0 of {n} teams have submitted for round {round}. Close it anyway?").format(
                n=len(teams), round=number))  # fmt: skip
            return
        self._confirm(False)
        log.info("game %s: the instructor closes round %s", self.game.code, number)
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
        say(self.message, closed.format(n=number, teams=out["teams"], runs=out["runs"]), "ok")
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
        each_team = _("Each team over the rounds")
        value_cost = _("Value against cost, round by round (95% CIs)")
        history = figure_image(self.game.figure_history(), each_team)
        picture = figure_image(self.game.figure_value_cost(), value_cost)
        rows = [r for r in self.game.history()]
        table = "".join(
            f"<tr><td>{r['round']}</td><td>{html.escape(r['team'])}</td><td>{percent(r['utility'])}</td>"
            f"<td>{percent(r['warranty'])}</td><td>{percent(r['value'])}</td>"
            f"<td class='num'>{translator().number(r['cost'], 0)}</td>"
            f"<td>{r['rank']}</td></tr>"
            for r in sorted(rows, key=lambda r: (r["team"].lower(), r["round"]))
        )
        last = self.game.state()["last_closed"]
        items = "".join(f"<li>{html.escape(a['text'])}</li>" for a in advice)
        self.debrief_box.children = [
            w.HTML("<h3>" + _("Debrief") + f"</h3><h4>{each_team}</h4>"),
            history,
            w.HTML(f"<h4>{value_cost}</h4>"),
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
