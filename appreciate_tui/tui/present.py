"""The view for the room (`appreciate present`): the question being asked, for a projector or a
screen shared in a call, following the facilitator's window.

It is an app of its own, run in a second terminal window, so the facilitator keeps the full screen
with its notes and names to themselves and shows the room only this. It shows real text, centred
and wrapped at a readable width, never block letters: a screen reader and a terminal capture read
it, and the room makes it bigger with the terminal's own font size.

It reads through a read-only store, which takes no lock (DESIGN.md section 5), so it opens beside
the facilitator's window, before it, or after it, and carries on when that window restarts: the
file is the same and the next commit is seen like any other. It writes nothing. Four times a second
it asks SQLite whether another connection has committed (`Store.data_version`, which reads no
page); only then does it read what the room sees (`Store.room_view`: a few rows of one
conversation, never a note or a name), and only a change is drawn.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from appreciate_tui import paths, portable
from appreciate_tui.settings import Settings
from appreciate_tui.store import Store, StoreError
from appreciate_tui.store.room import RoomState, RoomView
from appreciate_tui.text import printable
from appreciate_tui.tui import textual_fixes
from appreciate_tui.tui.state import collecting
from appreciate_tui.tui.themes import PHASE_VARIABLES, install_themes, next_theme, remember_theme

READABLE_WIDTH = 72
"""The widest a line of the question gets, in columns: longer lines are hard to follow across a
room. Wider terminals centre it; narrower ones wrap it to their width."""

POLL_SECONDS = 0.1
"""How often it asks whether anything changed: the room sees a new question well within a
second of the facilitator moving on."""

_SAID = {
    RoomState.NONE: (
        "No conversation is live.",
        "The question being asked will show here as soon as a conversation starts.",
    ),
    RoomState.WAITING: (
        "This conversation has not started yet.",
        "Its questions will show here when it does.",
    ),
    RoomState.STARTING: ("The conversation is about to begin.", ""),
    RoomState.ENDED: ("Thank you", "The conversation has ended."),
    RoomState.GONE: ("This conversation is no longer here.", ""),
}
"""What the room reads when no question is being asked: the main line and the one under it."""

PAUSED = "Paused: we will carry on shortly."
"""Under the question while the facilitator's clock is paused."""


def room_command(database: Path) -> str:
    """The command that opens the view for the room on `database`, to type in a second window.
    It names the database unless it is the usual one: the other window may not have been given
    the same `--db` or APPRECIATE_DB."""
    words = ["appreciate", "present"]
    if os.environ.get(paths.DB_ENV) or database.absolute() != paths.db_path(None).absolute():
        words[1:1] = ["--db", str(database)]
    return portable.command_line(words)


class PresentApp(App[None], inherit_bindings=False):
    """appreciate, for the room: the question being asked, no notes and no names."""

    TITLE = "appreciate: for the room"
    CSS_PATH: ClassVar = Path(__file__).parent / "present.tcss"
    # Nothing to choose here, and a palette opened by mistake would be shown to the room.
    ENABLE_COMMAND_PALETTE: ClassVar[bool] = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "q,escape,ctrl+q,ctrl+c",
            "quit",
            "Close",
            tooltip="Close this window; the conversation carries on in the facilitator's",
            priority=True,
            id="present.close",
        ),
        Binding(
            "f2",
            "next_theme",
            "Theme",
            tooltip="Switch to the next colour theme (light or high contrast for a projector)",
            id="present.next_theme",
        ),
    ]

    def __init__(
        self,
        store: Store,
        *,
        conversation_id: str | None = None,
        settings: Settings | None = None,
    ) -> None:
        collecting.hold()  # until the first view is drawn (tui/collecting.py)
        textual_fixes.apply()  # before anything is drawn
        super().__init__()
        self.store = store
        self.settings = settings if settings is not None else Settings.load()
        self._chosen = conversation_id
        self._version: int | None = None
        """The database's `data_version` when the view was last read; None: read it again."""
        self._view: RoomView | None = None
        self._last_shown: str | None = None
        self._read_failed = False
        self._theme_problems = install_themes(
            self, self.settings.room_theme or self.settings.theme
        )

    def compose(self) -> ComposeResult:
        with Vertical(id="room"):
            yield Static(id="room-topic")
            yield Static(id="room-phase")
            yield Static(id="room-grew-from")
            yield Static(id="room-text")
            yield Static(id="room-detail")
        yield Static(id="room-status")

    def on_mount(self) -> None:
        self.set_keymap(self.settings.keymap)
        self._follow()
        self.call_after_refresh(collecting.resume)
        self.set_interval(POLL_SECONDS, self._follow)
        if self._theme_problems:
            self.notify("\n".join(self._theme_problems), title="Some themes could not be used",
                        severity="warning", timeout=8, markup=False)
        self.notify("q closes this window; F2 changes the colours.", timeout=4, markup=False)

    def on_unmount(self) -> None:
        collecting.resume()  # in case it closed before it was drawn

    # ------------------------------------------------------------------ following

    def _follow(self) -> None:
        """Read what the room sees if anything was committed since the last look; draw a change."""
        try:
            version = self.store.data_version()
            if version == self._version:
                return
            view = self.store.room_view(self._chosen, last_shown=self._last_shown)
        except StoreError:
            # A moment's trouble (the disk, a file being replaced): said in plain words, and
            # tried again at the next tick. The detail is not for the room.
            self._version = None
            self._read_failed = True
            self._say_status("The conversation cannot be read just now; trying again.")
            return
        recovered, self._read_failed = self._read_failed, False
        self._version = version
        if view.conversation_id is not None:
            self._last_shown = view.conversation_id
        if view != self._view or recovered:
            self._show(view)

    def _show(self, view: RoomView) -> None:
        self._view = view
        topic = printable(view.topic, keep_newlines=False)
        if view.state is RoomState.QUESTION and view.phase is not None:
            phase = Content.assemble(
                (view.phase.label.upper(), f"bold ${PHASE_VARIABLES[view.phase]}"),
                (f"  ·  {view.place}", "$text-muted"),
            )
            grew_from = printable(view.grew_from, keep_newlines=False)
            self._set(
                topic=topic,
                phase=phase,
                grew_from=f"Following on from: {grew_from}" if grew_from else "",
                text=Content.styled(printable(view.question, keep_newlines=False), "bold"),
                detail=PAUSED if view.paused else "",
            )
        elif view.state is RoomState.OPENING:
            self._set(
                topic=topic,
                phase=Content.styled("BEFORE WE BEGIN", "bold $accent"),
                grew_from="",
                text=Content(printable(view.opening.strip())),
                detail=PAUSED if view.paused else "",
            )
        else:
            said, detail = _SAID[view.state]
            self._set(
                topic=topic if view.state is not RoomState.NONE else "",
                phase="",
                grew_from="",
                text=Content.styled(said, "bold"),
                detail=detail,
            )
        self._say_status(self._status_for(view))

    def _set(self, **parts: Content | str) -> None:
        for name, content in parts.items():
            part = self.query_one(f"#room-{name.replace('_', '-')}", Static)
            part.update(Content(content) if isinstance(content, str) else content)
            part.display = bool(content)

    def _status_for(self, view: RoomView) -> str:
        """Which conversation this is, when the room could be expecting another."""
        if self._chosen is not None or view.conversation_id is None:
            return ""
        if view.state is RoomState.ENDED and view.live:
            others = "Another conversation is" if view.live == 1 else f"{view.live} others are"
            return f"{others} still live: `appreciate present ID` shows one."
        if view.live > 1:
            return (
                f"Showing the most recently active of {view.live} live conversations "
                f"({view.conversation_id[:8]}). `appreciate present ID` shows another."
            )
        return ""

    def _say_status(self, said: str) -> None:
        status = self.query_one("#room-status", Static)
        status.set_class(self._read_failed, "-problem")
        status.update(Content(said))
        status.display = bool(said)

    # ------------------------------------------------------------------ themes

    def action_next_theme(self) -> None:
        next_theme(self)

    def watch_theme(self, name: str) -> None:
        """Remember a theme chosen here as the room's own, leaving the facilitator's alone. The
        file is read again first: the facilitator's window may have changed it meanwhile."""
        if not self.is_running:
            return
        settings = Settings.load()
        settings.room_theme = name
        remember_theme(self, settings.save)


def run_present(store: Store, *, conversation_id: str | None = None) -> int:
    """Show the room the conversation until someone closes the window; the exit code."""
    app = PresentApp(store, conversation_id=conversation_id)
    app.run()
    return app.return_code or 0
