"""The Dutch catalogue speaks as a Dutch ITSM trainer would: held to the glossary in simlib/locale/glossary.toml."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from simlib.i18n import ERROR_PHRASES

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "simlib" / "locale"
GLOSSARY = tomllib.loads((LOCALE / "glossary.toml").read_text(encoding="utf-8"))
#: What is not prose: code spans, {fields}, quoted strings, dotted and snake_case names, link targets.
CODE = re.compile(r"`[^`]*`|\{[^{}]*\}|\"[^\"]*\"|'[^'\s][^']*'|[\w-]+(?:[.,][\w-]+)+|\w+_\w+|\]\([^)]*\)")


def catalogue() -> dict[str, str]:
    with open(LOCALE / "nl" / "LC_MESSAGES" / "simlib.po", "rb") as fh:
        return {m.id: m.string for m in read_po(fh, locale="nl") if m.id and isinstance(m.id, str)}


def prose(text: str) -> str:
    return CODE.sub(" ", text)


@pytest.fixture(scope="module")
def dutch() -> dict[str, str]:
    return catalogue()


@pytest.mark.parametrize("term", sorted(GLOSSARY["terms"]))
def test_each_term_is_translated_as_the_glossary_says(term, dutch):
    entry = GLOSSARY["terms"][term]
    english = re.compile(rf"\b{re.escape(term)}s?\b", re.I)
    wanted = re.compile(entry["dutch"], re.I)
    # The model's error phrases keep the field names they mention ("every team needs agents").
    used = {k: v for k, v in dutch.items() if k not in ERROR_PHRASES}
    missing = [k for k, v in used.items() if english.search(prose(k)) and not wanted.search(v)]
    assert not missing, f"{term!r} is {entry['dutch']!r} ({entry['note']}); not so in:\n" + "\n".join(missing)
    for avoid in entry["avoid"]:
        found = [v for v in used.values() if re.search(avoid, prose(v), re.I)]
        assert not found, f"{term!r}: {avoid!r} is avoided ({entry['note']}); found in:\n" + "\n".join(found)


def test_buttons_and_labels_read_as_the_glossary_says(dutch):
    wrong = {k: (dutch.get(k), v) for k, v in GLOSSARY["labels"].items() if dutch.get(k) != v}
    assert not wrong, wrong


@pytest.mark.parametrize("name", sorted(GLOSSARY["forbidden"]))
def test_no_dutch_text_has_a_forbidden_pattern(name, dutch):
    pattern = re.compile(GLOSSARY["forbidden"][name])
    found = [v for v in dutch.values() if pattern.search(v)]
    assert not found, f"{name}:\n" + "\n".join(found)


def test_the_glossary_test_would_see_a_wrong_term():
    """The checks above find what they look for: an English term translated otherwise, a serial comma."""
    english = re.compile(r"\bmajor disruptions?\b", re.I)
    assert english.search(prose("Major disruption at {when}")) and not english.search(prose("`major disruption`"))
    assert re.search(GLOSSARY["forbidden"]["serial comma"], "wachten, taak, en de deadline")
    assert not re.search(GLOSSARY["forbidden"]["serial comma"], "wachten, taak en de deadline")
