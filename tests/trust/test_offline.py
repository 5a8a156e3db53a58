"""Nothing leaves the machine: no module of the app imports a network library, and a whole
scripted session (the command line, every export, import, backup, purge, erase-person, and the
app driven by Pilot with a note typed and saved) runs the same with every network socket refused,
inside a network namespace with no network at all where one can be made, with no attempt made."""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.private import assert_private_mode
from tests.trust.helpers import REPO, child_env

PACKAGE = REPO / "appreciate_tui"
SESSION = Path(__file__).resolve().parent / "offline_session.py"

# Modules that talk to a network. urllib.parse only quotes a path (store/safety.py) and is fine.
NETWORK_MODULES = {
    "socket", "ssl", "http", "urllib.request", "urllib.error", "urllib3", "requests", "httpx",
    "aiohttp", "websockets", "ftplib", "smtplib", "poplib", "imaplib", "telnetlib", "xmlrpc",
    "socketserver", "webbrowser", "asyncio.streams",
}
NETWORK_CALLS = {"open_connection", "create_connection", "start_server", "urlopen"}


def network_uses(path: Path, root: Path = REPO) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Attribute) and node.attr in NETWORK_CALLS:
            names = [node.attr]
        for name in names:
            parts = name.split(".")
            for depth in range(1, len(parts) + 1):
                prefix = ".".join(parts[:depth])
                if prefix in NETWORK_MODULES or (depth == len(parts) and name in NETWORK_CALLS):
                    found.append(f"{path.relative_to(root)}:{node.lineno} {name}")
                    break
    return found


def test_no_module_imports_a_network_library() -> None:
    files = sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)
    assert len(files) > 20
    assert [use for path in files for use in network_uses(path)] == []


def test_the_static_check_would_catch_one(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import urllib.parse\nfrom urllib import request\nimport http.client\n"
        "def later():\n    import socket\n    import asyncio\n"
        "    return asyncio.open_connection('example.org', 80)\n"
    )
    uses = [use.split(" ", 1)[1] for use in network_uses(sample, root=tmp_path)]
    assert uses == ["urllib.request", "http.client", "socket", "open_connection"]


SESSIONS: dict[str, dict] = {}


def session(folder: Path, *, block: bool) -> dict:
    folder.mkdir()
    home = folder / "home"
    env = child_env(HOME=str(home), XDG_DATA_HOME=str(home / "data"),
                    XDG_CONFIG_HOME=str(home / "config"), XDG_STATE_HOME=str(home / "state"),
                    # Windows: the same data folder, through platformdirs' AppData override.
                    USERPROFILE=str(home), WIN_PD_OVERRIDE_LOCAL_APPDATA=str(home / "data"),
                    WIN_PD_OVERRIDE_APPDATA=str(home / "data"))
    env.pop("APPRECIATE_DB", None)
    env.pop("TEXTUAL", None)  # no devtools connection either way
    command = [sys.executable, str(SESSION), str(folder)] + (["--block"] if block else [])
    if block and hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("unshare"):
        probe = subprocess.run(["unshare", "--net", "true"], capture_output=True)
        if probe.returncode == 0:
            command = ["unshare", "--net", *command]  # and no network exists at all
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=180)
    assert done.returncode == 0, done.stderr[-4000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    report["command"] = command
    return report


@pytest.mark.slow  # two whole sessions in child processes, ~8 s
def test_a_whole_session_behaves_the_same_with_the_network_gone(tmp_path: Path) -> None:
    online = session(tmp_path / "online", block=False)
    offline = session(tmp_path / "offline", block=True)
    assert offline["blocked"] and offline["selftest"] == {
        "socket": True, "create_connection": True, "getaddrinfo": True, "socketpair_allowed": True
    }
    assert offline["attempts"] == []
    assert offline["transcript"] == online["transcript"]
    text = "\n".join(offline["transcript"])
    # It really did the work: every command succeeded and the app saved the typed note.
    assert all(line.endswith("-> 0") for line in offline["transcript"] if line.startswith("$ "))
    for fmt in ("json", "html", "docx", "csv"):
        assert f"{fmt} written: True" in text
    assert "app screen: FacilitateScreen" in text
    assert "app note: typed in the app with the network gone" in text
    SESSIONS["offline"] = offline


def test_every_file_a_session_writes_is_readable_by_the_user_only(tmp_path: Path) -> None:
    """Under the usual umask 022: the database, its -wal/-shm, the lock, backups, exports and
    settings are 0600, and the folders appreciate makes are 0700 (where modes protect:
    tests/helpers/private.py). Everywhere: no file but the kinds docs/privacy.md lists."""
    report = SESSIONS.get("offline") or session(tmp_path / "session", block=False)
    made_by_the_test = {"home"}  # the test's own HOME, not appreciate's
    files = {path: mode for path, mode in report["files"].items()
             if path not in made_by_the_test}
    ours = {"home/data"}  # XDG_DATA_HOME: the user's folder, not appreciate's
    folders = {"home/data/appreciate", "home/data/appreciate/exports", "backups"}
    for path, mode in files.items():
        if path in ours:
            continue
        assert_private_mode(int(mode, 8), folder=path in folders, what=path)
    names = set(files)
    # Only the kinds of file docs/privacy.md lists (plus what the script asked for by name):
    # no log, no cache, no temporary copy left behind.
    known = re.compile(
        r"(appreciate\.db(-wal|-shm|\.lock|\.checked)?"
        r"|appreciate\.db\.before-restore-\d+T\d+Z(-wal|-shm)?"
        r"|backups|backups/appreciate-\d+T\d+Z\.db|copy\.db|export\.(json|html|docx|csv)"
        r"|home/data|home/data/appreciate|home/data/appreciate/exports"
        r"|home/data/appreciate/exports/[\w.-]+\.html)"
    )
    assert sorted(n for n in names if not known.fullmatch(n)) == []
    assert {"appreciate.db", "appreciate.db.lock", "copy.db", "export.json"} <= names
    assert any(n.startswith("backups/appreciate-") for n in names)  # the end-of-conversation one
    assert any(n.startswith("home/data/appreciate/exports/") for n in names)
    assert any(n.startswith("appreciate.db.before-restore-") for n in names)


def test_the_guard_records_an_attempt() -> None:
    """The control: code that does reach for the network is caught and recorded."""
    code = (
        "import socket\n"
        "from tests.trust import network_guard\n"
        "assert all(network_guard.install().values())\n"
        "try:\n    socket.create_connection(('192.0.2.1', 443), timeout=1)\n"
        "except OSError:\n    pass\n"
        "print(network_guard.attempts)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=child_env(), cwd=REPO, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "create_connection" in done.stdout


@pytest.mark.posix("file modes")
def test_the_data_folder_is_private_even_when_a_subfolder_is_made_first() -> None:
    from appreciate_tui import paths

    old = os.umask(0o022)
    try:
        paths.ensure_private_dir(paths.exports_dir())  # what the first export does
    finally:
        os.umask(old)
    assert oct(paths.data_dir().stat().st_mode & 0o777) == "0o700"
