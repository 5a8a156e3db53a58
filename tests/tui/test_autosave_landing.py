"""Autosave with its writes given to another thread (`write_soon`, the drafts' writer): the screen
hands them over and goes on; what is typed while one is on its way is written next; `flush` waits
for it and writes the rest itself; a failure that comes back later is shown and retried; a field
known anew meanwhile (a note saved from it) is not taken back by the late word. The writer here is
a hand-driven stand-in, landing when the test's clock says so.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest

from appreciate_tui.store import ReadOnlyError, SaveError
from appreciate_tui.tui.state.autosave import Autosave, SaveReport, SaveState
from tests.tui.test_autosave import PROMISE, STEADY, Timers, Typed, type_steadily


class Landing:
    def __init__(self, writer: Writer, changes: Mapping[str, Any],
                 landed: Callable[[Landing], None]) -> None:
        self.writer, self.changes, self.landed = writer, dict(changes), landed
        self.error: BaseException | None = None
        self.done = False

    def land(self, error: BaseException | None = None) -> None:
        """On the writer's side: on disk (or failed) now."""
        if not self.done:
            self.done, self.error = True, error
            if error is None:
                self.writer.disk.update(self.changes)
                self.writer.writes += [(self.writer.timers.now, v) for v in self.changes.values()]

    def wait(self) -> BaseException | None:
        self.writer.waited += 1
        self.land(self.writer.failing)
        return self.error


class Writer:
    """Lands each write `disk_seconds` after it is given, then tells the screen."""

    def __init__(self, timers: Timers, disk_seconds: float = 0.05) -> None:
        self.timers, self.disk_seconds = timers, disk_seconds
        self.given: list[Landing] = []
        self.disk: dict[str, Any] = {}
        self.writes: Typed = []
        self.in_place: list[dict[str, Any]] = []
        self.failing: BaseException | None = None
        self.waited = 0

    def write_soon(self, changes: Mapping[str, Any], landed: Callable[[Landing], None]) -> Landing:
        landing = Landing(self, changes, landed)
        self.given.append(landing)
        self.timers.schedule(self.disk_seconds, lambda: self._arrive(landing))
        return landing

    def _arrive(self, landing: Landing) -> None:
        landing.land(self.failing)
        landing.landed(landing)

    def write_now(self, changes: Mapping[str, Any]) -> None:
        if self.failing is not None:
            raise self.failing
        self.in_place.append(dict(changes))
        self.disk.update(changes)
        self.writes += [(self.timers.now, v) for v in changes.values()]


def saver(writer: Writer, reports: list[SaveReport]) -> Autosave:
    return Autosave(writer.write_now, schedule=writer.timers.schedule, on_report=reports.append,
                    clock=lambda: writer.timers.now, write_soon=writer.write_soon)


@pytest.mark.parametrize("every", STEADY)
def test_steady_typing_is_handed_over_and_on_disk_within_the_promise(every: float) -> None:
    timers = Timers()
    writer = Writer(timers, disk_seconds=0.05)
    save = saver(writer, [])
    typed = type_steadily(lambda text: save.changed("note", text), timers, every, 4.0)
    timers.advance(PROMISE)
    assert writer.in_place == [], "the timer's writes are all handed over"
    for at, text in typed:
        assert any(at - 1e-9 <= when <= at + PROMISE and written.startswith(text)
                   for when, written in writer.writes), f"{text!r} typed at {at:.2f} s"
    assert writer.disk == {"note": typed[-1][1]}


def test_one_write_on_its_way_at_a_time_and_what_was_typed_meanwhile_follows() -> None:
    timers = Timers()
    writer = Writer(timers, disk_seconds=0.5)  # a disk far slower than the typing
    reports: list[SaveReport] = []
    save = saver(writer, reports)
    save.changed("note", "a")
    timers.advance(0.15)
    assert [g.changes for g in writer.given] == [{"note": "a"}]
    save.changed("note", "ab")
    timers.advance(0.3)  # the timer falls due with "a" still on its way: nothing more given
    assert len(writer.given) == 1 and reports[-1].state is SaveState.TYPING
    timers.advance(0.2)  # "a" lands (0.6 s); "ab" has waited past the maximum: given at once
    assert [g.changes for g in writer.given] == [{"note": "a"}, {"note": "ab"}]
    timers.advance(0.6)
    assert writer.disk == {"note": "ab"} and reports[-1] == SaveReport(SaveState.SAVED)


def test_flush_waits_for_the_write_on_its_way_then_writes_the_rest_itself() -> None:
    timers = Timers()
    writer = Writer(timers, disk_seconds=0.5)
    reports: list[SaveReport] = []
    save = saver(writer, reports)
    save.changed("note", "said")
    timers.advance(0.15)
    save.changed("note", "said it")
    assert save.flush() is True
    assert writer.waited == 1 and writer.in_place == [{"note": "said it"}]
    assert writer.disk == {"note": "said it"} and reports[-1] == SaveReport(SaveState.SAVED)
    timers.advance(1.0)  # the writer's word comes after: already settled, nothing written again
    assert len(writer.given) == 1 and writer.in_place == [{"note": "said it"}]
    assert not save.pending and reports[-1] == SaveReport(SaveState.SAVED)


def test_a_failure_told_later_is_shown_and_retried_from_the_first_unsaved_key() -> None:
    timers = Timers()
    writer = Writer(timers, disk_seconds=0.05)
    reports: list[SaveReport] = []
    save = saver(writer, reports)
    writer.failing = SaveError("the disk is full")
    save.changed("note", "keep me")
    timers.advance(0.5)
    assert reports[-1] == SaveReport(SaveState.FAILED, "the disk is full")
    assert writer.disk == {}
    timers.advance(3.0)
    assert reports[-1].state is SaveState.FAILED and len(writer.given) >= 2  # still trying
    writer.failing = None
    timers.advance(Autosave.RETRY_SECONDS + 0.1)
    assert writer.disk == {"note": "keep me"} and reports[-1] == SaveReport(SaveState.SAVED)


def test_a_file_that_turned_read_only_on_the_writers_side_is_said_once_and_not_retried() -> None:
    timers = Timers()
    writer = Writer(timers)
    reports: list[SaveReport] = []
    save = saver(writer, reports)
    writer.failing = ReadOnlyError("the database failed its integrity check")
    save.changed("note", "x")
    timers.advance(5.0)
    assert reports[-1].state is SaveState.READ_ONLY and len(writer.given) == 1
    assert timers.waiting() == 0


def test_a_field_saved_another_way_meanwhile_is_not_taken_back_by_the_late_word() -> None:
    """Enter saved the line as a note (which cleared its draft) while the line's draft was on its
    way: the draft's landing must not make the cleared line look unsaved, or be written again."""
    timers = Timers()
    writer = Writer(timers, disk_seconds=0.2)
    reports: list[SaveReport] = []
    save = saver(writer, reports)
    save.changed("note", "+ quick strategy meetings")
    timers.advance(0.15)
    assert len(writer.given) == 1
    writer.given[0].land()  # the store waits for it before the note's transaction
    writer.disk["note"] = ""  # which clears the draft
    save.know("note", "")  # `committed`
    save.changed("note", "")  # the line emptied
    timers.advance(1.0)
    assert len(writer.given) == 1 and writer.in_place == []
    assert not save.pending and reports[-1] == SaveReport(SaveState.SAVED)
