"""Autosave on its own, then on the plan and wrap-up screens (DESIGN.md section 5).

The rule: whatever is typed is on disk at most 300 ms after the first unsaved keystroke, however
steadily the typing goes; a keystroke itself never writes; a failed write is kept and retried;
flush never raises. A hand-driven clock and timer queue stand in for Textual's, so the rule is
checked to the millisecond without sleeping. The screens are then typed into for real, one key at a
time, and the database read while the typing goes on.
"""

from __future__ import annotations

import asyncio
import sqlite3
import string
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import TextArea

from appreciate_tui.store import ReadOnlyError, SaveError, Store
from appreciate_tui.tui.app import AppreciateApp
from appreciate_tui.tui.state.autosave import Autosave, DraftAutosave, SaveReport, SaveState
from appreciate_tui.tui.screens.plan import PlanScreen
from appreciate_tui.tui.screens.wrapup import WrapUpScreen
from tests.conftest import FrozenClock
from tests.tui.wrapup_data import make_ended_conversation

PROMISE = 0.3
"""DESIGN.md section 5: on disk at most this long after the first unsaved keystroke."""

STEADY = [0.03, 0.09, 0.15, 0.24]
"""Seconds between keys: faster than the debounce, just under it, the typist of the issue (who
lost 259 of 280 characters), and just under the old 250 ms pause. None of them ever pauses."""


class Timers:
    """Scheduled callbacks that run only when the test moves time on, `late` seconds after they
    were due (a screen busy drawing runs its timers late)."""

    SHORTEST = 0.005
    """Textual's timers trim half a millisecond off each wait, and one set for no time at all
    (or for next to none) never fires: an autosave must never ask for one."""

    def __init__(self, late: float = 0.0) -> None:
        self.now = 0.0
        self.late = late
        self.pending: list[tuple[float, Callable[[], None], Timers.Handle]] = []

    class Handle:
        def __init__(self) -> None:
            self.stopped = False

        def stop(self) -> None:
            self.stopped = True

    def schedule(self, delay: float, callback: Callable[[], None]) -> Timers.Handle:
        assert delay >= self.SHORTEST, f"a timer for {delay * 1000:.3f} ms would never fire"
        handle = Timers.Handle()
        self.pending.append((self.now + delay + self.late, callback, handle))
        return handle

    def advance(self, seconds: float) -> None:
        end = self.now + seconds
        for _ in range(10_000):
            due = sorted(
                (p for p in self.pending if p[0] <= end and not p[2].stopped), key=lambda p: p[0]
            )
            if not due:
                break
            at, callback, _ = due[0]
            self.pending.remove(due[0])
            self.now = at
            callback()
        else:
            raise AssertionError("a timer keeps setting itself again without time moving on")
        self.now = end

    def waiting(self) -> int:
        return sum(1 for p in self.pending if not p[2].stopped)


Typed = list[tuple[float, str]]
"""(when, the whole text after that keystroke)."""


def type_steadily(changed: Callable[[str], None], timers: Timers, every: float,
                  seconds: float) -> Typed:
    """One key every `every` seconds for `seconds`, never pausing; the clock stops on the last."""
    typed: Typed = []
    text = ""
    for n in range(round(seconds / every)):
        if n:
            timers.advance(every)
        text += string.ascii_lowercase[n % 26]
        changed(text)
        typed.append((timers.now, text))
    return typed


def assert_each_keystroke_on_disk_in_time(typed: Typed, writes: Typed) -> None:
    """Every keystroke's text is written, whole, within the maximum wait of that keystroke."""
    for at, text in typed:
        in_time = [w for when, w in writes
                   if at - 1e-9 <= when <= at + Autosave.MAX_WAIT_SECONDS + 1e-9]
        assert any(w.startswith(text) for w in in_time), (
            f"{text!r}, typed at {at:.2f} s, was not on disk by "
            f"{at + Autosave.MAX_WAIT_SECONDS:.2f} s; written: {writes}"
        )


@pytest.fixture
def cid(store: Store) -> str:
    return store.create_conversation("Drafts").id


def autosave(store: Store, cid: str, timers: Timers, reports: list[SaveReport]) -> DraftAutosave:
    return DraftAutosave(
        store, cid, schedule=timers.schedule, on_report=reports.append, clock=lambda: timers.now
    )


def recorded(store: Store, timers: Timers, monkeypatch: pytest.MonkeyPatch) -> Typed:
    """Every draft written to `store` from now on, with the time it was written."""
    writes: Typed = []
    save_draft = store.save_draft

    def save(cid: str, field: str, text: str) -> None:
        save_draft(cid, field, text)
        writes.append((timers.now, text))

    monkeypatch.setattr(store, "save_draft", save)
    return writes


class Fields:
    """A conversation's fields as the plan and wrap-up write them: one call per transaction."""

    def __init__(self, timers: Timers) -> None:
        self.timers = timers
        self.writes: list[tuple[float, dict[str, Any]]] = []
        self.attempts = 0
        self.failure: Exception | None = None

    def write(self, changes: Mapping[str, Any]) -> None:
        self.attempts += 1
        if self.failure is not None:
            raise self.failure
        self.writes.append((self.timers.now, dict(changes)))

    def saver(self, reports: list[SaveReport]) -> Autosave:
        return Autosave(self.write, schedule=self.timers.schedule, on_report=reports.append,
                        clock=lambda: self.timers.now)

    def of(self, field: str) -> Typed:
        return [(when, changes[field]) for when, changes in self.writes if field in changes]


# ------------------------------------------------------------------ the rule


def test_the_maximum_wait_keeps_the_promise_with_room_for_the_commit() -> None:
    """What is left after the maximum wait is for a timer running late and for the commit, which
    waits for the disk (synchronous=FULL)."""
    assert Autosave.DEBOUNCE_SECONDS < Autosave.MAX_WAIT_SECONDS
    assert round(PROMISE - Autosave.MAX_WAIT_SECONDS, 3) >= 0.1


@pytest.mark.parametrize("every", STEADY)
def test_steady_typing_in_the_note_line_is_on_disk_within_the_maximum_wait(
    store: Store, cid: str, monkeypatch: pytest.MonkeyPatch, every: float
) -> None:
    timers = Timers()
    writes = recorded(store, timers, monkeypatch)
    drafts = autosave(store, cid, timers, [])
    typed = type_steadily(lambda text: drafts.changed("note", text), timers, every, 4.0)
    timers.advance(Autosave.MAX_WAIT_SECONDS)
    assert_each_keystroke_on_disk_in_time(typed, writes)
    assert store.get_draft(cid, "note") == typed[-1][1]


@pytest.mark.parametrize("every", STEADY)
def test_steady_typing_in_a_plan_field_is_on_disk_within_the_maximum_wait(every: float) -> None:
    timers = Timers()
    fields = Fields(timers)
    saver = fields.saver([])
    typed = type_steadily(lambda text: saver.changed("opening", text), timers, every, 4.0)
    timers.advance(Autosave.MAX_WAIT_SECONDS)
    assert_each_keystroke_on_disk_in_time(typed, fields.of("opening"))


def test_a_timer_running_late_writes_at_once(
    store: Store, cid: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keys arriving together (a burst read from the terminal) and a screen too busy to run the
    timer on time: the write is already due when the timer runs, so it happens then."""
    timers = Timers(late=0.07)
    writes = recorded(store, timers, monkeypatch)
    drafts = autosave(store, cid, timers, [])
    for text in ("+", "+ ", "+ t", "+ ty"):
        drafts.changed("note", text)
        timers.advance(0.001)
    timers.advance(0.3)
    assert writes == [(pytest.approx(Autosave.DEBOUNCE_SECONDS + 0.07), "+ ty")]


@pytest.mark.parametrize("every", STEADY)
def test_steady_typing_with_timers_running_late_is_on_disk_within_the_promise(
    store: Store, cid: str, monkeypatch: pytest.MonkeyPatch, every: float
) -> None:
    timers = Timers(late=0.05)
    writes = recorded(store, timers, monkeypatch)
    drafts = autosave(store, cid, timers, [])
    typed = type_steadily(lambda text: drafts.changed("note", text), timers, every, 4.0)
    timers.advance(PROMISE)
    for at, text in typed:
        assert any(w.startswith(text) for when, w in writes if at <= when <= at + PROMISE)


def test_fast_typing_is_not_written_per_keystroke(
    store: Store, cid: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    timers = Timers()
    writes = recorded(store, timers, monkeypatch)
    drafts = autosave(store, cid, timers, [])
    typed = type_steadily(lambda text: drafts.changed("note", text), timers, 0.03, 4.0)
    assert len(typed) == 133
    assert len(writes) <= 4.0 / Autosave.MAX_WAIT_SECONDS + 1


def test_a_keystroke_writes_nothing_and_one_write_follows_a_pause(
    store: Store, cid: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    timers, reports = Timers(), []
    writes = recorded(store, timers, monkeypatch)
    drafts = autosave(store, cid, timers, reports)
    for text in ("h", "he", "hel"):
        drafts.changed("note", text)
        assert writes == []
        timers.advance(0.05)  # faster than the debounce
    assert writes == []
    timers.advance(0.3)
    assert [text for _, text in writes] == ["hel"]
    assert store.get_draft(cid, "note") == "hel"
    assert [r.state for r in reports] == [SaveState.TYPING, SaveState.SAVED]


def test_one_key_is_saved_after_the_debounce(
    store: Store, cid: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    timers = Timers()
    writes = recorded(store, timers, monkeypatch)
    drafts = autosave(store, cid, timers, [])
    drafts.changed("note", "x")
    timers.advance(1.0)
    assert writes == [(pytest.approx(Autosave.DEBOUNCE_SECONDS), "x")]


# ------------------------------------------------------------------ failures


def test_a_failed_write_is_reported_and_retried(
    store: Store, cid: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    timers, reports = Timers(), []
    save_draft = store.save_draft
    failing = {"on": True}

    def flaky(*args: Any) -> None:
        if failing["on"]:
            raise SaveError("the disk is full")
        save_draft(*args)

    monkeypatch.setattr(store, "save_draft", flaky)
    drafts = autosave(store, cid, timers, reports)
    drafts.changed("note", "keep me")
    timers.advance(0.3)
    assert reports[-1] == SaveReport(SaveState.FAILED, "the disk is full")
    timers.advance(3.0)
    assert reports[-1].state is SaveState.FAILED  # still failing, still trying
    failing["on"] = False
    timers.advance(2.0)
    assert reports[-1].state is SaveState.SAVED
    assert store.get_draft(cid, "note") == "keep me"


def test_a_plan_field_failing_under_steady_typing_is_retried_not_written_per_keystroke() -> None:
    timers, reports = Timers(), []
    fields = Fields(timers)
    saver = fields.saver(reports)
    fields.failure = SaveError("the disk is full")
    typed = type_steadily(lambda text: saver.changed("opening", text), timers, 0.15, 4.0)
    assert reports[-1] == SaveReport(SaveState.FAILED, "the disk is full")
    assert fields.attempts <= 1 + 4.0 / Autosave.RETRY_SECONDS
    fields.failure = None
    timers.advance(Autosave.RETRY_SECONDS)
    assert reports[-1].state is SaveState.SAVED
    assert fields.of("opening")[-1][1] == typed[-1][1]
    assert not saver.pending


def test_a_database_that_became_read_only_is_said_and_not_retried() -> None:
    timers, reports = Timers(), []
    fields = Fields(timers)
    saver = fields.saver(reports)
    fields.failure = ReadOnlyError("the database failed its integrity check")
    saver.changed("opening", "Thank you")
    timers.advance(0.3)
    assert reports[-1] == SaveReport(SaveState.READ_ONLY, "the database failed its integrity check")
    assert timers.waiting() == 0


def test_a_failed_flush_is_retried_too() -> None:
    """Enter, a question change or leaving the screen flushes at once; if that write fails, the
    text is kept and retried like any other."""
    timers, reports = Timers(), []
    fields = Fields(timers)
    saver = fields.saver(reports)
    fields.failure = SaveError("I/O error")
    saver.record("opening", "Thank you")
    assert not saver.flush()
    fields.failure = None
    timers.advance(Autosave.RETRY_SECONDS)
    assert fields.of("opening") == [(Autosave.RETRY_SECONDS, "Thank you")]
    assert reports[-1].state is SaveState.SAVED


def test_flush_writes_now_and_never_raises(
    store: Store, cid: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    timers, reports = Timers(), []
    drafts = autosave(store, cid, timers, reports)
    drafts.record("note", "now")
    drafts.record("flow", "and this")
    assert drafts.flush()
    assert store.drafts(cid) == {"note": "now", "flow": "and this"}

    monkeypatch.setattr(
        store, "save_draft", lambda *a: (_ for _ in ()).throw(SaveError("I/O error"))
    )
    drafts.record("note", "now, later")
    assert not drafts.flush()
    assert reports[-1] == SaveReport(SaveState.FAILED, "I/O error")


# ------------------------------------------------------------------ drafts


def test_committed_text_is_not_written_again(store: Store, cid: str) -> None:
    timers = Timers()
    drafts = autosave(store, cid, timers, [])
    drafts.changed("note", "+ a note")
    drafts.committed("note")
    drafts.changed("note", "")
    timers.advance(1.0)
    assert not drafts.pending
    assert store.drafts(cid) == {}


def test_load_returns_the_draft_left_by_a_crash(store: Store, cid: str) -> None:
    store.save_draft(cid, "note", "half a thought")
    drafts = autosave(store, cid, Timers(), [])
    assert drafts.load("note") == "half a thought"
    assert not drafts.pending


# ------------------------------------------------------------------ the screens, typed into


def on_disk(db_path: Path, column: str) -> str:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        (row,) = conn.execute(f"SELECT {column} FROM conversations")  # noqa: S608 - a test's own
        return row[0] or ""
    finally:
        conn.close()


async def type_steadily_into(pilot: Pilot, area: TextArea, text: str, every: float) -> Typed:
    """Press each key of `text` in turn, `every` seconds apart, as a person would."""
    area.focus()
    typed: Typed = []
    start = time.monotonic()
    for n, key in enumerate(text):
        await asyncio.sleep(max(0.0, start + n * every - time.monotonic()))
        await pilot.press("space" if key == " " else key)
        typed.append((time.monotonic(), text[: n + 1]))
    return typed


def typed_before(typed: Typed, moment: float) -> str:
    return max((text for at, text in typed if at <= moment), key=len, default="")


@pytest.mark.slow  # ~5 s on one core
async def test_the_plan_saves_the_opening_while_it_is_typed_steadily(
    db_path: Path, frozen_clock: FrozenClock
) -> None:
    with Store.open(db_path) as store:
        cid = store.create_conversation("Front door").id
        app = AppreciateApp(store)
        async with app.run_test(size=(120, 40)) as pilot:
            app.plan_conversation(cid)
            await pilot.pause()
            assert isinstance(app.screen, PlanScreen)
            area = app.screen.query_one("#opening", TextArea)
            typed = await type_steadily_into(pilot, area, "thank you all for coming", 0.15)
            looked = time.monotonic()
            kept = on_disk(db_path, "opening")
            assert kept.startswith(typed_before(typed, looked - PROMISE))


@pytest.mark.slow  # ~5 s on one core
async def test_the_wrap_up_saves_the_key_learning_while_it_is_typed_steadily(
    db_path: Path, frozen_clock: FrozenClock
) -> None:
    with Store.open(db_path) as store:
        cid = make_ended_conversation(store, frozen_clock.advance)
        app = AppreciateApp(store)
        async with app.run_test(size=(120, 40)) as pilot:
            app.wrap_up_conversation(cid)
            await pilot.pause()
            assert isinstance(app.screen, WrapUpScreen)
            await pilot.press("f6")
            area = app.screen.query_one("#key-learning", TextArea)
            typed = await type_steadily_into(pilot, area, "invite with what to bring", 0.15)
            looked = time.monotonic()
            kept = on_disk(db_path, "key_learning")
            assert kept.startswith(typed_before(typed, looked - PROMISE))
