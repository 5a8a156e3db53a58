"""The offline install bundle (`make wheelhouse`, tools/wheelhouse.py) is what a room with no
internet gets instead of a package index, and a missing wheel would only show once someone is in
that room. So it is tried the way the room uses it: built for this machine, then installed with
the command INSTALL.txt gives, into a fresh environment, with no index, no pip configuration and,
where the system lets a test make one, inside a network namespace with no network at all; then
the installed command loads the demo and lists it."""

from __future__ import annotations

import importlib.util
import json
import os
import shlex
import shutil
import subprocess
import sys
import time
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TOOL = ROOT / "tools" / "wheelhouse.py"


def load_tool():
    spec = importlib.util.spec_from_file_location("wheelhouse", TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def no_network() -> list[str]:
    """`unshare -n` as root, `unshare -rn` through a user namespace, where either is allowed."""
    if not sys.platform.startswith("linux") or not shutil.which("unshare"):
        return []
    for prefix in (["unshare", "-n"], ["unshare", "-rn"]):
        if subprocess.run([*prefix, "true"], capture_output=True).returncode == 0:
            return prefix
    return []


def fake_wheel(folder: Path, name: str, *requires: str) -> None:
    dist = f"{name.replace('-', '_')}-1.0"
    metadata = "Metadata-Version: 2.1\nName: {}\nVersion: 1.0\n{}".format(
        name, "".join(f"Requires-Dist: {r}\n" for r in requires))
    with zipfile.ZipFile(folder / f"{dist}-py3-none-any.whl", "w") as archive:
        archive.writestr(f"{dist}.dist-info/METADATA", metadata)


def test_what_the_laptop_needs_is_judged_for_the_laptop_not_this_machine(tmp_path: Path) -> None:
    """pip judges markers by the machine it runs on; the bundle must follow the target's, and
    the extras each requirement asks for."""
    tool = load_tool()
    fake_wheel(tmp_path, "appreciate-tui", "alpha", 'sqlcipher3; extra == "encryption"',
               'colorama; platform_system == "Windows"', 'datasette; extra == "partnership"',
               'tomli; python_version < "3.11"')
    fake_wheel(tmp_path, "alpha", "beta[fast]>=1")
    fake_wheel(tmp_path, "sqlcipher3")
    windows = tool.marker_environment("win_amd64", (3, 11))
    linux = tool.marker_environment("manylinux_2_28_x86_64", (3, 11))
    assert windows["sys_platform"] == "win32" and windows["platform_machine"] == "AMD64"
    assert linux["platform_machine"] == "x86_64"
    assert sorted(tool.missing(tmp_path, windows)) == ["beta[fast]>=1", "colorama"]
    assert tool.missing(tmp_path, linux) == ["beta[fast]>=1"]
    fake_wheel(tmp_path, "beta", 'gamma; extra == "fast"', 'delta; extra == "slow"')
    assert tool.missing(tmp_path, linux) == ["gamma"]
    assert tool.platform_tags("manylinux_2_28_x86_64")[:2] == ["manylinux_2_28_x86_64",
                                                               "manylinux_2_27_x86_64"]
    assert "manylinux2014_x86_64" in tool.platform_tags("manylinux_2_28_x86_64")
    assert tool.platform_tags("win_amd64") == ["win_amd64"]


@pytest.mark.slow  # downloads about 25 wheels (pip's cache keeps a second run quick), ~20 s
def test_the_bundle_installs_and_runs_with_no_network(tmp_path: Path) -> None:
    started = time.monotonic()
    bundle = tmp_path / "wheelhouse"
    built = subprocess.run([sys.executable, str(TOOL), "--out", str(bundle)],
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    files = sorted(p.name for p in bundle.iterdir())
    assert all(name.endswith(".whl") for name in files if name != "INSTALL.txt"), files
    assert "INSTALL.txt" in files
    assert any(name.startswith("appreciate_tui-") for name in files)
    assert any(name.startswith("sqlcipher3-") for name in files)  # the encryption extra

    # The install line INSTALL.txt gives, run by a fresh environment's own Python.
    instructions = (bundle / "INSTALL.txt").read_text(encoding="utf-8")
    line = next(line for line in instructions.splitlines() if "-m pip install" in line)
    pip_args = shlex.split(line.split(" -m ", 1)[1])
    assert pip_args == ["pip", "install", "--no-index", "--find-links", ".",
                        "appreciate-tui[encryption]"]
    env_dir = tmp_path / "laptop"
    venv.create(env_dir, with_pip=True)
    scripts = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python = scripts / "python"

    # Nothing from this machine's pip set-up (its indexes, its find-links) and nothing of the
    # checkout; the database and the data folder under tmp_path.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env.pop("PYTHONPATH", None)
    env.update(PIP_CONFIG_FILE=os.devnull, PIP_NO_CACHE_DIR="1", PIP_DISABLE_PIP_VERSION_CHECK="1",
               APPRECIATE_DB=str(tmp_path / "offline.db"))
    prefix = no_network()

    def run(*command: str | Path, cwd: Path = tmp_path) -> str:
        done = subprocess.run([*prefix, *map(str, command)], cwd=cwd, env=env,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"{command}: {done.stdout[-2000:]}{done.stderr[-3000:]}"
        return done.stdout

    run(python, "-m", *pip_args, cwd=bundle)
    where = run(python, "-c", "import appreciate_tui, sqlcipher3; print(appreciate_tui.__file__)")
    assert str(env_dir) in where, "the installed bundle must be what runs, not the checkout"
    assert "Loaded" in run(scripts / "appreciate", "demo")
    listed = json.loads(run(scripts / "appreciate", "list", "--json"))
    assert any("MASH" in conversation["title"] for conversation in listed), listed
    print(f"\nbuilt, installed and ran in {time.monotonic() - started:.0f} s, "
          f"{'inside ' + ' '.join(prefix) if prefix else 'with no network namespace to be had'}")
