"""``python -m simlib``: run scenarios from the command line (see :mod:`simlib.cli`)."""

from simlib.cli import main

raise SystemExit(main())
