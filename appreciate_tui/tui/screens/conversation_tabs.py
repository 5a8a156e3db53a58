"""What the plan and wrap-up screens share: one conversation shown in tabs, its typed fields saved
as they are typed (Autosave: on disk within 300 ms of the first unsaved keystroke, however steady
the typing, and flushed on leaving, quitting, SIGTERM and SIGHUP), and every other change made
through `save` (screens/base.py), which says in words why something was not changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.events import ScreenSuspend
from textual.widgets import TabbedContent

from appreciate_tui.domain import Conversation
from appreciate_tui.tui.screens.base import StoreScreen
from appreciate_tui.tui.state.autosave import Autosave
from appreciate_tui.tui.widgets.save_status import SaveStatus


class ConversationTabsScreen(StoreScreen):
    FIRST_FOCUS: ClassVar[dict[str, str]]
    """Each tab's id -> the widget that takes the focus when the tab is shown."""

    def __init__(self, conversation_id: str, *, tab: str) -> None:
        super().__init__()
        self.conversation_id = conversation_id
        self._first_tab = tab
        self._conversation: Conversation | None = None
        self._autosave: Autosave | None = None

    @property
    def conversation(self) -> Conversation:
        assert self._conversation is not None, "loaded when the screen is composed"
        return self._conversation

    def _start_autosave(self) -> None:
        """Save typed fields into the conversation from now on (call it in on_mount)."""
        # Held, not looked up at each report: the last flush reports while the screen unmounts,
        # when its widgets can no longer be found.
        status = self.query_one(SaveStatus)
        self._autosave = Autosave(
            lambda changes: self.store.update_conversation(self.conversation_id, **changes),
            schedule=self.set_timer,
            on_report=status.show,
            read_only_reason=self.store.read_only_reason,
        )
        status.show(self._autosave.report)

    @property
    def autosave(self) -> Autosave:
        assert self._autosave is not None, "nothing is saved before the screen is mounted"
        return self._autosave

    # ------------------------------------------------------------------ saving

    def _did(self, write: Callable[[], object], *, what: str) -> bool:
        """`save` for a write that returns nothing: True when it was made."""
        return self.save(lambda: write() or True, what=what) is not None

    def flush(self) -> None:
        """Save every typed field now. The app calls this on quit, SIGTERM and SIGHUP."""
        if self._autosave is not None:
            self._autosave.flush()

    def on_screen_suspend(self, _: ScreenSuspend) -> None:
        self.flush()

    def on_unmount(self) -> None:
        self.flush()

    # ------------------------------------------------------------------ tabs

    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        self.query_one(self.FIRST_FOCUS[tab]).focus()
