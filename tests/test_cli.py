"""The command line, as a user types it: a report, JSON, and one-line errors with status 2."""

from __future__ import annotations

import json
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
