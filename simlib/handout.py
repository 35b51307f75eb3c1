"""The printable handout: one page for the class, made from the kit's own tables.

A learner leaves the class with one sheet: the glossary (each concept of
:mod:`simlib.concepts`, the Dutch word of the source page, its meaning in the kit), the
utility/warranty two-by-two, and the levers of :mod:`simlib.levers` with the half of value
each moves. Nothing on it is typed twice: change a concept or a lever and the next
``make handout`` prints the change.

    python -m simlib.handout build/handout          # handout.html and handout.pdf
    make handout LANG=nl                            # the same, wholly in Dutch

The handout speaks the learner's language (:mod:`simlib.i18n`: ``LANGUAGE=nl``, or
``page(lang="nl")``): every word on it comes from the catalogue, the concepts' and levers'
meanings included, and its numbers are written as the language writes them (``0,5 tot 2``).

The PDF is printed from the HTML by headless Chromium (the browser the kit's browser tests
use); without Chromium only the HTML is written, and the command says so.
"""

from __future__ import annotations

import argparse
import html
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from simlib.concepts import CONCEPTS, concept
from simlib.i18n import N_, _, fmt, language, measure_label, using
from simlib.levers import LEVERS, Lever

__all__ = ["CHROMIUM", "build", "chromium", "page", "print_pdf"]

CHROMIUM = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

# The two-by-two: (fit for purpose, fit for use) -> what the customer gets, and the outcomes it holds.
QUADRANTS = {
    (True, True): (N_("value"), N_("the desired outcome, delivered in time and safely"), N_("achieved")),
    (True, False): (N_("utility without warranty"), N_("the desk can do it, but not when needed or not safely"),
                    N_("late, abandoned, breach")),
    (False, True): (N_("warranty without utility"), N_("available and quick, but it cannot do this at all"),
                    N_("not supported, unresolved")),
    (False, False): (N_("neither"), N_("it cannot do it, and would not have done it in time"), N_("no value")),
}  # fmt: skip

_CSS = """
@page { size: A4; margin: 8mm 10mm; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 8pt; line-height: 1.2; color: #1b1b1b;
       margin: 0; }
h1 { font-size: 14pt; margin: 0 0 0.8mm; }
h2 { font-size: 10pt; margin: 2.2mm 0 1mm; border-bottom: 1.5px solid #0072b2; color: #0b3d5c; }
p.lead { margin: 0 0 1.5mm; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 0.6px solid #b0bec5; padding: 0.5mm 1.2mm; text-align: left; vertical-align: top; }
th { background: #eceff1; }
td.nl { font-style: italic; white-space: nowrap; }
td.name { font-weight: bold; white-space: nowrap; }
.grid td, .grid th { text-align: center; width: 37%; }
.grid th.side { width: 26%; }
.u { color: #0072b2; } .w { color: #d55e00; } .v { color: #009e73; }
td.value { background: #e8f5e9; } td.lost { background: #fff3e0; } td.none { background: #fbe9e7; }
.small { font-size: 7.2pt; color: #455a64; }
p.small { margin: 0.8mm 0 0; }
"""


def _e(text: object) -> str:
    return html.escape(str(text))


def _range(lv: Lever) -> str:
    if lv.kind == "types":
        return _("request types")
    if lv.kind == "hours":
        return _("hours of the day on duty")
    unit = f" {_(lv.unit)}" if lv.unit and lv.unit != "x" else ("×" if lv.unit == "x" else "")
    low = fmt(lv.low, "g") if lv.low is not None else ""
    high = fmt(lv.high, "g") if lv.high is not None else ""
    return _("{low} to {high}").format(low=low, high=high) + unit


def _glossary() -> str:
    if language() == "en":
        head = "<tr><th>concept</th><th>Dutch (source)</th><th>meaning in the kit</th></tr>"
        rows = (f'<td class="name">{_e(c.name)}</td><td class="nl">{_e(c.dutch)}</td>' for c in CONCEPTS)
    else:  # the learner's word first, ITIL's English beside it
        word, meaning = _("concept"), _("meaning in the kit")
        head = f"<tr><th>{_e(word)}</th><th>ITIL (English)</th><th>{_e(meaning)}</th></tr>"
        rows = (f'<td class="name">{_e(c.dutch)}</td><td class="nl">{_e(c.name)}</td>' for c in CONCEPTS)
    cells = "".join(f"<tr>{row}<td>{_e(_(c.meaning))}</td></tr>" for row, c in zip(rows, CONCEPTS))
    return f"<table>{head}{cells}</table>"


def _two_by_two() -> str:
    utility, warranty = concept("utility"), concept("warranty")
    by_half = {h: ", ".join(_(lv.label) for lv in LEVERS if lv.half == h) for h in ("utility", "warranty")}
    css = {(True, True): "value", (True, False): "lost", (False, True): "lost", (False, False): "none"}

    def cell(purpose: bool, use: bool) -> str:
        title, words, outcomes = (_(text) for text in QUADRANTS[(purpose, use)])
        outcomes = _("outcomes: {outcomes}").format(outcomes=outcomes)
        return (
            f'<td class="{css[(purpose, use)]}"><b>{_e(title)}</b><br>{_e(words)}<br>'
            f'<span class="small">{_e(outcomes)}</span></td>'
        )

    fit, unfit, use_, unuse = _("fit for purpose"), _("not fit for purpose"), _("fit for use"), _("not fit for use")
    head = (
        '<tr><th class="side"></th>'
        f'<th><span class="u">{_e(fit)}</span>: {_e(measure_label("utility"))}</th>'
        f'<th><span class="u">{_e(unfit)}</span></th></tr>'
    )
    rows = "".join(
        f'<tr><th class="side"><span class="w">{_e(use_ if use else unuse)}</span>'
        f"{': ' + _e(measure_label('warranty')) if use else ''}</th>{cell(True, use)}{cell(False, use)}</tr>"
        for use in (True, False)
    )
    levers = {h: _("its levers: {levers}").format(levers=by_half[h]) for h in by_half}
    value, product = _("Value"), _("utility × warranty: the share of requests whose desired outcome is achieved.")
    note = (
        f'<p class="small"><b class="u">{_e(utility.dutch)}</b>: {_e(_(utility.meaning))}; {_e(levers["utility"])}. '
        f'<b class="w">{_e(warranty.dutch)}</b>: {_e(_(warranty.meaning))}; {_e(levers["warranty"])}. '
        f'<b class="v">{_e(value)}</b> = {_e(product)}</p>'
    )
    return f'<table class="grid">{head}{rows}</table>{note}'


def _levers() -> str:
    rows = "".join(
        f'<tr><td class="name">{_e(_(lv.label))}</td><td>{_e(_(lv.concept))}</td>'
        f'<td class="{"u" if lv.half == "utility" else "w"}"><b>{_e(measure_label(lv.half))}</b></td>'
        f"<td>{_e(_range(lv))}</td><td>{_e(_(lv.meaning))}</td></tr>"
        for lv in LEVERS
    )
    heads = (_("lever"), _("concept"), _("moves"), _("range"), _("what it means"))
    return "<table><tr>" + "".join(f"<th>{_e(h)}</th>" for h in heads) + f"</tr>{rows}</table>"


def page(lang: str | None = None) -> str:
    """The handout as one HTML page (A4, print-ready), in ``lang`` (default: the learner's language)."""
    with using(lang):
        title = _("Service management: utility, warranty and value")
        lead = _(
            "A service helps a customer reach a desired outcome. It delivers value only when it is "
            "<b>fit for purpose</b> (utility) <b>and fit for use</b> (warranty). This sheet goes with the simlib "
            "class: the words, the picture, and the levers you moved."
        )
        heads = (
            _("Glossary"),
            _("Utility and warranty: the two-by-two"),
            _("The levers, and the half of value each moves"),
        )
        made = _("Generated by {command} from {concepts} and {levers}.").format(
            command="<code>make handout</code>",
            concepts="<code>simlib.concepts</code>",
            levers="<code>simlib.levers</code>",
        )
        return (
            f'<!DOCTYPE html><html lang="{language()}"><head><meta charset="utf-8">'
            f"<title>{_e(title)} (simlib)</title><style>{_CSS}</style></head><body>"
            f"<h1>{_e(title)}</h1>"
            f'<p class="lead">{lead}</p>'
            f"<h2>{_e(heads[0])}</h2>{_glossary()}"
            f"<h2>{_e(heads[1])}</h2>{_two_by_two()}"
            f"<h2>{_e(heads[2])}</h2>{_levers()}"
            f'<p class="small">{made}</p>'
            "</body></html>"
        )


def chromium() -> str | None:
    """The path of a Chromium (or Chrome) to print with, or None; ``SIMLIB_CHROMIUM`` overrides."""
    named = os.environ.get("SIMLIB_CHROMIUM")
    if named:
        return named if Path(named).exists() or shutil.which(named) else None
    return next((found for name in CHROMIUM if (found := shutil.which(name))), None)


def print_pdf(html_path: Path, pdf_path: Path, browser: str, *, timeout: float = 120.0) -> None:
    """Print ``html_path`` to ``pdf_path`` with headless Chromium; a RuntimeError says why not."""
    with tempfile.TemporaryDirectory(prefix="simlib-handout-") as profile:
        cmd = [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--user-data-dir={profile}",
            f"--print-to-pdf={pdf_path}",
            html_path.resolve().as_uri(),
        ]
        try:
            run = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired as err:
            raise RuntimeError(f"chromium took longer than {timeout:g} s to print {html_path}") from err
    if run.returncode != 0 or not pdf_path.exists():
        raise RuntimeError(f"chromium could not print {html_path}: {run.stderr.strip()[-400:]}")


def build(folder: str | os.PathLike[str] = "build/handout", *, pdf: bool = True) -> list[Path]:
    """Write ``handout.html`` (and ``handout.pdf``, with Chromium) into ``folder``; return the paths."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    html_path = out / "handout.html"
    html_path.write_text(page(), encoding="utf-8")
    made = [html_path]
    if pdf:
        browser = chromium()
        if browser is None:
            raise RuntimeError(
                f"no Chromium found (tried {', '.join(CHROMIUM)}; or set SIMLIB_CHROMIUM): only {html_path} was written"
            )
        pdf_path = out / "handout.pdf"
        pdf_path.unlink(missing_ok=True)
        print_pdf(html_path, pdf_path, browser)
        made.append(pdf_path)
    return made


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m simlib.handout", description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default="build/handout", help="where to write (default build/handout)")
    parser.add_argument("--html-only", action="store_true", help="write the HTML only, no PDF")
    args = parser.parse_args(argv)
    try:
        for path in build(args.folder, pdf=not args.html_only):
            print(f"wrote {path}")
    except RuntimeError as err:
        print(f"handout: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
