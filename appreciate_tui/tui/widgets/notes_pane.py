"""The centre of the screen: the current question in full (with round the room under it, once the
facilitator goes round), its notes, and the line to type into.

Below 100 columns a line of the balance of stances sits above the note line (the full meter is on
another tab then), so the balance stays in sight while notes are typed.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.events import DescendantBlur, DescendantFocus
from textual.widgets import Input

from appreciate_tui.domain import Participant
from appreciate_tui.tui.widgets.balance_meter import BalanceLine
from appreciate_tui.tui.widgets.current_question import CurrentQuestion
from appreciate_tui.tui.widgets.note_hint import NoteHint
from appreciate_tui.tui.widgets.note_input import NoteInput
from appreciate_tui.tui.widgets.note_list import NoteList
from appreciate_tui.tui.widgets.round_prompt import RoundPrompt


class NotesPane(Vertical):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.question = CurrentQuestion(id="current-question")
        self.round_prompt = RoundPrompt(id="round-prompt")
        self.notes = NoteList(id="note-list")
        self.balance = BalanceLine(id="balance-line")
        self.input = NoteInput(id="note-input")
        self.hint = NoteHint(id="note-hint")

    def compose(self) -> ComposeResult:
        yield self.question
        yield self.round_prompt
        yield self.notes
        yield self.balance
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
