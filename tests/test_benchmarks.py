"""The benchmarks run (a quick smoke run; no timing is asserted here) and report failures."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

from benchmarks.__main__ import COLUMNS, discover, run_module, table

ROOT = Path(__file__).resolve().parents[1]


def test_quick_benchmarks_run_and_print_one_table() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].split() == list(COLUMNS)
    for measure in ("pure queue simlib / simpy", "service desk / simpy", "one week, one run", "keep_requests=False"):
        assert any(measure in line for line in lines), measure
    assert "ERROR" not in out.stdout


def test_discover_finds_the_speed_and_memory_benchmarks() -> None:
    assert {"bench_speed", "bench_memory"} <= set(discover())


def test_a_failing_benchmark_becomes_an_error_row() -> None:
    rows, ok = run_module("bench_that_does_not_exist", quick=True)
    assert not ok
    assert rows[0]["ok"] is False and rows[0]["measure"].startswith("ERROR ModuleNotFoundError")
    text = table(rows + [{"benchmark": "b", "measure": "m", "value": 1234.5, "unit": "x", "target": "", "ok": None}])
    assert "ERROR" in text and "1,234" in text and math.isnan(rows[0]["value"])
