"""A closed conversation, read-only: each question with what was said under it.

A first reading view; reviewing, sharing and agreeing actions belong to the review screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from appreciate_tui.domain import Conversation, Note, Participant, Question
from appreciate_tui.showing import attribution, local_time
from appreciate_tui.text import one_line, printable
from appreciate_tui.tui.labels import long_date
from appreciate_tui.tui.themes import PHASE_VARIABLES, STANCE_VARIABLES

if TYPE_CHECKING:
    from appreciate_tui.tui.app import AppreciateApp

MAX_INDENT = 3
"""Follow-ups of follow-ups indent this deep at most, so text keeps its width."""


class SummaryScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", tooltip="Back to the conversations",
                id="summary.back"),
    ]

    def __init__(self, conversation_id: str) -> None:
        super().__init__()
        self.conversation_id = conversation_id

    def compose(self) -> ComposeResult:
        store = cast("AppreciateApp", self.app).store
        conversation = store.get_conversation(self.conversation_id)
        participants = {person.id: person for person in store.list_participants(conversation.id)}
        notes: dict[str, list[Note]] = {}
        for note in store.list_notes(conversation.id):
            notes.setdefault(note.question_id, []).append(note)
        depths = store.question_depths(conversation.id)

        yield Static(_heading(conversation), id="summary-heading")
        with VerticalScroll(id="summary-body"):
            for question in store.list_questions(conversation.id):
                depth = f"-depth-{min(depths.get(question.id, 0), MAX_INDENT)}"
                yield Static(_question(question), classes=f"summary-question {depth}")
                said = notes.get(question.id, [])
                for note in said:
                    yield Static(_note(note, participants), classes=f"summary-note {depth}")
                if not said:
                    yield Static("nothing noted", classes=f"summary-note -nothing {depth}")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#summary-body").focus()


def _heading(conversation: Conversation) -> Content:
    facts = [long_date(conversation.date), conversation.status.value]
    facts += [one_line(fact) for fact in (conversation.setting, conversation.facilitator) if fact]
    return Content.assemble(
        (one_line(conversation.title), "bold"), "\n",
        (one_line(conversation.topic), "italic"), "\n",
        (" · ".join(facts), "$text-muted"),
    )


def _question(question: Question) -> Content:
    if question.is_follow_up:
        return Content.assemble(
            ("↳ follow-up  ", "$text-muted"), (one_line(question.text), "bold")
        )
    return Content.assemble(
        (f"{question.phase.label:<9}", f"bold ${PHASE_VARIABLES[question.phase]}"),
        (one_line(question.text), "bold"),
    )


def _note(note: Note, participants: dict[str, Participant]) -> Content:
    who = attribution(note, participants)
    return Content.assemble(
        (note.stance.symbol, f"bold ${STANCE_VARIABLES[note.stance]}"), " ",
        (local_time(note.created_at), "$text-muted"), " ",
        (f"{one_line(who)}: " if who else "", "$text-muted"),
        ("★ " if note.starred else "", "$accent"),
        ("⚑ escalated " if note.escalate else "", "bold $error"),
        printable(note.body),
    )
