"""``python -m simlib``: run scenarios from the command line (see :mod:`simlib.cli`)."""

import signal

from simlib.cli import main

code = main()
signal.signal(signal.SIGINT, signal.SIG_IGN)  # a late Ctrl-C would interrupt Python's clean-up at exit
raise SystemExit(code)
