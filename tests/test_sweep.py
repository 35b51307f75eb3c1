"""Sweeps: a grid of scenarios as a tidy table, the same numbers on any executor."""

from __future__ import annotations

import csv
import math
import os
import signal
import subprocess
import sys
import textwrap
import time
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor

import numpy as np
import pytest
from test_robust_interrupt import CLI, in_group

import simlib
from simlib import runner
from simlib.experiments import replicate, sweep, to_csv

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc; PR_SET_PDEATHSIG")

GRID = {"first_line.agents": [4, 6], "first_line.knowledge": [0.6, 0.9]}


@pytest.fixture(scope="module")
def table(desk: simlib.Scenario) -> np.ndarray:
    return sweep(desk, GRID, runs=3, seed=5, progress=False)


def same(a: np.ndarray, b: np.ndarray) -> bool:
    if a.dtype != b.dtype:
        return False
    return all(np.array_equal(a[n], b[n], equal_nan=a.dtype[n].kind == "f") for n in a.dtype.names)


def test_one_row_per_grid_point_the_last_name_fastest(table: np.ndarray) -> None:
    assert table.shape == (4,)
    assert table.dtype.names[:3] == ("first_line.agents", "first_line.knowledge", "runs")
    assert table["first_line.agents"].tolist() == [4, 4, 6, 6]
    assert table["first_line.knowledge"].tolist() == [0.6, 0.9, 0.6, 0.9]
    assert table.dtype["first_line.agents"] == np.int64 and table.dtype["first_line.knowledge"] == np.float64
    assert set(table["runs"]) == {3}
    for m in ("value", "utility", "wait.mean", "utilisation.second_line"):
        for part in ("mean", "low", "high"):
            assert f"{m}_{part}" in table.dtype.names
    assert np.all(table["value_low"] <= table["value_mean"]) and np.all(table["value_mean"] <= table["value_high"])


def test_each_row_is_replicate_at_that_point(desk: simlib.Scenario, table: np.ndarray) -> None:
    row = table[1]
    exp = replicate(desk.replace(**{"first_line.agents": 4, "first_line.knowledge": 0.9}), runs=3, seed=5)
    for m in ("value", "wait.mean", "escalation_share"):
        e = exp.measure(m)
        assert (row[f"{m}_mean"], row[f"{m}_low"], row[f"{m}_high"]) == (e.mean, e.low, e.high)


def test_every_point_sees_the_same_requests(table: np.ndarray) -> None:
    # Common random numbers across the grid: the requests not in the catalogue are the same
    # requests at every point, whatever the capacity and knowledge.
    assert len(set(table["not_supported_mean"])) == 1
    assert len(set(table["arrival_rate_mean"])) == 1
    # First-time fix is a warranty lever: utility stays put; more agents, less waiting.
    assert table["utility_mean"][1] == table["utility_mean"][0]
    assert table["wait.mean_mean"][2] < table["wait.mean_mean"][0]


def test_a_measure_a_point_does_not_report_is_nan(desk: simlib.Scenario) -> None:
    t = sweep(desk, {"second_line.agents": [0, 2]}, runs=2, seed=1, progress=False)
    assert math.isnan(t["utilisation.second_line_mean"][0]) and t["utilisation.second_line_mean"][1] > 0


def test_a_process_pool_gives_the_same_table(desk: simlib.Scenario, table: np.ndarray) -> None:
    with ProcessPoolExecutor(2) as pool:
        there = sweep(desk, GRID, runs=3, seed=5, executor=pool, progress=False)
    assert same(table, there)


def test_a_dask_cluster_gives_the_same_table(desk: simlib.Scenario, table: np.ndarray) -> None:
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        by_client = sweep(desk, GRID, runs=3, seed=5, executor=client, progress=False)
        by_executor = sweep(desk, GRID, runs=3, seed=5, executor=client.get_executor(), progress=False)
        exp = replicate(desk, runs=3, seed=5, executor=client)
    assert same(table, by_client)
    assert same(table, by_executor)
    assert np.array_equal(exp.values, replicate(desk, runs=3, seed=5).values, equal_nan=True)


class Refuses(Executor):
    """An executor that fails the test if anything is submitted to it."""

    def submit(self, fn, /, *args, **kwargs):
        raise AssertionError("a run was submitted before the grid was checked")


@pytest.mark.parametrize(
    ("grid", "field"),
    [
        ({"first_line.agentz": [3, 4]}, "first_line.agentz"),
        ({"first_line.agents": [3, -1]}, "first_line.agents"),
        ({"first_line.agents": [3, 4], "first_line.knowledge": [0.5, 1.5]}, "first_line.knowledge"),
        ({"first_line.agents": []}, "first_line.agents"),
        ({"first_line.agents": 5}, "first_line.agents"),
        ({"first_line.agents": "345"}, "first_line.agents"),
        ({}, "grid"),
        ([("first_line.agents", [3])], "grid"),
    ],
)
def test_a_bad_grid_is_refused_before_anything_runs(desk: simlib.Scenario, grid, field: str) -> None:
    with pytest.raises(ValueError, match=f"^{field}"):
        sweep(desk, grid, runs=2, seed=1, executor=Refuses(), progress=False)


def test_bad_runs_seed_measures_and_executor_are_refused(desk: simlib.Scenario) -> None:
    with pytest.raises(ValueError, match="^runs:"):
        sweep(desk, GRID, runs=1, seed=1)
    with pytest.raises(ValueError, match="^seed:"):
        sweep(desk, GRID, runs=2, seed=-3)
    with pytest.raises(ValueError, match="^measures:"):
        sweep(desk, GRID, runs=2, seed=1, measures=["valu"])
    with pytest.raises(ValueError, match="^executor:"):
        sweep(desk, GRID, runs=2, seed=1, executor=object())


def test_chosen_measures_only(desk: simlib.Scenario) -> None:
    t = sweep(desk, {"first_line.skill": [0.8, 1.2]}, runs=2, seed=1, measures=["value"], progress=False)
    assert t.dtype.names == ("first_line.skill", "runs", "value_mean", "value_low", "value_high")


def test_a_knowledge_table_per_type_is_a_grid_value(desk: simlib.Scenario) -> None:
    tables = [{"incident": 0.5}, {"incident": 0.9}]
    t = sweep(desk, {"know_how": tables}, runs=2, seed=1, measures=["utility"], progress=False)
    assert t["know_how"].tolist() == tables
    assert t["utility_mean"][1] > t["utility_mean"][0]


def test_to_csv_writes_one_line_per_point(table: np.ndarray, tmp_path) -> None:
    path = to_csv(table, tmp_path / "sweep.csv")
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == list(table.dtype.names)
    assert len(rows) == 1 + table.size
    assert float(rows[2][rows[0].index("value_mean")]) == table["value_mean"][1]


def test_progress_bar_on_stderr(desk: simlib.Scenario, capsys) -> None:
    sweep(desk, {"first_line.agents": [4, 5, 6]}, runs=2, seed=1, measures=["value"], progress=True)
    err = capsys.readouterr().err
    assert "sweep" in err and "3/3" in err and "points" in err
    sweep(desk, {"first_line.agents": [4, 5, 6]}, runs=2, seed=1, measures=["value"], progress=False)
    assert capsys.readouterr().err == ""


def test_progress_bar_is_a_widget_in_a_notebook(desk: simlib.Scenario, monkeypatch) -> None:
    ipywidgets = pytest.importorskip("ipywidgets")
    notebook = pytest.importorskip("tqdm.notebook")
    shown = []
    monkeypatch.setattr(runner, "tqdm", notebook.tqdm)  # what tqdm.auto picks in a notebook
    monkeypatch.setattr(notebook, "display", lambda *a, **k: shown.extend(a))
    sweep(desk, {"first_line.agents": [4, 5, 6]}, runs=2, seed=1, measures=["value"], progress=True)
    assert len(shown) == 1 and isinstance(shown[0], ipywidgets.HBox)
    bar = next(c for c in shown[0].children if isinstance(c, ipywidgets.FloatProgress))
    assert bar.value == bar.max == 3


def test_no_progress_bar_for_a_short_sweep_by_default(desk: simlib.Scenario, capsys) -> None:
    sweep(desk, {"first_line.agents": [4, 5]}, runs=2, seed=1, measures=["value"])
    assert capsys.readouterr().err == ""


# --------------------------------------------------------------------------- the runner


class Forgets(Executor):
    """An executor whose tasks return nothing: it does not run what it is given."""

    def submit(self, fn, /, *args, **kwargs):
        future: Future = Future()
        future.set_result(None)
        return future


def test_an_executor_that_returns_nothing_is_a_clear_error_not_zero_runs(desk: simlib.Scenario) -> None:
    with pytest.raises(ValueError, match=r"^executor: Forgets returned None for a task of 2 runs"):
        replicate(desk, runs=2, seed=1, executor=Forgets())
    with pytest.raises(ValueError, match=r"^executor: Forgets returned None"):
        sweep(desk, GRID, runs=2, seed=1, executor=Forgets(), progress=False)


def test_progress_may_be_a_function_of_done_and_total(desk: simlib.Scenario) -> None:
    calls: list[tuple[int, int]] = []
    jobs = [(desk, runner.seeds(1, 2)), (desk.replace(**{"first_line.agents": 6}), runner.seeds(1, 2))]
    here = runner.execute(jobs, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(0, 2), (1, 2), (2, 2)]
    with ThreadPoolExecutor(2) as pool:
        there = runner.execute(jobs, pool, progress=lambda done, total: calls.append((done, total)))
    assert calls[3:] == [(0, 2), (1, 2), (2, 2)] and there == here


def test_the_kit_pool_gives_the_same_runs_and_refuses_bad_sizes(desk: simlib.Scenario) -> None:
    with runner.process_pool(2) as pool:
        there = replicate(desk, runs=20, seed=3, executor=pool)
    assert np.array_equal(there.values, replicate(desk, runs=20, seed=3).values, equal_nan=True)
    for bad in (0, -1, 1.5, True, "2"):
        with pytest.raises(ValueError, match="^workers: .* is not allowed; expected a whole number"):
            runner.process_pool(bad)


KIT_POOL_SCRIPT = textwrap.dedent(
    """
    import sys
    from concurrent.futures import ProcessPoolExecutor

    import simlib
    from simlib.runner import process_pool

    if __name__ == "__main__":
        desk = simlib.load_scenario("service-desk")
        if sys.argv[1] == "long":  # a run of about half a minute
            desk = desk.replace(horizon=168.0 * 3000)
        with ProcessPoolExecutor(2) if sys.argv[1] == "theirs" else process_pool(2) as pool:
            simlib.replicate(desk, 2 if sys.argv[1] == "long" else 3000, 1, executor=pool)
    """
)


def interrupted(
    command: list[str], times: int, delay: float, processes: int = 4, kill: bool = False
) -> tuple[str, float, list[int]]:
    """SIGINT ``times`` times, 0.05 s apart, to a command's whole process group (Ctrl-C in a
    terminal); ``kill``: SIGKILL to its main process instead. Its stderr, the seconds it took
    to end, and its processes left."""
    proc = subprocess.Popen(command, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        t0 = time.monotonic()
        while len(in_group(proc.pid)) < processes:  # e.g. the main process, two workers, a resource tracker
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() - t0 < 60, "the pool never started"
            time.sleep(0.05)
        time.sleep(delay)
        assert proc.poll() is None, "it ended before the interrupt: make it longer"
        t1 = time.monotonic()
        for _ in range(times):
            if kill:
                os.kill(proc.pid, signal.SIGKILL)
            else:
                os.killpg(proc.pid, signal.SIGINT)
            time.sleep(0.05)
        _, err = proc.communicate(timeout=30)
        took = time.monotonic() - t1
        deadline = time.monotonic() + 5
        while in_group(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        return err, took, in_group(proc.pid)
    finally:
        if in_group(proc.pid):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


@linux_only
@pytest.mark.parametrize("delay", [0.0, 1.0])
def test_three_quick_ctrl_cs_stop_a_pooled_sweep_quietly(tmp_path, delay: float) -> None:
    script = tmp_path / "job.py"
    script.write_text(KIT_POOL_SCRIPT)
    for pool, processes in (("kit", 4), ("theirs", 3)):  # the kit's pool, or a pool forked by the user
        err, took, left = interrupted([sys.executable, str(script), pool], 3, delay, processes)
        # (a Ctrl-C while Python runs its clean-up at exit may still print from there)
        assert "KeyboardInterrupt" in err and "Exception ignored in: <module 'threading'" not in err, err
        assert err.startswith("Traceback") and "Error" not in err, err
        assert took < 15 and not left
    command = [*CLI, "--workers", "2"]
    err, took, left = interrupted(command, 3, delay)
    assert err.endswith("simlib: interrupted\n") and "Exception ignored" not in err and "Traceback" not in err, err
    assert took < 15 and not left


@linux_only
def test_ctrl_c_kills_a_long_run_at_once(tmp_path) -> None:
    # A run cannot be stopped half way: the kit's pool's workers are killed (runner._stop).
    script = tmp_path / "job.py"
    script.write_text(KIT_POOL_SCRIPT)
    err, took, left = interrupted([sys.executable, str(script), "long"], 1, 1.0)
    assert "KeyboardInterrupt" in err and took < 5 and not left, (err, took)


@linux_only
def test_the_kit_pool_leaves_when_its_main_process_is_killed(tmp_path) -> None:
    # A notebook kernel shut down hard: the workers of its pool leave too.
    script = tmp_path / "job.py"
    script.write_text(KIT_POOL_SCRIPT)
    _, _, left = interrupted([sys.executable, str(script), "long"], 1, 3.0, kill=True)  # running
    assert not left
