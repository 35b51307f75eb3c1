"""The class path's questions, asked by id: answers out of the notebook, out of reach.

A class exercise holds no answers. A hidden code cell asks a question by its id::

    from simlib import quiz
    quiz.ask("c1.agents")

The questions, their options, the right answers and the feedback on every option live in the
package (``simlib/questions/class.toml``), checked when they are read. In a notebook
:func:`ask` shows the question's heading ("Question C1.1"), its prompt, the options as
buttons (or a box for a number), a **Check** button and the feedback. The first answer is the
one that counts, and the page says so; it is kept (:func:`first_answers`) and shown beside
the feedback, and every later try still gets feedback.

**A number question** names the run its answer comes from (scenario, changes, seed, runs,
measure): the package runs it, so no result is typed anywhere. A number may be typed the
Dutch way, ``0,625``; a percentage typed where a share is asked (``62,5%``) is named as that
slip (the check is :func:`simlib.check.number`'s).

**No clue in the options.** They are shown in an order fixed per question by a hash of its
id: not alphabetical, not the right one first.

Outside a kernel, and in the tests' strict mode, :func:`ask` prints the question's text only,
the same every time. :func:`answer_key` is the trainer's key, in markdown (the instructor
guide holds it).

    python -m simlib.quiz          # the answer key
"""

from __future__ import annotations

import hashlib
import html
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from simlib.answer import in_kernel, read_number
from simlib.check import MIN_OPTIONS
from simlib.concepts import names as concept_names
from simlib.feedback import CLOSE, NOT_YET, RIGHT, WRONG, Feedback, mode, strict
from simlib.i18n import _

__all__ = [
    "Option",
    "Question",
    "Run",
    "answer_key",
    "ask",
    "expected",
    "extract",
    "first_answers",
    "judge",
    "load",
    "parse",
    "question",
    "reset",
    "run",
    "text",
]

DATA = "class.toml"  # in simlib/questions/
_first: dict[str, bool] = {}  # question id -> was the first answer right (this session)


@dataclass(frozen=True)
class Option:
    text: str
    right: bool
    feedback: str  # what the student reads after picking it
    reveals: str  # for a wrong option: the misconception it shows (for the trainer)


@dataclass(frozen=True)
class Run:
    """The simulation a number question's answer comes from."""

    scenario: str
    set: Mapping[str, Any]
    seed: int
    measure: str
    runs: int = 1  # more than one: the mean over that many runs (simlib.replicate)


@dataclass(frozen=True)
class Question:
    id: str  # "c1.agents": the exercise, a point, a name
    number: str  # "C1.1": the exercise and the question's place in it
    kind: str  # "choice" or "number"
    prompt: str
    concepts: tuple[str, ...]
    practises: str
    hint: str
    options: tuple[Option, ...] = ()  # a choice: in the order shown
    run: Run | None = None  # a number: where its answer comes from
    share: bool = False
    tolerance: float = 0.0
    way: str = ""
    reveals: str = ""  # a number: what a wrong answer usually shows

    @property
    def right(self) -> Option:
        return next(o for o in self.options if o.right)


# ----------------------------------------------------------------------------- reading the data


def _order(qid: str, options: list[Option]) -> tuple[Option, ...]:
    """The options in the order fixed by a hash of the question's id (and each option's place in the data)."""
    keys = [hashlib.sha256(f"{qid}/{i}".encode()).hexdigest() for i in range(len(options))]
    return tuple(o for _key, o in sorted(zip(keys, options), key=lambda pair: pair[0]))


def _text(raw: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> str:
    value = raw.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise ValueError(f"{where}: {key} is {value!r}; expected a text that is not empty")
    return " ".join(value.split())


_FIELDS = {
    "id",
    "concepts",
    "practises",
    "prompt",
    "hint",
    "way",
    "kind",
    "option",
    "run",
    "share",
    "tolerance",
    "reveals",
}
_RUN_FIELDS = {"scenario", "set", "seed", "measure", "runs"}


def _question(raw: Mapping[str, Any], number: str, where: str) -> Question:
    qid = raw.get("id")
    if not isinstance(qid, str) or "." not in qid:
        raise ValueError(f"{where}: id is {qid!r}; expected a text such as 'c1.agents' (exercise, dot, name)")
    where = f"question {qid!r}"
    unknown = sorted(set(raw) - _FIELDS)
    if unknown:
        raise ValueError(f"{where}: {unknown[0]!r} is not a field; expected one of {', '.join(sorted(_FIELDS))}")
    kind = raw.get("kind", "choice")
    if kind not in ("choice", "number"):
        raise ValueError(f"{where}: kind is {kind!r}; expected 'choice' or 'number'")
    concepts = raw.get("concepts")
    if not isinstance(concepts, list) or not concepts:
        raise ValueError(f"{where}: concepts is {concepts!r}; expected a list of the concepts it practises")
    for c in concepts:
        if c not in concept_names():
            raise ValueError(f"{where}: concepts holds {c!r}; expected names of simlib.concepts")
    common = {
        "id": qid,
        "number": number,
        "kind": kind,
        "prompt": _text(raw, "prompt", where),
        "concepts": tuple(concepts),
        "practises": _text(raw, "practises", where, required=False) or ", ".join(concepts),
        "hint": _text(raw, "hint", where),
        "way": _text(raw, "way", where, required=False),
    }
    if kind == "number":
        return Question(**common, **_number(raw, where))
    if "run" in raw or "reveals" in raw:
        raise ValueError(f"{where}: a choice has no run or reveals of its own; give each option its reveals")
    options = raw.get("option")
    if not isinstance(options, list) or len(options) < MIN_OPTIONS:
        n = len(options) if isinstance(options, list) else 0
        raise ValueError(f"{where}: option has {n} entries; expected at least {MIN_OPTIONS}")
    read = []
    for i, o in enumerate(options, 1):
        at = f"{where}, option {i}"
        if not isinstance(o, Mapping):
            raise ValueError(f"{at}: {o!r} is not a table; expected text, feedback, reveals (and right = true)")
        extra = sorted(set(o) - {"text", "right", "feedback", "reveals"})
        if extra:
            raise ValueError(f"{at}: {extra[0]!r} is not a field; expected text, right, feedback, reveals")
        right = o.get("right", False)
        if not isinstance(right, bool):
            raise ValueError(f"{at}: right is {right!r}; expected true or false")
        read.append(
            Option(
                _text(o, "text", at),
                right,
                _text(o, "feedback", at),
                "" if right else _text(o, "reveals", at),
            )
        )
    if sum(o.right for o in read) != 1:
        raise ValueError(f"{where}: {sum(o.right for o in read)} options say right = true; expected exactly one")
    texts = [o.text.lower() for o in read]
    if len(set(texts)) != len(texts):
        raise ValueError(f"{where}: two options have the same text; expected different options")
    return Question(**common, options=_order(qid, read))


def _number(raw: Mapping[str, Any], where: str) -> dict[str, Any]:
    if "option" in raw:
        raise ValueError(f"{where}: a number question has no options; expected a run")
    spec = raw.get("run")
    if not isinstance(spec, Mapping):
        raise ValueError(f"{where}: run is {spec!r}; expected a table: scenario, set, seed, measure (and runs)")
    extra = sorted(set(spec) - _RUN_FIELDS)
    if extra:
        raise ValueError(f"{where}: run.{extra[0]} is not a field; expected {', '.join(sorted(_RUN_FIELDS))}")
    for key, kind in (("scenario", str), ("measure", str), ("seed", int)):
        if not isinstance(spec.get(key), kind) or isinstance(spec.get(key), bool):
            raise ValueError(f"{where}: run.{key} is {spec.get(key)!r}; expected a {kind.__name__}")
    changes = spec.get("set", {})
    if not isinstance(changes, Mapping):
        raise ValueError(f"{where}: run.set is {changes!r}; expected a table of scenario fields and values")
    runs = spec.get("runs", 1)
    if not isinstance(runs, int) or isinstance(runs, bool) or runs < 1:
        raise ValueError(f"{where}: run.runs is {runs!r}; expected a whole number of 1 or more")
    tolerance = raw.get("tolerance")
    if not isinstance(tolerance, (int, float)) or isinstance(tolerance, bool) or not tolerance > 0:
        raise ValueError(f"{where}: tolerance is {tolerance!r}; expected a number above 0")
    share = raw.get("share", False)
    if not isinstance(share, bool):
        raise ValueError(f"{where}: share is {share!r}; expected true or false")
    return {
        "run": Run(spec["scenario"], dict(changes), spec["seed"], spec["measure"], runs),
        "share": share,
        "tolerance": float(tolerance),
        "reveals": _text(raw, "reveals", where),
    }


def parse(text: str, source: str = DATA) -> dict[str, Question]:
    """The questions in a TOML text, by id; a ValueError names the question and the field at fault."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ValueError(f"{source}: not valid TOML ({err})") from None
    raws = data.get("question")
    if not isinstance(raws, list) or not raws:
        raise ValueError(f"{source}: no [[question]] tables; expected one or more")
    out: dict[str, Question] = {}
    counts: dict[str, int] = {}
    for i, raw in enumerate(raws, 1):
        if not isinstance(raw, Mapping):
            raise ValueError(f"{source}, question {i}: {raw!r} is not a table; expected a [[question]] table")
        qid = raw.get("id")
        exercise = qid.split(".")[0] if isinstance(qid, str) else ""
        counts[exercise] = counts.get(exercise, 0) + 1
        q = _question(raw, f"{exercise.upper()}.{counts[exercise]}", f"{source}, question {i}")
        if q.id in out:
            raise ValueError(f"question {q.id!r}: the id is used twice; expected each id once")
        out[q.id] = q
    return out


@cache
def load() -> dict[str, Question]:
    """Every class question, by id, in the order of the data."""
    return parse((resources.files("simlib") / "questions" / DATA).read_text(encoding="utf-8"))


def question(qid: str) -> Question:
    """The question ``qid``; a ValueError names the ids there are."""
    found = load().get(qid)
    if found is None:
        raise ValueError(f"question: {qid!r} is not a question of the class; expected one of {', '.join(load())}")
    return found


# ----------------------------------------------------------------------------- number questions


def run(qid: str) -> Any:
    """The run a number question asks about: a Result (one run) or Replications (several)."""
    import simlib

    q = question(qid)
    if q.run is None:
        raise ValueError(f"question {qid!r}: it is a choice; only a number question has a run")
    scenario = simlib.load_scenario(q.run.scenario).replace(**q.run.set)
    if q.run.runs == 1:
        return simlib.simulate(scenario, seed=q.run.seed)
    return simlib.replicate(scenario, runs=q.run.runs, seed=q.run.seed)


def expected(qid: str) -> float:
    """A number question's answer, from its run (the mean, over several runs)."""
    q = question(qid)
    result = run(qid)
    assert q.run is not None
    if q.run.runs == 1:
        return float(result.measures[q.run.measure])
    return float(result.measure(q.run.measure).mean)


# ----------------------------------------------------------------------------- answering


def first_answers() -> dict[str, bool]:
    """The questions answered in this session, each with whether its first answer was right."""
    return dict(_first)


def reset() -> None:
    """Forget the first answers (a new session)."""
    _first.clear()


def judge(qid: str, answer: Any) -> Feedback:
    """The feedback on an answer: an option's text (a choice) or what was typed (a number).

    The first answer to each question is kept (:func:`first_answers`); later ones still get feedback.
    """
    from simlib import check

    q = question(qid)
    name = _("Question {number}").format(number=q.number)
    if q.kind == "choice":
        picked = next((o for o in q.options if o.text == answer), None)
        if picked is None:
            raise ValueError(f"answer: {answer!r} is not an option of {qid!r}")
        fb = Feedback(RIGHT if picked.right else WRONG, name, _(picked.feedback), "" if picked.right else _(q.hint))
    else:
        typed = read_number(str(answer))
        if typed is Ellipsis:
            return Feedback(NOT_YET, name, _("Type a number first."))
        with strict("off"):
            fb = check.number(
                typed,
                lambda: expected(qid),
                name=name,
                atol=q.tolerance,
                rtol=0.0,
                share=q.share,
                hint=_(q.hint),
                way=_(q.way),
            )
        if fb.status not in (RIGHT, WRONG, CLOSE):  # not a number: not an answer yet
            return fb
    _first.setdefault(qid, fb.passed)
    return fb


def _first_line(qid: str) -> str:
    if qid not in _first:
        return _("Your first answer counts.")
    return _("Your first answer: right.") if _first[qid] else _("Your first answer: not right.")


def text(qid: str) -> str:
    """The question as plain text: heading, prompt and options (no answer, no feedback)."""
    q = question(qid)
    lines = [_("Question {number}").format(number=q.number), _(q.prompt).replace("**", "")]
    lines += [f"- {_(o.text)}" for o in q.options]
    if q.kind == "number":
        lines.append(_("Type a number, and press Check."))
    return "\n".join(lines)


def ask(qid: str) -> Any:
    """Show question ``qid``: in a notebook as a form to answer by clicking, elsewhere as text."""
    q = question(qid)
    if not in_kernel() or mode() != "off":
        print(text(qid))
        return None
    import ipywidgets as w
    from IPython.display import display

    title = _("Question {number}").format(number=q.number)
    heading = w.HTML(f"<h4 style='margin:0.3em 0'>{html.escape(title)}</h4><p>{_bold(html.escape(_(q.prompt)))}</p>")
    if q.kind == "choice":
        labels = [_(o.text) for o in q.options]
        field: w.ValueWidget = w.RadioButtons(options=labels, value=None, layout=w.Layout(width="auto"))
        field.style.description_width = "initial"

        def answer() -> Any:
            return None if field.value is None else q.options[labels.index(field.value)].text
    else:
        field = w.Text(placeholder=_("a number"), layout=w.Layout(width="16em"))

        def answer() -> Any:
            return field.value

    field.description = _("Your answer")
    button = w.Button(description=_("Check"), button_style="primary")
    counts = w.HTML(f"<i>{html.escape(_first_line(qid))}</i>")
    shown = w.HTML()

    def pressed(_button: Any) -> None:
        picked = answer()
        if picked is None:
            words = _("Choose an answer first.")
            shown.value = f"<p>{html.escape(words)}</p>"
            return
        fb = judge(qid, picked)
        shown.value = fb._repr_html_()
        counts.value = f"<i>{html.escape(_first_line(qid))}</i>"

    button.on_click(pressed)
    box = w.VBox([heading, field, w.HBox([button, counts]), shown])
    box.add_class("simlib-quiz")
    display(box)
    return None


def _bold(escaped: str) -> str:
    """``**word**`` in a prompt as bold (the prompt is already escaped)."""
    parts = escaped.split("**")
    return "".join(f"<b>{p}</b>" if i % 2 else p for i, p in enumerate(parts))


# ----------------------------------------------------------------------------- translation


def extract(fileobj: Any, keywords: Any, comment_tags: Any, options: Any) -> Any:
    """A Babel extractor for the question data: every text a student reads (``babel.cfg`` names it).

    The ``reveals`` notes are for the trainer (the guide) and stay English.
    """
    text = fileobj.read().decode("utf-8")
    lines = text.splitlines()
    for q in parse(text).values():
        line = next((i for i, ln in enumerate(lines, 1) if f'"{q.id}"' in ln), 1)
        for message in (q.prompt, q.hint, q.way, *(t for o in q.options for t in (o.text, o.feedback))):
            if message:
                yield line, "_", message, []


# ----------------------------------------------------------------------------- the trainer's key


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("**", "")


def answer_key(exercise: str | None = None) -> str:
    """The answer key in markdown: per question, what it practises, the answer, what each wrong one reveals."""
    rows = [
        "| question | practises | right answer | a wrong answer reveals |",
        "|---|---|---|---|",
    ]
    for q in load().values():
        if exercise and not q.id.startswith(f"{exercise}."):
            continue
        if q.kind == "choice":
            right = q.right.text
            wrong = "<br>".join(f"*{o.text}*: {o.reveals}" for o in q.options if not o.right)
        else:
            right = f"{expected(q.id):.3g} (± {q.tolerance:g})"
            wrong = q.reveals
        rows.append(f"| {q.number} `{q.id}` | {_cell(q.practises)} | {_cell(right)} | {_cell(wrong)} |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(answer_key(sys.argv[1] if len(sys.argv) > 1 else None), end="")
