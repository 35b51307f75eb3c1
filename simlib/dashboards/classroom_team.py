"""The team page: join a game, set the levers within the budget, submit; after the close, results and why.

A team joins with the game code the instructor gave it and a team name (or rejoins with its
token) and from then on acts only for itself. It sees the round's event and budget, moves the
levers (each says the concept it stands for and whether it moves utility or warranty), sees
the cost as it goes, and submits. When the round is closed it sees its value, utility and
warranty, why (what broke), and the leaderboard. It never names a file or a scenario.
"""

from __future__ import annotations

import html
import logging
from pathlib import Path
from typing import Any

import ipywidgets as w

from simlib.classroom import EVENTS, Game, TeamEntry, game_path
from simlib.dashboards.classroom_base import (
    CSS,
    POLL_SECONDS,
    STYLE,
    Page,
    PageState,
    Poller,
    button,
    leaderboard_html,
    percent,
    query_code,
    safe,
    say,
)
from simlib.i18n import _, error, in_language, translator

__all__ = ["TeamPage"]

log = logging.getLogger(__name__)


class TeamPage(PageState):
    """Join a game, set the levers within the budget, submit; after the close, results and why."""

    @in_language
    def __init__(
        self, directory: str | Path | None = None, poll: float = POLL_SECONDS, *, lang: str | None = None
    ) -> None:
        super().__init__(directory, lang)
        self.team: TeamEntry | None = None
        self.shown_round: int | None = None
        self.shown_results: int | None = None
        self.controls: dict[str, Any] = {}
        self._shown_event: str | None = None

        self.code = w.Text(description=_("Game code"), placeholder=_("from the instructor"), style=STYLE)
        self.code.value = query_code()
        self.code.add_class("simlib-game-code")
        self.name = w.Text(description=_("Team name"), placeholder=_("e.g. red"), style=STYLE)
        self.name.add_class("simlib-team-name")
        self.token = w.Text(description=_("Team token"), placeholder=_("only to rejoin"), style=STYLE)
        self.token.add_class("simlib-team-token")
        self.join_button = button(_("Join"), "simlib-join", "primary")
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
        self.submit_button = button(_("Submit"), "simlib-submit", "success")
        self.submit_button.on_click(lambda _: self.submit())
        self.refresh_button = button(_("Refresh"), "simlib-refresh")
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
        self._poller = Poller(lambda: self.refresh(), poll)

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
        say(
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
            line = w.HBox([row, hint], layout=w.Layout(align_items="center"))
            line.add_class(f"simlib-levers-round-{number}-{self._shown_event}")  # which round's levers these are
            rows.append(line)
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
        say(
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
            if self.shown_round is not None:  # a word about the last round's levers would mislead
                self.message.value = ""
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
                f"{_(name)} <b data-measure='{name}'>{percent(mine[name])}</b>"
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
