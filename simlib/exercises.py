"""Exercises from solutions: one source, two notebooks.

An instructor writes each exercise notebook once, in ``solutions/``, with the answers in
place and the notebook executed (every check saying "right"). The learner's copy in
``exercises/`` is generated from it::

    python -m simlib.exercises solutions exercises             # make exercises
    python -m simlib.exercises solutions exercises --check     # exit 1 if exercises/ is stale
    python -m simlib.exercises solutions exercises --execute   # run the solutions first, strictly

In a code cell, the answer sits between two marker lines (as in nbgrader and Otter)::

    ### BEGIN SOLUTION
    agents = fewest_agents(target=0.9)
    ### END SOLUTION

The generator replaces the markers and everything between them with a *stub*, at the
indentation of the ``BEGIN`` marker, by these rules, the first that applies:

1. ``### STUB: <code>`` lines right after ``BEGIN`` give the stub explicitly (one line each);
2. every name the solution assigns at its own level (``x = ...``, ``a, b = ...``,
   ``x: float = ...``), once each in order: ``x = ...  # your code here``;
3. a solution that ends in ``return``: ``return ...  # your code here``;
4. otherwise ``# your code here`` (``pass  # your code here`` when indented).

So a check cell under a stub always finds its names, bound to ``...``, and says "not yet".
In a markdown cell, lines between ``<!-- BEGIN SOLUTION -->`` and ``<!-- END SOLUTION -->``
become ``*Your answer here.*``.

Everything else is kept: markdown, metadata, cell ids, the check cells. Code cells lose
their outputs and execution counts (and nbclient's timing metadata). The notebook's
metadata gets ``simlib.generated_from``. The bytes are those nbformat writes (JSON, indent
1, sorted keys, a final newline), so the same solutions always give the same exercises,
and generating again changes nothing.
"""

from __future__ import annotations

import argparse
import ast
import copy
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from simlib.feedback import STRICT_ENV

__all__ = [
    "BEGIN",
    "END",
    "STUB",
    "exercise_notebook",
    "generate",
    "render",
    "stub_source",
    "write_bytes",
]

BEGIN, END, STUB = "### BEGIN SOLUTION", "### END SOLUTION", "### STUB:"
MD_BEGIN, MD_END = "<!-- BEGIN SOLUTION -->", "<!-- END SOLUTION -->"
PLACEHOLDER = "# your code here"
MD_PLACEHOLDER = "*Your answer here.*"
_RUN_METADATA = ("execution", "collapsed", "scrolled")  # belongs to a run, not to the exercise


# ----------------------------------------------------------------------------- stubs


def _names(block: str) -> tuple[list[str], bool]:
    """The names a block of code assigns at its own level, and whether it ends in return."""
    tree = ast.parse(block)
    names: list[str] = []

    def add(target: ast.expr) -> None:
        if isinstance(target, ast.Name):
            if target.id not in names:
                names.append(target.id)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for t in target.elts:
                add(t)

    for node in tree.body:
        if isinstance(node, ast.Assign):
            for t in node.targets:
                add(t)
        elif isinstance(node, ast.AnnAssign):
            add(node.target)
    ends_in_return = bool(tree.body) and isinstance(tree.body[-1], ast.Return)
    return names, ends_in_return


def _stub(block: list[str], indent: str, where: str) -> list[str]:
    explicit = []
    for line in block:
        if line.strip().startswith(STUB):
            explicit.append(indent + line.strip()[len(STUB) :].strip())
        else:
            break
    if explicit:
        return explicit
    body = "\n".join(line[len(indent) :] if line.startswith(indent) else line.lstrip() for line in block)
    try:
        names, ends_in_return = _names(body)
    except SyntaxError as err:
        raise ValueError(
            f"{where}: the solution does not parse as Python ({err.msg}, line {err.lineno}); "
            f"expected complete statements, or give the stub with a '{STUB} ...' line after '{BEGIN}'"
        ) from None
    if names:
        return [f"{indent}{n} = ...  {PLACEHOLDER}" for n in names]
    if ends_in_return:
        return [f"{indent}return ...  {PLACEHOLDER}"]
    return [f"{indent}{PLACEHOLDER}" if not indent else f"{indent}pass  {PLACEHOLDER}"]


def stub_source(source: str, *, where: str = "cell", markdown: bool = False) -> str:
    """``source`` with every solution block replaced by its stub (see the module's rules)."""
    begin, end = (MD_BEGIN, MD_END) if markdown else (BEGIN, END)
    lines = source.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        mark = line.strip()
        if mark == end:
            raise ValueError(f"{where}, line {i + 1}: '{end}' without a '{begin}' before it")
        if mark != begin:
            out.append(line)
            i += 1
            continue
        indent = line[: len(line) - len(line.lstrip())]
        j = i + 1
        while j < len(lines) and lines[j].strip() != end:
            if lines[j].strip() == begin:
                raise ValueError(f"{where}, line {j + 1}: '{begin}' inside another solution; expected '{end}' first")
            j += 1
        if j == len(lines):
            raise ValueError(f"{where}, line {i + 1}: '{begin}' without an '{end}' after it")
        block = lines[i + 1 : j]
        out += [indent + MD_PLACEHOLDER] if markdown else _stub(block, indent, f"{where}, line {i + 1}")
        i = j + 1
    return "\n".join(out)


# ----------------------------------------------------------------------------- notebooks


def _text(source: Any) -> str:
    return "".join(source) if isinstance(source, list) else str(source)


def exercise_notebook(nb: dict[str, Any], *, source: str = "solution") -> dict[str, Any]:
    """The exercise made from a solution notebook (as a JSON dict); ``nb`` is not changed."""
    ex = copy.deepcopy(nb)
    for k, cell in enumerate(ex.get("cells", [])):
        where = f"{source}, cell {k}"
        kind = cell.get("cell_type")
        if kind == "code":
            cell["source"] = stub_source(_text(cell.get("source", "")), where=where)
            cell["outputs"] = []
            cell["execution_count"] = None
            for key in _RUN_METADATA:
                cell.get("metadata", {}).pop(key, None)
        elif kind == "markdown":
            cell["source"] = stub_source(_text(cell.get("source", "")), where=where, markdown=True)
    ex.setdefault("metadata", {}).setdefault("simlib", {})["generated_from"] = source
    return ex


def _split_lines(nb: dict[str, Any]) -> dict[str, Any]:
    """Multi-line strings as lists of lines, as nbformat stores them."""
    nb = copy.deepcopy(nb)
    for cell in nb.get("cells", []):
        text = _text(cell.get("source", ""))
        cell["source"] = text.splitlines(keepends=True)
        for out in cell.get("outputs", []):
            if "text" in out:
                out["text"] = _text(out["text"]).splitlines(keepends=True)
            for mime, data in out.get("data", {}).items():
                if isinstance(data, (str, list)) and not (mime == "application/json" or mime.endswith("+json")):
                    out["data"][mime] = _text(data).splitlines(keepends=True)
    return nb


def write_bytes(nb: dict[str, Any]) -> bytes:
    """A notebook's bytes as nbformat writes them: JSON, indent 1, sorted keys, final newline."""
    return (json.dumps(_split_lines(nb), indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def render(path: str | os.PathLike[str], *, source: str | None = None) -> bytes:
    """The exercise bytes for the solution notebook at ``path``."""
    path = Path(path)
    nb = json.loads(path.read_text(encoding="utf-8"))
    return write_bytes(exercise_notebook(nb, source=source or f"{path.parent.name}/{path.name}"))


def _generated(path: Path) -> bool:
    try:
        return "generated_from" in json.loads(path.read_text(encoding="utf-8")).get("metadata", {}).get("simlib", {})
    except (OSError, ValueError):
        return False


def generate(
    solutions: str | os.PathLike[str], exercises: str | os.PathLike[str], *, check: bool = False
) -> list[Path]:
    """Write ``exercises/<name>.ipynb`` for every ``solutions/<name>.ipynb``.

    Generated notebooks whose solution is gone are removed (a notebook not made by the
    generator is left alone). Returns the paths that changed; with ``check=True`` nothing is
    written, and the paths that *would* change are returned.
    """
    src, dst = Path(solutions), Path(exercises)
    if not src.is_dir():
        raise ValueError(f"solutions: {str(src)!r} is not a folder; expected the folder of solution notebooks")
    notebooks = sorted(p for p in src.glob("*.ipynb") if p.is_file())
    if not notebooks:
        raise ValueError(f"solutions: {str(src)!r} holds no .ipynb notebooks; expected at least one")
    changed: list[Path] = []
    wanted = set()
    for path in notebooks:
        target = dst / path.name
        wanted.add(target.name)
        data = render(path)
        if not target.exists() or target.read_bytes() != data:
            changed.append(target)
            if not check:
                dst.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
    for stale in sorted(dst.glob("*.ipynb")) if dst.is_dir() else []:
        if stale.name not in wanted and _generated(stale):
            changed.append(stale)
            if not check:
                stale.unlink()
    return changed


# ----------------------------------------------------------------------------- executing


def execute(solutions: str | os.PathLike[str], *, timeout: int = 300) -> None:
    """Run every solution notebook in place (or the one notebook ``solutions`` names), strictly.

    Strictly: every check must pass.

    Outputs are stored without timing metadata, so the notebooks change only when their
    outputs do.
    """
    import nbclient
    import nbformat

    old = os.environ.get(STRICT_ENV)
    os.environ[STRICT_ENV] = "1"
    where = Path(solutions)
    try:
        for path in [where] if where.suffix == ".ipynb" else sorted(where.glob("*.ipynb")):
            nb = nbformat.read(path, as_version=4)
            client = nbclient.NotebookClient(
                nb,
                timeout=timeout,
                kernel_name="python3",
                record_timing=False,
                resources={"metadata": {"path": path.parent}},
            )
            client.execute()
            path.write_bytes(write_bytes(json.loads(nbformat.writes(nb))))
            print(f"executed {path}")
    finally:
        if old is None:
            os.environ.pop(STRICT_ENV, None)
        else:
            os.environ[STRICT_ENV] = old


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m simlib.exercises", description="Generate exercise notebooks from solution notebooks."
    )
    parser.add_argument("solutions", help="folder of solution notebooks (the source)")
    parser.add_argument("exercises", help="folder to write the exercise notebooks to")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if exercises are out of date")
    parser.add_argument("--execute", action="store_true", help="first run the solutions in place, strictly")
    args = parser.parse_args(argv)
    try:
        if args.execute:
            execute(args.solutions)
        changed = generate(args.solutions, args.exercises, check=args.check)
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if args.check:
        for path in changed:
            print(f"out of date: {path}")
        return 1 if changed else 0
    for path in changed:
        print(f"{'removed' if not path.exists() else 'wrote'} {path}")
    if not changed:
        print(f"{args.exercises}: up to date")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
