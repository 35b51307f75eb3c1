"""Common slips, named: a wrong number held against the usual mistakes before it is called wrong.

A learner who types 97.56 where the share 0.9756 is asked has understood the measure and
slipped on its scale. Saying "not right, too high" would teach the wrong thing; saying which
slip it looks like teaches the right one. :func:`_slip` tries, in this order:

- **percent and share**: a percentage typed where a share (between 0 and 1) is asked, divided
  by 100, fits; or a share typed where a percentage is asked, multiplied by 100, fits;
- **hours and minutes**: when the unit asked is one of them, the answer in the other unit
  (times or divided by 60) fits;
- **sign**: the answer with its sign turned round fits (alone, or with one of the slips
  above): the size is right, the direction is not;
- **count for share**: a whole number above 1 where a share is asked is a count, not yet
  divided by its total; any other share above 1 or below 0 is out of a share's range.

"Fits" is the check's own test (within the tolerance band, or in range), so a slip is only
named when undoing it gives an answer the check would accept as right or close.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from simlib.feedback import show
from simlib.i18n import _

_SCALES = (  # (factor to apply to the answer, the slip it reveals)
    (1 / 100, "percent"),
    (100, "share"),
    (60, "hours"),
    (1 / 60, "minutes"),
)


_PERCENT_UNITS = ("%", "percent", "points", "percentage points")


def slip(x: float, fits: Callable[[float], bool], *, share: bool | None, unit: str) -> str:
    """Words for the slip that turns ``x`` into a fitting answer, or "" when none does (or ``x`` is not finite).

    ``share``: the answer asked for is a share between 0 and 1 (True), a number that is not
    (False: then a share typed for a percentage is a slip too), or not said (None);
    ``unit``: its unit, if any.
    """
    if not math.isfinite(x):
        return ""
    unit = unit.strip()
    percent = share is False or unit in _PERCENT_UNITS
    x_shown = show(x)
    words = {
        "percent": _(
            "{x} looks like a percentage, but a share (between 0 and 1) is asked: "
            "divide a percentage by 100 to get a share."
        ).format(x=x_shown),
        "share": _(
            "{x} looks like a share, but a number in {unit} is asked: multiply a share by 100 to get percent."
        ).format(x=x_shown, unit=unit or _("percent")),
        "hours": _("{x} looks like hours, but {unit} are asked: an hour has 60 minutes.").format(
            x=x_shown, unit=unit or _("minutes")
        ),
        "minutes": _("{x} looks like minutes, but {unit} are asked: divide minutes by 60.").format(
            x=x_shown, unit=unit or _("hours")
        ),
    }
    for sign in (1.0, -1.0) if not fits(0.0) else (1.0,):  # no sign slip when 0 itself would do
        for factor, kind in ((1.0, ""), *_SCALES):
            if sign == 1.0 and not kind:
                continue
            if (kind == "percent" and not share) or (kind == "share" and not (percent and abs(x) <= 1)):
                continue
            if kind in ("hours", "minutes") and unit not in ("min", "minutes", "h", "hours"):
                continue
            if kind == "hours" and unit in ("h", "hours"):
                continue
            if kind == "minutes" and unit in ("min", "minutes"):
                continue
            if fits(sign * factor * x):
                parts = [words[kind]] if kind else []
                if sign < 0:
                    parts.append(
                        _(
                            "The sign is wrong: the size is right, the direction is not. Which way does it "
                            "change (a loss asked as a positive number, a difference taken b - a)?"
                        )
                    )
                return " ".join(parts)
    if share and x > 1:
        if float(x).is_integer():
            return _(
                "{x} looks like a count, but a share is asked: a share is a count divided by "
                "the total it is a share of, between 0 and 1."
            ).format(x=x_shown)
        return _("{x} is above 1, but a share lies between 0 and 1.").format(x=x_shown)
    if share and x < 0 and not fits(-x):
        return _("{x} is below 0, but a share lies between 0 and 1.").format(x=x_shown)
    return ""
