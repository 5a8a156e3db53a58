"""Redaction in the store: the terms a conversation's exports must never show (a child's name, an
address, a case number), and a conversation's rows with the redaction rules applied
(appreciate_tui/redaction.py says what is taken out).

`redact_tables` redacts a conversation's rows (`Store.conversation_rows`) for the JSON bundle;
`record` turns them, redacted or not, into the domain objects a report is made of
(`Store.conversation_record`). Both go through the same code, so no format can miss a field.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from appreciate_tui.domain import Action, Conversation, Feedback, Note, Participant, Pause, Question
from appreciate_tui.redaction import (
    FACILITATOR,
    MIN_TERM_LENGTH,
    OWNER,
    WITHHELD,
    Redaction,
    Redactor,
    facilitator_role,
    person_name,
)
from appreciate_tui.store import rows

__all__ = ["MIN_TERM_LENGTH", "ConversationRecord", "RedactionTerm", "record", "redact_tables",
           "term"]


@dataclass(frozen=True)
class RedactionTerm:
    id: str
    conversation_id: str
    term: str
    created_at: str


def term(row: dict[str, Any]) -> RedactionTerm:
    return RedactionTerm(
        id=row["id"],
        conversation_id=row["conversation_id"],
        term=row["term"],
        created_at=row["created_at"],
    )


@dataclass(frozen=True)
class ConversationRecord:
    """Everything stored about one conversation, as domain objects, in the order stored."""

    conversation: Conversation
    participants: tuple[Participant, ...]
    questions: tuple[Question, ...]
    notes: tuple[Note, ...]  # deleted notes included (`deleted_at` set)
    actions: tuple[Action, ...]
    feedback: tuple[Feedback, ...]
    pauses: tuple[Pause, ...]
    redaction: Redaction | None  # what was taken out, when redacted


def record(
    tables: Mapping[str, list[dict[str, Any]]], *, redact: bool = False
) -> ConversationRecord:
    """A conversation's rows (`Store.conversation_rows`) as domain objects; with `redact`, after
    `redact_tables`."""
    redaction = None
    if redact:
        tables, redaction = redact_tables(tables)
    return ConversationRecord(
        conversation=rows.conversation(tables["conversations"][0]),
        participants=tuple(rows.participant(row) for row in tables["participants"]),
        questions=tuple(rows.question(row) for row in tables["questions"]),
        notes=tuple(rows.note(row) for row in tables["notes"]),
        actions=tuple(rows.action(row) for row in tables["actions"]),
        feedback=tuple(rows.feedback(row) for row in tables["feedback"]),
        pauses=tuple(rows.pause(row) for row in tables["pauses"]),
        redaction=redaction,
    )


# The free-text columns of each table in a conversation's rows; ids, timestamps, dates, statuses
# and numbers are left as they are.
_FREE_TEXT: Mapping[str, tuple[str, ...]] = {
    "conversations": ("title", "topic", "setting", "facilitator", "opening", "key_learning"),
    "participants": ("pseudonym", "agency", "role", "absence_reason"),
    "questions": ("text",),
    "notes": ("body", "agency", "escalation_passed_to"),
    "note_revisions": ("body", "agency"),
    "actions": ("description", "owner"),
    "feedback": ("agency", "comments"),
    "shares": ("recipient", "purpose"),
}


def redact_tables(
    tables: Mapping[str, list[dict[str, Any]]],
) -> tuple[dict[str, list[dict[str, Any]]], Redaction]:
    """A redacted copy of a conversation's rows, and what was redacted.

    Names are dropped from the participants (their pseudonyms stay), the facilitator is named by
    role, an owner who is a person not in the room gets an "Action owner N" pseudonym, the
    redaction terms themselves are left out, the words of an escalated note (and of its earlier
    versions) are withheld, and each note's checksum is recomputed for its redacted text so the
    copy passes `appreciate check` wherever it is imported.
    """
    # A one-letter "name" would blank out that letter wherever it stands alone.
    names = {
        row["name"]: row["pseudonym"]
        for row in tables.get("participants", [])
        if len(row["name"].strip()) >= MIN_TERM_LENGTH
    }
    terms = [row["term"] for row in tables.get("redaction_terms", [])]
    others = _other_people(tables, names)
    redactor = Redactor({**others, **names}, terms)
    escalated = {row["id"] for row in tables.get("notes", []) if row.get("escalate")}
    redacted: dict[str, list[dict[str, Any]]] = {}
    for table, stored in tables.items():
        if table == "redaction_terms":
            redacted[table] = []
            continue
        columns = _FREE_TEXT.get(table, ())
        redacted[table] = [
            _redact_row(table, row, columns, redactor, escalated) for row in stored
        ]
    return redacted, Redaction(names=len(names), terms=len({t.casefold() for t in terms}))


def _other_people(
    tables: Mapping[str, list[dict[str, Any]]], names: Mapping[str, str]
) -> dict[str, str]:
    """The facilitator's name ("the facilitator") and the names of action owners who are people
    but not participants ("Action owner 1"…). An owner chosen from the list (an agency or a
    pseudonym) or written as a role stays as written."""
    known = {name.casefold() for name in names}
    known |= {part.casefold() for name in names for part in re.findall(r"\w[\w'’-]*\w", name)}
    others: dict[str, str] = {}
    for row in tables.get("conversations", []):
        name = person_name(row.get("facilitator") or "")
        if len(name) >= MIN_TERM_LENGTH and name.casefold() not in known:
            others[name] = FACILITATOR
    groups = {
        (row.get(column) or "").casefold()
        for table, column in (("participants", "agency"), ("participants", "pseudonym"),
                              ("notes", "agency"), ("feedback", "agency"))
        for row in tables.get(table, [])
    }
    owners: dict[str, str] = {}
    for row in tables.get("actions", []):
        owner = row.get("owner") or ""
        name = person_name(owner)
        folded = name.casefold()
        if (
            len(name) < MIN_TERM_LENGTH
            or owner.casefold() in groups
            or folded in groups
            or folded in known
            or folded in {other.casefold() for other in others}
        ):
            continue
        owners.setdefault(folded, name)
    for number, name in enumerate(owners.values(), start=1):
        others[name] = OWNER.format(number)
    return others


def _redact_row(
    table: str,
    row: dict[str, Any],
    columns: tuple[str, ...],
    redactor: Callable[[str], str],
    escalated: set[str],
) -> dict[str, Any]:
    out = dict(row)
    facilitator = out.get("facilitator") if table == "conversations" else None
    for column in columns:
        if isinstance(out.get(column), str):
            out[column] = redactor(out[column])
    if table in ("notes", "note_revisions") and (
        out["id"] if table == "notes" else out["note_id"]
    ) in escalated:
        out["body"] = WITHHELD
    if facilitator:
        name = person_name(facilitator)
        if name and len(name) >= MIN_TERM_LENGTH:
            out["facilitator"] = redactor(facilitator_role(facilitator, name))
    if table == "participants":
        out["name"] = ""
    elif table == "questions":
        out["prompts"] = json.dumps([redactor(p) for p in json.loads(out["prompts"] or "[]")])
    elif table == "notes":
        out["sha256"] = rows.body_digest(out["body"])
    return out
