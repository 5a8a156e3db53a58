"""The core every part of the `Store` builds on: the open connection and its state, the
transaction (`atomic`), the four row helpers the table groups write through, the full check and
the backups. How a file is opened is store/opening.py's.
"""

from __future__ import annotations

import sys
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from appreciate_tui import domain, paths
from appreciate_tui.domain import ChecksumMismatch, CheckReport, UnreadableValue
from appreciate_tui.store import cipher, opening, rows, safety
from appreciate_tui.store.reading import Reads
from appreciate_tui.store.errors import (
    ERRORS,
    DamagedWhileSaving,
    NotFound,
    ReadOnlyError,
    SaveError,
    StoreError,
    describe,
    is_damage,
)

if TYPE_CHECKING:
    from sqlite_utils import Database

    from appreciate_tui.store.draft_writer import DraftWriter

UNSET: Any = object()
"""The default of an argument whose None means something (clear it): not given."""


def new_id() -> str:
    return str(uuid.uuid4())


class Core:
    """An open appreciate database: the connection, its transactions and its safety."""

    def __init__(
        self,
        conn: Any,
        path: Path,
        *,
        lock: safety.WriterLock | None,
        read_only_reason: str | None,
        key: cipher.Key | None = None,
    ) -> None:
        self.conn = conn
        """The connection (the standard library's, or SQLCipher's for an encrypted file)."""
        self.reads = Reads(conn)
        """Reading on the connection without sqlite-utils (store/reading.py)."""
        self._db: Database | None = None
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
        self._drafts: DraftWriter | None = None

    @property
    def db(self) -> Database:
        """sqlite-utils on the connection, for writing and for the schema: loaded the first time
        it is asked for (store/reading.py says why), with no plugins, so nothing installed
        elsewhere gets to run code on this database."""
        if self._db is None:
            from sqlite_utils import Database

            self._db = Database(self.conn, execute_plugins=False)
        return self._db

    @staticmethod
    def prepare_writes() -> None:
        """Load sqlite-utils now, so the first note written does not wait for it: the app does,
        on a thread of its own, once its first screen is drawn. Safe on any thread; `db` itself
        is made on the connection's own thread when first used."""
        import sqlite_utils  # noqa: F401

    def open_reader(self) -> Self:
        """A read-only store on a connection of its own to this database, for a worker thread
        (an SQLite connection belongs to the thread that made it: call this in that thread).

        The file was checked when this store opened it, so the reader opens in a millisecond
        and takes no lock. Close it when the thread is done."""
        return opening.connect(
            type(self),
            self.path,
            exists=True,
            lock=None,
            read_only_reason="a second connection, for reading only",
            key=self.key,
        )

    # ---------------------------------------------------------------- state and closing

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
                    opening.verify(self.path, key=self.key, immutable=self._immutable)
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
        if is_damage(sys.exc_info()[1]):
            self._damage_seen = True
        if self._drafts is not None:
            self._drafts.close()  # what it was given lands first
            self._drafts = None
        closed = False
        try:
            self.conn.close()
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

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---------------------------------------------------------------- transactions

    @contextmanager
    def atomic(self) -> Iterator[Self]:
        """Group writes: all of them are committed together, or none is.

        A draft still on its way to the disk (`save_drafts_soon`) lands first, so whatever this
        writes comes after it: a note that clears its draft is never followed by that draft."""
        if self._drafts is not None:
            self._drafts.wait()
        conn = self.conn
        if conn.in_transaction:
            with self.db.atomic():
                yield self
            return
        with self.transaction(conn):
            yield self

    @contextmanager
    def transaction(self, conn: Any) -> Iterator[None]:
        """One write transaction on `conn` (this store's connection, or the drafts' own): the
        deferred check first, nothing at all on a read-only or damaged file, and SQLite's
        failures said as `SaveError`, or `DamagedWhileSaving` when a page turned out damaged."""
        if self._check_pending and not self.read_only:
            self.finish_check()
        if self.read_only:
            raise ReadOnlyError(f"{self.path}: {self.read_only_reason}; nothing can be changed.")
        try:
            conn.execute("BEGIN IMMEDIATE")
        except ERRORS as exc:
            if is_damage(exc):
                raise self._refuse_damaged(exc) from exc
            raise SaveError(describe(exc)) from exc
        try:
            yield
            conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:
                try:
                    conn.execute("ROLLBACK")
                except ERRORS:
                    pass  # the failure already ended the transaction
            if is_damage(exc):
                raise self._refuse_damaged(exc) from exc
            if isinstance(exc, (*ERRORS, UnicodeEncodeError)):
                raise SaveError(describe(exc)) from exc
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

    def _one(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> dict[str, Any] | None:
        """The first row a read returns, as a dict; None when there is none."""
        return next(self.reads.query(sql, params), None)

    def _get_row(self, table: str, row_id: str, what: str) -> dict[str, Any]:
        row = self._one(f"SELECT * FROM {table} WHERE id = ?", [row_id])
        if row is None:
            raise NotFound(f"no {what} with id {row_id}")
        return row

    # ---------------------------------------------------------------- checks and backups

    def check(self) -> CheckReport:
        """SQLite's own check, plus each note's text against the checksum stored when it was
        written, and each JSON value against the shape appreciate writes: a change made behind the
        app's back shows up here."""
        started = time.time()
        found = safety.quick_check(self.conn)
        if found == ["ok"] and self.key is not None:
            found = cipher.integrity_problems(self.conn) or ["ok"]
        if found != ["ok"]:
            self._damage_seen = True
            safety.forget_check(self.path)
        elif self._checked_at is not None:
            self._checked_at = started
        mismatches = []
        checked = 0
        for row in self.reads.query("SELECT id, conversation_id, body, sha256 FROM notes"):
            checked += 1
            actual = rows.body_digest(row["body"])
            if actual != row["sha256"]:
                mismatches.append(
                    ChecksumMismatch(row["id"], row["conversation_id"], row["sha256"], actual)
                )
        unreadable = [
            UnreadableValue(table, row["id"], column, label)
            for (table, column), label in rows.JSON_COLUMNS.items()
            for row in self.reads.query(f"SELECT id, {column} FROM {table}")
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
            return safety.vacuum_into(self.conn, Path(dest), key=self.key)
        except ERRORS as exc:
            raise StoreError(f"the backup could not be written: {describe(exc)}") from exc
        except OSError as exc:
            raise StoreError(f"the backup could not be written: {exc.strerror or exc}") from exc

    def rotate_backups(self, keep: int = 10) -> Path:
        """A dated backup in the backups folder beside the database; the newest `keep` of this
        database's own backups are kept (never another database's: `safety.list_backups`)."""
        folder = paths.ensure_private_dir(paths.backups_dir(self.path))
        made = self.backup(folder / safety.backup_name(self.path, domain.now()))
        safety.keep_newest_backups(self.path, keep, self.key)
        return made

    def backup_after_conversation(self) -> Path | None:
        """`rotate_backups`, reporting a failure in `last_backup_problem` instead of raising."""
        if self.conn.in_transaction:
            self.last_backup_problem = "no backup inside a transaction; it is taken at the next close"
            return None
        try:
            made = self.rotate_backups()
        except StoreError as exc:
            self.last_backup_problem = str(exc)
            return None
        self.last_backup_problem = None
        return made
