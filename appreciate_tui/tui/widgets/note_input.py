"""The one-line input a note is typed into, with `#tag` completion and safe pasting.

Typing must feel as quick as a bare input, so a keystroke does nothing here beyond what every
text field does (`text_fields`: well under a tenth of a millisecond on a full line); the tag
suggester only looks at the last word.

Pasting: text is cleaned and joined onto one line, as in every text field (`text_fields`). A paste
too long for a note line (`LINE_LIMIT`) is not squeezed into it, where it would make every later
keystroke slow (a 1 MB line took 1.36 s per keypress in research): it is handed to the screen whole
as `LongPaste`, which keeps it as a note of its own, so nothing pasted is ever lost.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.suggester import Suggester

from appreciate_tui.domain import Participant
from appreciate_tui.quicknote import complete_tag
from appreciate_tui.text import pasted, pasted_line
from appreciate_tui.tui.widgets.text_fields import TextInput

LINE_LIMIT = 4_000
"""Characters a note line holds: several minutes of speech, and still instant to edit."""

PLACEHOLDER = (
    '+working well  -concern  ~dream  >idea  !action  "quote  ?park  =7 score  #who said it'
)
"""The grammar, written the way it is typed."""


def tag_being_typed(value: str) -> str | None:
    """The `#tag` at the end of `value` (without `#`), or None when the last word is not a tag."""
    start = value.rfind("#")
    if start < 0 or (start > 0 and not value[start - 1].isspace()):
        return None
    word = value[start + 1 :]
    if any(char.isspace() for char in word):
        return None
    return word


class TagSuggester(Suggester):
    """Completes the `#tag` being typed, in grey after the cursor; → or Tab accepts it."""

    def __init__(self) -> None:
        # Case-sensitive so completing "#Pol" never lower-cases the rest of the note.
        super().__init__(use_cache=False, case_sensitive=True)
        self.participants: Sequence[Participant] = ()
        self.agencies: Sequence[str] = ()
        self.offered: tuple[str, str] = ("", "")
        """The last (value, completed value) offered, so Tab knows what it would accept."""

    async def get_suggestion(self, value: str) -> str | None:
        word = tag_being_typed(value)
        if word is None:
            return None
        for tag in complete_tag(word, self.participants, self.agencies):
            if len(tag) > len(word):
                completed = value[: len(value) - len(word)] + tag
                self.offered = (value, completed)
                return completed
        return None

    def completion_for(self, value: str) -> str | None:
        offered_for, completed = self.offered
        return completed if offered_for == value and value else None


class NoteInput(TextInput):
    BINDINGS: ClassVar[list[BindingType]] = [
        # Tab never leaves the note line: someone who presses it hoping to complete a tag and
        # carries on typing would otherwise be typing into the list of notes, where letters act.
        Binding("tab", "complete_tag", "Complete tag", show=False),
        Binding("up", "to_notes", "Choose a note", show=False),
    ]

    class LongPaste(Message):
        """A paste longer than a note line: the screen keeps it whole as a note of its own."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class LineFull(Message):
        """A keystroke was refused because the line is at `LINE_LIMIT`."""

    class ToNotes(Message):
        """↑ from the note line: the facilitator wants to choose a note above it."""

    def __init__(self, *, id: str | None = None) -> None:
        self.tags = TagSuggester()
        self._said_full = False
        super().__init__(placeholder=PLACEHOLDER, suggester=self.tags, max_length=LINE_LIMIT, id=id)

    def set_people(self, participants: Sequence[Participant], agencies: Sequence[str]) -> None:
        self.tags.participants = participants
        self.tags.agencies = agencies

    def action_to_notes(self) -> None:
        self.post_message(self.ToNotes())

    def action_complete_tag(self) -> None:
        completed = self.tags.completion_for(self.value)
        if completed is not None:
            self.value = completed + " "
            self.cursor_position = len(self.value)

    def restricted(self) -> None:
        # Said once per filling of the line, not once per refused key.
        if not self._said_full:
            self._said_full = True
            self.post_message(self.LineFull())

    def watch_value(self, value: str) -> None:
        if len(value) < LINE_LIMIT:
            self._said_full = False

    def insert_pasted(self, text: str) -> None:
        start, end = sorted(self.selection)
        if len(self.value) - (end - start) + len(pasted_line(text)) > LINE_LIMIT:
            self.post_message(self.LongPaste(pasted(text)))
            return
        super().insert_pasted(text)
