"""The feedback a check gives, and the help it earns: one box per answer, help in steps.

A check (:mod:`simlib.check`) judges an answer; this room says what it found, and how much
help comes with it.

**The box.** A :class:`Feedback` has a status (right, close, not right, not yet, check the
type), the words, and any hint. In a notebook it shows as a coloured box, in a terminal as a
line of text; ``.passed`` (and ``bool(feedback)``) is for code.

**Help comes in steps.** Every check counts, per name, the *different* wrong answers it has
seen in this session (:func:`tries`; :func:`reset` forgets them). A first wrong try says only
what is off. From the :data:`HINT_AFTER`-th different wrong answer on, the hint shows; from
the :data:`WAY_AFTER`-th on, the way to the answer (the method, never the answer itself).
Running the same wrong answer again is not a new try, and neither is an answer of the wrong
type: it is not an attempt at the question.

**One gate for answers.** Whatever a learner passes (any type, any size, a value whose own
methods raise), a check answers in words: :func:`gate` turns anything unexpected into a
"check the type" box, :func:`show` writes any value in at most about a line, and
:func:`as_number` reads any number (an int beyond a float's range is infinite). Only a check
written wrong (:class:`SetupError`: too few options, a bound that is NaN) raises, for its
author to see.

**Strict mode** is for the tests of the notebooks: with ``SIMLIB_CHECK_STRICT=1`` (or inside
``with strict():``) a check that does not pass raises :class:`CheckFailed`; with
``SIMLIB_CHECK_STRICT=not-yet`` (or ``strict("not-yet")``) every check must say "not yet".

The interface :mod:`simlib.check` builds on: :func:`verdict` (a judged answer, with the
help it has earned), :func:`deliver` (any other box), :func:`not_yet`, :func:`missing`,
:func:`as_number`, :func:`show`, :func:`kind`, :func:`norm`, :func:`among`, :func:`mode` and
:func:`gate`.
"""

from __future__ import annotations

import contextlib
import decimal
import functools
import html
import math
import numbers
import os
from collections.abc import Callable, Collection, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, TypeVar

from simlib.i18n import N_, _
from simlib.validation import shown

__all__ = [
    "CLOSE",
    "INVALID",
    "NOT_YET",
    "RIGHT",
    "WRONG",
    "CheckFailed",
    "Feedback",
    "SetupError",
    "among",
    "as_number",
    "deliver",
    "gate",
    "kind",
    "missing",
    "mode",
    "norm",
    "not_yet",
    "reset",
    "show",
    "strict",
    "tries",
    "verdict",
]

HINT_AFTER = 2  # the hint shows from this many different wrong answers on
WAY_AFTER = 3  # the way to the answer shows from this many on
MAX_SHOWN = 60  # characters of an answer quoted in a message; a longer one is cut, and says so

STRICT_ENV = "SIMLIB_CHECK_STRICT"
MODES = ("off", "pass", "not-yet")
_ON = {"1", "true", "yes", "on", "pass"}
_OFF = {"", "0", "false", "no", "off"}

RIGHT, CLOSE, WRONG, NOT_YET, INVALID = "right", "close", "wrong", "not yet", "invalid"
_TITLES = {
    RIGHT: N_("Right"),
    CLOSE: N_("Close, but not quite"),
    WRONG: N_("Not right"),
    NOT_YET: N_("Not yet"),
    INVALID: N_("Check the type"),
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


def _hint_label() -> str:  # the label before a hint, in the learner's language
    return _("Hint:")


def _way_label() -> str:
    return _("The way to the answer:")


_mode: ContextVar[str | None] = ContextVar("simlib_check_mode", default=None)

F = TypeVar("F", bound=Callable[..., Any])


class CheckFailed(AssertionError):
    """Raised in strict mode by a check that does not say what strict mode expects."""


class SetupError(ValueError):
    """A check written wrong (too few options, a bound that is NaN): for its author, not a learner."""


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
        return _(_TITLES[self.status])

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        lines = [f"{_MARKS[self.status]} {self.title}: {self.message}"]
        lines += [f"  {d}" for d in self.details]
        if self.hint and not self.passed:
            lines.append(f"  {_hint_label()} {self.hint}")
        if self.way and not self.passed:
            lines.append(f"  {_way_label()} {self.way}")
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        border, background = _COLOURS[self.status]
        parts = [
            f'<div class="simlib-check simlib-check-{self.status.replace(" ", "-")}" role="status" '
            f'style="border-left: 6px solid {border}; background: {background}; color: #1b1b1b; '
            f'padding: 6px 12px; margin: 4px 0; border-radius: 4px; font-family: sans-serif;">',
            f'<b style="color: {border};">{_MARKS[self.status]} {html.escape(self.title)}:</b> '
            f"{html.escape(self.message)}",
        ]
        if self.details:
            items = "".join(f"<li>{html.escape(d)}</li>" for d in self.details)
            parts.append(f'<ul style="margin: 4px 0;">{items}</ul>')
        if self.hint and not self.passed:
            parts.append(f"<div><i>{html.escape(_hint_label())}</i> {html.escape(self.hint)}</div>")
        if self.way and not self.passed:
            parts.append(f"<div><i>{html.escape(_way_label())}</i> {html.escape(self.way)}</div>")
        parts.append("</div>")
        return "".join(parts)


# ----------------------------------------------------------------------------- strict mode


def mode() -> str:
    """The strict mode in force: ``"off"``, ``"pass"`` or ``"not-yet"``."""
    current = _mode.get()
    if current is not None:
        return current
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


def deliver(fb: Feedback, expected: Any = None) -> Feedback:
    """``fb`` as the check's result; in strict mode, :class:`CheckFailed` unless it says what is expected."""
    current = mode()
    if current == "pass" and not fb.passed:
        shown = "" if expected is None else f" (expected {show(expected)})"
        raise CheckFailed(f"strict mode: the check of {fb.name} did not pass{shown}\n{fb}")
    if current == "not-yet" and fb.status != NOT_YET:
        raise CheckFailed(f"strict mode (not-yet): the check of {fb.name} should say 'not yet'\n{fb}")
    return fb


def gate(check: F) -> F:
    """The one gate for answers: whatever goes wrong reading an answer is said in words.

    A check wrapped in it returns a "check the type" box for an answer its own code did not
    foresee (an object whose ``__float__`` or ``__eq__`` raises, a nest too deep); only a
    :class:`SetupError` (the check written wrong) and strict mode's :class:`CheckFailed`
    pass through.
    """

    @functools.wraps(check)
    def gated(answer: Any, *args: Any, **kwargs: Any) -> Feedback:
        try:
            return check(answer, *args, **kwargs)
        except (CheckFailed, SetupError):
            raise
        except Exception as exc:
            name = kwargs.get("name") or _("the answer")
            reason = show(str_of(exc), MAX_SHOWN * 2, quoted=False)
            msg = _("{name} could not be checked: it is {kind}, and reading it failed ({error}).").format(
                name=name, kind=kind(answer), error=f"{type(exc).__name__}: {reason}" if reason else type(exc).__name__
            )
            return deliver(Feedback(INVALID, name, msg, kwargs.get("hint", "")))

    return gated  # type: ignore[return-value]


# ----------------------------------------------------------------------------- helpers


def missing(answer: Any) -> bool:
    """True for an answer still empty: ``...``, ``None``, or a list or tuple holding a ``...``."""
    if answer is None or answer is Ellipsis:
        return True
    if isinstance(answer, (list, tuple)):
        return any(a is Ellipsis for a in answer)
    return False


def not_yet(name: str, hint: str = "") -> Feedback:
    """An empty answer: say so. ``hint`` here is an instruction (the options of a choice), not help."""
    msg = _("{name} is still empty. Replace the ... with your answer and run this cell again.").format(name=name)
    return Feedback(NOT_YET, name, msg, hint)


# ----------------------------------------------------------------------------- tries and help


@dataclass
class _Tries:
    count: int = 0  # the different wrong answers so far
    seen: set[int] = field(default_factory=set)  # their keys' hashes: a set, so a try costs the same at 40,000


_tries: dict[str, _Tries] = {}  # per check name


def tries(name: str) -> int:
    """How many different wrong answers the check called ``name`` has seen in this session."""
    entry = _tries.get(name)
    return entry.count if entry is not None else 0


def reset(name: str | None = None) -> None:
    """Forget the wrong tries of the check ``name`` (of every check when None)."""
    if name is None:
        _tries.clear()
    else:
        _tries.pop(name, None)


def _key(answer: Any) -> int:
    x = as_number(answer)
    if x is not None:
        return hash(f"{x:.6g}")
    if isinstance(answer, str):
        return hash(norm(answer))
    return hash(show(answer, 10 * MAX_SHOWN))


def verdict(
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
        return deliver(Feedback(RIGHT, name, message, details=details))
    if status not in (WRONG, CLOSE):  # a mistyped answer is not a try
        return deliver(Feedback(status, name, message, hint, details), expected)
    entry = _tries.setdefault(name, _Tries())
    key = _key(answer)
    if key not in entry.seen:
        entry.seen.add(key)
        entry.count += 1
    n = entry.count
    shown_hint = hint if n >= HINT_AFTER else ""
    shown_way = way if n >= WAY_AFTER else ""
    if n < HINT_AFTER and hint:
        message += " " + _("Think again and try once more; a hint comes after {n} different tries.").format(
            n=HINT_AFTER
        )
    elif n < WAY_AFTER and way:
        message += " " + _("The way to the answer comes after {n} different tries.").format(n=WAY_AFTER)
    return deliver(Feedback(status, name, message, shown_hint, details, shown_way, n), expected)


# ----------------------------------------------------------------------------- reading an answer


def as_number(answer: Any) -> float | None:
    """An answer as a float, or None if it is no number; a whole number beyond a float's range is ±inf."""
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
        if getattr(answer, "shape", None) == () and hasattr(answer, "item"):  # a 0-d numpy array
            return as_number(answer.item())
        return None
    try:
        return float(answer)
    except OverflowError:  # a whole number of hundreds of digits
        return math.inf if answer > 0 else -math.inf


def str_of(value: Any) -> str:
    """``str(value)``, or its type's name when even that fails."""
    try:
        return str(value)
    except Exception:
        return type(value).__name__


def show(x: Any, width: int = MAX_SHOWN, *, quoted: bool = True) -> str:
    """Any value in a message, in about ``width`` characters at most: a longer one is cut, and says so.

    A float has four significant digits; a whole number of more than 15 digits is written
    ``1.000e+300``; text is quoted (``quoted``) and cut with an ellipsis and its length; any
    other value as :func:`simlib.validation.shown` writes it (abbreviated, never raising).
    """
    if isinstance(x, bool):
        return str(x)
    if isinstance(x, numbers.Integral):
        x = int(x)
        if abs(x) < 10**15:
            return str(x)
        return f"{decimal.Decimal(x):.3e}"
    if isinstance(x, numbers.Real):
        return f"{float(x):.4g}"
    if isinstance(x, str):
        if len(x) <= width:
            return repr(x) if quoted else x
        cut = x[: max(width - 20, 10)]
        text = (repr(cut)[:-1] + "…" + repr(cut)[-1]) if quoted else cut + "…"
        return text + " " + _("(cut: {n} characters in all)").format(n=f"{len(x):,}")
    return shown(x, width)


def kind(answer: Any) -> str:
    """What an answer is, in words: ``the text '0.5'``, ``a list ([1, 2])``."""
    if isinstance(answer, str):
        return _("the text {text}").format(text=show(answer))
    if isinstance(answer, bool):
        return _("the truth value {value}").format(value=answer)
    return _("a {type} ({value})").format(type=type(answer).__name__, value=show(answer))


def norm(option: Any) -> Any:
    """An option as it is compared: text without case or outer spaces, anything else as it is."""
    return option.strip().lower() if isinstance(option, str) else option


def among(answer: Any, keys: Collection[Any]) -> bool:
    """Whether ``norm(answer)`` is one of ``keys``; False when it cannot be looked up (a list, a NaN)."""
    try:
        return norm(answer) in keys
    except Exception:  # unhashable, or an __eq__ / __hash__ that raises
        return False
