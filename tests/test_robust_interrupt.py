"""Ctrl-C during a sweep on a two-process pool: it ends within 15 s and leaves no process.

SIGINT goes to the whole process group, as a terminal's Ctrl-C does, or to the main
process alone, as a notebook kernel's interrupt may; at several moments of the sweep. The
processes left are read from /proc.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

pytestmark = pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="reads the processes from /proc")

SWEEP_SCRIPT = textwrap.dedent(
    """
    import sys
    from concurrent.futures import ProcessPoolExecutor

    import simlib

    if __name__ == "__main__":
        desk = simlib.load_scenario("service-desk")
        grid = {"first_line.agents": [3, 4, 5, 6, 7, 8]}
        with ProcessPoolExecutor(2) as pool:
            if sys.argv[1] == "sweep":
                simlib.sweep(desk, grid, 200, 1, pool, progress=False)
            else:
                simlib.replicate(desk, 3000, 1, executor=pool)
    """
)


def in_group(pgid: int) -> list[int]:
    """The live processes of a process group (zombies are dead)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        state, _ppid, group = stat[stat.rindex(")") + 2 :].split()[:3]
        if int(group) == pgid and state not in ("Z", "X"):
            found.append(int(entry))
    return found


def interrupt(command: list[str], delay: float, whole_group: bool) -> tuple[int, str, float, list[int]]:
    proc = subprocess.Popen(command, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        t0 = time.monotonic()
        while len(in_group(proc.pid)) < 3:  # the main process and its two workers
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() - t0 < 60, "the pool never started"
            time.sleep(0.05)
        time.sleep(delay)
        assert proc.poll() is None, "the sweep ended before the interrupt: make it longer"
        if whole_group:
            os.killpg(proc.pid, signal.SIGINT)
        else:
            os.kill(proc.pid, signal.SIGINT)
        t1 = time.monotonic()
        try:
            _, err = proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            pytest.fail("still running 15 s after Ctrl-C")
        took = time.monotonic() - t1
        deadline = time.monotonic() + 2
        while in_group(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        return proc.returncode, err, took, in_group(proc.pid)
    finally:
        if in_group(proc.pid):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


CLI = [sys.executable, "-m", "simlib", "sweep", "--grid", "first_line.agents=[3, 4, 5, 6, 7, 8]", "--runs", "200"]


@pytest.mark.parametrize(("delay", "whole_group"), [(0.0, True), (1.0, True), (2.5, True), (1.0, False)])
def test_ctrl_c_stops_a_command_line_sweep_on_two_processes(delay: float, whole_group: bool) -> None:
    code, err, took, left = interrupt([*CLI, "--workers", "2"], delay, whole_group)
    assert code == 130, err
    # A slow machine may show the progress bar (tqdm, after its delay) before the last line.
    assert err.endswith("simlib: interrupted\n") and "Traceback" not in err, err
    assert took < 15 and not left, left


@pytest.mark.parametrize(
    ("what", "delay", "whole_group"),
    [("sweep", 0.0, True), ("sweep", 2.0, True), ("sweep", 1.0, False), ("replicate", 1.5, True)],
)
def test_ctrl_c_stops_a_python_sweep_on_a_process_pool(tmp_path, what: str, delay: float, whole_group: bool) -> None:
    script = tmp_path / "job.py"
    script.write_text(SWEEP_SCRIPT)
    code, err, took, left = interrupt([sys.executable, str(script), what], delay, whole_group)
    assert code in (-signal.SIGINT, 1, 130), err  # Python ends an uncaught KeyboardInterrupt by SIGINT
    assert "KeyboardInterrupt" in err and "InvalidStateError" not in err
    assert took < 15 and not left, left


def test_a_worker_leaves_when_its_parent_is_killed(tmp_path) -> None:
    # A notebook kernel shut down hard (SIGKILL) cannot stop its pool: the workers notice.
    script = tmp_path / "job.py"
    script.write_text(SWEEP_SCRIPT)
    proc = subprocess.Popen(
        [sys.executable, str(script), "sweep"],
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        t0 = time.monotonic()
        while len(in_group(proc.pid)) < 3:
            assert time.monotonic() - t0 < 60, "the pool never started"
            time.sleep(0.05)
        time.sleep(1.0)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        deadline = time.monotonic() + 15
        while in_group(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not in_group(proc.pid)
    finally:
        if in_group(proc.pid):
            os.killpg(proc.pid, signal.SIGKILL)


def _mapped(pid: int, library: str) -> bool:
    try:
        with open(f"/proc/{pid}/maps") as f:
            return library in f.read()
    except OSError:
        return False


@pytest.mark.parametrize("moment", ["simlib", "numpy"])
def test_ctrl_c_while_the_command_line_loads_is_one_line(moment: str) -> None:
    # Issue 22: in the first 0.1 s (numpy loading) Ctrl-C printed a 19-30-line traceback. The moment is
    # found, not guessed: simlib's first module is imported (-X importtime says so), or numpy's core
    # library is mapped into the process.
    proc = subprocess.Popen(
        [sys.executable, "-X", "importtime", "-m", "simlib", "run"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    seen = []
    if moment == "simlib":
        for line in proc.stderr:
            seen.append(line)
            if "simlib._startup" in line:
                break
    else:
        t0 = time.monotonic()
        while not _mapped(proc.pid, "_multiarray_umath") and time.monotonic() - t0 < 30:
            time.sleep(0.001)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    lines = [ln for ln in "".join(seen + [err]).splitlines() if not ln.startswith("import time:")]
    assert proc.returncode == 130 and lines == ["simlib: interrupted"], err[-2000:]
    assert out == ""


def test_another_program_run_with_dash_m_keeps_its_own_ctrl_c(tmp_path) -> None:
    # Only `python -m simlib` is the command line: a package that imports simlib keeps Python's handler.
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "__init__.py").write_text("import signal, simlib\nprint(signal.getsignal(signal.SIGINT))\n")
    (tmp_path / "other" / "__main__.py").write_text("")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")])}
    out = subprocess.run([sys.executable, "-m", "other"], capture_output=True, text=True, env=env, timeout=120)
    assert out.stdout.strip() == "<built-in function default_int_handler>", out.stderr
