"""Keep what is being typed durable (DESIGN.md section 5).

A `DraftAutosave` holds the latest text of each field the facilitator types into ("note", "flow") in
plain attributes and writes it to the store as a draft once typing pauses. It never writes per
keystroke: a keystroke only records the text and the time, and one timer per pause does the write,
so typing stays as fast as in a bare input.

A failed write (disk full, I/O error) keeps the text in memory and tries again every
`RETRY_SECONDS` until it succeeds; `flush()` writes everything now and never raises, because it is
what runs when the terminal closes.

No Textual import: the caller passes in how to schedule a callback (a screen's `set_timer`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

from appreciate_tui.store import ReadOnlyError, SaveError, Store


class Cancellable(Protocol):
    def stop(self) -> None: ...


Schedule = Callable[[float, Callable[[], None]], Cancellable]


class SaveState(Enum):
    SAVED = "saved"
    TYPING = "typing"
    FAILED = "failed"
    READ_ONLY = "read only"


@dataclass(frozen=True)
class SaveReport:
    state: SaveState
    reason: str = ""


class DraftAutosave:
    DEBOUNCE_SECONDS = 0.25
    """Well inside the promise of "saved within 300 ms of the last keystroke"."""
    RETRY_SECONDS = 1.5

    def __init__(
        self,
        store: Store,
        conversation_id: str,
        *,
        schedule: Schedule,
        on_report: Callable[[SaveReport], None],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._store = store
        self._conversation_id = conversation_id
        self._schedule = schedule
        self._on_report = on_report
        self._clock = clock
        self._latest: dict[str, str] = {}
        self._saved: dict[str, str] = {}
        self._last_change = 0.0
        self._timer: Cancellable | None = None
        self._report = SaveReport(SaveState.SAVED)
        if store.read_only:
            self._report = SaveReport(SaveState.READ_ONLY, store.read_only_reason or "")

    @property
    def report(self) -> SaveReport:
        return self._report

    def load(self, field: str) -> str:
        """The draft kept for `field` (after a crash, the text that was being typed)."""
        text = self._store.get_draft(self._conversation_id, field)
        self._latest[field] = self._saved[field] = text
        return text

    def record(self, field: str, text: str) -> None:
        """Know the field's text without scheduling a write (the caller flushes next)."""
        self._latest[field] = text

    def changed(self, field: str, text: str) -> None:
        """Record a keystroke's result. Cheap: the write happens when typing pauses."""
        self.record(field, text)
        self._last_change = self._clock()
        if text == self._saved.get(field, ""):
            return
        if self._report.state is SaveState.SAVED:
            self._set_report(SaveReport(SaveState.TYPING))
        if self._timer is None:
            self._timer = self._schedule(self.DEBOUNCE_SECONDS, self._on_timer)

    def committed(self, field: str) -> None:
        """The field's text became a note (and its draft was cleared in the same transaction)."""
        self._latest[field] = self._saved[field] = ""
        if not self.pending:
            self._set_report(SaveReport(SaveState.SAVED))

    @property
    def pending(self) -> bool:
        return any(text != self._saved.get(field, "") for field, text in self._latest.items())

    def flush(self) -> bool:
        """Write every unsaved draft now. True when nothing is left unsaved; never raises."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self._store.read_only:
            return not self.pending
        failure = ""
        for field, text in list(self._latest.items()):
            if text == self._saved.get(field, ""):
                continue
            try:
                self._store.save_draft(self._conversation_id, field, text)
            except (SaveError, ReadOnlyError) as error:
                failure = str(error)
                continue
            self._saved[field] = text
        if failure:
            self._set_report(SaveReport(SaveState.FAILED, failure))
            return False
        self._set_report(SaveReport(SaveState.SAVED))
        return True

    def report_failure(self, reason: str) -> None:
        """Another write (a note) failed: show it, and keep retrying whatever is unsaved."""
        self._set_report(SaveReport(SaveState.FAILED, reason))
        self._retry_soon()

    def report_saved(self) -> None:
        """Another write (a note) went through; the indicator may say "saved" if nothing waits."""
        if not self.pending and not self._store.read_only:
            self._set_report(SaveReport(SaveState.SAVED))

    def _on_timer(self) -> None:
        self._timer = None
        waited = self._clock() - self._last_change
        if waited < self.DEBOUNCE_SECONDS and self._report.state is not SaveState.FAILED:
            self._timer = self._schedule(self.DEBOUNCE_SECONDS - waited, self._on_timer)
            return
        if not self.flush():
            self._retry_soon()

    def _retry_soon(self) -> None:
        if self._timer is None and not self._store.read_only:
            self._timer = self._schedule(self.RETRY_SECONDS, self._on_timer)

    def _set_report(self, report: SaveReport) -> None:
        if report != self._report:
            self._report = report
            self._on_report(report)
