"""The many-line text field every screen uses (the one-line field and why both exist:
`text_fields.py`). Whatever enters its text is shown as `text.printable` shows stored text; a
paste is cleaned as typing would have left it; the first time it is reached the cursor goes to the
end of the text, so typing adds to it.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.content import Content
from textual.widgets import TextArea
from textual.widgets.text_area import Edit, EditResult

from appreciate_tui.text import pasted, printable


class TextBox(TextArea):
    """A many-line field: whatever enters its text is `text.printable`, newlines and tabs kept."""

    def __init__(self, text: str = "", *, placeholder: str = "", **options: Any) -> None:
        # Textual's constructor puts both in place without `edit` or the placeholder's check.
        super().__init__(printable(text), placeholder=printable(placeholder), **options)
        self._reached = False

    def on_focus(self) -> None:
        # Textual leaves the cursor at the start; the first time the field is reached, it goes
        # to the end of what is there, so typing adds to the text rather than pushing it along.
        if not self._reached:
            self._reached = True
            self.move_cursor(self.document.end)

    def load_text(self, text: str) -> None:
        super().load_text(printable(text))

    def edit(self, edit: Edit) -> EditResult:
        # Every change to the text is an Edit, whether typed, pasted or made by a screen.
        edit.text = printable(edit.text)
        return super().edit(edit)

    def validate_placeholder(self, placeholder: str | Content) -> str | Content:
        return printable(placeholder) if isinstance(placeholder, str) else placeholder

    def validate_suggestion(self, suggestion: str) -> str:
        return printable(suggestion)

    async def _on_paste(self, event: events.Paste) -> None:
        event.prevent_default()
        event.stop()
        self.insert_pasted(event.text)

    def action_paste(self) -> None:
        self.insert_pasted(self.app.clipboard)

    def insert_pasted(self, text: str) -> None:
        """Put pasted text in place of the selection, cleaned."""
        if self.read_only:
            return
        result = self.replace(pasted(text), *self.selection, maintain_selection_offset=False)
        self.move_cursor(result.end_location)
        self.focus()
