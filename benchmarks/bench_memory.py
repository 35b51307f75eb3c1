"""Memory: the peak of a long run that keeps only its measures.

A run of a million requests with ``keep_requests=False`` must fit in little memory (target:
a peak under 300 MB, the whole Python process included). Each size runs in a fresh
subprocess, which reports its peak resident set size (``ru_maxrss``); the peak of a process
that only imports simlib is reported beside it, as the floor.
"""

from __future__ import annotations

import json
import subprocess
import sys

SCRIPT = """
import json, resource, sys, time
import simlib
n, keep = int(sys.argv[1]), sys.argv[2] == "1"
t0 = time.perf_counter()
if n:
    sc = simlib.load_scenario("pure-queue")
    sc = sc.replace(horizon=sc.warmup + n / sc.arrival_rate)
    res = simlib.simulate(sc, seed=1, keep_requests=keep)
    n = int(res.measures["requests"] + res.measures["open"])
secs = time.perf_counter() - t0
print(json.dumps({"requests": n, "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "secs": secs}))
"""


def peak(requests: int, keep: bool = False) -> dict:
    """Run ``requests`` requests (about) of pure-queue in a subprocess: its peak memory (MB)."""
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(requests), "1" if keep else "0"],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def run(quick: bool = False) -> list[dict]:
    n = 100_000 if quick else 1_000_000
    base = peak(0)
    long = peak(n)
    row = {"benchmark": "memory", "unit": "MB"}
    rows = [
        {**row, "measure": "python + simlib imported", "value": base["peak"], "target": "", "ok": None},
        {
            **row,
            "measure": f"peak, {long['requests']:,} requests, keep_requests=False",
            "value": long["peak"],
            "target": "< 300 MB" if not quick else "",
            "ok": long["peak"] < 300 if not quick else None,
        },
        {
            **row,
            "measure": f"run time, {long['requests']:,} requests",
            "value": long["secs"],
            "unit": "s",
            "target": "",
            "ok": None,
        },
    ]
    return rows
