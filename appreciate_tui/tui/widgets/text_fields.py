"""The text fields every screen uses: a one-line `TextInput` here and a many-line `TextBox`
(`text_box.py`, apart so that a screen with no many-line field never loads Textual's TextArea).

Textual's Input and TextArea draw their text as it is. Stored text put into one (a draft restored
into the note line, an earlier conversation's title copied into a new one, a note being corrected)
could then carry a terminal control straight to the terminal: an OSC that retitles the window or
writes the clipboard, a CSI that clears the screen. So whatever enters these fields, from a screen
or from Textual itself, is shown as `text.printable` shows stored text: a control becomes a visible
symbol (DESIGN.md section 6). A paste is different: it is what the facilitator is typing, so it is
cleaned as typing would have left it (`text.pasted`), controls and bidi overrides dropped.

A field given text to edit (a note, a draft brought back, a question being reworded) opens with the
cursor at the end of it and nothing selected, so the first key typed adds to the text: Textual's
Input selects everything on focus, and one keystroke would replace a whole note. Where replacing is
the point (a default the app offers, a number), the screen asks for `select_on_focus=True`.

`tests/tui/test_terminal_safety.py` holds that no screen builds a text field of Textual's own.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input

from appreciate_tui.text import field_line, pasted_line


class TextInput(Input):
    """A one-line field: its value, placeholder and completion are always `text.field_line`.

    A keystroke redraws the field and nothing else. Textual's Input sets its virtual size (the
    width of its text) on every change, and a change of virtual size lays the whole screen out
    again: on the facilitation screen, more work per key than the echo itself. A field's size never
    follows its text here (where it does, `width: auto`, Input asks for the layout itself), and
    scrolling reads the virtual size from the attribute, so the field alone is redrawn
    (tests/tui/test_typing_redraws.py counts the layouts).
    """

    virtual_size = Reactive(Size(0, 0), layout=False)

    def __init__(
        self,
        value: str | None = None,
        placeholder: str = "",
        *,
        select_on_focus: bool = False,
        **options: Any,
    ) -> None:
        super().__init__(value, placeholder, select_on_focus=select_on_focus, **options)

    def validate_value(self, value: str) -> str:
        return field_line(value)

    def validate_placeholder(self, placeholder: str) -> str:
        return field_line(placeholder)

    def validate__suggestion(self, suggestion: str) -> str:
        return field_line(suggestion)

    def _on_paste(self, event: events.Paste) -> None:
        # Textual's own would keep the first line only, and keep it raw.
        event.prevent_default()
        event.stop()
        self.insert_pasted(event.text)

    def action_paste(self) -> None:
        self.insert_pasted(self.app.clipboard)

    def insert_pasted(self, text: str) -> None:
        """Put pasted text in place of the selection, on one line and cleaned."""
        line = pasted_line(text)
        if line:
            self.replace(line, *sorted(self.selection))
