"""appreciate runs where facilitators' laptops are: Windows 10/11, macOS and Linux (DESIGN.md
section 10). What differs between them lives in appreciate_tui/portable.py; nothing else names a
POSIX-only module or attribute, and the everyday work runs in an interpreter that has only what
Windows' Python has (tests/helpers/windows_like.py says what it hides and why)."""

from __future__ import annotations

import ast
import asyncio
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from appreciate_tui import portable

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "appreciate_tui"
WINDOWS_LIKE = REPO / "tests" / "helpers" / "windows_like.py"

POSIX_ONLY_MODULES = {"fcntl", "termios", "tty", "pty", "grp", "pwd", "resource", "posix"}
POSIX_ONLY_NAMES = {
    "os": {
        "fchmod", "fchown", "chown", "lchown", "getuid", "geteuid", "getgid", "getegid",
        "getgroups", "statvfs", "fstatvfs", "pread", "pwrite", "sync", "fdatasync", "fork",
        "setsid", "killpg", "getpgid", "getpgrp", "ttyname", "mkfifo", "O_NOCTTY", "O_NOFOLLOW",
        "O_DIRECTORY", "O_CLOEXEC",
    },
    "signal": {
        "SIGHUP", "SIGKILL", "SIGQUIT", "SIGPIPE", "SIGALRM", "SIGUSR1", "SIGUSR2", "SIGCHLD",
        "SIGWINCH", "SIGTSTP", "alarm", "pause", "setitimer", "pthread_kill", "pthread_sigmask",
    },
}
"""What Windows' Python lacks and appreciate's code might reach for (os.fchmod is there on
Windows only from Python 3.13)."""


@pytest.mark.posix("a POSIX interpreter to take the POSIX-only parts away from (on Windows the "
                   "whole suite is the real run)")
@pytest.mark.slow  # ~6 s on one core
def test_the_everyday_work_runs_with_only_what_windows_python_has(tmp_path: Path) -> None:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    env["TEXTUAL_DRIVER"] = "textual.drivers.headless_driver:HeadlessDriver"
    done = subprocess.run(
        [sys.executable, str(WINDOWS_LIKE), str(tmp_path)],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=240,
    )
    steps = [line for line in done.stdout.splitlines() if line.startswith("ok ")]
    assert done.returncode == 0, f"after {steps}:\n{done.stderr[-4000:]}\n{done.stdout[-2000:]}"
    assert steps == ["ok hidden", "ok store", "ok command line", "ok app note", "ok app closing"]


def _posix_only_uses(path: Path) -> list[str]:
    """Where a file imports a POSIX-only module, or names a POSIX-only attribute of os or signal
    (`os.fchmod`, `from signal import SIGHUP`), or asks which platform it is on."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, f"import {a.name}") for a in node.names
                      if a.name.split(".")[0] in POSIX_ONLY_MODULES]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] in POSIX_ONLY_MODULES:
                found.append((node.lineno, f"from {node.module}"))
            found += [(node.lineno, f"from {node.module} import {a.name}") for a in node.names
                      if a.name in POSIX_ONLY_NAMES.get(node.module, ())]
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            owner, name = node.value.id, node.attr
            if name in POSIX_ONLY_NAMES.get(owner, ()) or (owner, name) in {
                ("sys", "platform"), ("os", "name")
            }:
                found.append((node.lineno, f"{owner}.{name}"))
    return [f"{line}: {what}" for line, what in sorted(found)]


def test_only_the_portable_module_deals_with_the_platform() -> None:
    files = [p for p in sorted(PACKAGE.rglob("*.py")) if "__pycache__" not in p.parts]
    assert PACKAGE / "store" / "safety.py" in files and PACKAGE / "tui" / "app.py" in files
    offenders = [f"{path.relative_to(REPO)}:{use}" for path in files
                 if path != PACKAGE / "portable.py" for use in _posix_only_uses(path)]
    assert offenders == []


def test_the_reading_would_catch_each_kind(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import fcntl\nfrom signal import SIGHUP\nimport os, sys, signal\n"
        "def f():\n    os.fchmod(3, 0o600)\n    signal.SIGHUP\n    os.getuid()\n"
        "    sys.platform == 'win32'\n    os.chmod('x', 0o600)\n    signal.SIGTERM\n"
    )
    assert _posix_only_uses(sample) == [
        "1: import fcntl", "2: from signal import SIGHUP", "5: os.fchmod", "6: signal.SIGHUP",
        "7: os.getuid", "8: sys.platform",
    ]


async def test_a_closed_console_is_held_open_until_everything_is_saved() -> None:
    """Windows calls the console handler on a thread of its own when the window is closed, and
    ends the process as soon as it returns: it must wait for the save on the app's loop."""
    loop = asyncio.get_running_loop()
    saved: list[tuple[int, bool]] = []

    def gone(code: int) -> None:
        saved.append((code, threading.current_thread() is threading.main_thread()))

    handle = portable.console_event_handler(loop, gone)
    answers: list[bool] = []
    windows_thread = threading.Thread(
        target=lambda: answers.append(handle(portable.CTRL_CLOSE_EVENT))
    )
    windows_thread.start()
    while windows_thread.is_alive():
        assert answers == []  # not handed back to Windows before the save has run
        await asyncio.sleep(0.01)
    assert saved == [(portable.CONSOLE_CLOSED_CODE, True)]
    assert answers == [True]
    # Ctrl+C and Ctrl+Break go on to Python's own handlers (KeyboardInterrupt, SIGBREAK).
    assert handle(portable.CTRL_C_EVENT) is False and handle(portable.CTRL_BREAK_EVENT) is False
    assert len(saved) == 1
