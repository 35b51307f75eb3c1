"""The command line: ``simlib run``, ``simlib sweep`` and ``simlib list`` (or ``python -m simlib``).

Every failure ends with one line on stderr, never a traceback:

- exit status 2 for bad input: a scenario, a value, a file, or work above the limits (the
  line names the field, the value and what is allowed);
- exit status 1 when the machine fails us: the output cannot be written (a full disk, a
  closed standard output, ``--help > /dev/full`` too), the memory runs out; when the reader
  of the output goes away (``simlib run | head``) it ends quietly, with no line at all;
- exit status 130 on Ctrl-C, with the line ``simlib: interrupted``, leaving no worker
  process behind; from the first instant, while numpy still loads (:mod:`simlib._startup`
  then ends the process with that line; :func:`main` takes over once it starts).

Every line printed escapes control characters, so a scenario name or a field cannot move
the cursor or rewrite the terminal. A sweep runs on at most as many processes as it has
runs, and at most :data:`WORKERS_PER_CORE` per core.

``SIMLIB_DEBUG=1`` shows the traceback of an unexpected error, for a bug report.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import errno
import io
import json
import math
import os
import signal
import sys
import threading
import time
import tomllib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from simlib import limits, tomlio
from simlib.i18n import N_, _, error, translator
from simlib.limits import LimitError
from simlib.model import simulate
from simlib.scenario import builtin_scenarios, load_scenario
from simlib.validation import shown

__all__ = ["main", "parse_setting"]

OK, FAILED, BAD_INPUT, INTERRUPTED = 0, 1, 2, 130
MAX_MESSAGE = 400  # characters: a message quoting a huge value is cut in the middle
WORKERS_PER_CORE = 2  # a sweep's processes, at most, per core of the machine


class _Usage(Exception):
    """A mistake in the command's words (an unknown option, a missing value)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise _Usage(_("{message} (see {prog} --help)").format(message=message, prog=self.prog))

    def _print_message(self, message: str, file: Any = None) -> None:
        """argparse's, without swallowing a failure to write (``--help > /dev/full``: exit 1, one line)."""
        if message:
            (_stdout() if file is None else file).write(message)


def parse_setting(text: str, option: str = "--set") -> tuple[str, Any]:
    """``first_line.agents=6`` -> ``("first_line.agents", 6)``; values are read as TOML.

    A value that is not TOML is taken as a bare word (a kind, a distribution).
    """
    name, sep, raw = text.partition("=")
    name, raw = name.strip(), raw.strip()
    if not sep or not name:
        example = "first_line.agents=[3, 4, 5]" if option == "--grid" else "first_line.agents=6"
        raise ValueError(
            _("{option}: {text} is not allowed; expected NAME=VALUE, e.g. {example}").format(
                option=option, text=repr(text), example=example
            )
        )
    where = f"{option} {name}"
    try:
        value = tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw  # a bare word, such as a kind or a distribution
    except RecursionError:
        raise ValueError(
            _("{where}: the value is nested too deeply; expected lists and tables at most {depth} levels deep").format(
                where=where, depth=tomlio.MAX_DEPTH
            )
        ) from None
    except ValueError:  # Python's limit on the digits of a whole number
        raise ValueError(
            _("{where}: a whole number of more than 4300 digits; expected a number of a sensible size").format(
                where=where
            )
        ) from None
    tomlio.check_data(value, where)
    return name, value


DESCRIPTION = N_("""\
simlib simulates an IT service desk, to learn what a service is and why its value
needs both utility (fit for purpose) and warranty (fit for use). Run a scenario,
change its capabilities, and read what its customers got.""")

EXAMPLES = N_("""\
examples:
  python -m simlib list
  python -m simlib run
  python -m simlib run service-desk --set first_line.agents=6 --seed 2
  python -m simlib run my-desk.toml --json
  python -m simlib sweep --grid 'first_line.agents=[4, 5, 6]' --runs 10 --workers 2

A run above the limits on its work is refused; --limit raises them (see the README).
The notebooks teach the rest: run `make lab` in the kit's folder.""")


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """argparse's own words ("usage:") in the learner's language too."""

    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, _("usage: ") if prefix is None else prefix)


def _localise(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """argparse's section titles and its -h, in the learner's language."""
    parser._positionals.title = _("positional arguments")
    parser._optionals.title = _("options")
    parser.add_argument("-h", "--help", action="help", help=_("show this help message and exit"))
    return parser


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m simlib",
        description=_(DESCRIPTION),
        epilog=_(EXAMPLES),
        formatter_class=_Formatter,
        add_help=False,
    )
    _localise(parser)
    sub = parser.add_subparsers(
        dest="command", required=True, title=_("commands"), metavar="{run,sweep,fit,list}", parser_class=_Parser
    )

    def command(name: str, help: str) -> argparse.ArgumentParser:
        return _localise(sub.add_parser(name, help=help, formatter_class=_Formatter, add_help=False))

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "scenario",
            nargs="?",
            default="service-desk",
            help=_("a built-in scenario name or a .toml file (default: service-desk)"),
        )
        p.add_argument(
            "--set",
            dest="settings",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help=_("change a field by its dotted name, e.g. --set first_line.agents=6"),
        )
        p.add_argument("--seed", type=int, default=1, help=_("random seed (default: 1)"))
        p.add_argument(
            "--limit",
            dest="limits",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help=_("raise a limit on the work, e.g. --limit max_requests=1e8 ({names})").format(
                names=", ".join(limits.DEFAULTS)
            ),
        )
        p.add_argument("--no-limits", action="store_true", help=_("lift every limit on the work (see README: Limits)"))

    run = command("run", _("simulate a scenario and print its report"))
    common(run)
    run.add_argument("--json", action="store_true", help=_("print the measures as JSON"))

    sweep = command("sweep", _("run a grid of scenarios, each several times; a CSV table"))
    common(sweep)
    sweep.add_argument(
        "--grid",
        dest="grid",
        action="append",
        default=[],
        metavar="NAME=[V1, V2, ...]",
        help=_("a field and the values to try, e.g. --grid 'first_line.agents=[3, 4, 5]' (repeat for more axes)"),
    )
    sweep.add_argument("--runs", type=int, default=5, help=_("runs at each point (default: 5)"))
    sweep.add_argument("--workers", type=int, default=1, help=_("processes to run on (default: 1, this one)"))
    sweep.add_argument("--measures", default=None, help=_("the measures to report, e.g. value,utility (default: all)"))
    sweep.add_argument("--out", default=None, metavar="FILE", help=_("write the CSV table to FILE (default: stdout)"))
    sweep.add_argument("--progress", action="store_true", help=_("always show a progress bar on stderr"))

    fit = command("fit", _("fit a scenario to a ticket-system export; a report of what came from the data"))
    fit.add_argument("log", metavar="LOG", help=_("the export: CSV, or CSV in gzip"))
    fit.add_argument("-o", "--out", default=None, metavar="FILE", help=_("write the fitted scenario to FILE (.toml)"))
    fit.add_argument(
        "--format",
        default=None,
        choices=["servicenow", "jira", "glpi", "otrs", "csv"],
        help=_("the export's format (default: detected from its header)"),
    )
    fit.add_argument(
        "--columns",
        default=None,
        metavar="ROLE=COLUMN,...",
        help=_("which column is which, e.g. opened=Created,type=Category (roles: {roles})").format(
            roles=", ".join(
                ("ticket", "opened", "type", "priority", "escalated", "group", "worked", "target", "activity")
            )
        ),
    )
    order = fit.add_mutually_exclusive_group()
    order.add_argument("--dayfirst", dest="dayfirst", action="store_true", default=None, help=_("dates are day-first"))
    order.add_argument("--monthfirst", dest="dayfirst", action="store_false", help=_("dates are month-first"))
    fit.add_argument("--timezone", default=None, help=_("the desk's time zone, e.g. Europe/Amsterdam"))
    fit.add_argument(
        "--escalation-activity", default=None, help=_("in an event log: the activity that means escalated")
    )
    fit.add_argument("--picture", default=None, metavar="FILE", help=_("draw the fit to FILE (.png)"))

    command("list", _("name the built-in scenarios"))
    return parser


@contextlib.contextmanager
def _limits(args: argparse.Namespace) -> Iterator[None]:
    if args.no_limits:
        changes = dict.fromkeys(limits.DEFAULTS, math.inf)
    else:
        changes = {}
        for text in args.limits:
            name, value = parse_setting(text, "--limit")
            if name not in limits.DEFAULTS:
                raise ValueError(
                    _("--limit: {name} is not a limit; expected some of {names}").format(
                        name=repr(name), names=", ".join(limits.DEFAULTS)
                    )
                )
            changes[name] = limits.number(f"--limit {name}", value)
    with limits.raised(**changes):
        yield


def _scenario(args: argparse.Namespace) -> Any:
    if args.seed < 0:
        raise ValueError(_("--seed: {seed} is out of range; expected a whole number >= 0").format(seed=args.seed))
    sc = load_scenario(args.scenario)
    if args.settings:
        sc = sc.replace(**_settings(args.settings, "--set"))
    return sc


def _stdout() -> Any:
    """The standard output, or an OSError when it is closed (``simlib run >&-``)."""
    if sys.stdout is None:
        raise OSError(errno.EBADF, _("the standard output is closed; expected somewhere to write"))
    return sys.stdout


def _printable(text: str) -> str:
    """``text`` with control characters (but new lines) escaped: a name cannot drive the terminal."""
    return "".join(c if c.isprintable() or c == "\n" else repr(c)[1:-1] for c in text)


def _settings(texts: Sequence[str], option: str) -> dict[str, Any]:
    """``--set`` or ``--grid`` settings as a dict; a field given twice is refused, not silently replaced."""
    out: dict[str, Any] = {}
    for text in texts:
        name, value = parse_setting(text, option)
        if name in out:
            raise ValueError(
                _("{option} {name}: given twice; expected each field once (put all its values in one {option})").format(
                    option=option, name=name
                )
            )
        out[name] = value
    return out


def _run(args: argparse.Namespace) -> int:
    with _limits(args):
        sc = _scenario(args)
        t0 = time.perf_counter()
        res = simulate(sc, seed=args.seed)
        seconds = time.perf_counter() - t0
    out = _stdout()
    if args.json:
        measures = {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in res.measures.items()}
        data = {"scenario": sc.name, "seed": args.seed, "outcomes": dict(res.outcomes), "measures": measures}
        print(json.dumps(data, indent=2), file=out)
    else:
        print(_printable(res.report()), file=out)
        print("\n  " + _("simulated in {seconds} s").format(seconds=translator().number(seconds, 2)), file=out)
    return OK


def _sweep(args: argparse.Namespace) -> int:
    from simlib.runner import process_pool
    from simlib.sweeps import sweep, to_csv

    if not args.grid:
        raise ValueError(_("--grid: missing; expected at least one, e.g. --grid 'first_line.agents=[3, 4, 5]'"))
    grid = _settings(args.grid, "--grid")
    for name, values in grid.items():
        if not isinstance(values, list):
            raise ValueError(
                _("--grid {name}: {values} is not allowed; expected a list of values, e.g. [3, 4, 5]").format(
                    name=name, values=shown(values)
                )
            )
    if not 1 <= args.workers <= 1024:
        raise ValueError(
            _("--workers: {workers} is out of range; expected a whole number from 1 to 1024").format(
                workers=args.workers
            )
        )
    out = None if args.out is not None else _stdout()
    # no more processes than runs, nor than a sane multiple of the cores
    runs = math.prod(len(v) for v in grid.values()) * max(args.runs, 1)
    workers = min(args.workers, runs, WORKERS_PER_CORE * (os.cpu_count() or 1))
    measures = [m.strip() for m in args.measures.split(",")] if args.measures is not None else None
    with _limits(args):
        sc = _scenario(args)
        progress = True if args.progress else None
        if workers <= 1:
            table = sweep(sc, grid, args.runs, args.seed, measures=measures, progress=progress)
        else:
            with process_pool(workers) as pool:  # Ctrl-C in the block kills its workers
                table = sweep(sc, grid, args.runs, args.seed, pool, measures=measures, progress=progress)
    if args.out is not None:
        to_csv(table, args.out)
        return OK
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.dtype.names)
    for row in table.tolist():
        writer.writerow(["" if isinstance(v, float) and math.isnan(v) else v for v in row])
    out.write(buffer.getvalue())
    return OK


def _fit(args: argparse.Namespace) -> int:
    from simlib import fit

    columns = None
    if args.columns:
        pairs = [p.partition("=") for p in args.columns.split(",")]
        if any(not role.strip() or not sep or not col.strip() for role, sep, col in pairs):
            raise ValueError(
                _(
                    "--columns: {text} is not allowed; expected ROLE=COLUMN pairs, e.g. opened=Created,type=Category"
                ).format(text=repr(args.columns))
            )
        columns = {role.strip(): col.strip() for role, _sep, col in pairs}
    desk = fit.from_log(
        args.log,
        args.format,
        columns,
        dayfirst=args.dayfirst,
        timezone=args.timezone,
        escalation_activity=args.escalation_activity,
    )
    print(desk.report.text())
    print("\n" + _("the fitted desk, simulated, against the log:"))
    for name, c in desk.validate().items():
        line = (
            _("off by {difference} (allowed {tolerance}): ok")
            if c["ok"]
            else _("off by {difference} (allowed {tolerance}): OFF")
        )
        print(f"  {name:<17} " + line.format(difference=f"{c['difference']:.3f}", tolerance=f"{c['tolerance']:.2f}"))
    if args.picture:
        import matplotlib

        matplotlib.use("Agg")
        from simlib.plots import fit_pictures

        fit_pictures(desk).savefig(args.picture, dpi=120, bbox_inches="tight")
    if args.out:
        Path(args.out).write_text(desk.scenario.to_toml(), encoding="utf-8")
        print(_("wrote {file}").format(file=args.out))
    return OK


def _list(args: argparse.Namespace) -> int:
    out = _stdout()
    for name in builtin_scenarios():
        print(_printable(f"{name:14s} {_(load_scenario(name).description)}"), file=out)
    return OK


def _say(message: str) -> None:
    """One line on stderr (cut in the middle if very long); silent if stderr is gone too."""
    # control characters (a field name may hold a carriage return) are shown escaped: one line
    line = "".join(c if c.isprintable() else repr(c)[1:-1] for c in error(message).replace("\n", " "))
    if len(line) > MAX_MESSAGE:
        line = f"{line[: MAX_MESSAGE // 2]} ... {line[-MAX_MESSAGE // 4 :]}"
    with contextlib.suppress(Exception):
        sys.stderr.write(f"simlib: {line}\n")
        sys.stderr.flush()


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that Python's last flush at exit has nowhere to fail."""
    with contextlib.suppress(Exception):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _early(handler: Any) -> bool:
    """Whether ``handler`` is the one ``simlib/__init__.py`` sets while the command line loads."""
    return getattr(handler, "__name__", "") == "_interrupted_while_loading"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; the exit status (0, 1 for the machine's failure, 2 for bad input, 130)."""
    if threading.current_thread() is threading.main_thread() and _early(signal.getsignal(signal.SIGINT)):
        signal.signal(signal.SIGINT, signal.default_int_handler)  # from here on, Ctrl-C is KeyboardInterrupt
    try:
        try:
            args = _parser().parse_args(argv)
        except SystemExit as exc:  # --help (its output failing is an OSError, below)
            _stdout().flush()
            return exc.code if isinstance(exc.code, int) else OK
        code = {"run": _run, "sweep": _sweep, "fit": _fit, "list": _list}[args.command](args)
        if sys.stdout is not None:
            sys.stdout.flush()
        return code
    except KeyboardInterrupt:
        _say(_("interrupted"))
        return INTERRUPTED
    except BrokenPipeError:  # the reader went away (simlib run | head): nothing to say, to nobody
        _silence_stdout()
        return FAILED
    except _Usage as exc:
        _say(exc)
        return BAD_INPUT
    except LimitError as exc:
        _say(exc.message(_("raise it with --limit {name}=N").format(name=exc.name)))
        return BAD_INPUT
    except RecursionError:
        _say(_("the input is nested too deeply; expected tables and lists a few levels deep"))
        return BAD_INPUT
    except (ValueError, OverflowError) as exc:
        _say(exc)
        return BAD_INPUT
    except MemoryError:
        _say(_("out of memory; ask for less work (see README: Limits)"))
        return FAILED
    except OSError as exc:  # the output cannot be written: a full disk, a device error
        _silence_stdout()
        _say(_("system error: {error}").format(error=exc.strerror or exc))
        return FAILED
    except Exception as exc:  # a bug: still one line, and the way to see more
        if os.environ.get("SIMLIB_DEBUG"):
            raise
        _say(
            _("unexpected error, {kind}: {error} (SIMLIB_DEBUG=1 shows the traceback)").format(
                kind=type(exc).__name__, error=exc
            )
        )
        return FAILED
