"""The SQL behind the conversations browser: its conversations in order, a page at a time.

The browser opens on ten thousand conversations as quickly as on ten. Its first screenful comes
from a query bounded by the screen (`summaries` with `limit`); the order of all the others is a

if TYPE_CHECKING:
    from sqlite_utils import Database
list of ids (`ordered`), and their rows are read a page at a time as they come into view
(`summaries` with `ids`). Note counts come from the tallies the triggers keep (schema m010), never
from the notes; open actions and agencies are read for the conversations asked for only, or in
one pass over each table when every conversation is asked for.

The browser filters and sorts by itself what `catalogue` reads (each conversation's id, status,
date and the value of one column), asking again only when `changes` says something was written.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from appreciate_tui.domain import ActionStatus, ConversationStatus, ConversationSummary, Pause
from appreciate_tui.store import rows
from appreciate_tui.store.reading import Queries

if TYPE_CHECKING:
    from sqlite_utils import Database

OPEN_ACTION_STATUSES = (ActionStatus.OPEN.value, ActionStatus.IN_PROGRESS.value)
_OPEN = "status IN (" + ", ".join(f"'{status}'" for status in OPEN_ACTION_STATUSES) + ")"
NEWEST_FIRST = "c.date DESC, c.created_at DESC"

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
WHERE c.deleted_at IS {binned} {only}
ORDER BY {order} {limit}
"""
# For a few conversations, `+` keeps SQLite from reading every open action through the index on
# status: it reads only theirs, through the index on conversation_id.
_OPEN_ACTIONS = (
    f"SELECT conversation_id, count(*) FROM actions WHERE {{few}}{_OPEN} {{only}} "
    "GROUP BY conversation_id"
)
_AGENCIES = (
    "SELECT conversation_id, agency, attended, invited FROM participants WHERE agency != '' {only}"
)
_AMONG = "AND {column} IN (SELECT value FROM json_each(?))"

# Who was in the room is who attended; before the meeting, who is invited.
_TOOK_PART = "p.agency != '' AND (p.attended OR (p.invited AND c.status = 'planned'))"

# What each column of the browser sorts on, as stored (browser.py turns it into an order).
_SORTED_ON = {
    "title": "c.title",
    "topic": "c.topic",
    "status": "c.status",
    "notes": "coalesce(t.live, 0)",
    "actions": f"(SELECT count(*) FROM actions a WHERE a.conversation_id = c.id AND +a.{_OPEN})",
    "agencies": "(SELECT json_group_array(DISTINCT p.agency) FROM participants p "
    f"WHERE p.conversation_id = c.id AND {_TOOK_PART})",
}


def summaries(
    db: Queries, *, binned: bool, ids: Sequence[str] | None = None, limit: int | None = None,
) -> list[ConversationSummary]:
    """Conversations newest first, or the ones of `ids` in that order, or the newest `limit`;
    with `binned`, those in the bin, most recently binned first.

    Three queries whatever the number: every conversation's open actions and agencies in one
    pass over each table, or only those of the conversations listed (a screenful)."""
    params: list[Any] = []
    only = ""
    if ids is not None:
        only = _AMONG.format(column="c.id")
        params.append(json.dumps(list(ids)))
    sql = _CONVERSATIONS.format(
        binned="NOT NULL" if binned else "NULL",
        only=only,
        order="c.deleted_at DESC" if binned else NEWEST_FIRST,
        limit="LIMIT ?" if limit is not None else "",
    )
    if limit is not None:
        params.append(limit)
    found = list(db.query(sql, params))
    bounded = ids is not None or limit is not None
    if bounded and not found:
        return []
    among: list[Any] = [json.dumps([row["id"] for row in found])] if bounded else []
    only = _AMONG.format(column="conversation_id") if bounded else ""
    open_actions = dict(
        db.execute(_OPEN_ACTIONS.format(few="+" if bounded else "", only=only), among).fetchall()
    )
    attended: dict[str, set[str]] = {}
    invited: dict[str, set[str]] = {}
    for conversation_id, agency, was_there, was_invited in db.execute(
        _AGENCIES.format(only=only), among
    ).fetchall():
        if was_there:
            attended.setdefault(conversation_id, set()).add(agency)
        if was_invited:
            invited.setdefault(conversation_id, set()).add(agency)
    listed = []
    for row in found:
        conversation = rows.conversation(row)
        agencies = attended.get(conversation.id, set())
        if conversation.status is ConversationStatus.PLANNED:
            agencies = agencies | invited.get(conversation.id, set())
        listed.append(
            ConversationSummary(
                conversation=conversation,
                notes=row["note_count"],
                open_actions=open_actions.get(conversation.id, 0),
                agencies=tuple(sorted(agencies)),
                pauses=_pauses(row["pauses"]),
            )
        )
    if ids is not None:
        position = {conversation_id: n for n, conversation_id in enumerate(ids)}
        listed.sort(key=lambda summary: position[summary.conversation.id])
    return listed


def _pauses(stored: str | None) -> tuple[Pause, ...]:
    if not stored:
        return ()
    return tuple(sorted((rows.pause(row) for row in json.loads(stored)),
                        key=lambda pause: pause.paused_at))


def count(db: Queries, *, binned: bool = False) -> int:
    return db.execute(
        f"SELECT count(*) FROM conversations WHERE deleted_at IS {'NOT NULL' if binned else 'NULL'}"
    ).fetchone()[0]


def census(db: Queries) -> tuple[int, str | None]:
    """How many conversations are out of the bin, and when the latest change to one was: what
    the browser needs before its first frame, in one pass."""
    found = db.execute(
        "SELECT count(*), max(updated_at) FROM conversations WHERE deleted_at IS NULL"
    ).fetchone()
    return found[0], found[1]


def ordered(
    db: Queries,
    *,
    status: ConversationStatus | None = None,
    agency: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    by: str = "date",
    oldest_first: bool = False,
) -> list[tuple[str, Any]]:
    """Every conversation not in the bin that the filter lets through: its id and what column
    `by` sorts on, newest first (or, by date with `oldest_first`, oldest first). The agencies
    are a sorted tuple. Sorting by date is the query's own order, and the value is None."""
    where = ["c.deleted_at IS NULL"]
    params: list[Any] = []
    if status is not None:
        where.append("c.status = ?")
        params.append(ConversationStatus(status).value)
    if date_from is not None:
        where.append("c.date >= ?")
        params.append(date_from)
    if date_to is not None:
        where.append("c.date <= ?")
        params.append(date_to)
    if agency is not None:
        # Each conversation's own participants (schema m019), never every participant from the
        # agency: `+` keeps SQLite off the index on agency, which would visit thousands of
        # them for each of ten thousand conversations.
        where.append(
            f"EXISTS (SELECT 1 FROM participants p WHERE p.conversation_id = c.id "
            f"AND +p.agency = ? AND {_TOOK_PART})"
        )
        params.append(agency)
    value = _SORTED_ON.get(by, "NULL")
    order = "c.date, c.created_at" if by == "date" and oldest_first else NEWEST_FIRST
    tallies = "LEFT JOIN note_tallies t ON t.conversation_id = c.id" if by == "notes" else ""
    found = db.execute(
        f"SELECT c.id, {value} FROM conversations c {tallies} WHERE {' AND '.join(where)} "
        f"ORDER BY {order}",
        params,
    ).fetchall()
    if by == "agencies":
        read: dict[str, tuple[str, ...]] = {}  # the same few lists of agencies, read once each
        pairs = []
        for conversation_id, agencies in found:
            if agencies not in read:
                read[agencies] = tuple(sorted(json.loads(agencies)))
            pairs.append((conversation_id, read[agencies]))
        return pairs
    return found


def catalogue(db: Queries, *, by: str = "date") -> list[tuple[str, str, str, Any]]:
    """Every conversation not in the bin, newest first, as (id, status, date, what column `by`
    sorts on): what the browser filters by status and dates, and sorts, without asking again
    while nothing changes. The agencies are a sorted tuple; by date the value is None."""
    value = _SORTED_ON.get(by, "NULL")
    tallies = "LEFT JOIN note_tallies t ON t.conversation_id = c.id" if by == "notes" else ""
    found = db.execute(
        f"SELECT c.id, c.status, c.date, {value} FROM conversations c {tallies} "
        f"WHERE c.deleted_at IS NULL ORDER BY {NEWEST_FIRST}"
    ).fetchall()
    if by == "agencies":
        read: dict[str, tuple[str, ...]] = {}
        listed = []
        for conversation_id, status, date, agencies in found:
            if agencies not in read:
                read[agencies] = tuple(sorted(json.loads(agencies)))
            listed.append((conversation_id, status, date, read[agencies]))
        return listed
    return found


def changes(db: Queries) -> tuple[int, int]:
    """A pair that differs whenever the database may have changed: another connection's commits
    (`PRAGMA data_version`, which reads no page) and this connection's own changes."""
    return db.execute("PRAGMA data_version").fetchone()[0], db.conn.total_changes


def latest_change(db: Queries) -> tuple[str, str] | None:
    """The conversation not in the bin changed most recently: its id and when."""
    found = db.execute(
        "SELECT id, updated_at FROM conversations WHERE deleted_at IS NULL "
        f"ORDER BY updated_at DESC, {NEWEST_FIRST.replace('c.', '')} LIMIT 1"
    ).fetchone()
    return (found[0], found[1]) if found else None


def agencies_taking_part(db: Queries) -> set[str]:
    """Every agency that took part in (or, before the meeting, is invited to) a conversation
    that is not in the bin."""
    return {
        agency for (agency,) in db.execute(
            "SELECT DISTINCT p.agency FROM participants p "
            f"JOIN conversations c ON c.id = p.conversation_id "
            f"WHERE c.deleted_at IS NULL AND {_TOOK_PART}"
        ).fetchall()
    }


class Listed(NamedTuple):
    """One line of `appreciate list`."""

    id: str
    title: str
    topic: str
    status: str
    date: str
    setting: str
    notes: int


def listed(db: Queries, *, limit: int | None = None) -> Iterator[Listed]:
    """The conversations not in the bin, newest first, as they are read (a cursor, not a list):
    `appreciate list --json` writes ten thousand of them without holding them all."""
    cursor = db.execute(
        "SELECT c.id, c.title, c.topic, c.status, c.date, c.setting, coalesce(t.live, 0) "
        "FROM conversations c LEFT JOIN note_tallies t ON t.conversation_id = c.id "
        f"WHERE c.deleted_at IS NULL ORDER BY {NEWEST_FIRST}"
        + (" LIMIT ?" if limit is not None else ""),
        [limit] if limit is not None else [],
    )
    for row in cursor:
        yield listed_row(row)


def listed_row(row: Sequence[Any]) -> Listed:
    return Listed(*row)


def revision_counts(db: Queries, conversation_id: str) -> dict[str, int]:
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
