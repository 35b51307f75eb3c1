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

A check never raises for an answer, whatever it is (any type, any size, a value whose own
methods fail): it says in words what it found, and quotes at most a line of it. Only a check
written wrong raises (:class:`simlib.feedback.SetupError`, a ValueError): too few options, a
bound that is NaN, an expected value that cannot be computed. Nor does it raise, unless
*strict* mode is on: with the environment variable ``SIMLIB_CHECK_STRICT=1`` (or inside
``with check.strict():``) every check that does not pass raises :class:`CheckFailed`; with
``SIMLIB_CHECK_STRICT=not-yet`` (or ``check.strict("not-yet")``) every check must say "not
yet". The tests run the solution notebooks in the first mode and the generated exercise
notebooks in the second.

The checks are here; the box, strict mode and the help in steps are in :mod:`simlib.feedback`,
the named slips in :mod:`simlib.slips`.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from simlib import answer as answer_form
from simlib.feedback import (
    CLOSE,
    HINT_AFTER,
    INVALID,
    MODES,
    NOT_YET,
    RIGHT,
    STRICT_ENV,
    WAY_AFTER,
    WRONG,
    CheckFailed,
    Feedback,
    SetupError,
    among,
    as_number,
    deliver,
    gate,
    kind,
    missing,
    mode,
    norm,
    not_yet,
    reset,
    show,
    str_of,
    strict,
    tries,
    verdict,
)
from simlib.i18n import _
from simlib.slips import slip

__all__ = [
    "HINT_AFTER",
    "MODES",
    "STRICT_ENV",
    "WAY_AFTER",
    "CheckFailed",
    "Feedback",
    "SetupError",
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
MAX_PLACES = 5  # wrong labels named one by one; more are counted


def _value(expected: Any, where: str = "expected") -> Any:
    if not callable(expected):
        return expected
    try:
        return expected()
    except Exception as exc:
        raise SetupError(f"{where}: computing it failed ({type(exc).__name__}: {show(str_of(exc), 200)})") from exc


def _real(value: Any, where: str) -> float:
    """A number the check compares with (the expected value, a bound): a SetupError if it is none, or NaN."""
    x = as_number(value)
    if x is None or math.isnan(x):
        raise SetupError(f"{where}: {show(value)} is not allowed; expected a number")
    return x


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
    return _(" or ").join(parts) if parts else _("up to rounding")


def _how(off: float, want: float, unit: str) -> str:
    """How far off, in words: ``2.5% too high``, ``0.3 h too low``, ``far too high``."""
    high = off > 0
    ratio = abs(off) / abs(want) if want else math.nan
    if want and ratio <= 100:
        size = _share(ratio)
    elif not want and math.isfinite(off):
        size = f"{show(abs(off))}{unit}"
    else:
        return _("far too high") if high else _("far too low")
    return (_("{size} too high") if high else _("{size} too low")).format(size=size)


def _not_a_number(name: str, answer: Any, *, whole: bool = False) -> str:
    quoted = isinstance(answer, str) and _read(answer) is not None  # "0.5" typed with its quotes
    if whole:
        words = _("{name} should be a whole number, but it is {kind}.")
        if quoted:
            words = _("{name} should be a whole number, but it is {kind}: leave out the quotes.")
    else:
        words = _("{name} should be a number, but it is {kind}.")
        if quoted:
            words = _("{name} should be a number, but it is {kind}: leave out the quotes.")
    return words.format(name=name, kind=kind(answer))


def _no_number(name: str, answer: Any, x: float | None, hint: str) -> Feedback:
    """The box for an answer that is no number (``x`` None) or NaN."""
    if x is None:
        return Feedback(INVALID, name, _not_a_number(name, answer), hint)
    return Feedback(
        INVALID, name, _("{name} is NaN (not a number): a measure that was not defined?").format(name=name), hint
    )


def _read(text: str) -> float | None:
    """A short text as the number it spells, or None."""
    try:
        return float(text.strip()) if len(text) < 100 else None
    except ValueError:
        return None


def _exact(x: float) -> str:
    """A number that is not whole, never shown as a whole one (3.0000000001, not 3)."""
    text = show(x)
    return repr(x) if math.isfinite(x) and float(text).is_integer() else text


# ----------------------------------------------------------------------------- checks


@gate
def number(
    answer: Any,
    expected: float | Callable[[], float],
    *,
    name: str = "",
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
    An expected value of ``inf`` is matched by ``inf`` alone.
    """
    name = name or _("the answer")
    if missing(answer):
        if mode() == "off":  # a notebook: offer a box for the number too (no code needed)
            answer_form.offer(
                lambda a: number(
                    a, expected, name=name, rtol=rtol, atol=atol, near=near, unit=unit, share=share, hint=hint, way=way
                )
            )
        return deliver(not_yet(name))
    x = as_number(answer)
    if x is None or math.isnan(x):
        return deliver(_no_number(name, answer, x, hint))
    want = _real(_value(expected), "expected")
    shown = f"{show(answer if isinstance(answer, numbers.Integral) else x)}{unit}"
    right = _("{name} = {x}, as expected ({allowed}).")
    if not (math.isfinite(x) and math.isfinite(want)):  # an endless answer, or an endless expected value
        if x == want:
            return verdict(RIGHT, name, right.format(name=name, x=shown, allowed=_("exactly")), x)
        msg = (_("{name} = {x} is far too high.") if x > want else _("{name} = {x} is far too low.")).format(
            name=name, x=shown
        )
        return verdict(WRONG, name, msg, x, hint=hint, way=way, expected=want)
    tol = _tolerance(want, rtol, atol)
    off = x - want
    if abs(off) <= tol:
        return verdict(RIGHT, name, right.format(name=name, x=shown, allowed=_allowed(rtol, atol, unit)), x)
    is_share = (0.0 < want < 1.0 and unit.strip() in ("", "share")) if share is None else share
    named = slip(
        x,
        lambda v: abs(v - want) <= max(tol, 1e-12) * max(near, 1.0),
        share=share if is_share is False else True,
        unit=unit,
    )
    how = _how(off, want, unit)
    if abs(off) <= near * tol:
        msg = _("{name} = {x} is {how}; the check allows {allowed}.").format(
            name=name, x=shown, how=how, allowed=_allowed(rtol, atol, unit)
        )
        return verdict(CLOSE, name, msg, x, hint=hint, way=way, expected=want)
    if named:
        return verdict(WRONG, name, f"{name} = {shown}: {named}", x, hint=hint, way=way, expected=want)
    msg = _("{name} = {x} is {how}.").format(name=name, x=shown, how=how)
    return verdict(WRONG, name, msg, x, hint=hint, way=way, expected=want)


@gate
def integer(
    answer: Any,
    expected: int | Callable[[], int],
    *,
    name: str = "",
    near: int = 1,
    unit: str = "",
    hint: str = "",
    way: str = "",
) -> Feedback:
    """Check a whole number (a count of agents, of runs); within ``near`` of it is "close"."""
    name = name or _("the answer")
    if missing(answer):
        return deliver(not_yet(name))
    x = as_number(answer)
    if isinstance(answer, numbers.Integral) and x is not None:
        whole = int(answer)
    elif x is not None and math.isfinite(x) and x.is_integer():
        whole = int(x)
    else:
        if x is None:
            msg = _not_a_number(name, answer, whole=True)
        else:
            msg = _("{name} should be a whole number, but it is {x}.").format(name=name, x=_exact(x))
        return deliver(Feedback(INVALID, name, msg, hint))
    value = _value(expected)
    want = as_number(value)
    if want is None or not math.isfinite(want) or not want.is_integer():
        raise SetupError(f"expected: {show(value)} is not allowed; expected a whole number")
    want = int(value) if isinstance(value, numbers.Integral) else int(want)
    shown = f"{show(whole)}{unit}"
    if whole == want:
        return verdict(RIGHT, name, f"{name} = {shown}.", whole)
    diff = abs(whole - want)
    if -whole == want:
        msg = _("{name} = {x}: the sign is wrong; the size is right, the direction is not.").format(name=name, x=shown)
        return verdict(WRONG, name, msg, whole, hint=hint, way=way, expected=want)
    if diff <= near:
        many = _("{name} = {x} is {n} too many.") if whole > want else _("{name} = {x} is {n} too few.")
        msg = many.format(name=name, x=shown, n=_("one") if diff == 1 else show(diff))
        return verdict(CLOSE, name, msg, whole, hint=hint, way=way, expected=want)
    msg = (_("{name} = {x} is too many.") if whole > want else _("{name} = {x} is too few.")).format(name=name, x=shown)
    return verdict(WRONG, name, msg, whole, hint=hint, way=way, expected=want)


@gate
def choice(
    answer: Any,
    expected: Any | Callable[[], Any],
    options: Sequence[Any],
    *,
    why: Mapping[Any, str],
    name: str = "",
    hint: str = "",
    way: str = "",
) -> Feedback:
    """Check a choice among ``options`` (text compares without case or outer spaces).

    A choice offers at least :data:`MIN_OPTIONS` options, and ``why`` maps every wrong option
    to its own feedback: the misconception that choosing it reveals. A choice with fewer
    options, or a wrong option without its feedback, is refused with a ValueError (so a
    question cannot be answered by trying both halves of a yes/no).
    """
    name = name or _("the answer")
    shown = ", ".join(show(o) for o in options)
    if len(options) < MIN_OPTIONS:
        raise SetupError(
            f"options: {shown} are {len(options)}; a choice needs at least {MIN_OPTIONS}, so that trying them "
            "all is not a way to the answer"
        )
    try:
        table = {norm(o): o for o in options}
    except TypeError:
        raise SetupError(f"options: {shown} cannot be compared; expected texts or numbers") from None
    unknown = [k for k in why if not among(k, table)]
    if unknown:
        raise SetupError(f"why: {show(unknown[0])} is not one of the options; expected one of {shown}")
    explained = {norm(k) for k, v in why.items() if v and v.strip()}
    if not callable(expected):
        if not among(expected, table):
            raise SetupError(f"expected: {show(expected)} is not one of the options; expected one of {shown}")
        explained.add(norm(expected))
    bare = [o for o in options if norm(o) not in explained]
    if len(bare) > 1:
        raise SetupError(
            f"why: the options {', '.join(show(o) for o in bare)} have no feedback; every wrong option needs "
            "its own, naming the misconception it reveals"
        )
    if missing(answer):
        if mode() == "off":  # a notebook: offer the options as buttons too (no code needed)
            answer_form.offer(lambda a: choice(a, expected, options, why=why, name=name, hint=hint, way=way), options)
        return deliver(not_yet(name, _("Choose one of {options}.").format(options=shown)))
    if not among(answer, table):
        msg = _("{name} should be one of {options}, but it is {kind}.")
        msg = msg.format(name=name, options=shown, kind=kind(answer))
        return deliver(Feedback(INVALID, name, msg, hint))
    want = _value(expected)
    if not among(want, table):
        raise SetupError(f"expected: {show(want)} is not one of the options; expected one of {shown}")
    if bare and norm(bare[0]) != norm(want):
        raise SetupError(f"why: the wrong option {show(bare[0])} has no feedback; give each wrong option its own")
    picked = table[norm(answer)]
    if norm(answer) == norm(want):
        return verdict(RIGHT, name, f"{name} = {show(picked)}.", answer)
    reason = next(v for k, v in why.items() if norm(k) == norm(picked))
    msg = _("{name} = {x} is not the best answer.").format(name=name, x=show(picked)) + f" {reason}"
    return verdict(WRONG, name, msg, answer, hint=hint, way=way, expected=want)


@gate
def labels(
    answer: Any,
    expected: Sequence[Any] | Callable[[], Sequence[Any]],
    options: Sequence[Any],
    *,
    name: str = "",
    hint: str = "",
    way: str = "",
) -> Feedback:
    """Check a list of labels, one per item (say, per request): which are right, which are not.

    One wrong label (of three or more) is "close"; the feedback names the wrong positions.
    """
    name = name or _("the answer")
    shown = ", ".join(show(o) for o in options)
    if missing(answer):
        return deliver(not_yet(name))
    if isinstance(answer, (str, bytes)) or not isinstance(answer, Sequence):
        msg = _("{name} should be a list of labels, but it is {kind}.").format(name=name, kind=kind(answer))
        return deliver(Feedback(INVALID, name, msg, hint))
    want = list(_value(expected))
    if len(answer) != len(want):
        msg = _("{name} has {n} labels; it should have {m}, one per item.").format(
            name=name, n=f"{len(answer):,}", m=len(want)
        )
        return deliver(Feedback(INVALID, name, msg, hint))
    try:
        known = {norm(o) for o in options}
    except TypeError:
        raise SetupError(f"options: {shown} cannot be compared; expected texts or numbers") from None
    bad = next((i for i, a in enumerate(answer) if not among(a, known)), None)
    if bad is not None:
        msg = _("{name}[{i}] = {x} is not a label; use one of {options}.").format(
            name=name, i=bad, x=show(answer[bad]), options=shown
        )
        return deliver(Feedback(INVALID, name, msg, hint))
    wrong = [i for i, (a, w) in enumerate(zip(answer, want)) if norm(a) != norm(w)]
    if not wrong:
        return verdict(RIGHT, name, _("all {n} labels of {name} are right.").format(n=len(want), name=name), answer)
    where = ", ".join(f"{name}[{i}]" for i in wrong[:MAX_PLACES])
    if len(wrong) > MAX_PLACES:
        where += " " + _("and {n} more").format(n=f"{len(wrong) - MAX_PLACES:,}")
    msg = _("{right} of {n} labels are right; look again at {where}.").format(
        right=len(want) - len(wrong), n=len(want), where=where
    )
    status = CLOSE if len(wrong) == 1 and len(want) >= 3 else WRONG
    return verdict(status, name, msg, list(answer), hint=hint, way=way, expected=want)


@gate
def within(
    answer: Any,
    low: float | None = None,
    high: float | None = None,
    *,
    name: str = "",
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
    A bound that is NaN is refused (a SetupError): no answer lies in such a range.
    """
    name = name or _("the answer")
    lo = -math.inf if low is None else _real(low, "low")
    hi = math.inf if high is None else _real(high, "high")
    if lo > hi:
        raise SetupError(f"low: {show(low)} is above high {show(high)}; expected low <= high")
    if missing(answer):
        return deliver(not_yet(name))
    x = as_number(answer)
    if x is None or math.isnan(x):
        return deliver(_no_number(name, answer, x, hint))
    shown = f"{show(answer if isinstance(answer, numbers.Integral) else x)}{unit}"
    if low is not None and high is not None:
        rng = _("from {low} to {high}").format(low=show(lo), high=f"{show(hi)}{unit}")
    elif high is None:
        rng = _("at least {low}").format(low=f"{show(lo)}{unit}")
    else:
        rng = _("at most {high}").format(high=f"{show(hi)}{unit}")
    if lo <= x <= hi:
        return verdict(RIGHT, name, _("{name} = {x} is in range ({range}).").format(name=name, x=shown, range=rng), x)
    is_share = (0.0 <= lo and hi <= 1.0 and hi - lo < 1.0 and unit.strip() in ("", "share")) if share is None else share
    named = slip(x, lambda v: lo <= v <= hi, share=share if is_share is False else True, unit=unit)
    if named:
        return verdict(WRONG, name, f"{name} = {shown}: {named}", x, hint=hint, way=way, expected=(lo, hi))
    width = hi - lo if math.isfinite(hi - lo) and hi > lo else abs(lo if math.isfinite(lo) else hi)
    gap = lo - x if x < lo else x - hi
    below, above = _("{name} = {x} is below the range ({range})."), _("{name} = {x} is above the range ({range}).")
    words = below if x < lo else above
    status = CLOSE if gap <= near * width else WRONG
    return verdict(status, name, words.format(name=name, x=shown, range=rng), x, hint=hint, way=way, expected=(lo, hi))


@gate
def meets(
    answer: Any,
    requirements: Mapping[str, Callable[[Any], bool]],
    *,
    name: str = "",
    hint: str = "",
    way: str = "",
) -> Feedback:
    """Check an open answer (a plan, a design) against requirements, each a named test.

    Each test gets the answer and returns True or False. A test that raises anything (a plan
    a scenario does not accept, an answer of a type it did not expect) gives the error's
    words, cut to a line, not a traceback.
    """
    name = name or _("the answer")
    if not isinstance(requirements, Mapping) or not requirements:
        raise SetupError(f"requirements: {show(requirements)} is not allowed; expected a table of names to tests")
    if missing(answer):
        return deliver(not_yet(name))
    details, failed = [], 0
    for label, test in requirements.items():
        try:
            ok = bool(test(answer))
        except Exception as err:
            reason = show(str_of(err), 200, quoted=False) or type(err).__name__
            msg = _("{name} cannot be checked: {error}").format(name=name, error=reason)
            return deliver(Feedback(INVALID, name, msg, hint))
        failed += not ok
        details.append(f"{'✔' if ok else '✘'} {label}")
    if not failed:
        msg = _("{name} meets all {n} requirements.").format(name=name, n=len(details))
        return verdict(RIGHT, name, msg, answer, details=tuple(details))
    msg = _("{name} meets {n} of {m} requirements.").format(name=name, n=len(details) - failed, m=len(details))
    status = CLOSE if failed == 1 and len(details) > 1 else WRONG
    return verdict(status, name, msg, answer, hint=hint, way=way, details=tuple(details))


def all_of(*feedbacks: Feedback, name: str = "") -> Feedback:
    """Several checks in one box: right when all are right, "not yet" when all are empty."""
    name = name or _("these answers")
    if not feedbacks or not all(isinstance(f, Feedback) for f in feedbacks):
        raise SetupError("feedbacks: none given, or not all results of checks; expected one or more results of checks")
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
    if status == NOT_YET:
        msg = _("{name}: all still empty.").format(name=name)
    else:
        msg = _("{name}: {right} of {n} right.").format(name=name, right=right, n=len(statuses))
    return deliver(Feedback(status, name, msg, details=details))
