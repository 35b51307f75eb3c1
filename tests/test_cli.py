"""The command line, as a user types it: a report, JSON, and one-line errors with status 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from simlib.cli import main, parse_setting


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "simlib", *args], capture_output=True, text=True, timeout=120)


def test_run_prints_the_report_led_by_utility_warranty_value():
    out = run("run")
    assert out.returncode == 0, out.stderr
    lines = [ln.split()[0] for ln in out.stdout.splitlines() if ln.strip()]
    assert lines[1:4] == ["utility", "warranty", "value"]


def test_list_names_the_builtin_scenarios(capsys):
    assert main(["list"]) == 0
    names = [ln.split()[0] for ln in capsys.readouterr().out.splitlines()]
    assert {"service-desk", "pure-queue"} <= set(names)


def test_json_and_settings(capsys):
    assert main(["run", "--set", "first_line.agents=7", "--set", "first_line.knowledge=0.9", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    m = data["measures"]
    assert m["value"] == pytest.approx(m["utility"] * m["warranty"])
    assert sum(data["outcomes"].values()) == m["requests"]


def test_a_scenario_file(tmp_path, capsys):
    from simlib import load_scenario

    path = tmp_path / "mine.toml"
    path.write_text(load_scenario("pure-queue").replace(horizon=200.0).to_toml())
    assert main(["run", str(path), "--seed", "3"]) == 0
    assert "pure-queue" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["run", "--set", "first_line.agents=-1"], "first_line.agents"),
        (["run", "--set", "first_line.knowledge=1.5"], "first_line.knowledge"),
        (["run", "--set", "first_line.agnets=3"], "first_line.agnets"),
        (["run", "--set", "agents"], "--set"),
        (["run", "no-such-scenario"], "scenario"),
        (["run", "--seed", "-4"], "--seed"),
    ],
)
def test_bad_input_exits_2_with_one_line(args, field):
    out = run(*args)
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in out.stderr, out.stderr
    assert field in lines[0] and ("expected" in lines[0] or "allowed" in lines[0])


def test_parse_setting_reads_toml_values():
    assert parse_setting("first_line.agents=6") == ("first_line.agents", 6)
    assert parse_setting("first_line.knowledge = {incident = 0.5}") == ("first_line.knowledge", {"incident": 0.5})
    assert parse_setting("types.incident.distribution=lognormal") == ("types.incident.distribution", "lognormal")


def test_help_is_plain_text_for_a_person():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "simlib", "--help"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0
    assert "``" not in out.stdout and ":func:" not in out.stdout, out.stdout
    for word in ("utility", "warranty", "run", "list", "examples:", "--set first_line.agents=6"):
        assert word in out.stdout, word


# ----------------------------------------------------------------------------- issue 22: the command line's own output


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


@pytest.mark.parametrize("args", [["--help"], ["run", "--help"], ["sweep", "--help"]])
def test_help_to_a_full_disk_fails_with_one_line(args):
    with open("/dev/full", "w") as full:
        out = subprocess.run(
            [sys.executable, "-m", "simlib", *args], stdout=full, stderr=subprocess.PIPE, text=True, timeout=120
        )
    assert out.returncode == 1
    assert one_line(out.stderr) == "simlib: system error: No space left on device"


@pytest.mark.parametrize("args", [["run"], ["list"], ["--help"], ["sweep", "--grid", "first_line.agents=[3]"]])
def test_a_closed_standard_output_is_one_clear_line(args):
    out = subprocess.run(
        [sys.executable, "-m", "simlib", *args],
        stdout=None,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
        pass_fds=(),
        close_fds=True,
        preexec_fn=lambda: os.close(1),
    )
    assert out.returncode == 1
    assert "standard output is closed" in one_line(out.stderr) and "AttributeError" not in out.stderr


@pytest.mark.parametrize("option", ["--grid", "--set"])
def test_a_field_given_twice_is_refused_not_replaced(option):
    first, second = (
        ("first_line.agents=[3, 4]", "first_line.agents=[5]")
        if option == "--grid"
        else (
            "first_line.agents=3",
            "first_line.agents=4",
        )
    )
    out = run("sweep" if option == "--grid" else "run", option, first, option, second)
    assert out.returncode == 2
    assert one_line(out.stderr) == (
        f"simlib: {option} first_line.agents: given twice; "
        f"expected each field once (put all its values in one {option})"
    )


@pytest.mark.parametrize(
    ("setting", "words"),
    [
        ("first_line.hours={a=1,b=2}", "first_line.hours: {'a': 1, 'b': 2} is not allowed; expected [start, end]"),
        ("customers.external.profile=[5e-324" + ", 0" * 23 + "]", "customers.external.profile: the weights are all 0"),
        ("catalogue={incident=1}", "catalogue: {'incident': 1} is not allowed; expected a list of request types"),
        ("continuity.starts={100=2}", "continuity.starts: {'100': 2} is not allowed; expected a list of times"),
        ("first_line.skill=1e-308", "first_line.skill: 1e-308 is out of range; expected a number >= 0.01"),
        ('name="a\\u001bb\\rc\\n"', r"name: 'a\x1bb\rc\n' is not allowed"),
    ],
)
def test_scenario_tracebacks_and_coercions_are_one_line_with_status_2(setting, words):
    out = run("run", "--set", setting)
    assert out.returncode == 2 and words in one_line(out.stderr), out.stderr


def test_a_sweep_runs_on_no_more_processes_than_it_has_runs(monkeypatch, capsys):
    import simlib.runner

    asked = []
    real = simlib.runner.process_pool
    monkeypatch.setattr(simlib.runner, "process_pool", lambda n: asked.append(n) or real(n))
    args = ["sweep", "--grid", "first_line.agents=[4, 5]", "--runs", "2", "--workers", "1024"]
    assert main([*args, "pure-queue"]) == 0
    capsys.readouterr()
    assert asked == [min(4, 2 * (os.cpu_count() or 1))]  # 2 x 2 runs, not 1024 processes


def test_a_garbage_simlib_limits_is_refused_on_the_command_line():
    out = subprocess.run(
        [sys.executable, "-m", "simlib", "run"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "SIMLIB_LIMITS": "garbage"},
    )
    assert out.returncode == 2 and "SIMLIB_LIMITS: 'garbage' is not allowed" in one_line(out.stderr)
