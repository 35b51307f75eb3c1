"""The Dutch twins of the class path: in step with the English notebooks and the catalogue, and Dutch."""

from __future__ import annotations

import ast
import json
import re
import subprocess
from pathlib import Path

import pytest

from simlib.authoring import twins

ROOT = Path(__file__).resolve().parent.parent
ENGLISH = twins.class_path(ROOT)


def notebook(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def source(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def test_the_class_path_is_found():
    names = {p.relative_to(ROOT).as_posix() for p in ENGLISH}
    assert {"notebooks/00-start-here.ipynb", "exercises/c1-predict-and-read.ipynb"} <= names, names
    assert not any("/nl/" in n for n in names)


def test_every_twin_is_in_step_with_its_english_notebook_and_the_catalogue():
    """A changed English paragraph, or a changed Dutch one, and the twin was not built again: `make twins`."""
    try:
        out = twins.stale(ROOT)
    except twins.Untranslated as err:
        pytest.fail(str(err))
    assert not out, "run `make twins`:\n" + "\n".join(out)


def test_a_twin_is_its_english_notebook_with_dutch_words():
    for path in ENGLISH:
        en, nl = notebook(path), notebook(twins.twin_path(path))
        assert source(nl["cells"][0]) == twins.FIRST_CELL
        assert "language" in nl["cells"][0]["metadata"]["tags"]
        assert [c["cell_type"] for c in nl["cells"][1:]] == [c["cell_type"] for c in en["cells"]], path.name
        assert nl["metadata"]["simlib"]["twin"]["of"] == path.relative_to(ROOT).as_posix()
        assert nl["metadata"]["simlib"]["paths"] == en["metadata"]["simlib"]["paths"]


# ---------------------------------------------------------------------- the builder's rules


def edited(code: str, dutch: dict[str, str], tmp_path: Path) -> str:
    """The code cell as the builder writes it in a twin."""
    root = tmp_path
    (root / "notebooks").mkdir(exist_ok=True)
    nb = {
        "cells": [{"cell_type": "code", "source": code, "metadata": {}, "outputs": [], "execution_count": None}],
        "metadata": {"simlib": {"paths": ["class"]}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path = root / "notebooks" / "x.ipynb"
    path.write_text(json.dumps(nb))
    return source(twins.twin_notebook(path, dutch, root)["cells"][1])


CODE = """\
variants = {"as it is": 1, "fewer agents": 2}
ax.plot(x, y, "o-", color=plots.OKABE_ITO["bluish green"], label="escalated")
ax.legend(loc="lower left")
print(f"{name}: value {v:.1%}", table[f"{name}_mean"])
ax.set(xlabel="verification", title=f"{k:9s}")
check.choice(answer, "a", ["a", "b"], name="answer", hint="Look again.", why={"b": "Not b, but a."})
state = "supported" if ok else "NOT in the catalogue"
print(variants["as it is"])
"""


def test_what_a_learner_reads_in_code_is_translated_and_nothing_else(tmp_path):
    found = {t.message for t in twins.code_texts(CODE) if t.message}
    assert found == {
        "as it is", "fewer agents", "escalated", "{name}: value {v:.1%}", "verification", "Look again.",
        "Not b, but a.", "supported", "NOT in the catalogue",
    }  # fmt: skip
    dutch = {m: f"NL {m}" for m in found} | {"{name}: value {v:.1%}": "{name}: waarde {v:.1%}"}
    out = edited(CODE, dutch, tmp_path)
    ast.parse(out)
    assert out.count('"NL as it is"') == 2, "a dict key and its look-up stay in step"
    assert 'OKABE_ITO["bluish green"]' in out and 'loc="lower left"' in out and 'name="answer"' in out
    assert "f\"{simlib.i18n.fmt(name, '')}: waarde {simlib.i18n.fmt(v, '.1%')}\"" in out
    assert 'table[f"{name}_mean"]' in out, "an f-string without words or numbers is left alone"
    assert "{k:9s}" in out, "a text field keeps its format"


def test_the_builder_refuses_english_in_a_dutch_twin_and_names_what_is_missing(tmp_path):
    with pytest.raises(twins.Untranslated) as err:
        edited('print("the desk supports:", n)', {}, tmp_path)
    assert "notebooks/x.ipynb, cell 1: 'the desk supports:'" in str(err.value)


def test_links_lead_to_the_twins_and_a_twin_links_back_to_its_english_page(tmp_path):
    (tmp_path / "notebooks").mkdir()
    other = {"cells": [], "metadata": {"simlib": {"paths": ["class"]}}}
    (tmp_path / "notebooks" / "01-next.ipynb").write_text(json.dumps(other))
    (tmp_path / "notebooks" / "03-model.ipynb").write_text(json.dumps({"cells": [], "metadata": {}}))
    text = "Go on: [next](01-next.ipynb), [model](03-model.ipynb#top), [Nederlands](nl/00-start.ipynb), [web](https://x.y)."
    cell = {"cell_type": "markdown", "source": text, "metadata": {}}
    start = tmp_path / "notebooks" / "00-start.ipynb"
    start.write_text(json.dumps({"cells": [cell], "metadata": {"simlib": {"paths": ["class"]}}}))
    twin = twins.twin_notebook(start, {text: text.replace("Go on", "Verder")}, tmp_path)
    assert source(twin["cells"][1]) == (
        "Verder: [next](01-next.ipynb), [model](../03-model.ipynb#top), [Nederlands](../00-start.ipynb), [web](https://x.y)."
    )


def test_markdown_is_translated_paragraph_by_paragraph_and_code_blocks_are_kept():
    text = "# Title\n\nOne line,\nand another.\n\n```python\nx = 1\n\ny = 2\n```\n\n---"
    assert twins.paragraphs(text) == [
        ("# Title", True), ("One line,\nand another.", True), ("```python\nx = 1\n\ny = 2\n```", False), ("---", False),
    ]  # fmt: skip


# ---------------------------------------------------------------------- the twins read as Dutch

DUTCH = set(
    "de het een en van dat op te zijn met voor niet aan er om ook als bij door naar wat dan die wordt hoe maar uit "
    "tot je u ze kan worden deze dit nog geen meer welke wie waar elke zonder over hun".split()
)
ENGLISH_WORDS = set(
    "the and to with for that this from by at which what when how are be not does can it its an on your you they "
    "their there than then into only who whose were will would".split()
)
NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)+(?![\w.,]?\d)")
DUTCH_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+")


def english_numbers(text: str) -> list[str]:
    """Numbers written the English way: ``160,880`` (thousands), ``0.63`` (decimals); not ``160.880`` or ``1.2.3``."""
    found = []
    for n in NUMBER.findall(text):
        thousands = re.fullmatch(r"[1-9]\d{0,2}(?:,\d{3})+", n)  # 0,004 is a Dutch decimal
        if thousands or (re.fullmatch(r"\d+\.\d+", n) and not DUTCH_THOUSANDS.fullmatch(n)):
            found.append(n)
    return found


def reading(nb: dict) -> tuple[str, str]:
    """What a learner reads: the markdown (without code) and the printed output."""
    prose, printed = [], []
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            prose.append(re.sub(r"```.*?```|`[^`]*`|\([^)\s]*\.ipynb[^)]*\)", " ", source(cell), flags=re.S))
        for out in cell.get("outputs", ()):
            if "application/vnd.jupyter.widget-view+json" in out.get("data", {}):
                continue  # a widget: its plain-text stand-in is not what a learner sees
            text = out.get("text") or out.get("data", {}).get("text/plain", "")
            text = "".join(text) if isinstance(text, list) else text
            if out.get("output_type") == "stream" or "Figure size" not in text:
                printed.append(text)
    return "\n".join(prose), "\n".join(printed)


@pytest.mark.parametrize("path", ENGLISH, ids=lambda p: p.name)
def test_a_twin_reads_as_dutch_and_prints_dutch_numbers(path):
    prose, printed = reading(notebook(twins.twin_path(path)))
    words = [w.lower() for w in re.findall(r"[A-Za-zÀ-ÿ]+(?:-[A-Za-zÀ-ÿ]+)*", prose + "\n" + printed)]  # know-how
    dutch = sum(w in DUTCH for w in words) / len(words)
    english = [w for w in words if w in ENGLISH_WORDS]
    assert dutch >= 0.12, f"Dutch function words are {dutch:.1%} of the words"
    assert len(english) <= 0.02 * len(words), f"English function words: {english}"
    assert not english_numbers(printed), f"English number formats in what it prints: {english_numbers(printed)}"


def test_the_english_notebooks_read_as_english_to_the_same_measure():
    """The measure above tells the languages apart: the English sources fail it."""
    prose, printed = reading(notebook(ENGLISH[0]))
    words = [w.lower() for w in re.findall(r"[A-Za-z]+", prose + printed)]
    assert sum(w in ENGLISH_WORDS for w in words) > 0.1 * len(words)
    assert sum(w in DUTCH for w in words) < 0.02 * len(words)
    assert english_numbers("value 73.9% of 160,880; 0.63 share") == ["73.9", "160,880", "0.63"]
    assert not english_numbers("waarde 73,9% van 160.880; 0,63 deel; 0,004 per uur; versie 1.2.3")


def test_the_start_pages_link_to_each_other():
    en = "\n".join(source(c) for c in notebook(ROOT / "notebooks" / "00-start-here.ipynb")["cells"])
    nl = "\n".join(source(c) for c in notebook(ROOT / "notebooks" / "nl" / "00-start-here.ipynb")["cells"])
    assert "](nl/00-start-here.ipynb)" in en
    assert "](../00-start-here.ipynb)" in nl


def test_make_lab_lang_nl_opens_the_dutch_start_page():
    def url(*given: str) -> str:
        out = subprocess.run(["make", "-n", "lab", "READY=", *given], cwd=ROOT, capture_output=True, text=True)
        return re.search(r"default_url=(\S+)", out.stdout).group(1)

    assert url("LANG=nl") == url("LANG=nl_NL.UTF-8") == "/lab/tree/notebooks/nl/00-start-here.ipynb"
    assert url() == url("LANG=en") == "/lab/tree/notebooks/00-start-here.ipynb"
