"""The command line's first instant: Ctrl-C while numpy still loads ends it in one line.

``python -m simlib`` (and the ``simlib`` script) import this package before
:mod:`simlib.cli` can catch anything, and loading numpy takes a good part of a second. So
``simlib/__init__.py`` imports this room first: when the command line is starting (``python -m
simlib``, or the script called ``simlib``; not another program that imports simlib), Ctrl-C
writes ``simlib: interrupted`` and exits with status 130, no traceback. :func:`simlib.cli.main`
puts Python's own handler back as it starts, and handles Ctrl-C from there on. Imported as a
library (a notebook, a test), nothing changes.
"""

from __future__ import annotations

import os
import signal
import sys


def _interrupted_while_loading(signum: int, frame: object) -> None:
    os.write(2, b"simlib: interrupted\n")
    os._exit(130)


def _starting() -> bool:
    """Whether this process is the command line starting: ``python -m simlib`` or the ``simlib`` script."""
    if sys.argv[:1] == ["-m"]:  # python -m X is loading X's package: is X simlib (not a package importing it)?
        argv = sys.orig_argv
        return "-m" in argv and argv[argv.index("-m") + 1 : argv.index("-m") + 2] == ["simlib"]
    return os.path.basename(sys.argv[0] if sys.argv else "") == "simlib"


if _starting():
    signal.signal(signal.SIGINT, _interrupted_while_loading)
