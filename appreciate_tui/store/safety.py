"""Keeping the database file safe: permissions, pragmas, the single-writer lock, the open-time
checks and verified backups (DESIGN.md section 5; shared research, reliability.md sections 1 and 6).

Nothing here opens the `.db` file with Python file I/O: closing such a handle would drop SQLite's
POSIX locks on it. Sizes and modes are read by path; the lock lives in a separate file. What the
platforms do differently (modes, the lock itself) is `appreciate_tui.portable`'s.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import tempfile
import time
import urllib.parse
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from appreciate_tui import portable
from appreciate_tui.store import cipher
from appreciate_tui.store.errors import SQLITE_MAGIC, DatabaseDamaged, StoreError

PRAGMAS = (
    ("synchronous", "FULL"),
    ("foreign_keys", "ON"),
    ("secure_delete", "ON"),
    ("busy_timeout", "5000"),
    ("temp_store", "MEMORY"),
    # After a checkpoint the WAL is cut back, so a long meeting does not leave a large file
    # holding old note text.
    ("journal_size_limit", str(8 * 1024 * 1024)),
    # What sqlite-utils sets on a connection it is given: here too, so triggers fire the same way
    # before it is loaded (store/reading.py) as after.
    ("recursive_triggers", "ON"),
)

SIDE_FILES = ("-wal", "-shm")


def make_private_file(path: Path) -> None:
    """Create `path` empty with mode 0600 if it does not exist (SQLite would create it 0644)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    os.close(fd)


def tighten(path: Path) -> None:
    """Make the database and its -wal/-shm files 0600, whatever the umask was."""
    for candidate in (path, *(path.with_name(path.name + s) for s in SIDE_FILES)):
        try:
            if portable.open_to_others(candidate):
                portable.keep_private(candidate)
        except FileNotFoundError:
            continue


def read_only_uri(path: Path, *, immutable: bool = False) -> str:
    """An SQLite URI opening `path` read-only. The path is percent-quoted: a `?`, `#` or `%` in a
    folder name would otherwise be read as the start of the query, a fragment or an escape, and
    SQLite would open (or create) some other file.

    `immutable` is for a WAL database in a folder nobody may write to: SQLite cannot make the
    `-shm` file there, so even reading fails without it (reliability.md section 7.3)."""
    return f"file:{urllib.parse.quote(str(path))}?mode=ro" + ("&immutable=1" if immutable else "")


def apply_pragmas(conn: sqlite3.Connection, *, read_only: bool) -> None:
    if not read_only:
        mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise StoreError(f"could not switch the database to WAL mode (it is {mode})")
    for name, value in PRAGMAS:
        conn.execute(f"PRAGMA {name}={value}")


def quick_check(conn: sqlite3.Connection) -> list[str]:
    """`PRAGMA quick_check`: ['ok'] for a healthy file, else what SQLite found."""
    return [row[0] for row in conn.execute("PRAGMA quick_check").fetchall()]


def header_problem(path: Path) -> str | None:
    """What the 100-byte header of an SQLite file says is wrong with it, without reading any other
    page: an impossible page size, or a file shorter than the length it records (cut off by a
    failed copy or a full disk). None when the header is sound; the pages themselves are quick_check's."""
    with open(path, "rb") as file:
        header = file.read(100)
        size = os.fstat(file.fileno()).st_size
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        return None  # not SQLite, or encrypted: opening it says which, with the right advice
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        return "the file's header is damaged (impossible page size)"
    pages = int.from_bytes(header[28:32], "big")
    # The recorded length counts only when it was written with the rest of the header.
    recorded = header[24:28] == header[92:96] and pages > 0
    if recorded and size < pages * page_size:
        return (
            f"the file is cut short: {size:,} bytes where its header records "
            f"{pages * page_size:,}"
        )
    return None


def damaged(path: Path, problem: str) -> DatabaseDamaged:
    """The one-line error for a database that cannot be used, pointing at the newest backup."""
    newest = newest_backup(path)
    if newest is not None:
        advice = (
            f"it has not been changed. The newest backup is {newest}: move the damaged file "
            f"aside and copy the backup to {path}"
        )
    else:
        advice = "it has not been changed. Move it aside or choose another file with --db"
    return DatabaseDamaged(f"{path}: {problem}; {advice}.")


LOW_SPACE = 256 * 1024


def cannot_open(path: Path, problem: BaseException) -> StoreError:
    """The one-line error for an open that failed for a reason outside the file (a full disk, an
    I/O error, no permission). The file may be perfectly healthy: nothing suggests moving it."""
    try:
        free: int | None = shutil.disk_usage(path.parent).free
    except OSError:
        free = None
    if free is not None and free < LOW_SPACE:
        advice = "the disk holding it is full: free some space, then try again"
    else:
        advice = "check the disk and the file's permissions, then try again"
    return StoreError(f"{path}: the database could not be opened ({problem}); {advice}. "
                      "It has not been changed.")


@dataclass
class WriterLock:
    """The lock held for as long as this process writes to the database, in `<name>.lock`.

    An operating-system lock (portable.HeldLock): the kernel releases it when the process dies,
    even by SIGKILL, so a crash never leaves a stale lock behind.
    """

    path: Path
    held: portable.HeldLock

    @classmethod
    def acquire(cls, database: Path) -> WriterLock | None:
        """Take the lock, or return None if another process holds it."""
        lock_path = database.with_name(database.name + ".lock")
        held = portable.HeldLock.take(lock_path)
        return None if held is None else cls(lock_path, held)

    def release(self) -> None:
        self.held.release()


def holder_pid(database: Path) -> int | None:
    """The process id written by whoever holds the lock, if it can be read."""
    return portable.lock_holder(database.with_name(database.name + ".lock"))


def vacuum_into(conn: sqlite3.Connection, dest: Path, *, key: object = None) -> Path:
    """A compacted, consistent copy of the database at `dest`, mode 0600, verified.

    `VACUUM INTO` refuses to write over an existing file and creates its output with the umask's
    mode, so it writes into a fresh private folder beside `dest`, is checked there, and is then
    renamed into place in one step: `dest` is either the old file or a complete verified copy.
    From an encrypted database (`key` given) the copy is encrypted with the same key.
    """
    dest = dest.expanduser().resolve()
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".appreciate-backup-", dir=dest.parent))
    try:
        tmp = staging / "backup.db"
        conn.execute("VACUUM INTO ?", (str(tmp),))
        portable.keep_private(tmp)
        check = cipher.connect(read_only_uri(tmp), key, uri=True, path=dest)  # type: ignore[arg-type]
        try:
            result = quick_check(check)
            if key is not None and result == ["ok"]:
                result = cipher.integrity_problems(check) or ["ok"]
        finally:
            check.close()
        if result != ["ok"]:
            raise StoreError(f"the backup did not pass its check ({result[0]}); nothing was written")
        os.replace(tmp, dest)
    finally:
        for leftover in staging.iterdir():
            leftover.unlink()
        staging.rmdir()
    return dest


# A backup is named after its database's own file (without `.db`) and the moment it was made:
# `a.db` -> `backups/a-20260312T093000123456Z.db`, so databases sharing a folder do not share
# names (`a.db` and a file called just `a` would: what is inside tells them apart). Before, every
# database named its backups `appreciate-<moment>.db` (_OLD_STEM): beside appreciate.db that is
# still its own name; for any other database such a file is its own only when what is inside it
# says so (`list_backups`).
_MOMENT_FORMAT = "%Y%m%dT%H%M%S%fZ"
_MOMENT = r"\d{8}T\d{12}Z"
_OLD_STEM = "appreciate"


def backup_stem(database: Path) -> str:
    name = database.name
    return name[: -len(".db")] if name.endswith(".db") and len(name) > len(".db") else name


def backup_name(database: Path, moment: datetime | None = None) -> str:
    """The file name of a backup of `database` made at `moment` (now by default)."""
    moment = moment or datetime.now(timezone.utc)
    return f"{backup_stem(database)}-{moment.strftime(_MOMENT_FORMAT)}.db"


def backup_name_pattern(database: Path) -> re.Pattern[str]:
    """What the names of `database`'s backups look like (group 1: the moment)."""
    return re.compile(rf"{re.escape(backup_stem(database))}-({_MOMENT})\.db")


def created_at(path: Path, key: object = None) -> str | None:
    """When the database at `path` was made, as its first migration recorded it: every backup
    and copy of a database carries that moment, a database made at another moment does not.
    None when the file cannot be read to tell (damaged, or encrypted and `key` not its key)."""
    from appreciate_tui.store.schema import MIGRATION_SET

    try:
        conn = cipher.connect(read_only_uri(path), key, uri=True, path=path)  # type: ignore[arg-type]
    except (StoreError, *cipher.ERRORS):  # type: ignore[misc]  # mypy cannot read a starred tuple
        return None
    try:
        row = conn.execute(
            "SELECT applied_at FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid "
            "LIMIT 1", [MIGRATION_SET]
        ).fetchone()
    except cipher.ERRORS:
        return None
    finally:
        conn.close()
    return str(row[0]) if row else None


def list_backups(database: Path, key: object = None) -> list[Path]:
    """This database's backups, oldest first: the one answer to "which backups are mine" for
    everything that keeps, drops, converts or offers them. `key` is the database's key when it
    is encrypted (its backups share it).

    A file in the backups folder is this database's when it has its name (`backup_name`) and
    what is inside does not say it was made from another database (`created_at`), or when it
    has the old shared name and what is inside says it was made from this one. Where either file
    cannot be read to tell (a damaged database, an encrypted backup without its key), the name
    decides."""
    return [path for _, path in _own_backups(database, key)]


def _own_backups(database: Path, key: object) -> list[tuple[str, Path]]:
    """`list_backups` with the moment each was made, as its name says."""
    from appreciate_tui.paths import backups_dir

    folder = backups_dir(database)
    if not folder.is_dir():
        return []
    own = backup_name_pattern(database)
    shared = re.compile(rf"{_OLD_STEM}-({_MOMENT})\.db")
    candidates = []
    for path in folder.iterdir():
        named = own.fullmatch(path.name)
        found = named or shared.fullmatch(path.name)
        if found and path.is_file():
            candidates.append((found.group(1), path, named is not None))
    if not candidates:
        return []
    mine = created_at(database, key)
    kept = []
    for moment, path, named in candidates:  # type: ignore[assignment]  # `named`: a bool from here
        theirs = None
        if mine is not None:
            theirs = created_at(path, key if cipher.looks_encrypted(path) else None)
        if (named and (theirs is None or theirs == mine)) or (not named and theirs == mine):
            kept.append((moment, path))
    return sorted(kept)


def keep_newest_backups(database: Path, keep: int, key: object = None) -> None:
    """Delete all but the newest `keep` (at least one) of this database's backups. Those kept
    that still have the old shared name take this database's own, so from then on they are found
    by their name, even when the database itself cannot be read."""
    backups = _own_backups(database, key)
    for _, path in backups[:-keep]:
        path.unlink(missing_ok=True)
    for moment, path in backups[-keep:]:
        named = path.with_name(f"{backup_stem(database)}-{moment}.db")
        if named != path and not named.exists():
            os.rename(path, named)


def newest_backup(database: Path) -> Path | None:
    backups = list_backups(database)
    return backups[-1] if backups else None


# ---------------------------------------------------------------- the record of the last check
# Reading every page before every write would make appending one row to a 2 GB file cost seconds.
# So a file is checked page by page once, and the state it was in is remembered beside it in
# `<name>.checked`: the file's identity, length and times as the file system keeps them (and
# those of its write-ahead log), which no program can change without the file system noticing.
# The writer that holds the lock records the state it leaves at close, having changed the file
# only through SQLite; the next open trusts the record only if the file is still exactly in that
# state. A copy over the file, a restore, another program's write, a crash that left a journal:
# each changes the state, and the whole file is checked again. Damage that leaves no trace in the
# file's times (a failing disk) is met by SQLite itself on the pages a write touches (the store
# then refuses every further write and forgets the record), and by the full check that runs again
# once the record is a week old.

CHECK_RECORD_SUFFIX = ".checked"
TRUST_CHECK_FOR = 7 * 24 * 3600
"""Seconds a full check is trusted for, however little the file changed since."""

_RECORD_FORMAT = 1


def check_record_path(database: Path) -> Path:
    return database.with_name(database.name + CHECK_RECORD_SUFFIX)


def _stat(path: Path) -> list[int] | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


def file_state(database: Path) -> dict[str, list[int] | None] | None:
    """The database's state as the file system sees it, read without opening it: device, inode,
    length, modification and change times of the file, and the same but the change time of its
    write-ahead log (None when there is no log, or an empty one). None where the file system
    gives no inode number, so that one file cannot be told from another: there, nothing is
    trusted."""
    main = _stat(database)
    if main is None or not main[1]:
        return None
    wal = _stat(database.with_name(database.name + "-wal"))
    if wal is not None:
        # Without its change time: SQLite, run by root, gives the log to the database's owner
        # each time it opens it (which counts as a change), even to read.
        wal[4] = wal[3]
    return {"database": main, "wal": wal if wal is not None and wal[2] > 0 else None}


def trusted_check(database: Path) -> float | None:
    """When the full check that the file's present state descends from ran (seconds since the
    epoch), if the record says the file is exactly as an appreciate writer left it since then and
    that check is less than `TRUST_CHECK_FOR` old; else None (check it again)."""
    record_path = check_record_path(database)
    try:
        written = os.stat(record_path).st_mtime_ns
        record = json.loads(record_path.read_text(encoding="utf-8"))
        state = file_state(database)
        if state is None or record.get("format") != _RECORD_FORMAT:
            return None
        if record.get("database") != state["database"] or record.get("wal") != state["wal"]:
            return None
        # The record is written after the file's last change, in a later tick of the file
        # system's clock: any change made after it carries a later time than the one recorded.
        if written <= _latest_change(state):
            return None
        checked_at = float(record["checked_at"])
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None
    if not -60 <= time.time() - checked_at < TRUST_CHECK_FOR:
        return None
    return checked_at


def _latest_change(state: dict[str, list[int] | None]) -> int:
    return max(max(entry[3], entry[4]) for entry in state.values() if entry is not None)


def remember_check(database: Path, checked_at: float) -> None:
    """Record the database's present state as descending from the full check made at
    `checked_at`. Called by the writer holding the lock, after its connection closed. A record
    that cannot be written (a full disk) is simply absent: the next open checks the whole file."""
    record_path = check_record_path(database)
    try:
        state = file_state(database)
        if state is None:
            forget_check(database)
            return
        text = json.dumps({"format": _RECORD_FORMAT, "checked_at": checked_at, **state})
        fd, staging = tempfile.mkstemp(prefix=f".{database.name}.", suffix=".checking",
                                       dir=database.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as file:
                file.write(text)
            os.replace(staging, record_path)
        except BaseException:
            Path(staging).unlink(missing_ok=True)
            raise
        # Written in the same tick of the file system's clock as the file's last change, the
        # record could not tell that change from one made right after it: touch it until its
        # own time is later (a few milliseconds at most).
        latest = _latest_change(state)
        for _ in range(200):
            if os.stat(record_path).st_mtime_ns > latest:
                return
            time.sleep(0.001)
            os.utime(record_path)
        forget_check(database)
    except OSError:
        forget_check(database)


def forget_check(database: Path) -> None:
    """Drop the record, so that the next open checks the whole file."""
    try:
        check_record_path(database).unlink(missing_ok=True)
    except OSError:
        pass
