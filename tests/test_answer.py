"""Answer by clicking: an empty check in a notebook offers a form that runs the same check."""

from __future__ import annotations

import ipywidgets as w
import pytest

from simlib import answer, check

WHY = {
    "a": "Capacity is a warranty lever: more agents cannot make the desk know more.",
    "b": "Value is the product, not the average.",
    "d": "The catalogue did not change.",
}


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[w.Widget]:
    """Pretend to be in a notebook, with strict mode off, and keep what would be displayed."""
    out: list[w.Widget] = []
    monkeypatch.setattr(answer, "in_kernel", lambda: True)
    monkeypatch.setattr("IPython.display.display", lambda obj: out.append(obj))
    monkeypatch.setenv(check.STRICT_ENV, "0")
    check.reset()
    return out


def parts(form: w.VBox) -> tuple[w.ValueWidget, w.Button, w.HTML]:
    row = form.children[1]
    return row.children[0], row.children[1], form.children[2]


@pytest.mark.parametrize(
    ("typed", "read"), [("0,625", 0.625), ("0.625", 0.625), ("62.5%", 62.5), (" 62,5 % ", 62.5), ("-3", -3.0)]
)
def test_numbers_typed_the_dutch_or_english_way(typed: str, read: float) -> None:
    assert answer.read_number(typed) == pytest.approx(read)


def test_text_that_is_no_number_stays_text_and_empty_stays_empty() -> None:
    assert answer.read_number("twelve") == "twelve"
    assert answer.read_number("  ") is Ellipsis


def test_outside_a_notebook_nothing_is_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("IPython.display.display", lambda obj: pytest.fail("displayed outside a kernel"))
    monkeypatch.setenv(check.STRICT_ENV, "0")
    assert check.choice(..., "c", ["a", "b", "c", "d"], why=WHY, name="q").status == check.NOT_YET


def test_an_empty_choice_offers_its_options_and_a_click_gives_the_misconception(shown: list[w.Widget]) -> None:
    fb = check.choice(..., "c", ["a", "b", "c", "d"], why=WHY, name="lever")
    assert fb.status == check.NOT_YET
    (form,) = shown
    field, button, feedback = parts(form)
    assert list(field.options) == ["a", "b", "c", "d"] and field.value is None
    field.value = "a"
    button.click()
    assert "Capacity is a warranty lever" in feedback.value
    field.value = "c"
    button.click()
    assert "Right:" in feedback.value and "Not right" not in feedback.value


def test_an_empty_number_offers_a_box_that_knows_the_slips(shown: list[w.Widget]) -> None:
    check.number(..., 0.625, name="warranty_3", atol=0.005, share=True)
    (form,) = shown
    field, button, feedback = parts(form)
    field.value = "62,5"  # a percentage where a share is asked
    button.click()
    assert "looks like a percentage" in feedback.value
    field.value = "0,625"
    button.click()
    assert "Right:" in feedback.value and "Not right" not in feedback.value


def test_strict_mode_shows_no_form(shown: list[w.Widget], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(check.STRICT_ENV, "not-yet")
    check.choice(..., "c", ["a", "b", "c", "d"], why=WHY, name="q")
    check.number(..., 0.5, name="n")
    assert shown == []
