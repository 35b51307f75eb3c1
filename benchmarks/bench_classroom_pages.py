"""Thirty students open the team page at the same moment (issue 24's "Done when").

``make classroom`` (``python -m simlib.classroom serve``) runs on 127.0.0.1; thirty Chromium
contexts open the ``teams:`` address it printed, all at once, and each is timed from the start
of its navigation until the team-name field is visible. In the same run, thirty contexts open a
static HTML page with the same field, served by Python's ``http.server``: the browser's own
cost of thirty pages on this machine. Meanwhile the server's process tree (the server and
every child: Voila's kernels, workers) is sampled every 50 ms for its resident memory.

Targets: the slowest team page takes at most 2 times the slowest static page, and the server
with its children peaks under 1 GB. The same measurement is the browser test
``tests/test_classroom_browser.py::test_thirty_teams_open_the_page_at_once``.

Needs Chromium, as the browser tests do (see ``tests/browser.py``); without it the rows say so.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from types import ModuleType
from typing import Any

TEAMS = 30
RATIO = 2.0
PEAK_BYTES = 1 << 30
HERE = Path(__file__).resolve().parent
FIELD = "#team-name"


def browser_module() -> ModuleType:
    """The browser-test plumbing, ``tests/browser.py``."""
    from benchmarks.bench_browser import _browser

    return _browser()


def classroom_server(base: Path, *, lang: str = "", rounds: int = 2, game: str = "", port: int = 0) -> Any:
    """``make classroom``'s command on 127.0.0.1, its games in ``base / "games"``, as a browser.Server.

    The server counts as up once it serves the team page's script; ``server.printed()`` then
    gives what it printed: the ``teams:`` address, the game code and the instructor code.
    """
    browser = browser_module()
    port = port or browser.free_port()
    command = browser.make_command(
        "classroom",
        {"HOST": "127.0.0.1", "CLASS_PORT": str(port), "GAMES": str(base / "games"), "GAME": game,
         "ROUNDS": str(rounds)},
    )  # fmt: skip
    env = browser.jupyter_home(base)
    if lang:
        env["LANGUAGE"] = lang
    server = browser.Server(
        command, url=f"http://127.0.0.1:{port}/team/static/team.js", page=f"http://127.0.0.1:{port}",
        cwd=browser.REPO, env=env, log=base / f"classroom-{port}-{time.monotonic_ns()}.log",
    )  # fmt: skip
    server.port = port
    return server


def printed(server: Any) -> dict[str, str]:
    """The addresses and codes the server printed when it started."""
    text = server.log_path.read_text(errors="replace")
    found = {
        "teams": re.search(r"teams:\s+(\S+)", text),
        "instructor": re.search(r"instructor:\s+(\S+)", text),
        "code": re.search(r"game code:\s+(\S+)", text),
        "instructor_code": re.search(r"instructor code:\s+(\S+)", text),
    }
    missing = [k for k, m in found.items() if m is None]
    if missing:
        raise AssertionError(f"the server did not print {missing}:\n{text[-3000:]}")
    return {k: m.group(1) for k, m in found.items()}


class PeakMemory(threading.Thread):
    """The peak resident memory of a process and all its descendants, sampled every 50 ms."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.processes = pid, 0, 0
        self._done = threading.Event()

    def run(self) -> None:
        import psutil

        root = psutil.Process(self.pid)
        while not self._done.is_set():
            total, count = 0, 0
            with contextlib.suppress(psutil.Error):
                for p in [root, *root.children(recursive=True)]:
                    with contextlib.suppress(psutil.Error):
                        total += p.memory_info().rss
                        count += 1
            if total > self.peak:
                self.peak, self.processes = total, count
            self._done.wait(0.05)

    def __enter__(self) -> PeakMemory:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self.join()


def static_copy(team_url: str, folder: Path) -> Path:
    """The team page as served, without its script: a static page with the same field and style."""
    page = urllib.request.urlopen(team_url, timeout=30).read().decode()
    page = re.sub(r"<script\b.*?</script>", "", page, flags=re.S)
    assert 'id="team-name"' in page
    (folder / "team" / "static").mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(page, encoding="utf-8")
    css = Path(__file__).resolve().parents[1] / "simlib" / "classroom" / "static" / "team.css"
    shutil.copyfile(css, folder / "team" / "static" / "team.css")
    return folder


def open_at_once(executable: str, urls: dict[str, str], n: int = TEAMS, timeout: float = 300.0) -> dict[str, list]:
    """For each named address, ``n`` Chromium contexts open it at the same moment: seconds until the field shows.

    A page whose field never shows counts as ``inf``. Runs in its own thread (Playwright's
    async API needs an event loop of its own, beside a test's synchronous Playwright).
    """
    from playwright.async_api import async_playwright

    browser = browser_module()

    async def one(context: Any, url: str) -> float:
        page = await context.new_page()
        t0 = time.perf_counter()
        try:
            await page.goto(url, wait_until="commit", timeout=timeout * 1000)
            await page.locator(FIELD).wait_for(state="visible", timeout=timeout * 1000)
        except Exception:  # noqa: BLE001 - a page that never shows its field is counted, not raised
            return math.inf
        return time.perf_counter() - t0

    async def main() -> dict[str, list]:
        out: dict[str, list] = {}
        async with async_playwright() as p:
            chrome = await p.chromium.launch(executable_path=executable, headless=True, args=browser.CHROMIUM_ARGS)
            try:
                for name, url in urls.items():
                    contexts = [await chrome.new_context(viewport={"width": 375, "height": 700}) for _ in range(n)]
                    out[name] = list(await asyncio.gather(*(one(c, url) for c in contexts)))
                    for c in contexts:
                        await c.close()
            finally:
                await chrome.close()
        return out

    result: dict[str, Any] = {}

    def target() -> None:
        try:
            result["times"] = asyncio.run(main())
        except BaseException as err:  # noqa: BLE001 - raised again in the caller's thread
            result["error"] = err

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]
    return result["times"]


def measure(executable: str, base: Path, n: int = TEAMS) -> dict[str, Any]:
    """Static pages, then team pages, in one run; the slowest of each and the server's peak memory."""
    browser = browser_module()
    server = classroom_server(base)
    static_port = browser.free_port()
    with server:
        team_url = printed(server)["teams"]
        folder = static_copy(team_url, base / "static")
        static = subprocess.Popen(
            [sys.executable, "-m", "http.server", str(static_port), "--bind", "127.0.0.1", "--directory", str(folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            static_url = f"http://127.0.0.1:{static_port}/index.html"
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                with contextlib.suppress(OSError):
                    urllib.request.urlopen(static_url, timeout=5).read()
                    break
                time.sleep(0.1)
            with PeakMemory(server.process.pid) as memory:
                times = open_at_once(executable, {"static": static_url, "team": team_url}, n)
        finally:
            static.terminate()
            static.wait(10)
    return {
        "static": times["static"], "team": times["team"], "slowest_static": max(times["static"]),
        "slowest_team": max(times["team"]), "peak_bytes": memory.peak, "processes": memory.processes,
        "shown": sum(math.isfinite(t) for t in times["team"]),
    }  # fmt: skip


def _row(measure: str, value: float, unit: str, target: str = "", ok: bool | None = None) -> dict:
    return {"benchmark": "classroom_pages", "measure": measure, "value": value, "unit": unit, "target": target,
            "ok": ok}  # fmt: skip


def run(quick: bool = False) -> list[dict]:
    browser = browser_module()
    executable = browser.chromium_path()
    if executable is None:
        return [_row(f"skipped: no Chromium at {browser.DEFAULT_CHROMIUM} (apt-get install chromium)", math.nan, "")]
    n = 10 if quick else TEAMS
    m = measure(executable, browser.scratch("simlib-bench-classroom-pages-"), n)
    ratio = m["slowest_team"] / m["slowest_static"]
    return [
        _row(f"{n} team pages at once: pages showing the name field", m["shown"], "pages", f"= {n}", m["shown"] == n),
        _row(f"{n} static pages at once (http.server): slowest", m["slowest_static"], "s"),
        _row(f"{n} team pages at once: slowest", m["slowest_team"], "s"),
        _row("slowest team page / slowest static page", ratio, "x", f"<= {RATIO:g}", ratio <= RATIO),
        _row("server and children: peak resident memory", m["peak_bytes"] / 2**20, "MiB", "< 1024",
             m["peak_bytes"] < PEAK_BYTES),
    ]  # fmt: skip


def describe(m: dict[str, Any]) -> str:
    return (
        f"slowest static {m['slowest_static']:.2f} s, slowest team page {m['slowest_team']:.2f} s "
        f"(ratio {m['slowest_team'] / m['slowest_static']:.2f}), peak RSS {m['peak_bytes'] / 2**20:.0f} MiB "
        f"over {m['processes']} processes"
    )
