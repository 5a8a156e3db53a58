"""appreciate's everyday work, run with only what Windows' Python has (not collected by pytest).

    windows_like.py FOLDER

Before anything of appreciate is imported, this interpreter loses what Windows' Python lacks: the
POSIX-only modules in POSIX_ONLY_MODULES cannot be imported, the names in POSIX_ONLY_OS and
POSIX_ONLY_SIGNAL are gone from `os` and `signal` (os.fchmod is there on Windows only from
Python 3.13; appreciate supports 3.11), and the event loop cannot add signal handlers, as Windows'
loops cannot. Then the store, the command line and the app (driven by Textual's Pilot) do their
everyday work with their files in FOLDER, printing "ok <step>" after each step.

Left as they are, and why:
- `sys.platform` and `os.name`. Faked, they would send Textual, platformdirs and filelock down
  their Windows branches, which load Windows' own modules (msvcrt, the Win32 API through ctypes)
  and cannot run here: only a run on Windows tries those branches.
- `os.getuid` and `os.geteuid`: platformdirs' Linux branch calls them, its Windows branch does
  not. appreciate's own code is checked for them by reading it (tests/test_portability.py).
- Names the standard library's own Linux branches need (os.WNOHANG, os.set_blocking): on Windows
  those branches are not taken.
filelock is loaded before the hiding, with its POSIX lock, just as on Windows it is loaded with
its Windows one; Textual is told to use its headless driver (TEXTUAL_DRIVER, set by the test), as
on Windows it would choose its Windows driver rather than the Linux one.
"""

from __future__ import annotations

import asyncio
import importlib.abc
import json
import os
import signal
import sys
from pathlib import Path

import filelock  # noqa: F401  (see the module docstring)

POSIX_ONLY_MODULES = ("fcntl", "termios", "tty", "pty", "grp", "pwd", "resource")
POSIX_ONLY_OS = (
    "fchmod", "fchown", "chown", "lchown", "statvfs", "fstatvfs", "pread", "pwrite", "sync",
    "fdatasync", "fork", "forkpty", "openpty", "register_at_fork", "setsid", "getsid", "killpg",
    "getpgid", "getpgrp", "ttyname", "ctermid", "mkfifo", "mknod", "getloadavg",
    "O_NOCTTY", "O_NOFOLLOW", "O_DIRECTORY", "O_CLOEXEC",
)
POSIX_ONLY_SIGNAL = (
    "SIGHUP", "SIGKILL", "SIGQUIT", "SIGPIPE", "SIGALRM", "SIGUSR1", "SIGUSR2", "SIGCHLD",
    "SIGWINCH", "SIGTSTP", "SIGCONT", "SIGSTOP", "alarm", "pause", "setitimer", "siginterrupt",
    "pthread_kill", "pthread_sigmask",
)


class Missing(importlib.abc.MetaPathFinder):
    """Finds the POSIX-only modules nowhere, as on Windows."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name in POSIX_ONLY_MODULES:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


def become_windows_like() -> None:
    for name in POSIX_ONLY_MODULES:
        sys.modules.pop(name, None)
    sys.meta_path.insert(0, Missing())
    for module, names in ((os, POSIX_ONLY_OS), (signal, POSIX_ONLY_SIGNAL)):
        for name in names:
            if hasattr(module, name):
                delattr(module, name)
    # Windows' event loops have no add_signal_handler: the base class's says so.
    unix_loop = asyncio.unix_events._UnixSelectorEventLoop  # type: ignore[attr-defined]
    unix_loop.add_signal_handler = asyncio.AbstractEventLoop.add_signal_handler
    unix_loop.remove_signal_handler = asyncio.AbstractEventLoop.remove_signal_handler


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def hidden() -> None:
    """The simulation itself: what it hides is really gone."""
    try:
        import fcntl  # noqa: F401
    except ImportError:
        pass
    else:
        raise AssertionError("fcntl could still be imported")
    assert not hasattr(os, "fchmod") and not hasattr(signal, "SIGHUP")
    say("ok hidden")


def the_store(folder: Path) -> None:
    from appreciate_tui.store import Store

    database = folder / "store.db"
    store = Store.open(database)
    conversation = store.create_conversation("Strategy meetings", "Is it working?")
    question = store.add_question(conversation.id, "What works well?", "discover")
    store.add_note(conversation.id, question.id, "calls start on time", "strength")
    store.save_draft(conversation.id, "note", "half typed")
    assert store.drafts(conversation.id) == {"note": "half typed"}
    second = Store.open(database)  # a second window on the same database
    assert second.read_only, "the second window could write"
    assert f"process {os.getpid()}" in (second.read_only_reason or ""), second.read_only_reason
    assert [c.title for c in second.list_conversations()] == ["Strategy meetings"]
    second.close()
    assert store.check().ok
    store.backup(folder / "copy.db")
    store.rotate_backups()
    store.close()
    again = Store.open(database)
    assert not again.read_only, "the lock was not let go"
    again.close()
    say("ok store")


def the_command_line(folder: Path) -> None:
    from click.testing import CliRunner

    from appreciate_tui.cli import main

    runner = CliRunner()
    env = {"APPRECIATE_DB": str(folder / "cli.db")}

    def run(*args: str) -> str:
        result = runner.invoke(main, list(args), env=env)
        assert result.exit_code == 0, f"appreciate {' '.join(args)}: {result.output}"
        return result.output

    run("demo")
    conversation_id = json.loads(run("list", "--json"))[0]["id"]
    assert "MASH" in run("show", conversation_id)
    run("export", conversation_id, "--format", "md", "-o", str(folder / "learning.md"))
    assert (folder / "learning.md").read_text(encoding="utf-8").startswith("#")
    run("locate")
    say("ok command line")


async def the_app(folder: Path) -> None:
    from appreciate_tui.store import Store
    from appreciate_tui.tui.app import AppreciateApp
    from appreciate_tui.tui.screens.facilitate import FacilitateScreen

    database = folder / "app.db"
    store = Store.open(database)
    conversation = store.create_conversation("Strategy meetings", "Is it working?")
    store.add_question(conversation.id, "What works well?", "discover")
    app = AppreciateApp(store, conversation_id=conversation.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, FacilitateScreen), app.screen
        await pilot.press(*"+ calls start on time", "enter")
        await pilot.pause()
        assert [n.body for n in store.list_notes(conversation.id)] == ["calls start on time"]
        say("ok app note")
        await pilot.press(*"typed as the laptop shut down")
        signal.raise_signal(signal.SIGTERM)
        await pilot.pause(0.3)
    assert app.return_code == 128 + signal.SIGTERM, app.return_code
    store.close()
    with Store.open(database) as after:
        assert after.drafts(conversation.id).get("note") == "typed as the laptop shut down"
    say("ok app closing")


def main() -> None:
    folder = Path(sys.argv[1])
    become_windows_like()
    hidden()
    the_store(folder)
    the_command_line(folder)
    asyncio.run(the_app(folder))


if __name__ == "__main__":
    main()
