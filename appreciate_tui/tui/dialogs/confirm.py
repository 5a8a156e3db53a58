"""A yes-or-no question that says exactly what will happen, before anything hard to undo.

Dismisses with True for yes, False for no. `y` and `n` answer it; Escape is no.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from appreciate_tui.tui.keys import with_keys


class ConfirmScreen(ModalScreen[bool]):
    DEFAULT_CSS = """
    ConfirmScreen > #confirm { width: 64; max-width: 95%; height: auto; }
    ConfirmScreen #confirm-buttons { height: auto; align-horizontal: right; margin-top: 1; }
    ConfirmScreen Button { margin-left: 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n,escape", "dismiss(False)", "No", tooltip="Change nothing", id="confirm.no"),
        Binding("y", "dismiss(True)", "Yes", tooltip="Go ahead", id="confirm.yes"),
    ]

    def __init__(self, title: str, body: str, *, yes: str, no: str = "Cancel") -> None:
        """`title` and `body` are shown as plain text, never read as markup."""
        super().__init__()
        self._title = title
        self._body = body
        self._yes = yes
        self._no = no

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm", classes="dialog"):
            yield Static(self._title, classes="dialog-title", markup=False)
            yield Static(self._body, markup=False)
            with Horizontal(id="confirm-buttons"):
                # The buttons name the keys that answer, as the keymap in the settings has them.
                yield Button(f"{self._no} ({with_keys('{confirm.no}', self.app, self)})", id="no")
                yield Button(f"{self._yes} ({with_keys('{confirm.yes}', self.app, self)})",
                             id="yes", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")
