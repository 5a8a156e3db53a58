"""Follow the flow: an unplanned question typed here becomes a follow-up of the current question and
is asked at once, so the next notes go under it. The follow-ups asked so far are listed, newest
first; Enter on one asks it again and `k` keeps it for a question bank.

Under them, the parking lot: notes parked to come back to (`?` at the start of a note), oldest
first. Enter on one asks it as a follow-up of the question being asked now, and it leaves the lot.
The lot is out of sight while it is empty."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from appreciate_tui.domain import Note, Question
from appreciate_tui.text import printable
from appreciate_tui.tui.widgets.hanging import Hanging
from appreciate_tui.tui.widgets.live_lint import LiveLint
from appreciate_tui.tui.widgets.note_input import LINE_LIMIT
from appreciate_tui.tui.widgets.text_fields import TextInput

RECENT = 12
"""Follow-ups listed: enough for a whole conversation's worth at a glance."""


def follow_up_line(question: Question) -> Hanging:
    parts: list[Content | tuple[str, str] | str] = [printable(question.text, keep_newlines=False)]
    if question.worth_keeping:
        parts.append((" ◆ keep", "$accent"))
    return Hanging(Content.styled("↳ ", "$text-muted"), Content.assemble(*parts))


class RecentFollowUps(OptionList):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("k", "keep", "Keep", tooltip="Keep this follow-up for a question bank",
                id="flow.keep"),
    ]

    class KeepToggled(Message):
        def __init__(self, question_id: str) -> None:
            super().__init__()
            self.question_id = question_id

    class Chosen(Message):
        """Enter on a follow-up: ask it again."""

        def __init__(self, question_id: str) -> None:
            super().__init__()
            self.question_id = question_id

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_id is not None:
            self.post_message(self.Chosen(event.option_id))

    def action_keep(self) -> None:
        option = self.highlighted_option
        if option is not None and option.id is not None:
            self.post_message(self.KeepToggled(option.id))


def parked_line(note: Note) -> Hanging:
    return Hanging(
        Content.styled("? ", "bold $accent"), Content(printable(note.body, keep_newlines=False))
    )


class ParkedNotes(OptionList):
    """The parking lot. Enter asks the highlighted note as a follow-up, now."""

    class Chosen(Message):
        def __init__(self, note_id: str) -> None:
            super().__init__()
            self.note_id = note_id

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_id is not None:
            self.post_message(self.Chosen(event.option_id))


class FlowPanel(Vertical):
    class FollowUpAsked(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.input = TextInput(
            placeholder="Follow-up question, Enter",
            max_length=LINE_LIMIT,
            id="flow-input",
        )
        self.recent = RecentFollowUps(id="recent-follow-ups", markup=False)
        self.parked_title = Static(id="parked-title", classes="pane-title", markup=False)
        self.parked = ParkedNotes(id="parked-notes", markup=False)

    def compose(self) -> ComposeResult:
        yield Static("Follow the flow  F3", classes="pane-title")
        yield self.input
        yield LiveLint(self.input, id="flow-lint")
        yield self.recent
        yield self.parked_title
        yield self.parked

    def show_parked(self, notes: Sequence[Note]) -> None:
        """The parking lot: parked notes not yet picked up, oldest first."""
        highlighted = self.parked.highlighted_option
        self.parked.set_options(Option(parked_line(note), id=note.id) for note in notes)
        if highlighted is not None and highlighted.id in {note.id for note in notes}:
            self.parked.highlighted = self.parked.get_option_index(highlighted.id)
        elif notes:
            self.parked.highlighted = 0
        self.parked_title.update(f"Parked {len(notes)}  ·  Enter asks one")
        self.parked.display = self.parked_title.display = bool(notes)

    def show(self, follow_ups: Sequence[Question]) -> None:
        """The conversation's follow-ups, oldest first; the newest are listed first."""
        newest = list(follow_ups)[-RECENT:][::-1]
        highlighted = self.recent.highlighted_option
        self.recent.set_options(Option(follow_up_line(q), id=q.id) for q in newest)
        if highlighted is not None and highlighted.id in {q.id for q in newest}:
            self.recent.highlighted = self.recent.get_option_index(highlighted.id)
        elif newest:
            self.recent.highlighted = 0

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input is not self.input:
            return
        event.stop()
        if event.value.strip():
            self.post_message(self.FollowUpAsked(event.value))
