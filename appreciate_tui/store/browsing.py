"""The SQL behind the conversations browser: every conversation with its counts.

The browser shows a thousand conversations at once and must open without a visible pause, so the
note counts come from the tallies the triggers keep (schema m010), never from the notes, and the
open actions and agencies present from one pass over each of those tables for all conversations.
"""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from appreciate_tui.domain import ActionStatus, ConversationStatus, ConversationSummary, Pause
from appreciate_tui.store import rows

OPEN_ACTION_STATUSES = (ActionStatus.OPEN.value, ActionStatus.IN_PROGRESS.value)

# A live conversation's pauses come along (the list shows its clock); the few live ones only.
_CONVERSATIONS = """
SELECT c.*, coalesce(t.live, 0) AS note_count,
    CASE WHEN c.status = 'live' THEN (
        SELECT json_group_array(json_object('id', p.id, 'conversation_id', p.conversation_id,
            'paused_at', p.paused_at, 'resumed_at', p.resumed_at, 'created_at', p.created_at,
            'updated_at', p.updated_at))
        FROM pauses p WHERE p.conversation_id = c.id
    ) END AS pauses
FROM conversations c LEFT JOIN note_tallies t ON t.conversation_id = c.id
WHERE c.deleted_at IS {binned}
ORDER BY {order}
"""
_OPEN_ACTIONS = f"""
SELECT conversation_id, count(*) FROM actions
WHERE status IN ({", ".join(f"'{status}'" for status in OPEN_ACTION_STATUSES)})
GROUP BY conversation_id
"""
_AGENCIES = "SELECT conversation_id, agency, attended, invited FROM participants WHERE agency != ''"


def summaries(db: Database, *, binned: bool) -> list[ConversationSummary]:
    """Conversations newest first; with `binned`, those in the bin, most recently binned first.

    Three queries that each read their table once, for every conversation at a time, cost half
    of one query asking for each conversation's open actions and agencies in turn."""
    sql = _CONVERSATIONS.format(
        binned="NOT NULL" if binned else "NULL",
        order="c.deleted_at DESC" if binned else "c.date DESC, c.created_at DESC",
    )
    open_actions = dict(db.execute(_OPEN_ACTIONS).fetchall())
    attended: dict[str, set[str]] = {}
    invited: dict[str, set[str]] = {}
    for conversation_id, agency, was_there, was_invited in db.execute(_AGENCIES).fetchall():
        if was_there:
            attended.setdefault(conversation_id, set()).add(agency)
        if was_invited:
            invited.setdefault(conversation_id, set()).add(agency)
    summaries = []
    for row in db.query(sql):
        conversation = rows.conversation(row)
        # Who was in the room is who attended; before the meeting, who is invited.
        agencies = attended.get(conversation.id, set())
        if conversation.status is ConversationStatus.PLANNED:
            agencies = agencies | invited.get(conversation.id, set())
        summaries.append(
            ConversationSummary(
                conversation=conversation,
                notes=row["note_count"],
                open_actions=open_actions.get(conversation.id, 0),
                agencies=tuple(sorted(agencies)),
                pauses=_pauses(row["pauses"]),
            )
        )
    return summaries


def _pauses(stored: str | None) -> tuple[Pause, ...]:
    if not stored:
        return ()
    return tuple(sorted((rows.pause(row) for row in json.loads(stored)),
                        key=lambda pause: pause.paused_at))


def revision_counts(db: Database, conversation_id: str) -> dict[str, int]:
    return {
        row["note_id"]: row["revisions"]
        for row in db.query(
            "SELECT r.note_id, count(*) AS revisions FROM note_revisions r "
            "JOIN notes n ON n.id = r.note_id "
            f"WHERE n.conversation_id = ? AND {rows.WORDING_REVISION} "
            "GROUP BY r.note_id",
            [conversation_id],
        )
    }


def rebuild_note_tallies(db: Database) -> None:
    """Count every conversation's live notes again (after a bulk load that set the notes'
    triggers aside, as the benchmark database's generator does)."""
    db.execute("DELETE FROM note_tallies")
    db.execute(
        "INSERT INTO note_tallies (conversation_id, live) SELECT conversation_id, count(*) "
        "FROM notes WHERE deleted_at IS NULL GROUP BY conversation_id"
    )
