"""The SQL behind insights across conversations (appreciate_tui/insights.py puts it together).

Every figure is an aggregate SQLite computes from an index, so a database of 1,000 conversations
and 200,000 notes answers in a fraction of a second: stance counts per conversation from
`notes_stance`, word counts per stance from the `note_themes` full-text index (its fts5vocab
table counts the notes of each stance that use a word, without reading a note), and the rest
from tables of a few thousand rows. Only when the figures are limited to conversations since a
date are the words of those notes read and counted here instead.

Each function returns plain rows (dicts); `since` is a `YYYY-MM-DD` date or None for all time.
Conversations in the bin are left out everywhere.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from typing import Any

from sqlite_utils import Database

STANCE_COLUMNS = ("strength", "concern", "dream", "idea", "action", "quote", "note")

_LIVE = "c.deleted_at IS NULL AND (:since IS NULL OR c.date >= :since)"
# The words the `note_themes` tokenizer makes: letters and digits, with `#` kept inside a word.
_WORD = re.compile(r"(?:[^\W_]|#)+")


def _params(since: str | None, **more: Any) -> dict[str, Any]:
    return {"since": since, **more}


def conversations(db: Database, since: str | None) -> list[dict[str, Any]]:
    return list(
        db.query(
            f"SELECT c.id, c.title, c.date, c.status FROM conversations c WHERE {_LIVE} "
            "ORDER BY c.date, c.created_at",
            _params(since),
        )
    )


def stance_counts(db: Database) -> list[dict[str, Any]]:
    """(conversation_id, stance, notes) for every conversation, from the `notes_stance` index;
    the caller keeps the conversations it shows."""
    return list(
        db.query(
            "SELECT conversation_id, stance, count(*) AS notes FROM notes "
            "WHERE deleted_at IS NULL GROUP BY conversation_id, stance"
        )
    )


def theme_terms(db: Database, since: str | None) -> list[dict[str, Any]]:
    """(stance, term, notes): how many live notes of each stance use each word or #tag."""
    counts: dict[str, Counter[str]] = {stance: Counter() for stance in STANCE_COLUMNS}
    if since is None:
        # The index holds the notes of conversations in the bin too (a handful): take them off.
        binned: dict[str, Counter[str]] = {stance: Counter() for stance in STANCE_COLUMNS}
        for stance, body in db.execute(
            "SELECT n.stance, n.body FROM notes n JOIN conversations c ON c.id = n.conversation_id "
            "WHERE n.deleted_at IS NULL AND c.deleted_at IS NOT NULL"
        ).fetchall():
            binned[stance].update(set(words(body)))
        found = []
        for term, stance, notes in db.execute("SELECT term, col, doc FROM note_themes_terms"):
            notes -= binned[stance].get(term, 0)
            if notes > 0:
                found.append({"stance": stance, "term": term, "notes": notes})
        return found
    for stance, body in db.execute(
        "SELECT n.stance, n.body FROM notes n JOIN conversations c ON c.id = n.conversation_id "
        f"WHERE n.deleted_at IS NULL AND {_LIVE}",
        _params(since),
    ).fetchall():
        counts[stance].update(set(words(body)))
    return [
        {"stance": stance, "term": term, "notes": notes}
        for stance, counter in counts.items()
        for term, notes in counter.items()
    ]


def words(text: str) -> list[str]:
    """A note's words as the `note_themes` index reads them: lower case, accents taken off."""
    plain = text.casefold()
    if not plain.isascii():
        plain = unicodedata.normalize("NFKD", plain)
        plain = "".join(char for char in plain if not unicodedata.combining(char))
    return _WORD.findall(plain)


def theme_note_ids(
    db: Database, stance: str, term: str, since: str | None, limit: int
) -> list[dict[str, Any]]:
    """The notes of one stance that use a word (newest first), found through `note_themes`."""
    if stance not in STANCE_COLUMNS:
        raise ValueError(f"not a stance: {stance!r}")
    phrase = '"' + term.replace('"', '""') + '"'
    return list(
        db.query(
            "SELECT n.id, n.conversation_id, n.body, n.stance, n.agency, n.created_at, "
            "c.title AS conversation_title, c.date AS conversation_date "
            "FROM note_themes t JOIN notes n ON n.rowid = t.rowid "
            "JOIN conversations c ON c.id = n.conversation_id "
            f"WHERE note_themes MATCH :match AND n.deleted_at IS NULL AND {_LIVE} "
            "ORDER BY n.created_at DESC LIMIT :limit",
            _params(since, match=f"{stance} : {phrase}", limit=limit),
        )
    )


def actions(db: Database, since: str | None) -> list[dict[str, Any]]:
    """Every action of the conversations, with its conversation and, when the owner is one of
    its participants (by pseudonym or name) or an agency, the owner's agency."""
    return list(
        db.query(
            "SELECT a.id, a.conversation_id, a.description, a.owner, a.due, a.status, a.note_id, "
            "a.created_at, a.updated_at, c.title AS conversation_title, c.date AS conversation_date, "
            "(SELECT p.agency FROM participants p WHERE p.conversation_id = a.conversation_id "
            " AND a.owner != '' AND (lower(p.pseudonym) = lower(a.owner) OR lower(p.name) = lower(a.owner)) "
            " LIMIT 1) AS owner_agency "
            f"FROM actions a JOIN conversations c ON c.id = a.conversation_id WHERE {_LIVE} "
            "ORDER BY a.due IS NULL, a.due, a.created_at",
            _params(since),
        )
    )


def successes(db: Database, since: str | None, limit: int) -> list[dict[str, Any]]:
    """Starred strengths and quotes, newest first."""
    return list(
        db.query(
            "SELECT n.id, n.conversation_id, n.body, n.stance, n.agency, n.created_at, "
            "c.title AS conversation_title, c.date AS conversation_date, q.text AS question "
            "FROM notes n JOIN conversations c ON c.id = n.conversation_id "
            "JOIN questions q ON q.id = n.question_id "
            "WHERE n.starred = 1 AND n.deleted_at IS NULL AND n.stance IN ('strength', 'quote') "
            f"AND {_LIVE} ORDER BY n.created_at DESC LIMIT :limit",
            _params(since, limit=limit),
        )
    )


def attendance(db: Database, since: str | None) -> list[dict[str, Any]]:
    """Per agency: people invited and attending, and in how many conversations."""
    return list(
        db.query(
            "SELECT p.agency, sum(p.invited) AS invited, sum(p.attended) AS attended, "
            "count(DISTINCT p.conversation_id) AS conversations_invited, "
            "count(DISTINCT CASE WHEN p.attended THEN p.conversation_id END) AS conversations_attended "
            f"FROM participants p JOIN conversations c ON c.id = p.conversation_id WHERE {_LIVE} "
            "AND c.status != 'planned' GROUP BY p.agency ORDER BY p.agency",
            _params(since),
        )
    )


def contributions(db: Database) -> list[dict[str, Any]]:
    """(agency, conversation_id, notes): notes attributed to each agency in each conversation,
    from the `notes_live_agency` index; the caller keeps the conversations it shows."""
    return list(
        db.query(
            "SELECT agency, conversation_id, count(*) AS notes FROM notes "
            "WHERE deleted_at IS NULL AND agency IS NOT NULL GROUP BY agency, conversation_id"
        )
    )


def questions(db: Database, since: str | None) -> list[dict[str, Any]]:
    """Every question of the conversations with how many notes it drew and how many people
    said in their feedback that it was useful."""
    return list(
        db.query(
            "WITH useful AS (SELECT j.value AS question_id, count(*) AS votes "
            "  FROM feedback f, json_each(f.useful_question_ids) j GROUP BY j.value), "
            "noted AS (SELECT question_id, count(*) AS notes FROM notes "
            "  WHERE deleted_at IS NULL GROUP BY question_id) "
            "SELECT q.id, q.conversation_id, q.text, q.phase, q.kind, q.status, q.worth_keeping, "
            "q.scale, c.bank_id, c.title AS conversation_title, c.date AS conversation_date, "
            "coalesce(noted.notes, 0) AS notes, coalesce(useful.votes, 0) AS useful "
            "FROM questions q JOIN conversations c ON c.id = q.conversation_id "
            "LEFT JOIN noted ON noted.question_id = q.id "
            "LEFT JOIN useful ON useful.question_id = q.id "
            f"WHERE {_LIVE}",
            _params(since),
        )
    )


def scores(db: Database, since: str | None) -> list[dict[str, Any]]:
    """Every score whose note is still there, with its conversation and question."""
    return list(
        db.query(
            "SELECT s.id, s.conversation_id, s.question_id, s.value, s.agency, s.participant_id, "
            "s.created_at, c.title AS conversation_title, c.date AS conversation_date, "
            "q.text AS question "
            "FROM scores s JOIN conversations c ON c.id = s.conversation_id "
            "LEFT JOIN questions q ON q.id = s.question_id "
            "LEFT JOIN notes n ON n.id = s.note_id "
            f"WHERE (s.note_id IS NULL OR n.deleted_at IS NULL) AND {_LIVE} "
            "ORDER BY c.date, s.created_at",
            _params(since),
        )
    )


def outcome_links(db: Database, since: str | None) -> list[dict[str, Any]]:
    """Every live link to an outcome area, with what it links: a note (and its stance), an
    action (and its status) or the whole conversation."""
    return list(
        db.query(
            "SELECT l.id, l.area, l.conversation_id, l.note_id, l.action_id, n.stance, "
            "a.status AS action_status, c.title AS conversation_title, c.date AS conversation_date "
            "FROM outcome_links l JOIN conversations c ON c.id = l.conversation_id "
            "LEFT JOIN notes n ON n.id = l.note_id LEFT JOIN actions a ON a.id = l.action_id "
            f"WHERE l.removed_at IS NULL AND (l.note_id IS NULL OR n.deleted_at IS NULL) AND {_LIVE}",
            _params(since),
        )
    )


def rebuild_theme_index(db: Database) -> None:
    """Fill `note_themes` again from the notes (after a bulk load that set its triggers aside)."""
    columns = ", ".join(STANCE_COLUMNS)
    values = ", ".join(f"CASE WHEN stance = '{s}' THEN body END" for s in STANCE_COLUMNS)
    db.execute("INSERT INTO note_themes (note_themes) VALUES ('delete-all')")
    db.execute(
        f"INSERT INTO note_themes (rowid, {columns}) SELECT rowid, {values} FROM notes "
        "WHERE deleted_at IS NULL"
    )


def index_notes(db: Database, note_ids: list[str]) -> None:
    """Add these notes to `note_themes` in one statement per chunk (a bulk import that set the
    insert trigger aside: `set_aside_theme_trigger`)."""
    columns = ", ".join(STANCE_COLUMNS)
    values = ", ".join(f"CASE WHEN stance = '{s}' THEN body END" for s in STANCE_COLUMNS)
    for start in range(0, len(note_ids), 500):
        chunk = note_ids[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        db.execute(
            f"INSERT INTO note_themes (rowid, {columns}) SELECT rowid, {values} FROM notes "
            f"WHERE deleted_at IS NULL AND id IN ({marks})",
            chunk,
        )
