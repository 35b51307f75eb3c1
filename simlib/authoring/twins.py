"""Dutch twins of the class path: built from the English notebooks and the catalogue, then executed.

The English notebooks are the source. Every class-path notebook (in ``notebooks/`` or
``exercises/``, with ``"class"`` in its metadata ``simlib.paths``) has a Dutch twin of the same
name in an ``nl/`` folder beside it, written by this module and never by hand::

    python -m simlib.authoring.twins             # make twins: build every twin and execute it
    python -m simlib.authoring.twins --check     # write nothing; exit 1 if a twin is stale

**What is translated**, through the one gettext catalogue of the kit (``make translations``
extracts these texts with :func:`extract`, named in ``babel.cfg``, beside the strings of the code):

- each paragraph of a markdown cell (the text between blank lines; a fenced code block stays as
  it is), so a changed paragraph asks for one new translation, not a whole cell;
- the text a code cell shows a learner, found in its syntax: a string of two or more words
  (``"as it is"``, ``"password resets needed within 2 h"``); any string given to ``print``,
  ``set_title``, ``set_xlabel``, ``set_ylabel``, ``suptitle``, ``annotate`` or ``text``, or as
  ``label=``, ``title=``, ``xlabel=``, ``ylabel=``, ``hint=``, ``way=`` or in ``why={...}``; a
  string chosen by ``... if ... else ...``; and an f-string with words, as one message whose
  ``{fields}`` stay as written (``"{k}: value changes by {d.mean:+.2%}"``). Not translated:
  other keyword arguments (``loc="lower left"``), one-word strings elsewhere (names of measures,
  fields and request types, which a learner types), comments, and the colour names of
  :mod:`simlib.plots`. The same English string is the same Dutch one everywhere, so a dict key
  and its look-up stay in step.

**Numbers.** In the twin every f-string field is written by :func:`simlib.i18n.fmt`
(``{res.value:.1%}`` becomes ``{simlib.i18n.fmt(res.value, '.1%')}``): ``73,9%``, not ``73.9%``.

**Paths.** A twin lies one folder deeper: a markdown link and a code string that name a file
beside the English notebook are rewritten to reach it from ``nl/``; a link to another class-path
notebook leads to its twin, and a link to a twin leads (from the twin) back to the English one,
so the two start pages link to each other.

**The language.** The twin's first cell, hidden, is ``simlib.i18n.use("nl")``: the kernel needs no
``LANGUAGE``, and nbval runs the twins as they are.

**Missing Dutch.** The builder refuses to write English into a Dutch twin: it names the notebook,
the cell and every text without a Dutch translation (``make translations``, translate, again).

**Stale twins.** A twin's metadata ``simlib.twin.built_from`` is a digest of what it was built
from (the English cells and their Dutch). :func:`stale` builds each twin again in memory, without
running it, and compares; ``tests/test_twins.py`` fails on a difference.
"""

from __future__ import annotations

import argparse
import ast
import copy
import hashlib
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simlib.i18n import DOMAIN, LOCALEDIR

__all__ = [
    "FOLDERS",
    "LANG",
    "Untranslated",
    "build",
    "catalogue",
    "class_path",
    "code_texts",
    "extract",
    "main",
    "paragraphs",
    "stale",
    "twin_notebook",
    "twin_path",
]

LANG = "nl"
FOLDERS = ("notebooks", "exercises")
PO = LOCALEDIR / LANG / "LC_MESSAGES" / f"{DOMAIN}.po"
FIRST_CELL = '# In het Nederlands\nimport simlib.i18n\n\nsimlib.i18n.use("nl")'
#: A hidden code cell shows its first line in JupyterLab: a comment of two words or more there is
#: the cell's caption, and is translated (a test marker such as NBVAL_IGNORE_OUTPUT is not).
CAPTION = re.compile(r"# (?!NBVAL)(\S+\s.*)")
#: Calls whose string arguments a learner reads, and keyword arguments that a learner reads.
DISPLAY_CALLS = {"print", "set_title", "set_xlabel", "set_ylabel", "suptitle", "annotate", "text"}
DISPLAY_KEYWORDS = {"label", "title", "xlabel", "ylabel", "hint", "way", "why"}
#: Fields that show a word of the kit's tables (a lever's label, concept, half, meaning, unit; a customer
#: group's kind): the twin translates them through the catalogue, where those words are
#: (``{lv.label:15s}`` reads ``Medewerkers``, ``{g.kind}`` reads ``extern``).
TABLE_TEXTS = {"label", "concept", "half", "meaning", "unit", "kind"}
WORD = re.compile(r"[A-Za-z]{2,}")
LINK = re.compile(r"(\]\()([^)\s]+)(\))")


def _skip() -> frozenset[str]:
    """Strings that look like words but are names of the code: the colours of simlib.plots."""
    from simlib import plots

    return frozenset({*plots.OKABE_ITO, *plots.COLOURS})


def _wordy(text: str) -> bool:
    """Two or more words: a word of two letters or more, and a space between words."""
    text = text.strip()
    return " " in text and bool(WORD.search(text)) and len(text.split()) >= 2


def _source(cell: Mapping[str, Any]) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _metadata(nb: Mapping[str, Any]) -> dict[str, Any]:
    return nb.get("metadata", {}).get("simlib", {})


def is_class_path(nb: Mapping[str, Any]) -> bool:
    return "class" in _metadata(nb).get("paths", ()) and "twin" not in _metadata(nb)


def class_path(root: str | os.PathLike[str] = ".") -> list[Path]:
    """The English class-path notebooks under ``root``, in ``notebooks/`` then ``exercises/``."""
    found = []
    for folder in FOLDERS:
        for path in sorted((Path(root) / folder).glob("*.ipynb")):
            if is_class_path(json.loads(path.read_text(encoding="utf-8"))):
                found.append(path)
    return found


def twin_path(path: Path) -> Path:
    return path.parent / LANG / path.name


# ---------------------------------------------------------------------------------- markdown


def paragraphs(markdown: str) -> list[tuple[str, bool]]:
    """The blocks of a markdown cell between blank lines, each with whether it is translated.

    A fenced code block is one block, kept as it is; so is a block without a letter.
    """
    blocks, current, fenced = [], [], False
    for line in markdown.split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        if not line.strip() and not fenced:
            if current:
                blocks.append("\n".join(current))
            current = []
        else:
            current.append(line)
    if current:
        blocks.append("\n".join(current))
    return [(b, bool(re.search(r"[A-Za-z]", b)) and not b.lstrip().startswith(("```", "~~~"))) for b in blocks]


# ---------------------------------------------------------------------------------- code


@dataclass(frozen=True)
class Text:
    """A text of a code cell: where it stands (byte offsets), the message, and its f-string fields."""

    start: int
    end: int
    message: str | None  # None: an f-string whose numbers are written in Dutch, with no words to translate
    node: ast.expr


def _placeholder(value: ast.FormattedValue) -> str:
    text = "{" + ast.unparse(value.value)
    if value.conversion != -1:
        text += "!" + chr(value.conversion)
    if value.format_spec is not None:
        text += ":" + "".join(
            v.value if isinstance(v, ast.Constant) else _placeholder(v)  # type: ignore[arg-type]
            for v in value.format_spec.values  # type: ignore[attr-defined]
        )
    return text + "}"


def _values(node: ast.JoinedStr) -> list[ast.expr]:
    """The parts of an f-string, a field of a fixed string (``{'lever':15s}``) written out as text."""
    out: list[ast.expr] = []
    for v in node.values:
        if isinstance(v, ast.FormattedValue) and isinstance(v.value, ast.Constant) and isinstance(v.value.value, str):
            if v.conversion == -1 and (v.format_spec is None or _numeric(v) or _static(v)):
                v = ast.Constant(format(v.value.value, _spec(v)))
        if isinstance(v, ast.Constant) and out and isinstance(out[-1], ast.Constant):
            v = ast.Constant(out.pop().value + v.value)
        out.append(v)
    return out


def _static(value: ast.FormattedValue) -> bool:
    return value.format_spec is None or all(isinstance(v, ast.Constant) for v in value.format_spec.values)  # type: ignore[attr-defined]


def _spec(value: ast.FormattedValue) -> str:
    return "".join(v.value for v in value.format_spec.values) if value.format_spec else ""  # type: ignore[attr-defined]


def _fstring_message(node: ast.JoinedStr) -> str | None:
    parts = []
    values = _values(node)
    for v in values:
        if isinstance(v, ast.Constant):
            if "{" in v.value or "}" in v.value:
                return None  # a literal brace would read as a field
            parts.append(v.value)
        else:
            parts.append(_placeholder(v))  # type: ignore[arg-type]
    literal = "".join(v.value if isinstance(v, ast.Constant) else "X" for v in values)
    return "".join(parts) if _wordy(literal) else None


def _numeric(value: ast.FormattedValue) -> bool:
    """A field whose spec is fixed and is not for text (``:.1%``, ``:4.0f``; not ``:17s``)."""
    if value.format_spec is None or not _static(value):
        return False
    return value.conversion == -1 and not _spec(value).endswith(("s", "c"))


def code_texts(source: str, base: Path | None = None) -> list[Text]:
    """The texts of a code cell a learner reads (see the module's rules), in order; [] if it is not Python.

    With ``base``, the folder of the notebook, a string that names a file there is found too
    (with message None), so that the twin can reach the file from ``nl/``.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:  # IPython magics: kept as they are
        return []
    skip = _skip()
    display: set[int] = set()
    quiet: set[int] = set()  # keyword arguments not for a learner's eyes
    inside: set[int] = set()  # strings within an f-string
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name in DISPLAY_CALLS:
                display.update(id(a) for a in node.args)
            for kw in node.keywords:
                if kw.arg in DISPLAY_KEYWORDS:
                    display.add(id(kw.value))
                    if kw.arg == "why" and isinstance(kw.value, ast.Dict):
                        display.update(id(v) for v in kw.value.values)
                elif kw.arg != "name":
                    quiet.add(id(kw.value))
        elif isinstance(node, ast.IfExp):
            display.update((id(node.body), id(node.orelse)))
        elif isinstance(node, ast.JoinedStr):
            inside.update(id(n) for n in ast.walk(node) if n is not node)
    lines = source.encode("utf-8").splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def span(node: ast.expr) -> tuple[int, int]:
        return starts[node.lineno - 1] + node.col_offset, starts[node.end_lineno - 1] + node.end_col_offset  # type: ignore[operator]

    found = []
    for node in ast.walk(tree):
        if id(node) in inside or id(node) in quiet:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
            if base is not None and not re.search(r"\s", text) and ("/" in text or "." in text):
                if (base / text).is_file():
                    found.append(Text(*span(node), None, node))
                    continue
            if text in skip or not WORD.search(text):
                continue
            if _wordy(text) or (id(node) in display and re.search(r"[A-Za-z]", text)):
                found.append(Text(*span(node), text, node))
        elif isinstance(node, ast.JoinedStr):
            message = _fstring_message(node)
            numeric = any(
                isinstance(v, ast.FormattedValue)
                and (_numeric(v) or (isinstance(v.value, ast.Attribute) and v.value.attr in TABLE_TEXTS))
                for v in node.values
            )
            if message is not None or numeric:
                found.append(Text(*span(node), message, node))
    return sorted(found, key=lambda t: t.start)


def _call(name: str, *args: ast.expr) -> ast.Call:
    return ast.Call(ast.parse(name, mode="eval").body, list(args), [])


def _field(value: ast.FormattedValue) -> ast.FormattedValue:
    """A field of the twin: its number in Dutch (``simlib.i18n.fmt``), a word of the kit's tables translated."""
    if value.conversion != -1 or not _static(value):
        return value
    shown = value.value
    if isinstance(shown, ast.Attribute) and shown.attr in TABLE_TEXTS:
        shown = _call("simlib.i18n._", shown)
    elif value.format_spec is not None and not _numeric(value):
        return value
    return ast.FormattedValue(_call("simlib.i18n.fmt", shown, ast.Constant(_spec(value))), -1, None)


def _dutch_fstring(node: ast.JoinedStr, dutch: str | None) -> str:
    values = _values(node)
    fields = {_placeholder(v): v for v in values if isinstance(v, ast.FormattedValue)}

    if dutch is None:
        values = [_field(v) if isinstance(v, ast.FormattedValue) else v for v in values]
    else:
        pattern = "|".join(re.escape(p) for p in sorted(fields, key=len, reverse=True))
        values, at = [], 0
        for m in re.finditer(pattern, dutch) if pattern else ():
            if m.start() > at:
                values.append(ast.Constant(dutch[at : m.start()]))
            values.append(_field(fields[m.group(0)]))
            at = m.end()
        if at < len(dutch):
            values.append(ast.Constant(dutch[at:]))
    if all(isinstance(v, ast.Constant) for v in values):  # no field left: a plain string
        return _literal("".join(v.value for v in values))  # type: ignore[attr-defined]
    return ast.unparse(ast.JoinedStr(values))


def _literal(text: str) -> str:
    """A Python string literal in double quotes, as ruff writes them."""
    return json.dumps(text, ensure_ascii=False)


# ---------------------------------------------------------------------------------- the catalogue


def catalogue(path: str | os.PathLike[str] = PO) -> dict[str, str]:
    """The Dutch of every translated message of the catalogue (none empty, none fuzzy)."""
    from babel.messages.pofile import read_po

    with open(path, "rb") as fh:
        cat = read_po(fh, locale=LANG)
    return {m.id: m.string for m in cat if m.id and isinstance(m.id, str) and m.string and not m.fuzzy}


def caption(source: str) -> str | None:
    """The caption of a code cell: its first line, if that is a comment in words; else None."""
    m = CAPTION.fullmatch(source.split("\n", 1)[0].rstrip())
    return m.group(1).strip() if m else None


def messages(nb: Mapping[str, Any]) -> Iterator[tuple[int, str]]:
    """Each text of a notebook to translate, with the number of its cell (from 1; 0 is its title)."""
    if _metadata(nb).get("title"):
        yield 0, _metadata(nb)["title"]
    for number, cell in enumerate(nb.get("cells", ()), 1):
        source = _source(cell)
        if cell.get("cell_type") == "markdown":
            for block, translated in paragraphs(source):
                if translated:
                    yield number, block
        elif cell.get("cell_type") == "code":
            if caption(source):
                yield number, caption(source)
            for text in code_texts(source):
                if text.message is not None:
                    yield number, text.message


def extract(fileobj: Any, keywords: Any, comment_tags: Any, options: Any) -> Iterator[tuple]:
    """A Babel extractor (``babel.cfg``): the texts of an English class-path notebook; nothing from another."""
    nb = json.loads(fileobj.read().decode("utf-8"))
    if is_class_path(nb):
        for number, text in messages(nb):
            yield number, None, text, []


# ---------------------------------------------------------------------------------- the twin


class Untranslated(ValueError):
    """Texts with no Dutch yet: (notebook, cell, text) each."""

    def __init__(self, missing: Sequence[tuple[str, int, str]]):
        self.missing = list(missing)
        lines = [f"{where}, cell {cell}: {text!r}" for where, cell, text in self.missing]
        super().__init__(
            f"{len(lines)} text(s) have no Dutch in {PO.name}; run `make translations`, translate them, "
            "and run it again:\n  " + "\n  ".join(lines)
        )


def _relink(target: str, english: Path, twin: Path) -> str:
    """A link of the English notebook, as the twin must write it."""
    if re.match(r"^[a-z][a-z0-9+.-]*:|^[#/]", target):
        return target
    path, hash_, anchor = target.partition("#")
    if not path:
        return target
    where = Path(os.path.normpath(english.parent / path))
    if where.parent.name == LANG:  # a twin: from the twin, its English source
        where = where.parent.parent / where.name
    elif where.suffix == ".ipynb" and where.exists() and is_class_path(json.loads(where.read_text(encoding="utf-8"))):
        where = twin_path(where)
    return Path(os.path.relpath(where, twin.parent)).as_posix() + hash_ + anchor


def _dutch(text: str, dutch: Mapping[str, str], missing: list, where: str, cell: int) -> str:
    if text in dutch:
        return dutch[text]
    missing.append((where, cell, text))
    return text


def twin_notebook(path: Path, dutch: Mapping[str, str], root: Path) -> dict[str, Any]:
    """The Dutch twin of the English notebook at ``path``, not yet executed (raises :class:`Untranslated`)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    twin = twin_path(path)
    where = path.relative_to(root).as_posix()
    missing: list[tuple[str, int, str]] = []
    cells = []
    for number, cell in enumerate(nb["cells"], 1):
        cell = copy.deepcopy(cell)
        source = _source(cell)
        if cell["cell_type"] == "markdown":
            blocks = [_dutch(b, dutch, missing, where, number) if t else b for b, t in paragraphs(source)]
            source = LINK.sub(lambda m: m.group(1) + _relink(m.group(2), path, twin) + m.group(3), "\n\n".join(blocks))
        elif cell["cell_type"] == "code":
            edits = []
            for text in code_texts(source, path.parent):
                said = None if text.message is None else _dutch(text.message, dutch, missing, where, number)
                if isinstance(text.node, ast.JoinedStr):
                    edits.append((text.start, text.end, _dutch_fstring(text.node, said)))
                elif said is None:  # a file beside the English notebook
                    file = path.parent / text.node.value  # type: ignore[attr-defined]
                    edits.append((text.start, text.end, _literal(os.path.relpath(file, twin.parent))))
                else:
                    edits.append((text.start, text.end, _literal(said)))
            data = source.encode("utf-8")
            for start, end, new in reversed(edits):
                data = data[:start] + new.encode("utf-8") + data[end:]
            source = data.decode("utf-8")
            if caption(source):
                said = _dutch(caption(source), dutch, missing, where, number)
                source = f"# {said}" + source[source.find("\n") :] if "\n" in source else f"# {said}"
            cell["outputs"], cell["execution_count"] = [], None
        cell["source"] = source
        cells.append(cell)
    first = {
        "cell_type": "code",
        "execution_count": None,
        "id": "language",
        "metadata": {"jupyter": {"source_hidden": True}, "tags": ["language"]},
        "outputs": [],
        "source": FIRST_CELL,
    }
    out = dict(nb, cells=[first, *cells])
    out["metadata"] = copy.deepcopy(nb["metadata"])
    meta = out["metadata"].setdefault("simlib", {})
    meta.pop("generated_from", None)
    if meta.get("title"):
        meta["title"] = _dutch(meta["title"], dutch, missing, where, 0)
    if missing:
        raise Untranslated(missing)
    built = [meta.get("title", ""), *(c["cell_type"] + ":" + c["source"] for c in cells)]
    digest = hashlib.sha256(json.dumps(built).encode()).hexdigest()[:16]
    meta["twin"] = {"of": where, "lang": LANG, "built_from": digest}
    return out


def _built_from(path: Path) -> str | None:
    if not path.is_file():
        return None
    return _metadata(json.loads(path.read_text(encoding="utf-8"))).get("twin", {}).get("built_from")


def stale(root: str | os.PathLike[str] = ".", dutch: Mapping[str, str] | None = None) -> list[str]:
    """What is out of step: twins to build again, and twins with no English source (raises :class:`Untranslated`)."""
    root = Path(root)
    dutch = catalogue() if dutch is None else dutch
    english = class_path(root)
    missing, out = [], []
    for path in english:
        try:
            expected = _metadata(twin_notebook(path, dutch, root))["twin"]["built_from"]
        except Untranslated as err:
            missing += err.missing
            continue
        if _built_from(twin_path(path)) != expected:
            out.append(f"{twin_path(path).relative_to(root).as_posix()}: stale or missing")
    if missing:
        raise Untranslated(missing)
    wanted = {twin_path(p) for p in english}
    for folder in FOLDERS:
        for path in sorted((root / folder / LANG).glob("*.ipynb")):
            if path not in wanted:
                out.append(f"{path.relative_to(root).as_posix()}: no English class-path notebook of that name")
    return out


def build(root: str | os.PathLike[str] = ".", *, execute: bool = True, timeout: int = 600) -> list[Path]:
    """Write every twin (all refused, and nothing written, if any Dutch is missing), format it, run it."""
    from simlib.exercises import write_bytes

    root = Path(root).resolve()
    dutch = catalogue()
    english = class_path(root)
    missing, twins = [], {}
    for path in english:
        try:
            twins[twin_path(path)] = twin_notebook(path, dutch, root)
        except Untranslated as err:
            missing += err.missing
    if missing:
        raise Untranslated(missing)
    for path, nb in twins.items():
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(write_bytes(nb))
    subprocess.run([sys.executable, "-m", "ruff", "format", "--quiet", *map(str, twins)], check=True)
    for path in twins:
        if execute:
            _execute(path, timeout)
        print(f"wrote {path.relative_to(root)}")
    for folder in FOLDERS:
        for old in sorted((root / folder / LANG).glob("*.ipynb")):
            if old not in twins:
                old.unlink()
                print(f"removed {old.relative_to(root)}")
    return list(twins)


def _execute(path: Path, timeout: int) -> None:
    import nbclient
    import nbformat

    from simlib.exercises import write_bytes

    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        nb,
        timeout=timeout,
        startup_timeout=timeout,  # a busy machine can take more than nbclient's minute to start a kernel
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": path.parent}},
    )
    client.execute()
    path.write_bytes(write_bytes(json.loads(nbformat.writes(nb))))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m simlib.authoring.twins",
        description="Build the Dutch twins of the class-path notebooks from the English ones and the catalogue.",
    )
    parser.add_argument("--root", default=".", help="the kit's folder (with notebooks/ and exercises/)")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a twin is stale")
    parser.add_argument("--no-execute", action="store_true", help="write the twins without running them")
    args = parser.parse_args(argv)
    try:
        if args.check:
            out = stale(args.root)
            for line in out:
                print(line)
            return 1 if out else 0
        build(args.root, execute=not args.no_execute)
    except Untranslated as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
