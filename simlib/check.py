"""Checks for exercises: feedback in words, right under the learner's answer.

An exercise asks for an answer (``agents = ...``) and the cell under it checks it::

    from simlib import check
    check.integer(agents, expected, name="agents", hint="Try one agent more at a time.")

Every check returns a :class:`Feedback`: in a notebook a coloured box, in a terminal a
line of text, and ``.passed`` for code. It says one of five things:

- **not yet**: the answer is still ``...`` (or ``None``): nothing to check yet;
- **check the type**: the answer is not the kind of thing asked for (text for a number...);
- **not right**: it is off; the feedback says how, and gives the hint;
- **close**: off, but within a wider band than the tolerance (a rounding slip, a noisy run);
- **right**.

**Common slips are named.** A wrong number is held against the usual slips before it is
called wrong: a percentage typed where a share is asked (97.56 for 0.9756) and the reverse,
hours against minutes, a count where a share is asked, and a sign error. The feedback then
says which slip it looks like, in words.

**Help comes in steps.** A first wrong try says only what is off. From the
:data:`HINT_AFTER`-th different wrong answer on, the feedback adds the hint; from the
:data:`WAY_AFTER`-th on, it adds the way to the answer (``way=``): the method, never the
answer itself. Running the same wrong answer again is not a new try.

**Choices teach.** A choice has at least four options, and every wrong option carries its own
feedback (``why=``) naming the misconception it reveals: a choice that could be answered by
trying both halves of a yes/no is refused.

Simulation answers are noisy: checks take a stated tolerance (``rtol``, ``atol``, a range),
and an expected value can be computed where it is needed, by theory or by a seeded
simulation. Pass ``expected`` as a function of no arguments to compute it only when there is
an answer to check: a check of an empty answer is then instant.

A check never raises for a wrong answer, unless *strict* mode is on: with the environment
variable ``SIMLIB_CHECK_STRICT=1`` (or inside ``with check.strict():``) every check that does
not pass raises :class:`CheckFailed`; with ``SIMLIB_CHECK_STRICT=not-yet`` (or
``check.strict("not-yet")``) every check must say "not yet". The tests run the solution
notebooks in the first mode and the generated exercise notebooks in the second.

The checks are here; the box, strict mode and the help in steps are in :mod:`simlib.feedback`,
the named slips in :mod:`simlib.slips`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from simlib import answer as answer_form
from simlib.feedback import (
    CLOSE,
    INVALID,
    NOT_YET,
    RIGHT,
    WRONG,
    CheckFailed,
    Feedback,
    _as_number,
    _current_mode,
    _deliver,
    _judge,
    _kind,
    _missing,
    _norm,
    _not_yet,
    _show,
    reset,
    strict,
    tries,
)
from simlib.feedback import HINT_AFTER as HINT_AFTER  # named here too: check.HINT_AFTER
from simlib.feedback import MODES as MODES
from simlib.feedback import STRICT_ENV as STRICT_ENV
from simlib.feedback import WAY_AFTER as WAY_AFTER
from simlib.slips import _slip

__all__ = [
    "CheckFailed",
    "Feedback",
    "all_of",
    "choice",
    "integer",
    "labels",
    "meets",
    "number",
    "reset",
    "strict",
    "tries",
    "within",
]

MIN_OPTIONS = 4  # a choice offers at least this many options


def _value(expected: Any) -> Any:
    return expected() if callable(expected) else expected


def _share(x: float) -> str:
    return f"{x:.2%}" if abs(x) < 0.1 else f"{x:.0%}" if abs(x) >= 1 else f"{x:.1%}"


def _tolerance(expected: float, rtol: float, atol: float) -> float:
    return max(atol, rtol * abs(expected))


def _allowed(rtol: float, atol: float, unit: str) -> str:
    parts = []
    if rtol > 1e-6:
        parts.append(f"±{rtol * 100:.3g}%")
    if atol:
        parts.append(f"±{atol:.3g}{unit}")
    return " or ".join(parts) if parts else "up to rounding"


# ----------------------------------------------------------------------------- checks


def number(
    answer: Any,
    expected: float | Callable[[], float],
    *,
    name: str = "the answer",
    rtol: float = 0.01,
    atol: float = 0.0,
    near: float = 5.0,
    unit: str = "",
    share: bool | None = None,
    hint: str = "",
    way: str = "",
) -> Feedback:
    """Check a number: right within ``rtol`` (relative) or ``atol`` (absolute) of ``expected``.

    An answer within ``near`` times that tolerance is "close". The feedback says whether the
    answer is too high or too low, and by how much, but not the expected value. A wrong answer
    is held against the common slips (percentage for share and back, hours for minutes and
    back, a count for a share, a sign error): ``share`` says the answer is a share between 0 and
    1 (by default: when the expected value is one), ``unit`` its unit (" min", " h", " points").
    """
    if _missing(answer):
        if _current_mode() == "off":  # a notebook: offer a box for the number too (no code needed)
            answer_form.offer(
                lambda a: number(
                    a, expected, name=name, rtol=rtol, atol=atol, near=near, unit=unit, share=share, hint=hint, way=way
                )
            )
        return _deliver(_not_yet(name))
    x = _as_number(answer)
    if x is None:
        return _deliver(Feedback(INVALID, name, f"{name} should be a number, but it is {_kind(answer)}.", hint))
    if math.isnan(x):
        return _deliver(Feedback(INVALID, name, f"{name} is NaN (not a number): a measure that was not defined?", hint))
    want = float(_value(expected))
    tol = _tolerance(want, rtol, atol)
    off = x - want
    if abs(off) <= tol:
        return _judge(RIGHT, name, f"{name} = {_show(x)}{unit}, as expected ({_allowed(rtol, atol, unit)}).", x)
    is_share = (0.0 < want < 1.0 and unit.strip() in ("", "share")) if share is None else share
    slip = _slip(
        x,
        lambda v: abs(v - want) <= max(tol, 1e-12) * max(near, 1.0),
        share=share if is_share is False else True,
        unit=unit,
    )
    direction = "too high" if off > 0 else "too low"
    how = f"{_share(abs(off) / abs(want))} {direction}" if want else f"{_show(abs(off))}{unit} {direction}"
    if abs(off) <= near * tol:
        msg = f"{name} = {_show(x)}{unit} is {how}; the check allows {_allowed(rtol, atol, unit)}."
        return _judge(CLOSE, name, msg, x, hint=hint, way=way, expected=want)
    if slip:
        return _judge(WRONG, name, f"{name} = {_show(x)}{unit}: {slip}", x, hint=hint, way=way, expected=want)
    return _judge(WRONG, name, f"{name} = {_show(x)}{unit} is {how}.", x, hint=hint, way=way, expected=want)


def integer(
    answer: Any,
    expected: int | Callable[[], int],
    *,
    name: str = "the answer",
    near: int = 1,
    unit: str = "",
    hint: str = "",
    way: str = "",
) -> Feedback:
    """Check a whole number (a count of agents, of runs); within ``near`` of it is "close"."""
    if _missing(answer):
        return _deliver(_not_yet(name))
    x = _as_number(answer)
    if x is None or not math.isfinite(x) or x != int(x):
        shown = _kind(answer) if x is None else _show(x)
        return _deliver(Feedback(INVALID, name, f"{name} should be a whole number, but it is {shown}.", hint))
    x, want = int(x), int(_value(expected))
    if x == want:
        return _judge(RIGHT, name, f"{name} = {x}{unit}.", x)
    diff = abs(x - want)
    more = "many" if x > want else "few"
    if -x == want:
        msg = f"{name} = {x}{unit}: the sign is wrong; the size is right, the direction is not."
        return _judge(WRONG, name, msg, x, hint=hint, way=way, expected=want)
    if diff <= near:
        msg = f"{name} = {x}{unit} is {'one' if diff == 1 else diff} too {more}."
        return _judge(CLOSE, name, msg, x, hint=hint, way=way, expected=want)
    return _judge(WRONG, name, f"{name} = {x}{unit} is too {more}.", x, hint=hint, way=way, expected=want)


def choice(
    answer: Any,
    expected: Any | Callable[[], Any],
    options: Sequence[Any],
    *,
    why: Mapping[Any, str],
    name: str = "the answer",
    hint: str = "",
    way: str = "",
) -> Feedback:
    """Check a choice among ``options`` (text compares without case or outer spaces).

    A choice offers at least :data:`MIN_OPTIONS` options, and ``why`` maps every wrong option
    to its own feedback: the misconception that choosing it reveals. A choice with fewer
    options, or a wrong option without its feedback, is refused with a ValueError (so a
    question cannot be answered by trying both halves of a yes/no).
    """
    shown = ", ".join(repr(o) for o in options)
    if len(options) < MIN_OPTIONS:
        raise ValueError(
            f"options: {shown} are {len(options)}; a choice needs at least {MIN_OPTIONS}, so that trying them "
            "all is not a way to the answer"
        )
    norm = {_norm(o): o for o in options}
    unknown = [k for k in why if _norm(k) not in norm]
    if unknown:
        raise ValueError(f"why: {unknown[0]!r} is not one of the options; expected one of {shown}")
    explained = {_norm(k) for k, v in why.items() if v and v.strip()}
    if not callable(expected):
        if _norm(expected) not in norm:
            raise ValueError(f"expected: {expected!r} is not one of the options; expected one of {shown}")
        explained.add(_norm(expected))
    bare = [o for o in options if _norm(o) not in explained]
    if len(bare) > 1:
        raise ValueError(
            f"why: the options {', '.join(repr(o) for o in bare)} have no feedback; every wrong option needs "
            "its own, naming the misconception it reveals"
        )
    if _missing(answer):
        if _current_mode() == "off":  # a notebook: offer the options as buttons too (no code needed)
            answer_form.offer(lambda a: choice(a, expected, options, why=why, name=name, hint=hint, way=way), options)
        return _deliver(_not_yet(name, f"Choose one of {shown}."))
    if _norm(answer) not in norm:
        msg = f"{name} should be one of {shown}, but it is {_kind(answer)}."
        return _deliver(Feedback(INVALID, name, msg, hint))
    want = _value(expected)
    if _norm(want) not in norm:
        raise ValueError(f"expected: {want!r} is not one of the options; expected one of {shown}")
    if bare and _norm(bare[0]) != _norm(want):
        raise ValueError(f"why: the wrong option {bare[0]!r} has no feedback; give each wrong option its own")
    picked = norm[_norm(answer)]
    if _norm(answer) == _norm(want):
        return _judge(RIGHT, name, f"{name} = {picked!r}.", answer)
    reason = next(v for k, v in why.items() if _norm(k) == _norm(picked))
    msg = f"{name} = {picked!r} is not the best answer. {reason}"
    return _judge(WRONG, name, msg, answer, hint=hint, way=way, expected=want)


def labels(
    answer: Any,
    expected: Sequence[Any] | Callable[[], Sequence[Any]],
    options: Sequence[Any],
    *,
    name: str = "the answer",
    hint: str = "",
    way: str = "",
) -> Feedback:
    """Check a list of labels, one per item (say, per request): which are right, which are not.

    One wrong label (of three or more) is "close"; the feedback names the wrong positions.
    """
    shown = ", ".join(repr(o) for o in options)
    if _missing(answer):
        return _deliver(_not_yet(name))
    if isinstance(answer, (str, bytes)) or not isinstance(answer, Sequence):
        return _deliver(Feedback(INVALID, name, f"{name} should be a list of labels, but it is {_kind(answer)}.", hint))
    want = list(_value(expected))
    if len(answer) != len(want):
        msg = f"{name} has {len(answer)} labels; it should have {len(want)}, one per item."
        return _deliver(Feedback(INVALID, name, msg, hint))
    norm = {_norm(o) for o in options}
    bad = [i for i, a in enumerate(answer) if _norm(a) not in norm]
    if bad:
        msg = f"{name}[{bad[0]}] = {answer[bad[0]]!r} is not a label; use one of {shown}."
        return _deliver(Feedback(INVALID, name, msg, hint))
    wrong = [i for i, (a, w) in enumerate(zip(answer, want)) if _norm(a) != _norm(w)]
    if not wrong:
        return _judge(RIGHT, name, f"all {len(want)} labels of {name} are right.", answer)
    where = ", ".join(f"{name}[{i}]" for i in wrong)
    msg = f"{len(want) - len(wrong)} of {len(want)} labels are right; look again at {where}."
    status = CLOSE if len(wrong) == 1 and len(want) >= 3 else WRONG
    return _judge(status, name, msg, list(answer), hint=hint, way=way, expected=want)


def within(
    answer: Any,
    low: float | None = None,
    high: float | None = None,
    *,
    name: str = "the answer",
    near: float = 0.5,
    unit: str = "",
    share: bool | None = None,
    hint: str = "",
    way: str = "",
) -> Feedback:
    """Check that a number lies in ``[low, high]`` (either end may be open: ``None``).

    Outside, but by at most ``near`` times the width of the range (or ``near`` times the
    bound's size, for an open range), is "close". A wrong answer is held against the common
    slips, as in :func:`number` (a share by default when the range lies within 0 to 1).
    """
    if _missing(answer):
        return _deliver(_not_yet(name))
    x = _as_number(answer)
    if x is None or math.isnan(x):
        shown = _kind(answer) if x is None else "NaN"
        return _deliver(Feedback(INVALID, name, f"{name} should be a number, but it is {shown}.", hint))
    lo = -math.inf if low is None else float(low)
    hi = math.inf if high is None else float(high)
    if lo > hi:
        raise ValueError(f"low: {low!r} is above high {high!r}; expected low <= high")
    rng = (
        f"from {_show(lo)} to {_show(hi)}{unit}"
        if low is not None and high is not None
        else (f"at least {_show(lo)}{unit}" if high is None else f"at most {_show(hi)}{unit}")
    )
    if lo <= x <= hi:
        return _judge(RIGHT, name, f"{name} = {_show(x)}{unit} is in range ({rng}).", x)
    is_share = (0.0 <= lo and hi <= 1.0 and hi - lo < 1.0 and unit.strip() in ("", "share")) if share is None else share
    slip = _slip(x, lambda v: lo <= v <= hi, share=share if is_share is False else True, unit=unit)
    if slip:
        return _judge(WRONG, name, f"{name} = {_show(x)}{unit}: {slip}", x, hint=hint, way=way, expected=(lo, hi))
    width = hi - lo if math.isfinite(hi - lo) and hi > lo else abs(lo if math.isfinite(lo) else hi)
    gap = lo - x if x < lo else x - hi
    words = "below" if x < lo else "above"
    msg = f"{name} = {_show(x)}{unit} is {words} the range ({rng})."
    status = CLOSE if gap <= near * width else WRONG
    return _judge(status, name, msg, x, hint=hint, way=way, expected=(lo, hi))


def meets(
    answer: Any,
    requirements: Mapping[str, Callable[[Any], bool]],
    *,
    name: str = "the answer",
    hint: str = "",
    way: str = "",
) -> Feedback:
    """Check an open answer (a plan, a design) against requirements, each a named test.

    Each test gets the answer and returns True or False. A test that raises ValueError or
    TypeError (a plan a scenario does not accept) gives the error's words, not a traceback.
    """
    if _missing(answer):
        return _deliver(_not_yet(name))
    details, failed = [], 0
    for label, test in requirements.items():
        try:
            ok = bool(test(answer))
        except (ValueError, TypeError, KeyError) as err:
            msg = f"{name} cannot be checked: {err}"
            return _deliver(Feedback(INVALID, name, msg, hint))
        failed += not ok
        details.append(f"{'✔' if ok else '✘'} {label}")
    if not failed:
        msg = f"{name} meets all {len(details)} requirements."
        return _judge(RIGHT, name, msg, answer, details=tuple(details))
    msg = f"{name} meets {len(details) - failed} of {len(details)} requirements."
    status = CLOSE if failed == 1 and len(details) > 1 else WRONG
    return _judge(status, name, msg, repr(answer), hint=hint, way=way, details=tuple(details))


def all_of(*feedbacks: Feedback, name: str = "these answers") -> Feedback:
    """Several checks in one box: right when all are right, "not yet" when all are empty."""
    if not feedbacks:
        raise ValueError("feedbacks: none given; expected one or more results of checks")
    statuses = [f.status for f in feedbacks]
    details = tuple(" ".join(line.strip() for line in str(f).splitlines()) for f in feedbacks)
    right = statuses.count(RIGHT)
    if right == len(statuses):
        status = RIGHT
    elif statuses.count(NOT_YET) == len(statuses):
        status = NOT_YET
    elif any(s in (INVALID, NOT_YET) for s in statuses):
        status = INVALID if INVALID in statuses else NOT_YET
    elif all(s in (RIGHT, CLOSE) for s in statuses):
        status = CLOSE
    else:
        status = WRONG
    msg = f"{name}: {right} of {len(statuses)} right." if status != NOT_YET else f"{name}: all still empty."
    return _deliver(Feedback(status, name, msg, details=details))
