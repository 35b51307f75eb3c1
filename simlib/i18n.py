"""The kit in the learner's language: English (the source strings) or Dutch, through gettext.

Every user-facing string of the kit is marked with :func:`_` (translated where it is used)
or :func:`N_` (marked where it is defined, e.g. in a table at module level, and translated
later with :func:`_`). The Dutch catalogue is ``simlib/locale/nl/LC_MESSAGES/simlib.po``; its
compiled ``simlib.mo`` ships in the package (``make translations`` extracts, updates and
compiles them; ``tests/test_i18n.py`` checks that they are complete and in step).

**Which language.** The first of these that names a language:

1. an explicit ``lang="nl"`` or ``lang="en"`` (dashboards and pages take it, and
   :func:`using` sets it for a block of code);
2. :func:`set_language`, the choice for the whole session (e.g. one line at the top of a
   notebook);
3. gettext's environment order: ``LANGUAGE`` (a colon-separated list), ``LC_ALL``,
   ``LC_MESSAGES``, ``LANG``; the first one set is read, and the first of its languages
   the kit speaks is taken. ``nl_NL.UTF-8`` and ``nl_BE`` are Dutch, ``C`` is English.

The language is resolved each time a string is translated, never at import, so
``LANGUAGE=nl python -m simlib run`` and a ``set_language("nl")`` after ``import simlib``
both work.

**Numbers.** :func:`fmt` writes any number in the language's style, with a Python format
spec (``fmt(0.874, ".1%")``, ``fmt(160880, ",.0f")``); :meth:`Translator.percent` and
:meth:`Translator.number` are its two common cases. Under Dutch, :func:`use` also gives
matplotlib's default tick labels the decimal comma. Dutch writes a decimal comma and groups
thousands with a point, and puts the percent sign right after the number without a space,
as the Dutch CLDR locale does (and the Taalunie allows): ``87,4%``, ``1.234,5``. English:
``87.4%``, ``1,234.5``. (A formatter of our own, so Babel is only needed to extract and
compile; the tests check it against Babel's ``nl`` and ``en`` formats.)

**Field names** (``first_line.agents``, ``know_how``...) and outcome keys (``achieved``...)
are never translated: a learner types them, and JSON and tables keep them. Only their labels
are (:func:`outcome_label`, :func:`measure_label`).

    >>> from simlib.i18n import translator
    >>> nl = translator("nl")
    >>> nl.percent(0.874)
    '87,4%'
    >>> nl.gettext("value")
    'waarde'
    >>> translator("en").percent(0.874)
    '87.4%'
    >>> fmt(160880, ",.0f", "nl"), fmt(0.63, ".2f", "nl"), fmt(0.874, ".1%", "nl")
    ('160.880', '0,63', '87,4%')
"""

from __future__ import annotations

import contextvars
import functools
import gettext
import math
import numbers
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

__all__ = [
    "DOMAIN",
    "LANGUAGES",
    "LOCALEDIR",
    "N_",
    "Translator",
    "_",
    "error",
    "fmt",
    "in_language",
    "language",
    "measure_label",
    "ngettext",
    "outcome_label",
    "set_language",
    "translator",
    "use",
    "using",
]

F = TypeVar("F", bound=Callable[..., Any])

DOMAIN = "simlib"
LOCALEDIR = Path(__file__).resolve().parent / "locale"
#: The languages the kit speaks; English is the source language (no catalogue needed).
LANGUAGES = ("en", "nl")
DEFAULT = "en"
ENVIRONMENT = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

_chosen: contextvars.ContextVar[str | None] = contextvars.ContextVar("simlib_language", default=None)
_session: str | None = None


def _code(name: str) -> str | None:
    """``nl_NL.UTF-8@euro`` -> ``nl``; ``C`` and ``POSIX`` -> ``en``; a language the kit lacks -> None."""
    base = name.strip().split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
    if base in ("c", "posix"):
        return "en"
    return base if base in LANGUAGES else None


def _check(lang: str) -> str:
    code = _code(lang) if isinstance(lang, str) else None
    if code is None:
        raise ValueError(f"lang: {lang!r} is not a language of the kit; expected one of {', '.join(LANGUAGES)}")
    return code


def language(lang: str | None = None) -> str:
    """The language code to use: ``lang`` if given, else :func:`using`, :func:`set_language`, the environment.

    >>> language("nl_BE.UTF-8")
    'nl'
    """
    if lang is not None:
        return _check(lang)
    chosen = _chosen.get() or _session
    if chosen is not None:
        return chosen
    for var in ENVIRONMENT:
        value = os.environ.get(var)
        if value:  # gettext reads the first variable that is set, and only that one
            for name in value.split(":"):
                code = _code(name) if name else None
                if code is not None:
                    return code
            break
    return DEFAULT


def set_language(lang: str | None) -> None:
    """Choose the language for the whole session (``None``: follow the environment again)."""
    global _session
    _session = None if lang is None else _check(lang)


@contextmanager
def using(lang: str | None) -> Iterator[str]:
    """Within the block, :func:`_` translates into ``lang`` (``None``: leave the choice as it is)."""
    if lang is None:
        yield language()
        return
    token = _chosen.set(_check(lang))
    try:
        yield _chosen.get()
    finally:
        _chosen.reset(token)


def in_language(method: F) -> F:
    """Run a method in its object's language: within it, :func:`_` translates into ``self.lang``.

    For widgets whose callbacks run later (a button press, a slider move): each callback that
    builds or updates texts is decorated, and the object keeps the language it was built in.
    An object without ``lang`` (or with ``None``) follows the current choice; a constructor
    decorated with it runs in its ``lang=`` argument (before it sets ``self.lang``).
    """

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        lang = getattr(self, "lang", None)
        with using(kwargs.get("lang") if lang is None else lang):
            return method(self, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


@functools.cache
def _catalogue(lang: str) -> gettext.NullTranslations:
    if lang == DEFAULT:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, localedir=str(LOCALEDIR), languages=[lang], fallback=True)


#: How each language writes numbers: decimal mark, thousands separator, percent sign (after the number).
_NUMBERS = {"en": (".", ",", "%"), "nl": (",", ".", "%")}


@dataclass(frozen=True)
class Translator:
    """The strings and numbers of one language. ``translator("nl").gettext("value") == "waarde"``."""

    lang: str

    def gettext(self, message: str) -> str:
        return _catalogue(self.lang).gettext(message)

    _ = gettext

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return _catalogue(self.lang).ngettext(singular, plural, n)

    def fmt(self, x: object, spec: str = "", *, na: str = "n/a") -> str:
        """``format(x, spec)`` as a learner reads it: a number in the language's style (``0,63`` in Dutch).

        Python rounds and pads (so English reads exactly as ``format``); then the decimal mark
        and the thousands separator are written as the language writes them. NaN reads "n/a".
        The name of a measure or an outcome (``"value"``, ``"not_supported"``) reads as its label.
        """
        if isinstance(x, str) and (x in MEASURE_LABELS or x in OUTCOME_LABELS):
            return format(measure_label(x, self.lang) if x in MEASURE_LABELS else outcome_label(x, self.lang), spec)
        if not isinstance(x, numbers.Number) or isinstance(x, bool):
            return format(x, spec)
        if isinstance(x, numbers.Real) and math.isnan(x):
            return self.gettext(na)
        text = format(x, spec)
        point, thousands, _percent = _NUMBERS[self.lang]
        return text if self.lang == DEFAULT else text.translate(str.maketrans({".": point, ",": thousands}))

    def number(self, x: float, digits: int = 1, *, grouping: bool = True, na: str = "n/a") -> str:
        """``x`` with ``digits`` decimals, in the language's style: ``1.234,5`` in Dutch."""
        if x is None:
            return self.gettext(na)
        return self.fmt(x, f"{',' if grouping else ''}.{digits}f", na=na)

    def percent(self, share: float, digits: int = 1, *, na: str = "n/a") -> str:
        """A share (0.874) as a percentage in the language's style: ``87,4%`` in Dutch."""
        if share is None:
            return self.gettext(na)
        return self.fmt(share, f",.{digits}%", na=na)


def translator(lang: str | None = None) -> Translator:
    """The translator for ``lang`` (``"nl"``, ``"en"``, ``"nl_NL.UTF-8"``...), or for the current choice."""
    return Translator(language(lang))


def fmt(x: object, spec: str = "", lang: str | None = None) -> str:
    """``format(x, spec)`` in the current language's number style: ``fmt(0.874, ".1%")`` is ``87,4%`` in Dutch.

    The one number format of the kit, for prose, printouts, errors and readouts alike:
    ``87,4%``, ``160.880``, ``0,63`` in Dutch; ``87.4%``, ``160,880``, ``0.63`` in English.
    """
    return translator(lang).fmt(x, spec)


def use(lang: str | None) -> None:
    """One line at the top of a notebook: the kit in ``lang`` for the session, matplotlib's ticks too.

    :func:`set_language`, and matplotlib's default tick labels (its ``ScalarFormatter``) written
    with the language's decimal mark whenever they are drawn (``0,2`` under Dutch). The Dutch
    twins of the notebooks start with ``simlib.i18n.use("nl")``.
    """
    set_language(lang)
    try:
        from matplotlib.ticker import ScalarFormatter
    except ImportError:  # matplotlib is a dependency of the notebooks, not of every use of the kit
        return
    write = ScalarFormatter._format_maybe_minus_and_locale
    if getattr(write, "simlib_language", False):
        return

    @functools.wraps(write)
    def in_language(self: Any, spec: str, arg: Any) -> str:
        text = write(self, spec, arg)
        point, thousands, _percent = _NUMBERS[language()]
        return text.translate(str.maketrans({".": point, ",": thousands}))

    in_language.simlib_language = True  # type: ignore[attr-defined]
    ScalarFormatter._format_maybe_minus_and_locale = in_language  # type: ignore[method-assign]


def _(message: str) -> str:
    """``message`` translated into the current language (resolved now, not at import)."""
    return translator().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural of a message, translated into the current language."""
    return translator().ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark ``message`` for translation without translating it (for tables at module level)."""
    return message


# The labels of names that are never translated themselves.
OUTCOME_LABELS = {
    "achieved": N_("achieved"),
    "late": N_("late"),
    "abandoned": N_("abandoned"),
    "unresolved": N_("unresolved"),
    "not_supported": N_("not supported"),
    "breach": N_("breach"),
    "open": N_("open"),
}
MEASURE_LABELS = {
    "utility": N_("utility"),
    "warranty": N_("warranty"),
    "value": N_("value"),
    "availability": N_("availability"),
    "attainment": N_("SLA attainment"),
    "utilisation": N_("utilisation"),
    "cost": N_("cost"),
    "breaches": N_("breaches"),
}

TEAM_LABELS = {"first_line": N_("first line"), "second_line": N_("second line")}
#: The kinds of customer group (``CustomerGroup.kind``), as a learner reads them.
KIND_LABELS = {"internal": N_("internal"), "external": N_("external")}


def outcome_label(name: str, lang: str | None = None) -> str:
    """What a learner reads for outcome ``name`` (``"not_supported"`` -> ``"niet ondersteund"`` in Dutch)."""
    return translator(lang).gettext(OUTCOME_LABELS.get(name, name.replace("_", " ")))


def measure_label(name: str, lang: str | None = None) -> str:
    """What a learner reads for measure ``name``: ``"value"`` -> ``"waarde"``; ``"attainment.x"`` -> ``"... x"``."""
    head, _dot, rest = name.partition(".")
    if head not in MEASURE_LABELS:
        return name.replace(".", " ")
    t = translator(lang)
    label = t.gettext(MEASURE_LABELS[head])
    if rest in TEAM_LABELS:
        rest = t.gettext(TEAM_LABELS[rest])
    return f"{label} {rest.replace('_', ' ')}" if rest else label


#: The phrases of the model's error messages, such as "first_line.agents: -1 is out of range;
#: expected a whole number >= 1". They are raised deep in the model, in English; :func:`error`
#: translates them phrase by phrase, so the field names and the values stay exactly as typed.
#: A phrase not in this table stays English (the message still names the field and the value).
ERROR_PHRASES = (
    N_("is out of range"),
    N_("is not a number"),
    N_("is not a whole number"),
    N_("is not allowed"),
    N_("is not a valid name"),
    N_("is not a table"),
    N_("is not valid TOML"),
    N_("is not a measure"),
    N_("is unknown"),
    N_("unknown field"),
    N_("unknown request type"),
    N_("allowed here"),
    N_("not a field name"),
    N_("missing"),
    N_("appears twice"),
    N_("no value for"),
    N_("expected"),
    N_("one of"),
    N_("some of"),
    N_("a whole number"),
    N_("a number"),
    N_("and <="),
    N_("at least one"),
    N_("a list of request types"),
    N_("a list of times (hours)"),
    N_("a table of names to values"),
    N_("a non-empty text"),
    N_("each name once"),
    N_("a dotted name such as"),
    N_("letters, digits, '-' or '_', starting with a letter"),
    N_("one number, or a number for every type in the catalogue"),
    N_("the shares sum to"),
    N_("shares that sum to 1"),
    N_("every weight is 0"),
    N_("all weights are 0"),
    N_("24 weights, one per hour"),
    N_("weight > 0"),
    N_("every rate is 0"),
    N_("group with rate > 0"),
    N_("no request types"),
    N_("no customer groups"),
    N_("every type needs handling and deadline"),
    N_("every group needs kind, rate and mix"),
    N_("every team needs agents"),
    N_("every scenario needs name, horizon, types, catalogue, customers and first_line"),
    N_("a built-in scenario"),
    N_("or the path of a TOML file"),
    N_("built-in scenario"),
    N_("when disruptions are given"),
    N_("hours of the day"),
    N_("with 0 <= start < end <= 24"),
    N_("is set"),
    N_("when"),
    N_("or a SeedSequence"),
    N_("a Scenario (see simlib.load_scenario)"),
    N_("a probability from 0 to 1"),
    N_("a share from 0 to 1"),
    N_("or a table per type"),
    N_("True or False"),
    N_("(or inf)"),
    N_("and < horizon"),
    N_("[start, end]"),
    N_(
        "no longer a field; what the service as a whole (any line) can resolve is the top-level know_how "
        "(one number from 0 to 1, or a table per type), and first_line.knowledge is the share of it the first "
        "line holds itself"
    ),
    N_("know_how instead"),
    # simlib.limits: "first_line.agents gives about 2e9 requests; the limit is 1e8 (...)"
    N_("gives about"),
    N_("the limit is"),
    N_("requests in all"),
    N_("events in all"),
    N_("bytes of memory"),
    # argparse's own words in the command line's errors ("unrecognized arguments: --bogus")
    N_("unrecognized arguments"),
    N_("the following arguments are required"),
    N_("expected one argument"),
    N_("invalid int value"),
    N_("invalid choice"),
    N_("choose from"),
    N_("argument"),
    # simlib.classroom: what a team may be told
    N_("is not a team name"),
    N_("1 to 20 letters, digits, spaces, '-' or '_', starting with a letter or digit"),
    N_("has joined already; pick another name, or rejoin with its token"),
    N_("no team of this game has that token; check it, or join as a new team"),
    N_("is not a game code"),
    N_("the letters and digits you were given"),
    N_("the game is over; no more submissions"),
    N_("round"),
    N_("is closed"),
    N_("is open now. Your choices were not submitted"),
    N_("is being closed; too late to submit"),
    N_("these choices cost"),
    N_("the budget of round"),
    N_("Spend less on one of the levers"),
    N_("a table of lever names to values"),
    N_("not a lever of this game"),
    N_("the levers teams may set are"),
    N_("empty"),
    N_("at least one request type"),
    N_("the game is over; no team can join"),
    N_("the game is over; every round is closed"),
    N_("the game is over; there is no round to set"),
    N_("the game is over"),
    N_("too late to submit"),
    N_("has not started"),
    N_("no round is closed yet"),
    N_("is not closed yet; its results come when it closes"),
    N_("is being closed; choose the event of the next round"),
    N_("has not joined this game"),
    N_("did not play round"),
    N_("is not an event"),
)


@functools.cache
def _phrases() -> re.Pattern[str]:
    alternatives = "|".join(re.escape(p) for p in sorted(ERROR_PHRASES, key=len, reverse=True))
    return re.compile(rf"(?<![\w.-])(?:{alternatives})(?![\w-])")


def error(message: object, lang: str | None = None) -> str:
    """An error message of the model in ``lang``: its phrases translated, field names and values kept.

    >>> error("first_line.agents: -1 is out of range; expected a whole number >= 1", "nl")
    'first_line.agents: -1 valt buiten het bereik; verwacht een geheel getal >= 1'
    >>> error("budget: these choices cost 160,880; the budget of round 2 is 148,000.", "nl")
    'budget: deze keuzes kosten 160.880; het budget van ronde 2 is 148.000.'
    """
    t = translator(lang)
    text = str(message)
    if t.lang == DEFAULT:
        return text
    text = _phrases().sub(lambda m: t.gettext(m.group(0)), text)
    # An amount the kit wrote with thousands separators ("cost 160,880") reads in the language's style;
    # a value as typed ("2.5 is not a whole number") stays as typed.
    return _THOUSANDS.sub(lambda m: t.fmt(float(m.group(0).replace(",", "")), ",.0f"), text)


_THOUSANDS = re.compile(r"(?<![\w.,])\d{1,3}(?:,\d{3})+(?![\w.,]?\d)")


def extract_descriptions(fileobj: Any, keywords: Any, comment_tags: Any, options: Any) -> Iterator[tuple]:
    """A Babel extractor for the built-in scenarios: their ``description`` (``babel.cfg`` names it).

    ``python -m simlib list`` shows each description in the learner's language.
    """
    import tomllib

    text = fileobj.read().decode("utf-8")
    description = tomllib.loads(text).get("description")
    if isinstance(description, str) and description:
        line = next((i for i, ln in enumerate(text.splitlines(), 1) if ln.startswith("description")), 1)
        yield line, "_", description, []


#: The words of a :class:`simlib.levers.Lever` a learner reads, by position in ``Lever(...)``.
LEVER_TEXTS = {1: "label", 2: "concept", 8: "unit", 9: "meaning"}
#: The words of a :class:`simlib.concepts.Concept` a learner reads: its meaning (its name is ITIL's
#: English term, its ``dutch`` the source's Dutch one; both are shown as they are).
CONCEPT_TEXTS = {2: "meaning"}


def _table_texts(
    fileobj: Any, keywords: Any, comment_tags: Any, options: Any, call: str, texts: dict
) -> Iterator[tuple]:
    import ast

    from babel.messages.extract import extract_python

    source = fileobj.read()
    yield from extract_python(__import__("io").BytesIO(source), keywords, comment_tags, options)
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == call:
            for index in texts:
                if index < len(node.args):
                    arg = node.args[index]
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value:
                        yield arg.lineno, "_", arg.value, []


def extract_levers(fileobj: Any, keywords: Any, comment_tags: Any, options: Any) -> Iterator[tuple]:
    """A Babel extractor for ``simlib/levers.py``: its marked strings, and each lever's label, concept, unit, meaning.

    The table of levers stays plain (the dashboards, the game and the handout translate its
    words where they show them, with :func:`_`); this puts its words in the catalogue.
    """
    yield from _table_texts(fileobj, keywords, comment_tags, options, "Lever", LEVER_TEXTS)


def extract_concepts(fileobj: Any, keywords: Any, comment_tags: Any, options: Any) -> Iterator[tuple]:
    """A Babel extractor for ``simlib/concepts.py``: each concept's meaning (the handout shows it, translated)."""
    yield from _table_texts(fileobj, keywords, comment_tags, options, "Concept", CONCEPT_TEXTS)
