"""The repository's promises: dependencies in step, the two commands documented, no outside reads."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# test tools that conda-forge does not carry: the environment files install them with pip
PIP_ONLY = {"axe-playwright-python>=0.1.8"}


def pyproject_requirements() -> set[str]:
    """Core and test dependencies of pyproject.toml, as conda-style 'name>=version' strings."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    found = set()
    for req in project["dependencies"] + project["optional-dependencies"]["test"]:
        name, extras, spec = re.match(r"^([A-Za-z0-9_.-]+)(?:\[([^\]]+)\])?\s*(.*)$", req).groups()
        found.add(f"{name.lower()}{spec}")
        for extra in (extras or "").split(","):
            if extra:  # dask[distributed] is two packages on conda-forge
                found.add(f"{extra.strip().lower()}{spec}")
    return found


def conda_dependencies(path: Path) -> tuple[set[str], list[str]]:
    """The conda packages (besides python and pip) and the pip lines of an environment file."""
    conda, pip, in_pip = set(), [], False
    text = path.read_text()
    for line in text[text.index("dependencies:") :].splitlines():
        item = re.match(r"^(\s*)- (.+?)\s*(#.*)?$", line)
        if not item:
            continue
        indent, value = len(item.group(1)), item.group(2)
        if value == "pip:":
            in_pip = True
        elif in_pip and indent > 2:
            pip.append(value)
        else:
            in_pip = False
            name = re.split(r"[<>=!]", value)[0]
            if name not in ("python", "pip"):
                conda.add(value.replace(" ", "").lower())
    return conda, pip


def test_environment_yml_matches_pyproject():
    conda, pip = conda_dependencies(ROOT / "environment.yml")
    assert conda == pyproject_requirements() - PIP_ONLY
    assert pip == ["-e .", *sorted(PIP_ONLY)], "environment.yml installs the kit itself, and PIP_ONLY, with pip"


def test_binder_environment_matches_without_the_editable_install():
    conda, pip = conda_dependencies(ROOT / "binder" / "environment.yml")
    assert conda == pyproject_requirements() - PIP_ONLY
    assert pip == [], "repo2docker cannot install '-e .' from an environment file: postBuild does it"
    post = (ROOT / "binder" / "postBuild").read_text()
    assert "pip install" in post and "-e ." in post
    assert all(p in post for p in PIP_ONLY), "postBuild installs what conda-forge does not carry"


def test_readme_gives_the_two_commands_first():
    readme = (ROOT / "README.md").read_text()
    assert readme.index("make lab") < readme.index("conda env create")
    assert "make test" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    makefile = (ROOT / "Makefile").read_text()
    for target in ("lab", "test", "demo", "bench", "exercises"):
        assert re.search(rf"^{target}:", makefile, re.M), target


def test_the_kit_stands_alone():
    """No code, test or notebook of the kit reads anything beside the project."""
    outside = re.compile(r"\.\./" + "shared" + r"|/work/" + "shared")
    for folder in ("simlib", "tests", "notebooks", "solutions", "exercises", "benchmarks"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in (".py", ".ipynb", ".toml", ".cfg") and path.is_file():
                assert not outside.search(path.read_text(errors="ignore")), path


def test_the_wheel_builds_quietly_and_runs_installed_without_editable(tmp_path):
    """A plain install from the wheel works, and the build says nothing about the kit's own packaging."""
    source = tmp_path / "source"  # a copy, so the build leaves nothing in the repository
    shutil.copytree(
        ROOT, source, ignore=shutil.ignore_patterns(".*", "build", "artifacts", "*.egg-info", "__pycache__")
    )
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(tmp_path / "dist"), "."],
        cwd=source, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert built.returncode == 0, built.stdout + built.stderr
    noise = re.compile(
        r"SetuptoolsDeprecationWarning|BuildBackendWarning|is absent from the `packages`|Editable install"
    )
    assert not noise.search(built.stdout + built.stderr), built.stdout + built.stderr
    (wheel,) = (tmp_path / "dist").glob("simlib-*.whl")

    fresh = tmp_path / "fresh"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(fresh)], check=True, timeout=120)
    python = fresh / "bin" / "python"
    install = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", str(wheel)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert install.returncode == 0, install.stdout + install.stderr
    # The kit's dependencies come from this environment; the kit itself only from the fresh one.
    env = {**os.environ, "PYTHONPATH": sysconfig.get_paths()["purelib"]}
    ran = subprocess.run(
        [str(fresh / "bin" / "simlib"), "run", "--seed", "3"], cwd=tmp_path, env=env,
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "utility" in ran.stdout and "Traceback" not in ran.stderr
    where = subprocess.run(
        [str(python), "-c", "import simlib; print(simlib.__file__)"], cwd=tmp_path, env=env,
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert where.stdout.strip().startswith(str(fresh)), where.stdout + where.stderr
