"""The handout wholly in Dutch under LANGUAGE=nl: every word from the catalogue, Dutch numbers."""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

from simlib import concepts, handout, levers
from simlib.i18n import translator

ROOT = Path(__file__).resolve().parent.parent
#: Words of the English handout that Dutch does not share: none may be left on the Dutch page.
ENGLISH = {"the", "and", "to", "with", "when", "what", "which", "each", "moves", "lever", "levers", "meaning",
           "request", "requests", "glossary", "value", "outcomes", "fit", "purpose", "use", "hours", "day"}  # fmt: skip


def text(page: str) -> str:
    page = re.sub(r"<(style|code)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_the_dutch_handout_says_everything_in_dutch():
    nl = text(handout.page("nl"))
    t = translator("nl")
    for c in concepts.CONCEPTS:  # the source's word first, ITIL's English beside it, the meaning in Dutch
        assert c.dutch in nl and c.name in nl and t.gettext(c.meaning) in nl, c.name
        assert t.gettext(c.meaning) != c.meaning, f"{c.name}: its meaning has no Dutch"
    for lv in levers.LEVERS:
        assert t.gettext(lv.label) in nl and t.gettext(lv.meaning) in nl, lv.name
    # ITIL's English terms stand in the glossary's English column; outside it the page is Dutch
    glossary_names = {w for c in concepts.CONCEPTS for w in re.findall(r"[a-z]+", c.name.lower())}
    english = sorted({w for w in re.findall(r"[A-Za-z]+", nl.lower())} & (ENGLISH - glossary_names))
    assert not english, english
    assert "0,5 tot 2×" in nl, "a lever's range in Dutch numbers"
    assert '<html lang="nl">' in handout.page("nl") and '<html lang="en">' in handout.page("en")


def test_the_english_handout_is_unchanged_in_its_words():
    en = text(handout.page("en"))
    assert "Glossary" in en and "0.5 to 2×" in en and "fit for purpose" in en


def test_python_m_simlib_handout_follows_language(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "LANGUAGE": "nl"}
    run = subprocess.run(
        [sys.executable, "-m", "simlib.handout", str(tmp_path), "--html-only"],
        capture_output=True, text=True, timeout=120, cwd=ROOT, env=env,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "Begrippen" in (tmp_path / "handout.html").read_text(encoding="utf-8")
