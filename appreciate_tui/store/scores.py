"""Scores on a 0-10 scale (`=7 #police` in the facilitation screen) and links to outcome areas:
the SQL of the partnership's own annotations of its conversations.

A score is recorded with the note that shows it in the record ("Scored 7/10"), in one
transaction, so it is seen, reported and exported like everything else said, and deleting that
note withdraws the score. A link's id is derived from the area and what it links, so the same link
made on two laptops is one row once merged; unlinking sets `removed_at`, so it travels too.

For the insights, `for_insights` counts the scores of every conversation in SQL (per conversation,
and per question wording, agency and date), so that 10,000 conversations give thousands of rows
to Python, not every score (appreciate_tui/insights/scores.py makes them each agency's line).
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite_utils import Database

    from appreciate_tui.store.reading import Queries

_LINKS = uuid.UUID("6f1d7c52-8a0e-4d4b-9a53-3f6b0c3e2a11")
LINK_TARGETS = ("conversation", "note", "action")


def insert_score(db: Database, row: dict[str, Any]) -> None:
    names = ", ".join(row)
    marks = ", ".join(f":{name}" for name in row)
    db.execute(f"INSERT INTO scores ({names}) VALUES ({marks})", row)


def score_rows(db: Queries, conversation_id: str) -> list[dict[str, Any]]:
    return list(
        db.query(
            "SELECT s.* FROM scores s LEFT JOIN notes n ON n.id = s.note_id "
            "WHERE s.conversation_id = ? AND (s.note_id IS NULL OR n.deleted_at IS NULL) "
            "ORDER BY s.created_at, s.rowid",
            [conversation_id],
        )
    )


# Scores across conversations, for the insights. Who gave a score is said by the note that records
# it, as the record shows it now: a score whose note was put under another agency moves with it.
# A score with no note (none is made so here, but a bundle may carry one) keeps its own agency.
# An agency left empty is no agency: the score is not attributed.
VALUES = tuple(range(11))
"""Every value a score can take (the table's CHECK): 0 to 10."""

_SPREAD = ", ".join(f"sum(value = {value})" for value in VALUES)
_NO_SPREAD = ", ".join("NULL" for _ in VALUES)
# The scores kept (their note still there, their conversation not in the bin) are found once, the
# notes looked up once per score, then counted twice: per conversation, and per wording of the
# question, agency and date. Rows tagged 0 and 1, in one statement. (SQLite keeps a CTE used twice
# once, as a table; no MATERIALIZED hint, which SQLite before 3.35 does not read.)
_COUNTED = f"""
WITH kept AS (
    SELECT s.conversation_id, s.question_id, c.date, s.value,
        nullif(CASE WHEN n.id IS NULL THEN s.agency ELSE n.agency END, '') AS who
    FROM scores s JOIN conversations c ON c.id = s.conversation_id
    LEFT JOIN notes n ON n.id = s.note_id
    WHERE (s.note_id IS NULL OR n.deleted_at IS NULL) AND c.deleted_at IS NULL
        AND (:since IS NULL OR c.date >= :since)
)
SELECT 0, conversation_id, NULL, NULL, count(*), sum(value), NULL, NULL, {_SPREAD}
FROM kept GROUP BY conversation_id
UNION ALL
SELECT 1, q.text, k.who, k.date, count(*), sum(k.value), min(k.value), max(k.value), {_NO_SPREAD}
FROM kept k LEFT JOIN questions q ON q.id = k.question_id GROUP BY q.text, k.who, k.date
"""


def for_insights(db: Queries, since: str | None) -> dict[str, list[tuple[Any, ...]]]:
    """The scores of the conversations not in the bin (dated `since` or later) whose notes are
    still there, counted rather than read one by one:

    - `score_counts`, per conversation: (conversation_id, scores, sum, how many of 0, of 1, …
      of 10);
    - `score_series`, per exact wording of the question (None for a score under no question),
      agency that gave them (None: not attributed) and date of conversation: (wording, agency,
      date, scores, sum, lowest, highest), in no particular order.

    At 10,000 conversations that is thousands of rows, not every score."""
    counts: list[tuple[Any, ...]] = []
    series: list[tuple[Any, ...]] = []
    for row in db.execute(_COUNTED, {"since": since}).fetchall():
        if row[0] == 0:
            counts.append(row[1:2] + row[4:6] + row[8:])
        else:
            series.append(row[1:8])
    return {"score_counts": counts, "score_series": series}


def link_id(area: str, kind: str, target_id: str) -> str:
    return str(uuid.uuid5(_LINKS, f"{area}\x1f{kind}\x1f{target_id}"))


def set_link(
    db: Database,
    *,
    area: str,
    kind: str,
    target_id: str,
    conversation_id: str,
    linked: bool,
    stamp: str,
) -> None:
    """Link (or unlink) a conversation, note or action to an outcome area."""
    if kind not in LINK_TARGETS:
        raise ValueError(f"an outcome link is to a {', '.join(LINK_TARGETS)}, not {kind!r}")
    row_id = link_id(area, kind, target_id)
    present = next(db.query("SELECT removed_at FROM outcome_links WHERE id = ?", [row_id]), None)
    if present is None:
        if not linked:
            return
        db.execute(
            "INSERT INTO outcome_links (id, conversation_id, area, note_id, action_id, created_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [row_id, conversation_id, area, target_id if kind == "note" else None,
             target_id if kind == "action" else None, stamp, stamp],
        )
    elif (present["removed_at"] is None) != linked:
        db.execute(
            "UPDATE outcome_links SET removed_at = ?, updated_at = ? WHERE id = ?",
            [None if linked else stamp, stamp, row_id],
        )


def areas_linked(db: Queries, kind: str, target_id: str) -> set[str]:
    column = {"conversation": None, "note": "note_id", "action": "action_id"}[kind]
    if column is None:
        where = "conversation_id = ? AND note_id IS NULL AND action_id IS NULL"
    else:
        where = f"{column} = ?"
    return {
        row["area"]
        for row in db.query(
            f"SELECT area FROM outcome_links WHERE {where} AND removed_at IS NULL", [target_id]
        )
    }
