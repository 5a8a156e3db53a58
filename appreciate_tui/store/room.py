"""What the view for the room (`appreciate present`) may show, read in a few small queries.

The room sees the question being asked and nothing the facilitator keeps to themselves: the
conversation's topic, its opening words before the first question, the current question with its
phase and place, the question a follow-up grew from, and that it has ended. `RoomView` has no field
that could hold a note, a participant or anyone's name, so whatever reads it can put all of it on
a projector or a shared screen.

The view polls, so every query here reads one conversation's rows through an index: finding the
live conversation reads the partial index of live ones (schema m014), whatever the number of
conversations kept.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from appreciate_tui.domain import Phase

if TYPE_CHECKING:
    from appreciate_tui.store.reading import Queries

LIVE = (
    "SELECT id, updated_at FROM conversations WHERE status = 'live' AND deleted_at IS NULL "
    "ORDER BY updated_at DESC"
)
"""The live conversations, the most recently active (the facilitator last moved on) first."""

_CONVERSATION = (
    "SELECT id, title, topic, status, opening, current_question_id, updated_at, deleted_at "
    "FROM conversations WHERE id = ?"
)
_QUESTION = "SELECT id, parent_id, text, phase FROM questions WHERE id = ? AND conversation_id = ?"
_PREPARED = (
    "SELECT id FROM questions WHERE conversation_id = ? AND parent_id IS NULL "
    "ORDER BY position, created_at, rowid"
)
_ANY_ASKED = "SELECT 1 FROM questions WHERE conversation_id = ? AND asked_at IS NOT NULL LIMIT 1"
_PAUSED = "SELECT 1 FROM pauses WHERE conversation_id = ? AND resumed_at IS NULL LIMIT 1"


class RoomState(StrEnum):
    NONE = "none"
    """No conversation is live (and none was just being shown)."""
    WAITING = "waiting"
    """The conversation asked for has not started."""
    OPENING = "opening"
    """Live, before the first question: the opening words."""
    STARTING = "starting"
    """Live, with no question asked yet and no opening words."""
    QUESTION = "question"
    ENDED = "ended"
    GONE = "gone"
    """The conversation asked for is no longer in the database, or is in the bin."""


@dataclass(frozen=True)
class RoomView:
    """Everything the room is shown, as stored (the view makes it printable)."""

    state: RoomState
    conversation_id: str | None = None
    topic: str = ""
    """The topic question, or the title when there is none."""
    opening: str = ""
    question: str = ""
    phase: Phase | None = None
    place: str = ""
    """Where the question sits: "question 2 of 8" or "follow-up to question 2"."""
    grew_from: str = ""
    """For a follow-up, the question it was asked from."""
    live: int = 0
    """How many conversations are live."""
    paused: bool = False
    """The facilitator has paused the clock (a comfort break, a fire alarm)."""


def read(db: Queries, chosen: str | None = None, *, last_shown: str | None = None) -> RoomView:
    """The view of `chosen` (a conversation id), or else of the most recently active live
    conversation, unless `last_shown` has ended since: its end is shown until the facilitator
    moves on in another (a conversation left live the day before is not shown in its place)."""
    live = db.execute(LIVE).fetchall()
    conversation = _row(db, _CONVERSATION, chosen or (live[0][0] if live else last_shown))
    if not chosen and last_shown and conversation and conversation["id"] != last_shown:
        shown = _row(db, _CONVERSATION, last_shown)
        if shown and shown["status"] == "closed" and shown["updated_at"] > live[0][1]:
            conversation = shown
    if conversation is None or conversation["deleted_at"] is not None:
        return RoomView(RoomState.GONE if chosen else RoomState.NONE, live=len(live))
    view = RoomView(
        RoomState.NONE,
        conversation_id=conversation["id"],
        topic=conversation["topic"] or conversation["title"],
        live=len(live),
    )
    if conversation["status"] == "live":
        return _current(db, view, conversation)
    if conversation["status"] == "closed":
        return replace(view, state=RoomState.ENDED)
    return replace(view, state=RoomState.WAITING) if chosen else RoomView(RoomState.NONE)


def _current(db: Queries, view: RoomView, conversation: dict[str, Any]) -> RoomView:
    cid = conversation["id"]
    view = replace(view, paused=bool(db.execute(_PAUSED, [cid]).fetchall()))
    question = _question(db, conversation["current_question_id"], cid)
    if question is None:
        asked = db.execute(_ANY_ASKED, [cid]).fetchall()
        if conversation["opening"].strip() and not asked:
            return replace(view, state=RoomState.OPENING, opening=conversation["opening"])
        return replace(view, state=RoomState.STARTING)
    parent = _question(db, question["parent_id"], cid)
    root, seen = question, {question["id"]}
    ancestor = parent
    while ancestor is not None and ancestor["id"] not in seen:  # up to its prepared question
        root, seen = ancestor, seen | {ancestor["id"]}
        ancestor = _question(db, ancestor["parent_id"], cid)
    prepared = [row[0] for row in db.execute(_PREPARED, [cid]).fetchall()]
    number = prepared.index(root["id"]) + 1 if root["id"] in prepared else "?"
    return replace(
        view,
        state=RoomState.QUESTION,
        question=question["text"],
        phase=Phase.parse(question["phase"]),
        place=(
            f"question {number} of {len(prepared)}"
            if root is question
            else f"follow-up to question {number}"
        ),
        grew_from=parent["text"] if parent else "",
    )


def _question(db: Queries, question_id: str | None, conversation_id: str) -> dict[str, Any] | None:
    return _row(db, _QUESTION, question_id, conversation_id)


def _row(db: Queries, sql: str, key: str | None, *params: Any) -> dict[str, Any] | None:
    """The row `sql` finds for `key` (and `params`), None for no key or no row."""
    if key is None:
        return None
    # Read to the end, never left half-read: an unfinished statement would hold a read
    # transaction open, and with it the writer's checkpoints, until it was collected.
    cursor = db.execute(sql, [key, *params])
    found = cursor.fetchall()
    return dict(zip([column[0] for column in cursor.description], found[0])) if found else None
