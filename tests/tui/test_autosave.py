"""Draft autosave on its own: one write per pause in typing, failures kept and retried, flush never
raises. A hand-driven clock and timer queue stand in for Textual's."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from appreciate_tui.store import SaveError, Store
from appreciate_tui.tui.autosave import DraftAutosave, SaveReport, SaveState


class Timers:
    """Scheduled callbacks that run only when the test moves time on."""

    def __init__(self) -> None:
        self.now = 0.0
        self.pending: list[tuple[float, Callable[[], None], Timers.Handle]] = []

    class Handle:
        def __init__(self) -> None:
            self.stopped = False

        def stop(self) -> None:
            self.stopped = True

    def schedule(self, delay: float, callback: Callable[[], None]) -> Timers.Handle:
        handle = Timers.Handle()
        self.pending.append((self.now + delay, callback, handle))
        return handle

    def advance(self, seconds: float) -> None:
        end = self.now + seconds
        while True:
            due = sorted(
                (p for p in self.pending if p[0] <= end and not p[2].stopped), key=lambda p: p[0]
            )
            if not due:
                break
            at, callback, _ = due[0]
            self.pending.remove(due[0])
            self.now = at
            callback()
        self.now = end


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    store = Store.open(db_path)
    yield store
    store.close()


@pytest.fixture
def cid(store: Store) -> str:
    return store.create_conversation("Drafts").id


def autosave(store: Store, cid: str, timers: Timers, reports: list[SaveReport]) -> DraftAutosave:
    return DraftAutosave(
        store, cid, schedule=timers.schedule, on_report=reports.append, clock=lambda: timers.now
    )


def test_one_write_after_typing_pauses(
    store: Store, cid: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    timers, reports, writes = Timers(), [], []
    save_draft = store.save_draft
    monkeypatch.setattr(store, "save_draft", lambda *a: (writes.append(a[2]), save_draft(*a)))
    drafts = autosave(store, cid, timers, reports)
    for text in ("h", "he", "hel", "hell", "hello"):
        drafts.changed("note", text)
        timers.advance(0.1)  # typing faster than the pause
    assert writes == []
    timers.advance(0.3)
    assert writes == ["hello"]
    assert store.get_draft(cid, "note") == "hello"
    assert [r.state for r in reports] == [SaveState.TYPING, SaveState.SAVED]


def test_saved_within_300_ms_of_the_last_keystroke(store: Store, cid: str) -> None:
    timers = Timers()
    drafts = autosave(store, cid, timers, [])
    drafts.changed("note", "x")
    timers.advance(0.2)
    drafts.changed("note", "xy")
    timers.advance(0.3)
    assert store.get_draft(cid, "note") == "xy"


def test_a_failed_write_is_reported_and_retried(
    store: Store, cid: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    timers, reports = Timers(), []
    save_draft = store.save_draft
    failing = {"on": True}

    def flaky(*args: object) -> None:
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
