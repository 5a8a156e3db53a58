"""The SQL behind the conversations browser: every conversation with its counts, in one query.

The browser shows a thousand conversations at once and must open without a visible pause, so the
note counts come from the tallies the triggers keep (schema m010), and the other counts from
correlated subqueries that each walk one conversation's slice of an index (of actions, of
participants), never the rows themselves.
"""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from appreciate_tui.domain import ActionStatus, ConversationSummary
from appreciate_tui.store import rows

OPEN_ACTION_STATUSES = (ActionStatus.OPEN.value, ActionStatus.IN_PROGRESS.value)

# Who was in the room is who attended; before the meeting, who is invited.
_SUMMARIES = f"""
SELECT c.*,
    coalesce((SELECT t.live FROM note_tallies t WHERE t.conversation_id = c.id), 0)
        AS note_count,
    (SELECT count(*) FROM actions a
     WHERE a.conversation_id = c.id
       AND a.status IN ({", ".join(f"'{status}'" for status in OPEN_ACTION_STATUSES)})
    ) AS open_action_count,
    (SELECT json_group_array(agency) FROM (
        SELECT DISTINCT p.agency FROM participants p
        WHERE p.conversation_id = c.id
          AND (p.attended OR (c.status = 'planned' AND p.invited))
        ORDER BY p.agency
    )) AS agencies_json
FROM conversations c
WHERE c.deleted_at IS {{binned}}
ORDER BY {{order}}
"""


def summaries(db: Database, *, binned: bool) -> list[ConversationSummary]:
    """Conversations newest first; with `binned`, those in the bin, most recently binned first."""
    sql = _SUMMARIES.format(
        binned="NOT NULL" if binned else "NULL",
        order="c.deleted_at DESC" if binned else "c.date DESC, c.created_at DESC",
    )
    return [_summary(row) for row in db.query(sql)]


def _summary(row: dict[str, Any]) -> ConversationSummary:
    return ConversationSummary(
        conversation=rows.conversation(row),
        notes=row["note_count"],
        open_actions=row["open_action_count"],
        agencies=tuple(agency for agency in json.loads(row["agencies_json"]) if agency),
    )


def revision_counts(db: Database, conversation_id: str) -> dict[str, int]:
    return {
        row["note_id"]: row["revisions"]
        for row in db.query(
            "SELECT r.note_id, count(*) AS revisions FROM note_revisions r "
            "JOIN notes n ON n.id = r.note_id WHERE n.conversation_id = ? GROUP BY r.note_id",
            [conversation_id],
        )
    }
