"""Change what a note says. Enter keeps the change, Escape leaves the note as it was; the store
keeps the earlier wording as a revision either way.

One dialog for both moments:
- during the conversation (`e` on a note), on one line, as the note was typed; a note made from a
  long or many-line paste is not offered here (`can_edit_here`), so it is never squeezed;
- after it, correcting the record (`e` on a note in the review, `correcting=True`), in a text area,
  since a note may run to several lines, and saying how often it was corrected before.

Dismisses with the new text, or None when nothing should change.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static, TextArea

from appreciate_tui.domain import Note
from appreciate_tui.tui.keys import key_hint
from appreciate_tui.tui.widgets.note_input import LINE_LIMIT
from appreciate_tui.tui.widgets.text_box import TextBox
from appreciate_tui.tui.widgets.text_fields import TextInput
from appreciate_tui.wording import plural


def can_edit_here(note: Note) -> bool:
    """A note made from a long or many-line paste is kept whole, and not squeezed into one line."""
    return len(note.body) <= LINE_LIMIT and "\n" not in note.body


class EditNoteScreen(ModalScreen[str | None]):
    DEFAULT_CSS = """
    EditNoteScreen > #edit-note { width: 90%; max-width: 110; height: auto; }
    EditNoteScreen TextArea#edit-body { height: auto; min-height: 3; max-height: 14; }
    EditNoteScreen #edit-hint { color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", tooltip="Leave the note as it was",
                id="edit_note.cancel"),
        # Correcting: before the text area, which would otherwise take Enter as a new line. On
        # one line the field's own Enter saves (`check_action`).
        Binding("enter", "save", "Save", priority=True, tooltip="Keep the corrected text",
                id="edit_note.save"),
    ]

    def __init__(self, note: Note, *, correcting: bool = False, revisions: int = 0) -> None:
        """`correcting`: after the conversation, in a text area; `revisions`: how many times the
        note was corrected before."""
        super().__init__()
        self._note = note
        self._correcting = correcting
        self._revisions = revisions

    def compose(self) -> ComposeResult:
        with Vertical(id="edit-note", classes="dialog"):
            yield Static("Correct this note" if self._correcting else "Edit note",
                         classes="dialog-title")
            # The field shows any control character another program left in the text as a
            # symbol rather than sending it to the terminal; the store cleans what is saved.
            if self._correcting:
                yield TextBox(self._note.body, id="edit-body", soft_wrap=True,
                              show_line_numbers=False)
            else:
                yield TextInput(self._note.body, max_length=LINE_LIMIT, id="edit-body")
            yield Static(self._hint(), id="edit-hint")

    def _hint(self) -> Content:
        if not self._correcting:
            keys = key_hint(self.app, self, ("Enter", "save"), ("{edit_note.cancel}", "cancel"))
            return Content.assemble(keys, "   (the old wording is kept)")
        count = self._revisions
        earlier = (f" It has been corrected {plural(count, 'time')} before."
                   if count else "")
        keys = key_hint(self.app, self, ("{edit_note.save}", "saves"),
                        ("{edit_note.cancel}", "cancels"))
        return Content.assemble(keys, f"   The earlier wording is kept.{earlier}")

    def on_mount(self) -> None:
        if self._correcting:
            self.query_one(TextArea).focus()  # with the cursor at the end (TextBox)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self._correcting if action == "save" else True

    def action_save(self) -> None:
        self._keep(self.query_one(TextArea).text)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._keep(event.value)

    def _keep(self, text: str) -> None:
        text = text.strip()
        self.dismiss(text if text and text != self._note.body else None)
