"""Searching every conversation from the home screen while the facilitator types.

A common word can take a good part of a second to search in a large database, and each keystroke
asks a new question. One thread does all the searching, on its own read-only connection (an
SQLite connection belongs to the thread that made it), always on the newest question: a search
made stale by a keystroke gives up within a millisecond or two (`Store.search_while`), and
searches nobody is waiting for any more are never run. The screen is only ever told about the
answer to what is in the box now.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from appreciate_tui.domain import SearchHit
from appreciate_tui.store import Store, StoreError

LIMIT = 30
"""Matches shown: a screenful or two; the best come first."""


class NoteSearch:
    def __init__(
        self,
        store: Store,
        found: Callable[[str, list[SearchHit]], object],
        failed: Callable[[str], object],
    ) -> None:
        self._store = store
        self._found = found
        self._failed = failed
        self._lock = threading.Condition()
        self._wanted: str | None = None
        self._asked = 0  # how many questions have been asked; the newest is number `_asked`
        self._running = 0  # the number of the question being searched now
        self._stopped = False
        self._ended = False  # the thread has returned, or raised: nobody is listening

    def ask(self, query: str) -> bool:
        """Search for `query` as soon as possible, instead of anything asked before; False when
        the searching thread has ended (it could not open the database, or failed), so that the
        screen starts another rather than wait for an answer that never comes. Called from the
        screen."""
        with self._lock:
            if self._ended:
                return False
            self._wanted = query
            self._asked += 1
            self._lock.notify()
            return True

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            self._lock.notify()

    def _still_wanted(self) -> bool:
        # Read without the lock, many times a second from inside the search: two integers and a
        # flag, each written whole.
        return not self._stopped and self._running == self._asked

    def run(self) -> None:
        """The searching thread's whole life: wait for a question, answer the newest, repeat."""
        try:
            self._answer()
        finally:
            with self._lock:
                self._ended = True

    def _answer(self) -> None:
        try:
            reader = self._store.open_reader()
        except StoreError as error:
            self._failed(str(error))
            return
        try:
            while True:
                with self._lock:
                    while self._wanted is None and not self._stopped:
                        self._lock.wait()
                    if self._stopped:
                        return
                    query, self._wanted = self._wanted, None
                    assert query is not None, "the wait ends on a question, or on stopping"
                    self._running = self._asked
                try:
                    hits = reader.search_while(query, self._still_wanted, limit=LIMIT)
                except StoreError as error:
                    self._failed(str(error))
                    continue
                if hits is not None:
                    self._found(query, hits)
        finally:
            reader.close()
