"""The class questions: asked by id, answers in the package, the first answer counts, no clue in the options."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import ipywidgets as w
import pytest

import simlib
from simlib import check, quiz

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "simlib" / "questions" / quiz.DATA
CLASS = sorted((ROOT / "solutions").glob("c*.ipynb")) + sorted((ROOT / "exercises").glob("c*.ipynb"))
ASKED = re.compile(r"""quiz\.(?:ask|run)\(\s*["']([^"']+)["']""")
CHOICES = [q for q in quiz.load().values() if q.kind == "choice"]


def cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def source(cell: dict) -> str:
    return "".join(cell["source"])


def asked(path: Path) -> list[str]:
    return [qid for c in cells(path) if c["cell_type"] == "code" for qid in ASKED.findall(source(c))]


# ----------------------------------------------------------------------------- the notebooks


def test_the_class_exercises_are_there() -> None:
    names = {p.name for p in CLASS}
    assert {"c1-predict-and-read.ipynb", "c2-which-lever.ipynb"} <= names, names


@pytest.mark.parametrize("path", CLASS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_id_a_class_notebook_asks_exists(path: Path) -> None:
    ids = asked(path)
    assert ids, f"{path.name} asks no question"
    for qid in ids:
        quiz.question(qid)  # raises for an unknown id


def test_every_question_is_asked_once_in_the_solutions() -> None:
    asks = Counter(
        qid
        for p in sorted((ROOT / "solutions").glob("c*.ipynb"))
        for c in cells(p)
        if c["cell_type"] == "code"
        for qid in re.findall(r"""quiz\.ask\(\s*["']([^"']+)["']""", source(c))
    )
    assert set(asks) == set(quiz.load()), set(asks) ^ set(quiz.load())
    assert max(asks.values()) == 1, asks


@pytest.mark.parametrize("path", CLASS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_code_on_screen_and_nothing_to_edit(path: Path) -> None:
    for i, c in enumerate(cells(path)):
        if c["cell_type"] != "code":
            continue
        assert c["metadata"].get("jupyter", {}).get("source_hidden") is True, f"{path.name}, cell {i}: code shown"
        assert "..." not in source(c), f"{path.name}, cell {i} holds ... to edit"
        assert "simlib.widgets" not in source(c), f"{path.name}, cell {i}: dashboards come from simlib.dashboards"
        assert "check." not in source(c), f"{path.name}, cell {i}: an answer in a notebook cell"


@pytest.mark.parametrize("path", CLASS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_hidden_cell_shows_a_caption_not_code(path: Path) -> None:
    """JupyterLab shows the first line of a hidden cell: let it be words, not code or a test marker."""
    for i, c in enumerate(cells(path)):
        if c["cell_type"] == "code":
            first = source(c).splitlines()[0]
            assert first.startswith("# ") and "NBVAL" not in first, f"{path.name}, cell {i}: {first!r}"


def test_an_id_does_not_give_its_answer_away() -> None:
    """An id shows when a cell is opened: none of its words may pick out the right option."""
    for q in CHOICES:
        for word in q.id.split(".")[1].split("-"):
            inside = [word in o.text.lower() for o in q.options]
            assert inside != [o.right for o in q.options], (q.id, word)


def test_no_answer_is_in_a_notebook() -> None:
    """The right options' texts and feedback are in the package only, not in any class notebook's cells."""
    for path in CLASS:
        text = "\n".join(source(c) for c in cells(path))
        for q in CHOICES:
            assert q.right.feedback not in text, (path.name, q.id)


def test_the_exercises_prose_and_prompts_stay_short() -> None:
    """The class exercises' markdown and their questions' prompts: at most 900 words together."""
    words = 0
    for path in sorted((ROOT / "solutions").glob("c*.ipynb")):
        words += sum(len(source(c).split()) for c in cells(path) if c["cell_type"] == "markdown")
    words += sum(len(q.prompt.split()) for q in quiz.load().values())
    assert words <= 900, words


# ----------------------------------------------------------------------------- the data


GENERIC = ("not right", "wrong answer", "try again", "incorrect", "not the best")


def test_every_option_has_feedback_and_every_wrong_one_says_what_it_reveals() -> None:
    for q in CHOICES:
        assert len(q.options) >= quiz.MIN_OPTIONS, q.id
        assert sum(o.right for o in q.options) == 1, q.id
        said = [o.feedback for o in q.options]
        assert len(set(said)) == len(said), f"{q.id}: two options share their feedback"
        for o in q.options:
            assert len(o.feedback) >= 40 and not any(g in o.feedback.lower() for g in GENERIC), (q.id, o.feedback)
            assert o.right or o.reveals.strip(), (q.id, o.text)


def test_each_concept_the_issue_names_is_practised() -> None:
    practised = {c for q in quiz.load().values() for c in q.concepts}
    assert {"task", "constraint", "capability: skill", "capability: capacity", "capability: knowledge"} <= practised
    words = " ".join(q.practises for q in quiz.load().values())
    assert "continuity" in words and "availability" in words


def test_the_numbering_follows_the_data() -> None:
    numbers = [q.number for q in quiz.load().values()]
    assert numbers[:2] == ["C1.1", "C1.2"] and len(set(numbers)) == len(numbers)


def test_the_right_option_is_rarely_the_longest_and_its_place_is_spread() -> None:
    longest = [q.id for q in CHOICES if all(len(q.right.text) > len(o.text) for o in q.options if not o.right)]
    assert len(longest) * 4 <= len(CHOICES), f"the right option is the strictly longest in {longest}"
    places = Counter(q.options.index(q.right) for q in CHOICES)
    assert set(places) == {0, 1, 2, 3}, places
    assert max(places.values()) <= 0.4 * len(CHOICES), places


def test_the_order_is_fixed_by_the_id_and_neither_alphabetical_nor_answer_first() -> None:
    again = quiz.parse(DATA.read_text(encoding="utf-8"))
    assert all(again[q.id].options == q.options for q in CHOICES)
    alphabetical = [q.id for q in CHOICES if [o.text for o in q.options] == sorted(o.text for o in q.options)]
    first = [q.id for q in CHOICES if q.options[0].right]
    assert len(alphabetical) <= 2 and len(first) < len(CHOICES) / 2, (alphabetical, first)


GOOD = """
[[question]]
id = "c9.one"
concepts = ["utility"]
prompt = "Which?"
hint = "Think."
[[question.option]]
text = "a"
right = true
feedback = "Right."
[[question.option]]
text = "b"
feedback = "No."
reveals = "b-ish"
[[question.option]]
text = "c"
feedback = "No."
reveals = "c-ish"
[[question.option]]
text = "d"
feedback = "No."
reveals = "d-ish"
"""
NUMBER = """
[[question]]
id = "c9.n"
kind = "number"
concepts = ["warranty"]
prompt = "How much?"
hint = "Look."
reveals = "a slip"
share = true
tolerance = 0.01
run = { scenario = "service-desk", set = { "first_line.agents" = 4 }, seed = 2, measure = "warranty" }
"""


@pytest.mark.parametrize(
    ("text", "field"),
    [
        (GOOD.replace('feedback = "No."\nreveals = "b-ish"', 'reveals = "b-ish"'), "option 2: feedback"),
        (GOOD.replace('reveals = "c-ish"\n', ""), "option 3: reveals"),
        (GOOD.replace('feedback = "No."\nreveals = "b-ish"', 'right = true\nfeedback = "No."'), "2 options say right"),
        (GOOD.replace('text = "d"', 'text = "a"'), "same text"),
        (GOOD.replace('concepts = ["utility"]', 'concepts = ["utilty"]'), "concepts holds 'utilty'"),
        (GOOD.replace('prompt = "Which?"', 'prompt = ""'), "prompt"),
        (GOOD.replace('hint = "Think."', 'hint = "Think."\ncolour = "red"'), "'colour' is not a field"),
        (GOOD.split('[[question.option]]\ntext = "d"')[0], "option has 3 entries"),
        (GOOD + GOOD, "used twice"),
        (NUMBER.replace("tolerance = 0.01", "tolerance = 0"), "tolerance"),
        (NUMBER.replace("seed = 2", 'seed = "two"'), "run.seed"),
        (NUMBER.replace("seed = 2,", "seed = 2, colour = 1,"), "run.colour"),
        (NUMBER.replace('reveals = "a slip"\n', ""), "reveals"),
    ],
)
def test_bad_data_is_refused_naming_the_question_and_the_field(text: str, field: str) -> None:
    with pytest.raises(ValueError) as err:
        quiz.parse(text)
    message = str(err.value)
    assert "'c9." in message and field in message, message


def test_bad_toml_and_an_unknown_id_say_what_is_wrong() -> None:
    with pytest.raises(ValueError, match="not valid TOML"):
        quiz.parse("[[question]\n")
    with pytest.raises(ValueError, match="'c1.nope' is not a question of the class; expected one of c1.agents"):
        quiz.ask("c1.nope")


# ----------------------------------------------------------------------------- numbers from runs


def test_expected_numbers_come_from_the_declared_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    desk = simlib.load_scenario("service-desk")
    week = simlib.simulate(desk.replace(**{"first_line.agents": 3}), seed=1)
    assert quiz.expected("c1.warranty") == pytest.approx(week.measures["warranty"])
    # Change the declared run, and the expected answer follows it: nothing is typed in.
    monkeypatch.setattr(quiz, "load", lambda: quiz.parse(NUMBER))
    other = simlib.simulate(desk.replace(**{"first_line.agents": 4}), seed=2)
    assert quiz.expected("c9.n") == pytest.approx(other.measures["warranty"])
    assert quiz.expected("c9.n") != pytest.approx(week.measures["warranty"])


def test_every_number_question_runs_and_gives_a_number_it_can_be_asked_for() -> None:
    import math

    for q in quiz.load().values():
        if q.kind == "number":
            x = quiz.expected(q.id)
            assert math.isfinite(x) and (0 <= x <= 1 or not q.share), (q.id, x)
            assert quiz.judge(q.id, str(x).replace(".", ",")).passed


def test_a_run_of_many_weeks_gives_the_mean(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(quiz, "load", lambda: quiz.parse(NUMBER.replace("seed = 2,", "seed = 2, runs = 3,")))
    desk = simlib.load_scenario("service-desk").replace(**{"first_line.agents": 4})
    assert quiz.expected("c9.n") == pytest.approx(simlib.replicate(desk, runs=3, seed=2).measure("warranty").mean)


def test_a_choice_has_no_run() -> None:
    with pytest.raises(ValueError, match="only a number question has a run"):
        quiz.run("c1.agents")


# ----------------------------------------------------------------------------- answering


@pytest.fixture(autouse=True)
def fresh() -> None:
    quiz.reset()
    check.reset()


@pytest.mark.parametrize("typed", ["0,63", "0.63", " 0,6295 ", "0,625"])
def test_a_decimal_comma_is_accepted(typed: str) -> None:
    assert quiz.judge("c1.warranty", typed).passed, quiz.judge("c1.warranty", typed)


@pytest.mark.parametrize("typed", ["62,95%", "63", "62,9 %"])
def test_a_percentage_where_a_share_is_asked_is_named(typed: str) -> None:
    fb = quiz.judge("c1.warranty", typed)
    assert not fb.passed and "percentage" in fb.message, fb


def test_text_or_nothing_is_not_an_answer_and_does_not_count() -> None:
    assert quiz.judge("c1.warranty", "").status == "not yet"
    assert quiz.judge("c1.warranty", "much").status == "invalid"
    assert quiz.first_answers() == {}


def test_the_first_answer_counts_and_retrying_still_gives_feedback() -> None:
    q = quiz.question("c1.agents")
    wrong = next(o for o in q.options if not o.right)
    fb = quiz.judge(q.id, wrong.text)
    assert not fb.passed and wrong.feedback in fb.message and "C1.1" in fb.name
    right = quiz.judge(q.id, q.right.text)
    assert right.passed and q.right.feedback in right.message
    assert quiz.first_answers() == {"c1.agents": False}
    quiz.judge("c1.value", quiz.question("c1.value").right.text)
    quiz.judge("c1.value", next(o for o in quiz.question("c1.value").options if not o.right).text)
    assert quiz.first_answers() == {"c1.agents": False, "c1.value": True}


def test_an_answer_that_is_no_option_is_refused() -> None:
    with pytest.raises(ValueError, match="is not an option of 'c1.agents'"):
        quiz.judge("c1.agents", "c")


def test_outside_a_kernel_the_question_is_printed_and_nothing_else(capsys: pytest.CaptureFixture[str]) -> None:
    quiz.ask("c1.agents")
    first = capsys.readouterr().out
    quiz.ask("c1.agents")
    assert capsys.readouterr().out == first
    q = quiz.question("c1.agents")
    assert first.startswith("Question C1.1\n") and all(o.text in first for o in q.options)
    assert q.right.feedback not in first and "Right" not in first
    quiz.ask("c1.warranty")
    assert "Type a number" in capsys.readouterr().out


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[w.Widget]:
    """Pretend to be in a notebook, with strict mode off, and keep what would be displayed."""
    out: list[w.Widget] = []
    monkeypatch.setattr(quiz, "in_kernel", lambda: True)
    monkeypatch.setattr("IPython.display.display", lambda obj: out.append(obj))
    monkeypatch.setenv(check.STRICT_ENV, "0")
    return out


def test_in_a_notebook_a_form_names_the_question_and_says_the_first_answer_counts(shown: list[w.Widget]) -> None:
    quiz.ask("c1.agents")
    (form,) = shown
    heading, field, row, feedback = form.children
    button, counts = row.children
    assert "Question C1.1" in heading.value and "<b>Agents</b>" in heading.value
    assert "Your first answer counts" in counts.value
    q = quiz.question("c1.agents")
    assert list(field.options) == [o.text for o in q.options] and field.value is None
    button.click()
    assert "Choose an answer first" in feedback.value and quiz.first_answers() == {}
    field.value = next(o.text for o in q.options if not o.right)
    button.click()
    assert "Not right" in feedback.value and "first answer: not right" in counts.value
    field.value = q.right.text
    button.click()
    assert "Right" in feedback.value and "Not right" not in feedback.value
    assert "first answer: not right" in counts.value


def test_in_a_notebook_a_number_is_typed(shown: list[w.Widget]) -> None:
    quiz.ask("c1.warranty")
    (form,) = shown
    _heading, field, row, feedback = form.children
    button, counts = row.children
    field.value = "62,95%"
    button.click()
    assert "looks like a percentage" in feedback.value
    field.value = "0,63"
    button.click()
    assert "Right" in feedback.value and "first answer: not right" in counts.value


def test_strict_mode_prints_the_question(shown: list[w.Widget], monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setenv(check.STRICT_ENV, "1")
    quiz.ask("c1.agents")
    assert shown == [] and "Question C1.1" in capsys.readouterr().out


def test_import_simlib_does_not_import_the_quiz() -> None:
    code = "import sys, simlib; sys.exit('simlib.quiz' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=False).returncode == 0


# ----------------------------------------------------------------------------- the guide and the feedback's claims


def test_the_guide_holds_the_answer_key_made_from_the_data() -> None:
    guide = (ROOT / "docs" / "instructor-guide.md").read_text(encoding="utf-8")
    assert quiz.answer_key() in guide, "run `python -m simlib.quiz` and paste the key into docs/instructor-guide.md"


def test_the_key_names_every_question_and_its_right_answer() -> None:
    key = quiz.answer_key()
    for q in quiz.load().values():
        assert f"`{q.id}`" in key
        if q.kind == "choice":
            assert q.right.text in key


def test_what_the_feedback_says_about_verification_and_the_catalogue_holds() -> None:
    """c2.verification: utility still, more first-line work, warranty up; c2.turned-away: warranty falls."""
    desk = simlib.load_scenario("service-desk")
    stricter = simlib.compare(desk, desk.replace(**{"security.verification": 0.9}), runs=20, seed=1)
    assert stricter.difference("utility").low == stricter.difference("utility").high == 0
    assert stricter.difference("breaches").high < 0 and stricter.difference("utilisation.first_line").low > 0
    assert stricter.difference("warranty").low > 0
    bigger = desk.replace(catalogue=[*desk.catalogue, "hardware-repair"], **{"know_how.hardware-repair": 0.9})
    assert simlib.compare(desk, bigger, runs=20, seed=1).difference("warranty").high < 0


def test_the_questions_are_package_data() -> None:
    import fnmatch
    import tomllib

    data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["simlib"]
    rel = DATA.relative_to(ROOT / "simlib").as_posix()
    assert any(fnmatch.fnmatch(rel, pattern) for pattern in data), rel
