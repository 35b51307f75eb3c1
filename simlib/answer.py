"""Answer by clicking: the class path's exercises without typing any code.

An exercise cell reads ``prediction = ...`` and the check below it says "not yet". A student
who writes code replaces the ``...``; a student on the class path need not: when a check of
:mod:`simlib.check` meets an empty answer in a notebook, it also shows a small form under its
message (the options as buttons, or a box for a number) and a **Check** button. Pressing it
runs the very same check on what was picked, so the feedback, the count of tries, the hint and
the way to the answer are the same as for a typed answer.

A number may be typed the Dutch way too: ``0,625`` is 0.625. A ``%`` sign is dropped, so a
percentage typed where a share is asked is recognised as that slip by the check.

In strict mode (``make test`` runs the exercises with every check expected to say "not yet")
no form is shown: the notebooks' stored outputs stay as they are.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import Any

from simlib.i18n import _

__all__ = ["in_kernel", "offer", "read_number"]


def in_kernel() -> bool:
    """True inside a running Jupyter kernel (a notebook or Voila), where widgets can be shown."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with the kit
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def read_number(text: str) -> Any:
    """What a student typed, as a number if it is one: ``"0,625"`` -> 0.625, ``"62.5%"`` -> 62.5.

    Anything else comes back as the text, for the check to say what it expected.
    """
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "").rstrip("%")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        return float(cleaned)
    except ValueError:
        return text.strip() or ...


def offer(check: Callable[[Any], Any], options: Sequence[Any] | None = None) -> None:
    """Show a form to answer by clicking, if in a notebook; ``check(answer)`` gives the feedback shown.

    ``options``: the choices, shown as buttons; without them a box takes a number.
    """
    if not in_kernel():
        return
    import ipywidgets as w
    from IPython.display import display

    if options:
        labels = [str(o) for o in options]
        field = w.ToggleButtons(options=labels, value=None, style={"button_width": "auto"})

        def answer() -> Any:
            return ... if field.value is None else options[labels.index(field.value)]
    else:
        field = w.Text(placeholder=_("your answer"), layout=w.Layout(width="12em"))

        def answer() -> Any:
            return read_number(field.value)

    button = w.Button(description=_("Check"), button_style="primary")
    shown = w.HTML()

    def pressed(_button: Any) -> None:
        try:
            shown.value = check(answer())._repr_html_()
        except Exception as exc:  # a student never sees a traceback: say it plainly
            shown.value = f"<p>{html.escape(str(exc))}</p>"

    button.on_click(pressed)
    words = _("Or answer here, without code, and press Check:")
    intro = w.HTML(f"<i>{html.escape(words)}</i>")
    box = w.VBox([intro, w.HBox([field, button]), shown])
    box.add_class("simlib-answer")
    display(box)
