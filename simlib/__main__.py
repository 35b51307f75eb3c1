"""``python -m simlib``: run scenarios from the command line."""

from simlib.cli import main

raise SystemExit(main())
