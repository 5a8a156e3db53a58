"""Putting a backup back: `appreciate restore BACKUP`.

The backup is checked first (SQLite's check, SQLCipher's page check when it is encrypted, and that
it is an appreciate database), then, holding the single-writer lock so no appreciate can be writing,
the current database is moved aside whole (with its -wal and -shm, so nothing in its journal is
lost), a copy of the backup is checked once more under a staging name and renamed into place. The
file it replaced stays beside it, mode 0600, until the facilitator deletes it.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from appreciate_tui import domain, portable
from appreciate_tui.store import cipher, opening, safety
from appreciate_tui.store.safety import StoreError


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    encrypted: bool
    conversations: int
    notes: int
    newest: str | None  # the most recent conversation date in it


@dataclass(frozen=True)
class Restored:
    database: Path
    kept_aside: Path | None  # the database it replaced, if there was one
    info: BackupInfo


def key_needed(backup: Path) -> bool:
    return cipher.looks_encrypted(backup)


def inspect(backup: Path, key: cipher.Key | None = None) -> BackupInfo:
    """Check a backup and say what is in it. Raises `DatabaseDamaged`, `WrongPassphrase`."""
    backup = Path(backup).expanduser().absolute()
    if not backup.is_file():
        raise StoreError(f"{backup}: there is no backup file here")
    use = key if cipher.looks_encrypted(backup) else None
    if cipher.looks_encrypted(backup) and key is None:
        raise cipher.WrongPassphrase(f"{backup}: this backup is encrypted; its passphrase is needed")
    opening.verify(backup, key=use)
    conn = cipher.connect(safety.read_only_uri(backup), use, uri=True, path=backup)
    try:
        conversations, newest = conn.execute("SELECT count(*), max(date) FROM conversations").fetchone()
        notes = conn.execute("SELECT count(*) FROM notes").fetchone()[0]
    finally:
        conn.close()
    return BackupInfo(backup, use is not None, conversations, notes, newest)


def _settle(database: Path, key: cipher.Key | None) -> None:
    """Fold the write-ahead log into the file, so the copy kept aside is whole on its own. A
    damaged file is left exactly as it is (its -wal moves aside with it)."""
    try:
        conn = cipher.connect(database, key, timeout=5.0, path=database)
    except (StoreError, *cipher.ERRORS):  # type: ignore[misc]  # mypy cannot read a starred tuple
        return
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except cipher.ERRORS:
        pass
    finally:
        conn.close()


def restore(database: Path, backup: Path, *, key: cipher.Key | None = None,
            database_key: cipher.Key | None = None) -> Restored:
    """Replace `database` by a checked copy of `backup`; refuses while another process holds the
    writer lock. `key` opens the backup, `database_key` the current database (both default to
    the same key: backups share their database's key)."""
    database = Path(database).expanduser().absolute()
    backup = Path(backup).expanduser().absolute()
    if backup == database:
        raise StoreError(f"{backup}: that is the database itself, not a backup of it")
    database_key = database_key if database_key is not None else key
    lock = safety.WriterLock.acquire(database)
    if lock is None:
        pid = safety.holder_pid(database)
        holder = f" (process {pid})" if pid else ""
        raise StoreError(
            f"{database}: another appreciate{holder} is using this database; close it, then restore"
        )
    try:
        info = inspect(backup, key)
        use = key if info.encrypted else None
        # The copy is made and checked before the current database is touched: if anything fails
        # up to here, nothing has changed.
        staging = database.with_name(database.name + ".restoring")
        staging.unlink(missing_ok=True)
        fd = os.open(staging, os.O_WRONLY | os.O_CREAT | os.O_EXCL | portable.BINARY, 0o600)
        with os.fdopen(fd, "wb") as out, open(backup, "rb") as source_file:
            # The backup is a closed file no connection of ours holds: a plain copy is safe.
            shutil.copyfileobj(source_file, out, 1024 * 1024)
            out.flush()
            os.fsync(out.fileno())
        try:
            opening.verify(staging, key=use)
        except BaseException:
            staging.unlink(missing_ok=True)
            raise
        kept = None
        if database.exists():
            _settle(database, database_key if cipher.looks_encrypted(database) else None)
            stamp = domain.now().strftime("%Y%m%dT%H%M%S%fZ")
            kept = database.with_name(f"{database.name}.before-restore-{stamp}")
            # A second name for the current file first, so there is a database at the path at
            # every moment; its -wal and -shm go with it before the new file arrives (a journal
            # left beside the new file would be replayed into it).
            os.link(database, kept)
            portable.keep_private(kept)
            for side in safety.SIDE_FILES:
                source = database.with_name(database.name + side)
                if source.exists():
                    target = kept.with_name(kept.name + side)
                    os.rename(source, target)
                    portable.keep_private(target)
        os.replace(staging, database)
        portable.sync_folder(database.parent)
        return Restored(database, kept, info)
    finally:
        lock.release()
