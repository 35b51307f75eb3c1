"""Drive the kit in a real browser, the way students and instructors meet it.

Widgets that pass in Python can still fail to show in a browser: the Python side of
ipywidgets, its JavaScript side in JupyterLab (jupyterlab_widgets) and the copy that Voila
ships must agree, and a mismatch only shows as "Error displaying widget" on the page. So the
browser tests start the two doors of the kit, ``make demo`` (Voila) and ``make lab``
(JupyterLab), on 127.0.0.1 and a free port, and drive Debian's Chromium with Playwright.

This module holds the plumbing shared by ``tests/test_browser.py`` and
``benchmarks/bench_browser.py``:

- :func:`chromium_path` finds the browser; :func:`launch` starts it headless with no outside
  network (every host but 127.0.0.1 fails to resolve);
- :func:`make_command` reads a target's command from the ``Makefile``, so the tests start the
  same command a user does (plus test-only flags);
- :class:`Server` runs a server in its own process group with a private Jupyter home, waits a
  bounded time for it to answer and stops it;
- the dashboard helpers read the measures, move a slider and time a move;
- :func:`axe` runs axe-core (WCAG 2.1 A and AA rules) on a page or a part of it, and
  :func:`blocking` keeps its serious and critical findings.

The instructor dashboard's contract (from ``simlib.dashboards.instructor_dashboard``): sliders
with CSS classes ``simlib-agents``, ``simlib-know-how`` and ``simlib-first-time-fix`` (from the
lever table), the measures as
``<span class="simlib-measure" data-measure="utility">89.5%</span>`` inside ``simlib-measures``,
messages in ``simlib-message``, the four quadrant buttons of ITIL's two-by-two, the "break it"
presets named for what they break ("Major disruption", ...) and "Reset".
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
ARTEFACTS = REPO / "artifacts" / "browser"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
    # Loopback only: the pages must work without the internet, as in a classroom behind a firewall.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
MEASURES = ("utility", "warranty", "value")
SCENARIO = "service-desk"
SEED = 1

# Every error a page can show: a cell's error or stderr output (Voila replaces a traceback with
# a stderr note), and the widget manager's own message when a widget cannot be rendered.
ERROR_OUTPUTS = '[data-mime-type="application/vnd.jupyter.stderr"], [data-mime-type="application/vnd.jupyter.error"]'
WIDGET_ERRORS = ("Error displaying widget", "Failed to display widget", "Loading widget...")


# ---------------------------------------------------------------- the browser


def chromium_path() -> str | None:
    """The Chromium to drive: $SIMLIB_CHROMIUM, else Debian's /usr/bin/chromium, else one on PATH."""
    wanted = os.environ.get("SIMLIB_CHROMIUM")
    if wanted:
        return wanted if os.access(wanted, os.X_OK) else None
    if os.access(DEFAULT_CHROMIUM, os.X_OK):
        return DEFAULT_CHROMIUM
    return shutil.which("chromium") or shutil.which("chromium-browser")


def launch(playwright: Any, executable: str) -> Any:
    """A headless Chromium that can reach 127.0.0.1 and nothing else."""
    return playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)


# ---------------------------------------------------------------- the servers


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_command(target: str, variables: dict[str, str], makefile: Path = REPO / "Makefile") -> list[str]:
    """The command of a one-line Makefile recipe, with ``$(NAME)`` replaced from ``variables``.

    ``"$(PY)"`` is this Python, so the servers run in the environment running the tests.
    """
    lines = makefile.read_text().splitlines()
    starts = [i for i, line in enumerate(lines) if re.match(rf"{re.escape(target)}\s*:(?!=)", line)]
    if not starts:
        raise ValueError(f"Makefile: no target {target!r}")
    recipe: list[str] = []
    for line in lines[starts[0] + 1 :]:
        if not line.startswith("\t"):
            break
        if recipe and recipe[-1].endswith("\\"):  # a command continued on the next line
            recipe[-1] = recipe[-1][:-1] + " " + line.strip()
        else:
            recipe.append(line.strip())
    if len(recipe) != 1:
        raise ValueError(f"Makefile: target {target!r} has {len(recipe)} command lines; expected one")
    command = recipe[0].lstrip("@")
    values = {
        "PY": sys.executable,
        "AS_ROOT": "--allow-root" if os.geteuid() == 0 else "",
        "CURDIR": str(REPO),
        "START": "notebooks/00-start-here.ipynb",  # make lab's start page (LANG=nl: notebooks/nl/...)
    }
    values.update(variables)

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            raise ValueError(f"Makefile: target {target!r} uses $({name}); the tests know {sorted(values)}")
        return values[name]

    return shlex.split(re.sub(r"\$\((\w+)\)", substitute, command))


def jupyter_home(base: Path, *, lab: bool = False) -> dict[str, str]:
    """Environment variables giving a server its own Jupyter and IPython folders under ``base``.

    The user's settings, workspaces and runtime files are neither read nor written. For
    JupyterLab, the settings turn off autosave, the news and update checks, and the notebook's
    lazy rendering (every cell is in the page, so every output can be checked), and start the
    notebook's kernel without asking.
    """
    env = dict(os.environ)
    for name, sub in [
        ("JUPYTER_CONFIG_DIR", "config"),
        ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("JUPYTER_DATA_DIR", "data"),
        ("JUPYTERLAB_SETTINGS_DIR", "lab-settings"),
        ("JUPYTERLAB_WORKSPACES_DIR", "lab-workspaces"),
        ("IPYTHONDIR", "ipython"),
    ]:
        path = base / sub
        path.mkdir(parents=True, exist_ok=True)
        env[name] = str(path)
    env.pop("JUPYTER_TOKEN", None)
    if lab:
        settings = {
            "@jupyterlab/docmanager-extension/plugin": '{"autosave": false}',
            "@jupyterlab/apputils-extension/notification": '{"fetchNews": "false", "checkForUpdates": false}',
            "@jupyterlab/notebook-extension/tracker": '{"windowingMode": "none", "autoStartDefaultKernel": true}',
        }
        for plugin, text in settings.items():
            path = base / "lab-settings" / f"{plugin}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
    return env


class ServerError(RuntimeError):
    """A server that did not start or answer; the message carries its log."""


class Server:
    """A server process in its own process group, with its output in a log file.

    ``start()`` waits, at most ``timeout`` seconds, for ``url`` to answer; ``stop()`` sends
    SIGTERM to the group (Jupyter then shuts its kernels down) and SIGKILL if it lingers.
    """

    def __init__(self, command: list[str], *, url: str, page: str, cwd: Path, env: dict[str, str], log: Path) -> None:
        self.command, self.url, self.page = command, url, page  # url: answers when up; page: what a person opens
        self.cwd, self.env, self.log_path = cwd, env, log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60.0) -> Server:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                self.command,
                cwd=self.cwd,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerError(f"{self.describe()} exited with status {self.process.returncode}\n{self.log()}")
            try:
                with urllib.request.urlopen(self.url, timeout=5) as answer:
                    if answer.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.25)
        self.stop()
        raise ServerError(f"{self.describe()} did not answer at {self.url} within {timeout:.0f} s\n{self.log()}")

    def stop(self, timeout: float = 15.0) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                return
            try:
                self.process.wait(timeout=timeout)
                return
            except subprocess.TimeoutExpired:
                continue

    def describe(self) -> str:
        return shlex.join(self.command)

    def log(self, last: int = 12_000) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no server log)"
        return f"--- server log {self.log_path} ---\n{text[-last:]}"

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def warm_matplotlib() -> None:
    """Build matplotlib's font cache now, so a fresh environment's kernel prints no note about it."""
    import matplotlib.font_manager  # noqa: F401


def demo_server(base: Path, root: Path = REPO) -> Server:
    """``make demo``'s command on a free port, run in ``root``, with tracebacks shown (to explain a failure).

    Voila only reads the notebook, so the repository's own file is served. The server counts as
    up once it serves a static file: asking for the dashboard itself would start a kernel.
    """
    port = free_port()
    command = make_command("demo", {"PORT": str(port)}) + ["--show_tracebacks=True"]
    return Server(
        command,
        url=f"http://127.0.0.1:{port}/voila/static/voila.js",
        page=f"http://127.0.0.1:{port}/",
        cwd=root,
        env=jupyter_home(base),
        log=base / "voila.log",
    )


def lab_server(base: Path, root: Path) -> Server:
    """``make lab``'s command on a free port, serving ``root`` (a copy of the kit's folders) as its root.

    The Makefile serves the folder it runs in (``$(CURDIR)``); here that is ``root``. Test-only
    flags: no browser, no token (the server is on 127.0.0.1 and lives for one test), allowed to
    run as root (CI containers), no extension manager, no update check.
    """
    port = free_port()
    command = make_command("lab", {"LAB_PORT": str(port), "CURDIR": str(root)}) + [
        "--ServerApp.open_browser=False",
        "--IdentityProvider.token=",
        "--ServerApp.password=",
        "--ServerApp.allow_root=True",
        "--LabApp.extension_manager=readonly",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    return Server(
        command,
        url=f"http://127.0.0.1:{port}/api/status",
        page=f"http://127.0.0.1:{port}/lab/tree/notebooks/00-start-here.ipynb",
        cwd=root,
        env=jupyter_home(base, lab=True),
        log=base / "lab.log",
    )


def scratch(prefix: str) -> Path:
    """A temporary folder for one server's Jupyter home and log."""
    return Path(tempfile.mkdtemp(prefix=prefix))


# ---------------------------------------------------------------- the dashboard


def default_know_how() -> float:
    """The know-how slider's first value: the scenario's know-how table, averaged over its catalogue."""
    import simlib

    sc = simlib.load_scenario(SCENARIO)
    values = [sc.know_how[t] for t in sc.catalogue]
    return round(round(sum(values) / len(values) / 0.05) * 0.05, 2)  # on the slider's steps


def expected_measures(
    agents: int, know_how: float | None = None, seed: int = SEED, changes: dict[str, Any] | None = None
) -> dict[str, str]:
    """What the dashboard must show for a setting: ``simulate()``'s utility, warranty and value.

    ``know_how``: the know-how slider's value (its first value leaves the scenario's table in
    force); ``changes``: other levers, by dotted field.
    """
    import simlib

    fields: dict[str, Any] = {"first_line.agents": int(agents), **(changes or {})}
    if know_how is not None and round(float(know_how), 2) != default_know_how():
        fields["know_how"] = round(float(know_how), 2)
    result = simlib.simulate(simlib.load_scenario(SCENARIO).replace(**fields), seed=seed)
    return {name: f"{getattr(result, name):.1%}" for name in MEASURES}


def shown_measures(page: Any) -> dict[str, str]:
    """The measures as the page shows them, by name."""
    return page.evaluate(
        """() => Object.fromEntries(Array.from(
            document.querySelectorAll('.simlib-measures .simlib-measure'),
            el => [el.dataset.measure, el.textContent.trim()]))"""
    )


def wait_for_measures(page: Any, expected: dict[str, str], timeout: float = 15.0) -> None:
    """Wait until the page shows ``expected``; fail with what it shows instead."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(
            """(want) => Object.entries(want).every(([name, text]) => {
                const el = document.querySelector(`.simlib-measures .simlib-measure[data-measure="${name}"]`);
                return el !== null && el.textContent.trim() === text;
            })""",
            arg=expected,
            timeout=timeout * 1000,
        )
    except PlaywrightTimeout:
        raise AssertionError(
            f"after {timeout:.0f} s the dashboard shows {shown_measures(page)}; simulate() gives {expected}; "
            f"message: {message(page)!r}"
        ) from None


def wait_for_change(page: Any, before: dict[str, str], timeout: float = 15.0) -> dict[str, str]:
    """Wait until the measures differ from ``before``; return them."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(
            """(before) => {
                const els = document.querySelectorAll('.simlib-measures .simlib-measure');
                return els.length > 0 && Array.from(els).some(
                    el => el.textContent.trim() !== before[el.dataset.measure]);
            }""",
            arg=before,
            timeout=timeout * 1000,
        )
    except PlaywrightTimeout:
        raise AssertionError(f"the measures stayed {before} for {timeout:.0f} s; message: {message(page)!r}") from None
    return shown_measures(page)


def handle(page: Any, css_class: str) -> Any:
    """The handle of a slider (ipywidgets 8 draws sliders with noUiSlider)."""
    return page.locator(f".{css_class} .noUi-handle").first


def slider_value(page: Any, css_class: str) -> float:
    """A slider's value as the page shows it: the readout beside it.

    (Not the handle's aria-valuenow: noUiSlider rounds it, 0.75 reads "0.8".)
    """
    text = readout(page, css_class)
    try:
        return float(text)
    except ValueError:
        raise AssertionError(f"the readout of .{css_class} says {text!r}, not a number") from None


def readout(page: Any, css_class: str) -> str:
    """The number printed beside a slider."""
    return page.locator(f".{css_class} .widget-readout").first.inner_text().strip()


def press(page: Any, css_class: str, key: str, times: int = 1) -> None:
    """Focus a slider's handle and press an arrow key, as a keyboard user does."""
    target = handle(page, css_class)
    target.focus()
    for _ in range(times):
        page.keyboard.press(key)


def drag(page: Any, css_class: str, dx: float) -> None:
    """Drag a slider's handle ``dx`` pixels with the mouse, as a person does."""
    box = handle(page, css_class).bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx, y, steps=8)
    page.mouse.up()


def message(page: Any) -> str:
    """The text of the dashboard's message box ('' if none)."""
    box = page.locator(".simlib-message")
    return box.first.inner_text().strip() if box.count() else ""


def page_errors(page: Any) -> list[str]:
    """Error outputs and widget-rendering errors on the page, as text."""
    found = [el.inner_text().strip()[:2000] for el in page.locator(ERROR_OUTPUTS).all()]
    body = page.locator("body").inner_text()
    found += [f"page says {text!r}" for text in WIDGET_ERRORS if text in body]
    return found


def open_dashboard(page: Any, url: str, timeout: float = 60.0) -> None:
    """Load the dashboard and wait until its measures are shown."""
    page.goto(url, timeout=timeout * 1000)
    try:
        page.wait_for_selector(".simlib-measures .simlib-measure", timeout=timeout * 1000)
    except Exception as err:
        raise AssertionError(
            f"no measures (.simlib-measures .simlib-measure) on {url} after {timeout:.0f} s; "
            f"errors on the page: {page_errors(page)}"
        ) from err


# A move's latency, timed in the page: from the key's keydown event to the moment the measures
# show the expected text (a MutationObserver on the measures box).
_ARM_TIMER = """(want) => {
    const shows = () => Object.entries(want).every(([name, text]) => {
        const el = document.querySelector(`.simlib-measures .simlib-measure[data-measure="${name}"]`);
        return el !== null && el.textContent.trim() === text;
    });
    const timer = {start: null, end: null};
    window.__simlibTimer = timer;
    document.addEventListener('keydown', () => { if (timer.start === null) timer.start = performance.now(); },
                              {capture: true, once: true});
    const observer = new MutationObserver(() => {
        if (timer.start !== null && timer.end === null && shows()) {
            timer.end = performance.now();
            observer.disconnect();
        }
    });
    observer.observe(document.querySelector('.simlib-measures'), {subtree: true, childList: true, characterData: true});
}"""


def timed_press(page: Any, css_class: str, key: str, expected: dict[str, str], timeout: float = 15.0) -> float:
    """Press ``key`` on a slider; the milliseconds from the key press until the page shows ``expected``."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    target = handle(page, css_class)
    target.focus()
    page.evaluate(_ARM_TIMER, expected)
    page.keyboard.press(key)
    try:
        page.wait_for_function("() => window.__simlibTimer.end !== null", timeout=timeout * 1000)
    except PlaywrightTimeout:
        raise AssertionError(
            f"after {key} on .{css_class} the dashboard shows {shown_measures(page)}, not {expected}"
        ) from None
    return page.evaluate("() => window.__simlibTimer.end - window.__simlibTimer.start")


# Every change of the measures, timed in the page, and the moment the mouse button is released.
_ARM_LOG = """() => {
    const snap = () => Object.fromEntries(Array.from(
        document.querySelectorAll('.simlib-measures .simlib-measure'),
        el => [el.dataset.measure, el.textContent.trim()]));
    const log = {release: null, changes: [[performance.now(), snap()]], pictures: []};
    window.__simlibLog = log;
    const figure = document.querySelector('.simlib-figure');
    if (figure !== null) {
        new MutationObserver(() => log.pictures.push(performance.now())).observe(figure, {attributes: true});
    }
    document.addEventListener('mouseup', () => { log.release = performance.now(); }, {capture: true, once: true});
    new MutationObserver(() => log.changes.push([performance.now(), snap()])).observe(
        document.querySelector('.simlib-measures'), {subtree: true, childList: true, characterData: true});
}"""


def timed_drag(page: Any, css_class: str, dx: float, steps: int = 10, seconds: float = 1.0) -> tuple[float, float]:
    """Drag a slider's handle ``dx`` pixels in ``steps`` moves over ``seconds``, then release.

    Returns the slider's final value (its readout) and the milliseconds from the release until
    the page shows that setting's numbers for good (0 if they were already shown at the release).
    The caller waits for those numbers first (:func:`wait_for_measures`) and then calls
    :func:`settled_after_release` with them.
    """
    box = handle(page, css_class).bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.evaluate(_ARM_LOG)
    page.mouse.move(x, y)
    page.mouse.down()
    for i in range(1, steps + 1):
        page.mouse.move(x + dx * i / steps, y)
        page.wait_for_timeout(seconds * 1000 / steps)
    page.mouse.up()
    return slider_value(page, css_class)


def picture_after_release(page: Any) -> float:
    """Milliseconds from the release (see :func:`timed_drag`) to the last new picture (0: none came after it)."""
    log = page.evaluate("() => window.__simlibLog")
    after = [t for t in log["pictures"] if log["release"] is not None and t > log["release"]]
    return max(after) - log["release"] if after else 0.0


def settled_after_release(page: Any, expected: dict[str, str]) -> float:
    """Milliseconds from the release (see :func:`timed_drag`) until the measures showed ``expected`` for good."""
    log = page.evaluate("() => window.__simlibLog")
    settled = None
    for stamp, shown in log["changes"]:
        if all(shown.get(name) == text for name, text in expected.items()):
            settled = stamp if settled is None else settled
        else:
            settled = None
    if settled is None or log["release"] is None:
        raise AssertionError(f"the measures never settled on {expected}: {log['changes'][-3:]}")
    return max(0.0, settled - log["release"])


# ---------------------------------------------------------------- JupyterLab

# The notebook in front: JupyterLab keeps the other open notebooks in the page, hidden.
FRONT = ".jp-NotebookPanel:not(.lm-mod-hidden)"

# The kernels as the server sees them: [every open notebook has its kernel, connected to the page,
# and all are idle; the latest moment any kernel was active]. (The page cannot tell reliably when
# Run All is done: a cell whose input is hidden shows no prompt, and the toolbar's indicator
# misses runs that are over quickly.)
_KERNELS = """(panels) => fetch('/api/sessions').then(r => r.json()).then(sessions => [
    sessions.length >= panels && sessions.every(
        s => s.kernel && s.kernel.execution_state === 'idle' && s.kernel.connections > 0),
    sessions.map(s => (s.kernel || {}).last_activity || '').sort().pop() || ''])"""
# The kernel of the notebook in front, as the status bar shows it once the page has connected to
# it: "Python 3 (ipykernel) | Idle".
_STATUS_IDLE = """() => Array.from(document.querySelectorAll('.jp-StatusBar-Item'),
                                  el => el.textContent.trim()).some(text => /\\| Idle$/.test(text))"""
# Every widget output of the notebook in front is drawn (a widget's view comes a moment after its
# cell ran; a widget output is the one output with no data-mime-type).
_WIDGETS_DRAWN = """(front) => Array.from(
        document.querySelectorAll(front + ' .jp-OutputArea-output:not([data-mime-type])'))
    .every(out => out.querySelector('.jupyter-widgets, .jupyter-widgets-error-widget') !== null)"""
# Run All is done when the kernels have been idle, with no new activity, for SETTLED seconds; it
# ran nothing if no kernel was active within QUIET seconds of the click.
SETTLED, QUIET = 1.5, 10.0


def one_in_front(page: Any, timeout: float = 30.0) -> None:
    """Wait until one notebook is in front (while JupyterLab switches tabs, two can be shown for a moment)."""
    page.wait_for_function(
        "(front) => document.querySelectorAll(front).length === 1", arg=FRONT, timeout=timeout * 1000
    )


def run_all(page: Any, timeout: float = 150.0) -> None:
    """Run > Run All Cells on the notebook in front, once its kernel is ready; wait until every cell has run.

    Right after a notebook opens, JupyterLab may not yet take it for the current one and Run All
    does nothing; a student then runs it again, and so does this.
    """
    one_in_front(page)
    panels = page.locator(".jp-NotebookPanel").count()
    page.wait_for_function(f"(panels) => ({_KERNELS})(panels).then(k => k[0])", arg=panels, timeout=60_000)
    page.wait_for_function(_STATUS_IDLE, timeout=60_000)
    for attempt in (1, 2):
        _, before = page.evaluate(_KERNELS, panels)
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        start = time.monotonic()
        while time.monotonic() - start < QUIET:
            if page.evaluate(_KERNELS, panels)[1] > before:
                break
            time.sleep(0.2)
        else:
            print(f"Run All ran no cell (attempt {attempt}); running again")
            continue
        break
    else:
        raise AssertionError(f"Run All ran no cell, twice: no kernel was active in {QUIET:.0f} s")
    last, still = None, time.monotonic()
    while True:
        idle, latest = page.evaluate(_KERNELS, panels)
        if not idle or latest != last:
            last, still = latest, time.monotonic()
        elif time.monotonic() - still > SETTLED:
            break
        if time.monotonic() - start > timeout:
            raise AssertionError(f"Run All did not finish in {timeout:.0f} s")
        time.sleep(0.2)
    page.wait_for_function(_WIDGETS_DRAWN, arg=FRONT, timeout=60_000)


# The file browser shows the folder of the notebook in front (JupyterLab moves it there a moment
# after the notebook opens): "/ notebooks /".
_FILE_BROWSER_AT = """(folder) => {
    const crumbs = document.querySelector('.jp-FileBrowser .jp-BreadCrumbs');
    return crumbs !== null && crumbs.textContent.replace(/\\s+/g, '').replace(/\\/$/, '').endsWith('/' + folder);
}"""


def file_browser_follows(page: Any, folder: str, timeout: float = 30.0) -> None:
    """Wait until the file browser shows ``folder``, where JupyterLab takes it for the notebook just opened.

    Clicking in the file browser before then is undone when it moves there.
    """
    page.wait_for_function(_FILE_BROWSER_AT, arg=folder, timeout=timeout * 1000)


def open_from_file_browser(page: Any, where: str) -> None:
    """Open notebook ``where`` (``folder/name``, no .ipynb) as a student does: the file browser's
    home, a double click on the folder, a double click on the notebook; wait until it is in front."""
    folder, name = where.split("/")
    home = page.locator(".jp-BreadCrumbs-home").first
    if not home.is_visible():  # the file browser is closed: open it from the left bar
        page.locator('.jp-SideBar [data-id="filebrowser"]').first.click()
    home.click()
    page.locator(".jp-DirListing-item", has=page.get_by_text(folder, exact=True)).first.dblclick()
    file_browser_follows(page, folder)
    item = page.locator(".jp-DirListing-item", has=page.get_by_text(f"{name}.ipynb", exact=True)).first
    item.dblclick()
    page.wait_for_selector(f'.lm-TabBar-tab.lm-mod-current[title*="{name}.ipynb"]', timeout=30_000)
    one_in_front(page)
    page.wait_for_selector(f"{FRONT} .jp-Cell", timeout=30_000)
    file_browser_follows(page, folder)


# ---------------------------------------------------------------- accessibility

# axe-core's rules for WCAG 2.0 and 2.1, levels A and AA.
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")


def axe_script() -> str:
    """axe-core's script, as the axe-playwright-python package ships it (no network needed)."""
    try:
        from axe_playwright_python.base import AXE_FILE_PATH
    except ImportError:
        raise RuntimeError("axe-playwright-python is missing: `make setup` installs the test extra") from None
    return AXE_FILE_PATH.read_text(encoding="utf-8")


def axe(page: Any, include: str | None = None) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.1 AA violations on ``page``, or only inside the elements matching ``include``."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_script())
    return page.evaluate(
        """([include, tags]) => axe.run(include ? {include: [[include]]} : document,
                                        {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
                                .then(results => results.violations)""",
        [include, WCAG_AA],
    )


def blocking(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The serious and critical violations."""
    return [v for v in violations if v.get("impact") in BLOCKING]


def describe_violations(violations: list[dict[str, Any]], nodes: int = 4) -> str:
    """One paragraph per violation: rule, impact, help, and the first few elements with what to fix."""
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}, {len(v['nodes'])} elements): {v['help']}")
        for node in v["nodes"][:nodes]:
            fix = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    {', '.join(map(str, node['target']))}: {node['html'][:160]}\n      {fix[:300]}")
    return "\n".join(lines)
