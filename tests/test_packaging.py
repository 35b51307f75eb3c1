"""The repository's promises: dependencies in step, the two commands documented, no outside reads."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


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
    assert conda == pyproject_requirements()
    assert pip == ["-e ."], "environment.yml installs the kit itself with pip"


def test_binder_environment_matches_without_the_editable_install():
    conda, pip = conda_dependencies(ROOT / "binder" / "environment.yml")
    assert conda == pyproject_requirements()
    assert pip == [], "repo2docker cannot install '-e .' from an environment file: postBuild does it"
    post = (ROOT / "binder" / "postBuild").read_text()
    assert "pip install" in post and "-e ." in post


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
