"""Fill the Dutch catalogue from other catalogues: translations made elsewhere, kept in .po files.

When branches are merged, each may have translated its own new strings in its own copy of
``simlib.po`` (or in a hand-off file). After ``make translations`` has brought the catalogue in
step with the merged code, the entries that came in empty (or fuzzy) are filled from those files::

    make translations                                            # extract, update: new strings empty
    python -m simlib.authoring.memory other.po handoff/*.po     # fill them where another file has them
    make translations                                            # compile; the tests check the rest

An entry translated here already is kept; of the other files, the first that translates an
entry wins. What no file translates is listed, to be translated by hand.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from simlib.i18n import DOMAIN, LOCALEDIR

__all__ = ["fill", "main"]

PO = LOCALEDIR / "nl" / "LC_MESSAGES" / f"{DOMAIN}.po"


def _read(path: str | os.PathLike[str]):  # babel's Catalog
    from babel.messages.pofile import read_po

    with open(path, "rb") as fh:
        return read_po(fh, locale="nl")


def fill(sources: Sequence[str | os.PathLike[str]], target: str | os.PathLike[str] = PO) -> tuple[int, list[str]]:
    """Fill the empty or fuzzy entries of ``target`` from ``sources``; return how many, and the ids still empty."""
    from babel.messages.pofile import write_po

    cat = _read(target)
    known: dict[object, object] = {}
    for source in sources:
        for m in _read(source):
            if m.id and m.string and not m.fuzzy and (not isinstance(m.string, tuple) or all(m.string)):
                known.setdefault(m.id, m.string)
    filled, empty = 0, []
    for m in cat:
        if not m.id or (m.string and not m.fuzzy and (not isinstance(m.string, tuple) or all(m.string))):
            continue
        if m.id in known:
            m.string = known[m.id]
            m.flags.discard("fuzzy")
            filled += 1
        else:
            empty.append(m.id if isinstance(m.id, str) else m.id[0])
    with open(target, "wb") as fh:
        write_po(fh, cat, width=76, ignore_obsolete=True, sort_output=True)
    return filled, empty


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m simlib.authoring.memory", description=__doc__.splitlines()[0])
    parser.add_argument("sources", nargs="+", help=".po files to take translations from")
    parser.add_argument("--target", default=str(PO), help=f"the catalogue to fill (default {PO.name})")
    args = parser.parse_args(argv)
    missing = [s for s in args.sources if not Path(s).is_file()]
    if missing:
        print(f"error: sources: no such file: {', '.join(missing)}", file=sys.stderr)
        return 2
    filled, empty = fill(args.sources, args.target)
    print(f"filled {filled} entries of {args.target}; {len(empty)} still without Dutch")
    for text in empty:
        print(f"  {text[:100]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
