"""The one-page handout: built from the kit's tables, as HTML and as a PDF of one or two pages."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from simlib import concepts, handout, levers

ROOT = Path(__file__).parent.parent


def test_the_page_is_made_from_the_tables_not_typed() -> None:
    page = handout.page()
    for c in concepts.CONCEPTS:
        assert c.name in page and c.dutch in page and handout._e(c.meaning) in page, c.name
    for lv in levers.LEVERS:
        assert lv.label in page and handout._e(lv.meaning) in page, lv.name
    for title, words, outcomes in handout.QUADRANTS.values():
        assert title in page and words in page and outcomes in page
    assert page.count("<table") == 3


def test_make_handout_runs_the_builder() -> None:
    make = (ROOT / "Makefile").read_text()
    assert re.search(r"^handout: .*\n\t.*-m simlib\.handout build/handout$", make, re.M), "make handout"
    assert "build/" in (ROOT / ".gitignore").read_text().splitlines()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if handout.chromium() is None:
        pytest.skip("no Chromium to print the PDF with (install chromium, or set SIMLIB_CHROMIUM)")
    out = tmp_path_factory.mktemp("handout")
    run = subprocess.run(
        [sys.executable, "-m", "simlib.handout", str(out)], capture_output=True, text=True, timeout=180, cwd=ROOT
    )
    assert run.returncode == 0, run.stderr
    return out


def test_both_files_are_built(built: Path) -> None:
    assert (built / "handout.html").stat().st_size > 5_000
    assert (built / "handout.pdf").read_bytes().startswith(b"%PDF")


def test_the_pdf_has_one_or_two_pages_and_every_concept(built: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(built / "handout.pdf")
    assert 1 <= len(reader.pages) <= 2, len(reader.pages)
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    text = text.replace("ﬁ", "fi").replace("ﬂ", "fl")  # ligatures
    missing = [c.name for c in concepts.CONCEPTS if c.name not in text]
    assert not missing, f"the PDF does not name {missing}"
    assert all(lv.label in text for lv in levers.LEVERS)


def test_without_chromium_it_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SIMLIB_CHROMIUM", str(tmp_path / "no-such-browser"))
    assert handout.main([str(tmp_path)]) == 1
    assert (tmp_path / "handout.html").exists() and not (tmp_path / "handout.pdf").exists()
    assert handout.main([str(tmp_path / "h"), "--html-only"]) == 0
