"""Robustness (issue 12): bounded work for any input, one clear line for every bad input.

Every input the hostile tester tried is here: huge values are refused before they run,
files that cannot be read are named, and the command line never shows a traceback.
"""

from __future__ import annotations

import math
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

import simlib
from simlib import limits, tomlio
from simlib.cli import main, parse_setting
from simlib.limits import LimitError
from simlib.sweeps import sweep, to_csv

ROOT = Path(__file__).resolve().parent.parent


def cli(*args: str, stdout=subprocess.PIPE, env=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "simlib", *args], stdout=stdout, stderr=subprocess.PIPE, text=True, timeout=120, env=env
    )


def one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in text, text
    return lines[0]


# --------------------------------------------------------------------------- the work estimate


@pytest.mark.parametrize("name", simlib.builtin_scenarios())
def test_the_estimate_is_within_a_factor_of_2_of_the_real_request_count(name: str) -> None:
    sc = simlib.load_scenario(name)
    est = limits.estimate(sc)
    # every request drawn, measured or in the warm-up
    drawn = np.mean([simlib.simulate(sc.replace(warmup=0.0), seed=s).measures["requests"] for s in range(3)])
    drawn += np.mean([simlib.simulate(sc.replace(warmup=0.0), seed=s).measures["open"] for s in range(3)])
    assert drawn / 2 <= est.requests <= drawn * 2, (est.requests, drawn)


def test_the_estimate_follows_the_profile_over_a_part_day() -> None:
    desk = simlib.load_scenario("service-desk")
    night = desk.replace(horizon=6.0)  # 00:00-06:00: the quiet hours of the profile
    est = limits.estimate(night)
    weights = np.array(desk.customers[0].profile)
    assert est.requests == pytest.approx(night.arrival_rate * weights[:6].sum() / weights.mean())
    assert est.requests < 0.2 * night.arrival_rate * 6
    week = limits.estimate(desk)
    assert week.requests == pytest.approx(desk.arrival_rate * 168)


def test_the_estimate_counts_outages_disruptions_and_shifts() -> None:
    desk = simlib.load_scenario("service-desk")
    quiet = desk.replace(**{"security.attacks": 0.0})
    est = limits.estimate(quiet)
    expected = 168 / 82 + 168 / 123 + 0.004 * 168
    assert est.events == pytest.approx(expected)
    shifts = limits.estimate(quiet.replace(**{"first_line.hours": [8, 18]}))
    assert shifts.events == pytest.approx(expected + 2 * 7)
    attacked = desk.replace(**{"security.attacks": 0.5, "security.containment": 1.0})
    breaches = [n for _, n, what in limits.estimate(attacked).event_sources if what == "breaches"]
    real = np.mean([simlib.simulate(attacked, seed=s).measures["breaches"] for s in range(3)])
    assert real / 2 <= breaches[0] <= real * 2 + 5  # an upper bound: not every impostor is served


# The tester's inputs: refused at once, by a field's bound (simlib.validation) or by a limit.
ISSUE_INPUTS = [
    ({"horizon": 1e9}, "horizon"),
    ({"customers.external.rate": 1e7}, "customers.external.rate"),
    ({"continuity.rate": 1e6}, "continuity.rate"),
    ({"first_line.agents": 1e308}, "first_line.agents"),
    ({"first_line.mtbf": 1e-9, "first_line.mtrs": 1e-9}, "first_line.mtbf + first_line.mtrs"),
]


@pytest.mark.parametrize(("changes", "field"), ISSUE_INPUTS)
def test_the_testers_inputs_are_refused_at_once_naming_the_field(changes: dict, field: str) -> None:
    desk = simlib.load_scenario("service-desk")
    with pytest.raises(ValueError, match=field.replace(".", r"\.").replace("+", r"\+")):
        simlib.simulate(desk.replace(**changes), seed=1)


# Values within the fields' bounds that still ask for too much: refused by the limits.
LIMITED = [
    ({"customers.external.rate": 1e5}, "horizon x customers.external.rate gives about 1.7e7 requests", "max_requests"),
    ({"continuity.rate": 1e5}, "horizon x continuity.rate gives about 1.7e7 disruptions", "max_events"),
    ({"first_line.mtbf": 1e-9, "first_line.mtrs": 1e-9}, "gives about 8.4e10 outages", "max_events"),
    ({"horizon": 1e6}, "gives about 7.5e6 requests, 5.0e9 bytes of memory", "max_memory"),
]


@pytest.mark.parametrize(("changes", "words", "limit"), LIMITED)
def test_too_much_work_is_refused_naming_the_fields_and_the_estimate(changes: dict, words: str, limit: str) -> None:
    desk = simlib.load_scenario("service-desk")
    sc = desk.replace(**changes)
    with pytest.raises(LimitError) as info:
        simlib.simulate(sc, seed=1)
    message = str(info.value)
    assert words in message and message.endswith(f"(set {limit} to raise it)"), message
    assert info.value.name == limit


def test_the_memory_of_agents_is_estimated() -> None:
    desk = simlib.load_scenario("service-desk")
    small, big = (limits.estimate(desk.replace(**{"first_line.agents": n})) for n in (5, 10_000))
    assert big.memory - small.memory == pytest.approx(9_995 * limits.BYTES_PER_AGENT)
    with pytest.raises(LimitError, match=r"^first_line.agents gives about 10000 agents, 1.0e7 bytes of memory"):
        limits.enforce(desk.replace(**{"first_line.agents": 10_000}), {"max_memory": 1e7})


def test_the_message_reads_as_documented() -> None:
    queue = simlib.load_scenario("pure-queue").replace(horizon=1e6)
    with pytest.raises(LimitError) as info:
        simlib.simulate(queue, seed=1)
    assert str(info.value) == (
        "horizon x customers.all.rate gives about 1.6e7 requests; the limit is 1e7 (set max_requests to raise it)"
    )


def test_a_million_requests_is_within_the_limits() -> None:
    queue = simlib.load_scenario("pure-queue").replace(horizon=1e6 / 16)
    est = limits.enforce(queue)
    assert est is not None and est.requests == pytest.approx(1e6)


def test_the_ways_past_the_limits(monkeypatch) -> None:
    queue = simlib.load_scenario("pure-queue").replace(horizon=1e6, warmup=0.0)  # 1.6e7 requests
    with pytest.raises(LimitError):
        limits.enforce(queue)
    assert limits.enforce(queue, {"max_requests": 1e8, "max_memory": 1e11}) is not None
    assert limits.enforce(queue, False) is None
    with limits.raised(max_requests=1e8, max_memory=1e11):
        assert limits.enforce(queue) is not None
    with pytest.raises(LimitError):
        limits.enforce(queue)
    monkeypatch.setenv("SIMLIB_MAX_REQUESTS", "1e8")
    monkeypatch.setenv("SIMLIB_MAX_MEMORY", "inf")
    assert limits.enforce(queue) is not None
    monkeypatch.delenv("SIMLIB_MAX_REQUESTS")
    monkeypatch.setenv("SIMLIB_LIMITS", "off")
    assert limits.enforce(queue) is not None
    monkeypatch.setenv("SIMLIB_LIMITS", "")
    monkeypatch.setenv("SIMLIB_MAX_EVENTS", "many")
    with pytest.raises(ValueError, match="SIMLIB_MAX_EVENTS: 'many' is not a number"):
        limits.enforce(queue)


def test_bad_limits_are_refused() -> None:
    queue = simlib.load_scenario("pure-queue")
    with pytest.raises(ValueError, match="'max_request' is not a limit"):
        limits.enforce(queue, {"max_request": 1e8})
    with pytest.raises(ValueError, match="out of range"):
        limits.enforce(queue, {"max_requests": -1})
    with pytest.raises(ValueError, match="not allowed"):
        simlib.simulate(queue, 1, limits=[1e8])


def test_replicate_of_a_trillion_runs_is_refused_at_once() -> None:
    desk = simlib.load_scenario("service-desk")
    with pytest.raises(LimitError, match=r"^runs gives about 1.0e12 runs; the limit is 1e5"):
        simlib.replicate(desk, runs=10**12, seed=1)
    with pytest.raises(LimitError, match="runs"):
        simlib.compare(desk, desk, runs=10**12, seed=1)
    with pytest.raises(LimitError, match="runs"):
        simlib.runs_needed(desk, max_runs=10**12)


def test_the_total_requests_of_an_experiment_are_checked() -> None:
    queue = simlib.load_scenario("pure-queue").replace(horizon=5e6 / 16)  # 5e6 requests a run
    with pytest.raises(LimitError, match=r"^1e3 runs x about 5.0e6 requests gives about 5.0e9 requests in all"):
        simlib.replicate(queue, runs=1000, seed=1)


def test_a_1000_by_1000_grid_is_refused_before_it_is_built() -> None:
    desk = simlib.load_scenario("service-desk")
    grid = {"first_line.agents": range(1, 1001), "first_line.knowledge": np.linspace(0, 1, 1000)}
    with pytest.raises(LimitError, match=r"^a grid of 1000 first_line.agents x 1000 first_line.knowledge x runs"):
        sweep(desk, grid, runs=2, seed=1, progress=False)
    with pytest.raises(LimitError, match="grid"):
        sweep(desk, {"first_line.agents": range(10**12)}, runs=2, seed=1, progress=False)


# --------------------------------------------------------------------------- files and TOML


@pytest.fixture
def desk_file(tmp_path: Path) -> Path:
    path = tmp_path / "desk.toml"
    path.write_text(simlib.load_scenario("service-desk").to_toml())
    return path


def test_to_toml_is_written_by_tomli_w_and_reads_back(desk_file: Path) -> None:
    desk = simlib.load_scenario("service-desk")
    assert simlib.load_scenario(desk_file) == desk
    text = desk.to_toml()
    assert "[customers.external.mix]" in text  # tomli-w's tables
    assert 'catalogue = ["password-reset", "incident", "access-request", "software-install"]' in text


BAD_FILES = [
    ("missing.toml", None, "no such file"),
    ("folder", "dir", "is a folder"),
    ("latin1.toml", b'name = "caf\xe9"\n', "is not UTF-8 text"),
    ("deep.toml", b"x = " + b"[" * 5000 + b"]" * 5000 + b"\n", "nested too deeply"),
    ("deep-tables.toml", b"x = " + b"{a = " * 400 + b"1" + b"}" * 400 + b"\n", "nested too deeply"),
    ("digits400.toml", b"horizon = " + b"9" * 400 + b"\n", "400 digits is too large"),
    ("digits5000.toml", b"horizon = " + b"9" * 5000 + b"\n", "more than 4300 digits"),
    ("float400.toml", b"horizon = 1" + b"0" * 400 + b".0\n", "horizon"),
    ("not-toml.toml", b"name = = 1\n", "is not valid TOML"),
    ("huge.toml", b"#" * (tomlio.MAX_BYTES + 10), "larger than"),
]


@pytest.mark.parametrize(("name", "content", "reason"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_a_bad_file_is_one_value_error_naming_it(tmp_path: Path, name: str, content, reason: str) -> None:
    path = tmp_path / name
    if content == "dir":
        path.mkdir()
    elif content is not None:
        path.write_bytes(content)
    with pytest.raises(ValueError) as info:
        simlib.load_scenario(path)
    message = str(info.value)
    assert reason in message and "\n" not in message
    if reason != "horizon":
        assert name in message


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("/proc/self/mem", "cannot read '/proc/self/mem'"),
        ("/dev/zero", "not a regular file"),
        ("x" * 5000 + ".toml", "(5005 characters): the name is too long"),
        (Path("x" * 5000), "the name is too long"),
        ("bad\0name.toml", "not a file name"),
        (42, "int is not allowed"),
        (None, "NoneType is not allowed"),
        (b"/nonexistent.toml", "no such file"),
    ],
)
def test_paths_that_are_no_scenario_file(source, reason: str) -> None:
    with pytest.raises(ValueError) as info:
        simlib.load_scenario(source)
    assert reason in str(info.value) and len(str(info.value)) < 300


def test_a_byte_order_mark_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + simlib.load_scenario("pure-queue").to_toml().encode())
    assert simlib.load_scenario(path).name == "pure-queue"


def test_to_csv_refuses_bad_arguments_with_value_error(tmp_path: Path) -> None:
    table = sweep(simlib.load_scenario("service-desk"), {"first_line.agents": [4, 5]}, 2, 1, progress=False)
    for path, reason in [
        (tmp_path / "no" / "such" / "dir.csv", "cannot write"),
        (tmp_path, "cannot write"),
        ("x" * 5000, "cannot write"),
        (3.5, "float is not allowed"),
        ("", "not allowed"),
    ]:
        with pytest.raises(ValueError, match=reason):
            to_csv(table, path)
    with pytest.raises(ValueError, match="table: list is not allowed"):
        to_csv([1, 2], tmp_path / "t.csv")
    with pytest.raises(OSError):  # a full disk is the machine's failure, not the argument's
        to_csv(table, "/dev/full")


# --------------------------------------------------------------------------- the mix and numpy


def test_a_mix_numpy_would_refuse_is_refused_with_its_field() -> None:
    desk = simlib.load_scenario("service-desk")
    with pytest.raises(ValueError, match=r"customers\.external\.mix: the shares sum to 1\.0000005"):
        desk.replace(**{"customers.external.mix.incident": 0.35 + 5e-7})
    ok = desk.replace(**{"customers.external.mix.incident": 0.35 + 5e-9})  # numpy takes it
    simlib.simulate(ok.replace(horizon=24.0), seed=1)


def test_numpy_values_in_a_sweep_grid() -> None:
    desk = simlib.load_scenario("service-desk")
    try:
        desk.replace(**{"first_line.agents": np.int64(4)})
    except ValueError:
        pytest.skip("numpy scalars in replace() come with the validation module (issue 16)")
    table = sweep(desk, {"first_line.agents": np.arange(3, 6)}, runs=2, seed=1, progress=False)
    assert table["first_line.agents"].tolist() == [3, 4, 5]


# --------------------------------------------------------------------------- the command line


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--set", "horizon=1e9"], "horizon"),
        (["pure-queue", "--set", "horizon=1e6"], "about 1.6e7 requests"),
        (["--set", "customers.external.rate=1e5"], "about 1.7e7 requests"),
        (["--set", "customers.external.rate=1e7"], "customers.external.rate"),
        (["--set", "continuity.rate=1e6"], "continuity.rate"),
        (["--set", "first_line.agents=1e308"], "first_line.agents"),
        (["--set", "first_line.mtbf=1e-9", "--set", "first_line.mtrs=1e-9"], "outages"),
        (["--set", "horizon=" + "9" * 400], "400 digits"),
        (["--set", "horizon=" + "9" * 5000], "4300 digits"),
        (["--set", "horizon=" + "[" * 5000], "nested too deeply"),
        (["--set", "horizon=" + "[" * 100 + "]" * 100], "nested too deeply"),
        (["--set", "first_line.knowledge=" + "{a=" * 300 + "1" + "}" * 300], "nested too deeply"),
        (["x" * 5000 + ".toml"], "too long"),
        (["/proc/self/mem"], "/proc/self/mem"),
        (["--set", "customers.external.mix.incident=0.3500005"], "customers.external.mix"),
        (["--bogus"], "unrecognized arguments"),
        (["--seed", "x"], "--seed"),
        (["--set", "horizon=1e9", "--limit", "max_requests=lots"], "--limit max_requests"),
    ],
)
def test_the_command_line_refuses_in_one_line_with_status_2(args: list[str], words: str) -> None:
    out = cli("run", *args)
    assert out.returncode == 2, out.stderr
    line = one_line(out.stderr)
    assert line.startswith("simlib: ") and words in line and len(line) < 500


def test_a_limit_message_on_the_command_line_says_how_to_raise_it() -> None:
    out = cli("run", "pure-queue", "--set", "horizon=1e6")
    assert one_line(out.stderr).endswith("(raise it with --limit max_requests=N)")


def test_limit_raises_a_limit_on_the_command_line() -> None:
    args = ["run", "pure-queue", "--set", "horizon=200", "--json"]
    assert cli(*args, "--limit", "max_requests=1000").returncode == 2
    assert cli(*args, "--limit", "max_requests=1e4").returncode == 0


def test_a_full_disk_is_one_line_and_status_1() -> None:
    with open("/dev/full", "w") as full:
        out = cli("run", stdout=full)
    assert out.returncode == 1
    assert one_line(out.stderr) == "simlib: system error: No space left on device"


@pytest.mark.parametrize("entry", ["module", "script"])
def test_a_closed_pipe_ends_quietly(entry: str) -> None:
    script = Path(sys.executable).parent / "simlib"
    if entry == "script" and not script.exists():
        pytest.skip("the simlib script is not installed beside this python")
    command = [sys.executable, "-m", "simlib"] if entry == "module" else [str(script)]
    line = " ".join(f"'{c}'" for c in command) + " run | head -c 10 >/dev/null; echo ${PIPESTATUS[0]} >&2"
    out = subprocess.run(["bash", "-c", line], capture_output=True, text=True, timeout=120)
    assert out.stderr.strip() in ("0", "1"), out.stderr  # nothing but the status


def test_deep_set_values_in_process(capsys) -> None:
    with pytest.raises(ValueError, match="nested too deeply"):
        parse_setting("horizon=" + "[" * 3000 + "]" * 3000)
    assert main(["run", "--set", "horizon=" + "[" * 3000]) == 2
    assert "nested too deeply" in capsys.readouterr().err


def test_an_unexpected_error_is_still_one_line(monkeypatch, capsys) -> None:
    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr("simlib.cli.simulate", broken)
    assert main(["run"]) == 1
    err = capsys.readouterr().err
    assert one_line(err) == "simlib: unexpected error, ZeroDivisionError: a bug (SIMLIB_DEBUG=1 shows the traceback)"


def test_ctrl_c_in_process_exits_130(monkeypatch, capsys) -> None:
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("simlib.cli.simulate", interrupted)
    assert main(["run"]) == 130
    assert capsys.readouterr().err == "simlib: interrupted\n"


def test_the_sweep_command_writes_csv(tmp_path: Path) -> None:
    out = cli("sweep", "--grid", "first_line.agents=[4, 5]", "--runs", "2", "--measures", "value")
    assert out.returncode == 0, out.stderr
    rows = out.stdout.splitlines()
    assert rows[0] == "first_line.agents,runs,value_mean,value_low,value_high" and len(rows) == 3
    for args, words in [
        ([], "--grid: missing"),
        (["--grid", "first_line.agents=4"], "expected a list of values"),
        (["--grid", "first_line.agents=[4]", "--workers", "0"], "--workers"),
        (["--grid", "first_line.agents=[4]", "--runs", "1"], "runs"),
        (["--grid", "first_line.agents=[4]", "--runs", "100000000"], "max_runs"),
        (["--grid", "first_line.agents=[4]", "--out", str(tmp_path / "no" / "t.csv")], "cannot write"),
    ]:
        bad = cli("sweep", *args)
        assert bad.returncode == 2 and words in one_line(bad.stderr), bad.stderr


def test_flags_are_real_booleans() -> None:
    desk = simlib.load_scenario("service-desk")
    with pytest.raises(ValueError, match="progress: 'yes' is not allowed"):
        sweep(desk, {"first_line.agents": [4, 5]}, 2, 1, progress="yes")


# --------------------------------------------------------------------------- executors


def test_a_thread_pool_is_stopped_by_ctrl_c(monkeypatch) -> None:
    from simlib import runner

    calls = []
    real = runner.simulate

    def slow(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(runner, "simulate", slow)
    desk = simlib.load_scenario("service-desk").replace(horizon=24.0)
    with ThreadPoolExecutor(2) as pool, pytest.raises(KeyboardInterrupt):
        sweep(desk, {"first_line.agents": [3, 4, 5, 6]}, runs=50, seed=1, executor=pool, progress=False)
    assert len(calls) < 50  # stopped, not run to the end


def test_flags_and_limits_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    for word in ("max_requests", "SIMLIB_MAX_REQUESTS", "--limit", "SIMLIB_LIMITS=off", "limits="):
        assert word in readme, word
    assert math.isfinite(limits.DEFAULTS["max_requests"])


# --------------------------------------------------------------------------- issue 22: every size in the estimate

MEASURE_STARTS = """
import sys, tracemalloc
import numpy as np
import simlib
desk = simlib.load_scenario("service-desk")
simlib.simulate(desk, seed=1)
tracemalloc.start()
sc = desk.replace(**{"continuity.starts": np.linspace(0, 160, int(sys.argv[1])).tolist(), "continuity.recovery": 1e-6})
simlib.simulate(sc, seed=1, limits=False)
print(tracemalloc.get_traced_memory()[1], simlib.limits.estimate(sc).memory - simlib.limits.estimate(desk).memory)
"""


def test_the_memory_of_continuity_starts_is_estimated_within_35_percent() -> None:
    # The peak of Python's allocations (tracemalloc: the same every time) for 200,000 starts is 191 MB
    # (50,000 here, for speed); the peak RSS grows by 177 to 226 MB (the allocator varies); 230 MB estimated.
    out = subprocess.run([sys.executable, "-c", MEASURE_STARTS, "50000"], capture_output=True, text=True, timeout=300)
    measured, estimated = map(float, out.stdout.split())
    assert 0.95 * measured <= estimated <= 1.35 * measured, (measured, estimated)  # 0.30 GB for 1.52 GB, before


def test_five_million_starts_are_refused_before_running() -> None:
    desk = simlib.load_scenario("service-desk")
    big = desk.replace(**{"continuity.starts": np.linspace(0, 160, 5_000_000).tolist(), "continuity.recovery": 1e-6})
    with pytest.raises(LimitError, match=r"^continuity\.starts gives about 5,000,000 disruptions, 5\.\de9 bytes"):
        simlib.simulate(big, seed=1)


def test_a_tiny_profile_weight_does_not_divide_by_zero() -> None:
    desk = simlib.load_scenario("service-desk")
    sc = desk.replace(**{"customers.external.profile": [5e-324] + [1.0] * 23})
    assert limits.estimate(sc).requests > 0


@pytest.mark.parametrize("word", ["garbage", "maybe", "of"])
def test_a_garbage_simlib_limits_is_refused_not_ignored(monkeypatch, word: str) -> None:
    monkeypatch.setenv("SIMLIB_LIMITS", word)
    with pytest.raises(ValueError, match=rf"^SIMLIB_LIMITS: '{word}' is not allowed; expected off"):
        limits.current()
    for fine in ("", "on", "OFF", " no "):
        monkeypatch.setenv("SIMLIB_LIMITS", fine)
        limits.current()


# --------------------------------------------------------------------------- issue 22: the gate for file paths


def test_any_path_is_text_or_one_bounded_value_error(tmp_path: Path) -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    (tmp_path / "folder").mkdir()
    special = ["/dev/zero", "/dev/null", "/proc/self/mem", "/", str(tmp_path / "loop"), str(tmp_path / "folder")]
    paths = st.one_of(
        st.sampled_from(special),
        st.text(max_size=40),
        st.integers(1, 5000).map(lambda n: "a" * n + ".toml"),
        st.binary(max_size=40),
        st.builds(Path, st.text(min_size=1, max_size=40)),
        st.none(),
        st.integers(),
    )

    @settings(max_examples=150, deadline=None)
    @given(paths)
    def read(path: object) -> None:
        try:
            text = tomlio.read_file(path)  # type: ignore[arg-type]
        except ValueError as exc:
            assert 0 < len(str(exc)) < 400 and "\n" not in str(exc), str(exc)[:400]
        else:
            assert isinstance(text, str)

    read()


def test_file_errors_are_in_the_learners_language(monkeypatch, tmp_path: Path) -> None:
    # Issue 22: under LANGUAGE=nl, file errors stayed English; they are gettext messages where raised.
    monkeypatch.setattr(tomlio, "_", lambda message: f"«{message}»")  # a stand-in language
    with pytest.raises(ValueError, match=r"^«scenario: cannot open '.*missing\.toml': «no such file»»$"):
        tomlio.read_file(tmp_path / "missing.toml")
    with pytest.raises(ValueError, match=r"^«scenario: '.*' is a folder; expected the path of a TOML file»$"):
        tomlio.read_file(tmp_path)
