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
from simlib import classroom as cr
from simlib.classroom import Store
from simlib.classroom.debrief import team_runs

TEAMS = 30


def _player(path: str, i: int, barrier: multiprocessing.synchronize.Barrier, out: multiprocessing.Queue) -> None:
    try:
        game = Store.open(path)
        barrier.wait(timeout=60)  # every process joins at the same moment
        team = cr.join(game, f"team-{i:02d}")
        cr.submit(game, team, {"first_line.agents": 1 + i % 6})
        cr.submit(game, team, {"first_line.agents": 1 + i % 7})  # and resubmits at once
        out.put((i, team.token, None))
    except BaseException as err:  # report every failure to the test
        out.put((i, None, f"{type(err).__name__}: {err}"))


def test_thirty_processes_join_and_submit_at_once_and_nothing_is_lost(tmp_path: Path) -> None:
    path = tmp_path / "class.sqlite"
    with cr.create_game(path, simlib.load_scenario("service-desk").replace(horizon=24.0), seed=3, runs=2) as game:
        cr.open_round(game)
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
    game = Store.open(path)
    teams = cr.teams(game)
    assert len(teams) == TEAMS and all(t["submitted"] for t in teams)
    for i, token, _ in answers:
        team = cr.team(game, token)
        assert team.name == f"team-{i:02d}"
        assert cr.submission(game, team).choices["first_line.agents"] == 1 + i % 7
    assert game.read("PRAGMA journal_mode")[0][0] == "wal"
    assert game.read("PRAGMA integrity_check")[0][0] == "ok"


_KILLED_CLOSER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from simlib import classroom as cr
    from simlib.classroom import closing

    game = cr.Store.open(sys.argv[1])
    record = closing._record_close

    def record_and_hang(*args):  # fault injection: written, not committed, and killed here
        record(*args)
        Path(sys.argv[2]).write_text("in the transaction")
        time.sleep(120)

    closing._record_close = record_and_hang
    cr.close_round(game, workers=1)
    """
)


def test_a_writer_killed_mid_close_leaves_the_last_committed_state_and_closing_again_completes(tmp_path: Path) -> None:
    path = tmp_path / "class.sqlite"
    sc = simlib.load_scenario("service-desk").replace(horizon=24.0)
    game = cr.create_game(path, sc, rounds=2, seed=5, runs=3)
    cr.open_round(game)
    for team, agents in (("red", 6), ("blue", 4), ("green", 5)):
        cr.join(game, team)
        cr.submit(game, team, {"first_line.agents": agents})
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

    again = Store.open(path)  # another process, after the crash
    state = cr.game_state(again)
    assert state.current.number == 1 and state.current.status is cr.RoundStatus.CLOSING and state.closed == ()
    assert again.read("SELECT COUNT(*) FROM played")[0][0] == 0, "nothing of the killed transaction"
    assert {t["team"] for t in cr.teams(again) if t["submitted"]} == {"red", "blue", "green"}
    with pytest.raises(ValueError, match="^round: round 1 is being closed"):
        cr.submit(again, "red", {})
    with pytest.raises(ValueError, match="^round: round 1 is not closed yet"):
        cr.leaderboard(again, 1)

    cr.close_round(again, workers=1)
    state = cr.game_state(again)
    assert state.closed == (1,) and state.current.number == 2 and state.current.status is cr.RoundStatus.PREPARED
    board = {r["team"]: r for r in cr.leaderboard(again)}
    assert set(board) == {"red", "blue", "green"}
    assert again.read("PRAGMA integrity_check")[0][0] == "ok"

    # The completed close gives exactly what an uninterrupted one gives.
    clean = cr.create_game(tmp_path / "clean.sqlite", sc, rounds=2, seed=5, runs=3)
    cr.open_round(clean)
    for team, agents in (("red", 6), ("blue", 4), ("green", 5)):
        cr.join(clean, team)
        cr.submit(clean, team, {"first_line.agents": agents})
    cr.close_round(clean, workers=1)
    assert team_runs(clean, 1) == team_runs(again, 1)
    assert cr.leaderboard(clean, 1) == cr.leaderboard(again, 1)


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
        workers = [p for p in _children(server.pid) if "resource_tracker" not in Path(f"/proc/{p}/cmdline").read_text()]
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


class Crash(Exception):
    """A fault injected into the close's transaction."""


@pytest.fixture
def crash_before_commit(monkeypatch: pytest.MonkeyPatch):
    """Closing a round writes everything, then fails before its commit (once)."""
    from simlib.classroom import closing

    record = closing._record_close

    def record_and_fail(*args):
        record(*args)
        monkeypatch.setattr(closing, "_record_close", record)
        raise Crash("the close failed before its commit")

    monkeypatch.setattr(closing, "_record_close", record_and_fail)


def test_a_close_that_fails_before_its_commit_changes_nothing_and_closing_again_completes(
    tmp_path: Path, crash_before_commit
) -> None:
    game = cr.create_game(tmp_path / "g.sqlite", simlib.load_scenario("service-desk").replace(horizon=24.0),
                          rounds=2, seed=5, runs=3)  # fmt: skip
    cr.open_round(game)
    cr.join(game, "red")
    cr.submit(game, "red", {"first_line.agents": 6})
    with pytest.raises(Crash):
        cr.close_round(game, workers=1)
    assert cr.game_state(game).current.status is cr.RoundStatus.CLOSING
    assert game.read("SELECT COUNT(*) FROM played")[0][0] == 0 and not game.read("SELECT * FROM debrief")
    done = cr.close_round(game, workers=1)
    assert (done.round, done.submitted, done.next) == (1, 1, 2)
    assert cr.played(game, 1)["red"].choices["first_line.agents"] == 6


def test_a_game_file_replaced_under_a_running_game_is_noticed(tmp_path: Path) -> None:
    sc = simlib.load_scenario("service-desk").replace(horizon=24.0)
    game = cr.create_game(tmp_path / "g.sqlite", sc, seed=5, runs=2)
    cr.create_game(tmp_path / "other.sqlite", sc, seed=6, runs=2).close()
    os.replace(tmp_path / "other.sqlite", game.path)
    with pytest.raises(cr.GameFileError, match=r"\(the file was replaced\)"):
        cr.join(game, "red")
