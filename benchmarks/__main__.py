"""``python -m benchmarks [--quick] [--only NAME] [--strict]``: run every benchmark, print one table.

Each ``benchmarks/bench_<topic>.py`` module's ``run(quick=...)`` gives rows; the table has
one line per row: the benchmark, what is measured, its value and unit, the target and
whether it is met (``yes``, ``NO``, or blank when there is no target). A module that fails
shows its error as a row and makes the exit status 1; ``--strict`` also makes a missed
target exit with status 1.
"""

from __future__ import annotations

import argparse
import importlib
import math
import pkgutil
import sys
import time
import traceback
from pathlib import Path

COLUMNS = ("benchmark", "measure", "value", "unit", "target", "ok")


def discover() -> list[str]:
    """The benchmark modules, ``bench_*.py`` in this package, by name."""
    here = Path(__file__).parent
    return sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))


def run_module(name: str, quick: bool) -> tuple[list[dict], bool]:
    """The rows of one benchmark module, and whether it ran without error."""
    t0 = time.perf_counter()
    try:
        module = importlib.import_module(f"benchmarks.{name}")
        rows = [dict(row) for row in module.run(quick=quick)]
        for row in rows:
            missing = [c for c in COLUMNS if c not in row]
            if missing:
                raise ValueError(f"row {row!r} has no {', '.join(missing)}")
        return rows, True
    except Exception as exc:  # a failing benchmark is reported, and the others still run
        where = traceback.extract_tb(exc.__traceback__)[-1]
        error = f"{type(exc).__name__}: {exc} ({Path(where.filename).name}:{where.lineno})"
        topic = name.removeprefix("bench_")
        row = {"benchmark": topic, "measure": f"ERROR {error}", "value": math.nan, "unit": "", "target": ""}
        row["ok"] = False
        row["secs"] = time.perf_counter() - t0
        return [row], False


def _value(v: object) -> str:
    if isinstance(v, float):
        if math.isnan(v):
            return "-"
        return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.3g}"
    return str(v)


def _ok(v: object) -> str:
    return "" if v is None else ("yes" if v else "NO")


def table(rows: list[dict]) -> str:
    """The rows as a fixed-width text table."""
    cells = [
        [str(r["benchmark"]), str(r["measure"]), _value(r["value"]), str(r["unit"]), str(r["target"]), _ok(r["ok"])]
        for r in rows
    ]
    widths = [max(len(c) for c in col) for col in zip(COLUMNS, *cells)]
    align = ["<", "<", ">", "<", "<", "<"]
    lines = ["  ".join(f"{h:{a}{w}}" for h, a, w in zip(COLUMNS, align, widths))]
    lines.append("  ".join("-" * w for w in widths))
    for c in cells:
        lines.append("  ".join(f"{x:{a}{w}}" for x, a, w in zip(c, align, widths)).rstrip())
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a fast smoke run: small sizes, targets not judged")
    parser.add_argument("--only", metavar="NAME", help="run only the benchmarks whose name contains NAME")
    parser.add_argument("--strict", action="store_true", help="exit with status 1 if a target is missed")
    args = parser.parse_args(argv)

    names = [n for n in discover() if args.only is None or args.only in n]
    if not names:
        print(f"no benchmark matches {args.only!r}; there are: {', '.join(discover())}", file=sys.stderr)
        return 2
    rows: list[dict] = []
    failed = []
    t0 = time.perf_counter()
    for name in names:
        print(f"running {name} ...", file=sys.stderr, flush=True)
        got, ok = run_module(name, args.quick)
        rows += got
        if not ok:
            failed.append(name)
    print(table(rows))
    missed = [r for r in rows if r["ok"] is False and not str(r["measure"]).startswith("ERROR")]
    print(
        f"\n{len(names)} benchmark modules, {len(rows)} rows in {time.perf_counter() - t0:.1f} s"
        + (" (quick: smoke run, targets not judged)" if args.quick else "")
        + (f"; {len(missed)} target(s) missed" if missed else "")
        + (f"; FAILED: {', '.join(failed)}" if failed else "")
    )
    if failed or (args.strict and missed):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
