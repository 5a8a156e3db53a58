"""Rows in, domain objects out: the only place that knows how a column maps to a field.

Four columns hold JSON that appreciate writes itself (`JSON_COLUMNS`). SQLite cannot check their
shape, so a value written there by another program, or damaged, reads as empty: a time budget
appreciate cannot read is no time budget, rather than every command that shows the conversation
stopping. `appreciate check` names such a value (`readable`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from appreciate_tui.domain import (
    Action,
    ActionStatus,
    Conversation,
    ConversationStatus,
    Feedback,
    Note,
    NoteRevision,
    Participant,
    Pause,
    Phase,
    Question,
    QuestionKind,
    QuestionStatus,
    Share,
    Stance,
    WORD_CHANGES,
)

# A revision that keeps an earlier wording: one before a change of what a note says, its stance or
# who said it, or one that names no change (kept by a merge, or made before changes were named).
WORDING_REVISION = "(change IS NULL OR " + " OR ".join(
    f"' ' || change || ' ' LIKE '% {kind} %'" for kind in sorted(WORD_CHANGES)
) + ")"


def body_digest(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _flag(value: Any) -> bool:
    return bool(value)


def _optional_flag(value: Any) -> bool | None:
    return None if value is None else bool(value)


# Each JSON column, as the app names it and whose it is.
JSON_COLUMNS = {
    ("conversations", "phase_budget"): "time budget of conversation",
    ("questions", "prompts"): "prompts of question",
    ("feedback", "useful_question_ids"): "questions found useful, in feedback",
    ("feedback", "question_scores"): "scores of questions, in feedback",
}
_PHASES = frozenset(phase.value for phase in Phase)


def _budget(value: Any) -> dict[str, int] | None:
    """Minutes by phase, as `Store.update_conversation` writes them."""
    if isinstance(value, dict) and all(
        key in _PHASES and type(minutes) is int for key, minutes in value.items()
    ):
        return value
    return None


def _texts(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    return None


def _scores(value: Any) -> dict[str, int] | None:
    """Question id → score from 1 to 5, as `Store.set_feedback` writes them."""
    if isinstance(value, dict) and all(
        type(score) is int and 1 <= score <= 5 for score in value.values()
    ):
        return value
    return None


# How each is read, and what it reads as when it is empty or cannot be read.
_SHAPES: dict[tuple[str, str], tuple[Callable[[Any], Any], type]] = {
    ("conversations", "phase_budget"): (_budget, dict),
    ("questions", "prompts"): (_texts, tuple),
    ("feedback", "useful_question_ids"): (_texts, tuple),
    ("feedback", "question_scores"): (_scores, dict),
}


def _json(table: str, column: str, stored: str | None) -> Any:
    """The value of a JSON column, or None if it is not one appreciate writes."""
    shape, empty = _SHAPES[(table, column)]
    if not stored or stored == ("{}" if empty is dict else "[]"):  # most rows: no need to parse
        return empty()
    try:
        return shape(json.loads(stored))
    except (ValueError, RecursionError):
        return None


def readable(table: str, column: str, stored: str | None) -> bool:
    """Whether a value of one of JSON_COLUMNS is one appreciate wrote."""
    return _json(table, column, stored) is not None


def _json_or_empty(table: str, column: str, stored: str | None) -> Any:
    value = _json(table, column, stored)
    return _SHAPES[(table, column)][1]() if value is None else value


def conversation(row: dict[str, Any]) -> Conversation:
    return Conversation(
        id=row["id"],
        title=row["title"],
        topic=row["topic"],
        status=ConversationStatus(row["status"]),
        date=row["date"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        setting=row["setting"],
        facilitator=row["facilitator"],
        opening=row["opening"],
        start_time=row["start_time"],
        bank_id=row["bank_id"],
        current_question_id=row["current_question_id"],
        started_at=row["started_at"],
        ended_at=row["ended_at"],
        questions_shared_at=row["questions_shared_at"],
        key_learning=row["key_learning"],
        phase_budget=_json_or_empty("conversations", "phase_budget", row["phase_budget"]),
        deleted_at=row["deleted_at"],
    )


def participant(row: dict[str, Any]) -> Participant:
    return Participant(
        id=row["id"],
        conversation_id=row["conversation_id"],
        pseudonym=row["pseudonym"],
        agency=row["agency"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        name=row["name"],
        role=row["role"],
        invited=_flag(row["invited"]),
        attended=_flag(row["attended"]),
        absence_reason=row["absence_reason"],
    )


def question(row: dict[str, Any]) -> Question:
    return Question(
        id=row["id"],
        conversation_id=row["conversation_id"],
        text=row["text"],
        phase=Phase(row["phase"]),
        position=row["position"],
        kind=QuestionKind(row["kind"]),
        status=QuestionStatus(row["status"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        parent_id=row["parent_id"],
        asked_at=row["asked_at"],
        prompts=_json_or_empty("questions", "prompts", row["prompts"]),
        worth_keeping=_flag(row["worth_keeping"]),
        scale=_flag(row["scale"]),
    )


def note(row: dict[str, Any]) -> Note:
    return Note(
        id=row["id"],
        conversation_id=row["conversation_id"],
        question_id=row["question_id"],
        body=row["body"],
        stance=Stance(row["stance"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        sha256=row["sha256"],
        participant_id=row["participant_id"],
        agency=row["agency"],
        starred=_flag(row["starred"]),
        escalate=_flag(row["escalate"]),
        escalation_handled_at=row["escalation_handled_at"],
        escalation_passed_to=row["escalation_passed_to"],
        deleted_at=row["deleted_at"],
        parked=_flag(row["parked"]),
        follow_up_id=row["follow_up_id"],
    )


def note_revision(row: dict[str, Any]) -> NoteRevision:
    return NoteRevision(
        id=row["id"],
        note_id=row["note_id"],
        body=row["body"],
        stance=Stance(row["stance"]),
        agency=row["agency"],
        participant_id=row["participant_id"],
        revised_at=row["revised_at"],
        change=tuple(row["change"].split()) if row["change"] else (),
        starred=_optional_flag(row["starred"]),
        parked=_optional_flag(row["parked"]),
        deleted=_optional_flag(row["deleted"]),
        undoes=row["undoes"],
    )


def pause(row: dict[str, Any]) -> Pause:
    return Pause(
        id=row["id"],
        conversation_id=row["conversation_id"],
        paused_at=row["paused_at"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        resumed_at=row["resumed_at"],
    )


def action(row: dict[str, Any]) -> Action:
    return Action(
        id=row["id"],
        conversation_id=row["conversation_id"],
        description=row["description"],
        status=ActionStatus(row["status"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        owner=row["owner"],
        due=row["due"],
        note_id=row["note_id"],
    )


def feedback(row: dict[str, Any]) -> Feedback:
    return Feedback(
        id=row["id"],
        conversation_id=row["conversation_id"],
        created_at=row["created_at"],
        participant_id=row["participant_id"],
        agency=row["agency"],
        rating=row["rating"],
        advance_questions_helped=_optional_flag(row["advance_questions_helped"]),
        useful_question_ids=_json_or_empty(
            "feedback", "useful_question_ids", row["useful_question_ids"]
        ),
        comments=row["comments"],
        question_scores=_json_or_empty(
            "feedback", "question_scores", row.get("question_scores")
        ),
    )


def share(row: dict[str, Any]) -> Share:
    return Share(
        id=row["id"],
        conversation_id=row["conversation_id"],
        format=row["format"],
        created_at=row["created_at"],
        redacted=_flag(row["redacted"]),
        recipient=row["recipient"],
        purpose=row["purpose"],
        path=row.get("path"),
    )
