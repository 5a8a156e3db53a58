"""`appreciate encrypt` and `appreciate rekey`: a database (and its backups) converted to SQLCipher,
or to a new passphrase, without a moment when the file at the path is half done.

For each file: its write-ahead log is folded in; `sqlcipher_export` copies every table, index,
trigger and full-text index into a new file under a staging name, encrypted with the new key;
the copy is checked (SQLite's check, SQLCipher's page check, each full-text index's own check, the
same number of rows in every table); it is renamed over the old file, and the old file, kept by a
second name until then, is overwritten with zeros and removed.

What this cannot promise: on an SSD, or a copy-on-write or journalling filesystem, the drive may
keep the old blocks after they were overwritten. Full-disk encryption covers that; docs/privacy.md
says so.
"""

from __future__ import annotations

import glob
import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from appreciate_tui import paths, portable
from appreciate_tui.store import cipher, opening, safety
from appreciate_tui.store.free_text import fts_tables
from appreciate_tui.store.schema import MIGRATION_SET
from appreciate_tui.store.safety import StoreError


@dataclass
class Conversion:
    database: Path
    backups_converted: list[Path] = field(default_factory=list)
    backups_failed: list[tuple[Path, str]] = field(default_factory=list)
    plaintext_left: list[Path] = field(default_factory=list)


def check_new_passphrase(passphrase: str) -> str:
    if len(passphrase) < cipher.MIN_PASSPHRASE:
        raise StoreError(f"a passphrase needs at least {cipher.MIN_PASSPHRASE} characters")
    if passphrase != passphrase.strip():
        raise StoreError("a passphrase cannot start or end with a space")
    return passphrase


def check_key(database: Path, key: cipher.Key) -> None:
    """Raise `WrongPassphrase` unless `key` opens `database` (read-only; nothing is written)."""
    conn = cipher.connect(safety.read_only_uri(database), key, uri=True, path=database)
    conn.close()


def _tables(conn: Any) -> list[str]:
    return [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]


def _ensure_alone(path: Path) -> None:
    """SQLite removes -wal and -shm when the last connection closes: if they are still there,
    some other program has the database open, and replacing the file under it is refused."""
    if any(path.with_name(path.name + side).exists() for side in safety.SIDE_FILES):
        raise StoreError(
            f"{path}: another program has this database open; close every appreciate window "
            "(and anything else using the file), then try again"
        )


def _settle(path: Path, key: cipher.Key | None) -> dict[str, int]:
    """Count every table's rows, fold the journal into the file and close (the only connection)."""
    conn = cipher.connect(path, key, timeout=5.0, path=path)
    try:
        counts = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in _tables(conn)}
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    _ensure_alone(path)
    return counts


def _export(source: Path, source_key: cipher.Key | None, dest: Path, dest_key: cipher.Key) -> None:
    module = cipher.require()
    conn = module.connect(str(source), timeout=5.0)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        if source_key is not None:
            conn.execute(f'PRAGMA key = "{source_key.spec}"')
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.execute(f"ATTACH DATABASE ? AS converted KEY \"{dest_key.spec}\"", [str(dest)])
        conn.execute("SELECT sqlcipher_export('converted')")
        conn.execute("DETACH DATABASE converted")
    finally:
        conn.close()


def _check_copy(path: Path, key: cipher.Key, expected: dict[str, int], *, ours: bool) -> None:
    conn = cipher.connect(path, key, path=path)
    try:
        found = safety.quick_check(conn)
        if found != ["ok"]:
            raise StoreError(f"{path}: the encrypted copy failed its check ({found[0]})")
        problems = cipher.integrity_problems(conn)
        if problems:
            raise StoreError(f"{path}: the encrypted copy failed its page check ({problems[0]})")
        counts = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in _tables(conn)}
        if counts != expected:
            raise StoreError(f"{path}: the encrypted copy does not hold the same rows; nothing changed")
        if ours:
            applied = conn.execute(
                "SELECT count(*) FROM _sqlite_migrations WHERE migration_set = ?", [MIGRATION_SET]
            ).fetchone()[0]
            if not applied:
                raise StoreError(f"{path}: the encrypted copy is not an appreciate database")
            # Every search index: those of FTS_COLUMNS and those of the rest of the record.
            for index in (name for name in fts_tables(conn) if name.endswith("_fts")):
                conn.execute(f"INSERT INTO {index}({index}) VALUES ('integrity-check')")
            conn.commit()
    finally:
        conn.close()


def _swap(path: Path, staging: Path) -> None:
    """Put `staging` at `path` in one rename, then overwrite and remove the old file."""
    aside = path.with_name(f"{path.name}.replaced-{uuid.uuid4().hex[:12]}")
    os.link(path, aside)
    os.replace(staging, path)
    portable.sync_folder(path.parent)
    cipher.shred(aside)


def convert_file(path: Path, old_key: cipher.Key | None, new_key: cipher.Key, *,
                 ours: bool = True) -> None:
    """Re-write one closed database file encrypted with `new_key` (from plain, or another key)."""
    staging = path.with_name(path.name + ".converting")
    for side in ("", "-journal", *safety.SIDE_FILES):
        staging.with_name(staging.name + side).unlink(missing_ok=True)
    expected = _settle(path, old_key)
    safety.make_private_file(staging)
    try:
        _export(path, old_key, staging, new_key)
        _ensure_alone(path)
        _check_copy(staging, new_key, expected, ours=ours)
        portable.keep_private(staging)
        _swap(path, staging)
    except BaseException:
        for side in ("", "-journal", *safety.SIDE_FILES):
            staging.with_name(staging.name + side).unlink(missing_ok=True)
        raise


def leftover_plaintext(database: Path) -> list[Path]:
    """This database's own plain SQLite files: a copy beside it (`<name>.before-restore-…`, a
    damaged copy kept by that name) or a backup with its name that is still plain. An encrypted
    database does not protect what they hold. Other databases in the folder, and their backups,
    are theirs: never named here, never touched."""
    own_names = safety.backup_name_pattern(database)
    candidates = [p for p in database.parent.glob(f"{glob.escape(database.name)}.*")
                  if not p.name.endswith((".lock", "-wal", "-shm"))]
    backups = paths.backups_dir(database)
    if backups.is_dir():
        candidates += [p for p in backups.iterdir() if own_names.fullmatch(p.name)]
    found = []
    for candidate in sorted(candidates):
        if not candidate.is_file():
            continue
        try:
            fd = os.open(candidate, os.O_RDONLY | portable.BINARY)
            try:
                header = os.read(fd, 16)
            finally:
                os.close(fd)
        except OSError:
            continue
        if header == cipher.SQLITE_MAGIC:
            found.append(candidate)
    return found


def _convert_database(database: Path, old_key: cipher.Key | None, new_key: cipher.Key) -> Conversion:
    cipher.require()
    database = Path(database).expanduser().absolute()
    if not database.exists():
        raise StoreError(f"{database}: there is no database here yet")
    lock = safety.WriterLock.acquire(database)
    if lock is None:
        pid = safety.holder_pid(database)
        holder = f" (process {pid})" if pid else ""
        raise StoreError(f"{database}: another appreciate{holder} is using this database; close it first")
    try:
        opening.verify(database, key=old_key)
        # Its own backups, told apart from other databases' while it can still be read with the
        # key they share.
        backups = safety.list_backups(database, old_key)
        convert_file(database, old_key, new_key)
        result = Conversion(database)
        for backup in backups:
            try:
                backup_key = old_key if cipher.looks_encrypted(backup) else None
                convert_file(backup, backup_key, new_key)
                result.backups_converted.append(backup)
            except (StoreError, *cipher.ERRORS, OSError) as exc:  # type: ignore[misc]
                result.backups_failed.append((backup, str(exc)))
        result.plaintext_left = leftover_plaintext(database)
        cipher.forget(database)  # the key this process held is no longer the right one
        return result
    finally:
        lock.release()


def encrypt(database: Path, passphrase: str) -> Conversion:
    """Encrypt a plain database and its backups with `passphrase`."""
    database = Path(database).expanduser().absolute()
    if database.exists() and cipher.looks_encrypted(database):
        raise StoreError(f"{database}: this database is already encrypted; `appreciate rekey` "
                         "changes its passphrase")
    key = cipher.derive(check_new_passphrase(passphrase))
    return _convert_database(database, None, key)


def rekey(database: Path, old_key: cipher.Key, passphrase: str) -> Conversion:
    """Re-encrypt an encrypted database and its backups with a new passphrase (and a new salt)."""
    database = Path(database).expanduser().absolute()
    if not cipher.looks_encrypted(database):
        raise cipher.NotEncrypted(f"{database}: this database is not encrypted; `appreciate encrypt` "
                                  "encrypts it")
    check_key(database, old_key)
    key = cipher.derive(check_new_passphrase(passphrase))
    return _convert_database(database, old_key, key)
