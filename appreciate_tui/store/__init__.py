"""The store: the only code that speaks SQL. Domain objects in, domain objects out.

One `Store` is one open database file. Opening checks the file before anything is written to it,
takes the single-writer lock (a second process gets a read-only store that says why), applies the
pragmas of DESIGN.md section 5 and any pending migrations. Every write runs in its own
`BEGIN IMMEDIATE` transaction (or joins the caller's `atomic()` block) and either commits whole or
raises `SaveError` having changed nothing, so the caller can keep the text and try again. The one
exception to "one connection, one thread": the drafts being typed can be written on a thread and a
connection of their own (draft_writer.py, `save_drafts_soon`), and every other write waits for
them to land first.

Where things live. `Store` is assembled from one class per table group, each building on the
ones before it (a group may use what an earlier one offers):

    core.py           the connection, `atomic`, the row helpers, the full check, backups
    conversations.py  one conversation from plan to close, pauses, the view for the room
    people.py         participants and pseudonyms
    questions.py      the plan's questions and the follow-ups
    notes.py          notes, their revisions and undo, drafts, scores, `commit_note`
    wrapup.py         actions, feedback, shares
    partnership.py    bundle rows, redaction terms, merging, insight rows, outcome links
    collection.py     every conversation at once: list, bin, copies, search, erasure

Reads go through the connection itself (reading.py: `store.reads`); writes and schema changes
through sqlite-utils (`store.db`), loaded when first needed, so the first screen and the reading
commands start without it.

The SQL of the larger jobs sits in modules of its own, which the table groups call: opening.py
(verify, create, connect, migrate a file), errors.py (every store exception), draft_writer.py
(the drafts' thread), safety.py (locks,
pragmas, checks, backups), cipher.py and encryption.py (SQLCipher), schema/ (the migrations:
tables.py and indexes.py), rows.py (rows to domain objects), search.py, browsing.py,
room.py, transfer.py and merge.py (bundles), insights.py, scores.py, redaction.py, erasure.py
(with free_text.py and copies.py) and recovery.py (restoring a backup).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from appreciate_tui.store import cipher, opening
from appreciate_tui.store.collection import Collection
from appreciate_tui.store.errors import (
    DATABASE_ERRORS,
    Ambiguous,
    DamagedWhileSaving,
    DatabaseDamaged,
    NotFound,
    ReadOnlyError,
    SaveError,
    StoreError,
    WrongPassphrase,
)
from appreciate_tui.store.safety import damaged

# Opening a store to list or search does not load the erasure, transfer and redaction machinery
# (`appreciate list` starts faster): the methods that need them import them where they are used.

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


class Store(Collection):
    """An open appreciate database. Use `Store.open(path)`; close it when done."""

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
        return opening.open_store(
            cls, path, read_only=read_only, passphrase=passphrase, key=key, check=check
        )
