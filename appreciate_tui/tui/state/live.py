"""A conversation as the facilitation screen holds it while it is live: its questions in display
order, its notes, who is here, and the questions the screen keeps asking of them (where does this
follow-up sit, what comes next, who said this).

Plain data and no I/O: the screen loads it from the store, replaces what the store hands back after
each write, and draws from it. Kept apart from the screen so the rules are tested on their own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from appreciate_tui import domain
from appreciate_tui.domain import Conversation, Note, Participant, Phase, Question


@dataclass
class LiveConversation:
    conversation: Conversation
    questions: dict[str, Question] = field(default_factory=dict)
    """Every question, in display order (prepared ones, each followed by its follow-ups)."""
    notes: dict[str, Note] = field(default_factory=dict)
    """Every note not deleted, oldest first."""
    participants: list[Participant] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)
    """Agencies a `#tag` can name: the database's and this conversation's participants'."""

    @classmethod
    def of(
        cls,
        conversation: Conversation,
        questions: Iterable[Question],
        notes: Iterable[Note],
        participants: Sequence[Participant],
        agencies: Iterable[str],
    ) -> LiveConversation:
        return cls(
            conversation=conversation,
            questions={q.id: q for q in questions},
            notes={n.id: n for n in notes},
            participants=list(participants),
            agencies=list(dict.fromkeys([*agencies, *(p.agency for p in participants)])),
        )

    # ---------------------------------------------------------------- questions

    @property
    def prepared(self) -> list[str]:
        return [q.id for q in self.questions.values() if not q.is_follow_up]

    @property
    def numbers(self) -> dict[str, str]:
        """Prepared questions are numbered 1, 2, … in order; follow-ups are not."""
        return {qid: str(n) for n, qid in enumerate(self.prepared, start=1)}

    @property
    def follow_ups(self) -> list[Question]:
        return [q for q in self.questions.values() if q.is_follow_up]

    def root(self, question: Question) -> Question:
        """The prepared question a follow-up (of a follow-up…) belongs to."""
        while question.parent_id and question.parent_id in self.questions:
            question = self.questions[question.parent_id]
        return question

    def depths(self) -> dict[str, int]:
        """How deep each question is: 0 prepared, 1 a follow-up, 2 a follow-up of a follow-up…"""
        depths: dict[str, int] = {}
        for question in self.questions.values():  # parents come before their follow-ups
            parent = question.parent_id
            depths[question.id] = depths.get(parent, -1) + 1 if parent else 0
        return depths

    def place(self, question: Question) -> str:
        """Where a question sits, in words: "question 2 of 8" or "follow-up to question 2"."""
        numbers = self.numbers
        root = self.root(question)
        if root is question:
            return f"question {numbers.get(question.id, '?')} of {len(numbers)}"
        return f"follow-up to question {numbers.get(root.id, '?')}"

    def step(self, from_id: str, step: int) -> str | None:
        """The prepared question `step` (±1) away from `from_id`, or None past either end.

        From a follow-up, one step back is the question it follows: that is where a facilitator
        who asked an aside and wants "back" means to go.
        """
        prepared = self.prepared
        current = self.questions[from_id]
        root = self.root(current)
        index = prepared.index(root.id)
        target = index if step < 0 and root is not current else index + step
        return prepared[target] if 0 <= target < len(prepared) else None

    def phase_started(self, phase: Phase) -> datetime | None:
        """When the first question of `phase` was asked."""
        asked = [q.asked_at for q in self.questions.values() if q.phase is phase and q.asked_at]
        return domain.parse_time(min(asked)) if asked else None

    def replace_questions(self, questions: Iterable[Question]) -> None:
        self.questions = {q.id: q for q in questions}

    def replace_question(self, question: Question) -> None:
        self.questions[question.id] = question

    # ---------------------------------------------------------------- notes

    def notes_under(self, question_id: str | None) -> list[Note]:
        return [note for note in self.notes.values() if note.question_id == question_id]

    def note_counts(self) -> Counter[str]:
        return Counter(note.question_id for note in self.notes.values())

    def open_escalations(self) -> list[Note]:
        return [note for note in self.notes.values() if note.open_escalation]

    def who(self, note: Note) -> str:
        """Who said it, as shown: the participant's pseudonym, else the agency, else nobody."""
        for person in self.participants:
            if person.id == note.participant_id:
                return person.pseudonym
        return note.agency or ""

    def put_note(self, note: Note) -> None:
        """Add or replace a note, keeping notes oldest first (a restored one goes back in place)."""
        known = note.id in self.notes
        self.notes[note.id] = note
        if (
            not known
            and self.notes
            and note.created_at < max(n.created_at for n in self.notes.values())
        ):
            self.notes = dict(sorted(self.notes.items(), key=lambda item: item[1].created_at))

    def drop_note(self, note_id: str) -> None:
        self.notes.pop(note_id, None)

    def waiting(self) -> list[Note]:
        """The parking lot: notes parked to come back to and not yet picked up, oldest first."""
        return [note for note in self.notes.values() if note.waiting]

    # ---------------------------------------------------------------- round the room

    def agencies_here(self) -> list[str]:
        """The agencies with someone here, in the order who's here lists their people."""
        return list(dict.fromkeys(p.agency for p in self.participants if p.attended))

    def yet_to_speak(self, question_id: str | None) -> list[str]:
        """The agencies here with nothing noted from them under `question_id` yet."""
        agency = {p.id: p.agency for p in self.participants}
        spoken = {
            note.agency or agency.get(note.participant_id or "")
            for note in self.notes_under(question_id)
        }
        return [name for name in self.agencies_here() if name not in spoken]

    def next_to_invite(self, question_id: str | None, after: str | None) -> str | None:
        """Round the room: the first agency after `after` (in who's here order, round and round)
        yet to speak on the question; None once every agency here has spoken."""
        waiting = self.yet_to_speak(question_id)
        here = self.agencies_here()
        if after in here:
            start = here.index(after) + 1
            return next((a for a in here[start:] + here[:start] if a in waiting), None)
        return waiting[0] if waiting else None

    # ---------------------------------------------------------------- participants

    def replace_participant(self, participant: Participant) -> None:
        self.participants = [
            participant if p.id == participant.id else p for p in self.participants
        ]

    def participant(self, participant_id: str) -> Participant:
        return next(p for p in self.participants if p.id == participant_id)
