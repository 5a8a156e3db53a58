"""What is being typed, written on a thread and a connection of its own.

A draft is written every few tenths of a second while the facilitator types (DESIGN.md section 5),
each write a transaction that waits for the disk (synchronous=FULL): a millisecond or two mostly,
but tens of milliseconds when the disk is busy or a checkpoint falls due, and on a laptop whose
antivirus reads every write, more. Written on the screen's own thread, that wait held back the
echo of the next key. Here the wait is this thread's; SQLite lets go of Python while it waits, so
the screen goes on drawing.

Order is kept by the store: every other write (`Core.atomic`) waits first for the drafts given
here to land, so a note saved from the line, which clears its draft in the same transaction, is
never followed by that draft coming back. The same checks guard both connections
(`Core.transaction`): nothing is written to a read-only or damaged file.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from appreciate_tui import domain
from appreciate_tui.store import opening
from appreciate_tui.store.errors import ERRORS, SaveError, StoreError, describe
from appreciate_tui.text import clean

if TYPE_CHECKING:
    from appreciate_tui.store.core import Core


def write_draft(conn: Any, conversation_id: str, field: str, text: str) -> None:
    """Keep `text` as the draft of `field`; an empty text removes the draft. In a transaction."""
    text = clean(text)
    if text:
        conn.execute(
            "INSERT INTO drafts (conversation_id, field, body, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (conversation_id, field) DO UPDATE SET body = excluded.body, "
            "updated_at = excluded.updated_at",
            [conversation_id, field, text, domain.utc_now()],
        )
    else:
        conn.execute(
            "DELETE FROM drafts WHERE conversation_id = ? AND field = ?", [conversation_id, field]
        )


class DraftWrite:
    """Drafts given to the writer: `changes` (field -> text) of one conversation, written together
    or not at all. `error` is what stopped them (`SaveError`, `ReadOnlyError`...), None once they
    are on disk; `wait()` returns once it is known either way."""

    def __init__(
        self,
        conversation_id: str,
        changes: Mapping[str, str],
        landed: Callable[[DraftWrite], None] | None,
    ) -> None:
        self.conversation_id = conversation_id
        self.changes = dict(changes)
        self.error: BaseException | None = None
        self._landed = landed
        self._done = threading.Event()

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def wait(self) -> BaseException | None:
        self._done.wait()
        return self.error


class DraftWriter:
    """One thread, one connection, the drafts written in the order given."""

    def __init__(self, store: Core) -> None:
        self._store = store
        self._jobs: queue.SimpleQueue[DraftWrite | None] = queue.SimpleQueue()
        self._unfinished = 0
        self._idle = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="appreciate-drafts", daemon=True)
        self._thread.start()

    def submit(
        self,
        conversation_id: str,
        changes: Mapping[str, str],
        landed: Callable[[DraftWrite], None] | None = None,
    ) -> DraftWrite:
        """Write `changes` soon; `landed(write)` is called on the writer's thread once they are
        on disk or have failed (`write.error`)."""
        write = DraftWrite(conversation_id, changes, landed)
        with self._idle:
            self._unfinished += 1
        self._jobs.put(write)
        return write

    def wait(self) -> None:
        """Return once everything given so far is on disk or has failed."""
        with self._idle:
            self._idle.wait_for(lambda: self._unfinished == 0)

    def close(self) -> None:
        """Write what was given, then stop the thread and close its connection."""
        self._jobs.put(None)
        self._thread.join()

    def _run(self) -> None:
        conn = None
        try:
            while (write := self._jobs.get()) is not None:
                try:
                    if conn is None:
                        conn = self._connect()
                    with self._store.transaction(conn):
                        for field, text in write.changes.items():
                            write_draft(conn, write.conversation_id, field, text)
                except BaseException as exc:  # told to whoever gave it, never lost here
                    write.error = exc
                finally:
                    write._done.set()
                    with self._idle:
                        self._unfinished -= 1
                        self._idle.notify_all()
                if write._landed is not None:
                    write._landed(write)
        finally:
            if conn is not None:
                conn.close()

    def _connect(self) -> Any:
        """The drafts' connection: to the file the store opened (checked then), with the same
        settings; made on this thread, which is the only one that uses it."""
        store = self._store
        try:
            return opening.connection_to(store.path, store.key, read_only=False)
        except ERRORS as exc:
            raise SaveError(describe(exc)) from exc
        except StoreError as exc:  # said in the store's words: the indicator shows them
            raise SaveError(str(exc)) from exc
