"""The view for the room (`appreciate present`) in a real terminal beside the facilitator's: two
tmux sessions on one server of this test's own (`-L`), the real `appreciate` in each, one database.

The room follows F6, F5 and a follow-the-flow question (F3, typing, Enter) within a second of the
key; it says plainly that nothing is live when it starts first, then picks the conversation up; it
carries on when the facilitator's app is killed and started again; and no capture of it ever holds
a note's text or a participant's name.
"""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from appreciate_tui.domain import Stance
from appreciate_tui.store import Store
from tests.tui.facilitate_data import QUESTIONS, make_conversation

pytestmark = [
    pytest.mark.slow,
    pytest.mark.tmux,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux on PATH"),
]

_SCRIPT = Path(sys.executable).with_name("appreciate")
APPRECIATE = str(_SCRIPT) if _SCRIPT.exists() else f"{sys.executable} -m appreciate_tui"
START_TIMEOUT = 20.0
FOLLOWING = 1.0
"""Seconds from the facilitator's key to the room showing the change (issue 15)."""

PLANTED_NOTE = "Kayden's mum said the stepfather had moved back in"
PLANTED_NAME = "Bernadette Okonkwo-Price"
TYPED_NOTE = "+ Marguerite from the GP surgery brought the chronology"
SECRETS = ("Kayden", "stepfather", "Okonkwo", "Bernadette", "Marguerite", "chronology", "surgery")
FOLLOW_UP = "What would make it easier for health to come every time?"


class Room:
    """One tmux server with two sessions: the facilitator's window and the room's."""

    def __init__(self, tmp_path: Path, db_path: Path) -> None:
        self.socket = f"appreciate-room-{uuid.uuid4().hex[:8]}"
        home = tmp_path / "tmux-home"
        env = {
            "HOME": home,
            "XDG_DATA_HOME": home / "data",
            "XDG_CONFIG_HOME": home / "config",
            "XDG_STATE_HOME": home / "state",
            "TERM": "xterm-256color",
        }
        assignments = " ".join(f"{k}={shlex.quote(str(v))}" for k, v in env.items())
        # exec, so the pane's process is the app itself and a signal reaches it directly.
        self.prefix = f"exec env -u COLUMNS -u LINES -u APPRECIATE_DB {assignments} {APPRECIATE} "
        self.prefix += f"--db {shlex.quote(str(db_path))} "
        self.sessions: list[str] = []

    def start(self, session: str, arguments: str, width: int, height: int) -> None:
        self._tmux("new-session", "-d", "-s", session, "-x", str(width), "-y", str(height),
                   self.prefix + arguments)
        self.sessions.append(session)

    def _tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True,
                              check=False).stdout

    def screen(self, session: str) -> str:
        return self._tmux("capture-pane", "-p", "-t", session)

    def words(self, session: str) -> str:
        """The pane as one run of words, so a wrapped line reads as it was written."""
        return " ".join(self.screen(session).split())

    def wait_for(self, session: str, text: str, timeout: float = START_TIMEOUT) -> float:
        """Seconds until `text` is on the pane; every capture of the room is checked on the way."""
        started = time.monotonic()
        while True:
            shown = self.words(session)
            if session == "room":
                assert_private(shown)
            if text in shown:
                return time.monotonic() - started
            assert time.monotonic() - started < timeout, (
                f"{text!r} never appeared in {session}:\n{self.screen(session)}\n"
                + "".join(f"{other}:\n{self.screen(other)}" for other in self.sessions
                          if other != session)
            )
            time.sleep(0.01)

    def keys(self, session: str, *keys: str) -> None:
        self._tmux("send-keys", "-t", session, *keys)

    def type(self, session: str, text: str) -> None:
        self._tmux("send-keys", "-t", session, "-l", "--", text)

    def pid(self, session: str) -> int:
        return int(self._tmux("list-panes", "-t", session, "-F", "#{pane_pid}").split()[0])

    def end(self, session: str) -> None:
        self._tmux("kill-session", "-t", session)
        self.sessions.remove(session)

    def shut_down(self) -> None:
        for session in list(self.sessions):  # the server ends with its last session
            self.end(session)


def assert_private(shown: str) -> None:
    for secret in SECRETS:
        assert secret not in shown, f"the room was shown {secret!r}"


def gone(pid: int, timeout: float = 10.0) -> bool:
    """The process has ended: no longer there, or a zombie that tmux has not yet reaped (on a
    busy machine that can take a while, and a zombie holds no lock and writes nothing)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        if zombie(pid):
            return True
        time.sleep(0.05)
    return False


def zombie(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[:1] == ["Z"]


@pytest.fixture
def planned(db_path: Path) -> str:
    """A planned conversation holding a note and a named participant the room must never see."""
    with Store.open(db_path) as store:
        cid = make_conversation(store)
        first = store.list_questions(cid)[0]
        person = store.add_participant(cid, "Health", name=PLANTED_NAME, attended=True)
        store.add_note(cid, first.id, PLANTED_NOTE, Stance.CONCERN, participant_id=person.id)
    return cid


@pytest.fixture
def room(tmp_path: Path, db_path: Path, planned: str) -> Iterator[Room]:
    terminals = Room(tmp_path, db_path)
    try:
        yield terminals
    finally:
        terminals.shut_down()


def move_on(room: Room, *keys: str, expect: str) -> float:
    """Press `keys` in the facilitator's window; seconds until the room shows `expect`."""
    room.keys("facilitator", *keys)
    return room.wait_for("room", expect, timeout=5.0)


def test_the_room_follows_f6_f5_and_a_follow_up_within_a_second(room: Room, planned: str) -> None:
    room.start("room", "present", 120, 40)
    room.wait_for("room", "No conversation is live")

    room.start("facilitator", f"open {planned[:8]}", 120, 40)
    room.wait_for("facilitator", "Follow the flow")
    room.wait_for("room", QUESTIONS[0][0], timeout=FOLLOWING)  # it picked the conversation up
    room.type("facilitator", TYPED_NOTE)
    room.keys("facilitator", "Enter")
    room.wait_for("facilitator", "✓ saved")

    took = {
        "F6": move_on(room, "F6", expect=QUESTIONS[1][0]),
        "F5": move_on(room, "F5", expect=QUESTIONS[0][0]),
    }
    room.keys("facilitator", "F3")
    time.sleep(0.5)  # as a person would: typed at once, the first words can beat the focus there
    room.type("facilitator", FOLLOW_UP)
    room.wait_for("facilitator", FOLLOW_UP[-16:])  # the end of it: the field scrolls
    took["F3+Enter"] = move_on(room, "Enter", expect=FOLLOW_UP)
    room.wait_for("room", f"Following on from: {QUESTIONS[0][0]}", timeout=0)
    assert all(seconds < FOLLOWING for seconds in took.values()), took
    assert "DEFINE" in room.words("room") and "follow-up to question 1" in room.words("room")


def test_the_room_carries_on_when_the_facilitators_app_restarts(
    room: Room, planned: str
) -> None:
    room.start("facilitator", f"open {planned[:8]}", 120, 40)
    room.wait_for("facilitator", "Follow the flow")
    room.start("room", "present", 80, 24)
    room.wait_for("room", QUESTIONS[0][0])

    pid = room.pid("facilitator")
    os.kill(pid, signal.SIGKILL)  # the laptop's app dies mid-meeting
    assert gone(pid)
    room.end("facilitator")
    time.sleep(0.5)
    room.wait_for("room", QUESTIONS[0][0], timeout=0)  # still showing where it was

    room.start("facilitator", f"open {planned[:8]}", 120, 40)
    room.wait_for("facilitator", "Follow the flow")
    assert "Read-only" not in room.screen("facilitator"), "the room holds no lock"
    assert move_on(room, "F6", expect=QUESTIONS[1][0]) < FOLLOWING
    room.keys("facilitator", "C-q")
    room.wait_for("room", QUESTIONS[1][0], timeout=0)
