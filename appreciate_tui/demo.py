"""The Devon MASH demo: a closed appreciative conversation to explore before running a real one.

The conversation lives in `data/demo/devon-mash.toml` with a fixed id for every row, so loading it
twice changes nothing and the demo has the same ids on every laptop. Rows in the file refer to
each other by short keys; this module turns those keys into the fixed ids as it writes.
"""

from __future__ import annotations

import tomllib
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from appreciate_tui import paths
from appreciate_tui.domain import (
    ActionStatus,
    Conversation,
    ConversationStatus,
    Participant,
    Phase,
    QuestionStatus,
    Stance,
)
from appreciate_tui.store import NotFound, Store

DEMO_CONVERSATION_ID = "c26f4195-950f-4ac7-8e68-894dca3b6465"
DEMO_FILE = "devon-mash.toml"


def demo_path() -> Path:
    return paths.demo_dir() / DEMO_FILE


def load_demo(store: Store) -> tuple[Conversation, bool]:
    """Load the demo conversation unless it is already there: (conversation, created?).

    An existing demo is returned as it is, even if someone has edited it since: the demo is the
    user's to play with, and loading it again must never undo their changes.
    """
    try:
        return store.get_conversation(DEMO_CONVERSATION_ID), False
    except NotFound:
        pass
    with demo_path().open("rb") as file:
        demo = tomllib.load(file)
    with store.atomic():
        return _write(store, demo), True


def _write(store: Store, demo: dict[str, Any]) -> Conversation:
    conversation_id = _create_conversation(store, demo["conversation"])
    participants = _add_participants(store, conversation_id, demo["participants"])
    questions = _add_questions(store, conversation_id, demo["questions"], demo["follow_ups"])
    notes = _add_notes(store, conversation_id, demo["notes"], questions, participants)
    for action in demo["actions"]:
        store.add_action(
            conversation_id,
            action["description"],
            owner=action["owner"],
            due=_day(action["due"]),
            note_id=notes[action["note"]],
            status=ActionStatus(action["status"]),
            id=action["id"],
        )
    for feedback in demo["feedback"]:
        participant = participants[feedback["by"]]
        store.add_feedback(
            conversation_id,
            participant_id=participant.id,
            agency=participant.agency,
            rating=feedback["rating"],
            useful_question_ids=[questions[key] for key in feedback["useful_questions"]],
            comments=feedback["comments"],
            id=feedback["id"],
        )
    return _close(store, conversation_id, demo["conversation"])


def _create_conversation(store: Store, row: dict[str, Any]) -> str:
    store.create_conversation(
        row["title"],
        row["topic"],
        setting=row["setting"],
        facilitator=row["facilitator"],
        date=_day(row["date"]),
        bank_id=row["bank_id"],
        opening=row["opening"],
        id=row["id"],
        created_at=_stamp(row["created_at"]),
    )
    return row["id"]


def _close(store: Store, conversation_id: str, row: dict[str, Any]) -> Conversation:
    """Finish as the facilitator did: learning written, budget kept, conversation closed."""
    return store.update_conversation(
        conversation_id,
        key_learning=row["key_learning"],
        phase_budget=row["phase_budget"],
        started_at=_stamp(row["started_at"]),
        ended_at=_stamp(row["ended_at"]),
        status=ConversationStatus.CLOSED,
    )


def _add_participants(
    store: Store, conversation_id: str, rows: list[dict[str, Any]]
) -> dict[str, Participant]:
    return {
        row["key"]: store.add_participant(
            conversation_id,
            row["agency"],
            pseudonym=row["pseudonym"],
            role=row["role"],
            attended=row["attended"],
            absence_reason=row.get("absence_reason", ""),
            id=row["id"],
        )
        for row in rows
    }


def _add_questions(
    store: Store,
    conversation_id: str,
    prepared: list[dict[str, Any]],
    follow_ups: list[dict[str, Any]],
) -> dict[str, str]:
    """Add the prepared questions, then the follow-ups under them; returns question ids by key."""
    ids: dict[str, str] = {}
    for row in prepared:
        ids[row["key"]] = store.add_question(
            conversation_id,
            row["text"],
            Phase.parse(row["phase"]),
            prompts=row["prompts"],
            id=row["id"],
        ).id
        store.set_question_status(ids[row["key"]], QuestionStatus.ASKED, at=_stamp(row["asked_at"]))
    for row in follow_ups:
        ids[row["key"]] = store.add_follow_up(
            conversation_id,
            ids[row["parent"]],
            row["text"],
            id=row["id"],
            created_at=_stamp(row["created_at"]),
        ).id
        store.set_question_status(ids[row["key"]], QuestionStatus.ASKED, at=_stamp(row["asked_at"]))
    return ids


def _add_notes(
    store: Store,
    conversation_id: str,
    rows: list[dict[str, Any]],
    questions: dict[str, str],
    participants: dict[str, Participant],
) -> dict[str, str]:
    """Add the notes with their stars and escalations; returns the ids of notes that have a key."""
    keyed: dict[str, str] = {}
    for row in rows:
        speaker = participants.get(row.get("by", ""))
        note = store.add_note(
            conversation_id,
            questions[row["question"]],
            row["body"],
            Stance(row["stance"]),
            agency=speaker.agency if speaker else None,
            participant_id=speaker.id if speaker else None,
            starred=bool(row.get("starred")),
            created_at=_stamp(row["at"]),
            id=row["id"],
        )
        if "escalation" in row:
            escalation = row["escalation"]
            store.handle_escalation(
                note.id, escalation["passed_to"], at=_stamp(escalation["handled_at"])
            )
        if "key" in row:
            keyed[row["key"]] = note.id
    return keyed


def _stamp(moment: datetime) -> str:
    """A TOML date-time as the store keeps every timestamp: ISO-8601 in UTC."""
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


def _day(day: date) -> str:
    return day.isoformat()
