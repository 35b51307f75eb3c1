"""Project-wide pytest hooks: what nbval expects of the exercise notebooks' checks.

nbval runs every notebook of ``solutions/`` and ``exercises/`` (see ``addopts`` in
pyproject.toml). The checks in them (:mod:`simlib.check`) read ``SIMLIB_CHECK_STRICT``, which
the notebook's kernel inherits from this process when nbval starts it:

- in ``solutions/`` it is ``1``: every check must pass, or the cell raises ``CheckFailed``;
  nbval also compares the outputs with the stored ones, which say "Right";
- in ``exercises/`` it is ``not-yet``: every check must say "not yet" (the stubs are
  untouched and each check recognises them). The exercises are stored without outputs, so
  nbval does not compare outputs there (it skips cells that were never run), only runs them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).parent

# The stored outputs of the notebooks, and the tests, are in English: run them in English whatever
# the machine's locale (LANGUAGE comes first in gettext's order). Tests of the Dutch ask for it.
os.environ["LANGUAGE"] = "en"
STRICT = {ROOT / "solutions": "1", ROOT / "exercises": "not-yet"}


def strict_mode_for(path: Path) -> str | None:
    """The ``SIMLIB_CHECK_STRICT`` value for a notebook at ``path`` (None: leave it alone)."""
    path = Path(path).resolve()
    for folder, mode in STRICT.items():
        if path.suffix == ".ipynb" and path.parent == folder.resolve():
            return mode
    return None


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> Iterator[None]:
    """Set the strict mode while nbval starts a notebook's kernel (in the first cell's setup)."""
    mode = strict_mode_for(Path(str(item.path)))
    if mode is None:
        yield
        return
    old = os.environ.get("SIMLIB_CHECK_STRICT")
    os.environ["SIMLIB_CHECK_STRICT"] = mode
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("SIMLIB_CHECK_STRICT", None)
        else:
            os.environ["SIMLIB_CHECK_STRICT"] = old
