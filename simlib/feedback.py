"""The feedback a check gives, and the help it earns: one box per answer, help in steps.

A check (:mod:`simlib.check`) judges an answer; this room says what it found, and how much
help comes with it.

**The box.** A :class:`Feedback` has a status (right, close, not right, not yet, check the
type), the words, and any hint. In a notebook it shows as a coloured box, in a terminal as a
line of text; ``.passed`` (and ``bool(feedback)``) is for code.

**Help comes in steps.** Every check keeps, per name, the *different* wrong answers it has
seen in this session (:func:`tries`; :func:`reset` forgets them). A first wrong try says only
what is off. From the :data:`HINT_AFTER`-th different wrong answer on, the hint shows; from
the :data:`WAY_AFTER`-th on, the way to the answer (the method, never the answer itself).
Running the same wrong answer again is not a new try, and neither is an answer of the wrong
type: it is not an attempt at the question.

**Strict mode** is for the tests of the notebooks: with ``SIMLIB_CHECK_STRICT=1`` (or inside
``with strict():``) a check that does not pass raises :class:`CheckFailed`; with
``SIMLIB_CHECK_STRICT=not-yet`` (or ``strict("not-yet")``) every check must say "not yet".
"""

from __future__ import annotations

import contextlib
import html
import numbers
import os
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

__all__ = ["CheckFailed", "Feedback", "reset", "strict", "tries"]

HINT_AFTER = 2  # the hint shows from this many different wrong answers on
WAY_AFTER = 3  # the way to the answer shows from this many on

STRICT_ENV = "SIMLIB_CHECK_STRICT"
MODES = ("off", "pass", "not-yet")
_ON = {"1", "true", "yes", "on", "pass"}
_OFF = {"", "0", "false", "no", "off"}

RIGHT, CLOSE, WRONG, NOT_YET, INVALID = "right", "close", "wrong", "not yet", "invalid"
_TITLES = {
    RIGHT: "Right",
    CLOSE: "Close, but not quite",
    WRONG: "Not right",
    NOT_YET: "Not yet",
    INVALID: "Check the type",
}
_MARKS = {RIGHT: "✔", CLOSE: "≈", WRONG: "✘", NOT_YET: "…", INVALID: "?"}
# (border, background) per status: green, amber, red, blue-grey, purple
_COLOURS = {
    RIGHT: ("#2e7d32", "#e8f5e9"),
    CLOSE: ("#ef6c00", "#fff3e0"),
    WRONG: ("#c62828", "#ffebee"),
    NOT_YET: ("#546e7a", "#eceff1"),
    INVALID: ("#6a1b9a", "#f3e5f5"),
}

_mode: ContextVar[str | None] = ContextVar("simlib_check_mode", default=None)


class CheckFailed(AssertionError):
    """Raised in strict mode by a check that does not say what strict mode expects."""


@dataclass(frozen=True)
class Feedback:
    """What a check says about an answer: a status, the words, and a hint."""

    status: str
    name: str
    message: str
    hint: str = ""
    details: tuple[str, ...] = field(default=())
    way: str = ""
    tries: int = 0

    @property
    def passed(self) -> bool:
        """True when the answer is right."""
        return self.status == RIGHT

    @property
    def title(self) -> str:
        return _TITLES[self.status]

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        lines = [f"{_MARKS[self.status]} {self.title}: {self.message}"]
        lines += [f"  {d}" for d in self.details]
        if self.hint and not self.passed:
            lines.append(f"  Hint: {self.hint}")
        if self.way and not self.passed:
            lines.append(f"  The way to the answer: {self.way}")
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        border, background = _COLOURS[self.status]
        parts = [
            f'<div class="simlib-check simlib-check-{self.status.replace(" ", "-")}" role="status" '
            f'style="border-left: 6px solid {border}; background: {background}; color: #1b1b1b; '
            f'padding: 6px 12px; margin: 4px 0; border-radius: 4px; font-family: sans-serif;">',
            f'<b style="color: {border};">{_MARKS[self.status]} {self.title}:</b> {html.escape(self.message)}',
        ]
        if self.details:
            items = "".join(f"<li>{html.escape(d)}</li>" for d in self.details)
            parts.append(f'<ul style="margin: 4px 0;">{items}</ul>')
        if self.hint and not self.passed:
            parts.append(f"<div><i>Hint:</i> {html.escape(self.hint)}</div>")
        if self.way and not self.passed:
            parts.append(f"<div><i>The way to the answer:</i> {html.escape(self.way)}</div>")
        parts.append("</div>")
        return "".join(parts)


# ----------------------------------------------------------------------------- strict mode


def _current_mode() -> str:
    mode = _mode.get()
    if mode is not None:
        return mode
    raw = os.environ.get(STRICT_ENV, "").strip().lower()
    if raw in _OFF:
        return "off"
    if raw in _ON:
        return "pass"
    if raw == "not-yet":
        return "not-yet"
    raise ValueError(f"{STRICT_ENV}: {raw!r} is not allowed; expected 1 (every check must pass), not-yet, or 0")


@contextlib.contextmanager
def strict(expect: str = "pass") -> Iterator[None]:
    """Within this block a check that does not pass raises :class:`CheckFailed`.

    ``expect="not-yet"`` instead requires every check to say "not yet" (an untouched
    exercise); ``expect="off"`` turns strict mode off, whatever the environment says.
    """
    if expect not in MODES:
        raise ValueError(f"expect: {expect!r} is not allowed; expected one of {', '.join(MODES)}")
    token = _mode.set(expect)
    try:
        yield
    finally:
        _mode.reset(token)


def _deliver(fb: Feedback, expected: Any = None) -> Feedback:
    mode = _current_mode()
    if mode == "pass" and not fb.passed:
        shown = "" if expected is None else f" (expected {_show(expected)})"
        raise CheckFailed(f"strict mode: the check of {fb.name} did not pass{shown}\n{fb}")
    if mode == "not-yet" and fb.status != NOT_YET:
        raise CheckFailed(f"strict mode (not-yet): the check of {fb.name} should say 'not yet'\n{fb}")
    return fb


# ----------------------------------------------------------------------------- helpers


def _missing(answer: Any) -> bool:
    if answer is None or answer is Ellipsis:
        return True
    if isinstance(answer, (list, tuple)):
        return any(a is Ellipsis for a in answer)
    return False


def _not_yet(name: str, hint: str = "") -> Feedback:
    """An empty answer: say so. ``hint`` here is an instruction (the options of a choice), not help."""
    return Feedback(
        NOT_YET, name, f"{name} is still empty. Replace the ... with your answer and run this cell again.", hint
    )


# ----------------------------------------------------------------------------- tries and help

_tries: dict[str, list[str]] = {}  # per check name: the different wrong answers so far, in order


def tries(name: str) -> int:
    """How many different wrong answers the check called ``name`` has seen in this session."""
    return len(_tries.get(name, ()))


def reset(name: str | None = None) -> None:
    """Forget the wrong tries of the check ``name`` (of every check when None)."""
    if name is None:
        _tries.clear()
    else:
        _tries.pop(name, None)


def _key(answer: Any) -> str:
    x = _as_number(answer)
    if x is not None:
        return f"{x:.6g}"
    return repr(_norm(answer)) if isinstance(answer, str) else repr(answer)


def _judge(
    status: str,
    name: str,
    message: str,
    answer: Any,
    *,
    hint: str = "",
    way: str = "",
    expected: Any = None,
    details: tuple[str, ...] = (),
) -> Feedback:
    """A verdict on an answer, with the help it has earned: the hint and the way come with tries."""
    if status == RIGHT:
        return _deliver(Feedback(RIGHT, name, message, details=details))
    if status not in (WRONG, CLOSE):  # a mistyped answer is not a try
        return _deliver(Feedback(status, name, message, hint, details), expected)
    seen = _tries.setdefault(name, [])
    key = _key(answer)
    if key not in seen:
        seen.append(key)
    n = len(seen)
    shown_hint = hint if n >= HINT_AFTER else ""
    shown_way = way if n >= WAY_AFTER else ""
    if n < HINT_AFTER and hint:
        message += f" Think again and try once more; a hint comes after {HINT_AFTER} different tries."
    elif n < WAY_AFTER and way:
        message += f" The way to the answer comes after {WAY_AFTER} different tries."
    fb = Feedback(status, name, message, shown_hint, details, shown_way, n)
    return _deliver(fb, expected)


# ----------------------------------------------------------------------------- reading an answer


def _as_number(answer: Any) -> float | None:
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
        if getattr(answer, "shape", None) == () and hasattr(answer, "item"):  # a 0-d numpy array
            return _as_number(answer.item())
        return None
    return float(answer)


def _kind(answer: Any) -> str:
    if isinstance(answer, str):
        return f"the text {answer!r}"
    if isinstance(answer, bool):
        return f"the truth value {answer}"
    return f"a {type(answer).__name__} ({_show(answer)})"


def _show(x: Any) -> str:
    if isinstance(x, float) or (isinstance(x, numbers.Real) and not isinstance(x, (int, bool))):
        return f"{float(x):.4g}"
    text = repr(x)
    return text if len(text) <= 60 else text[:57] + "..."


def _norm(option: Any) -> Any:
    return option.strip().lower() if isinstance(option, str) else option
