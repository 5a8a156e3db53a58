"""e on a note: change what it says. Enter keeps the change, Escape leaves the note as it was.

Dismisses with the new text, or None when nothing should change.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from appreciate_tui.domain import Note
from appreciate_tui.tui.widgets.note_input import LINE_LIMIT
from appreciate_tui.tui.widgets.text_fields import TextInput


def can_edit_here(note: Note) -> bool:
    """A note made from a long or many-line paste is kept whole, and not squeezed into one line."""
    return len(note.body) <= LINE_LIMIT and "\n" not in note.body


class EditNoteScreen(ModalScreen[str | None]):
    DEFAULT_CSS = """
    EditNoteScreen > #edit-note { width: 90%; max-width: 110; height: auto; }
    EditNoteScreen #edit-hint { color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", tooltip="Leave the note as it was"),
    ]

    def __init__(self, note: Note) -> None:
        super().__init__()
        self._note = note

    def compose(self) -> ComposeResult:
        with Vertical(id="edit-note", classes="dialog"):
            yield Static("Edit note", classes="dialog-title")
            # The store cleans what is saved; the field shows any control character another
            # program left in the text as a symbol rather than sending it to the terminal.
            yield TextInput(self._note.body, max_length=LINE_LIMIT, id="edit-body")
            yield Static(
                Content.from_markup(
                    "[b]Enter[/b] save   [b]Escape[/b] cancel   (the old wording is kept)"
                ),
                id="edit-hint",
            )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        self.dismiss(text if text and text != self._note.body else None)
