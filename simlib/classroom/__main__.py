"""``python -m simlib.classroom serve``: make or reopen a game, print its codes, serve the pages."""

import sys

from simlib.classroom.serve import main

sys.exit(main())
