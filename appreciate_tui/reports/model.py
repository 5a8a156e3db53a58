"""One conversation gathered for a report: everything every format needs, read once.

The domain objects come from `Store.conversation_record`, redacted there if asked (so no format can
miss a field; appreciate_tui/redaction.py says what is taken out).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from appreciate_tui import domain
from appreciate_tui.domain import (
    Action,
    Conversation,
    Feedback,
    Note,
    Participant,
    Pause,
    Question,
)
from appreciate_tui.redaction import Redaction
from appreciate_tui.store import Store


@dataclass(frozen=True)
class Report:
    conversation: Conversation
    participants: tuple[Participant, ...]  # by agency, then pseudonym
    questions: tuple[Question, ...]  # as asked: each prepared question, then its follow-ups
    depths: Mapping[str, int]  # 0 for a prepared question, 1 for its follow-up, …
    numbers: Mapping[str, str]  # "3" for the third prepared question, "3.1" for its first follow-up
    notes: tuple[Note, ...]  # in the order they were taken; deleted notes left out
    actions: tuple[Action, ...]
    feedback: tuple[Feedback, ...]
    pauses: tuple[Pause, ...]  # when the clock stood still, oldest first
    redaction: Redaction | None  # set when the report was redacted
    use_names: bool  # attribute by participants' names where recorded (never when redacted)
    prepared_at: datetime

    def notes_under(self, question_id: str) -> list[Note]:
        return [note for note in self.notes if note.question_id == question_id]

    def participant(self, participant_id: str | None) -> Participant | None:
        return next((p for p in self.participants if p.id == participant_id), None)

    def person(self, participant: Participant) -> str:
        """How a participant is named in the report: their pseudonym, or their name if asked."""
        if self.use_names and participant.name:
            return participant.name
        return participant.pseudonym

    def speaker(self, note: Note) -> str:
        """Who said it, by agency: "Police 1, Police", just "Health", or "" for the room."""
        participant = self.participant(note.participant_id)
        if participant is not None:
            return f"{self.person(participant)}, {participant.agency}"
        return note.agency or ""


def gather(
    store: Store,
    conversation_id: str,
    *,
    redact: bool = False,
    use_names: bool = False,
) -> Report:
    """Read a conversation for a report; with `redact`, names, the conversation's redaction terms
    and the patterns of appreciate_tui/redaction.py are taken out of every text in it."""
    if redact and use_names:
        raise ValueError("a redacted report cannot name participants")
    stored = store.conversation_record(conversation_id, redact=redact)
    by_id = {question.id: question for question in stored.questions}
    depths = store.question_depths(conversation_id)  # in the order the questions are shown
    questions = tuple(by_id[question_id] for question_id in depths)
    participants = sorted(
        stored.participants, key=lambda p: (p.agency.casefold(), p.pseudonym.casefold())
    )
    return Report(
        conversation=stored.conversation,
        participants=tuple(participants),
        questions=questions,
        depths={question.id: depths[question.id] for question in questions},
        numbers=_numbers(questions),
        notes=tuple(note for note in stored.notes if note.deleted_at is None),
        actions=stored.actions,
        feedback=stored.feedback,
        pauses=tuple(sorted(stored.pauses, key=lambda pause: pause.paused_at)),
        redaction=stored.redaction,
        use_names=use_names,
        prepared_at=domain.now(),
    )


def _numbers(questions: Iterable[Question]) -> dict[str, str]:
    """Prepared questions are numbered 1, 2, 3…; a follow-up takes its parent's number and its
    own place under it (3.1, 3.2, 3.1.1)."""
    numbers: dict[str, str] = {}
    children: dict[str | None, int] = {}
    for question in questions:
        children[question.parent_id] = children.get(question.parent_id, 0) + 1
        if question.parent_id is None:
            numbers[question.id] = str(children[None])
        else:
            numbers[question.id] = f"{numbers[question.parent_id]}.{children[question.parent_id]}"
    return numbers
