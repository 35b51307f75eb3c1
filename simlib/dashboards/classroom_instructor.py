"""The instructor page: open the game it was started for, run the rounds, show the debrief.

``python -m simlib.classroom serve`` names its game in ``$SIMLIB_CLASSROOM_GAME``: the console
opens that game after the instructor code (the other games of the code are in a list below).
Each round is *prepared* (the instructor sets its event and budget while no team can submit),
then *opened* (teams submit), then *closed* with a progress bar (every team runs on the same
weeks). Open and Close sit at the top; closing a round that no team submitted for asks first.
The list of teams shows each team's rejoin code, with a new code or removal at a click
(:mod:`.classroom_teams`). The leaderboard, and the debrief full screen: utility, warranty,
value and cost over the rounds, the class's value against cost, and for each team the one move
that would have helped it most. The results export as CSV.
"""

from __future__ import annotations

import base64
import contextlib
import html
import os
import secrets
from collections.abc import Callable
from pathlib import Path

import ipywidgets as w

from simlib import classroom as cr
from simlib import plots
from simlib.classroom import EVENTS, RoundStatus, Store, game_path
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
)  # fmt: skip
from simlib.dashboards.classroom_teams import TeamList
from simlib.i18n import N_, _, in_language, translator
from simlib.scenario import builtin_scenarios

__all__ = ["InstructorPage"]


# the round's status in words (the enum's values are the store's, in English)
STATUS_WORDS = {
    RoundStatus.PREPARED: N_("prepared"),
    RoundStatus.OPEN: N_("open"),
    RoundStatus.CLOSING: N_("closing"),
    RoundStatus.CLOSED: N_("closed"),
}


class InstructorPage(PageState):
    """Open or create a game with the instructor code; run the rounds; leaderboard and debrief."""

    @in_language
    def __init__(
        self, directory: str | Path | None = None, poll: float = POLL_SECONDS, *, lang: str | None = None
    ) -> None:
        super().__init__(directory, lang)
        self.instructor: str | None = None
        self.game: Store | None = None

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
        self.seed = w.BoundedIntText(value=secrets.randbelow(10**6), min=0, max=10**9, description=_("Seed"),
                                     style=STYLE)  # fmt: skip
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
        self.team_list = TeamList(lambda text, kind: say(self.message, text, kind), self._run)
        self.event = w.Dropdown(description=_("Event of the round"), style=STYLE, layout=w.Layout(width="420px"))
        self.event.add_class("simlib-event-choice")
        self.budget = w.FloatText(description=_("Budget"), style=STYLE, layout=w.Layout(width="300px"))
        self.budget.add_class("simlib-budget")
        self.event_button = button(_("Set event"), "simlib-set-event")
        self.event_button.on_click(lambda _: self.set_event())
        self.budget_button = button(_("Set budget"), "simlib-set-budget")
        self.budget_button.on_click(lambda _: self.set_budget())
        self.open_round_button = button(_("Open round"), "simlib-open-round", "primary")
        self.open_round_button.on_click(lambda _: self.open_round())
        self.close_button = button(_("Close round"), "simlib-close", "danger")
        self.close_button.on_click(lambda _: self.close_round())
        self.confirm_text = w.HTML()
        self.confirm_button = button(_("Close anyway"), "simlib-close-anyway", "danger")
        self.confirm_button.on_click(lambda _: self.close_round(confirmed=True))
        self.cancel_button = button(_("Cancel"), "simlib-close-cancel")
        self.cancel_button.on_click(lambda _: self._confirm(""))
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
        top = w.VBox([w.HBox([self.open_round_button, self.close_button, self.progress, self.refresh_button]),
                      self.confirm_box])  # fmt: skip
        top.add_class("simlib-controls")
        controls = w.VBox(
            [w.HBox([self.event, self.event_button]), w.HBox([self.budget, self.budget_button]),
             self.team_list.widget, w.HBox([self.export_button, self.export_link])]
        )  # fmt: skip
        controls.add_class("simlib-controls")
        self.console = w.VBox(
            [top, self.info, self.board, controls, w.HBox([self.debrief_button, self.full]), self.debrief_box]
        )
        self.console.layout.display = "none"
        self.widget = Page(
            [w.HTML(CSS + "<h2 style='margin:0.2em 0'>" + _("Service desk game: instructor") + "</h2>"), self.message,
             self.login_box, self.console, self.choose_box], "instructor page",
        )  # fmt: skip
        self.widget.add_class("simlib-page")
        self.widget.add_class("simlib-instructor-page")
        self._poller = Poller(self._tick, poll)

    @safe
    def _run(self, action: Callable[[], None]) -> None:
        action()

    # -------------------------------------------------------------- games

    def _games(self, code: str) -> list[tuple[str, Path]]:
        found = []
        for path in sorted(self.dir.glob("*.sqlite")):
            with contextlib.suppress(Exception), Store.open(path) as g:
                if g.settings.instructor_code == code:
                    st = cr.game_state(g)
                    where = _("over") if st.over else _("round {n} of {rounds}").format(
                        n=st.current.number, rounds=st.rounds)  # fmt: skip
                    found.append((f"{g.settings.code}: {g.settings.scenario.name}, {where}", path))
        return found

    @safe
    def login(self) -> None:
        code = self.code.value.strip().upper()
        games = self._games(code) if code else []
        folder = cr.instructor_code_file(self.dir)
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
        chosen = next((path for _label, path in games if path.stem == started), games[0][1] if games else None)
        if chosen is not None:
            self.open(chosen)

    @safe
    def open(self, path: Path | None = None) -> None:
        if self.instructor is None:
            raise ValueError(_("instructor code: enter it first"))
        path = path or self.games.value
        if path is None:
            raise ValueError(_("game: choose a game, or make a new one"))
        game = Store.open(path)
        if game.settings.instructor_code != self.instructor:
            game.close()
            raise ValueError(_("game: this game belongs to another instructor code"))
        if self.game is not None:
            self.game.close()
        self.game = game
        self.games.value = path
        self.rounds.value = game.settings.rounds
        with contextlib.suppress(Exception):
            cr.warm_up()  # the workers start while the teams play: the first close is quick
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
            code = cr.new_game_code()
            if not game_path(self.dir, code).exists():
                break
        game = cr.create_game(
            game_path(self.dir, code), self.scenario.value, rounds=int(self.rounds.value), seed=int(self.seed.value),
            code=code, instructor_code=self.instructor,
        )  # fmt: skip
        game.close()
        self.seed.value = secrets.randbelow(10**6)
        self.games.options = self._games(self.instructor)
        self.open(game.path)

    # -------------------------------------------------------------- the console

    def _tick(self) -> None:
        if self.game is not None and not self.close_button.disabled:
            self._run(self._show_state)

    @safe
    def refresh(self) -> None:
        if self.game is None:
            return
        self._show_state()
        st = cr.game_state(self.game)
        self.event.options = [(f"{_(e.title)} ({_(e.concept)})" if e.concept else _(e.title), e.key)
                              for e in cr.events(self.game)]  # fmt: skip
        if st.current is not None:
            self.event.value = st.current.event
            self.budget.value = st.current.budget
        if st.last_closed is not None:
            self.board.value = leaderboard_html(cr.leaderboard(self.game))

    def _show_state(self) -> None:
        assert self.game is not None
        g, s = self.game, self.game.settings
        st = cr.game_state(g)
        r = st.current
        if r is None:
            where = "<b>" + _("The game is over.") + "</b>"
        else:
            where = _("Round {n} of {rounds}, {status}. Event: {event}. Budget {budget}.").format(
                n=f"<b>{r.number}</b>", rounds=s.rounds, status=f"<b>{_(STATUS_WORDS[r.status])}</b>",
                event=f"<b>{html.escape(_(EVENTS[r.event].title))}</b>", budget=translator().number(r.budget, 0),
            )  # fmt: skip
        self.info.value = (
            "<p class='simlib-big'>" + _("Game code for the teams:")
            + f" <b class='simlib-code' style='font-size:160%;letter-spacing:0.1em'>{s.code}</b></p><p>"
            + _("{scenario}, {runs} weeks per round (the same for every team), seed {seed}.").format(
                scenario=html.escape(s.scenario.name), runs=s.runs, seed=s.seed)
            + f" {where}</p>"
        )  # fmt: skip
        self.team_list.show(g)
        status = r.status if r is not None else None
        self.open_round_button.disabled = status is not RoundStatus.PREPARED
        self.close_button.disabled = status is not RoundStatus.OPEN and status is not RoundStatus.CLOSING
        self.event_button.disabled = status is not RoundStatus.PREPARED
        self.budget_button.disabled = status not in (RoundStatus.PREPARED, RoundStatus.OPEN)

    @safe
    def set_event(self) -> None:
        if self.game is None:
            raise ValueError(_("game: open a game first"))
        r = cr.prepare_round(self.game, self.event.value, float(self.budget.value))
        title = _(EVENTS[r.event].title)
        say(self.message, _("Round {n} is prepared: {title}. Open it when the class is ready.").format(
            n=r.number, title=title), "ok")  # fmt: skip
        self.refresh()

    @safe
    def set_budget(self) -> None:
        if self.game is None:
            raise ValueError(_("game: open a game first"))
        over = cr.set_budget(self.game, float(self.budget.value))
        text = _("The budget is now {budget}.").format(budget=translator().number(float(self.budget.value), 0))
        if over:
            text += " " + _("Over it now (they play the defaults unless they submit again): {teams}.").format(
                teams=", ".join(over))  # fmt: skip
        say(self.message, text, "ok")
        self.refresh()

    @safe
    def open_round(self) -> None:
        if self.game is None:
            raise ValueError(_("game: open a game first"))
        r = cr.open_round(self.game)
        log.info("game %s: the instructor opens round %s", self.game.settings.code, r.number)
        say(self.message, _("Round {n} is open: the teams can submit.").format(n=r.number), "ok")
        self.refresh()

    def _confirm(self, text: str) -> None:
        self.confirm_text.value = f"<b>{html.escape(text)}</b>"
        self.confirm_box.layout.display = None if text else "none"

    @safe
    def close_round(self, confirmed: bool = False) -> None:
        if self.game is None:
            raise ValueError(_("game: open a game first"))
        self._confirm("")
        self.close_button.disabled = True
        self.progress.layout.visibility = "visible"
        self.progress.value = 0

        def step(done: int, total: int) -> None:
            self.progress.max = max(total, 1)
            self.progress.value = done
            self.progress.description = _("Closing {done}/{total}").format(done=done, total=total)

        try:
            out = cr.close_round(self.game, confirm=confirmed, progress=step)
        except cr.NeedsConfirmation as err:
            self.progress.layout.visibility = "hidden"
            self._confirm(str(err))
            return
        finally:
            self.close_button.disabled = False
        log.info("game %s: round %s closed, %s teams", self.game.settings.code, out.round, out.teams)
        self.progress.description = _("Closed")
        self.debrief_box.children = ()
        closed = _("Round {n} is closed: {teams} team(s), {runs} weeks each.")
        say(self.message, closed.format(n=out.round, teams=out.teams, runs=self.game.settings.runs), "ok")
        self.refresh()

    @safe
    def debrief(self) -> None:
        if self.game is None:
            raise ValueError(_("game: open a game first"))
        self.progress.layout.visibility = "visible"

        def step(done: int, total: int) -> None:
            self.progress.max = max(total, 1)
            self.progress.value = done
            self.progress.description = _("Debrief {done}/{total}").format(done=done, total=total)

        d = cr.debrief(self.game, progress=step)
        self.progress.description = _("Debrief ready")
        each_team = _("Each team over the rounds")
        value_cost = _("Value against cost, round by round (95% CIs)")
        table = "".join(
            f"<tr><td>{r['round']}</td><td>{html.escape(r['team'])}</td><td>{percent(r['utility'])}</td>"
            f"<td>{percent(r['warranty'])}</td><td>{percent(r['value'])}</td>"
            f"<td class='num'>{translator().number(r['cost'], 0)}</td><td>{r['rank']}</td></tr>"
            for r in sorted(d.history, key=lambda r: (r["team"].lower(), r["round"]))
        )
        items = "".join(f"<li>{html.escape(a['text'])}</li>" for a in d.advice)
        heads = (_("round"), _("team"), _("utility"), _("warranty"), _("value"), _("cost"), _("rank"))
        self.debrief_box.children = [
            w.HTML("<h3>" + _("Debrief") + f"</h3><h4>{each_team}</h4>"),
            figure_image(plots.class_history(d), each_team),
            w.HTML(f"<h4>{value_cost}</h4>"),
            figure_image(plots.class_value_cost(d), value_cost),
            w.HTML(
                "<h4>" + _("The one lever that would have helped most in round {n}").format(n=d.rounds[-1][0])
                + f"</h4><ul class='simlib-advice'>{items}</ul><h4>" + _("The numbers") + "</h4><table><tr>"
                + "".join(f"<th>{h}</th>" for h in heads) + f"</tr>{table}</table>"
            ),
        ]  # fmt: skip

    def _full_screen(self, on: bool) -> None:
        if on:
            self.widget.add_class("simlib-fullscreen")
        else:
            self.widget.remove_class("simlib-fullscreen")

    @safe
    def export(self) -> None:
        if self.game is None:
            raise ValueError(_("game: open a game first"))
        text = cr.export_csv(self.game)
        name = f"classroom-{self.game.settings.code}.csv"
        data = base64.b64encode(text.encode("utf-8")).decode("ascii")
        rounds = len(cr.game_state(self.game).closed)
        self.export_link.value = (
            f"<a download='{name}' href='data:text/csv;base64,{data}'>" + _("Download {name}").format(name=name)
            + "</a> <small>(" + _("{n} round(s)").format(n=rounds) + ")</small>"
        )  # fmt: skip
