"""Merging conversations from several laptops: the SQL behind `appreciate import`.

Every row keeps its UUID, so the same row arriving from two laptops is recognised. What has to be
decided is which *version* of a row to keep. Each version is known by a digest of the whole row
(`row_digest`), and each database remembers, in `row_versions`, the versions of a row it has
held, exported or been sent. A bundle carries, beside each row, the versions its laptop had
(`history`). So, for an incoming row:

- not here yet: it is added (unless it was erased here: an erasure is never undone by an import);
- the same version as here, or one this database has already had: nothing to do (skipped);
- the sender had this database's version and changed it since: the incoming version is taken
  (updated), provided it is not older than the one here;
- both changed it since they last had the same version: a **conflict**. The newer `updated_at`
  wins (the one here, when they are equally new), the conflict is reported, and a note whose
  words lose keeps them as an earlier version in `note_revisions`, so nothing said is lost.

Rows that never change once written (note revisions, shares, redaction terms) are only ever
added. A redacted bundle only adds: its rows are copies with words taken out, never an edit.
Everything runs inside the caller's transaction; foreign keys are checked when it commits.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from appreciate_tui.store import insights
from appreciate_tui.store.transfer import BUNDLE_TABLES, read_conversation, schema

_CHUNK = 500
# Rows that are written once and never edited: only ever added.
IMMUTABLE = frozenset({"note_revisions", "shares", "redaction_terms"})
# Which erasure kinds keep which rows out (store/erasure.py records them in `erasures`).
_ERASED_KINDS = {"conversations": "conversation", "notes": "note", "participants": "participant"}


@dataclass(frozen=True)
class Conflict:
    """One row both sides changed since they last had the same version."""

    table: str
    row_id: str
    conversation_id: str
    kept: str  # "here" or "imported"
    here_updated_at: str
    imported_updated_at: str


@dataclass
class TableMerge:
    """What merging did with one table's rows of one bundle."""

    added: int = 0
    updated: int = 0
    skipped: int = 0  # already here, or superseded here
    refused: int = 0  # erased here, so not brought back
    conflicts: list[Conflict] = field(default_factory=list)


def row_digest(row: Mapping[str, Any]) -> str:
    """The version of a row: a digest of every column's value (never stored with the text)."""
    text = json.dumps(dict(row), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _chunks(values: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _rows_by_id(db: Database, table: str, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for chunk in _chunks(ids):
        marks = ", ".join("?" for _ in chunk)
        for row in db.query(f"SELECT * FROM {table} WHERE id IN ({marks})", list(chunk)):
            found[row["id"]] = row
    return found


def _versions(db: Database, table: str, ids: Sequence[str]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for chunk in _chunks(ids):
        marks = ", ".join("?" for _ in chunk)
        for row in db.query(
            f"SELECT row_id, digest FROM row_versions WHERE table_name = ? AND row_id IN ({marks})",
            [table, *chunk],
        ):
            found.setdefault(row["row_id"], set()).add(row["digest"])
    return found


def remember(db: Database, table: str, versions: Iterable[tuple[str, str]]) -> None:
    """Record versions (row id, digest) of a table's rows as held here."""
    db.conn.executemany(
        "INSERT OR IGNORE INTO row_versions (table_name, row_id, digest) VALUES (?, ?, ?)",
        [(table, row_id, digest) for row_id, digest in versions],
    )


def remember_conversation(db: Database, conversation_id: str) -> None:
    """Record the current version of every row of a conversation (when it is exported): if it
    comes back unchanged from another laptop, it is recognised as already here."""
    for table, rows in read_conversation(db, conversation_id).items():
        remember(db, table, ((row["id"], row_digest(row)) for row in rows))


def history(db: Database, conversation_id: str) -> dict[str, dict[str, list[str]]]:
    """For a bundle: the earlier versions this database has had of each row of a conversation
    (the current version is not listed; it is the row itself). Rows with none are left out."""
    found: dict[str, dict[str, list[str]]] = {}
    for table, rows in read_conversation(db, conversation_id).items():
        current = {row["id"]: row_digest(row) for row in rows}
        known = _versions(db, table, list(current))
        earlier = {
            row_id: sorted(digests - {current[row_id]})
            for row_id, digests in known.items()
            if digests - {current[row_id]}
        }
        if earlier:
            found[table] = dict(sorted(earlier.items()))
    return found


def _erased(db: Database) -> dict[str, set[str]]:
    erased: dict[str, set[str]] = {kind: set() for kind in _ERASED_KINDS.values()}
    for row in db.query("SELECT kind, target_id FROM erasures WHERE target_id IS NOT NULL"):
        if row["kind"] in erased:
            erased[row["kind"]].add(row["target_id"])
    return erased


def _is_erased(table: str, row: Mapping[str, Any], erased: Mapping[str, set[str]]) -> bool:
    if row.get("conversation_id") in erased["conversation"]:
        return True
    if table == "conversations" and row["id"] in erased["conversation"]:
        return True
    kind = _ERASED_KINDS.get(table)
    if kind is not None and row["id"] in erased[kind]:
        return True
    return table in ("note_revisions", "scores", "outcome_links") and (
        row.get("note_id") in erased["note"]
    )


@contextmanager
def theme_trigger_set_aside(db: Database) -> Iterator[list[str]]:
    """For a large merge: the insights' word index (`note_themes`) is fed by a trigger on every
    note inserted, four times slower than indexing the new notes at once. Inside the caller's
    transaction, the trigger is set aside, the ids of inserted notes are collected in the list
    yielded, indexed together at the end, and the trigger is put back as it was."""
    found = db.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'note_themes_ai'"
    ).fetchone()
    if found is None:
        yield []
        return
    db.execute("DROP TRIGGER note_themes_ai")
    inserted: list[str] = []
    try:
        yield inserted
        insights.index_notes(db, inserted)
    finally:
        db.execute(found[0])


def merge_rows(
    db: Database,
    tables: Mapping[str, Sequence[Mapping[str, Any]]],
    histories: Mapping[str, Mapping[str, Sequence[str]]] | None = None,
    *,
    redacted: bool = False,
    stamp: str,
    columns: Mapping[str, Mapping[str, Any]] | None = None,
    inserted_notes: list[str] | None = None,
) -> dict[str, TableMerge]:
    """Merge one bundle's rows (already checked against the schema) into the database.

    `histories` is the bundle's `history`: table → row id → earlier versions the sender had.
    `stamp` is when this merge happens (a losing note's words are kept as a revision then).
    `columns` is `transfer.schema(db).columns`, read once for a run of many bundles; the ids of
    notes added are appended to `inserted_notes` (see `theme_trigger_set_aside`).
    Runs in the caller's transaction."""
    histories = histories or {}
    columns = columns or schema(db).columns
    erased = _erased(db)
    db.execute("PRAGMA defer_foreign_keys = ON")
    result: dict[str, TableMerge] = {}
    for table in BUNDLE_TABLES:
        rows = list(tables.get(table, ()))
        counted = result[table] = TableMerge()
        for row in rows:
            # Column names go into the SQL text, so only the schema's own are ever accepted.
            unknown = set(row) - set(columns[table])
            if unknown:
                raise ValueError(f"{table} has no column {', '.join(sorted(unknown))}")
        if not rows:
            continue
        ids = [row["id"] for row in rows]
        here = _rows_by_id(db, table, ids)
        known_here = _versions(db, table, [i for i in ids if i in here])
        sent_history = histories.get(table, {})
        inserts: list[Mapping[str, Any]] = []
        learned: list[tuple[str, str]] = []
        for row in rows:
            row_id = row["id"]
            if _is_erased(table, row, erased):
                counted.refused += 1
                continue
            incoming = row_digest(row)
            sent = set(sent_history.get(row_id, ())) | {incoming}
            local = here.get(row_id)
            if local is None:
                inserts.append(row)
                learned += [(row_id, digest) for digest in sent]
                continue
            current = row_digest(local)
            seen_here = known_here.get(row_id, set()) | {current}
            if incoming in seen_here or table in IMMUTABLE or redacted:
                counted.skipped += 1
                learned += [(row_id, digest) for digest in sent - seen_here] if not redacted else []
                continue
            changed_here = current not in sent
            newer = row["updated_at"] > local["updated_at"]
            take = newer or (row["updated_at"] == local["updated_at"] and not changed_here)
            if changed_here:
                counted.conflicts.append(
                    Conflict(
                        table=table,
                        row_id=row_id,
                        conversation_id=row.get("conversation_id") or row_id,
                        kept="imported" if take else "here",
                        here_updated_at=local["updated_at"],
                        imported_updated_at=row["updated_at"],
                    )
                )
            if take:
                if changed_here and table == "notes" and _words_differ(local, row):
                    _keep_as_revision(db, local, stamp)
                _update(db, table, row)
                counted.updated += 1
            else:
                counted.skipped += 1
            learned += [(row_id, digest) for digest in (sent | {current})]
        _insert(db, table, inserts)
        if table == "notes" and inserted_notes is not None:
            inserted_notes.extend(row["id"] for row in inserts)
        counted.added = len(inserts)
        remember(db, table, learned)
    return result


def _words_differ(local: Mapping[str, Any], incoming: Mapping[str, Any]) -> bool:
    keys = ("body", "stance", "agency", "participant_id")
    return any(local.get(key) != incoming.get(key) for key in keys)


def _keep_as_revision(db: Database, note: Mapping[str, Any], stamp: str) -> None:
    db.execute(
        "INSERT INTO note_revisions (id, note_id, body, stance, agency, participant_id, "
        "revised_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [str(uuid.uuid4()), note["id"], note["body"], note["stance"], note["agency"],
         note["participant_id"], stamp],
    )


def _insert(db: Database, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
    by_shape: dict[tuple[str, ...], list[Mapping[str, Any]]] = {}
    for row in rows:
        by_shape.setdefault(tuple(row), []).append(row)
    for names, group in by_shape.items():
        marks = ", ".join(f":{name}" for name in names)
        db.conn.executemany(
            f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})", [dict(r) for r in group]
        )


def _update(db: Database, table: str, row: Mapping[str, Any]) -> None:
    names = [name for name in row if name != "id"]
    assignments = ", ".join(f"{name} = :{name}" for name in names)
    db.execute(f"UPDATE {table} SET {assignments} WHERE id = :id", dict(row))
