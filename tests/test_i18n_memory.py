"""Translations made on another branch fill the merged catalogue: simlib.authoring.memory."""

from __future__ import annotations

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from simlib.authoring import memory


def po(path, entries: dict[str, str], fuzzy=()) -> str:
    cat = Catalog(locale="nl")
    for k, v in entries.items():
        cat.add(k, v, flags=("fuzzy",) if k in fuzzy else ())
    with open(path, "wb") as fh:
        write_po(fh, cat)
    return str(path)


def test_empty_and_fuzzy_entries_are_filled_and_translated_ones_kept(tmp_path):
    target = po(tmp_path / "simlib.po", {"kept": "behouden", "new": "", "guessed": "gok", "unknown": ""}, ["guessed"])
    first = po(tmp_path / "a.po", {"new": "nieuw", "kept": "overschreven?", "guessed": "geraden"})
    second = po(tmp_path / "b.po", {"new": "later", "unknown": ""})
    filled, empty = memory.fill([first, second], target)
    assert (filled, empty) == (2, ["unknown"])
    with open(target, "rb") as fh:
        cat = {m.id: (m.string, m.fuzzy) for m in read_po(fh) if m.id}
    assert cat == {
        "kept": ("behouden", False),
        "new": ("nieuw", False),
        "guessed": ("geraden", False),
        "unknown": ("", False),
    }


def test_a_missing_source_is_named(tmp_path, capsys):
    assert memory.main([str(tmp_path / "nope.po"), "--target", str(tmp_path / "t.po")]) == 2
    assert "nope.po" in capsys.readouterr().err
