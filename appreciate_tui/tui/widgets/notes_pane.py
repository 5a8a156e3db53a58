"""The centre of the screen: the current question in full, its notes, and the line to type into."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.events import DescendantBlur, DescendantFocus
from textual.widgets import Input

from appreciate_tui.domain import Participant
from appreciate_tui.tui.widgets.current_question import CurrentQuestion
from appreciate_tui.tui.widgets.note_hint import NoteHint
from appreciate_tui.tui.widgets.note_input import NoteInput
from appreciate_tui.tui.widgets.note_list import NoteList


class NotesPane(Vertical):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.question = CurrentQuestion(id="current-question")
        self.notes = NoteList(id="note-list")
        self.input = NoteInput(id="note-input")
        self.hint = NoteHint(id="note-hint")

    def compose(self) -> ComposeResult:
        yield self.question
        yield self.notes
        yield self.input
        yield self.hint

    def set_people(self, participants: Sequence[Participant], agencies: Sequence[str]) -> None:
        self.input.set_people(participants, agencies)
        self.hint.set_people(participants, agencies)
        self.hint.read(self.input.value)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input is self.input:
            self.hint.read(event.value)

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        if event.widget is self.notes:
            self.hint.show_note_keys()

    def on_descendant_blur(self, event: DescendantBlur) -> None:
        if event.widget is self.notes:
            self.hint.read(self.input.value)
