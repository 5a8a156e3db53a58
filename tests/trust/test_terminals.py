"""The real `appreciate` in a real terminal (tmux, a server of its own per test): it starts, saves
a note and quits cleanly (exit code 0, nothing on stderr) under TERM=xterm-256color, tmux-256color
and linux, at 80x24 and at 40x12; under TERM=dumb it refuses with one line and changes nothing.
An encrypted database asks for its passphrase before the app starts. A paste is text, whatever it
holds: an ESC in it never turns the rest into key presses (tmux passes a pasted ESC through)."""

from __future__ import annotations

import shlex
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from appreciate_tui.store import Store, cipher
from tests.trust.helpers import PASSPHRASE
from tests.tui.facilitate_data import make_conversation

pytestmark = [
    pytest.mark.slow,
    pytest.mark.tmux,
]

APPRECIATE = Path(sys.executable).with_name("appreciate")
TIMEOUT = 20.0


class Terminal:
    def __init__(self, command: str, width: int, height: int) -> None:
        self.socket = f"appreciate-trust-{uuid.uuid4().hex[:8]}"  # never the default server
        self._tmux("new-session", "-d", "-s", "t", "-x", str(width), "-y", str(height), command)

    def _tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True,
                              text=True).stdout

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", "t")

    def wait_for(self, text: str, timeout: float = TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.screen().replace("\n", ""):
                return
            time.sleep(0.05)
        raise AssertionError(f"{text!r} never appeared:\n{self.screen()}")

    def keys(self, *keys: str) -> None:
        self._tmux("send-keys", "-t", "t", *keys)

    def type(self, text: str) -> None:
        self._tmux("send-keys", "-t", "t", "-l", "--", text)

    def paste(self, text: str, folder: Path) -> None:
        """Paste `text` as a terminal does for an app that asked for bracketed paste: between
        ESC[200~ and ESC[201~, byte for byte (-r: line feeds are not turned into CRs)."""
        held = folder / f"paste-{uuid.uuid4().hex[:8]}"
        held.write_bytes(text.encode())
        self._tmux("load-buffer", "-b", "pasted", str(held))
        self._tmux("paste-buffer", "-p", "-r", "-d", "-b", "pasted", "-t", "t")

    def shut_down(self) -> None:
        self._tmux("kill-server")  # this test's own server (-L), nobody else's


@pytest.fixture
def world(tmp_path: Path, db_path: Path) -> Iterator[dict[str, Path]]:
    with Store.open(db_path) as store:
        cid = make_conversation(store)
        store.start_conversation(cid)
    yield {"home": tmp_path / "tmux-home", "db": db_path}


def start(world: dict[str, Path], term: str, width: int, height: int) -> Terminal:
    """The app in a shell that, once the app has ended, prints how it ended and stays, so that
    whatever the app left on the terminal (a traceback, a library's complaint) can be read.
    (Textual draws on stderr, so stderr cannot be sent to a file instead.)"""
    home = world["home"]
    env = {"TERM": term, "HOME": home, "XDG_DATA_HOME": home / "data",
           "XDG_CONFIG_HOME": home / "config", "XDG_STATE_HOME": home / "state",
           "APPRECIATE_DB": world["db"]}
    assignments = " ".join(f"{k}={shlex.quote(str(v))}" for k, v in env.items())
    app = " ".join(shlex.quote(str(a)) for a in (APPRECIATE, "--db", world["db"]))
    inner = f"clear; {app}; echo EXIT=$?; sleep 120"
    # COLUMNS and LINES, if this process has them, would override the terminal's real size.
    return Terminal(f"env -u COLUMNS -u LINES {assignments} sh -c {shlex.quote(inner)}",
                    width, height)


def ended(terminal: Terminal) -> tuple[str, str]:
    """(exit code, what the terminal shows) once the app has ended."""
    terminal.wait_for("EXIT=")
    shown = terminal.screen()
    code = shown.split("EXIT=", 1)[1].split()[0]
    return code, shown.split("EXIT=", 1)[0]


def wait_until(condition, timeout: float = TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def drafts(db: Path) -> list[str]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return [row[0] for row in conn.execute("SELECT body FROM drafts")]
    finally:
        conn.close()


def saved_notes(db: Path) -> list[str]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        return [row[0] for row in conn.execute("SELECT body FROM notes")]
    finally:
        conn.close()


@pytest.mark.parametrize("size", [(80, 24), (40, 12)], ids=["80x24", "40x12"])
@pytest.mark.parametrize("term", ["xterm-256color", "tmux-256color", "linux"])
def test_starts_saves_and_quits_cleanly(world: dict[str, Path], term: str,
                                        size: tuple[int, int]) -> None:
    width, height = size
    note = f"typed under {term} at {width}x{height}"
    terminal = start(world, term, width, height)
    try:
        terminal.wait_for("MASH strategy")  # the conversations list...
        terminal.wait_for("palette")  # ...with its footer: ready for keys
        terminal.keys("Enter")
        terminal.wait_for("question 1 of 5")  # the facilitation screen
        terminal.type(f"+ {note}")
        terminal.wait_for(note[-14:])  # the end of it, in the note line (it scrolls)
        terminal.keys("Enter")
        wait_until(lambda: note in saved_notes(world["db"]))  # on disk, as a note
        terminal.keys("C-q")
        code, left = ended(terminal)
    finally:
        terminal.shut_down()
    assert code == "0"
    assert left.strip() == ""  # the screen restored: no traceback, no library noise
    assert note in saved_notes(world["db"])


def test_a_dumb_terminal_is_refused_with_one_line(world: dict[str, Path]) -> None:
    before = saved_notes(world["db"])
    terminal = start(world, "dumb", 200, 24)
    try:
        code, left = ended(terminal)
    finally:
        terminal.shut_down()
    assert code == "1"
    lines = [line for line in left.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("appreciate: this terminal (TERM=dumb)")
    assert "appreciate --help" in lines[0]
    assert saved_notes(world["db"]) == before


@pytest.mark.skipif(not cipher.available(), reason="needs the encryption extra")
def test_an_encrypted_database_asks_for_its_passphrase_before_the_app(
    world: dict[str, Path]
) -> None:
    from appreciate_tui.store import encryption

    encryption.encrypt(world["db"], PASSPHRASE)
    terminal = start(world, "xterm-256color", 80, 24)
    try:
        terminal.wait_for("Passphrase for")
        assert "MASH" not in terminal.screen()  # nothing shown before it
        terminal.type(PASSPHRASE)
        terminal.keys("Enter")
        terminal.wait_for("MASH strategy")
        assert PASSPHRASE not in terminal.screen()
        terminal.keys("C-q")
        code, left = ended(terminal)
    finally:
        terminal.shut_down()
    assert code == "0"
    assert PASSPHRASE not in left and "ERROR" not in left  # never echoed; no library log


def in_a_conversation(world: dict[str, Path]) -> Terminal:
    terminal = start(world, "xterm-256color", 100, 30)
    terminal.wait_for("MASH strategy")
    terminal.wait_for("palette")
    terminal.keys("Enter")
    terminal.wait_for("question 1 of 5")
    return terminal


TYPED = "+ typed by the facilitator "


@pytest.mark.parametrize(
    ("pasted", "arrives"),
    [
        # The DELs as keys would delete the typed words (and the shortened draft be saved).
        ("pasted\x1b" + "\x7f" * 20 + " words", "pasted words"),
        # The CR as a key would save the note half-written.
        ("pasted\x1b\rwords", "pasted words"),
        # ctrl+Q as a key would quit.
        ("pasted\x1b\x11 words", "pasted words"),
        # F10 (which ends the conversation), after something that begins like the end marker.
        ("pasted\x1b[201x\x1b[21~ words", "pasted[201x[21~ words"),
    ],
    ids=["esc-del", "esc-cr", "esc-ctrl-q", "esc-f10"],
)
def test_a_paste_with_an_esc_in_it_is_text_not_keys(world: dict[str, Path], tmp_path: Path,
                                                    pasted: str, arrives: str) -> None:
    line = TYPED + arrives  # the ESC and the controls gone, on one line
    terminal = in_a_conversation(world)
    try:
        before = saved_notes(world["db"])
        terminal.type(TYPED)
        terminal.wait_for(TYPED.strip())
        terminal.paste(pasted, tmp_path)
        settled = time.monotonic() + 5.0  # a sign it has arrived, or the time it ought to take
        while time.monotonic() < settled and not any(
            sign in terminal.screen() for sign in (arrives[-12:], "EXIT=", "End this conversation?")
        ):
            time.sleep(0.05)
        time.sleep(1.0)  # whatever the paste could set off, given the time to happen
        shown = terminal.screen()
        after = {"running": "EXIT=" not in shown,
                 "asked to end": "End this conversation?" in shown,
                 "notes saved": saved_notes(world["db"])[len(before):],
                 "draft": drafts(world["db"])}
        assert after == {"running": True, "asked to end": False, "notes saved": [],
                         "draft": [line]}
        terminal.keys("Enter")
        wait_until(lambda: len(saved_notes(world["db"])) == len(before) + 1)
        terminal.keys("C-q")
        code, left = ended(terminal)
    finally:
        terminal.shut_down()
    assert code == "0"
    assert left.strip() == ""
    assert saved_notes(world["db"])[len(before):] == [line[2:].strip()]


def test_a_megabyte_paste_is_kept_whole(world: dict[str, Path], tmp_path: Path) -> None:
    """Longer than a note line holds: kept as a note of its own (NoteInput.LongPaste)."""
    lines = [f"{n:06d} Children's social care shared the chronology on the day.\x1b" for n in
             range(20_000)]
    pasted = "\n".join(lines)[:1_000_000]
    terminal = in_a_conversation(world)
    try:
        began = time.monotonic()
        terminal.paste(pasted, tmp_path)
        wait_until(lambda: len(saved_notes(world["db"])) == 1, timeout=60)
        took = time.monotonic() - began
        terminal.wait_for("Long paste kept")
        assert "EXIT=" not in terminal.screen()
    finally:
        terminal.shut_down()
    assert saved_notes(world["db"]) == [pasted.replace("\x1b", "").strip()]
    print(f"a 1 MB paste was on disk as a note {took:.2f} s after it was pasted")
