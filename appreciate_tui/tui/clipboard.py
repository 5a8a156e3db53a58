"""The one way text leaves the app for the clipboard (STYLE.md habit 11).

`AppreciateApp.copy_to_clipboard` first sends the text to the terminal (OSC 52: Textual's own,
which also keeps it in `app.clipboard`), then calls `deliver` here. A terminal never says whether
it took the text (GNOME Terminal, Terminal.app and tmux by default quietly don't), so the system's
clipboard tool is tried as well, through pyperclip, in a worker thread, for at most two seconds.
The facilitator is told honestly what happened: "Copied" when the system tool took it; otherwise
that the terminal was asked but it can't be confirmed, with the offer of a private file instead.

Nothing here can crash the app: pyperclip raises `PyperclipException` when there is no tool (a
headless Linux box), a tool can hang or fail in its own ways, and every one of those ends as words.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from appreciate_tui import domain

if TYPE_CHECKING:
    from pathlib import Path

    from textual.app import App

NATIVE_TIMEOUT = 2.0
"""How long the system's clipboard tool may take before it is given up on."""

HISTORY_WARNING = (
    "Copied text can be kept by clipboard history tools and by tmux. Clear them after copying "
    "anything about a child or family."
)

_warned: WeakKeyDictionary[App[Any], bool] = WeakKeyDictionary()
"""Apps that have shown the history warning: once per session is enough to be read."""

Confirmed = Callable[["Path | None"], None]
"""Told when a copy is known to have arrived: the clipboard tool took it (None), the facilitator
said it pasted (None), or it was saved to a private file instead (that file). A copy nobody
confirmed is never recorded as shared."""


def copy_natively(text: str, timeout: float | None = None) -> str | None:
    """Give `text` to the system's clipboard tool. None when it took it, else why it did not.

    The tool runs in a daemon thread: one that hangs (an X server gone away) is abandoned after
    `timeout` (default `NATIVE_TIMEOUT`) and can never hold the app open at exit.
    """
    timeout = NATIVE_TIMEOUT if timeout is None else timeout
    outcome: list[BaseException | None] = []

    def attempt() -> None:
        try:
            import pyperclip

            pyperclip.copy(text)
        except Exception as error:  # any failure of any tool is reported, never raised
            outcome.append(error)
        else:
            outcome.append(None)

    worker = threading.Thread(target=attempt, name="clipboard", daemon=True)
    worker.start()
    worker.join(timeout)
    if not outcome:
        return f"the clipboard tool did not answer within {timeout:g} seconds"
    error = outcome[0]
    if error is None:
        return None
    if type(error).__name__ == "PyperclipException":
        return "no clipboard tool was found (on Linux: xclip, xsel or wl-clipboard)"
    return f"the clipboard tool failed ({type(error).__name__})"


def deliver(app: App[Any], text: str, on_confirmed: Confirmed | None = None) -> None:
    """After the terminal was sent `text`: try the system tool in a worker, then report, and tell
    `on_confirmed` if and when the copy is known to have arrived."""

    def work() -> None:
        problem = copy_natively(text)
        app.call_from_thread(_report, app, text, problem, on_confirmed)

    app.run_worker(work, thread=True, group="clipboard", exit_on_error=False,
                   description="copy to the system clipboard")


def _report(app: App[Any], text: str, problem: str | None,
            on_confirmed: Confirmed | None = None) -> None:
    """Say what happened, in one message, with the history warning the first time."""
    warn = not _warned.get(app)
    _warned[app] = True
    if problem is not None:
        from appreciate_tui.tui.dialogs.clipboard_fallback import ClipboardFallbackScreen

        app.push_screen(ClipboardFallbackScreen(text, problem, warn=warn,
                                                on_confirmed=on_confirmed))
        return
    if on_confirmed is not None:
        on_confirmed(None)
    if warn:
        app.notify(f"Copied. {HISTORY_WARNING}", title="Clipboard", severity="warning",
                   timeout=10, markup=False)
    else:
        app.notify("Copied.", timeout=3, markup=False)


def save_copy(text: str) -> Path:
    """Write what could not be confirmed on the clipboard to a private file (0600) in the
    exports folder, named for when it was copied; the path is returned to be shown."""
    from appreciate_tui import paths
    from appreciate_tui.paths import FileExists, write_private

    folder = paths.ensure_private_dir(paths.exports_dir())
    stem = f"copied-{domain.now().astimezone():%Y-%m-%d-%H%M%S}"
    for number in range(1, 100):
        name = f"{stem}.txt" if number == 1 else f"{stem}-{number}.txt"
        try:
            return write_private(folder / name, text.encode("utf-8"))
        except FileExists:
            continue
    raise FileExistsError(f"too many copies named {stem}… in {folder}")
