"""Where a game lives: one SQLite file per game, that many threads and processes read and write at once.

SQLite in WAL mode lets them: readers never wait, and a writer takes the lock with ``BEGIN
IMMEDIATE`` (or waits for it, and tries again when the database is busy, :meth:`Store.write`).
Every submission is committed before it is acknowledged, and closing a round is one
transaction, so nothing is lost when a process dies. A file that is deleted, replaced or
damaged under a running game is noticed at the next read or write (:class:`GameFileError`:
one message for teams and instructor alike, the cause kept for the server's log), so nobody is
told "submitted" while nothing was stored. A game is found by its *game code* (the file's name,
:func:`game_path`); the instructor's code is kept in a file only its owner can read
(:func:`instructor_code`). Codes use letters and digits that cannot be misheard in a classroom.
"""

from __future__ import annotations

import contextlib
import enum
import json
import math
import os
import re
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from simlib.i18n import N_, _
from simlib.scenario import Scenario

__all__ = [
    "SCHEMA",
    "GameFileError",
    "RoundStatus",
    "Settings",
    "Store",
    "game_path",
    "instructor_code",
    "instructor_code_file",
    "new_code",
    "new_game_code",
]

SCHEMA = 2
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud in a classroom
_RETRIES = 20
_HEADER = b"SQLite format 3\x00"
T = TypeVar("T")


class RoundStatus(enum.StrEnum):
    """Where a round is: prepared (the instructor sets its event), open (teams submit), closing, closed."""

    PREPARED = "prepared"
    OPEN = "open"
    CLOSING = "closing"
    CLOSED = "closed"


class GameFileError(Exception):
    """The game's file is missing, replaced or damaged: nothing can be read from it or stored in it."""

    def __init__(self, path: Path, cause: str) -> None:
        self.path, self.cause = path, cause
        super().__init__(
            _(
                "The game's file {file} cannot be used ({cause}), so nothing more can be saved. "
                "The instructor has to start the game again."
            ).format(cause=_(cause), file=path.name)
        )


_STATUSES = ", ".join(f"'{s.value}'" for s in RoundStatus)
_SCHEMA_SQL = f"""
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE teams(name TEXT PRIMARY KEY COLLATE NOCASE, token TEXT NOT NULL UNIQUE, joined REAL NOT NULL,
                   first_round INTEGER NOT NULL);
CREATE TABLE rounds(number INTEGER PRIMARY KEY, event TEXT NOT NULL, budget REAL NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ({_STATUSES})), opened REAL, closed REAL);
CREATE TABLE submissions(round INTEGER NOT NULL, team TEXT NOT NULL COLLATE NOCASE, choices TEXT NOT NULL,
                         cost REAL NOT NULL, submitted REAL NOT NULL, PRIMARY KEY (round, team));
CREATE TABLE runs(round INTEGER NOT NULL, key TEXT NOT NULL, measures TEXT NOT NULL, PRIMARY KEY (round, key));
CREATE TABLE played(round INTEGER NOT NULL, team TEXT NOT NULL COLLATE NOCASE, choices TEXT NOT NULL,
                    cost REAL NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (round, team));
CREATE TABLE debrief(round INTEGER NOT NULL, part TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (round, part));
"""


@dataclass(frozen=True)
class Settings:
    """What is fixed when a game is made: its codes, scenario, seed, rounds, weeks per round, levers."""

    code: str
    instructor_code: str
    scenario: Scenario
    seed: int
    rounds: int
    runs: int
    budget: float  # the default budget of a round
    levers: tuple[str, ...] | None  # the levers teams may set (None: every priced lever)

    def as_meta(self) -> dict[str, str]:
        return {
            "schema": str(SCHEMA), "code": self.code, "instructor_code": self.instructor_code,
            "scenario": json.dumps(self.scenario.to_dict(), default=str), "seed": str(self.seed),
            "rounds": str(self.rounds), "runs": str(self.runs), "budget": repr(float(self.budget)),
            "levers": json.dumps(list(self.levers)) if self.levers is not None else "", "created": repr(time.time()),
        }  # fmt: skip

    @classmethod
    def from_meta(cls, meta: Mapping[str, str]) -> Settings:
        return cls(
            meta["code"], meta["instructor_code"], Scenario.from_dict(json.loads(meta["scenario"])),
            int(meta["seed"]), int(meta["rounds"]), int(meta["runs"]), float(meta["budget"]),
            tuple(json.loads(meta["levers"])) if meta.get("levers") else None,
        )  # fmt: skip


def _connect(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(str(path), timeout=30.0, isolation_level=None, check_same_thread=False)
    con.execute("PRAGMA busy_timeout = 30000")
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("PRAGMA synchronous = FULL")
    return con


def _locked(err: sqlite3.OperationalError) -> bool:
    text = str(err).lower()
    return "locked" in text or "busy" in text


class Store:
    """A game's file: its settings, reads, and write transactions that wait for the writer's lock.

    One store is shared by the threads of a process. Every read and write first checks that the
    file is still the one opened and looks like a database (:class:`GameFileError` if not).
    """

    def __init__(self, path: Path, con: sqlite3.Connection, held: tuple[int, int] | None = None) -> None:
        self.path = path
        self._con = con
        self._lock = threading.RLock()
        self._held: tuple[int, int] | None = held or _hold(path)
        self._inode = self._held[1]
        self.settings = Settings.from_meta(dict(self.read("SELECT key, value FROM meta")))

    @classmethod
    def create(cls, path: str | Path, settings: Settings, first_round: tuple[str, float]) -> Store:
        """A new game file (an existing one is refused) with round 1 prepared: (event, budget)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            raise ValueError(
                f"path: {str(path)!r} exists already; expected a new file (open_game opens a game)"
            ) from None
        os.close(fd)
        con = _connect(path)
        try:
            con.execute("BEGIN IMMEDIATE")
            for statement in _SCHEMA_SQL.strip().split(";"):
                if statement.strip():
                    con.execute(statement)
            con.executemany("INSERT INTO meta VALUES (?, ?)", settings.as_meta().items())
            con.execute(
                "INSERT INTO rounds VALUES (1, ?, ?, ?, NULL, NULL)",
                (first_round[0], float(first_round[1]), RoundStatus.PREPARED.value),
            )
            con.execute("COMMIT")
        except BaseException:
            con.close()
            with contextlib.suppress(OSError):
                path.unlink()
            raise
        return cls(path, con)

    @classmethod
    def open(cls, path: str | Path) -> Store:
        """The game stored in ``path``, as last committed (:class:`GameFileError` if it cannot be used)."""
        path = Path(path)
        if not path.is_file():
            raise GameFileError(path, N_("the file is not there"))
        held = _hold(path)
        try:
            _check_header(path, held)
            try:
                con = _connect(path)
            except sqlite3.DatabaseError as err:
                raise GameFileError(path, N_("the file is damaged")) from err
        except BaseException:
            _release(held)
            raise
        try:
            meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
            if meta.get("schema") != str(SCHEMA):
                raise GameFileError(path, N_("the file is not a game of this version"))
            return cls(path, con, held)
        except (sqlite3.DatabaseError, KeyError, ValueError) as err:
            con.close()
            _release(held)
            raise GameFileError(path, N_("the file is not a classroom game")) from err
        except BaseException:
            con.close()
            _release(held)
            raise

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._con.close()
        held, self._held = self._held, None
        if held is not None:
            _release(held)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        s = self.settings
        return f"Store({str(self.path)!r}, code={s.code!r}, rounds={s.rounds}, seed={s.seed})"

    def check_file(self) -> None:
        """The file is still the one opened, and still a database (else :class:`GameFileError`)."""
        try:
            inode = os.stat(self.path).st_ino
        except OSError:
            raise GameFileError(self.path, N_("the file is not there")) from None
        if inode != self._inode or self._held is None:
            raise GameFileError(self.path, N_("the file was replaced"))
        _check_header(self.path, self._held)

    def read(self, sql: str, args: Sequence[Any] = ()) -> list[tuple]:
        """The rows of one query (waits and tries again while another process writes)."""
        self.check_file()
        for attempt in range(_RETRIES):
            try:
                with self._lock:
                    return self._con.execute(sql, args).fetchall()
            except sqlite3.OperationalError as err:
                if not _locked(err) or attempt == _RETRIES - 1:
                    raise self._damaged(err) from err
                time.sleep(0.05 * (attempt + 1))
            except (sqlite3.IntegrityError, sqlite3.ProgrammingError, sqlite3.InterfaceError):
                raise  # the code's mistake, not the file's
            except sqlite3.DatabaseError as err:
                raise self._damaged(err) from err
        raise AssertionError("unreachable")

    def write(self, body: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``body(connection)`` in one write transaction, and commit it; its value once committed.

        An exception in ``body`` rolls everything back. While another process holds the lock,
        this waits and tries again. The file is checked just before the commit.
        """
        for attempt in range(_RETRIES):
            try:
                with self._lock:
                    self.check_file()
                    self._con.execute("BEGIN IMMEDIATE")
                    try:
                        out = body(self._con)
                        self.check_file()
                        self._con.execute("COMMIT")
                    except BaseException:
                        if self._con.in_transaction:  # (a COMMIT that failed leaves it open)
                            self._con.execute("ROLLBACK")
                        raise
                    return out
            except sqlite3.OperationalError as err:
                if not _locked(err) or attempt == _RETRIES - 1:
                    raise self._damaged(err) from err
                time.sleep(0.05 * (attempt + 1) + secrets.randbelow(50) / 1000)
            except (sqlite3.IntegrityError, sqlite3.ProgrammingError, sqlite3.InterfaceError):
                raise  # the code's mistake, not the file's
            except sqlite3.DatabaseError as err:
                raise self._damaged(err) from err
        raise AssertionError("unreachable")

    def _damaged(self, err: sqlite3.DatabaseError) -> GameFileError:
        if isinstance(err, sqlite3.OperationalError) and _locked(err):
            return GameFileError(self.path, N_("the file stayed locked by another program"))
        return GameFileError(self.path, N_("the file is damaged"))

    def meta(self, key: str, default: str = "") -> str:
        rows = self.read("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0][0] if rows else default


# One descriptor per game file, kept open while a store of this process uses the file, to read its
# header. Closing *any* descriptor of a file drops every POSIX lock the process holds on it,
# SQLite's too: then another process can take the file for itself, checkpoint and remove the
# WAL that this process still writes to, and the two see different games from then on.
_HELD: dict[tuple[int, int], list[int]] = {}  # (device, inode) -> [descriptor, stores using it]
_HELD_LOCK = threading.Lock()


def _hold(path: Path) -> tuple[int, int]:
    try:
        st = os.stat(path)
        with _HELD_LOCK:
            key = (st.st_dev, st.st_ino)
            entry = _HELD.get(key)
            if entry is None:
                entry = _HELD[key] = [os.open(path, os.O_RDONLY), 0]
            entry[1] += 1
            return key
    except OSError:
        raise GameFileError(path, N_("the file is not there")) from None


def _release(key: tuple[int, int]) -> None:
    """A store is done with the file; its descriptor closes with the last one (after their connections)."""
    with _HELD_LOCK:
        entry = _HELD.get(key)
        if entry is not None:
            entry[1] -= 1
            if entry[1] <= 0:
                del _HELD[key]
                os.close(entry[0])


def _check_header(path: Path, held: tuple[int, int]) -> None:
    with _HELD_LOCK:
        fd = _HELD[held][0]
        try:
            header = os.pread(fd, len(_HEADER), 0)
        except OSError:
            raise GameFileError(path, N_("the file is not there")) from None
    if header != _HEADER:
        raise GameFileError(path, N_("the file is damaged"))


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
        raise ValueError(
            _("game code: {code} is not a game code; type the letters and digits the instructor gave you").format(
                code=repr(code[:20])
            )
        )
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
