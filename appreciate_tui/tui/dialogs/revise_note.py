"""e on a note in the review, while editing the record: correct what it says after the meeting.

A note may run to several lines (a pasted paragraph), so the text is in a text area. Enter keeps
the change (the store keeps the earlier wording as a revision); Escape leaves the note as it was.

Dismisses with the new text, or None when nothing should change.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from appreciate_tui.domain import Note
from appreciate_tui.tui.widgets.text_box import TextBox


class ReviseNoteScreen(ModalScreen[str | None]):
    DEFAULT_CSS = """
    ReviseNoteScreen > #revise-note { width: 90%; max-width: 110; height: auto; }
    ReviseNoteScreen #revise-body { height: auto; min-height: 3; max-height: 14; }
    ReviseNoteScreen #revise-hint { color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", tooltip="Leave the note as it was"),
        # Before the text area, which would otherwise take Enter as a new line.
        Binding("enter", "save", "Save", priority=True, tooltip="Keep the corrected text"),
    ]

    def __init__(self, note: Note, revisions: int) -> None:
        super().__init__()
        self._note = note
        self._revisions = revisions

    def compose(self) -> ComposeResult:
        earlier = (
            f" It has been corrected {self._revisions} time{'s' if self._revisions != 1 else ''}"
            " before." if self._revisions else ""
        )
        with Vertical(id="revise-note", classes="dialog"):
            yield Static("Correct this note", classes="dialog-title")
            # The field shows any control character another program left in the text as a
            # symbol rather than sending it to the terminal; the store cleans what is saved.
            yield TextBox(self._note.body, id="revise-body", soft_wrap=True,
                          show_line_numbers=False)
            yield Static(
                Content.assemble(
                    ("Enter", "bold"), " saves   ", ("Escape", "bold"), " cancels   ",
                    f"The earlier wording is kept.{earlier}",
                ),
                id="revise-hint",
            )

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()  # with the cursor at the end (TextBox)

    def action_save(self) -> None:
        text = self.query_one(TextArea).text.strip()
        self.dismiss(text if text and text != self._note.body else None)
