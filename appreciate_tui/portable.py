"""What differs between Windows, macOS and Linux, in one place (DESIGN.md section 10).

Facilitators carry managed Windows laptops more often than anything else, so nothing here, and
nothing anywhere else in appreciate, names a POSIX-only module or attribute: what only some
platforms have is looked up by name where it is used, and used only where it exists
(tests/test_portability.py reads the code for that, and runs the everyday work with what Windows'
Python lacks hidden). The differences, and what each platform gets:

- Private files. POSIX: folders 0700, files 0600, whatever the umask. Windows: a mode only sets
  or clears the read-only flag; what keeps the files private is the user's profile folder
  (`%LOCALAPPDATA%`) they live in, whose permissions admit only that user and the machine's
  administrators (docs/privacy.md says what that does not cover).
- Descriptors made by `os.open` are in text mode on Windows (line endings translated, a Ctrl+Z
  byte read as the end) unless asked for binary: `BINARY`.
- Making a new file name durable: POSIX flushes the folder; Windows cannot open a folder that way,
  and NTFS journals its own metadata.
- The single-writer lock: a real operating-system lock through filelock (`flock` on POSIX,
  `LockFileEx` on Windows), so the kernel lets go of it when the process dies, however it dies.
- Closing: SIGTERM (`kill`, logging out) and SIGHUP (the terminal window closed) on POSIX; on
  Windows, closing the window (or logging off, or shutting down) is a console event that Python's
  signals do not deliver in time, and Ctrl+Break is SIGBREAK.
- The terminal to ask a passphrase on: /dev/tty, or the console (`CONIN$`).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only the app's loop is named here; the command line never loads asyncio
    import asyncio

POSIX_MODES = os.name == "posix"
"""Whether a file's mode decides who may read it (not on Windows: see the module docstring)."""

BINARY: int = getattr(os, "O_BINARY", 0)
"""Add to the flags of `os.open` for a descriptor whose bytes are read or written as they are."""


# ---------------------------------------------------------------- private files


def keep_private(target: Path | int, mode: int = 0o600) -> None:
    """Give a file (by path or open descriptor) or a folder exactly `mode`, whatever the umask,
    where modes decide who may read it. On Windows the profile folder's permissions do that."""
    if POSIX_MODES:
        os.chmod(target, mode)  # given a descriptor, POSIX's fchmod


def open_to_others(target: Path | int) -> bool:
    """Whether a file or folder's mode lets anyone but its owner in (always False on Windows,
    where the mode does not say)."""
    return POSIX_MODES and bool(os.stat(target).st_mode & 0o077)


def sync_folder(folder: Path) -> None:
    """Make the names just created or changed in `folder` survive a power cut."""
    if sys.platform == "win32":
        return  # a folder cannot be opened to flush; NTFS journals its names itself
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# ---------------------------------------------------------------- the single-writer lock


class HeldLock:
    """An exclusive lock on a lock file, held until `release()` or until the process ends."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    @classmethod
    def take(cls, path: Path) -> HeldLock | None:
        """Lock `path` (created 0600 if missing) and write this process's id in it; None if
        another process holds it.

        Windows keeps the locked first byte from every other process, readers included, so the
        id comes after a line break: `lock_holder` reads past that byte where it must, and
        wherever the whole file can be read it reads as the id alone."""
        from filelock import lock_descriptor  # only a writer pays for loading it

        fd = os.open(path, os.O_RDWR | os.O_CREAT | BINARY, 0o600)
        try:
            locked = lock_descriptor(fd, blocking=False)
            if locked:
                written = f"\n{os.getpid()}\n".encode()
                os.write(fd, written)
                # Cut what a longer id left, behind what was written: never the locked first byte.
                os.ftruncate(fd, len(written))
                if open_to_others(fd):
                    keep_private(fd)
        except BaseException:
            os.close(fd)  # closing lets go of the lock too
            raise
        if not locked:
            os.close(fd)
            return None
        return cls(fd)

    def release(self) -> None:
        if self.fd < 0:
            return
        from filelock import unlock_descriptor

        try:
            # Windows may be slow to let go of a lock on a file merely closed: undone first.
            unlock_descriptor(self.fd)
        finally:
            os.close(self.fd)
            self.fd = -1


def lock_holder(path: Path) -> int | None:
    """The process id written in the lock file at `path` by whoever holds it, if it can be read."""
    try:
        with open(path, "rb") as file:
            try:
                text = file.read()
            except OSError:  # Windows: the first byte is locked (`HeldLock.take`)
                file.seek(1)
                text = file.read()
        return int(text.strip() or 0) or None
    except (OSError, ValueError):
        return None


# ---------------------------------------------------------------- closing the app

ASKED_TO_QUIT = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGBREAK")
                      if hasattr(signal, name))
"""`kill` and logging out (SIGTERM), Ctrl+Break on Windows (SIGBREAK): quit in good order."""

TERMINAL_GONE = tuple(getattr(signal, name) for name in ("SIGHUP",) if hasattr(signal, name))
"""The terminal window was closed (POSIX): there is no screen left to put back."""

CLOSING_SIGNALS = ASKED_TO_QUIT + TERMINAL_GONE

# The console events Windows sends (wincon.h).
CTRL_C_EVENT, CTRL_BREAK_EVENT = 0, 1
CTRL_CLOSE_EVENT, CTRL_LOGOFF_EVENT, CTRL_SHUTDOWN_EVENT = 2, 5, 6

CONSOLE_ENDINGS = (CTRL_CLOSE_EVENT, CTRL_LOGOFF_EVENT, CTRL_SHUTDOWN_EVENT)
"""Events after which Windows ends the process as soon as the handler returns, and at the latest
after a few seconds (5 for a closed window)."""

CONSOLE_CLOSED_CODE = 0xC000013A - 2**32
"""STATUS_CONTROL_C_EXIT, the exit code Windows itself gives a console program it ends, as the
signed number `os._exit` takes (it refuses 0xC000013A itself)."""


def watch_for_closing(
    loop: asyncio.AbstractEventLoop,
    *,
    asked_to_quit: Callable[[int], object],
    gone: Callable[[int], object],
) -> Callable[[], None]:
    """Until the function returned is called, run `asked_to_quit(code)` on `loop` when the
    process is asked to quit (ASKED_TO_QUIT), and `gone(code)` when its terminal has gone: SIGHUP,
    or on Windows the console's close, log-off and shut-down events. `code` is the exit code to
    leave with (128 + the signal's number, as shells expect)."""
    undo = [_on_signal(loop, signum, asked_to_quit) for signum in ASKED_TO_QUIT]
    undo += [_on_signal(loop, signum, gone) for signum in TERMINAL_GONE]
    if sys.platform == "win32":
        undo.append(_watch_console(loop, gone))

    def stop() -> None:
        for undo_one in reversed(undo):
            undo_one()

    return stop


def _on_signal(
    loop: asyncio.AbstractEventLoop, signum: int, then: Callable[[int], object]
) -> Callable[[], object]:
    code = 128 + signum
    try:
        loop.add_signal_handler(signum, then, code)
    except NotImplementedError:
        # Windows' event loops: Python's own handler, which hands the signal to the loop.
        previous = signal.signal(signum, lambda *_: loop.call_soon_threadsafe(then, code))
        return lambda: signal.signal(signum, previous)
    except RuntimeError:
        return lambda: None  # not the main thread, the only one that may watch signals
    return lambda: loop.remove_signal_handler(signum)


def console_event_handler(
    loop: asyncio.AbstractEventLoop, gone: Callable[[int], object]
) -> Callable[[int], bool]:
    """What Windows calls, on a thread of its own, for each console event.

    Python's signal module hears of a closed window only as SIGBREAK after the fact: its handler
    returns at once and Windows ends the process before any Python code runs. This one runs
    `gone` on the app's loop and returns only when it has finished (it normally ends the process
    itself). Ctrl+C and Ctrl+Break are left to Python's own handlers."""

    def handle(event: int) -> bool:
        if event not in CONSOLE_ENDINGS:
            return False
        finished = threading.Event()

        def save_and_leave() -> None:
            try:
                gone(CONSOLE_CLOSED_CODE)
            finally:
                finished.set()

        try:
            loop.call_soon_threadsafe(save_and_leave)
        except RuntimeError:
            return False  # the loop has closed: nothing is left to save
        finished.wait()
        return True

    return handle


def _watch_console(
    loop: asyncio.AbstractEventLoop, gone: Callable[[int], object]
) -> Callable[[], object]:
    """Install `console_event_handler` with SetConsoleCtrlHandler (Windows only)."""
    import ctypes
    from ctypes import wintypes

    # WinDLL and WINFUNCTYPE exist on Windows only, so the type stubs have them only there (where
    # the ignores are unused, which is allowed).
    kernel32 = ctypes.WinDLL(  # type: ignore[attr-defined, unused-ignore]
        "kernel32", use_last_error=True
    )
    handler_type = ctypes.WINFUNCTYPE(  # type: ignore[attr-defined, unused-ignore]
        wintypes.BOOL, wintypes.DWORD
    )
    handler = handler_type(console_event_handler(loop, gone))
    kernel32.SetConsoleCtrlHandler.argtypes = (handler_type, wintypes.BOOL)
    kernel32.SetConsoleCtrlHandler.restype = wintypes.BOOL
    if not kernel32.SetConsoleCtrlHandler(handler, True):
        return lambda: None  # no console to watch

    def remove() -> None:
        # `handler` must live while Windows may call it: this closure keeps it.
        kernel32.SetConsoleCtrlHandler(handler, False)

    return remove


# ---------------------------------------------------------------- the terminal


def command_line(words: list[str]) -> str:
    """`words` as one command to type at this platform's shell: in double quotes where needed for
    Windows' shells, as a POSIX shell reads it elsewhere."""
    if sys.platform == "win32":
        from subprocess import list2cmdline

        return list2cmdline(words)
    from shlex import join

    return join(words)


DUMB_TERMINALS = {"dumb"}
"""Values of TERM for a terminal that cannot draw the app (an editor's shell buffer, a CI log)."""


def have_terminal() -> bool:
    """Whether there is a terminal to ask at, even when standard input is a pipe."""
    device = "CONIN$" if sys.platform == "win32" else "/dev/tty"
    try:
        fd = os.open(device, os.O_RDWR | getattr(os, "O_NOCTTY", 0))
    except OSError:
        return False
    os.close(fd)
    return True
