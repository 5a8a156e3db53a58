"""Keep what is typed into a conversation's own fields durable: its title, opening, time budget,
key learning (DESIGN.md section 5).

The same discipline as `DraftAutosave` keeps for the note being typed: a keystroke only records
the value; one timer per pause writes every changed field in one transaction, well inside 300 ms
of the last keystroke; a failed write keeps the values and is retried until it succeeds; `flush()`
writes now and never raises, because it is what runs when the screen closes or the app quits.
The difference is where the text goes: straight into the conversation, not into a draft.

No Textual import: the screen passes in how to schedule a callback and how to write.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

from appreciate_tui.store import ReadOnlyError, SaveError
from appreciate_tui.tui.autosave import Cancellable, DraftAutosave, SaveReport, SaveState, Schedule


class FieldAutosave:
    DEBOUNCE_SECONDS = DraftAutosave.DEBOUNCE_SECONDS
    RETRY_SECONDS = DraftAutosave.RETRY_SECONDS

    def __init__(
        self,
        write: Callable[[Mapping[str, Any]], object],
        *,
        schedule: Schedule,
        on_report: Callable[[SaveReport], None],
        read_only_reason: str | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """`write(changes)` stores the changed fields in one transaction, raising `SaveError`
        (or `ReadOnlyError`) when nothing was saved."""
        self._write = write
        self._schedule = schedule
        self._on_report = on_report
        self._clock = clock
        self._read_only = read_only_reason is not None
        self._waiting: dict[str, Any] = {}
        self._last_change = 0.0
        self._timer: Cancellable | None = None
        self._report = (
            SaveReport(SaveState.READ_ONLY, read_only_reason or "")
            if self._read_only
            else SaveReport(SaveState.SAVED)
        )

    @property
    def report(self) -> SaveReport:
        return self._report

    @property
    def pending(self) -> bool:
        return bool(self._waiting)

    def changed(self, field: str, value: Any) -> None:
        """Record a field's new value. Cheap: the write happens when typing pauses."""
        if self._read_only:
            return
        self._waiting[field] = value
        self._last_change = self._clock()
        if self._report.state is SaveState.SAVED:
            self._set_report(SaveReport(SaveState.TYPING))
        if self._timer is None:
            self._timer = self._schedule(self.DEBOUNCE_SECONDS, self._on_timer)

    def flush(self) -> bool:
        """Write every waiting value now. True when nothing is left unsaved; never raises."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if not self._waiting:
            return True
        waiting = dict(self._waiting)
        try:
            self._write(waiting)
        except (SaveError, ReadOnlyError) as error:
            self._set_report(SaveReport(SaveState.FAILED, str(error)))
            return False
        for field, value in waiting.items():
            if self._waiting.get(field) == value:
                del self._waiting[field]
        self._set_report(SaveReport(SaveState.SAVED))
        return True

    def _on_timer(self) -> None:
        self._timer = None
        waited = self._clock() - self._last_change
        if waited < self.DEBOUNCE_SECONDS and self._report.state is not SaveState.FAILED:
            self._timer = self._schedule(self.DEBOUNCE_SECONDS - waited, self._on_timer)
            return
        if not self.flush() and self._timer is None:
            self._timer = self._schedule(self.RETRY_SECONDS, self._on_timer)

    def _set_report(self, report: SaveReport) -> None:
        if report != self._report:
            self._report = report
            self._on_report(report)
