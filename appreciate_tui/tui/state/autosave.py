"""Keep what is being typed durable (DESIGN.md section 5): on disk at most 300 ms after the first
unsaved keystroke, however steadily the typing goes.

One engine, `Autosave`, keeps every field the facilitator types into: the note line and follow the
flow (as drafts, through `DraftAutosave`), the plan's details and the wrap-up's key learning
(straight into the conversation). A keystroke only records the value and the time; a timer does the
write, once typing pauses or once the first unsaved keystroke has waited the maximum, whichever
comes first. Waiting only for a pause would save nothing while someone types steadily, and a
facilitator writing down what is said never pauses for long.

A failed write (disk full, I/O error) keeps the values in memory and tries again every
`RETRY_SECONDS` until it succeeds; `flush()` writes everything now and never raises, because it is
what runs on Enter, on leaving a question or a screen, and when the app quits or its terminal
closes. The indicator hears "saved" only after the commit returned.

No Textual import: the screen passes in how to schedule a callback (its `set_timer`, or
`AfterFrame` over it, which puts a write due while a key's echo waits just after that frame).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any, Protocol

from appreciate_tui.store import ReadOnlyError, SaveError, Store
from appreciate_tui.text import field_line


class Cancellable(Protocol):
    def stop(self) -> None: ...


Schedule = Callable[[float, Callable[[], None]], Cancellable]


class Landing(Protocol):
    """A write given to another thread (`Autosave`'s `write_soon`): `wait()` blocks until it is on
    disk or has failed, and returns the failure (None when it is on disk)."""

    @property
    def changes(self) -> Mapping[str, Any]: ...

    def wait(self) -> BaseException | None: ...


WriteSoon = Callable[[Mapping[str, Any], Callable[[Landing], None]], Landing]
"""Give `changes` to a writer thread; it calls back (on this thread) with the landing once known."""


class Frames(Protocol):
    """What `AfterFrame` needs of a screen: Textual's `set_timer` and `call_after_refresh`."""

    def set_timer(self, delay: float, callback: Callable[[], None]) -> Cancellable: ...

    def call_after_refresh(self, callback: Callable[[], None]) -> Any: ...


class AfterFrame:
    """A timer for the draft autosave whose callback, when it falls due while a frame is waiting
    to be drawn (the echo of the key just typed), runs just after that frame has gone out.

    The drafts' wait for the disk is their writer thread's (store/draft_writer.py), but handing
    them over, and the thread's own turn at Python before SQLite lets go of it, still cost a
    fraction of a millisecond. Run the moment the timer fires, that would hold back the echo of
    the key typed just before; run after the frame, it lands in the gap before the next key. It
    adds a frame at most (1/60 s) to a write that DESIGN.md allows 300 ms, with 100 ms kept for
    the timer running late (`Autosave.MAX_WAIT_SECONDS`).
    """

    def __init__(self, screen: Frames, delay: float, callback: Callable[[], None]) -> None:
        self._screen = screen
        self._callback = callback
        self._stopped = False
        self._timer = screen.set_timer(delay, self._due)

    def _due(self) -> None:
        if not self._stopped:
            self._screen.call_after_refresh(self._run)

    def _run(self) -> None:
        if not self._stopped:
            self._stopped = True
            self._callback()

    def stop(self) -> None:
        self._stopped = True
        self._timer.stop()


class SaveState(Enum):
    SAVED = "saved"
    TYPING = "typing"
    FAILED = "failed"
    READ_ONLY = "read only"


@dataclass(frozen=True)
class SaveReport:
    state: SaveState
    reason: str = ""


_NEVER_SAVED = object()
"""What a field holds on disk until it has been loaded or written here: unlike any value."""


class Autosave:
    """The fields of one screen, each with its latest value and the value last written."""

    DEBOUNCE_SECONDS = 0.1
    """A gap this long between keys is a pause: save then, so "saved" shows soon after typing
    stops. It also keeps the writes to ten a second at most, each one small transaction."""
    MAX_WAIT_SECONDS = 0.2
    """From the first unsaved keystroke, however steady the typing. The other 100 ms of the
    300 ms promise are for the timer running late on a busy screen and for the commit itself,
    which waits for the disk (synchronous=FULL)."""
    RETRY_SECONDS = 1.5
    """After a failed write: often enough to save soon after the disk recovers, seldom enough
    not to hammer a failing one."""
    TIMER_GRAIN = 0.01
    """A write this close to due is done at once rather than timed: Textual's timers fire up to
    half a millisecond early, and one set for next to no time never fires at all."""

    def __init__(
        self,
        write: Callable[[Mapping[str, Any]], object],
        *,
        schedule: Schedule,
        on_report: Callable[[SaveReport], None],
        read_only_reason: str | None = None,
        clock: Callable[[], float] = time.monotonic,
        write_soon: WriteSoon | None = None,
    ) -> None:
        """`write(changes)` stores the changed fields in one transaction, raising `SaveError` (or
        `ReadOnlyError`) when nothing was saved. With `write_soon`, what the timer saves is given
        to it instead, so the screen does not wait for the disk; `flush` still writes at once,
        after whatever is on its way has landed."""
        self._write = write
        self._write_soon = write_soon
        self._landing: Landing | None = None
        self._landing_since: float | None = None
        self._known_since: set[str] = set()
        self._schedule = schedule
        self._on_report = on_report
        self._clock = clock
        self._read_only = read_only_reason is not None
        self._latest: dict[str, Any] = {}
        self._saved: dict[str, Any] = {}
        self._first_unsaved: float | None = None
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
        return any(value != self._saved.get(field, _NEVER_SAVED)
                   for field, value in self._latest.items())

    def know(self, field: str, value: Any) -> None:
        """`value` is what the disk holds for `field` now (loaded, or written by another save)."""
        self._latest[field] = self._saved[field] = value
        if self._landing is not None:
            self._known_since.add(field)  # newer than what is on its way
        if not self.pending and not self._read_only:
            self._set_report(SaveReport(SaveState.SAVED))

    def record(self, field: str, value: Any) -> None:
        """Know the field's value without scheduling a write (the caller flushes next)."""
        if not self._read_only:
            self._latest[field] = value

    def changed(self, field: str, value: Any) -> None:
        """Record a keystroke's result. Cheap: the value and the time, never a write."""
        if self._read_only:
            return
        now = self._clock()
        self._latest[field] = value
        self._last_change = now
        if not self.pending:
            return
        if self._first_unsaved is None:
            self._first_unsaved = now
        if self._report.state is SaveState.SAVED:
            self._set_report(SaveReport(SaveState.TYPING))
        if self._timer is None:
            self._timer = self._schedule(self.DEBOUNCE_SECONDS, self._on_timer)

    def flush(self) -> bool:
        """Write every unsaved value now. True when nothing is left unsaved; never raises (what is
        left unsaved is retried)."""
        if self._landing is not None:
            self._settle(self._landing, self._landing.wait(), go_on=False)
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self._read_only:
            return not self.pending
        changes = self._unsaved()
        if changes:
            try:
                self._write(changes)
            except ReadOnlyError as error:
                self._became_read_only(error)
                return False
            except SaveError as error:
                self._set_report(SaveReport(SaveState.FAILED, str(error)))
                self._retry_soon()
                return False
            self._saved.update(changes)
        self._first_unsaved = None
        self._set_report(SaveReport(SaveState.SAVED))
        return True

    def _unsaved(self) -> dict[str, Any]:
        return {field: value for field, value in self._latest.items()
                if value != self._saved.get(field, _NEVER_SAVED)}

    def _became_read_only(self, error: ReadOnlyError) -> None:
        # The database turned read-only (it failed its deferred check): no retry can help.
        self._read_only = True
        self._set_report(SaveReport(SaveState.READ_ONLY, str(error)))

    def _save_soon(self) -> None:
        """What the timer saves, given to the writer thread: the screen goes on at once."""
        assert self._write_soon is not None
        if self._landing is not None:
            return  # when it lands, whatever was typed meanwhile is given next (`_landed`)
        changes = self._unsaved()
        if not changes:
            self.flush()
            return
        self._landing_since, self._first_unsaved = self._first_unsaved, None
        self._known_since = set()
        self._landing = self._write_soon(changes, self._landed)

    def _landed(self, landing: Landing) -> None:
        """The writer's word on a write, on this thread; `flush` may have settled it already."""
        if landing is self._landing:
            self._settle(landing, landing.wait())

    def _settle(self, landing: Landing, error: BaseException | None, go_on: bool = True) -> None:
        """Take the writer's word; with `go_on`, give it next whatever was typed meanwhile."""
        self._landing = None
        since, self._landing_since = self._landing_since, None
        if error is None:
            self._saved.update({field: value for field, value in landing.changes.items()
                                if field not in self._known_since})
        if self._read_only:
            return
        if isinstance(error, ReadOnlyError):
            self._became_read_only(error)
            return
        if error is not None:
            # Still unsaved, since the first keystroke of what was given.
            if since is not None:
                self._first_unsaved = (since if self._first_unsaved is None
                                       else min(since, self._first_unsaved))
            # The store's own failures say what happened in words fit to show; anything else is
            # named by its kind only, as its text may quote what was typed.
            reason = (str(error) if isinstance(error, SaveError)
                      else f"not saved ({type(error).__name__})")
            self._set_report(SaveReport(SaveState.FAILED, reason))
            self._retry_soon()
            return
        if not self.pending:
            self._first_unsaved = None
            self._set_report(SaveReport(SaveState.SAVED))
        elif go_on and self._timer is None:
            self._on_timer()  # typed while it was on its way, and already waited for

    def report_failure(self, reason: str) -> None:
        """Another write (a note) failed: show it, and keep retrying whatever is unsaved."""
        self._set_report(SaveReport(SaveState.FAILED, reason))
        self._retry_soon()

    def report_saved(self) -> None:
        """Another write (a note) went through; the indicator may say "saved" if nothing waits."""
        if not self.pending and not self._read_only:
            self._set_report(SaveReport(SaveState.SAVED))

    def _on_timer(self) -> None:
        self._timer = None
        if self._report.state is not SaveState.FAILED and self._first_unsaved is not None:
            # Typing went on since the timer was set, so the pause it waited for may be later;
            # the maximum wait from the first unsaved keystroke is not.
            due = min(self._last_change + self.DEBOUNCE_SECONDS,
                      self._first_unsaved + self.MAX_WAIT_SECONDS)
            wait = due - self._clock()
            if wait > self.TIMER_GRAIN:
                self._timer = self._schedule(wait, self._on_timer)
                return
        if self._write_soon is not None:
            self._save_soon()
        else:
            self.flush()

    def _retry_soon(self) -> None:
        if self._timer is None and not self._read_only:
            self._timer = self._schedule(self.RETRY_SECONDS, self._on_timer)

    def _set_report(self, report: SaveReport) -> None:
        if report != self._report:
            self._report = report
            self._on_report(report)


class DraftAutosave(Autosave):
    """What is being typed into the note line and follow the flow, kept as the conversation's
    drafts until Enter makes it a note or a question.

    With `deliver` (a thread-safe way to run a callback on the screen's thread: Textual's
    `call_later`), the drafts are written on the store's drafts thread while typing goes
    on (store/draft_writer.py says why); without it, on the caller's thread."""

    def __init__(
        self,
        store: Store,
        conversation_id: str,
        *,
        schedule: Schedule,
        on_report: Callable[[SaveReport], None],
        clock: Callable[[], float] = time.monotonic,
        deliver: Callable[[Callable[[], None]], object] | None = None,
    ) -> None:
        self._store = store
        self._conversation_id = conversation_id
        self._deliver = deliver
        super().__init__(self._write_drafts, schedule=schedule, on_report=on_report,
                         read_only_reason=store.read_only_reason, clock=clock,
                         write_soon=self._give_drafts if deliver is not None else None)

    def load(self, field: str) -> str:
        """The draft kept for `field` (after a crash, the text that was being typed), as the line
        shows it. A control in a stored draft shows as a symbol (`text.field_line`); counting the
        shown text as the one on disk keeps merely opening the screen from writing it back."""
        text = field_line(self._store.get_draft(self._conversation_id, field))
        self.know(field, text)
        return text

    def committed(self, field: str) -> None:
        """The field's text became a note (and its draft was cleared in the same transaction)."""
        self.know(field, "")

    def _write_drafts(self, changes: Mapping[str, str]) -> None:
        with self._store.atomic():
            for field, text in changes.items():
                self._store.save_draft(self._conversation_id, field, text)

    def _give_drafts(self, changes: Mapping[str, Any], landed: Callable[[Landing], None]) -> Landing:
        deliver = self._deliver
        assert deliver is not None

        def tell(write: Landing) -> None:
            # On the writer's thread: hand its word to the screen's. Once the app has closed its
            # loop there is nobody to tell, and its last flush waited for the write itself.
            try:
                deliver(lambda: landed(write))
            except RuntimeError:
                pass

        return self._store.save_drafts_soon(self._conversation_id, changes, tell)
