"""``python -m simlib``: run scenarios from the command line (see :mod:`simlib.cli`).

Ctrl-C is clean from the first instant: while the package loads, :mod:`simlib._startup`
ends the process with one line; :func:`simlib.cli.main` handles it while it works; once it
has returned, a late Ctrl-C no longer changes the outcome.
"""

import signal

from simlib.cli import main

code = main()
signal.signal(signal.SIGINT, signal.SIG_IGN)  # a late Ctrl-C would interrupt Python's clean-up at exit
raise SystemExit(code)
