"""A wheel installed into a fresh environment (not editable) finds its banks, demo and themes:
`data/` and `themes/` are top-level in the repository and must travel inside the wheel."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_installed_wheel_finds_shipped_files(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
    )
    wheel = next(dist.glob("appreciate_tui-*.whl"))
    env_dir = tmp_path / "venv"
    # No pip of its own (ensurepip takes seconds): this environment's pip installs into it.
    venv.create(env_dir, with_pip=False)
    scripts = env_dir / ("Scripts" if os.name == "nt" else "bin")  # where a venv keeps commands
    python = scripts / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(env_dir), "install", "--quiet",
                    str(wheel)], check=True, capture_output=True)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "APPRECIATE_DB": str(tmp_path / "wheel.db"), "HOME": str(tmp_path)}
    env.pop("PYTHONPATH", None)

    def appreciate(*args: str) -> str:
        done = subprocess.run(
            [scripts / "appreciate", *args], cwd=elsewhere, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    where = subprocess.run(
        [python, "-c", "import appreciate_tui, sys; print(appreciate_tui.__file__)"],
        cwd=elsewhere, env=env, capture_output=True, text=True, check=True,
    ).stdout
    assert str(env_dir) in where, "the test must exercise the installed wheel, not the checkout"

    banks = json.loads(appreciate("banks", "--json"))
    assert len(banks) >= 5
    assert all(str(env_dir) in bank["path"] for bank in banks)
    assert "Loaded" in appreciate("demo")
    assert "MASH" in appreciate("list")
    themes = subprocess.run(
        [python, "-c", "from appreciate_tui import paths; print(sorted(p.name for p in paths.shipped_themes_dir().glob('*.toml')))"],
        cwd=elsewhere, env=env, capture_output=True, text=True, check=True,
    ).stdout
    assert "appreciate.toml" in themes
