"""A conversation as plain text for the terminal (`appreciate show`).

Every piece of stored text passes through `text.printable`, so whatever another program wrote
into the database, printing it cannot change the terminal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from appreciate_tui.domain import (
    Conversation,
    Note,
    Participant,
    Pause,
    Question,
    QuestionStatus,
    parse_time,
)
from appreciate_tui.text import one_line, printable
from appreciate_tui.wording import attribution, clock, day_and_clock, person

if TYPE_CHECKING:
    from appreciate_tui.store import Store

INDENT = "    "


def _with_reason(participant: Participant) -> str:
    reason = f": {participant.absence_reason}" if participant.absence_reason else ""
    return one_line(f"{person(participant)}{reason}")


def _note_lines(note: Note, participants: dict[str, Participant], depth: int) -> list[str]:
    marks = ("★ " if note.starred else "") + ("ESCALATED " if note.escalate else "")
    marks += "(? parked) " if note.waiting else ("(? asked as a follow-up) " if note.parked else "")
    who = attribution(note, participants)
    head = f"{note.stance.symbol} {clock(note.created_at)}"
    if who:
        head += f"  {one_line(who)}"
    body = printable(note.body).split("\n")
    pad = INDENT * (depth + 1)
    lines = [f"{pad}{head}  {marks}{body[0]}"]
    lines += [f"{pad}    {line}" for line in body[1:]]
    if note.escalate:
        state = (
            f"handled {day_and_clock(note.escalation_handled_at)}"
            + (f", passed to {one_line(note.escalation_passed_to)}" if note.escalation_passed_to else "")
            if note.escalation_handled_at
            else "NOT YET HANDLED"
        )
        lines.append(f"{pad}    (immediate safeguarding concern: {state})")
    return lines


def _pause_span(pause: Pause) -> str:
    """'10:20–10:35 (15 min)', or 'from 10:20 (still paused)'."""
    if pause.resumed_at is None:
        return f"from {clock(pause.paused_at)} (still paused)"
    seconds = (parse_time(pause.resumed_at) - parse_time(pause.paused_at)).total_seconds()
    return f"{clock(pause.paused_at)}–{clock(pause.resumed_at)} ({round(seconds / 60)} min)"


def _question_line(question: Question, number: str, depth: int) -> str:
    status = {
        QuestionStatus.ASKED: f"asked {clock(question.asked_at)}".strip(),
        QuestionStatus.SKIPPED: "skipped",
        QuestionStatus.PENDING: "",
    }[question.status]
    tail = f"  ({status})" if status else ""
    if question.is_follow_up:
        return f"{INDENT * depth}↳ {one_line(question.text)}  [follow-up]{tail}"
    return f"{number}. [{question.phase.label}] {one_line(question.text)}{tail}"


def render_conversation(store: Store, conversation: Conversation) -> str:
    participants = {p.id: p for p in store.list_participants(conversation.id)}
    questions = store.list_questions(conversation.id)
    depths = store.question_depths(conversation.id)
    notes_by_question: dict[str, list[Note]] = {}
    for note in store.list_notes(conversation.id):
        notes_by_question.setdefault(note.question_id, []).append(note)

    out = [one_line(conversation.title), "=" * min(len(conversation.title), 78)]
    if conversation.topic:
        out.append(f"Topic: {one_line(conversation.topic)}")
    facts = [conversation.date, conversation.status.value]
    facts += [one_line(f) for f in (conversation.setting, conversation.facilitator) if f]
    out.append(" · ".join(facts))
    out.append(f"id {conversation.id}")
    pauses = store.list_pauses(conversation.id)
    if pauses:
        out.append("Paused " + ", ".join(_pause_span(pause) for pause in pauses))

    if conversation.started_at is None:  # nobody has attended or missed it yet
        present = []
        invited = [p for p in participants.values() if p.invited or p.attended]
        absent = []
    else:
        present = [p for p in participants.values() if p.attended]
        invited = []
        absent = [p for p in participants.values() if p.invited and not p.attended]
    if present:
        out += ["", "Took part: " + ", ".join(one_line(person(p)) for p in present)]
    if invited:
        out += ["", "Invited: " + ", ".join(_with_reason(p) for p in invited)]
    if absent:
        out.append("Could not attend: " + ", ".join(_with_reason(p) for p in absent))

    out += ["", "Questions"]
    number = 0
    for question in questions:
        depth = depths[question.id]
        if not question.is_follow_up:
            number += 1
        out.append(_question_line(question, str(number), depth))
        for note in notes_by_question.get(question.id, []):
            out += _note_lines(note, participants, depth)

    waiting = [note for notes in notes_by_question.values() for note in notes if note.waiting]
    if waiting:
        out += ["", "Raised, not yet discussed"]
        for note in sorted(waiting, key=lambda n: n.created_at):
            out += _note_lines(note, participants, 0)

    actions = store.list_actions(conversation.id)
    if actions:
        out += ["", "Actions"]
        for action in actions:
            owner = f" — {one_line(action.owner)}" if action.owner else ""
            due = f", due {action.due}" if action.due else ""
            out.append(f"  [{action.status.value}] {one_line(action.description)}{owner}{due}")
    if conversation.key_learning:
        out += ["", "Key learning", printable(conversation.key_learning)]
    return "\n".join(out)
