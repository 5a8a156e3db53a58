"""Scores on a 0-10 scale (`=7 #police` in the facilitation screen) and links to outcome areas:
the SQL of the partnership's own annotations of its conversations.

A score is recorded with the note that shows it in the record ("Scored 7/10"), in one
transaction, so it is seen, reported and exported like everything else said, and deleting that
note withdraws the score. A link's id is derived from the area and what it links, so the same link
made on two laptops is one row once merged; unlinking sets `removed_at`, so it travels too.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlite_utils import Database

_LINKS = uuid.UUID("6f1d7c52-8a0e-4d4b-9a53-3f6b0c3e2a11")
LINK_TARGETS = ("conversation", "note", "action")


def insert_score(db: Database, row: dict[str, Any]) -> None:
    names = ", ".join(row)
    marks = ", ".join(f":{name}" for name in row)
    db.execute(f"INSERT INTO scores ({names}) VALUES ({marks})", row)


def score_rows(db: Database, conversation_id: str) -> list[dict[str, Any]]:
    return list(
        db.query(
            "SELECT s.* FROM scores s LEFT JOIN notes n ON n.id = s.note_id "
            "WHERE s.conversation_id = ? AND (s.note_id IS NULL OR n.deleted_at IS NULL) "
            "ORDER BY s.created_at, s.rowid",
            [conversation_id],
        )
    )


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


def areas_linked(db: Database, kind: str, target_id: str) -> set[str]:
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
