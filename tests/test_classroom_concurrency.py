"""The game's file under load and after a crash: many kernels write at once, nothing is lost,
and a round whose closing was killed half-way is completed by closing it again."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import simlib
from simlib.classroom import Game

TEAMS = 30


def _player(path: str, i: int, barrier: multiprocessing.synchronize.Barrier, out: multiprocessing.Queue) -> None:
    try:
        game = Game.open(path)
        barrier.wait(timeout=60)  # every process joins at the same moment
        team = game.join(f"team-{i:02d}")
        game.submit(team, {"first_line.agents": 1 + i % 6})
        game.submit(team, {"first_line.agents": 1 + i % 7})  # and resubmits at once
        out.put((i, team.token, None))
    except BaseException as err:  # report every failure to the test
        out.put((i, None, f"{type(err).__name__}: {err}"))


def test_thirty_processes_join_and_submit_at_once_and_nothing_is_lost(tmp_path: Path) -> None:
    path = tmp_path / "class.sqlite"
    Game.create(path, simlib.load_scenario("service-desk").replace(horizon=24.0), seed=3, runs=2).close()
    ctx = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    barrier = ctx.Barrier(TEAMS)
    out = ctx.Queue()
    procs = [ctx.Process(target=_player, args=(str(path), i, barrier, out)) for i in range(TEAMS)]
    for p in procs:
        p.start()
    answers = [out.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    errors = [f"team {i}: {e}" for i, _, e in answers if e]
    assert not errors, "\n".join(errors)
    game = Game.open(path)
    teams = game.teams()
    assert len(teams) == TEAMS and all(t["submitted"] for t in teams)
    for i, token, _ in answers:
        team = game.team(token)
        assert team.name == f"team-{i:02d}"
        assert game.submission(team)["choices"]["first_line.agents"] == 1 + i % 7
    assert game._query("PRAGMA journal_mode")[0][0] == "wal"
    assert game._query("PRAGMA integrity_check")[0][0] == "ok"


_KILLED_CLOSER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from simlib.classroom import Game

    game = Game.open(sys.argv[1])

    def hang():  # the results are written, the transaction is not committed: killed here
        Path(sys.argv[2]).write_text("in the transaction")
        time.sleep(120)

    game.close_round(workers=1, _before_commit=hang)
    """
)


def test_a_writer_killed_mid_close_leaves_the_last_committed_state_and_closing_again_completes(tmp_path: Path) -> None:
    path = tmp_path / "class.sqlite"
    sc = simlib.load_scenario("service-desk").replace(horizon=24.0)
    game = Game.create(path, sc, rounds=2, seed=5, runs=3)
    for team, agents in (("red", 6), ("blue", 4), ("green", 5)):
        game.join(team)
        game.submit(team, {"first_line.agents": agents})
    game.close()

    flag = tmp_path / "in-transaction"
    closer = subprocess.Popen([sys.executable, "-c", _KILLED_CLOSER, str(path), str(flag)], start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while not flag.exists():
            assert closer.poll() is None, f"the closing process ended early ({closer.returncode})"
            assert time.monotonic() < deadline, "the closing process never reached its transaction"
            time.sleep(0.05)
    finally:
        os.killpg(closer.pid, signal.SIGKILL)
        closer.wait(timeout=30)

    again = Game.open(path)  # another kernel, after the crash
    state = again.state()
    assert state["round"] == 1 and state["status"] == "closing" and state["closed"] == []
    assert again._query("SELECT COUNT(*) FROM results")[0][0] == 0, "nothing of the killed transaction"
    assert {t["team"] for t in again.teams() if t["submitted"]} == {"red", "blue", "green"}
    with pytest.raises(ValueError, match="^round: round 1 is being closed"):
        again.submit("red", {})
    with pytest.raises(ValueError, match="^round: round 1 is not closed yet"):
        again.leaderboard(1)

    again.close_round(workers=1)
    assert again.state()["closed"] == [1] and again.state()["round"] == 2
    board = {r["team"]: r for r in again.leaderboard()}
    assert set(board) == {"red", "blue", "green"}
    assert again._query("PRAGMA integrity_check")[0][0] == "ok"

    # The completed close gives exactly what an uninterrupted one gives.
    clean = Game.create(tmp_path / "clean.sqlite", sc, rounds=2, seed=5, runs=3)
    for team, agents in (("red", 6), ("blue", 4), ("green", 5)):
        clean.join(team)
        clean.submit(team, {"first_line.agents": agents})
    clean.close_round(workers=1)
    assert clean._results(1) == again._results(1)


_SERVER_WITH_WORKERS = textwrap.dedent(
    """
    import sys, time
    from simlib.classroom import warm_up

    warm_up(2)
    print("ready", flush=True)
    time.sleep(300)
    """
)


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (Linux: read from /proc)."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_the_workers_end_with_the_server_even_after_kill_9() -> None:
    server = subprocess.Popen(
        [sys.executable, "-c", _SERVER_WITH_WORKERS], stdout=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        assert server.stdout.readline().strip() == "ready"
        workers = [p for p in _children(server.pid) if "spawn_main" in Path(f"/proc/{p}/cmdline").read_text()]
        assert len(workers) == 2, "the pool's two workers run"
        server.kill()  # kill -9: the server cannot end its workers itself
        server.wait(timeout=30)
        deadline = time.monotonic() + 10
        while any(_alive(p) for p in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [p for p in workers if _alive(p)], "every worker ended with the server"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
