"""Where a game lives: one SQLite file per game, that many kernels read and write at once.

Voila runs one kernel per page, so thirty teams are thirty processes writing to the same game.
SQLite in WAL mode lets them: readers never wait, and a writer takes the lock with ``BEGIN
IMMEDIATE`` (or waits for it, and tries again when the database is busy, :class:`Store`).
Every submission is committed at once, and closing a round is one transaction, so nothing is
lost when a kernel dies or the server stops. A game is found by its *game code* (the file's
name, :func:`game_path`); the instructor's code is kept in a file only its owner can read
(:func:`instructor_code`). Codes use letters and digits that cannot be misheard in a classroom.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

__all__ = [
    "SCHEMA",
    "Store",
    "connect",
    "create_file",
    "game_path",
    "instructor_code",
    "instructor_code_file",
    "new_code",
    "new_game_code",
]

SCHEMA = 1
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud in a classroom
_RETRIES = 20

_SCHEMA_SQL = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE teams(name TEXT PRIMARY KEY COLLATE NOCASE, token TEXT NOT NULL UNIQUE, joined REAL NOT NULL,
                   first_round INTEGER NOT NULL);
CREATE TABLE rounds(number INTEGER PRIMARY KEY, event TEXT NOT NULL, budget REAL NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('open', 'closing', 'closed')),
                    opened REAL, closed REAL);
CREATE TABLE submissions(round INTEGER NOT NULL, team TEXT NOT NULL COLLATE NOCASE, choices TEXT NOT NULL,
                         cost REAL NOT NULL, submitted REAL NOT NULL, PRIMARY KEY (round, team));
CREATE TABLE played(round INTEGER NOT NULL, team TEXT NOT NULL COLLATE NOCASE, choices TEXT NOT NULL,
                    cost REAL NOT NULL, submitted INTEGER NOT NULL, PRIMARY KEY (round, team));
CREATE TABLE results(round INTEGER NOT NULL, team TEXT NOT NULL COLLATE NOCASE, run INTEGER NOT NULL,
                     measures TEXT NOT NULL, PRIMARY KEY (round, team, run));
CREATE TABLE advice(round INTEGER NOT NULL, team TEXT NOT NULL COLLATE NOCASE, lever TEXT, text TEXT NOT NULL,
                    difference REAL, low REAL, high REAL, extra_cost REAL, PRIMARY KEY (round, team));
"""


def connect(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(str(path), timeout=30.0, isolation_level=None, check_same_thread=False)
    con.execute("PRAGMA busy_timeout = 30000")
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("PRAGMA synchronous = FULL")
    con.execute("PRAGMA foreign_keys = ON")
    return con


def _locked(err: sqlite3.OperationalError) -> bool:
    text = str(err).lower()
    return "locked" in text or "busy" in text


def create_file(path: Path, meta: Mapping[str, str], event: str, budget: float) -> sqlite3.Connection:
    """A new game file (an existing one is refused) with its meta and round 1 open; its connection."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        raise ValueError(f"path: {str(path)!r} exists already; expected a new file (Game.open opens a game)") from None
    os.close(fd)
    con = connect(path)
    try:
        con.execute("BEGIN IMMEDIATE")
        for statement in _SCHEMA_SQL.strip().split(";"):
            if statement.strip():
                con.execute(statement)
        con.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
        con.execute("INSERT INTO rounds VALUES (1, ?, ?, 'open', ?, NULL)", (event, float(budget), time.time()))
        con.execute("COMMIT")
    except BaseException:
        con.close()
        with contextlib.suppress(OSError):
            path.unlink()
        raise
    return con


class Store:
    """A game file's connection, shared by the threads of one process: reads, and write transactions
    that wait for the writer's lock and try again when another process holds it."""

    def __init__(self, path: str | Path, con: sqlite3.Connection | None = None) -> None:
        self.path = Path(path)
        self._con = con or connect(self.path)
        self._lock = threading.RLock()

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._con.close()

    def _query(self, sql: str, args: Sequence[Any] = ()) -> list[tuple]:
        for attempt in range(_RETRIES):
            try:
                with self._lock:
                    return self._con.execute(sql, args).fetchall()
            except sqlite3.OperationalError as err:
                if not _locked(err) or attempt == _RETRIES - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE: the writer's lock at once, or wait for it)."""
        with self._lock:
            for attempt in range(_RETRIES):
                try:
                    self._con.execute("BEGIN IMMEDIATE")
                    break
                except sqlite3.OperationalError as err:
                    if not _locked(err) or attempt == _RETRIES - 1:
                        raise
                    time.sleep(0.05 * (attempt + 1) + secrets.randbelow(50) / 1000)
            try:
                yield self._con
            except BaseException:
                self._con.execute("ROLLBACK")
                raise
            else:
                self._con.execute("COMMIT")

    def _retry_write(self, body: Callable[[sqlite3.Connection], Any]) -> Any:
        for attempt in range(_RETRIES):
            try:
                with self._write() as con:
                    return body(con)
            except sqlite3.OperationalError as err:
                if not _locked(err) or attempt == _RETRIES - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")


# ---------------------------------------------------------------------------------- codes


def new_code(n: int) -> str:
    """``n`` letters and digits that cannot be misheard (a token, an instructor code)."""
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(n))


def new_game_code() -> str:
    return new_code(6)


def game_path(directory: str | Path, code: str) -> Path:
    """Where the game with ``code`` lives in ``directory`` (one file per game, named by its code)."""
    code = str(code).strip().upper()
    if not re.fullmatch(r"[A-Z0-9]{4,12}", code):
        raise ValueError(f"game code: {code!r} is not a game code; expected the letters and digits you were given")
    return Path(directory) / f"{code}.sqlite"


def instructor_code_file(directory: Path) -> Path:
    return directory / "instructor-code.txt"


def instructor_code(directory: str | Path) -> str:
    """The instructor code of a games folder: made once, kept in a file only its owner reads."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    path = instructor_code_file(directory)
    if path.is_file():
        return path.read_text(encoding="utf-8").strip()
    code = new_code(10)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(code + "\n")
    return code


# ---------------------------------------------------------------------------------- values as stored


def finite(m: Mapping[str, float]) -> dict[str, float | None]:
    """A run's measures for JSON: NaN and infinities as None."""
    return {k: (float(v) if math.isfinite(float(v)) else None) for k, v in m.items()}


def db_number(x: Any) -> float | None:
    """A number for an SQL column: NaN and infinities as NULL."""
    return float(x) if x is not None and math.isfinite(float(x)) else None
