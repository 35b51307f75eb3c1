"""A hypothesis fuzz test of the command line, load_scenario / replace and the exercise checks (issues 12, 22).

Random field names and values (huge, tiny, nested, NaN, unicode, numpy types) and random
file bytes, as a hostile new user would type them. Each case must end in under 10 s, under
a 2 GB memory cap, with exit status 0 or 2 (the API: a Scenario or a ValueError) and no
traceback.

Starting a Python process per case would take most of the suite's time on two cores, so the
cases of one hypothesis example run in one batch subprocess: this file run as a script, with
``resource.setrlimit(RLIMIT_AS, 2 GB)`` and a 10 s timer per case. A few cases also run the
real ``python -m simlib`` in their own capped subprocess. Low limits on the work
(``SIMLIB_MAX_REQUESTS``) keep every accepted run short; the limits themselves are tested in
tests/test_robust.py.

Cases: BATCHES x (CLI_CASES command lines + API_CASES replace() calls + CHECK_CASES answers to
the exercise checks + FILE_CASES files, half read by load_scenario and half by the command
line), and SUBPROCESS_CASES whole processes: 10 x 24 + 8 = 248 cases, about 45 s on two busy
cores. A replace() that takes a table where a list belongs (its keys, silently) fails the
case, as does a check whose feedback is not a Feedback of at most MAX_FEEDBACK characters.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

MEMORY_CAP = 2 * 1024**3
CASE_SECONDS = 10
BATCHES = 10  # hypothesis examples; the first is its simplest, the rest random
CLI_CASES, API_CASES, CHECK_CASES, FILE_CASES = 8, 6, 6, 4  # per batch
MAX_FEEDBACK = 1000  # characters of a check's feedback, whatever the answer
LIST_FIELDS = ("catalogue", "customers.external.profile", "first_line.hours", "continuity.starts", "security.targets")
SUBPROCESS_CASES = 8
ENV = {
    "SIMLIB_MAX_REQUESTS": "2e4",
    "SIMLIB_MAX_EVENTS": "1e4",
    "SIMLIB_MAX_MEMORY": "1e9",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
}
FIELDS = [
    "horizon",
    "warmup",
    "name",
    "catalogue",
    "customers.external.rate",
    "customers.external.mix",
    "customers.external.mix.incident",
    "customers.external.profile",
    "customers.external.patience",
    "customers.internal.kind",
    "first_line.agents",
    "first_line.knowledge",
    "first_line.knowledge.incident",
    "first_line.skill",
    "first_line.mtbf",
    "first_line.mtrs",
    "first_line.hours",
    "second_line.agents",
    "continuity.rate",
    "continuity.recovery",
    "continuity.starts",
    "types.incident.handling",
    "types.incident.distribution",
    "types.incident.cv",
    "know_how",
    "know_how.incident",
    "security.attacks",
    "security.targets",
    "security.verification",
    "security.containment",
]


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


class _Timeout(BaseException):
    pass


def _on_alarm(signum, frame):
    raise _Timeout


# --------------------------------------------------------------------------- the batch process


def _run_case(case: dict) -> dict:
    """One case in this process: a command line, or an API call; its outcome."""
    import simlib
    from simlib.cli import main

    out, err = io.StringIO(), io.StringIO()
    t0 = time.perf_counter()
    signal.setitimer(signal.ITIMER_REAL, CASE_SECONDS)
    result: dict = {}
    try:
        if case["kind"] == "cli":
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                result["code"] = main(case["argv"])
        else:
            try:
                if case["kind"] == "file":
                    simlib.load_scenario(case["path"])
                elif case["kind"] == "check":
                    feedback = _answer(case["check"], _decode(case["value"]))
                    text = str(feedback)
                    ok = isinstance(feedback, simlib.check.Feedback) and len(text) <= MAX_FEEDBACK
                    result["code"] = 0 if ok else "unbounded"
                    out.write(text[:2000])
                else:
                    value = _decode(case["value"])
                    simlib.load_scenario("service-desk").replace(**{case["name"]: value})
                    if case["name"] in LIST_FIELDS and isinstance(value, dict) and value:
                        result["code"] = "coerced"  # a table taken as a list of its keys
                result.setdefault("code", 0)
            except ValueError as exc:
                result["code"] = 2
                err.write(str(exc))
    except _Timeout:
        result["code"] = "timeout"
    except BaseException:  # noqa: BLE001 - the very thing the test looks for
        result["code"] = "exception"
        err.write(traceback.format_exc())
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    result.update(seconds=time.perf_counter() - t0, stdout=out.getvalue()[-2000:], stderr=err.getvalue()[-2000:])
    return result


class _Odd(int):
    """An int whose int() is another number: the value checked must be the one stored."""

    def __int__(self) -> int:
        return 10**6


def _answer(name: str, value):
    """``value`` given as the answer to one of the exercise checks."""
    from simlib import check

    why = {"hire": "Capacity.", "coach": "Speed.", "second line": "Over the budget."}
    checks = {
        "number": lambda: check.number(value, 0.5),
        "number-inf": lambda: check.number(value, math.inf),
        "integer": lambda: check.integer(value, 6),
        "within": lambda: check.within(value, 0.0, 1.0),
        "choice": lambda: check.choice(value, "train", ["hire", "train", "coach", "second line"], why=why),
        "labels": lambda: check.labels(value, ["a", "b", "c"], ["a", "b", "c"]),
        "meets": lambda: check.meets(value, {"positive": lambda v: v > 0, "short": lambda v: len(v) < 3}),
    }
    return checks[name]()


def _decode(value):
    """The API's values travel as JSON: numpy scalars, NaN, huge numbers, odd ints and deep nests are tagged."""
    import numpy as np

    if isinstance(value, dict) and "__odd__" in value:
        return _Odd(value["__odd__"])
    if isinstance(value, dict) and "__deep__" in value:
        deep: dict = {}
        node = deep
        for _ in range(value["__deep__"]):
            node["a"] = {}
            node = node["a"]
        return deep
    if isinstance(value, dict) and "__long__" in value:
        return "x" * value["__long__"]
    if isinstance(value, dict) and "__np__" in value:
        return getattr(np, value["__np__"])(_decode(value["v"]))
    if isinstance(value, dict) and "__float__" in value:
        return float(value["__float__"])
    if isinstance(value, dict) and "__int__" in value:
        return int(value["__int__"])
    if isinstance(value, dict):
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def batch(cases_file: str, results_file: str) -> None:
    _cap_memory()
    sys.set_int_max_str_digits(0)  # the cases carry long numbers as text; the code under test has its own limit
    cases = json.loads(Path(cases_file).read_text())
    sys.set_int_max_str_digits(4300)
    signal.signal(signal.SIGALRM, _on_alarm)
    results = [_run_case(case) for case in cases]
    Path(results_file).write_text(json.dumps(results))


# --------------------------------------------------------------------------- the tests

if __name__ != "__main__":
    import pytest
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    toml_numbers = st.one_of(
        st.floats(allow_nan=True, allow_infinity=True).map(
            lambda f: "nan" if math.isnan(f) else ("inf" if f > 0 else "-inf") if math.isinf(f) else repr(f)
        ),
        st.integers(min_value=-(10**450), max_value=10**450).map(str),
        st.sampled_from(["1e308", "1e-308", "5e-324", "1e9", "1e-9", "0", "-0.0", "9" * 5000, "0x10", "1_000"]),
    )
    toml_values = st.one_of(
        toml_numbers,
        st.integers(min_value=1, max_value=4000).map(lambda k: "[" * k + "1" + "]" * k),
        st.integers(min_value=1, max_value=2000).map(lambda k: "{a=" * k + "1" + "}" * k),
        st.integers(min_value=1, max_value=3000).map(lambda k: "[" * k),
        st.lists(toml_numbers, max_size=30).map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.dictionaries(st.sampled_from(["incident", "password-reset", "x", "ü"]), toml_numbers, max_size=4).map(
            lambda d: "{" + ", ".join(f'"{k}" = {v}' for k, v in d.items()) + "}"
        ),
        st.text(max_size=60),
        st.sampled_from(["true", "lognormal", "internal", '"\\u0000"', "'''", "[1, 'a']", "{}", "[]", ""]),
    )
    field_names = st.one_of(
        st.sampled_from(FIELDS),
        st.sampled_from(FIELDS),
        st.sampled_from(FIELDS),
        st.text(max_size=30),
        st.lists(st.sampled_from(["first_line", "types", "x", "", "ü", "__class__"]), min_size=1, max_size=6).map(
            ".".join
        ),
    )

    def _argv(settings_: list[tuple[str, str]], seed: int | None, scenario: str, json_flag: bool) -> list[str]:
        argv = ["run", scenario]
        for name, value in settings_:
            argv += ["--set", f"{name}={value}"]
        if seed is not None:
            argv += ["--seed", str(seed)]
        if json_flag:
            argv.append("--json")
        return argv

    cli_cases = st.builds(
        _argv,
        st.lists(st.tuples(field_names, toml_values), max_size=3),
        st.one_of(st.none(), st.integers(min_value=-(10**30), max_value=10**30)),
        st.sampled_from(["service-desk", "service-desk", "pure-queue", "nope", "../x.toml"]),
        st.booleans(),
    ).map(lambda argv: {"kind": "cli", "argv": argv})
    raw_args = st.lists(
        st.one_of(
            st.sampled_from(
                ["run", "sweep", "list", "--set", "--grid", "--seed", "--json", "--runs", "--workers", "-h"]
            ),
            st.text(max_size=20),
        ),
        max_size=6,
    ).map(lambda argv: {"kind": "cli", "argv": argv})

    leaves = st.one_of(
        st.floats(allow_nan=True, allow_infinity=True),
        st.floats(min_value=-1e-300, max_value=1e-300),
        st.integers(min_value=-(10**400), max_value=10**400),
        st.text(max_size=20),
        st.none(),
        st.booleans(),
        st.tuples(st.sampled_from(["int64", "int8", "uint64", "float32", "float64", "bool_"]), st.integers(0, 100)),
        st.integers(0, 100).map(lambda n: {"__odd__": n}),
        st.integers(1, 600).map(lambda n: {"__deep__": n}),
        st.integers(0, 10_000_000).map(lambda n: {"__long__": n}),
    )

    def _json(value):
        if isinstance(value, dict) and value.keys() & {"__odd__", "__deep__", "__long__"}:
            return value
        if isinstance(value, tuple):
            return {"__np__": value[0], "v": value[1]}
        if isinstance(value, float) and not math.isfinite(value):
            return {"__float__": repr(value)}
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 2**53:
            return {"__int__": str(value)}
        if isinstance(value, list):
            return [_json(v) for v in value]
        if isinstance(value, dict):
            return {k: _json(v) for k, v in value.items()}
        return value

    python_values = st.recursive(
        leaves,
        lambda inner: st.one_of(st.lists(inner, max_size=5), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
        max_leaves=20,
    ).map(_json)
    api_cases = st.builds(lambda name, value: {"kind": "api", "name": name, "value": value}, field_names, python_values)
    check_cases = st.builds(
        lambda name, value: {"kind": "check", "check": name, "value": value},
        st.sampled_from(["number", "number-inf", "integer", "within", "choice", "labels", "meets"]),
        python_values,
    )

    VALID = (Path(__file__).resolve().parent.parent / "simlib" / "scenarios" / "service-desk.toml").read_bytes()
    file_bytes = st.one_of(
        st.binary(max_size=500),
        st.tuples(st.integers(0, len(VALID)), st.binary(min_size=1, max_size=40)).map(
            lambda t: VALID[: t[0]] + t[1] + VALID[t[0] :]
        ),
        st.tuples(st.integers(0, len(VALID)), st.integers(1, 200)).map(lambda t: VALID[: t[0]] + VALID[t[0] + t[1] :]),
        st.text(max_size=300).map(lambda s: s.encode("utf-8", "surrogatepass")),
    )

    def _in_batch(cases: list[dict], files: list[bytes], tmp: Path) -> list[tuple[dict, dict]]:
        for i, data in enumerate(files):
            path = tmp / f"case-{i}.toml"
            path.write_bytes(data)
            kind = "file" if i % 2 else "cli"
            cases.append(
                {"kind": "file", "path": str(path)} if kind == "file" else {"kind": "cli", "argv": ["run", str(path)]}
            )
        cases_file, results_file = tmp / "cases.json", tmp / "results.json"
        cases_file.write_text(json.dumps(cases))
        env = {**os.environ, **ENV}
        budget = 30 + CASE_SECONDS * len(cases)
        subprocess.run(
            [sys.executable, __file__, str(cases_file), str(results_file)], env=env, timeout=budget, check=True
        )
        return list(zip(cases, json.loads(results_file.read_text())))

    def _check(pairs: list[tuple[dict, dict]]) -> None:
        for case, result in pairs:
            shown = json.dumps(case)[:300]
            assert result["code"] in (0, 2), (shown, result)
            assert result["seconds"] < CASE_SECONDS, (shown, result)
            assert "Traceback" not in result["stderr"] + result["stdout"], (shown, result)
            if case["kind"] == "cli" and result["code"] == 2:
                lines = result["stderr"].strip().splitlines()
                assert len(lines) == 1 and lines[0].startswith("simlib: "), (shown, result)

    @settings(max_examples=BATCHES, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        st.lists(st.one_of(cli_cases, cli_cases, raw_args), min_size=CLI_CASES, max_size=CLI_CASES),
        st.lists(api_cases, min_size=API_CASES, max_size=API_CASES),
        st.lists(check_cases, min_size=CHECK_CASES, max_size=CHECK_CASES),
        st.lists(file_bytes, min_size=FILE_CASES, max_size=FILE_CASES),
    )
    def test_fuzz_the_command_line_the_api_and_the_checks(
        cli: list[dict], api: list[dict], checks: list[dict], files: list[bytes]
    ) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            _check(_in_batch(cli + api + checks, files, Path(tmp)))

    @settings(max_examples=SUBPROCESS_CASES, deadline=None, suppress_health_check=list(HealthCheck))
    @given(cli_cases)
    def test_fuzz_whole_processes(case: dict) -> None:
        env = {**os.environ, **ENV}
        t0 = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-m", "simlib", *case["argv"]],
            capture_output=True,
            text=True,
            env=env,
            preexec_fn=_cap_memory,
            timeout=CASE_SECONDS + 5,
        )
        assert time.perf_counter() - t0 < CASE_SECONDS + 2  # the start of python itself included
        assert out.returncode in (0, 2), (case, out.stderr)
        assert "Traceback" not in out.stdout + out.stderr, (case, out.stderr)

    @pytest.mark.parametrize(
        ("case", "code"),
        [
            ({"kind": "api", "name": "catalogue", "value": {"incident": 1}}, 2),
            ({"kind": "api", "name": "continuity.starts", "value": {"100": 2}}, 2),
            ({"kind": "api", "name": "first_line.agents", "value": {"__odd__": 5}}, 2),
            ({"kind": "api", "name": "know_how", "value": {"__deep__": 500}}, 2),
            ({"kind": "check", "check": "number", "value": {"__long__": 10_000_000}}, 0),
            ({"kind": "check", "check": "choice", "value": ["a"]}, 0),
            ({"kind": "check", "check": "number-inf", "value": {"__float__": "inf"}}, 0),
        ],
    )
    def test_the_issues_examples_pass_through_the_batch(tmp_path, case: dict, code: int) -> None:
        [(_, result)] = _in_batch([case], [], tmp_path)
        assert result["code"] == code, result

    def test_the_batch_reports_a_traceback_as_a_failure(tmp_path) -> None:
        # the harness itself: a case that raises outside ValueError is caught as "exception"
        pairs = _in_batch([{"kind": "api", "name": "horizon", "value": {"__np__": "nosuchtype", "v": 1}}], [], tmp_path)
        assert pairs[0][1]["code"] == "exception"
        with pytest.raises(AssertionError):
            _check(pairs)


if __name__ == "__main__":
    batch(sys.argv[1], sys.argv[2])
