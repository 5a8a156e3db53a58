"""A whole conversation as rows: read out of one database, written into another.

This is the SQL behind the JSON bundle (`appreciate_tui/exchange/bundle.py`), which moves a
conversation between laptops. Rows keep their UUIDs and timestamps, so the same conversation
imported twice, or into the database it came from, adds nothing the second time.

What a bundle row may hold is read from the database's own schema (`PRAGMA table_info` and
`foreign_key_list`), so the checks on an incoming bundle follow the schema as migrations change it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite_utils import Database

    from appreciate_tui.store.reading import Queries

# In an order that lets every row's references already be in place when it is inserted.
BUNDLE_TABLES: tuple[str, ...] = (
    "conversations",
    "participants",
    "questions",
    "notes",
    "note_revisions",
    "actions",
    "feedback",
    "shares",
    "redaction_terms",
    "scores",
    "outcome_links",
    "pauses",
)

_BELONGS = "WHERE conversation_id = :cid ORDER BY created_at, rowid"
_SELECT = {
    "conversations": "SELECT * FROM conversations WHERE id = :cid",
    "participants": f"SELECT * FROM participants {_BELONGS}",
    "questions": f"SELECT * FROM questions {_BELONGS}",
    "notes": f"SELECT * FROM notes {_BELONGS}",
    "note_revisions": (
        "SELECT r.* FROM note_revisions r JOIN notes n ON n.id = r.note_id "
        "WHERE n.conversation_id = :cid ORDER BY r.revised_at, r.rowid"
    ),
    "actions": f"SELECT * FROM actions {_BELONGS}",
    "feedback": f"SELECT * FROM feedback {_BELONGS}",
    # Not `path`: where a file was written on this laptop is nobody else's business (m020).
    "shares": "SELECT id, conversation_id, format, redacted, recipient, purpose, created_at "
    f"FROM shares {_BELONGS}",
    "redaction_terms": f"SELECT * FROM redaction_terms {_BELONGS}",
    "scores": f"SELECT * FROM scores {_BELONGS}",
    "outcome_links": f"SELECT * FROM outcome_links {_BELONGS}",
    "pauses": f"SELECT * FROM pauses {_BELONGS}",
}

# SQLite allows up to 32,766 bound values; far fewer keeps each statement small.
_CHUNK = 500


@dataclass(frozen=True)
class Column:
    """One column a bundle row may carry, as the database declares it."""

    name: str
    kind: type  # str or int
    required: bool  # a row without it cannot be stored
    nullable: bool


@dataclass(frozen=True)
class Reference:
    """A column whose value, when set, is the id of a row in `table`."""

    column: str
    table: str
    parent: bool  # the row belongs to that one (goes when it goes): it can never move to another


@dataclass(frozen=True)
class Schema:
    columns: Mapping[str, Mapping[str, Column]]
    references: Mapping[str, Sequence[Reference]]


@dataclass(frozen=True)
class Counted:
    """What an import did with one table's rows."""

    added: int
    skipped: int  # already in the database (same id)


def read_conversation(db: Queries, conversation_id: str) -> dict[str, list[dict[str, Any]]]:
    """Every row that belongs to the conversation, table by table, in a stable order."""
    return {
        table: list(db.query(_SELECT[table], {"cid": conversation_id})) for table in BUNDLE_TABLES
    }


def schema(db: Queries) -> Schema:
    columns: dict[str, dict[str, Column]] = {}
    references: dict[str, list[Reference]] = {}
    for table in BUNDLE_TABLES:
        columns[table] = {}
        for info in db.query(f"PRAGMA table_info({table})"):
            primary = bool(info["pk"])
            not_null = bool(info["notnull"]) or primary
            columns[table][info["name"]] = Column(
                name=info["name"],
                kind=int if info["type"].upper() == "INTEGER" else str,
                required=not_null and info["dflt_value"] is None,
                nullable=not not_null,
            )
        references[table] = [
            Reference(column=fk["from"], table=fk["table"], parent=fk["on_delete"] == "CASCADE")
            for fk in db.query(f"PRAGMA foreign_key_list({table})")
        ]
    return Schema(columns=columns, references=references)


def insert_rows(
    db: Database, tables: Mapping[str, Sequence[Mapping[str, Any]]]
) -> dict[str, Counted]:
    """Insert the rows whose id the database does not have yet; leave the others as they are.

    Runs inside the caller's transaction. Foreign keys are checked when it commits, so rows may
    refer to one another in any order within the bundle.
    """
    known = schema(db).columns
    db.execute("PRAGMA defer_foreign_keys = ON")
    counts: dict[str, Counted] = {}
    for table in BUNDLE_TABLES:
        rows = tables.get(table, ())
        for row in rows:
            # Column names go into the SQL text, so only the schema's own are ever accepted.
            unknown = set(row) - set(known[table])
            if unknown:
                raise ValueError(f"{table} has no column {', '.join(sorted(unknown))}")
        present = _existing_ids(db, table, [row["id"] for row in rows])
        new = [row for row in rows if row["id"] not in present]
        for row in new:
            names = ", ".join(row)
            marks = ", ".join(f":{name}" for name in row)
            db.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", dict(row))
        counts[table] = Counted(added=len(new), skipped=len(rows) - len(new))
    return counts


def _existing_ids(db: Queries, table: str, ids: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        marks = ", ".join("?" for _ in chunk)
        found.update(
            row["id"] for row in db.query(f"SELECT id FROM {table} WHERE id IN ({marks})", chunk)
        )
    return found
