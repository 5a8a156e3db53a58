"""Merging conversations from several laptops: the SQL behind `appreciate import`.

Every row keeps its UUID, so the same row arriving from two laptops is recognised. What has to be
decided is which *version* of a row to keep, and every laptop has to decide it the same way, so
that whichever way the bundles travel they all end with the same record. Each version is known by
a digest of the whole row (`row_digest`), and each database remembers, in `row_versions`, the
versions of a row it has held, exported or been sent, and which of them lost a conflict. A bundle
carries, beside each row, the versions its laptop had (`history`) and those that lost (`lost`).
So, for an incoming row:

- not here yet: it is added (unless it was erased here: an erasure is never undone by an import);
- one this database already has, has had, or says the same as the one here but for when it was
  written: nothing changes (skipped; of two copies that differ only in their timestamps every
  laptop keeps the same one, chosen as a conflict's winner is);
- the sender had this database's version and changed it since: the incoming version is taken
  (updated), provided it is not older than the one here;
- both changed it since they last had the same version, or the sender says the version here lost
  a conflict on its laptop: a **conflict**. The newer `updated_at` wins (between equally new ones,
  the larger digest: any rule every laptop applies alike would do), the conflict is reported, and
  a note whose words lose keeps them as an earlier version in `note_revisions`: the same revision,
  with the same id, on every laptop that meets the conflict, so nothing said is lost and a
  conflict met on two laptops keeps one revision, not two.

A row is never moved: an incoming row whose id is here under another parent (a note in another
conversation or under another question, a follow-up under another question, a revision of
another note…) refuses the whole merge (`RowElsewhere`). Rows that never change once written
(note revisions, shares, redaction terms) are only ever added. A redacted bundle only adds: its
rows are copies with words taken out, never an edit. Everything runs inside the caller's
transaction; foreign keys are checked when it commits.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from appreciate_tui.store import insights
from appreciate_tui.store.transfer import (
    BUNDLE_TABLES,
    Reference,
    Schema,
    read_conversation,
    schema,
)

if TYPE_CHECKING:
    from sqlite_utils import Database

    from appreciate_tui.store.reading import Queries

_CHUNK = 500
# Rows that are written once and never edited: only ever added.
IMMUTABLE = frozenset({"note_revisions", "shares", "redaction_terms"})
# Which erasure kinds keep which rows out (store/erasure.py records them in `erasures`).
_ERASED_KINDS = {"conversations": "conversation", "notes": "note", "participants": "participant"}
# What two versions of a row may differ in and still say the same: when each laptop wrote it, and
# a note's checksum, which follows its words.
_NOT_SAID = frozenset({"created_at", "updated_at", "sha256"})
# What a note revision keeps of the words a note had (as `Store.update_note` records them).
_WORDS = ("body", "stance", "agency", "participant_id")
# The namespace of the ids of revisions that keep a conflict's losing words (`_keep_as_revision`).
_LOSING_WORDS = uuid.UUID("d2be1b95-f9b3-4b6a-a7a4-aa484a6ac1e3")


@dataclass(frozen=True)
class Conflict:
    """One row both sides changed since they last had the same version."""

    table: str
    row_id: str
    conversation_id: str
    kept: str  # "here" or "imported"
    here_updated_at: str
    imported_updated_at: str
    fields: tuple[str, ...]  # what the two versions say differently
    earlier_version: bool  # the losing words are kept as an earlier version of the note


class RowElsewhere(Exception):
    """An incoming row whose id belongs here to another conversation, question, note or action:
    an import never moves a row, so nothing of the merge is kept."""


@dataclass
class TableMerge:
    """What merging did with one table's rows of one bundle."""

    added: int = 0
    updated: int = 0
    skipped: int = 0  # already here, or superseded here
    refused: int = 0  # erased here, so not brought back
    conflicts: list[Conflict] = field(default_factory=list)


# One encoder for every digest: `json.dumps` with these options would make a new one per row.
_DIGEST_TEXT = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode


def row_digest(row: Mapping[str, Any]) -> str:
    """The version of a row: a digest of every column's value (never stored with the text)."""
    text = _DIGEST_TEXT(row if type(row) is dict else dict(row))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _chunks(values: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _rows_by_id(db: Queries, table: str, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for chunk in _chunks(ids):
        marks = ", ".join("?" for _ in chunk)
        for row in db.query(f"SELECT * FROM {table} WHERE id IN ({marks})", list(chunk)):
            found[row["id"]] = row
    return found


def _versions(db: Queries, table: str, ids: Sequence[str]) -> dict[str, dict[str, bool]]:
    """The versions remembered of each row: digest → whether it lost a conflict."""
    found: dict[str, dict[str, bool]] = {}
    for chunk in _chunks(ids):
        marks = ", ".join("?" for _ in chunk)
        for row in db.query(
            "SELECT row_id, digest, lost FROM row_versions "
            f"WHERE table_name = ? AND row_id IN ({marks})",
            [table, *chunk],
        ):
            found.setdefault(row["row_id"], {})[row["digest"]] = bool(row["lost"])
    return found


def remember(db: Database, table: str, versions: Iterable[tuple[str, str]]) -> None:
    """Record versions (row id, digest) of a table's rows as held here."""
    db.conn.executemany(
        "INSERT OR IGNORE INTO row_versions (table_name, row_id, digest) VALUES (?, ?, ?)",
        [(table, row_id, digest) for row_id, digest in versions],
    )


def _remember_lost(db: Database, table: str, versions: Iterable[tuple[str, str]]) -> None:
    """Record versions (row id, digest) of a table's rows as ones that lost a conflict."""
    db.conn.executemany(
        "INSERT INTO row_versions (table_name, row_id, digest, lost) VALUES (?, ?, ?, 1) "
        "ON CONFLICT (table_name, row_id, digest) DO UPDATE SET lost = 1",
        [(table, row_id, digest) for row_id, digest in versions],
    )


def conversation_versions(db: Queries, conversation_id: str) -> dict[str, list[tuple[str, str]]]:
    """The current version (row id, digest) of every row of a conversation, table by table."""
    return {
        table: [(row["id"], row_digest(row)) for row in rows]
        for table, rows in read_conversation(db, conversation_id).items()
        if rows
    }


def remember_conversation(db: Database, conversation_id: str) -> None:
    """Record the current version of every row of a conversation (when it is exported): if it
    comes back unchanged from another laptop, it is recognised as already here."""
    for table, versions in conversation_versions(db, conversation_id).items():
        remember(db, table, versions)


def history(db: Queries, conversation_id: str) -> dict[str, dict[str, dict[str, list[str]]]]:
    """For a bundle: the earlier versions this database has had of each row of a conversation
    (`history`; the current version is not listed, it is the row itself), and those of them that
    lost a conflict (`lost`), each table → row id → digests. Rows with none are left out."""
    earlier: dict[str, dict[str, list[str]]] = {}
    lost: dict[str, dict[str, list[str]]] = {}
    for table, rows in read_conversation(db, conversation_id).items():
        current = {row["id"]: row_digest(row) for row in rows}
        for row_id, known in sorted(_versions(db, table, list(current)).items()):
            before = sorted(set(known) - {current[row_id]})
            if before:
                earlier.setdefault(table, {})[row_id] = before
            lost_ones = [digest for digest in before if known[digest]]
            if lost_ones:
                lost.setdefault(table, {})[row_id] = lost_ones
    return {"history": earlier, "lost": lost}


def _erased(db: Queries) -> dict[str, set[str]]:
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


# What each insert trigger on `notes` does for one note (store/schema/indexes.py), done here for many at once:
# the notes' full-text index, the insights' word index (`note_themes`) and the live-note tallies.
# The full-text indexes take the notes in rowid order: given one lower than the last, they write
# what they hold so far to disk first (forty thousand notes out of order: 2 s; in order: 0.4 s).
_NOTE_INDEXES: dict[str, str | Callable[[Database, str, dict[str, Any]], None]] = {
    "notes_ai": "INSERT INTO notes_fts (rowid, body) SELECT rowid, body FROM notes WHERE {added} "
    "ORDER BY rowid",
    "note_themes_ai": (
        f"INSERT INTO note_themes (rowid, {', '.join(insights.STANCE_COLUMNS)}) SELECT rowid, "
        + ", ".join(f"CASE WHEN stance = '{s}' THEN body END" for s in insights.STANCE_COLUMNS)
        + " FROM notes WHERE deleted_at IS NULL AND {added} ORDER BY rowid"
    ),
    "note_tallies_ai": (
        "INSERT INTO note_tallies (conversation_id, live) SELECT conversation_id, count(*) "
        "FROM notes WHERE deleted_at IS NULL AND {added} GROUP BY conversation_id "
        "ON CONFLICT (conversation_id) DO UPDATE SET live = live + excluded.live"
    ),
    # The insights' tallies (schema m016) take more than one statement: done by their own code.
    "note_insight_tallies_ai": insights.count_added_notes,
    "theme_term_tallies_ai": insights.tally_added_note_terms,
}
# The notes added since the last indexing: a new row's rowid is one more than the largest
# (SQLite's rule), so they are the rows after it; checked by their number, else found by id.
_ADDED_AFTER = "rowid > :after"
_ADDED_IDS = "id IN (SELECT value FROM json_each(:ids))"


class NotesToIndex(list[str]):
    """The ids of notes added while the notes' insert triggers are set aside, not yet indexed
    (`note_triggers_set_aside`)."""

    def __init__(self, db: Database, triggers: Iterable[str]) -> None:
        super().__init__()
        self._db = db
        self._triggers = list(triggers)
        self._after = self._last_rowid()

    def _last_rowid(self) -> int:
        return self._db.execute("SELECT coalesce(max(rowid), 0) FROM notes").fetchone()[0]

    def index_now(self) -> None:
        """Do for the notes listed what their insert triggers would have done, in one statement
        each; the list is then empty. Called before any of them is changed (the update triggers
        expect an indexed note) and at the end."""
        if not self:
            return
        after = self._db.execute(
            f"SELECT count(*) FROM notes WHERE {_ADDED_AFTER}", {"after": self._after}
        ).fetchone()[0]
        added = _ADDED_AFTER if after == len(self) else _ADDED_IDS
        values = {"after": self._after, "ids": json.dumps(self)}
        for name in self._triggers:
            index = _NOTE_INDEXES[name]
            if callable(index):
                index(self._db, added, values)
            else:
                self._db.execute(index.format(added=added), values)
        self.clear()
        self._after = self._last_rowid()


@contextmanager
def note_triggers_set_aside(db: Database) -> Iterator[list[str]]:
    """For a large merge: the insert triggers on `notes` (full-text index, the insights' word
    index and tallies, the live-note tallies) work one note at a time, which for forty thousand notes took
    five times as long as inserting the notes; done for all of them at once, a fraction of a
    second. Inside the caller's transaction the triggers are set aside; the ids of inserted notes
    are collected in the list yielded (`merge_rows(..., inserted_notes=)`), indexed together
    (`NotesToIndex.index_now`), and the triggers are put back exactly as they were."""
    found = dict(
        db.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'notes' "
            f"AND name IN ({', '.join('?' for _ in _NOTE_INDEXES)})",
            list(_NOTE_INDEXES),
        ).fetchall()
    )
    pending = NotesToIndex(db, [name for name in _NOTE_INDEXES if name in found])
    for name in found:
        db.execute(f'DROP TRIGGER "{name}"')
    try:
        yield pending
        pending.index_now()
    finally:
        for sql in found.values():
            db.execute(sql)


def merge_rows(
    db: Database,
    tables: Mapping[str, Sequence[Mapping[str, Any]]],
    histories: Mapping[str, Mapping[str, Sequence[str]]] | None = None,
    lost: Mapping[str, Mapping[str, Sequence[str]]] | None = None,
    *,
    redacted: bool = False,
    bundle_schema: Schema | None = None,
    inserted_notes: list[str] | None = None,
) -> dict[str, TableMerge]:
    """Merge one bundle's rows (already checked against the schema) into the database.

    `histories` and `lost` are the bundle's `history` and `lost`: table → row id → earlier
    versions the sender had, and those of them that lost a conflict there. `bundle_schema` is
    `transfer.schema(db)`, read once for a run of many bundles; the ids of notes added are appended
    to `inserted_notes` (see `note_triggers_set_aside`). Raises `RowElsewhere` for a row that
    would move. Runs in the caller's transaction."""
    histories = histories or {}
    lost = lost or {}
    bundle_schema = bundle_schema or schema(db)
    erased = _erased(db)
    anything_erased = any(erased.values())
    db.execute("PRAGMA defer_foreign_keys = ON")
    result: dict[str, TableMerge] = {}
    for table in BUNDLE_TABLES:
        rows = list(tables.get(table, ()))
        counted = result[table] = TableMerge()
        if not rows:
            continue
        # Column names go into the SQL text, so only the schema's own are ever accepted.
        unknown = set().union(*rows) - bundle_schema.columns[table].keys()
        if unknown:
            raise ValueError(f"{table} has no column {', '.join(sorted(unknown))}")
        parents = [ref for ref in bundle_schema.references[table] if ref.parent]
        ids = [row["id"] for row in rows]
        here = _rows_by_id(db, table, ids)
        known_here = _versions(db, table, [i for i in ids if i in here])
        sent_history = histories.get(table, {})
        sent_lost = lost.get(table, {})
        inserts: list[Mapping[str, Any]] = []
        learned: list[tuple[str, str]] = []
        lost_learned: list[tuple[str, str]] = []
        for row in rows:
            row_id = row["id"]
            if anything_erased and _is_erased(table, row, erased):
                counted.refused += 1
                continue
            incoming = row_digest(row)
            sent = {*sent_history.get(row_id, ()), incoming}
            local = here.get(row_id)
            if local is None:
                inserts.append(row)
                learned += [(row_id, digest) for digest in sent]
                lost_learned += [(row_id, d) for d in sent_lost.get(row_id, ()) if d != incoming]
                continue
            _stays_in_place(table, row, local, parents)
            current = row_digest(local)
            seen_here = {*known_here.get(row_id, {}), current}
            if incoming in seen_here or table in IMMUTABLE or redacted:
                counted.skipped += 1
                if not redacted:
                    learned += [(row_id, digest) for digest in sent - seen_here]
                    lost_learned += [(row_id, d) for d in sent_lost.get(row_id, ()) if d != current]
                continue
            arriving = {**local, **row}  # a column the bundle leaves out stays as it is here
            differ = tuple(c for c in row if c not in _NOT_SAID and row[c] != local[c])
            imported_wins = (row["updated_at"], incoming) > (local["updated_at"], current)
            lost_there = current in sent_lost.get(row_id, ())
            conflict = bool(differ) and (current not in sent or lost_there)
            if differ and not conflict:
                # The sender had this version and changed it since: an update, unless older.
                take = row["updated_at"] >= local["updated_at"]
            else:
                # A conflict, or the same words written apart: every laptop keeps the same one.
                take = imported_wins
            if conflict:
                winner, loser, losing = (
                    (arriving, local, current) if take else (local, arriving, incoming)
                )
                lost_learned.append((row_id, losing))
                words_kept = table == "notes" and any(winner[w] != loser[w] for w in _WORDS)
                if words_kept:
                    _keep_as_revision(db, loser, losing, replaced_at=winner["updated_at"])
                counted.conflicts.append(
                    Conflict(
                        table=table,
                        row_id=row_id,
                        conversation_id=row.get("conversation_id") or row_id,
                        kept="imported" if take else "here",
                        here_updated_at=local["updated_at"],
                        imported_updated_at=row["updated_at"],
                        fields=differ,
                        earlier_version=words_kept,
                    )
                )
            if take:
                if table == "notes" and isinstance(inserted_notes, NotesToIndex):
                    # It may have come in earlier in this run: its update triggers need it indexed.
                    inserted_notes.index_now()
                _update(db, table, row)
            if take and differ:
                counted.updated += 1
            else:
                counted.skipped += 1
            kept = incoming if take else current
            learned += [(row_id, digest) for digest in (sent | {current})]
            lost_learned += [(row_id, d) for d in sent_lost.get(row_id, ()) if d != kept]
        _insert(db, table, inserts)
        if table == "notes" and inserted_notes is not None:
            inserted_notes.extend(row["id"] for row in inserts)
        counted.added = len(inserts)
        remember(db, table, learned)
        _remember_lost(db, table, lost_learned)
    return result


def _stays_in_place(
    table: str, row: Mapping[str, Any], local: Mapping[str, Any], parents: Sequence[Reference]
) -> None:
    """Refuse a row whose id is here under another parent: taking it would move that row (and
    its words) into another conversation, under another question, onto another note."""
    for parent in parents:
        if parent.column in row and row[parent.column] != local[parent.column]:
            raise RowElsewhere(
                f"{_one(table)} {row['id']} already belongs to another {_one(parent.table)} "
                "here; an import never moves a row"
            )


def _one(table: str) -> str:
    """'note revision' for note_revisions; 'feedback' stays itself."""
    name = table.replace("_", " ")
    return name[:-1] if name.endswith("s") else name


def _keep_as_revision(
    db: Database, note: Mapping[str, Any], version: str, *, replaced_at: str
) -> None:
    """Keep the words of a note's losing version (`version` is its digest) as an earlier version,
    dated when the winning version was written, as `Store.update_note` dates a revision by the edit
    that replaced it. Its id comes from the version it keeps, so every laptop that meets this
    conflict keeps the same revision, and one already here (made here, or come in a bundle) is not
    kept twice."""
    db.execute(
        "INSERT OR IGNORE INTO note_revisions (id, note_id, body, stance, agency, participant_id, "
        "revised_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [str(uuid.uuid5(_LOSING_WORDS, f"{note['id']} {version}")), note["id"],
         *(note[w] for w in _WORDS), replaced_at],
    )


def _insert(db: Database, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
    by_shape: dict[tuple[str, ...], list[Mapping[str, Any]]] = {}
    for row in rows:
        by_shape.setdefault(tuple(row), []).append(row)
    for names, group in by_shape.items():
        marks = ", ".join(f":{name}" for name in names)
        db.conn.executemany(
            f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})",
            [row if type(row) is dict else dict(row) for row in group],
        )


def _update(db: Database, table: str, row: Mapping[str, Any]) -> None:
    names = [name for name in row if name != "id"]
    assignments = ", ".join(f"{name} = :{name}" for name in names)
    db.execute(f"UPDATE {table} SET {assignments} WHERE id = :id", dict(row))
