"""The console's list of teams: who joined, who submitted, each team's rejoin code, and two actions.

A team that lost its page (a closed laptop, a server restart) rejoins with its *rejoin code*:
the instructor reads it out from this list. **New code** makes a new one (the old one stops
working: a code that was overheard); **Remove** takes a team out of the game (a joke name, a
team made twice). The rows are rebuilt only when the teams change, so the buttons stay put while
the submissions come in.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import ipywidgets as w

from simlib import classroom as cr
from simlib.dashboards.classroom_base import button, log
from simlib.i18n import _

__all__ = ["TeamList"]


class TeamList:
    """The teams of a game as rows of widgets; ``show(store)`` brings them up to date."""

    def __init__(self, say: Callable[[str, str], None], safe: Callable[[Callable[[], None]], None]) -> None:
        self.say, self.safe = say, safe
        self.summary = w.HTML()
        self.rows = w.VBox()
        self.widget = w.VBox([self.summary, self.rows])
        self.widget.add_class("simlib-teams")
        self._names: tuple[str, ...] = ()
        self._status: dict[str, w.HTML] = {}
        self._codes: dict[str, w.HTML] = {}
        self.store: cr.Store | None = None

    def show(self, store: cr.Store) -> None:
        self.store = store
        teams = cr.teams(store)
        names = tuple(t["team"] for t in teams)
        if names != self._names:
            self._build(store, names)
        done = sum(t["submitted"] for t in teams)
        self.summary.value = "<p>" + _("{teams} team(s) joined, {done} submitted for this round.").format(
            teams=f"<b>{len(teams)}</b>", done=f"<b>{done}</b>"
        ) + "</p>"  # fmt: skip
        for t in teams:
            word = _("over budget") if t["over_budget"] else _("submitted") if t["submitted"] else "&ndash;"
            self._status[t["team"]].value = f"<span class='simlib-submitted'>{word}</span>"

    def _build(self, store: cr.Store, names: tuple[str, ...]) -> None:
        self._names = names
        self._status, self._codes, rows = {}, {}, []
        if names:
            heads = [(_("team"), "14em"), (_("this round"), "8em"), (_("Rejoin code"), "8em")]
            rows.append(w.HBox([w.HTML(f"<b>{h}</b>", layout=w.Layout(width=wd)) for h, wd in heads]))
        for name in names:
            label = w.HTML(html.escape(name), layout=w.Layout(width="14em"))
            status = self._status[name] = w.HTML(layout=w.Layout(width="8em"))
            code = self._codes[name] = w.HTML(self._code(store, name), layout=w.Layout(width="8em"))
            again = button(_("New code"), "simlib-reissue")
            again.tooltip = _("Give {name} a new rejoin code").format(name=name)
            again.on_click(lambda _b, n=name: self.safe(lambda: self.reissue(n)))
            remove = button(_("Remove"), "simlib-remove")
            remove.tooltip = _("Remove {name} from the game").format(name=name)
            remove.on_click(lambda _b, n=name: self.safe(lambda: self.remove(n)))
            row = w.HBox([label, status, code, again, remove], layout=w.Layout(align_items="center"))
            row.add_class("simlib-team-row")
            rows.append(row)
        self.rows.children = rows

    @staticmethod
    def _code(store: cr.Store, name: str) -> str:
        return f"<code class='simlib-rejoin-code'>{html.escape(cr.team_token(store, name))}</code>"

    def reissue(self, name: str) -> None:
        assert self.store is not None
        cr.reissue_token(self.store, name)
        log.info("game %s: a new rejoin code for team %r", self.store.settings.code, name)
        self._codes[name].value = self._code(self.store, name)
        self.say(_("Team {name} has a new rejoin code; the old one no longer works.").format(name=name), "ok")

    def remove(self, name: str) -> None:
        assert self.store is not None
        cr.remove_team(self.store, name)
        log.info("game %s: team %r removed", self.store.settings.code, name)
        self.say(_("Team {name} is removed from the game.").format(name=name), "ok")
        self.show(self.store)
