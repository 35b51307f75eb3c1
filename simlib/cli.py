"""The command line: ``python -m simlib run`` and ``python -m simlib list``.

A bad scenario or value ends with exit status 2 and one line that names the field, the
value and what is allowed; never a traceback.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
import tomllib
from collections.abc import Sequence
from typing import Any

from simlib.i18n import N_, _, error, translator
from simlib.model import simulate
from simlib.scenario import builtin_scenarios, load_scenario

__all__ = ["main", "parse_setting"]


def parse_setting(text: str) -> tuple[str, Any]:
    """``first_line.agents=6`` -> ``("first_line.agents", 6)``; values are read as TOML."""
    name, sep, raw = text.partition("=")
    name, raw = name.strip(), raw.strip()
    if not sep or not name:
        raise ValueError(
            _("--set: {text} is not allowed; expected NAME=VALUE, e.g. first_line.agents=6").format(text=repr(text))
        )
    try:
        value = tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw  # a bare word, such as a kind or a distribution
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
    parser = argparse.ArgumentParser(
        prog="python -m simlib",
        description=_(DESCRIPTION),
        epilog=_(EXAMPLES),
        formatter_class=_Formatter,
        add_help=False,
    )
    _localise(parser)
    sub = parser.add_subparsers(dest="command", required=True, title=_("commands"), metavar="{run,list}")
    run = sub.add_parser(
        "run", help=_("simulate a scenario and print its report"), formatter_class=_Formatter, add_help=False
    )
    _localise(run)
    run.add_argument(
        "scenario",
        nargs="?",
        default="service-desk",
        help=_("a built-in scenario name or a .toml file (default: service-desk)"),
    )
    run.add_argument(
        "--set",
        dest="settings",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help=_("change a field by its dotted name, e.g. --set first_line.agents=6"),
    )
    run.add_argument("--seed", type=int, default=1, help=_("random seed (default: 1)"))
    run.add_argument("--json", action="store_true", help=_("print the measures as JSON"))
    _localise(sub.add_parser("list", help=_("name the built-in scenarios"), formatter_class=_Formatter, add_help=False))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "list":
            for name in builtin_scenarios():
                print(f"{name:14s} {_(load_scenario(name).description)}")
            return 0
        if args.seed < 0:
            raise ValueError(_("--seed: {seed} is out of range; expected a whole number >= 0").format(seed=args.seed))
        sc = load_scenario(args.scenario)
        if args.settings:
            sc = sc.replace(**dict(parse_setting(s) for s in args.settings))
        t0 = time.perf_counter()
        res = simulate(sc, seed=args.seed)
        seconds = time.perf_counter() - t0
    except ValueError as exc:
        print(f"simlib: {error(exc)}", file=sys.stderr)
        return 2
    if args.json:
        measures = {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in res.measures.items()}
        print(
            json.dumps(
                {"scenario": sc.name, "seed": args.seed, "outcomes": dict(res.outcomes), "measures": measures}, indent=2
            )
        )
    else:
        print(res.report())
        print("\n  " + _("simulated in {seconds} s").format(seconds=translator().number(seconds, 2)))
    return 0
