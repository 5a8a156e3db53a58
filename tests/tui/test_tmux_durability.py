"""The real `appreciate` command in a real terminal (tmux): what is typed survives the process being
killed and the terminal window being closed (DESIGN.md section 5, reliability.md section 7).

Each test runs its own tmux server (`-L`), with HOME, XDG folders and the database under tmp_path.
"""

from __future__ import annotations

import os
import shlex
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from appreciate_tui.store import Store
from tests.tui.facilitate_data import make_conversation

pytestmark = [
    pytest.mark.slow,
    pytest.mark.tmux,
]

# The installed `appreciate` command beside this Python (the venv's), else the same entry point
# through `python -m`, which is what the command runs.
_SCRIPT = Path(sys.executable).with_name("appreciate")
APPRECIATE = str(_SCRIPT) if _SCRIPT.exists() else f"{sys.executable} -m appreciate_tui"
ON_SCREEN_TIMEOUT = 20.0


class Terminal:
    """One tmux server with one window running a command."""

    def __init__(self, command: str, *, width: int = 120, height: int = 40) -> None:
        self.socket = f"appreciate-test-{uuid.uuid4().hex[:8]}"
        self.session = "facilitate"
        self.width, self.height = width, height
        self._tmux(
            "new-session", "-d", "-s", self.session, "-x", str(width), "-y", str(height), command
        )

    def settle_size(self) -> None:
        """Resize the window away and back. On a loaded machine the app can read the pane's size
        before tmux has set it (and get 80x24) and start listening for resizes only after tmux's
        one SIGWINCH; a resize now tells it the real size, as a person's terminal would."""
        for width in (self.width - 1, self.width):
            self._tmux("resize-window", "-t", self.session, "-x", str(width),
                       "-y", str(self.height))

    def _tmux(self, *args: str) -> str:
        # Not checked: asking a server that has already gone (after kill-server) is harmless.
        done = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=False
        )
        return done.stdout

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", self.session)

    def wait_for(self, text: str, timeout: float = ON_SCREEN_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.screen().replace("\n", ""):
                return
            time.sleep(0.02)
        raise AssertionError(f"{text!r} never appeared on screen:\n{self.screen()}")

    def keys(self, *keys: str) -> None:
        self._tmux("send-keys", "-t", self.session, *keys)

    def type(self, text: str) -> None:
        self._tmux("send-keys", "-t", self.session, "-l", "--", text)

    def app_pid(self) -> int:
        return int(self._tmux("list-panes", "-t", self.session, "-F", "#{pane_pid}").split()[0])

    def close_window(self) -> None:
        """What closing the terminal window does: the app gets SIGHUP."""
        self._tmux("kill-session", "-t", self.session)

    def shut_down(self) -> None:
        self._tmux("kill-server")


def gone(pid: int, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def kept_text(db_path: Path) -> list[str]:
    """Everything typed that reached the disk: drafts and notes."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        found = [row[0] for row in conn.execute("SELECT body FROM drafts")]
        found += [row[0] for row in conn.execute("SELECT body FROM notes")]
        return found
    finally:
        conn.close()


@pytest.fixture
def live_conversation(db_path: Path) -> str:
    with Store.open(db_path) as store:
        cid = make_conversation(store)
        store.start_conversation(cid)
    return cid


@pytest.fixture
def terminal(tmp_path: Path, db_path: Path, live_conversation: str) -> Iterator[Terminal]:
    home = tmp_path / "tmux-home"
    env = {
        "HOME": home,
        "XDG_DATA_HOME": home / "data",
        "XDG_CONFIG_HOME": home / "config",
        "XDG_STATE_HOME": home / "state",
        "APPRECIATE_DB": db_path,
    }
    assignments = " ".join(f"{name}={shlex.quote(str(value))}" for name, value in env.items())
    # exec twice over, so the pane's process is the app itself and signals reach it directly.
    command = (
        f"exec env {assignments} {APPRECIATE} --db {shlex.quote(str(db_path))}"
    )
    terminal = Terminal(command)
    try:
        terminal.wait_for("MASH strategy meetings")  # the conversations list
        terminal.settle_size()
        terminal.keys("Enter")
        terminal.wait_for("Follow the flow")  # the facilitation screen
        yield terminal
    finally:
        terminal.shut_down()


def test_a_note_typed_a_second_before_sigkill_is_on_disk(terminal: Terminal, db_path: Path) -> None:
    text = "+ typed one second before the laptop was killed"
    terminal.type(text)
    terminal.wait_for(text)
    time.sleep(1.0)
    pid = terminal.app_pid()
    os.kill(pid, signal.SIGKILL)
    assert gone(pid)
    assert text in kept_text(db_path)


KEY_EVERY = 0.12
"""Seconds between keys: a steady typist, who never pauses long enough for a bare debounce."""
PROMISE = 0.3
"""DESIGN.md section 5: what was typed is on disk at most this long after it was typed."""
STEADY_TEXT = "the chronology was shared before the call so everyone came ready to listen"


def type_steadily(
    terminal: Terminal, text: str, every: float
) -> tuple[list[tuple[float, str]], list[tuple[float, str]]]:
    """One key every `every` seconds, never pausing. Returns (when each key was sent, the text so
    far) and (when the screen was read, the longest beginning of the text the app showed then):
    on a busy machine the app reads a key some time after it was sent, and the promise runs from
    when the app has the key."""
    typed, shown = [], []
    start = time.monotonic()
    for n, key in enumerate(text):
        time.sleep(max(0.0, start + n * every - time.monotonic()))
        terminal.type(key)
        typed.append((time.monotonic(), text[: n + 1]))
        screen = terminal.screen()
        shown.append((time.monotonic(), echoed(text[: n + 1], screen)))
    return typed, shown


def echoed(text: str, screen: str) -> str:
    """The longest beginning of `text` in the screen's text fields (the lines drawn with ▊; a
    space at its end cannot be told from the blank after it, so such a beginning does not count)."""
    fields = "\n".join(line for line in screen.splitlines() if "\u258a" in line)
    for end in range(len(text), 0, -1):
        if not text[end - 1].isspace() and text[:end] in fields:
            return text[:end]
    return ""


def note_draft(db_path: Path) -> str:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT body FROM drafts WHERE field = 'note'").fetchone()
        return row[0] if row else ""
    finally:
        conn.close()


def kill_while_typing_steadily(terminal: Terminal, db_path: Path) -> tuple[str, str, str]:
    """Type for about five seconds and SIGKILL the app on the last key, mid-stream.

    Returns what was typed, what had to be on disk by then (everything the app showed at least
    300 ms before the kill: it had those keys then) and the draft found on disk afterwards.
    """
    pid = terminal.app_pid()
    typed, shown = type_steadily(terminal, STEADY_TEXT[: round(5.0 / KEY_EVERY)], KEY_EVERY)
    os.kill(pid, signal.SIGKILL)
    killed = time.monotonic()
    assert gone(pid)
    due = max((text for at, text in shown if at <= killed - PROMISE), key=len, default="")
    return typed[-1][1], due, note_draft(db_path)


def test_steady_typing_killed_mid_stream_keeps_all_but_the_last_300_ms(
    terminal: Terminal, db_path: Path
) -> None:
    typed, due, kept = kill_while_typing_steadily(terminal, db_path)
    assert len(due) > len(typed) - 5, "the kill came while the typing went on"
    assert kept.startswith(due), f"typed {typed!r}; on disk only {kept!r}"
    assert typed.startswith(kept)


def test_closing_the_terminal_right_after_typing_keeps_the_text(
    terminal: Terminal, db_path: Path
) -> None:
    text = "- typed just as the window was closed"
    pid = terminal.app_pid()
    terminal.type(text)
    terminal.wait_for(text, timeout=5)
    terminal.close_window()  # before the draft would be saved anyway: the flush on SIGHUP saves it
    assert gone(pid), "the app did not end when its terminal closed"
    assert text in kept_text(db_path)


def test_a_committed_note_survives_sigkill(terminal: Terminal, db_path: Path) -> None:
    terminal.type("~ one chronology for every child #csc")
    terminal.keys("Enter")
    terminal.wait_for("✓ saved")
    # The one social worker here: an agency tag names its only person present.
    terminal.wait_for("one chronology for every child — Social care 1")
    pid = terminal.app_pid()
    os.kill(pid, signal.SIGKILL)
    assert gone(pid)
    assert "one chronology for every child" in kept_text(db_path)


def test_a_note_saved_mid_typing_is_not_followed_by_its_draft(
    terminal: Terminal, db_path: Path
) -> None:
    """Enter pressed while the line's draft is on its way to the disk (drafts are written on a
    thread of their own): the note clears the draft, and the draft must not land after it, or the
    next start would put the saved line back to be saved twice."""
    text = "+ the chronology was ready before the call"
    for attempt in range(3):  # Enter at a different moment of the drafts' writes each time
        type_steadily(terminal, text, 0.03 + 0.04 * attempt)
        terminal.keys("Enter")
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and notes_text(db_path).count(text[2:]) <= attempt:
            time.sleep(0.02)
        assert note_draft(db_path) == "", f"attempt {attempt}: the draft is still there"
    time.sleep(0.3)  # anything still on its way lands
    pid = terminal.app_pid()
    os.kill(pid, signal.SIGKILL)
    assert gone(pid)
    assert note_draft(db_path) == ""
    assert notes_text(db_path).count(text[2:]) == 3


def notes_text(db_path: Path) -> list[str]:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return [row[0] for row in conn.execute("SELECT body FROM notes")]
    finally:
        conn.close()
