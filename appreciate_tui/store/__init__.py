"""The store: the only code that speaks SQL. Domain objects in, domain objects out.

One `Store` is one open database file. Opening checks the file before anything is written to it,
takes the single-writer lock (a second process gets a read-only store that says why), applies the
pragmas of DESIGN.md section 5 and any pending migrations. Every write runs in its own
`BEGIN IMMEDIATE` transaction (or joins the caller's `atomic()` block) and either commits whole or
raises `SaveError` having changed nothing, so the caller can keep the text and try again.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from sqlite_utils import Database

from appreciate_tui import domain, paths, portable
from appreciate_tui.domain import (
    DEFAULT_AGENCIES,
    Action,
    ActionStatus,
    ChecksumMismatch,
    CheckReport,
    Conversation,
    ConversationStatus,
    ConversationSummary,
    Feedback,
    Note,
    NoteRevision,
    NoteUndo,
    Participant,
    Pause,
    Phase,
    Question,
    QuestionKind,
    QuestionStatus,
    SearchHit,
    Share,
    Stance,
    UnreadableValue,
)
from appreciate_tui.store import rows, safety, search
from appreciate_tui.store import cipher
from appreciate_tui.store.cipher import DATABASE_ERRORS, ERRORS, OPERATIONAL_ERRORS, WrongPassphrase
from appreciate_tui.store.safety import DatabaseDamaged, StoreError, damaged
from appreciate_tui.store.schema import migrations
from appreciate_tui.text import clean, clean_line

if TYPE_CHECKING:
    # Imported where they are used, so that opening a store to list or search does not load
    # the erasure, transfer and redaction machinery (`appreciate list` starts faster).
    from appreciate_tui.store import browsing, erasure, redaction, room, transfer

__all__ = [
    "DATABASE_ERRORS",
    "Ambiguous",
    "DamagedWhileSaving",
    "DatabaseDamaged",
    "NotFound",
    "ReadOnlyError",
    "SaveError",
    "Store",
    "StoreError",
    "WrongPassphrase",
    "damaged",
]


class NotFound(StoreError):
    pass


class Ambiguous(StoreError):
    pass


class ReadOnlyError(StoreError):
    """A write was asked of a store opened read-only; the message says why it is read-only."""


class SaveError(StoreError):
    """A write failed and changed nothing (disk full, I/O error, database busy…)."""


class DamagedWhileSaving(SaveError, DatabaseDamaged):
    """SQLite found a damaged page while writing: the write changed nothing, and the store has
    become read-only. The message is the one for a damaged file, naming the newest backup."""


# SQLite's primary result codes for a damaged file: SQLITE_CORRUPT and SQLITE_NOTADB.
_DAMAGE_CODES = (11, 26)


def _is_damage(exc: BaseException | None) -> bool:
    """True for SQLite's report of a damaged page or file (not a full disk, a lock, a bad
    statement), and for our own refusal of a damaged file."""
    if isinstance(exc, DatabaseDamaged):
        return True
    if not isinstance(exc, DATABASE_ERRORS):
        return False
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in _DAMAGE_CODES
    message = str(exc).lower()  # SQLCipher's errors carry no code
    return "malformed" in message or "not a database" in message


_UNSET: Any = object()

# The newest change to one of a conversation's notes that is not an undo and not yet undone.
_LAST_UNDOABLE = """
SELECT r.* FROM note_revisions r JOIN notes n ON n.id = r.note_id
WHERE n.conversation_id = ? AND r.change IS NOT NULL AND r.undoes IS NULL
  AND NOT EXISTS (SELECT 1 FROM note_revisions u WHERE u.undoes = r.id)
ORDER BY r.revised_at DESC, r.rowid DESC LIMIT 1
"""

# Pseudonyms are "<agency> <n>"; a long agency name gets a shorter everyday form.
_PSEUDONYM_STEM = {"Children's social care": "Social care"}


def _new_id() -> str:
    return str(uuid.uuid4())


def _describe(exc: BaseException) -> str:
    message = str(exc) or type(exc).__name__
    if isinstance(exc, UnicodeEncodeError):
        return "the text could not be encoded"
    if "disk is full" in message:
        return "the disk is full"
    return message


class Store:
    """An open appreciate database. Use `Store.open(path)`; close it when done."""

    def __init__(
        self,
        db: Database,
        path: Path,
        *,
        lock: safety.WriterLock | None,
        read_only_reason: str | None,
        key: cipher.Key | None = None,
    ) -> None:
        self.db = db
        self.path = path
        self._lock = lock
        self.read_only_reason = read_only_reason
        self.key = key
        """The SQLCipher key of an encrypted database, None for a plain one."""
        self.last_backup_problem: str | None = None
        """Why the backup at the end of the last closed conversation failed, if it did."""
        self._held = cipher.hold(path, key)
        self._check_lock = threading.Lock()
        self._check_pending = False
        self._immutable = False
        self.check_failure: str | None = None
        """What the full check found wrong with the file, when it was deferred and failed."""
        self._checked_at: float | None = None
        """When the full check this file's state descends from ran; None while unchecked."""
        self._damage_seen = False

    # ---------------------------------------------------------------- opening and closing

    @classmethod
    def open(
        cls,
        path: Path | str | None = None,
        *,
        read_only: bool = False,
        passphrase: str | None = None,
        key: cipher.Key | None = None,
        check: Literal["full", "deferred"] = "full",
    ) -> Store:
        """Open (creating if needed) the database at `path`, default `paths.db_path()`.

        Raises `DatabaseDamaged` for a zero-length, truncated, corrupt or foreign file, which is
        never written to. Returns a read-only store when another process is writing to it, or when
        the file or its folder cannot be written (`read_only_reason` says which).

        An encrypted database opens with its `passphrase` (or a derived `key`, or the key this
        process unlocked it with: `cipher.unlock`); a new file given one is created encrypted.
        A passphrase that does not fit raises `WrongPassphrase`.

        `check="full"` runs `PRAGMA quick_check` before anything else, which reads every page: a
        quarter of a second on a database of a thousand conversations. `check="deferred"` looks
        only at the header, the schema and the file's length now and leaves the full check to
        `finish_check()`, which the app runs in the background after it has painted; the first
        write waits for it, so nothing is ever written to a file that has not passed it. A
        read-only store never writes; a damaged page it meets while reading raises SQLite's
        `DatabaseError` there and then. Migrations always wait for the full check.

        Either check is skipped when the file is exactly in the state an appreciate writer left it
        in after a full check less than a week old (`safety.trusted_check`, the record beside the
        file): then only the header, the length and the schema are looked at, whatever the size.
        """
        path = paths.db_path(path).absolute()
        is_default = path == paths.db_path(None).absolute() and not os.environ.get(paths.DB_ENV)
        paths.ensure_private_dir(path.parent, tighten=is_default)
        exists = path.exists()
        if key is None:
            key = cipher.key_for(path, passphrase) if passphrase is not None else cipher.session_key(path)
        # A folder nobody may write to: no lock file, and a WAL database without its -shm file can
        # only be read as immutable.
        folder_read_only = exists and not os.access(path.parent, os.W_OK)
        immutable = folder_read_only and not all(
            path.with_name(path.name + side).exists() for side in safety.SIDE_FILES
        )
        checked_at = seen = None
        if exists:
            seen = safety.file_state(path)
            checked_at = safety.trusted_check(path)
            # Checked before the lock file or anything else is created beside it.
            started = time.time()
            cls._verify(
                path, key=key, immutable=immutable, thorough=check == "full" and checked_at is None
            )
            if check == "full" and checked_at is None:
                checked_at = started

        reason = "opened read-only on request" if read_only else None
        lock = None
        if folder_read_only:
            reason = cls._read_only_folder_reason(path, immutable)
        elif not read_only:
            if exists and not os.access(path, os.W_OK):
                reason = "the database file is read-only"
            else:
                lock = safety.WriterLock.acquire(path)
                if lock is None:
                    pid = safety.holder_pid(path)
                    holder = f" (process {pid})" if pid else ""
                    reason = f"another appreciate{holder} is using this database"
        if reason is not None and not exists:
            raise StoreError(f"{path}: there is no database here yet to open read-only.")

        try:
            if lock is not None and checked_at is not None and safety.file_state(path) != seen:
                # Changed by someone else between the check and the lock: a file state nobody has
                # checked is never written to.
                checked_at = None
                if check == "full":
                    checked_at = time.time()
                    cls._verify(path, key=key, immutable=immutable)
            if not exists:
                checked_at = time.time()
                cls._create(path, key=key)
            return cls._connect(
                path,
                exists=exists,
                lock=lock,
                read_only_reason=reason,
                key=key,
                immutable=immutable,
                check_pending=exists and checked_at is None,
                checked_at=checked_at,
            )
        except BaseException:
            if lock is not None:
                lock.release()
            raise

    @staticmethod
    def _read_only_folder_reason(path: Path, immutable: bool) -> str:
        reason = f"the folder {path.parent} is read-only"
        wal = path.with_name(path.name + "-wal")
        if immutable and wal.exists() and wal.stat().st_size > 0:
            reason += (
                f"; the latest changes (kept in {wal.name}) cannot be shown until it can be "
                "written again"
            )
        return reason

    @staticmethod
    def _verify(
        path: Path,
        *,
        key: cipher.Key | None = None,
        immutable: bool = False,
        thorough: bool = True,
    ) -> None:
        """Refuse an empty, damaged or foreign file, looking at it only through a read-only
        connection so that nothing is ever written to it. Not `thorough`: the header, the length
        and the schema only, without reading every page."""
        if path.stat().st_size == 0:
            raise safety.damaged(path, "the file is empty, not an appreciate database")
        if not thorough and key is None:
            found_in_header = safety.header_problem(path)
            if found_in_header:
                raise safety.damaged(path, found_in_header)
        conn = cipher.connect(
            safety.read_only_uri(path, immutable=immutable), key, uri=True, timeout=5.0, path=path
        )
        unreadable = problem = None
        try:
            if thorough:
                found = safety.quick_check(conn)
                if found == ["ok"] and key is not None:
                    found = cipher.integrity_problems(conn) or ["ok"]
                if found != ["ok"]:
                    raise safety.damaged(path, f"the database failed its check ({found[0]})")
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            # Other tools use sqlite-utils migrations too: the table alone does not make it ours.
            if "_sqlite_migrations" not in tables or not conn.execute(
                "SELECT 1 FROM _sqlite_migrations WHERE migration_set = ? LIMIT 1", [migrations.name]
            ).fetchone():
                raise safety.damaged(path, "this is an SQLite database, but not an appreciate one")
        except OPERATIONAL_ERRORS as exc:
            # Not the file's fault (a full disk, an I/O error, no permission): never "damaged",
            # which would advise moving a healthy file aside.
            problem = exc
        except DATABASE_ERRORS as exc:
            unreadable = exc
        finally:
            conn.close()
        if problem is not None:
            raise safety.cannot_open(path, problem) from problem
        if unreadable is not None:
            # Only now, with the connection closed, may the header be read (cipher.py).
            hint = ""
            if key is None and cipher.looks_encrypted(path):
                hint = "; if it is encrypted, it needs its passphrase"
            raise safety.damaged(
                path, f"the file cannot be read as a database ({unreadable}){hint}"
            ) from unreadable

    @staticmethod
    def _create(path: Path, *, key: cipher.Key | None = None) -> None:
        """Build a new database under a staging name and put it in place only once its schema is
        complete (called with the writer lock held). A first run killed half way, or stopped by a
        full disk, leaves no empty or schema-less file at `path` that every later open would have
        to refuse as damaged; the next open clears the leftovers and starts again."""
        staging = path.with_name(path.name + ".creating")
        for suffix in ("", "-journal", "-wal", "-shm"):
            staging.with_name(staging.name + suffix).unlink(missing_ok=True)
        safety.make_private_file(staging)
        conn = cipher.connect(staging, key, timeout=5.0, path=path)
        try:
            conn.execute("PRAGMA synchronous=FULL")
            migrations.apply(Database(conn, execute_plugins=False))
        except ERRORS as exc:
            raise StoreError(
                f"{path}: a new database could not be created ({_describe(exc)})."
            ) from exc
        finally:
            conn.close()
        if path.exists():  # another appreciate made it and let go of the lock a moment ago
            raise StoreError(
                f"{path}: another appreciate created this database just now; open it again."
            )
        os.rename(staging, path)
        portable.sync_folder(path.parent)  # the new name survives a power cut

    @classmethod
    def _connect(
        cls,
        path: Path,
        *,
        exists: bool,
        lock: safety.WriterLock | None,
        read_only_reason: str | None,
        key: cipher.Key | None = None,
        immutable: bool = False,
        check_pending: bool = False,
        checked_at: float | None = None,
    ) -> Store:
        read_only = read_only_reason is not None
        if not exists:
            safety.make_private_file(path)
        if read_only:
            uri = safety.read_only_uri(path, immutable=immutable)
            conn = cipher.connect(uri, key, uri=True, timeout=5.0, path=path)
        else:
            conn = cipher.connect(path, key, timeout=5.0, path=path)
        # Text another program wrote as invalid UTF-8 is shown with replacement marks, not a crash.
        conn.text_factory = lambda raw: raw.decode("utf-8", "replace")
        try:
            safety.apply_pragmas(conn, read_only=read_only)
        except OPERATIONAL_ERRORS as exc:
            conn.close()
            raise safety.cannot_open(path, exc) from exc
        except DATABASE_ERRORS as exc:
            conn.close()
            raise safety.damaged(path, f"the file cannot be read as a database ({exc})") from exc
        except BaseException:
            conn.close()
            raise
        # No sqlite-utils plugins: nothing installed elsewhere gets to run code on this database.
        store = cls(
            Database(conn, execute_plugins=False),
            path,
            lock=lock,
            read_only_reason=read_only_reason,
            key=key,
        )
        store._check_pending = check_pending
        store._checked_at = checked_at
        store._immutable = immutable
        if not read_only:
            try:
                store._migrate(had_schema=exists)
            except BaseException as exc:
                conn.close()
                cipher.release(store._held)
                if isinstance(exc, ERRORS):
                    raise StoreError(
                        f"{path}: the database could not be updated for this version of appreciate "
                        f"({_describe(exc)}); the failed change was undone."
                    ) from exc
                raise
            safety.tighten(path)
        return store

    def _migrate(self, *, had_schema: bool) -> None:
        pending = migrations.pending(self.db)
        if not pending:
            return
        if self.finish_check() is not None:
            raise DatabaseDamaged(self.check_failure or "")
        if had_schema:
            # A schema change on a file with conversations in it: keep a verified copy first.
            self.rotate_backups()
        migrations.apply(self.db)

    @property
    def read_only(self) -> bool:
        return self.read_only_reason is not None

    @property
    def check_pending(self) -> bool:
        """True while the full check deferred at open has not run yet."""
        return self._check_pending

    def finish_check(self) -> str | None:
        """Run the full check deferred at open, once; safe to call from a worker thread (it reads
        through a connection of its own). Returns None when the file passed, else what was wrong:
        the store has then become read-only, so nothing is ever written to a damaged file."""
        with self._check_lock:
            if self._check_pending:
                started = time.time()
                try:
                    self._verify(self.path, key=self.key, immutable=self._immutable)
                    self._checked_at = started
                except StoreError as exc:
                    self.check_failure = str(exc)
                    self.read_only_reason = (
                        "the database failed its integrity check, so nothing will be written to it"
                    )
                finally:
                    self._check_pending = False
            return self.check_failure

    @property
    def encrypted(self) -> bool:
        return self.key is not None

    def close(self) -> None:
        """Close the connection; the writer then records the state it leaves the file in
        (`safety.remember_check`), or forgets the record when the file was found damaged,
        including by an error on its way out of a `with` block or a `finally` around this call."""
        if _is_damage(sys.exc_info()[1]):
            self._damage_seen = True
        closed = False
        try:
            self.db.close()
            closed = True
        finally:
            cipher.release(self._held)
            self._held = None
            if self._damage_seen:  # whoever met it, reader or writer
                safety.forget_check(self.path)
            if self._lock is not None:
                try:
                    self._leave_record(closed)
                finally:
                    self._lock.release()
                    self._lock = None

    def _leave_record(self, closed: bool) -> None:
        """Only the writer holding the lock records; nobody else can change the file through
        appreciate meanwhile."""
        if self._damage_seen or self.check_failure is not None:
            safety.forget_check(self.path)
        elif closed and self._checked_at is not None and not self._check_pending:
            safety.remember_check(self.path, self._checked_at)

    def _refuse_damaged(self, exc: BaseException) -> DamagedWhileSaving:
        """SQLite met a damaged page while writing: the write was undone; nothing more is
        written through this store, and the next open checks the whole file."""
        self._damage_seen = True
        failure = safety.damaged(self.path, f"a damaged page was found while saving ({exc})")
        self.check_failure = str(failure)
        self.read_only_reason = (
            "the database failed its integrity check, so nothing will be written to it"
        )
        safety.forget_check(self.path)
        return DamagedWhileSaving(str(failure))

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---------------------------------------------------------------- transactions

    @contextmanager
    def atomic(self) -> Iterator[Store]:
        """Group writes: all of them are committed together, or none is."""
        if self._check_pending and not self.read_only:
            self.finish_check()
        if self.read_only:
            raise ReadOnlyError(f"{self.path}: {self.read_only_reason}; nothing can be changed.")
        conn = self.db.conn
        if conn.in_transaction:
            with self.db.atomic():
                yield self
            return
        try:
            conn.execute("BEGIN IMMEDIATE")
        except ERRORS as exc:
            if _is_damage(exc):
                raise self._refuse_damaged(exc) from exc
            raise SaveError(_describe(exc)) from exc
        try:
            yield self
            conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:
                try:
                    conn.execute("ROLLBACK")
                except ERRORS:
                    pass  # the failure already ended the transaction
            if _is_damage(exc):
                raise self._refuse_damaged(exc) from exc
            if isinstance(exc, (*ERRORS, UnicodeEncodeError)):
                raise SaveError(_describe(exc)) from exc
            raise

    def _insert(self, table: str, row: dict[str, Any]) -> None:
        columns = ", ".join(row)
        marks = ", ".join(f":{key}" for key in row)
        self.db.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", row)

    def _update(self, table: str, row_id: str, changes: dict[str, Any]) -> None:
        assignments = ", ".join(f"{key} = :{key}" for key in changes)
        self.db.execute(
            f"UPDATE {table} SET {assignments} WHERE id = :_id", {**changes, "_id": row_id}
        )

    def _one(self, sql: str, params: Iterable[Any] | dict[str, Any] = ()) -> dict[str, Any] | None:
        return next(self.db.query(sql, params), None)

    def _get_row(self, table: str, row_id: str, what: str) -> dict[str, Any]:
        row = self._one(f"SELECT * FROM {table} WHERE id = ?", [row_id])
        if row is None:
            raise NotFound(f"no {what} with id {row_id}")
        return row

    # ---------------------------------------------------------------- conversations

    def create_conversation(
        self,
        title: str,
        topic: str = "",
        *,
        setting: str = "",
        facilitator: str = "",
        date: str | None = None,
        bank_id: str | None = None,
        opening: str = "",
        status: ConversationStatus = ConversationStatus.PLANNED,
        id: str | None = None,
        created_at: str | None = None,
    ) -> Conversation:
        stamp = created_at or domain.utc_now()
        row = {
            "id": id or _new_id(),
            "title": clean_line(title) or "Untitled conversation",
            "topic": clean_line(topic),
            "setting": clean_line(setting),
            "facilitator": clean_line(facilitator),
            "date": date or domain.now().date().isoformat(),
            "status": ConversationStatus(status).value,
            "opening": clean(opening),
            "bank_id": bank_id,
            "created_at": stamp,
            "updated_at": stamp,
        }
        with self.atomic():
            self._insert("conversations", row)
        return self.get_conversation(row["id"])

    def get_conversation(self, conversation_id: str) -> Conversation:
        return rows.conversation(self._get_row("conversations", conversation_id, "conversation"))

    def resolve_conversation(self, id_or_prefix: str) -> Conversation:
        """Find a conversation by its id or a unique beginning of it (as `git` does)."""
        prefix = id_or_prefix.strip().lower()
        if not prefix:
            raise NotFound("give a conversation id (or the first few characters of one)")
        # A range of the id index where one can be drawn (every id appreciate makes is ASCII):
        # a few rows read, not every conversation.
        bounded = prefix.isascii() and prefix[-1] < "\x7f"
        after = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        found = list(
            self.db.query(
                "SELECT * FROM conversations WHERE substr(id, 1, :n) = :prefix"
                + (" AND id >= :prefix AND id < :after" if bounded else "")
                + " ORDER BY date DESC LIMIT 6",
                {"n": len(prefix), "prefix": prefix, "after": after},
            )
        )
        if not found:
            raise NotFound(f"no conversation id starts with {prefix!r}; `appreciate list` shows them")
        if len(found) > 1 and found[0]["id"] != prefix:
            sample = ", ".join(row["id"][:12] for row in found[:5])
            raise Ambiguous(f"{prefix!r} matches more than one conversation ({sample}…); give more of the id")
        return rows.conversation(found[0])

    def list_conversations(self, *, include_deleted: bool = False) -> list[Conversation]:
        where = "" if include_deleted else "WHERE deleted_at IS NULL"
        return [
            rows.conversation(row)
            for row in self.db.query(
                f"SELECT * FROM conversations {where} ORDER BY date DESC, created_at DESC"
            )
        ]

    _CONVERSATION_FIELDS = {
        "title": clean_line,
        "topic": clean_line,
        "setting": clean_line,
        "facilitator": clean_line,
        "date": str,
        "start_time": clean_line,
        "opening": clean,
        "key_learning": clean,
        "phase_budget": lambda budget: json.dumps(
            {Phase.parse(k).value: int(v) for k, v in dict(budget).items()}, sort_keys=True
        ),
        "questions_shared_at": lambda v: v,
        "current_question_id": lambda v: v,
        "status": lambda v: ConversationStatus(v).value,
        "started_at": lambda v: v,
        "ended_at": lambda v: v,
        "bank_id": lambda v: v,
    }

    def update_conversation(self, conversation_id: str, **fields: Any) -> Conversation:
        unknown = set(fields) - set(self._CONVERSATION_FIELDS)
        if unknown:
            raise TypeError(f"not a conversation field: {', '.join(sorted(unknown))}")
        changes = {key: self._CONVERSATION_FIELDS[key](value) for key, value in fields.items()}
        changes["updated_at"] = domain.utc_now()
        with self.atomic():
            self.get_conversation(conversation_id)
            self._update("conversations", conversation_id, changes)
        return self.get_conversation(conversation_id)

    def start_conversation(self, conversation_id: str) -> Conversation:
        """Mark the conversation live; the first start is remembered as when it began."""
        with self.atomic():
            current = self.get_conversation(conversation_id)
            changes: dict[str, Any] = {"status": ConversationStatus.LIVE}
            if current.started_at is None:
                changes["started_at"] = domain.utc_now()
            return self.update_conversation(conversation_id, **changes)

    def close_conversation(self, conversation_id: str) -> Conversation:
        """Mark it closed (a pause still running ends then), then keep a verified backup (the end
        of a conversation is when its notes are complete). A backup that fails does not undo the
        closing: `last_backup_problem` says why."""
        with self.atomic():
            closed = self.update_conversation(
                conversation_id, status=ConversationStatus.CLOSED, ended_at=domain.utc_now()
            )
            self.resume_conversation(conversation_id, at=closed.ended_at)
        self.backup_after_conversation()
        return closed

    def pause_conversation(self, conversation_id: str) -> Pause:
        """Stop the conversation's clock (a comfort break, a fire alarm) until it is resumed; the
        pause is on disk, so a reopened conversation is still paused and the view for the room
        can say so. Pausing a paused conversation changes nothing."""
        with self.atomic():
            self.get_conversation(conversation_id)
            running = self.current_pause(conversation_id)
            if running is not None:
                return running
            stamp = domain.utc_now()
            row = {
                "id": _new_id(),
                "conversation_id": conversation_id,
                "paused_at": stamp,
                "resumed_at": None,
                "created_at": stamp,
                "updated_at": stamp,
            }
            self._insert("pauses", row)
        return rows.pause(row)

    def resume_conversation(self, conversation_id: str, *, at: str | None = None) -> Pause | None:
        """Start the clock again: the pause that was running, now over (None if none was)."""
        with self.atomic():
            running = self.current_pause(conversation_id)
            if running is None:
                return None
            stamp = at or domain.utc_now()
            self._update("pauses", running.id, {"resumed_at": stamp, "updated_at": stamp})
        return rows.pause(self._get_row("pauses", running.id, "pause"))

    def current_pause(self, conversation_id: str) -> Pause | None:
        """The pause running now, if the conversation is paused."""
        row = self._one(
            "SELECT * FROM pauses WHERE conversation_id = ? AND resumed_at IS NULL "
            "ORDER BY paused_at DESC LIMIT 1",
            [conversation_id],
        )
        return rows.pause(row) if row else None

    def list_pauses(self, conversation_id: str) -> list[Pause]:
        """Every pause of the conversation, oldest first."""
        return [
            rows.pause(row)
            for row in self.db.query(
                "SELECT * FROM pauses WHERE conversation_id = ? ORDER BY paused_at, rowid",
                [conversation_id],
            )
        ]

    def backup_after_conversation(self) -> Path | None:
        """`rotate_backups`, reporting a failure in `last_backup_problem` instead of raising."""
        if self.db.conn.in_transaction:
            self.last_backup_problem = "no backup inside a transaction; it is taken at the next close"
            return None
        try:
            made = self.rotate_backups()
        except StoreError as exc:
            self.last_backup_problem = str(exc)
            return None
        self.last_backup_problem = None
        return made

    def set_current_question(self, conversation_id: str, question_id: str | None) -> Conversation:
        return self.update_conversation(conversation_id, current_question_id=question_id)

    # ---------------------------------------------------------------- participants

    def add_participant(
        self,
        conversation_id: str,
        agency: str,
        *,
        pseudonym: str | None = None,
        name: str = "",
        role: str = "",
        invited: bool = True,
        attended: bool = False,
        absence_reason: str = "",
        id: str | None = None,
    ) -> Participant:
        agency = clean_line(agency) or "Other"
        stamp = domain.utc_now()
        with self.atomic():
            self.get_conversation(conversation_id)
            if not pseudonym:
                pseudonym = self._next_pseudonym(conversation_id, agency)
            row = {
                "id": id or _new_id(),
                "conversation_id": conversation_id,
                "pseudonym": clean_line(pseudonym),
                "name": clean_line(name),
                "agency": agency,
                "role": clean_line(role),
                "invited": int(invited),
                "attended": int(attended),
                "absence_reason": clean_line(absence_reason),
                "created_at": stamp,
                "updated_at": stamp,
            }
            self._insert("participants", row)
        return self.get_participant(row["id"])

    def _next_pseudonym(self, conversation_id: str, agency: str) -> str:
        stem = _PSEUDONYM_STEM.get(agency, agency)
        taken = {
            row["pseudonym"]
            for row in self.db.query(
                "SELECT pseudonym FROM participants WHERE conversation_id = ?", [conversation_id]
            )
        }
        number = 1
        while f"{stem} {number}" in taken:
            number += 1
        return f"{stem} {number}"

    def get_participant(self, participant_id: str) -> Participant:
        return rows.participant(self._get_row("participants", participant_id, "participant"))

    def list_participants(self, conversation_id: str) -> list[Participant]:
        return [
            rows.participant(row)
            for row in self.db.query(
                "SELECT * FROM participants WHERE conversation_id = ? ORDER BY agency, pseudonym",
                [conversation_id],
            )
        ]

    def set_attended(self, participant_id: str, attended: bool) -> Participant:
        with self.atomic():
            self.get_participant(participant_id)
            self._update(
                "participants",
                participant_id,
                {"attended": int(attended), "updated_at": domain.utc_now()},
            )
        return self.get_participant(participant_id)

    # ---------------------------------------------------------------- questions

    def add_question(
        self,
        conversation_id: str,
        text: str,
        phase: Phase | str,
        *,
        prompts: Iterable[str] = (),
        scale: bool = False,
        id: str | None = None,
    ) -> Question:
        """Append a prepared question to the conversation's plan."""
        stamp = domain.utc_now()
        with self.atomic():
            self.get_conversation(conversation_id)
            last = self._one(
                "SELECT max(position) AS last FROM questions WHERE conversation_id = ? AND parent_id IS NULL",
                [conversation_id],
            )
            position = (last["last"] if last and last["last"] is not None else -1) + 1
            row = {
                "id": id or _new_id(),
                "conversation_id": conversation_id,
                "parent_id": None,
                "text": clean_line(text),
                "phase": Phase.parse(phase).value,
                "position": position,
                "kind": QuestionKind.PREPARED.value,
                "status": QuestionStatus.PENDING.value,
                "prompts": json.dumps([clean_line(p) for p in prompts if clean_line(p)]),
                "scale": int(scale),
                "created_at": stamp,
                "updated_at": stamp,
            }
            self._insert("questions", row)
        return self.get_question(row["id"])

    def add_follow_up(
        self,
        conversation_id: str,
        parent_id: str,
        text: str,
        *,
        id: str | None = None,
        created_at: str | None = None,
    ) -> Question:
        """Add an unplanned question under the one it grew out of, in that question's phase."""
        stamp = created_at or domain.utc_now()
        with self.atomic():
            parent = self.get_question(parent_id)
            if parent.conversation_id != conversation_id:
                raise NotFound(f"question {parent_id} is not part of conversation {conversation_id}")
            row = {
                "id": id or _new_id(),
                "conversation_id": conversation_id,
                "parent_id": parent_id,
                "text": clean_line(text),
                "phase": parent.phase.value,
                "position": parent.position,
                "kind": QuestionKind.FOLLOW_UP.value,
                "status": QuestionStatus.PENDING.value,
                "created_at": stamp,
                "updated_at": stamp,
            }
            self._insert("questions", row)
        return self.get_question(row["id"])

    def follow_up_from_note(self, conversation_id: str, note_id: str, parent_id: str) -> Question:
        """Come back to a note (a parked one, usually): its words become a follow-up of the
        question being asked now, and the note remembers it, so it is no longer waiting."""
        with self.atomic():
            note = self.get_note(note_id)
            if note.conversation_id != conversation_id:
                raise NotFound(f"note {note_id} is not part of conversation {conversation_id}")
            follow_up = self.add_follow_up(conversation_id, parent_id, note.body)
            self._update(
                "notes", note_id, {"follow_up_id": follow_up.id, "updated_at": domain.utc_now()}
            )
        return follow_up

    def get_question(self, question_id: str) -> Question:
        return rows.question(self._get_row("questions", question_id, "question"))

    def list_questions(self, conversation_id: str) -> list[Question]:
        """The questions in the order they are shown: each prepared question, then (depth first)
        the follow-ups that grew out of it, oldest first."""
        questions = [
            rows.question(row)
            for row in self.db.query(
                "SELECT * FROM questions WHERE conversation_id = ? ORDER BY position, created_at, rowid",
                [conversation_id],
            )
        ]
        children: dict[str | None, list[Question]] = {}
        for question in questions:
            children.setdefault(question.parent_id, []).append(question)
        ordered: list[Question] = []

        def visit(parent_id: str | None) -> None:
            for child in children.get(parent_id, []):
                ordered.append(child)
                visit(child.id)

        visit(None)
        return ordered

    def question_depths(self, conversation_id: str) -> dict[str, int]:
        depths: dict[str, int] = {}
        for question in self.list_questions(conversation_id):
            depths[question.id] = depths[question.parent_id] + 1 if question.parent_id else 0
        return depths

    def set_question_status(
        self, question_id: str, status: QuestionStatus, at: str | None = None
    ) -> Question:
        status = QuestionStatus(status)
        with self.atomic():
            current = self.get_question(question_id)
            changes: dict[str, Any] = {"status": status.value, "updated_at": domain.utc_now()}
            if status is QuestionStatus.ASKED and current.asked_at is None:
                changes["asked_at"] = at or domain.utc_now()
            self._update("questions", question_id, changes)
        return self.get_question(question_id)

    def set_worth_keeping(self, question_id: str, keep: bool) -> Question:
        with self.atomic():
            self.get_question(question_id)
            self._update(
                "questions", question_id, {"worth_keeping": int(keep), "updated_at": domain.utc_now()}
            )
        return self.get_question(question_id)

    # ---------------------------------------------------------------- notes

    def add_note(
        self,
        conversation_id: str,
        question_id: str,
        body: str,
        stance: Stance | str = Stance.NOTE,
        *,
        agency: str | None = None,
        participant_id: str | None = None,
        parked: bool = False,
        starred: bool = False,
        created_at: str | None = None,
        id: str | None = None,
    ) -> Note:
        """`parked`: raised to come back to later (the parking lot), until it becomes a follow-up
        question (`follow_up_from_note`). `starred`: for notes loaded already starred (the demo);
        starring a note later is a change, which can be undone."""
        body = clean(body).strip()
        if not body:
            raise ValueError("a note needs some text")
        stamp = created_at or domain.utc_now()
        row = {
            "id": id or _new_id(),
            "conversation_id": conversation_id,
            "question_id": question_id,
            "body": body,
            "stance": Stance(stance).value,
            "participant_id": participant_id or None,
            "agency": clean_line(agency) if agency else None,
            "parked": int(parked),
            "starred": int(starred),
            "sha256": rows.body_digest(body),
            "created_at": stamp,
            "updated_at": stamp,
        }
        with self.atomic():
            question = self.get_question(question_id)
            if question.conversation_id != conversation_id:
                raise NotFound(f"question {question_id} is not part of conversation {conversation_id}")
            self._insert("notes", row)
        return self.get_note(row["id"])

    def get_note(self, note_id: str) -> Note:
        return rows.note(self._get_row("notes", note_id, "note"))

    def list_notes(
        self,
        conversation_id: str,
        *,
        question_id: str | None = None,
        include_deleted: bool = False,
    ) -> list[Note]:
        clauses = ["conversation_id = :cid"]
        if question_id is not None:
            clauses.append("question_id = :qid")
        if not include_deleted:
            clauses.append("deleted_at IS NULL")
        sql = f"SELECT * FROM notes WHERE {' AND '.join(clauses)} ORDER BY created_at, rowid"
        return [rows.note(row) for row in self.db.query(sql, {"cid": conversation_id, "qid": question_id})]

    def update_note(
        self,
        note_id: str,
        *,
        body: str | None = None,
        stance: Stance | str | None = None,
        agency: str | None = _UNSET,
        participant_id: str | None = _UNSET,
        starred: bool | None = None,
        parked: bool | None = None,
        escalate: bool | None = None,
    ) -> Note:
        """Change a note. A change of what it says, its stance, who said it, its star or its
        parking keeps the note as it was in `note_revisions` first, so it can be undone
        (`undo_note_change`); `agency=""` / `participant_id=""` clear attribution."""
        changes: dict[str, Any] = {}
        if body is not None:
            cleaned = clean(body).strip()
            if not cleaned:
                raise ValueError("a note needs some text; delete it instead")
            changes["body"] = cleaned
            changes["sha256"] = rows.body_digest(cleaned)
        if stance is not None:
            changes["stance"] = Stance(stance).value
        if agency is not _UNSET:
            changes["agency"] = clean_line(agency) if agency else None
        if participant_id is not _UNSET:
            changes["participant_id"] = participant_id or None
        if starred is not None:
            changes["starred"] = int(starred)
        if parked is not None:
            changes["parked"] = int(parked)
        if escalate is not None:
            changes["escalate"] = int(escalate)
            if not escalate:
                changes["escalation_handled_at"] = None
                changes["escalation_passed_to"] = ""
        with self.atomic():
            current = self.get_note(note_id)
            self._keep_revision(current, changes)
            changes["updated_at"] = domain.utc_now()
            self._update("notes", note_id, changes)
        return self.get_note(note_id)

    # The columns of a note each kind of change touches (domain.NOTE_CHANGES).
    _CHANGE_COLUMNS: ClassVar[dict[str, tuple[str, ...]]] = {
        "body": ("body", "sha256"),
        "stance": ("stance",),
        "who": ("agency", "participant_id"),
        "star": ("starred",),
        "park": ("parked",),
        "delete": ("deleted_at",),
    }

    @staticmethod
    def _as_stored(note: Note) -> dict[str, Any]:
        """A note's columns that a change can touch, as they are stored."""
        return {
            "body": note.body,
            "sha256": note.sha256,
            "stance": note.stance.value,
            "agency": note.agency,
            "participant_id": note.participant_id,
            "starred": int(note.starred),
            "parked": int(note.parked),
            "deleted_at": note.deleted_at,
        }

    def _keep_revision(
        self, current: Note, changes: dict[str, Any], *, undoes: NoteRevision | None = None
    ) -> None:
        """Keep `current` as a revision if `changes` change anything a revision records, naming
        what they change (domain.NOTE_CHANGES). An undo is always kept, naming the change it took
        back, even when the note already read as before (merged from elsewhere, say): the next
        undo then goes on to the change before it."""
        before = self._as_stored(current)
        touched = tuple(
            kind
            for kind, columns in self._CHANGE_COLUMNS.items()
            if any(column in changes and changes[column] != before[column] for column in columns)
        )
        if undoes is not None:
            touched = undoes.change
        if touched:
            self._insert(
                "note_revisions",
                {
                    "id": _new_id(),
                    "note_id": current.id,
                    "body": current.body,
                    "stance": current.stance.value,
                    "agency": current.agency,
                    "participant_id": current.participant_id,
                    "starred": int(current.starred),
                    "parked": int(current.parked),
                    "deleted": int(current.deleted_at is not None),
                    "change": " ".join(touched),
                    "undoes": undoes.id if undoes is not None else None,
                    "revised_at": domain.utc_now(),
                },
            )

    def delete_note(self, note_id: str) -> Note:
        """Hide a note (it can be restored, or the delete undone); erasing for good is a separate,
        deliberate step."""
        with self.atomic():
            current = self.get_note(note_id)
            changes = {"deleted_at": current.deleted_at or domain.utc_now()}
            self._keep_revision(current, changes)
            self._update("notes", note_id, changes)
        return self.get_note(note_id)

    def restore_note(self, note_id: str) -> Note:
        with self.atomic():
            current = self.get_note(note_id)
            self._keep_revision(current, {"deleted_at": None})
            self._update("notes", note_id, {"deleted_at": None})
        return self.get_note(note_id)

    def undo_note_change(self, conversation_id: str) -> NoteUndo | None:
        """Take back the latest change to any of the conversation's notes not yet undone (what it
        says, its stance, who said it, its star, its parking, its deletion), and again for the one
        before. The undo is a change like any other: kept as a revision naming the one it undid,
        so it is on disk at once, travels in a bundle and merges as an edit does. None when there
        is nothing left to undo."""
        with self.atomic():
            row = self._one(_LAST_UNDOABLE, [conversation_id])
            if row is None:
                return None
            revision = rows.note_revision(row)
            current = self.get_note(revision.note_id)
            was = {
                "body": revision.body,
                "sha256": rows.body_digest(revision.body),
                "stance": revision.stance.value,
                "agency": revision.agency,
                "participant_id": revision.participant_id,
                "starred": int(bool(revision.starred)),
                "parked": int(bool(revision.parked)),
                "deleted_at": (current.deleted_at or domain.utc_now()) if revision.deleted else None,
            }
            changes = {
                column: was[column]
                for kind in revision.change
                for column in self._CHANGE_COLUMNS.get(kind, ())
            }
            if changes.get("participant_id") and not self._one(
                "SELECT 1 FROM participants WHERE id = ?", [changes["participant_id"]]
            ):
                changes["participant_id"] = None  # erased since: the agency still says who
            self._keep_revision(current, changes, undoes=revision)
            changes["updated_at"] = domain.utc_now()
            self._update("notes", current.id, changes)
        return NoteUndo(note=self.get_note(current.id), before=current, change=revision.change)

    def handle_escalation(self, note_id: str, passed_to: str = "", at: str | None = None) -> Note:
        """Record that an immediate safeguarding concern was acted on outside the conversation."""
        with self.atomic():
            self.get_note(note_id)
            self._update(
                "notes",
                note_id,
                {
                    "escalate": 1,
                    "escalation_handled_at": at or domain.utc_now(),
                    "escalation_passed_to": clean_line(passed_to),
                    "updated_at": domain.utc_now(),
                },
            )
        return self.get_note(note_id)

    def note_revisions(self, note_id: str) -> list[NoteRevision]:
        """The earlier wordings of a note, oldest first: versions before a change of what it says,
        its stance or who said it (a star, parking or deletion alone is no rewording)."""
        return [
            rows.note_revision(row)
            for row in self.db.query(
                f"SELECT * FROM note_revisions WHERE note_id = ? AND {rows.WORDING_REVISION} "
                "ORDER BY revised_at, rowid",
                [note_id],
            )
        ]

    # ---------------------------------------------------------------- drafts

    def save_draft(self, conversation_id: str, field: str, text: str) -> None:
        """Keep what is being typed; an empty text removes the draft."""
        text = clean(text)
        with self.atomic():
            if text:
                self.db.execute(
                    "INSERT INTO drafts (conversation_id, field, body, updated_at) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (conversation_id, field) DO UPDATE SET body = excluded.body, "
                    "updated_at = excluded.updated_at",
                    [conversation_id, field, text, domain.utc_now()],
                )
            else:
                self.db.execute(
                    "DELETE FROM drafts WHERE conversation_id = ? AND field = ?", [conversation_id, field]
                )

    def get_draft(self, conversation_id: str, field: str) -> str:
        row = self._one(
            "SELECT body FROM drafts WHERE conversation_id = ? AND field = ?", [conversation_id, field]
        )
        return row["body"] if row else ""

    def drafts(self, conversation_id: str) -> dict[str, str]:
        return {
            row["field"]: row["body"]
            for row in self.db.query(
                "SELECT field, body FROM drafts WHERE conversation_id = ?", [conversation_id]
            )
        }

    # ---------------------------------------------------------------- actions, feedback, shares

    def add_action(
        self,
        conversation_id: str,
        description: str,
        *,
        owner: str = "",
        due: str | None = None,
        note_id: str | None = None,
        status: ActionStatus = ActionStatus.OPEN,
        id: str | None = None,
    ) -> Action:
        stamp = domain.utc_now()
        row = {
            "id": id or _new_id(),
            "conversation_id": conversation_id,
            "description": clean(description).strip(),
            "owner": clean_line(owner),
            "due": due,
            "status": ActionStatus(status).value,
            "note_id": note_id,
            "created_at": stamp,
            "updated_at": stamp,
        }
        with self.atomic():
            self.get_conversation(conversation_id)
            self._insert("actions", row)
        return rows.action(self._get_row("actions", row["id"], "action"))

    def list_actions(self, conversation_id: str) -> list[Action]:
        return [
            rows.action(row)
            for row in self.db.query(
                "SELECT * FROM actions WHERE conversation_id = ? ORDER BY created_at, rowid",
                [conversation_id],
            )
        ]

    def add_feedback(
        self,
        conversation_id: str,
        *,
        participant_id: str | None = None,
        agency: str | None = None,
        rating: int | None = None,
        advance_questions_helped: bool | None = None,
        useful_question_ids: Iterable[str] = (),
        comments: str = "",
        id: str | None = None,
    ) -> Feedback:
        if rating is not None and not 1 <= int(rating) <= 5:
            raise ValueError("a rating is from 1 to 5")
        stamp = domain.utc_now()
        row = {
            "id": id or _new_id(),
            "conversation_id": conversation_id,
            "participant_id": participant_id,
            "agency": clean_line(agency) if agency else None,
            "rating": rating,
            "advance_questions_helped": None
            if advance_questions_helped is None
            else int(advance_questions_helped),
            "useful_question_ids": json.dumps(list(useful_question_ids)),
            "comments": clean(comments).strip(),
            "created_at": stamp,
            "updated_at": stamp,
        }
        with self.atomic():
            self.get_conversation(conversation_id)
            self._insert("feedback", row)
        return rows.feedback(self._get_row("feedback", row["id"], "feedback"))

    def list_feedback(self, conversation_id: str) -> list[Feedback]:
        return [
            rows.feedback(row)
            for row in self.db.query(
                "SELECT * FROM feedback WHERE conversation_id = ? ORDER BY created_at, rowid",
                [conversation_id],
            )
        ]

    def record_share(
        self,
        conversation_id: str,
        format: str,
        *,
        redacted: bool = False,
        recipient: str = "",
        purpose: str = "",
    ) -> Share:
        """Record that something was exported (what, when, to whom, why), never its content."""
        row = {
            "id": _new_id(),
            "conversation_id": conversation_id,
            "format": clean_line(format),
            "redacted": int(redacted),
            "recipient": clean_line(recipient),
            "purpose": clean_line(purpose),
            "created_at": domain.utc_now(),
        }
        with self.atomic():
            self.get_conversation(conversation_id)
            self._insert("shares", row)
        return rows.share(self._get_row("shares", row["id"], "share"))

    def note_counts(self) -> dict[str, int]:
        """How many notes (not deleted) each conversation has."""
        return dict(
            self.db.execute(
                "SELECT conversation_id, live FROM note_tallies WHERE live > 0"
            ).fetchall()
        )

    def agencies(self) -> list[str]:
        """The default agencies, then any other agency this database has seen."""
        # Each step jumps to the next distinct agency through an index, so the cost grows with
        # the number of agencies, not with the number of notes or participants (a file opened
        # read-only before its schema change has no such index on participants: read them all).
        stepped = self.db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'participants_agency'"
        ).fetchone()
        people = (
            """, people(agency) AS (
                    SELECT min(agency) FROM participants
                    UNION ALL
                    SELECT (SELECT min(agency) FROM participants WHERE agency > people.agency)
                    FROM people WHERE people.agency IS NOT NULL
                )"""
            if stepped
            else ""
        )
        seen = [
            row["agency"]
            for row in self.db.query(
                f"""
                WITH RECURSIVE named(agency) AS (
                    SELECT min(agency) FROM notes WHERE agency IS NOT NULL
                    UNION ALL
                    SELECT (SELECT min(agency) FROM notes WHERE agency > named.agency)
                    FROM named WHERE named.agency IS NOT NULL
                ){people}
                SELECT agency FROM named WHERE agency IS NOT NULL
                UNION SELECT agency FROM {"people" if stepped else "participants"}
                ORDER BY agency
                """
            )
            if row["agency"]
        ]
        return list(DEFAULT_AGENCIES) + [a for a in seen if a not in DEFAULT_AGENCIES]

    # ---------------------------------------------------------------- search and safety

    def search(self, query: str, *, limit: int = 50) -> list[SearchHit]:
        """Ranked full-text matches in notes, questions and conversation titles and topics."""
        return search.search(self.db, query, limit)

    def check(self) -> CheckReport:
        """SQLite's own check, plus each note's text against the checksum stored when it was
        written, and each JSON value against the shape appreciate writes: a change made behind the
        app's back shows up here."""
        started = time.time()
        found = safety.quick_check(self.db.conn)
        if found == ["ok"] and self.key is not None:
            found = cipher.integrity_problems(self.db.conn) or ["ok"]
        if found != ["ok"]:
            self._damage_seen = True
            safety.forget_check(self.path)
        elif self._checked_at is not None:
            self._checked_at = started
        mismatches = []
        checked = 0
        for row in self.db.query("SELECT id, conversation_id, body, sha256 FROM notes"):
            checked += 1
            actual = rows.body_digest(row["body"])
            if actual != row["sha256"]:
                mismatches.append(
                    ChecksumMismatch(row["id"], row["conversation_id"], row["sha256"], actual)
                )
        unreadable = [
            UnreadableValue(table, row["id"], column)
            for table, column in rows.JSON_COLUMNS
            for row in self.db.query(f"SELECT id, {column} FROM {table}")
            if not rows.readable(table, column, row[column])
        ]
        return CheckReport(
            quick_check=found, mismatches=mismatches, notes_checked=checked, unreadable=unreadable
        )

    def backup(self, dest: Path) -> Path:
        """A verified copy of the whole database at `dest` (mode 0600, written atomically)."""
        target = Path(dest).expanduser().resolve()
        live = self.path.resolve()
        if target in {live, *(live.with_name(live.name + s) for s in (*safety.SIDE_FILES, ".lock"))}:
            raise StoreError(f"{target}: that is the open database itself; choose another file.")
        if self.finish_check() is not None:
            raise StoreError(f"no backup was made: {self.check_failure}")
        try:
            return safety.vacuum_into(self.db.conn, Path(dest), key=self.key)
        except ERRORS as exc:
            raise StoreError(f"the backup could not be written: {_describe(exc)}") from exc
        except OSError as exc:
            raise StoreError(f"the backup could not be written: {exc.strerror or exc}") from exc

    def rotate_backups(self, keep: int = 10) -> Path:
        """A dated backup in the backups folder beside the database; the newest `keep` of this
        database's own backups are kept (never another database's: `safety.list_backups`)."""
        folder = paths.ensure_private_dir(paths.backups_dir(self.path))
        made = self.backup(folder / safety.backup_name(self.path, domain.now()))
        safety.keep_newest_backups(self.path, keep, self.key)
        return made

    # ================================================================ bundles and redaction terms
    # Export and import of whole conversations (SQL in store/transfer.py) and the terms a
    # conversation's exports must never show. Used by appreciate_tui/reports and cli_export.

    def conversation_rows(self, conversation_id: str) -> dict[str, list[dict[str, Any]]]:
        """Every stored row of one conversation, table by table, exactly as stored."""
        from appreciate_tui.store import transfer
        self.get_conversation(conversation_id)
        return transfer.read_conversation(self.db, conversation_id)

    def bundle_schema(self) -> transfer.Schema:
        """The columns and references a bundle's rows are checked against before an import."""
        from appreciate_tui.store import transfer
        return transfer.schema(self.db)

    def import_rows(
        self, tables: dict[str, list[dict[str, Any]]]
    ) -> dict[str, transfer.Counted]:
        """Add a checked bundle's rows in one transaction: rows whose id is already here are left
        as they are; anything failing leaves the database unchanged."""
        from appreciate_tui.store import transfer
        with self.atomic():
            return transfer.insert_rows(self.db, tables)

    def add_redaction_term(self, conversation_id: str, term: str) -> redaction.RedactionTerm:
        """Add a term to the conversation's redaction list; a term already there (in any case)
        is returned as it is."""
        from appreciate_tui.store import redaction
        text = clean_line(term)
        if len(text) < redaction.MIN_TERM_LENGTH:
            raise ValueError(
                f"a redaction term needs at least {redaction.MIN_TERM_LENGTH} characters"
            )
        with self.atomic():
            for existing in self.list_redaction_terms(conversation_id):
                if existing.term.casefold() == text.casefold():
                    return existing
            row = {
                "id": _new_id(),
                "conversation_id": conversation_id,
                "term": text,
                "created_at": domain.utc_now(),
            }
            self._insert("redaction_terms", row)
        return redaction.term(self._get_row("redaction_terms", row["id"], "redaction term"))

    def list_redaction_terms(self, conversation_id: str) -> list[redaction.RedactionTerm]:
        from appreciate_tui.store import redaction
        self.get_conversation(conversation_id)
        return [
            redaction.term(row)
            for row in self.db.query(
                "SELECT * FROM redaction_terms WHERE conversation_id = ? ORDER BY created_at, rowid",
                [conversation_id],
            )
        ]

    def remove_redaction_term(self, term_id: str) -> None:
        with self.atomic():
            self._get_row("redaction_terms", term_id, "redaction term")
            self.db.execute("DELETE FROM redaction_terms WHERE id = ?", [term_id])

    # ================================================================ erasure and retention
    # Deleting for good, so the text is in none of the database's files afterwards (SQL and the
    # order of the steps in store/erasure.py). `delete_note` above only hides a note.

    def erase_conversation(self, conversation_id: str, *, reason: str = "request") -> erasure.Erasure:
        """Erase a conversation and everything in it; recorded in `erasures` without content."""
        from appreciate_tui.store import erasure
        return erasure.erase_conversations(self, [conversation_id], reason=reason)

    def erase_conversations(
        self, conversation_ids: Iterable[str], *, reason: str = "request"
    ) -> erasure.Erasure:
        from appreciate_tui.store import erasure
        return erasure.erase_conversations(self, conversation_ids, reason=reason)

    def erase_note(self, note_id: str, *, reason: str = "request") -> erasure.Erasure:
        """Erase a note, its earlier versions and any draft holding its text."""
        from appreciate_tui.store import erasure
        return erasure.erase_note(self, note_id, reason=reason)

    def erase_participant(self, participant_id: str, *, reason: str = "request") -> erasure.Erasure:
        """Erase a participant's record; their name in that conversation becomes the pseudonym."""
        from appreciate_tui.store import erasure
        return erasure.erase_participant(self, participant_id, reason=reason)

    def erase_person(
        self, name: str, also: Iterable[str] = (), *, reason: str = "request"
    ) -> erasure.Erasure:
        """Remove a name (and the other spellings in `also`) from everything in the database."""
        from appreciate_tui.store import erasure
        return erasure.erase_person(self, name, also, reason=reason)

    def conversations_due(
        self, *, days: int | None = None, months: int | None = None
    ) -> list[erasure.DueConversation]:
        """Conversations past the retention period: `days`, or calendar `months`, before today."""
        from appreciate_tui.store import erasure
        return erasure.due(self, days=days, months=months)

    def erasures(self) -> list[dict[str, Any]]:
        """The record of erasures (ids and counts, never content), oldest first."""
        from appreciate_tui.store import erasure
        return erasure.erasure_log(self)

    # ================================================================ conversation browser and review
    # The home screen's list and bin, copies of a conversation to plan from, a second read-only
    # connection for searching from a worker thread (a search there gives up as soon as a newer
    # one is wanted), and what the review screen shows about edited notes (SQL in
    # store/browsing.py).

    def conversation_summaries(
        self, ids: Iterable[str] | None = None, *, limit: int | None = None
    ) -> list[ConversationSummary]:
        """Conversations not in the bin with their counts: every one newest first, or those of
        `ids` in that order (a page of the list), or the newest `limit` (its first screenful).
        Three queries however many; bounded ones read only their own conversations' rows."""
        from appreciate_tui.store import browsing
        return browsing.summaries(self.db, binned=False, limit=limit,
                                  ids=list(ids) if ids is not None else None)

    def conversation_count(self, *, binned: bool = False) -> int:
        """How many conversations are out of the bin (or, with `binned`, in it)."""
        from appreciate_tui.store import browsing
        return browsing.count(self.db, binned=binned)

    def conversation_order(
        self,
        *,
        status: ConversationStatus | None = None,
        agency: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        by: str = "date",
        oldest_first: bool = False,
    ) -> list[tuple[str, Any]]:
        """The conversations the browser's filter lets through, each as its id and the value of
        the column `by` (browser.Sort turns them into an order): ids, not rows, so ten thousand
        cost a megabyte. Newest first; by date with `oldest_first`, oldest first."""
        from appreciate_tui.store import browsing
        return browsing.ordered(self.db, status=status, agency=agency, date_from=date_from,
                                date_to=date_to, by=by, oldest_first=oldest_first)

    def conversation_census(self) -> tuple[int, str | None]:
        """How many conversations are out of the bin, and when the latest change to one of them
        was (None with none): one pass over the conversations, no rows read into Python."""
        from appreciate_tui.store import browsing
        return browsing.census(self.db)

    def latest_conversation_change(self) -> tuple[str, str] | None:
        """The id of the conversation not in the bin that changed last, and when."""
        from appreciate_tui.store import browsing
        return browsing.latest_change(self.db)

    def agencies_taking_part(self) -> set[str]:
        """The agencies that took part in (or are invited to) a conversation not in the bin."""
        from appreciate_tui.store import browsing
        return browsing.agencies_taking_part(self.db)

    def listed_conversations(self, *, limit: int | None = None) -> Iterator[browsing.Listed]:
        """`appreciate list`: the conversations not in the bin, newest first (the newest `limit`),
        read as they are iterated, with their note counts."""
        from appreciate_tui.store import browsing
        return browsing.listed(self.db, limit=limit)

    def list_bin(self) -> list[ConversationSummary]:
        """The conversations in the bin, the most recently binned first."""
        from appreciate_tui.store import browsing
        return browsing.summaries(self.db, binned=True)

    def delete_conversation(self, conversation_id: str) -> Conversation:
        """Move a conversation to the bin: hidden from lists and searches but kept whole, and
        restorable until it is erased for good (`erase_conversation`)."""
        return self._set_binned(conversation_id, domain.utc_now())

    def restore_conversation(self, conversation_id: str) -> Conversation:
        """Take a conversation out of the bin, as it was."""
        return self._set_binned(conversation_id, None)

    def _set_binned(self, conversation_id: str, deleted_at: str | None) -> Conversation:
        with self.atomic():
            self.get_conversation(conversation_id)
            self._update(
                "conversations",
                conversation_id,
                {"deleted_at": deleted_at, "updated_at": domain.utc_now()},
            )
        return self.get_conversation(conversation_id)

    def duplicate_conversation(
        self,
        conversation_id: str,
        *,
        as_template: bool = True,
        title: str | None = None,
        date: str | None = None,
    ) -> Conversation:
        """A new planned conversation made from an earlier one: its topic, setting, facilitator,
        opening, time budget, prepared questions (in order, with their prompts) and participants.

        Nothing from the meeting itself comes along: no follow-ups, notes, attendance, actions,
        feedback or learning. As a template (the default) participants keep their agency,
        pseudonym and role but not their names: the plan is for a meeting with other people.
        """
        source = self.get_conversation(conversation_id)
        with self.atomic():
            copy = self.create_conversation(
                title or source.title,
                source.topic,
                setting=source.setting,
                facilitator=source.facilitator,
                date=date,
                bank_id=source.bank_id,
                opening=source.opening,
            )
            if source.phase_budget:
                self.update_conversation(copy.id, phase_budget=source.phase_budget)
            for question in self.list_questions(source.id):
                if not question.is_follow_up:
                    self.add_question(
                        copy.id,
                        question.text,
                        question.phase,
                        prompts=question.prompts,
                        scale=question.scale,
                    )
            for person in self.list_participants(source.id):
                self.add_participant(
                    copy.id,
                    person.agency,
                    pseudonym=person.pseudonym,
                    name="" if as_template else person.name,
                    role=person.role,
                )
        return self.get_conversation(copy.id)

    def open_reader(self) -> Store:
        """A read-only store on a connection of its own to this database, for a worker thread
        (an SQLite connection belongs to the thread that made it: call this in that thread).

        The file was checked when this store opened it, so the reader opens in a millisecond
        and takes no lock. Close it when the thread is done."""
        return Store._connect(
            self.path,
            exists=True,
            lock=None,
            read_only_reason="a second connection, for reading only",
            key=self.key,
        )

    _STEPS_BETWEEN_ASKING = 2000
    """SQLite virtual-machine steps between two calls of `search_while`'s `wanted`: under a
    millisecond of searching, and a hundred or so calls in a slow search."""

    def search_while(
        self, query: str, wanted: Callable[[], bool], *, limit: int = 50
    ) -> list[SearchHit] | None:
        """`search`, given up (None) as soon as `wanted()` is false: SQLite asks it every few
        thousand steps, so a search made stale by a newer one stops within a millisecond or two
        instead of running to the end. `wanted` is called on this store's thread."""
        conn = self.db.conn
        conn.set_progress_handler(lambda: 0 if wanted() else 1, self._STEPS_BETWEEN_ASKING)
        try:
            hits = self.search(query, limit=limit)
        except ERRORS as exc:
            if not wanted():
                return None
            raise StoreError(f"the search could not be run: {_describe(exc)}") from exc
        finally:
            conn.set_progress_handler(None, 0)
        return hits if wanted() else None

    def revision_counts(self, conversation_id: str) -> dict[str, int]:
        """How many earlier versions each changed note of the conversation has (note id: count);
        notes never changed are not in it."""
        from appreciate_tui.store import browsing
        return browsing.revision_counts(self.db, conversation_id)

    # ================================================================ planning and wrap-up
    # Changing a plan before (and during) the meeting: its questions and participants; closing
    # it properly afterwards: actions, feedback. Used by tui/screens/plan.py and wrapup.py.
    # A change that would lose something said in the meeting is refused with a ValueError whose
    # message says what to do instead.

    def place_question(
        self,
        conversation_id: str,
        text: str,
        phase: Phase | str,
        *,
        prompts: Iterable[str] = (),
        scale: bool = False,
    ) -> Question:
        """Add a prepared question where its phase belongs: after the last question of its phase
        (or of an earlier one), so a plan in phase order stays in phase order."""
        phase = Phase.parse(phase)
        with self.atomic():
            order = self._prepared_order(conversation_id)
            added = self.add_question(conversation_id, text, phase, prompts=prompts, scale=scale)
            place = 0
            for index, question in enumerate(order):
                if question.phase.order <= phase.order:
                    place = index + 1
            order.insert(place, added)
            self._renumber(order)
        return self.get_question(added.id)

    def update_question(
        self,
        question_id: str,
        *,
        text: str | None = None,
        phase: Phase | str | None = None,
        prompts: Iterable[str] | None = None,
    ) -> Question:
        """Reword a question, or move a prepared one to another phase (its follow-ups follow)."""
        changes: dict[str, Any] = {}
        if text is not None:
            changes["text"] = clean_line(text)
            if not changes["text"]:
                raise ValueError("a question needs some text; remove it instead")
        if prompts is not None:
            changes["prompts"] = json.dumps([clean_line(p) for p in prompts if clean_line(p)])
        with self.atomic():
            current = self.get_question(question_id)
            if phase is not None and Phase.parse(phase) is not current.phase:
                if current.is_follow_up:
                    raise ValueError("a follow-up is in the phase of the question it follows")
                stamp = domain.utc_now()
                moved = {"phase": Phase.parse(phase).value, "updated_at": stamp}
                for member in self._question_tree(question_id):
                    self._update("questions", member, moved)
            if changes:
                changes["updated_at"] = domain.utc_now()
                self._update("questions", question_id, changes)
        return self.get_question(question_id)

    def move_question(self, question_id: str, step: int) -> Question:
        """Move a prepared question `step` places later (earlier when negative) in the plan."""
        with self.atomic():
            question = self.get_question(question_id)
            if question.is_follow_up:
                raise ValueError("a follow-up stays under the question it follows")
            order = self._prepared_order(question.conversation_id)
            index = [q.id for q in order].index(question_id)
            target = max(0, min(len(order) - 1, index + step))
            order.insert(target, order.pop(index))
            self._renumber(order)
        return self.get_question(question_id)

    def delete_question(self, question_id: str) -> None:
        """Take a question out of the plan. Refused once anything was said under it, or a
        follow-up grew out of it: that is part of the record now."""
        with self.atomic():
            question = self.get_question(question_id)
            tree = self._question_tree(question_id)
            if len(tree) > 1:
                raise ValueError("it has follow-ups under it; it is part of the record now")
            noted = self._one(
                "SELECT count(*) AS n FROM notes WHERE question_id = ?", [question_id]
            )
            if noted and noted["n"]:
                raise ValueError("it has notes under it; mark it skipped instead")
            cid = question.conversation_id
            self.db.execute(
                "UPDATE conversations SET current_question_id = NULL "
                "WHERE id = ? AND current_question_id = ?",
                [cid, question_id],
            )
            for row in self.db.query(
                "SELECT id, useful_question_ids FROM feedback WHERE conversation_id = ?", [cid]
            ):
                useful = json.loads(row["useful_question_ids"] or "[]")
                if question_id in useful:
                    useful.remove(question_id)
                    self._update("feedback", row["id"], {"useful_question_ids": json.dumps(useful)})
            self.db.execute("DELETE FROM questions WHERE id = ?", [question_id])
            if not question.is_follow_up:
                self._renumber(self._prepared_order(cid))

    def _prepared_order(self, conversation_id: str) -> list[Question]:
        self.get_conversation(conversation_id)
        return [
            rows.question(row)
            for row in self.db.query(
                "SELECT * FROM questions WHERE conversation_id = ? AND parent_id IS NULL "
                "ORDER BY position, created_at, rowid",
                [conversation_id],
            )
        ]

    def _question_tree(self, question_id: str) -> list[str]:
        """The question and every follow-up that grew out of it, at any depth."""
        return [
            row["id"]
            for row in self.db.query(
                "WITH RECURSIVE tree(id) AS (SELECT ? UNION ALL "
                "SELECT questions.id FROM questions JOIN tree ON questions.parent_id = tree.id) "
                "SELECT id FROM tree",
                [question_id],
            )
        ]

    def _renumber(self, order: list[Question]) -> None:
        """Positions 0, 1, 2… in this order; follow-ups share their question's position."""
        stamp = domain.utc_now()
        for position, question in enumerate(order):
            if question.position != position:
                for member in self._question_tree(question.id):
                    self._update("questions", member, {"position": position, "updated_at": stamp})

    def update_participant(
        self,
        participant_id: str,
        *,
        pseudonym: str | None = None,
        name: str | None = None,
        agency: str | None = None,
        role: str | None = None,
        invited: bool | None = None,
        attended: bool | None = None,
        absence_reason: str | None = None,
    ) -> Participant:
        """Change a participant. A pseudonym must be unique in the conversation (it is how notes
        are tagged); an automatic one ("Police 1") follows a change of agency; "" makes a new
        one."""
        changes: dict[str, Any] = {}
        for key, value in (("name", name), ("role", role), ("absence_reason", absence_reason)):
            if value is not None:
                changes[key] = clean_line(value)
        for key, flag in (("invited", invited), ("attended", attended)):
            if flag is not None:
                changes[key] = int(flag)
        with self.atomic():
            current = self.get_participant(participant_id)
            cid = current.conversation_id
            if agency is not None:
                changes["agency"] = clean_line(agency) or "Other"
            new_agency = changes.get("agency", current.agency)
            automatic = self._is_automatic_pseudonym(current.pseudonym, current.agency)
            if pseudonym is not None and clean_line(pseudonym):
                wanted = clean_line(pseudonym)
                taken = self._one(
                    "SELECT 1 AS taken FROM participants WHERE conversation_id = ? "
                    "AND lower(pseudonym) = lower(?) AND id != ?",
                    [cid, wanted, participant_id],
                )
                if taken:
                    raise ValueError(f"{wanted} is already someone's pseudonym here")
                changes["pseudonym"] = wanted
            elif pseudonym is not None or (new_agency != current.agency and automatic):
                # Free this participant's own pseudonym first, so "Police 1" can stay "Police 1".
                self._update("participants", participant_id, {"pseudonym": ""})
                changes["pseudonym"] = self._next_pseudonym(cid, new_agency)
            changes["updated_at"] = domain.utc_now()
            self._update("participants", participant_id, changes)
        return self.get_participant(participant_id)

    @staticmethod
    def _is_automatic_pseudonym(pseudonym: str, agency: str) -> bool:
        stem = _PSEUDONYM_STEM.get(agency, agency)
        number = pseudonym.removeprefix(f"{stem} ")
        return number != pseudonym and number.isdigit()

    def delete_participant(self, participant_id: str) -> None:
        """Take someone off the list. Refused once notes or feedback are theirs: mark them not
        attended instead (erasing a person for good is `erase_participant`)."""
        with self.atomic():
            self.get_participant(participant_id)
            said = self._one(
                "SELECT (SELECT count(*) FROM notes WHERE participant_id = :p) "
                "+ (SELECT count(*) FROM feedback WHERE participant_id = :p) AS n",
                {"p": participant_id},
            )
            if said and said["n"]:
                raise ValueError("notes or feedback are theirs; mark them not attended instead")
            self.db.execute("DELETE FROM participants WHERE id = ?", [participant_id])

    def get_action(self, action_id: str) -> Action:
        return rows.action(self._get_row("actions", action_id, "action"))

    def update_action(
        self,
        action_id: str,
        *,
        description: str | None = None,
        owner: str | None = None,
        due: str | None = _UNSET,
        status: ActionStatus | str | None = None,
    ) -> Action:
        """Change an action; `due` is a YYYY-MM-DD date, or None for no date."""
        changes: dict[str, Any] = {}
        if description is not None:
            changes["description"] = clean(description).strip()
            if not changes["description"]:
                raise ValueError("an action needs a description")
        if owner is not None:
            changes["owner"] = clean_line(owner)
        if due is not _UNSET:
            changes["due"] = self.parse_due_date(due)
        if status is not None:
            changes["status"] = ActionStatus(status).value
        with self.atomic():
            self.get_action(action_id)
            changes["updated_at"] = domain.utc_now()
            self._update("actions", action_id, changes)
        return self.get_action(action_id)

    def delete_action(self, action_id: str) -> None:
        """Remove an action added by hand. One drafted from a `!` note is dropped instead (its
        status), or the next wrap-up would draft it again."""
        with self.atomic():
            if self.get_action(action_id).note_id is not None:
                raise ValueError("it comes from an action note; mark it dropped instead")
            self.db.execute("DELETE FROM actions WHERE id = ?", [action_id])

    def draft_actions_from_notes(self, conversation_id: str) -> list[Action]:
        """An open action for every `!` note that has none yet, described as the note is and
        owned by whoever said it (the participant's pseudonym, else the agency); the new ones are
        returned. Safe to run again: a note's action is never drafted twice."""
        with self.atomic():
            self.get_conversation(conversation_id)
            waiting = list(
                self.db.query(
                    "SELECT notes.id, notes.body, "
                    "coalesce(participants.pseudonym, notes.agency, '') AS owner "
                    "FROM notes LEFT JOIN participants "
                    "ON participants.id = notes.participant_id "
                    "WHERE notes.conversation_id = ? AND notes.stance = ? "
                    "AND notes.deleted_at IS NULL AND NOT EXISTS "
                    "(SELECT 1 FROM actions WHERE actions.note_id = notes.id) "
                    "ORDER BY notes.created_at, notes.rowid",
                    [conversation_id, Stance.ACTION.value],
                )
            )
            return [
                self.add_action(conversation_id, row["body"], owner=row["owner"], note_id=row["id"])
                for row in waiting
            ]

    def get_feedback(self, feedback_id: str) -> Feedback:
        return rows.feedback(self._get_row("feedback", feedback_id, "feedback"))

    def set_feedback(
        self,
        conversation_id: str,
        *,
        participant_id: str | None = None,
        agency: str | None = None,
        rating: int | None = None,
        advance_questions_helped: bool | None = None,
        useful_question_ids: Iterable[str] = (),
        comments: str = "",
    ) -> Feedback:
        """Record a participant's (or, without one, an agency's) feedback, replacing what they
        said before: there is one feedback per participant or agency."""
        if participant_id is None and not (agency and clean_line(agency)):
            raise ValueError("feedback is from a participant or an agency")
        if rating is not None and not 1 <= int(rating) <= 5:
            raise ValueError("a rating is from 1 to 5")
        with self.atomic():
            known = {q.id for q in self.list_questions(conversation_id)}
            useful = [qid for qid in dict.fromkeys(useful_question_ids) if qid in known]
            if participant_id is not None:
                person = self.get_participant(participant_id)
                if person.conversation_id != conversation_id:
                    raise NotFound(f"participant {participant_id} is not part of this conversation")
                agency = person.agency
                existing = self._one(
                    "SELECT id FROM feedback WHERE conversation_id = ? AND participant_id = ?",
                    [conversation_id, participant_id],
                )
            else:
                existing = self._one(
                    "SELECT id FROM feedback WHERE conversation_id = ? AND participant_id IS NULL "
                    "AND agency = ?",
                    [conversation_id, clean_line(agency or "")],
                )
            if existing is None:
                return self.add_feedback(
                    conversation_id,
                    participant_id=participant_id,
                    agency=agency,
                    rating=rating,
                    advance_questions_helped=advance_questions_helped,
                    useful_question_ids=useful,
                    comments=comments,
                )
            self._update(
                "feedback",
                existing["id"],
                {
                    "agency": clean_line(agency) if agency else None,
                    "rating": rating,
                    "advance_questions_helped": None
                    if advance_questions_helped is None
                    else int(advance_questions_helped),
                    "useful_question_ids": json.dumps(useful),
                    "comments": clean(comments).strip(),
                    "updated_at": domain.utc_now(),
                },
            )
            return self.get_feedback(existing["id"])

    def delete_feedback(self, feedback_id: str) -> None:
        with self.atomic():
            self.get_feedback(feedback_id)
            self.db.execute("DELETE FROM feedback WHERE id = ?", [feedback_id])

    @staticmethod
    def parse_due_date(due: str | None) -> str | None:
        """A due date as stored: YYYY-MM-DD (2026-4-3 is read as 2026-04-03), or None. A date
        written right that is not on the calendar (2027-02-30) is said not to exist."""
        import calendar
        import re
        from datetime import datetime

        if due is None or not due.strip():
            return None
        try:
            return datetime.strptime(due.strip(), "%Y-%m-%d").date().isoformat()
        except ValueError:
            shape = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", due.strip())
            if shape is None:
                raise ValueError(
                    f"a due date is YYYY-MM-DD, like 2026-04-30, not {clean_line(due)!r}"
                ) from None
            year, month, _ = (int(part) for part in shape.groups())
            if not 1 <= month <= 12:
                why = "a year has 12 months"
            elif year < 1:
                why = "there is no year 0"
            else:
                days = calendar.monthrange(year, month)[1]
                why = f"{calendar.month_name[month]} {year} has {days} days"
            raise ValueError(f"{clean_line(due)} does not exist: {why}") from None

    # ===== insights and merging =====
    # Partnership learning: merging bundles from several laptops (SQL in store/merge.py), the
    # figures of the insights screen and `appreciate insights` (store/insights.py), and the
    # partnership's own annotations, scores and links to outcome areas (store/scores.py).

    def merge_bundles(
        self,
        bundles: Iterable[
            tuple[dict[str, list[dict[str, Any]]], dict[str, Any], dict[str, Any], bool]
        ],
    ) -> list[dict[str, Any]]:
        """Merge checked bundles, each `(tables, history, lost, redacted)`, all in ONE
        transaction: every bundle is merged or, if anything fails (`merge.RowElsewhere` for a row
        that would move), none is. One `merge.TableMerge` per table per bundle: added, updated,
        skipped, refused (erased here), conflicts."""
        from appreciate_tui.store import transfer
        from appreciate_tui.store import merge

        # A bigger page cache for the run: rows keyed by random UUIDs touch pages all over.
        cache = self.db.execute("PRAGMA cache_size").fetchone()[0]
        self.db.execute("PRAGMA cache_size = -65536")
        try:
            with self.atomic(), merge.note_triggers_set_aside(self.db) as inserted_notes:
                bundle_schema = transfer.schema(self.db)
                return [
                    merge.merge_rows(self.db, tables, history, lost, redacted=redacted,
                                     bundle_schema=bundle_schema, inserted_notes=inserted_notes)
                    for tables, history, lost, redacted in bundles
                ]
        finally:
            self.db.execute(f"PRAGMA cache_size = {int(cache)}")

    def row_history(self, conversation_id: str) -> dict[str, dict[str, dict[str, list[str]]]]:
        """The earlier versions (digests) this database has had of a conversation's rows
        (`history`) and those that lost a conflict (`lost`), for its bundle: how another laptop
        tells an edit made here from one made there, and a conflict already met here."""
        from appreciate_tui.store import merge

        self.get_conversation(conversation_id)
        return merge.history(self.db, conversation_id)

    def remember_exported(self, conversation_id: str) -> None:
        """Record the versions of a conversation's rows that just left in a bundle."""
        from appreciate_tui.store import merge

        with self.atomic():
            merge.remember_conversation(self.db, conversation_id)

    def insight_rows(self, since: str | None = None) -> dict[str, list[Any]]:
        """Everything the insights are made of, as aggregate rows (appreciate_tui/insights/compute.py);
        `since` is a YYYY-MM-DD date, or None for every conversation."""
        from appreciate_tui.store import insights

        def read() -> dict[str, list[Any]]:
            return {
                "conversations": insights.conversations(self.db, since),
                "stance_counts": insights.stance_counts(self.db),
                "theme_terms": insights.theme_terms(self.db, since),
                "actions": insights.actions(self.db, since),
                "action_counts": insights.action_counts(self.db, since),
                "successes": insights.successes(self.db, since, 200),
                "attendance": insights.attendance(self.db, since),
                "contributions": insights.contributions(self.db, since),
                "questions": insights.questions(self.db, since),
                "scores": insights.scores(self.db, since),
                "outcome_links": insights.outcome_links(self.db, since),
            }

        # Hundreds of thousands of strings are read: decoded by SQLite's own UTF-8 reader, not the
        # connection's replacing one, which is only needed (and used, reading again) when some
        # text is not valid UTF-8.
        conn = self.db.conn
        replacing = conn.text_factory
        conn.text_factory = str
        try:
            try:
                return read()
            except OPERATIONAL_ERRORS:
                conn.text_factory = replacing
                return read()
        finally:
            conn.text_factory = replacing

    def questions_asked_in(
        self, kind: str, texts: list[str], *, since: str | None = None
    ) -> set[str]:
        """The conversations (not in the bin, dated `since` or later) that asked a question of
        this kind (prepared or follow_up) worded exactly as one of `texts`."""
        from appreciate_tui.store import insights

        return insights.asked_in(self.db, since, kind, texts)

    def theme_notes(
        self, stance: Stance | str, term: str, *, since: str | None = None, limit: int = 200
    ) -> list[dict[str, Any]]:
        """The notes of a stance that use a word or #tag, newest first (insights drill-down)."""
        from appreciate_tui.store import insights

        return insights.theme_note_ids(self.db, Stance(stance).value, term, since, limit)

    def record_score(
        self,
        conversation_id: str,
        question_id: str,
        value: int,
        *,
        agency: str | None = None,
        participant_id: str | None = None,
        comment: str = "",
    ) -> tuple[Note, domain.Score]:
        """Record a 0-10 score for an agency or participant under a question, with the note
        that shows it in the record ("Scored 7/10: comment"), in one transaction."""
        from appreciate_tui.store import scores

        if type(value) is not int or not 0 <= value <= 10:
            raise ValueError("a score is a whole number from 0 to 10")
        said = clean_line(comment)
        body = f"Scored {value}/10" + (f": {said}" if said else "")
        with self.atomic():
            note = self.add_note(
                conversation_id, question_id, body, Stance.NOTE,
                agency=agency, participant_id=participant_id,
            )
            row = {
                "id": _new_id(),
                "conversation_id": conversation_id,
                "question_id": question_id,
                "note_id": note.id,
                "participant_id": note.participant_id,
                "agency": note.agency,
                "value": value,
                "created_at": note.created_at,
                "updated_at": note.created_at,
            }
            scores.insert_score(self.db, row)
        return note, domain.Score(**row)

    def list_scores(self, conversation_id: str) -> list[domain.Score]:
        """The conversation's scores whose notes are still there, oldest first."""
        from appreciate_tui.store import scores

        return [domain.Score(**row) for row in scores.score_rows(self.db, conversation_id)]

    def link_outcome(self, area: str, kind: str, target_id: str, *, linked: bool = True) -> None:
        """Link (or with `linked=False`, unlink) a conversation, note or action to an outcome
        area (an id from outcomes.toml)."""
        from appreciate_tui.store import scores

        area = clean_line(area)
        if not area:
            raise ValueError("an outcome area needs an id")
        with self.atomic():
            if kind == "conversation":
                conversation_id = self.get_conversation(target_id).id
            elif kind == "note":
                conversation_id = self.get_note(target_id).conversation_id
            elif kind == "action":
                conversation_id = self.get_action(target_id).conversation_id
            else:
                raise ValueError(f"an outcome link is to a conversation, note or action, not {kind!r}")
            scores.set_link(
                self.db, area=area, kind=kind, target_id=target_id,
                conversation_id=conversation_id, linked=linked, stamp=domain.utc_now(),
            )

    def outcome_areas_of(self, kind: str, target_id: str) -> set[str]:
        """The outcome areas a conversation, note or action is linked to."""
        from appreciate_tui.store import scores

        return scores.areas_linked(self.db, kind, target_id)

    # ================================================================ the view for the room
    # `appreciate present` follows the live conversation through a read-only store of its own,
    # asking often whether anything changed and reading only when it has (SQL in store/room.py).

    def data_version(self) -> int:
        """A number that changes whenever another connection commits to this database (SQLite's
        `PRAGMA data_version`, which costs microseconds and reads no page)."""
        try:
            return int(self.db.execute("PRAGMA data_version").fetchone()[0])
        except ERRORS as exc:
            raise StoreError(f"the database could not be read ({_describe(exc)})") from exc

    def room_view(
        self, chosen: str | None = None, *, last_shown: str | None = None
    ) -> room.RoomView:
        """What the room is shown: the conversation `chosen`, else the most recently active live
        one, else the end of `last_shown` when that one has just closed. Never a note or a name."""
        from appreciate_tui.store import room

        try:
            return room.read(self.db, chosen, last_shown=last_shown)
        except ERRORS as exc:
            raise StoreError(f"the database could not be read ({_describe(exc)})") from exc
