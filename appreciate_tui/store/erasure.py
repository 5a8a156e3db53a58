"""Erasure that really erases, retention, and erasing a person's name (DESIGN.md section 5;
reliability.md sections 1.7 and 6.2).

Deleting a row is not enough to remove its text from an SQLite file. What this module does, in
order, every time something is erased:

1. the rows go, in one `BEGIN IMMEDIATE` transaction, with a record in `erasures` that says what
   kind of thing went, its id and how many rows, and never what it said;
2. each full-text index is merged (`INSERT INTO x_fts(x_fts) VALUES('optimize')`): a deleted
   note's words otherwise stay in the index pages (SQLite 3.40 has no FTS5 secure-delete);
3. `VACUUM` rebuilds the file from the live rows only (`secure_delete` is also on, so freed
   pages are zeroed as they are freed);
4. `PRAGMA wal_checkpoint(TRUNCATE)` empties the write-ahead log, which otherwise keeps old copies
   of every page it changed. Another program reading the database at that moment can hold the
   log open: the erasure is then recorded as incomplete and `Erasure.problem` says so.

Backups taken afterwards are copies of the scrubbed file. Older backups still hold what was
erased: `backups_holding` names them (the record of erasures says what to look for), and
`drop_backups` replaces them by one fresh backup.

Files appreciate wrote into its own exports folder (an export named for its conversation, a copy
that could not reach the clipboard) that hold what was erased are overwritten and removed with it:
they are copies appreciate made, and exporting again gives one without it. Anything else in that
folder holding it was put there by someone else; it is named, and left alone.

Where people's words are kept and how a name is found in them is store/free_text.py's; looking
into backups and the exports folder is store/copies.py's.
"""

from __future__ import annotations

import calendar
import json
import time
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from appreciate_tui import domain, paths
from appreciate_tui.domain import Conversation, Share
from appreciate_tui.store import cipher, rows, safety
from appreciate_tui.store.copies import (
    ExportFiles,
    backup_holds,
    exports_holding,
    kept_copies,
    remove_exports,
)
from appreciate_tui.store.free_text import (
    JSON_LISTS,
    MIN_DRAFT_MATCH,
    NamePattern,
    content_tables,
    free_text_columns,
    fts_tables,
    name_pattern,
    name_terms,
)

if TYPE_CHECKING:
    # Everything an erasure asks of the store is in its table groups (store/collection.py and
    # the groups it builds on).
    from appreciate_tui.store.collection import Collection as Store

NAME_REMOVED = "[name removed]"
CHECKPOINT_WAIT_MS = 200
CHECKPOINT_TRIES = 5


@dataclass(frozen=True)
class Erasure:
    """What an erasure did. `complete` is False when the text may still be in the write-ahead log
    (another program was reading the database); `problem` then says what to do."""

    kind: str
    target_ids: tuple[str, ...]
    rows_removed: int
    texts_changed: int = 0
    complete: bool = True
    problem: str | None = None
    exports_removed: tuple[Path, ...] = ()  # files appreciate wrote holding it, now gone
    exports_left: tuple[Path, ...] = ()  # files someone else put in the exports folder


@dataclass(frozen=True)
class DueConversation:
    """A conversation past the retention period."""

    conversation: Conversation
    last_activity: str  # YYYY-MM-DD: the later of its date and the day it ended
    notes: int
    shares: int


# ---------------------------------------------------------------- retention


def months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier (the 31st becomes the month's last day)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def cutoff(*, days: int | None = None, months: int | None = None, today: date | None = None) -> date:
    """The first day that is still kept: anything whose last activity is before it is due."""
    today = today or domain.now().date()
    if days is not None:
        if days < 0:
            raise ValueError("a retention period cannot be negative")
        return date.fromordinal(today.toordinal() - days)
    if months is None or months < 1:
        raise ValueError("a retention period is at least one month")
    return months_before(today, months)


_LAST_ACTIVITY = "max(c.date, coalesce(substr(c.ended_at, 1, 10), ''))"


def due(store: Store, *, days: int | None = None, months: int | None = None,
        today: date | None = None) -> list[DueConversation]:
    """Conversations (deleted ones too) whose date, or the day they ended if later, is before the
    cutoff: the oldest first."""
    first_kept = cutoff(days=days, months=months, today=today).isoformat()
    found = []
    for row in store.reads.query(
        f"SELECT c.*, {_LAST_ACTIVITY} AS last_activity, "
        "(SELECT count(*) FROM notes n WHERE n.conversation_id = c.id) AS note_count, "
        "(SELECT count(*) FROM shares s WHERE s.conversation_id = c.id) AS share_count "
        f"FROM conversations c WHERE {_LAST_ACTIVITY} < :first_kept "
        "ORDER BY last_activity, c.created_at",
        {"first_kept": first_kept},
    ):
        found.append(
            DueConversation(rows.conversation(row), row["last_activity"], row["note_count"],
                            row["share_count"])
        )
    return found


# ---------------------------------------------------------------- scrubbing the file


def scrub(store: Store) -> tuple[bool, str | None]:
    """Merge the full-text indexes, rebuild the file and empty the write-ahead log, so that text
    deleted before this call is in none of the database's files. (complete, problem)."""
    conn = store.conn
    with store.atomic():
        for table in fts_tables(conn):
            store.db.execute(f'INSERT INTO "{table}"("{table}") VALUES (\'optimize\')')
    try:
        conn.execute("VACUUM")
    except cipher.ERRORS as exc:
        return False, f"the file could not be rebuilt ({exc}); run the erasure again later"
    wal = store.path.with_name(store.path.name + "-wal")
    # A reader holding the log makes each attempt wait for the busy timeout: a short one here, so
    # the facilitator hears within a second or two instead of half a minute.
    waited = conn.execute("PRAGMA busy_timeout").fetchone()[0]
    conn.execute(f"PRAGMA busy_timeout = {CHECKPOINT_WAIT_MS}")
    try:
        for attempt in range(CHECKPOINT_TRIES):
            try:
                busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
            except cipher.ERRORS:
                busy = 1
            if not busy and (not wal.exists() or wal.stat().st_size == 0):
                return True, None
            time.sleep(0.05 * (attempt + 1))
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(waited)}")
    return False, (
        "another program is reading this database, so the erased text is still in its journal "
        f"({wal.name}); it is removed when that program closes, or run the erasure again then"
    )


def _record(store: Store, kind: str, *, target_id: str | None, conversation_id: str | None,
            reason: str, rows_removed: int, texts_changed: int = 0, shares: int = 0) -> str:
    erasure_id = str(uuid.uuid4())
    store.db.execute(
        "INSERT INTO erasures (id, kind, target_id, conversation_id, reason, rows_removed, "
        "texts_changed, shares_recorded, complete, erased_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?)",
        [erasure_id, kind, target_id, conversation_id, reason, rows_removed, texts_changed, shares,
         domain.utc_now()],
    )
    return erasure_id


def _finish(store: Store, kind: str, targets: Sequence[str], records: Sequence[str],
            rows_removed: int, texts_changed: int = 0) -> Erasure:
    complete, problem = scrub(store)
    if not complete and records:
        marks = ", ".join("?" for _ in records)
        with store.atomic():
            store.db.execute(f"UPDATE erasures SET complete = 0 WHERE id IN ({marks})", list(records))
    return Erasure(kind, tuple(targets), rows_removed, texts_changed, complete, problem)


def _check_reason(reason: str) -> str:
    if reason not in ("request", "retention"):
        raise ValueError("the reason for an erasure is 'request' or 'retention'")
    return reason


# ---------------------------------------------------------------- conversations, notes, participants


def _conversation_tables(store: Store) -> list[str]:
    """Tables whose rows belong to one conversation (they have a conversation_id column)."""
    return [
        table
        for table in content_tables(store.conn)
        if table != "conversations"
        and "conversation_id" in {row[1] for row in store.reads.execute(f'PRAGMA table_info("{table}")')}
    ]


def erase_conversations(store: Store, conversation_ids: Iterable[str], *,
                        reason: str = "request") -> Erasure:
    """Erase whole conversations: every note and its earlier versions, question, participant,
    action, score, feedback, draft, redaction term, outcome link and record of shares."""
    reason = _check_reason(reason)
    ids = list(dict.fromkeys(conversation_ids))
    removed = 0
    records = []
    said: list[str] = []
    with store.atomic():
        tables = _conversation_tables(store)
        for cid in ids:
            store.get_conversation(cid)  # NotFound before anything is deleted
            said += _note_texts(store, "n.conversation_id = ?", [cid])
            rows_here = 1 + store.reads.execute(
                "SELECT count(*) FROM note_revisions WHERE note_id IN "
                "(SELECT id FROM notes WHERE conversation_id = ?)", [cid]
            ).fetchone()[0]
            shares = 0
            for table in tables:
                count = store.reads.execute(
                    f'SELECT count(*) FROM "{table}" WHERE conversation_id = ?', [cid]
                ).fetchone()[0]
                rows_here += count
                shares = count if table == "shares" else shares
            store.db.execute(
                "DELETE FROM note_revisions WHERE note_id IN "
                "(SELECT id FROM notes WHERE conversation_id = ?)", [cid]
            )
            # Children before parents; the foreign keys would cascade anyway, and the full-text
            # triggers fire either way.
            for table in sorted(tables, key=lambda t: t in ("questions", "participants")):
                store.db.execute(f'DELETE FROM "{table}" WHERE conversation_id = ?', [cid])
            store.db.execute("DELETE FROM conversations WHERE id = ?", [cid])
            # Recorded after the rows went: a trigger on `erasures` may merge an index at once.
            records.append(_record(store, "conversation", target_id=cid, conversation_id=cid,
                                   reason=reason, rows_removed=rows_here, shares=shares))
            removed += rows_here
    result = _finish(store, "conversation", ids, records, removed)
    return _clear_exports(result, exports_holding(conversations=ids, texts=said, only_in=ids))


def _note_texts(store: Store, where: str, params: list[Any]) -> list[str]:
    """The bodies of the notes `where` selects (alias `n`), with their earlier versions."""
    return [row[0] for row in store.reads.execute(
        f"SELECT n.body FROM notes n WHERE {where} UNION ALL SELECT r.body FROM note_revisions r "
        f"JOIN notes n ON n.id = r.note_id WHERE {where}", params + params
    )]


def erase_note(store: Store, note_id: str, *, reason: str = "request") -> Erasure:
    """Erase one note, its earlier versions, and any unsaved draft that holds its text."""
    reason = _check_reason(reason)
    with store.atomic():
        note = store.get_note(note_id)
        texts = [note.body] + [r.body for r in store.note_revisions(note_id)]
        drafts = 0
        for text in texts:
            # A draft holding the note's text, or the beginning of it typed before it was saved.
            drafts += store.db.execute(
                "DELETE FROM drafts WHERE conversation_id = ? AND (instr(body, ?) > 0 "
                "OR (length(body) >= ? AND instr(?, body) > 0))",
                [note.conversation_id, text, MIN_DRAFT_MATCH, text],
            ).rowcount
        revisions = store.db.execute("DELETE FROM note_revisions WHERE note_id = ?", [note_id]).rowcount
        store.db.execute("DELETE FROM notes WHERE id = ?", [note_id])
        removed = 1 + revisions + drafts
        record = _record(store, "note", target_id=note_id, conversation_id=note.conversation_id,
                         reason=reason, rows_removed=removed)
    result = _finish(store, "note", [note_id], [record], removed)
    return _clear_exports(result, exports_holding(texts=texts, only_in=[note.conversation_id]))


def erase_participant(store: Store, participant_id: str, *, reason: str = "request") -> Erasure:
    """Erase a participant's record. Where their name was typed in that conversation it becomes
    their pseudonym first; notes they said stay, no longer attributed."""
    reason = _check_reason(reason)
    pattern = None
    with store.atomic():
        participant = store.get_participant(participant_id)
        changed = 0
        if participant.name.strip():
            pattern = name_pattern([participant.name])
            changed = _replace_everywhere(
                store, pattern, {participant.conversation_id: participant.pseudonym},
                only_conversation=participant.conversation_id,
            )
        store.db.execute("DELETE FROM participants WHERE id = ?", [participant_id])
        record = _record(store, "participant", target_id=participant_id,
                         conversation_id=participant.conversation_id, reason=reason,
                         rows_removed=1, texts_changed=changed)
    result = _finish(store, "participant", [participant_id], [record], 1, changed)
    if pattern is None:
        return result
    return _clear_exports(
        result, exports_holding(pattern=pattern, only_in=[participant.conversation_id])
    )


# ---------------------------------------------------------------- a person's name, everywhere


def _conversation_of(conn: Any, table: str) -> str:
    """An SQL expression for the conversation a row of `table` (aliased `t`) belongs to."""
    if table == "conversations":
        return "t.id"
    columns = {row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')}
    if "conversation_id" in columns:
        return "t.conversation_id"
    if "note_id" in columns:
        return "(SELECT n.conversation_id FROM notes n WHERE n.id = t.note_id)"
    return "NULL"


def _replace_everywhere(store: Store, pattern: NamePattern, pseudonyms: dict[str, str], *,
                        only_conversation: str | None = None) -> int:
    """Replace every match in every free-text column: by the person's pseudonym in a conversation
    they took part in, else by NAME_REMOVED. Notes get a new checksum; the full-text triggers
    re-index what changed. Returns how many texts changed."""
    changed = 0
    for table, columns in free_text_columns(store.conn).items():
        owner = _conversation_of(store.conn, table)
        if only_conversation and owner == "NULL":
            continue
        where = f"WHERE {owner} = :cid" if only_conversation else ""
        quoted = ", ".join(f't."{column}"' for column in columns)
        selected = store.reads.execute(
            f'SELECT t.rowid, {owner} AS cid, {quoted} FROM "{table}" t {where}',
            {"cid": only_conversation},
        ).fetchall()
        for row in selected:
            rowid, cid, values = row[0], row[1], row[2:]
            replacement = pseudonyms.get(cid, NAME_REMOVED)
            updates: dict[str, Any] = {}
            for column, value in zip(columns, values):
                if not isinstance(value, str) or not pattern.search(
                    value if (table, column) not in JSON_LISTS else " ".join(json.loads(value or "[]"))
                ):
                    continue
                if (table, column) in JSON_LISTS:
                    items = [pattern.replace(str(item), replacement)
                             for item in json.loads(value or "[]")]
                    updates[column] = json.dumps(items)
                else:
                    updates[column] = pattern.replace(value, replacement)
            if not updates:
                continue
            if table == "redaction_terms":
                # A redaction term that is the name itself has nothing left to protect.
                store.db.execute("DELETE FROM redaction_terms WHERE rowid = ?", [rowid])
                changed += 1
                continue
            if table == "notes" and "body" in updates:
                updates["sha256"] = rows.body_digest(updates["body"])
            assignments = ", ".join(f'"{column}" = :{column}' for column in updates)
            store.db.execute(
                f'UPDATE "{table}" SET {assignments} WHERE rowid = :_rowid',
                {**updates, "_rowid": rowid},
            )
            changed += 1
    return changed


@dataclass(frozen=True)
class PersonFound:
    """Where a name is, before it is erased."""

    terms: list[str]
    participant_ids: list[str]
    conversation_ids: list[str]  # taking part, or named in the text
    texts: int  # how many texts mention it


def find_person(store: Store, name: str, also: Iterable[str] = ()) -> PersonFound:
    terms = name_terms(name, also)
    pattern = name_pattern(terms)
    # The person's own participant records: the whole recorded name is one of the terms. (Another
    # name that merely contains it, "Jane Smith-Jones", is text to replace, not this person.)
    participants = [
        row for row in store.reads.execute("SELECT id, conversation_id, name FROM participants")
        if row[2] and pattern.is_whole(row[2])
    ]
    conversations = {row[1] for row in participants}
    texts = 0
    for table, columns in free_text_columns(store.conn).items():
        owner = _conversation_of(store.conn, table)
        quoted = ", ".join(f't."{column}"' for column in columns)
        for row in store.reads.execute(f'SELECT {owner}, {quoted} FROM "{table}" t'):
            hits = [v for v in row[1:] if isinstance(v, str) and pattern.search(v)]
            if hits:
                texts += len(hits)
                if row[0]:
                    conversations.add(row[0])
    return PersonFound(terms, [row[0] for row in participants], sorted(conversations), texts)


def erase_person(store: Store, name: str, also: Iterable[str] = (), *,
                 reason: str = "request") -> Erasure:
    """Remove a name from everything in the database: a participant record's name (their
    pseudonym stays), and every note, earlier version, draft, question, action, feedback comment,
    record of shares and conversation detail that mentions it, where it becomes the pseudonym
    (or "[name removed]" in a conversation the person did not take part in)."""
    reason = _check_reason(reason)
    terms = name_terms(name, also)
    pattern = name_pattern(terms)
    with store.atomic():
        found = find_person(store, name, also)
        pseudonyms: dict[str, str] = {}
        for participant_id in found.participant_ids:
            participant = store.get_participant(participant_id)
            pseudonym = participant.pseudonym
            if pattern.search(pseudonym):  # someone used the name as the pseudonym
                pseudonym = store.next_pseudonym(participant.conversation_id, participant.agency)
                store.db.execute("UPDATE participants SET pseudonym = ? WHERE id = ?",
                                 [pseudonym, participant_id])
            pseudonyms.setdefault(participant.conversation_id, pseudonym)
            store.db.execute("UPDATE participants SET name = '', updated_at = ? WHERE id = ?",
                             [domain.utc_now(), participant_id])
        changed = _replace_everywhere(store, pattern, pseudonyms)
        record = _record(store, "person", target_id=None, conversation_id=None, reason=reason,
                         rows_removed=0, texts_changed=changed + len(found.participant_ids))
    result = _finish(store, "person", found.participant_ids, [record], 0,
                     changed + len(found.participant_ids))
    return _clear_exports(result, exports_holding(pattern=pattern))


def erased_ids(store: Store) -> dict[str, list[str]]:
    """What the record of erasures says is gone, table by table ({"conversations": [...],
    "notes": [...], "participants": [...]}), less anything in the database again since (a
    conversation imported once more): what no kept copy should still hold. A person's name is
    not recorded, so `erase-person` is given it again."""
    tables = {"conversation": "conversations", "note": "notes", "participant": "participants"}
    gone: dict[str, list[str]] = {table: [] for table in tables.values()}
    for kind, target in store.reads.execute(
        "SELECT kind, target_id FROM erasures WHERE target_id IS NOT NULL ORDER BY rowid"
    ):
        table = tables.get(kind)
        if table and not store.reads.execute(f"SELECT 1 FROM {table} WHERE id = ?", [target]).fetchone():
            gone[table].append(target)
    return gone


def backups_holding(store: Store, *, pattern: NamePattern | None = None,
                    ids: Mapping[str, Sequence[str]] | None = None) -> tuple[list[Path], list[Path]]:
    """(kept copies that hold it, copies that could not be read to tell)."""
    holding, unreadable = [], []
    for backup in kept_copies(store.path, store.key):
        try:
            if backup_holds(backup, store.key, pattern=pattern, ids=ids):
                holding.append(backup)
        except (safety.StoreError, *cipher.ERRORS, OSError):  # type: ignore[misc]  # starred tuple
            unreadable.append(backup)
    return holding, unreadable


def _clear_exports(result: Erasure, found: ExportFiles) -> Erasure:
    return replace(result, exports_removed=tuple(remove_exports(found)),
                   exports_left=tuple(found.theirs))


def shares_of(store: Store, conversation_ids: Iterable[str]) -> list[Share]:
    ids = list(conversation_ids)
    if not ids:
        return []
    marks = ", ".join("?" for _ in ids)
    return [
        rows.share(row)
        for row in store.reads.query(
            f"SELECT * FROM shares WHERE conversation_id IN ({marks}) ORDER BY created_at", ids
        )
    ]


def drop_backups(store: Store, backups: Iterable[Path]) -> tuple[Path, list[Path]]:
    """Take a fresh backup (of the scrubbed database, so it holds none of what was erased: a
    backup is rebuilt from the live rows, free pages left out) first, then delete `backups`,
    overwriting a plain one with zeros before it is unlinked. Returns (the new backup, those
    removed). The fresh one is taken without rotating, which could rename the very files about to
    be removed."""
    folder = paths.ensure_private_dir(paths.backups_dir(store.path))
    fresh = store.backup(folder / safety.backup_name(store.path, domain.now()))
    removed = []
    for backup in backups:
        if backup.resolve() == fresh.resolve():
            continue
        for side in safety.SIDE_FILES:
            cipher.shred(backup.with_name(backup.name + side))
        if cipher.shred(backup):
            removed.append(backup)
    return fresh, removed


def erasure_log(store: Store) -> list[dict[str, Any]]:
    """The record of erasures, oldest first (ids and counts, never content)."""
    return list(store.reads.query("SELECT * FROM erasures ORDER BY erased_at, rowid"))
