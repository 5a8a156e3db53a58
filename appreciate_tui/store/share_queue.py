"""Shares made while another appreciate holds the database, waiting for it to record them.

Exporting only reads, so `appreciate export` works while the app is open. Its record of sharing
cannot be written then (one writer at a time), so it waits in a queue beside the database: one
private file per share, `<database>.pending-shares/<share id>.json` (the folder 0700, each file
0600, written whole or not at all). The writer takes the queue in (`take_in`): the app every few
seconds, and every store opened for writing, the command line's included (`take_in_at_open`).
A share keeps the id it was given, so taking one in twice records it once.

A queue file is read as untrusted input: a name appreciate does not give, a file that is not a
plain file, too large, not JSON, with a value of the wrong type or size, a share id another share
already holds, or a conversation this database does not have, is moved to `set-aside/` inside the
folder with a note of why beside it (`<name>.why.txt`) and the others are still taken in; nothing
in a queue file ever stops the app. A share of a conversation erased meanwhile is dropped: the
erasure is the newer wish. A database that cannot be written now (a full disk, a damaged file)
leaves the queue as it is, for the next try.

The queue is plain text, as readable as a plain database beside it and no more, so a share of an
encrypted database is never queued (`appreciate export` refuses and says what to do instead).
"""

from __future__ import annotations

import json
import os
import re
import stat
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

from appreciate_tui import paths, portable
from appreciate_tui.domain import Share
from appreciate_tui.text import clean_line, one_line

if TYPE_CHECKING:
    from appreciate_tui.store import Store
    from appreciate_tui.store.core import Core

KIND = "appreciate-pending-share"
VERSION = 1
MAX_BYTES = 8 * 1024 * 1024
"""Larger than any queue file appreciate writes (a conversation of 20,000 notes is about 2 MB)."""
MAX_TEXT = 2000
MAX_PATH = 4096
MAX_VERSIONS = 200_000
PER_TAKE_IN = 50
"""Files taken in per call: the app stays responsive with a thousand waiting."""
AT_OPEN = 1000
"""Files taken in when a database is opened for writing (the rest at the next open)."""
SET_ASIDE = "set-aside"
REASON_SUFFIX = ".why.txt"
STALE_PART_SECONDS = 24 * 3600
FORMATS = frozenset({
    "md", "html", "docx", "json", "json-encrypted", "csv-actions", "csv-notes",
    "questions-md", "questions-txt", "questions-html",
})
"""What `appreciate export` records; nothing else is queued."""
BUNDLE_FORMATS = frozenset({"json", "json-encrypted"})
_NAME = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.json")
_DIGEST = re.compile(r"[0-9a-f]{32}")
ANOTHER_WRITER = "another appreciate"
"""How `Store.open` begins the reason a store is read-only when another process holds the lock."""


class Refused(Exception):
    """A queue file that cannot be taken in: why, in words."""


@dataclass(frozen=True)
class PendingShare:
    """A share waiting in the queue, and for a full bundle the versions of the conversation's rows
    that left in it (table → [(row id, digest)], store/merge.py), remembered when it is taken in."""

    share: Share
    versions: Mapping[str, Sequence[tuple[str, str]]] = field(default_factory=dict)


@dataclass
class TakenIn:
    """What one take-in did."""

    recorded: list[Share] = field(default_factory=list)
    set_aside: list[str] = field(default_factory=list)
    """One line per file set aside: which, why, and where it is now."""
    dropped: list[str] = field(default_factory=list)
    problem: str | None = None
    """Why the queue could not be taken in now (it waits for the next try)."""
    more: bool = False
    """More files wait than one call takes in."""


def folder(database: Path) -> Path:
    return paths.pending_shares_dir(Path(database))


def writer_elsewhere(store: Store) -> bool:
    """Read-only only because another appreciate holds the writer lock: the one case where a share
    can wait in the queue (a read-only folder or file, a damaged database cannot take it in)."""
    return (store.read_only_reason or "").startswith(ANOTHER_WRITER) and store.check_failure is None


# ---------------------------------------------------------------- writing the queue


def to_bytes(pending: PendingShare) -> bytes:
    share = pending.share
    document = {
        "kind": KIND,
        "version": VERSION,
        "id": share.id,
        "conversation_id": share.conversation_id,
        "format": share.format,
        "redacted": share.redacted,
        "recipient": share.recipient,
        "purpose": share.purpose,
        "created_at": share.created_at,
        "path": share.path,
        "versions": {table: [list(v) for v in rows] for table, rows in pending.versions.items()},
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def enqueue(database: Path, pending: PendingShare) -> Path:
    """Put a share in the queue: a new private file, complete or not there at all. Raises
    OSError (a full disk…) having left nothing behind."""
    parse(to_bytes(pending), f"{pending.share.id}.json")  # never queue what would be set aside
    where = paths.ensure_private_dir(folder(database))
    return paths.write_private(where / f"{pending.share.id}.json", to_bytes(pending))


def withdraw(database: Path, share_id: str) -> bool:
    """Take a share back out of the queue; False if it was no longer there (taken in already)."""
    try:
        (folder(database) / f"{share_id}.json").unlink()
    except FileNotFoundError:
        return False
    return True


class QueuedRecord:
    """Stands in for a read-only store where an export records its share (`reports.record_export`
    calls `record_share`, and `remember_exported` for a full bundle): the share is kept here, to
    be queued by `commit`, instead of written. Everything else is the store's."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self.pending: PendingShare | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def record_share(
        self,
        conversation_id: str,
        format: str,
        *,
        redacted: bool = False,
        recipient: str = "",
        purpose: str = "",
        path: str | PathLike[str] | None = None,
    ) -> Share:
        from appreciate_tui.store.wrapup import new_share

        self._store.get_conversation(conversation_id)
        share = new_share(conversation_id, format, redacted=redacted, recipient=recipient,
                          purpose=purpose, path=path)
        self.pending = PendingShare(share)
        return share

    def remember_exported(self, conversation_id: str) -> None:
        if self.pending is None or self.pending.share.conversation_id != conversation_id:
            raise ValueError("a bundle's rows are remembered with its share")
        self.pending = replace(self.pending, versions=exported_versions(self._store, conversation_id))

    def commit(self) -> Path:
        if self.pending is None:
            raise ValueError("nothing was exported")
        return enqueue(self._store.path, self.pending)


def exported_versions(store: Store, conversation_id: str) -> dict[str, list[tuple[str, str]]]:
    """The version of every row of a conversation, as `Store.remember_exported` records them."""
    from appreciate_tui.store.merge import conversation_versions

    return conversation_versions(store.reads, conversation_id)


@contextmanager
def snapshot(store: Store) -> Iterator[None]:
    """Read everything inside as one state of the file, however the writer changes it meanwhile:
    the report and the versions its share remembers describe the same rows."""
    conn = store.conn
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN")
    try:
        yield
    finally:
        if conn.in_transaction:
            conn.execute("COMMIT")


# ---------------------------------------------------------------- reading the queue


def parse(data: bytes, name: str) -> PendingShare:
    """A queue file's contents, checked as untrusted input; `Refused` says what is wrong."""
    if len(data) > MAX_BYTES:
        raise Refused(f"it is larger than {MAX_BYTES // (1024 * 1024)} MB")
    try:
        document = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise Refused("it is not UTF-8 text") from None
    except (ValueError, RecursionError):
        raise Refused("it is not JSON") from None
    if not isinstance(document, dict) or document.get("kind") != KIND:
        raise Refused("it is not a share appreciate queued")
    if document.get("version") != VERSION:
        raise Refused(f"it was queued by another version of appreciate ({_shown(document.get('version'))})")
    share_id = _text(document, "id", 36)
    if f"{share_id}.json" != name or not _NAME.fullmatch(name):
        raise Refused("its id is not the one in its name")
    conversation_id = _text(document, "conversation_id", 100)
    if not conversation_id or clean_line(conversation_id) != conversation_id:
        raise Refused("its conversation id is not one appreciate gives")
    share_format = _text(document, "format", 40)
    if share_format not in FORMATS:
        raise Refused(f"its format {_shown(share_format)} is not one `appreciate export` records")
    redacted = document.get("redacted")
    if type(redacted) is not bool:
        raise Refused("'redacted' is not true or false")
    created_at = _text(document, "created_at", 40)
    try:
        when = datetime.fromisoformat(created_at)
    except ValueError:
        raise Refused("its time is not a date and time") from None
    if when.tzinfo is None:
        raise Refused("its time does not say its time zone")
    path = document.get("path")
    if path is not None:
        path = _text(document, "path", MAX_PATH)
        if not path or "\x00" in path:
            raise Refused("its file name is empty or holds a NUL")
    versions = _versions(document.get("versions", {}))
    if versions and (redacted or share_format not in BUNDLE_FORMATS):
        raise Refused("it remembers rows, which only a full bundle does")
    return PendingShare(
        Share(
            id=share_id,
            conversation_id=conversation_id,
            format=share_format,
            created_at=created_at,
            redacted=redacted,
            recipient=clean_line(_text(document, "recipient", MAX_TEXT)),
            purpose=clean_line(_text(document, "purpose", MAX_TEXT)),
            path=path,
        ),
        versions,
    )


def _shown(value: object) -> str:
    return one_line(repr(value), 40)


def _text(document: dict[str, Any], key: str, longest: int) -> str:
    value = document.get(key)
    if not isinstance(value, str):
        raise Refused(f"'{key}' is not text")
    if len(value) > longest:
        raise Refused(f"'{key}' is longer than {longest} characters")
    return value


def _versions(value: object) -> dict[str, list[tuple[str, str]]]:
    from appreciate_tui.store.transfer import BUNDLE_TABLES

    if not isinstance(value, dict):
        raise Refused("'versions' is not a table of rows")
    found: dict[str, list[tuple[str, str]]] = {}
    count = 0
    for table, rows in value.items():
        if table not in BUNDLE_TABLES:
            raise Refused(f"'versions' names a table a bundle does not hold ({_shown(table)})")
        if not isinstance(rows, list):
            raise Refused(f"the versions of {table} are not a list")
        count += len(rows)
        if count > MAX_VERSIONS:
            raise Refused(f"it remembers more than {MAX_VERSIONS} rows")
        kept = []
        for row in rows:
            if (
                not isinstance(row, list)
                or len(row) != 2
                or not isinstance(row[0], str)
                or not isinstance(row[1], str)
                or not 0 < len(row[0]) <= 100
                or not _DIGEST.fullmatch(row[1])
            ):
                raise Refused(f"a version of {table} is not a row id and a digest")
            kept.append((row[0], row[1]))
        found[table] = kept
    return found


def _read(entry: Path) -> bytes:
    """A queue file's bytes, if it is a plain file (not a link, a folder or a device)."""
    try:
        status = os.lstat(entry)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise Refused(f"it cannot be read ({exc.strerror or exc})") from None
    if not stat.S_ISREG(status.st_mode):
        raise Refused("it is not a plain file")
    if status.st_size > MAX_BYTES:
        raise Refused(f"it is larger than {MAX_BYTES // (1024 * 1024)} MB")
    try:
        with open(entry, "rb") as file:
            return file.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise Refused(f"it cannot be read ({exc.strerror or exc})") from None


def _queued_names(where: Path) -> list[str]:
    """The names in the queue folder worth looking at, oldest name first (in-flight temporary
    files, and the set-aside folder, are not)."""
    try:
        names = os.listdir(where)
    except OSError:  # no queue (or none this user can read: nothing to take in)
        return []
    return sorted(n for n in names if n != SET_ASIDE and not n.startswith("."))


def waiting(database: Path) -> tuple[list[PendingShare], int]:
    """The shares in the queue, for a read-only view (`appreciate shares`), and how many files in
    it could not be read as one (they will be set aside when the queue is taken in)."""
    good: list[PendingShare] = []
    bad = 0
    where = folder(database)
    for name in _queued_names(where):
        try:
            good.append(parse(_read(where / name), name))
        except FileNotFoundError:
            continue  # taken in meanwhile
        except Refused:
            bad += 1
    return good, bad


def set_aside_notes(database: Path) -> list[tuple[Path, str]]:
    """Each file set aside, and why (from the note beside it)."""
    where = folder(database) / SET_ASIDE
    try:
        names = sorted(os.listdir(where))
    except (FileNotFoundError, NotADirectoryError):
        return []
    found = []
    for name in names:
        if name.endswith(REASON_SUFFIX) or name.startswith("."):
            continue
        try:
            with open(where / (name + REASON_SUFFIX), "rb") as file:
                why = file.read(MAX_TEXT).decode("utf-8", "replace").strip()
        except OSError:
            why = "the reason was not kept"
        found.append((where / name, why))
    return found


# ---------------------------------------------------------------- taking the queue in


def has_waiting(database: Path) -> bool:
    """Anything in the queue (a quick look, for the app's timer)."""
    return bool(_queued_names(folder(database)))


def take_in(store: Store, *, limit: int = PER_TAKE_IN) -> TakenIn:
    """Record the shares waiting in the queue, each in its own transaction, and remove each file
    once its share is in the database. Never raises for a bad file: it is set aside."""
    from appreciate_tui.store.errors import NotFound, StoreError

    result = TakenIn()
    where = folder(store.path)
    names = _queued_names(where)
    result.more = len(names) > limit
    for name in names[:limit]:
        entry = where / name
        try:
            if not _NAME.fullmatch(name):
                raise Refused("its name is not one appreciate gives")
            pending = parse(_read(entry), name)
            outcome = store.take_in_share(pending.share, pending.versions)
        except FileNotFoundError:
            continue  # taken in by another writer a moment ago
        except Refused as exc:
            _set_aside(where, name, str(exc), result)
            continue
        except NotFound:
            _set_aside(where, name, "its conversation is not in this database", result)
            continue
        except ValueError as exc:
            _set_aside(where, name, str(exc), result)
            continue
        except StoreError as exc:  # cannot write now: a full disk, a damaged file, read-only
            result.problem = str(exc)
            break
        if outcome == "erased":
            result.dropped.append(
                f"A share queued for a conversation since erased was dropped ({one_line(name)})."
            )
        elif outcome == "recorded":
            result.recorded.append(pending.share)
        try:
            entry.unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:  # recorded; taking it in again later records nothing twice
            result.problem = f"{entry} could not be removed ({exc.strerror or exc})"
    if result.recorded or result.set_aside or result.dropped:
        _sync(where)
    _clear_stale_parts(where)
    return result


def take_in_at_open(store: Core) -> TakenIn | None:
    """`take_in` for a store just opened for writing, if anything waits and the file's full check
    is done (the app's deferred check runs first; its timer takes the queue in after). Never
    raises: what was set aside is noted beside it, for `appreciate shares` to say."""
    from appreciate_tui.store import Store

    try:
        if not isinstance(store, Store) or store.read_only or store.check_pending:
            return None
        if not has_waiting(store.path):
            return None
        return take_in(store, limit=AT_OPEN)
    except Exception as exc:  # the queue never stops a database from opening
        return TakenIn(problem=f"the queued shares could not be taken in ({exc})")


def _set_aside(where: Path, name: str, why: str, result: TakenIn) -> None:
    """Move a file the queue cannot take in to `set-aside/`, with a note of why beside it."""
    aside = where / SET_ASIDE
    target = aside / name
    try:
        paths.ensure_private_dir(aside)
        number = 1
        while target.exists() or target.with_name(target.name + REASON_SUFFIX).exists():
            target = aside / f"{name}.{number}"
            number += 1
        os.replace(where / name, target)
    except FileNotFoundError:
        return
    except OSError as exc:
        result.set_aside.append(
            f"A queued share {one_line(name, 60)} cannot be recorded ({why}), and could not be "
            f"set aside ({exc.strerror or exc}): remove it from {where}."
        )
        return
    try:
        if target.is_file() and not target.is_symlink():
            portable.keep_private(target)  # whoever put it there, only this user reads it now
        paths.write_private(target.with_name(target.name + REASON_SUFFIX), why + "\n", replace=True)
    except OSError:
        pass
    result.set_aside.append(
        f"A queued share could not be recorded ({why}); it was set aside as {target}."
    )


def _sync(where: Path) -> None:
    try:
        portable.sync_folder(where)
    except OSError:
        pass


def _clear_stale_parts(where: Path) -> None:
    """Remove what a queue write stopped half way (a crash) left, once it is a day old."""
    try:
        names = [n for n in os.listdir(where) if n.startswith(".appreciate-") and n.endswith(".part")]
    except OSError:
        return
    for name in names:
        try:
            if time.time() - os.lstat(where / name).st_mtime > STALE_PART_SECONDS:
                (where / name).unlink()
        except OSError:
            pass
