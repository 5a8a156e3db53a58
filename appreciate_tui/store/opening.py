"""Opening a database file: the steps `Store.open` takes, public for the code that checks a file
before using it (store/encryption.py, store/recovery.py).

`verify` refuses an empty, damaged or foreign file through a read-only connection; `create` builds
a new database under a staging name and puts it in place once complete; `connect` makes the
store's connection, applies the pragmas and `migrate`s. `open_store` runs them in order, with the
single-writer lock (store/safety.py). The store's own deferred check is `Store.finish_check`.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from appreciate_tui import paths, portable
from appreciate_tui.store import cipher, safety, share_queue
from appreciate_tui.store.errors import (
    DATABASE_ERRORS,
    ERRORS,
    OPERATIONAL_ERRORS,
    DatabaseDamaged,
    StoreError,
    describe,
)
from appreciate_tui.store import schema

if TYPE_CHECKING:
    from appreciate_tui.store.core import Core

S = TypeVar("S", bound="Core")


def open_store(
    cls: type[S],
    path: Path | str | None = None,
    *,
    read_only: bool = False,
    passphrase: str | None = None,
    key: cipher.Key | None = None,
    check: Literal["full", "deferred"] = "full",
) -> S:
    """`Store.open`, which says what it does; `cls` is the class of store to make."""
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
        verify(
            path, key=key, immutable=immutable, thorough=check == "full" and checked_at is None
        )
        if check == "full" and checked_at is None:
            checked_at = started

    reason = "opened read-only on request" if read_only else None
    lock = None
    if folder_read_only:
        reason = read_only_folder_reason(path, immutable)
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
                verify(path, key=key, immutable=immutable)
        if not exists:
            checked_at = time.time()
            create(path, key=key)
        store = connect(
            cls,
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
    if lock is not None and exists:
        # Shares exported while another appreciate held the file wait for its next writer.
        share_queue.take_in_at_open(store)
    return store


def read_only_folder_reason(path: Path, immutable: bool) -> str:
    reason = f"the folder {path.parent} is read-only"
    wal = path.with_name(path.name + "-wal")
    if immutable and wal.exists() and wal.stat().st_size > 0:
        reason += (
            f"; the latest changes (kept in {wal.name}) cannot be shown until it can be "
            "written again"
        )
    return reason


def verify(
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
            "SELECT 1 FROM _sqlite_migrations WHERE migration_set = ? LIMIT 1", [schema.MIGRATION_SET]
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


def create(path: Path, *, key: cipher.Key | None = None) -> None:
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
        from sqlite_utils import Database

        schema.migrations.apply(Database(conn, execute_plugins=False))
    except ERRORS as exc:
        raise StoreError(
            f"{path}: a new database could not be created ({describe(exc)})."
        ) from exc
    finally:
        conn.close()
    if path.exists():  # another appreciate made it and let go of the lock a moment ago
        raise StoreError(
            f"{path}: another appreciate created this database just now; open it again."
        )
    os.rename(staging, path)
    portable.sync_folder(path.parent)  # the new name survives a power cut


def connection_to(
    path: Path, key: cipher.Key | None, *, read_only: bool, immutable: bool = False
) -> Any:
    """A connection to the file, with the settings of DESIGN.md section 5 (`safety.PRAGMAS`):
    a store's own (`connect`), or the drafts' writer's (store/draft_writer.py)."""
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
    return conn


def connect(
    cls: type[S],
    path: Path,
    *,
    exists: bool,
    lock: safety.WriterLock | None,
    read_only_reason: str | None,
    key: cipher.Key | None = None,
    immutable: bool = False,
    check_pending: bool = False,
    checked_at: float | None = None,
) -> S:
    read_only = read_only_reason is not None
    if not exists:
        safety.make_private_file(path)
    conn = connection_to(path, key, read_only=read_only, immutable=immutable)
    store = cls(
        conn,
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
            migrate(store, had_schema=exists)
        except BaseException as exc:
            conn.close()
            cipher.release(store._held)
            if isinstance(exc, ERRORS):
                raise StoreError(
                    f"{path}: the database could not be updated for this version of appreciate "
                    f"({describe(exc)}); the failed change was undone."
                ) from exc
            raise
        safety.tighten(path)
    return store


def migrate(store: Core, *, had_schema: bool) -> None:
    # Read without sqlite-utils: a file already up to date opens without loading it.
    if not schema.pending(store.reads):
        return
    if store.finish_check() is not None:
        raise DatabaseDamaged(store.check_failure or "")
    if had_schema:
        # A schema change on a file with conversations in it: keep a verified copy first.
        store.rotate_backups()
    schema.migrations.apply(store.db)
