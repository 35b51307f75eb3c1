"""Scenario files: reading TOML (the standard library's ``tomllib``) and writing it (``tomli-w``).

Everything that can go wrong between a file name and a table of plain data becomes one
:class:`ValueError` that names the file, in the learner's language (:mod:`simlib.i18n`): a
missing file, a directory, a device, a file that cannot be read (``/proc/self/mem``), a name
too long for the system, bytes that are not UTF-8, text that is not TOML, tables nested too
deeply, and numbers too long to be numbers.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import tomli_w

from simlib.i18n import N_, _

__all__ = ["MAX_BYTES", "MAX_DEPTH", "dumps", "loads", "read_file", "shown"]

MAX_BYTES = 1_000_000  # a scenario is a few kilobytes; a larger file is not one
MAX_DEPTH = 16  # scenario, customers, group, mix: four levels; leave room, refuse the absurd
MAX_INT = 2**63 - 1  # whole numbers beyond this are no count of anything


def shown(path: str, width: int = 100) -> str:
    """A file name for a one-line message: shortened in the middle when very long."""
    text = repr(path)
    if len(text) <= width:
        return text
    return f"{text[: width // 2]}...{text[-width // 4 :]} ({len(path)} characters)"


def read_file(source: str | os.PathLike[str], where: str = "scenario") -> str:
    """The text of a small UTF-8 file, or a ValueError naming the file and what is wrong."""
    try:
        path = os.fspath(source)
    except TypeError:
        raise ValueError(
            _("{where}: {type} is not allowed; expected a file name (text or a pathlib.Path)").format(
                where=where, type=type(source).__name__
            )
        ) from None
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    name = shown(path)
    if not path or "\0" in path:
        raise ValueError(
            _("{where}: {name} is not a file name; expected the path of a TOML file").format(where=where, name=name)
        )
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise ValueError(
            _("{where}: cannot open {name}: {reason}").format(where=where, name=name, reason=_reason(exc))
        ) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise ValueError(
                _("{where}: {name} is a folder; expected the path of a TOML file").format(where=where, name=name)
            )
        if not stat.S_ISREG(info.st_mode):
            raise ValueError(
                _("{where}: {name} is not a regular file; expected the path of a TOML file").format(
                    where=where, name=name
                )
            )
        chunks, size = [], 0
        while size <= MAX_BYTES:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise ValueError(
            _("{where}: cannot read {name}: {reason}").format(where=where, name=name, reason=_reason(exc))
        ) from None
    finally:
        os.close(fd)
    if size > MAX_BYTES:
        raise ValueError(
            _("{where}: {name} is larger than {size} bytes; expected a scenario file").format(
                where=where, name=name, size=f"{MAX_BYTES:,}"
            )
        )
    data = b"".join(chunks)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ValueError(
            _(
                "{where}: {name} is not UTF-8 text (byte {byte} on line {line}); expected a TOML file saved as UTF-8"
            ).format(where=where, name=name, byte=repr(data[exc.start : exc.start + 1]), line=line)
        ) from None


def _reason(exc: OSError) -> str:
    reasons = {
        errno.ENOENT: N_("no such file"),
        errno.ENOTDIR: N_("a part of the path is not a folder"),
        errno.EACCES: N_("permission denied"),
        errno.EPERM: N_("permission denied"),
        errno.ENAMETOOLONG: N_("the name is too long for the system"),
        errno.ELOOP: N_("too many symbolic links"),
        errno.EISDIR: N_("it is a folder"),
    }
    reason = reasons.get(exc.errno)
    return _(reason) if reason else (exc.strerror or type(exc).__name__).rstrip(".")


def loads(text: str, where: str) -> dict[str, Any]:
    """Parse TOML ``text``; every failure is a ValueError that starts with ``where``."""
    if not isinstance(text, str):
        raise ValueError(f"{where}: {type(text).__name__} is not allowed; expected TOML text")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{where} is not valid TOML ({exc})") from None
    except RecursionError:
        raise ValueError(
            f"{where} is nested too deeply; expected tables and lists at most {MAX_DEPTH} levels deep"
        ) from None
    except ValueError as exc:  # Python's limit on the digits of a whole number
        if "digits" not in str(exc):
            raise ValueError(f"{where} is not valid TOML ({exc})") from None
        raise ValueError(
            f"{where} has a whole number of more than 4300 digits; expected numbers of a sensible size"
        ) from None
    check_data(data, where)
    return data


def check_data(data: Any, where: str) -> None:
    """Refuse plain data nested more than :data:`MAX_DEPTH` deep or holding enormous whole numbers."""
    stack: list[tuple[Any, str, int]] = [(data, "", 0)]
    while stack:
        node, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            at = f" (at {path[:60]}...)" if len(path) > 60 else f" (at {path})" if path else ""
            raise ValueError(
                f"{where}: the value is nested too deeply{at}; "
                f"expected tables and lists at most {MAX_DEPTH} levels deep"
            )
        if isinstance(node, Mapping):
            stack.extend((v, f"{path}.{k}" if path else str(k), depth + 1) for k, v in node.items())
        elif isinstance(node, (list, tuple)):
            stack.extend((v, f"{path}[{i}]", depth + 1) for i, v in enumerate(node))
        elif isinstance(node, int) and not isinstance(node, bool) and abs(node) > MAX_INT:
            field = f"{path}: " if path else ""
            raise ValueError(
                f"{where}: {field}a whole number of {len(str(abs(node)))} digits is too large; "
                "expected a number of at most 9.2e18"
            )


_ONE_LINE = re.compile(r"\[\n((?:    (?:[-+0-9.a-z]+|\"[^\"\\\n]*\"),\n)+)\]")


def dumps(data: Mapping[str, Any]) -> str:
    """Plain data as TOML text (by ``tomli-w``), short lists of numbers and names on one line."""
    text = tomli_w.dumps(_plain(data))
    return _ONE_LINE.sub(lambda m: "[" + ", ".join(s.strip().rstrip(",") for s in m.group(1).splitlines()) + "]", text)


def _plain(value: Any) -> Any:
    """Read-only mappings and tuples as dicts and lists, numpy numbers as Python's."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # a numpy scalar
        return value.item()
    if isinstance(value, Path):
        return str(value)
    return value
