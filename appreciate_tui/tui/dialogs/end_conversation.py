"""F10: end the conversation, after a confirmation that says what ending means.

Dismisses with True to end it, False to carry on.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from appreciate_tui.tui.keys import with_keys
from appreciate_tui.wording import plural


class EndConversationScreen(ModalScreen[bool]):
    DEFAULT_CSS = """
    EndConversationScreen > #end-conversation { width: 64; max-width: 95%; height: auto; }
    EndConversationScreen #end-warning { color: $error; text-style: bold; }
    EndConversationScreen #end-buttons { height: auto; align-horizontal: right; margin-top: 1; }
    EndConversationScreen Button { margin-left: 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n,escape", "dismiss(False)", "Keep going", tooltip="Go back to the conversation",
                id="end_conversation.keep_going"),
        Binding("y", "dismiss(True)", "End it", tooltip="Close the conversation",
                id="end_conversation.end"),
    ]

    def __init__(self, open_escalations: int) -> None:
        super().__init__()
        self._open_escalations = open_escalations

    def compose(self) -> ComposeResult:
        with Vertical(id="end-conversation", classes="dialog"):
            yield Static("End this conversation?", classes="dialog-title")
            yield Static(
                "It will be marked closed. Every note stays, to be reviewed and shared afterwards.",
                markup=False,
            )
            if self._open_escalations:
                count = self._open_escalations
                yield Static(
                    f"{plural(count, 'escalation')} not yet marked handled. "
                    "They stay listed until they are.",
                    id="end-warning",
                    markup=False,
                )
            with Horizontal(id="end-buttons"):
                keep_going = with_keys("Keep going ({end_conversation.keep_going})", self.app, self)
                end = with_keys("End conversation ({end_conversation.end})", self.app, self)
                yield Button(keep_going, id="keep-going")
                yield Button(end, id="end", variant="error")

    def on_mount(self) -> None:
        self.query_one("#keep-going", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "end")
