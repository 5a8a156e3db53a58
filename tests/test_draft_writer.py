"""Drafts written on a thread of their own (store/draft_writer.py): on disk as soon as the disk
allows, in the order given, never after a write that came later (a note that cleared its draft),
nothing lost when the store closes, and every failure told to whoever gave the draft, not raised
on the writer's thread and lost there."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from appreciate_tui.store import (
    ReadOnlyError, SaveError, Store, cipher, draft_writer, encryption, safety,
)
from appreciate_tui.store.draft_writer import DraftWrite


def on_disk(db_path: Path, cid: str) -> dict[str, str]:
    """The drafts as another program would read them."""
    with sqlite3.connect(db_path) as conn:
        return dict(conn.execute(
            "SELECT field, body FROM drafts WHERE conversation_id = ?", [cid]).fetchall())


@pytest.fixture
def cid(store: Store) -> str:
    return store.create_conversation("Drafts").id


@pytest.fixture
def slow_disk(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every draft write takes 0.2 s, as on a busy disk; returns the names of the threads that
    wrote them."""
    write, threads = draft_writer.write_draft, []

    def slow(*args: Any) -> None:
        threads.append(threading.current_thread().name)
        time.sleep(0.2)
        write(*args)

    monkeypatch.setattr(draft_writer, "write_draft", slow)
    return threads


def test_a_draft_given_to_the_writer_lands_on_disk_and_says_so(
    store: Store, cid: str, db_path: Path
) -> None:
    landed: list[DraftWrite] = []
    write = store.save_drafts_soon(cid, {"note": "+ joint visits", "flow": "What helped?"},
                                   landed.append)
    assert write.wait() is None
    assert on_disk(db_path, cid) == {"note": "+ joint visits", "flow": "What helped?"}
    for _ in range(100):  # told just after it is known
        if landed:
            break
        time.sleep(0.01)
    assert landed == [write]


def test_giving_a_draft_does_not_wait_for_the_disk(
    store: Store, cid: str, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk is held until the test lets it go: giving the draft returns all the same."""
    write_draft, disk_free, threads = draft_writer.write_draft, threading.Event(), []

    def held(*args: Any) -> None:
        threads.append(threading.current_thread().name)
        assert disk_free.wait(10), "never let go"
        write_draft(*args)

    monkeypatch.setattr(draft_writer, "write_draft", held)
    write = store.save_drafts_soon(cid, {"note": "typed"})
    assert not write.done and on_disk(db_path, cid) == {}
    disk_free.set()
    assert write.wait() is None
    assert threads == ["appreciate-drafts"]
    assert on_disk(db_path, cid) == {"note": "typed"}


def test_a_note_saved_while_its_draft_is_on_its_way_is_not_followed_by_the_draft(
    store: Store, cid: str, db_path: Path, slow_disk: list[str]
) -> None:
    """Enter pressed just after the timer gave the line to the writer: the note clears the draft
    in its own transaction, which waits for the draft to land first. Were it not to wait, the
    draft would land after it, and come back into the line at the next start, to be saved twice."""
    question = store.add_question(cid, "What is working well?", "discover").id
    store.save_drafts_soon(cid, {"note": "+ the strategy meeting was quick"})
    typed = store.commit_note(cid, question, "+ the strategy meeting was quick")
    assert typed.note is not None
    time.sleep(0.3)
    assert on_disk(db_path, cid) == {}
    assert [n.body for n in store.list_notes(cid)] == ["the strategy meeting was quick"]


def test_drafts_land_in_the_order_given(store: Store, cid: str, db_path: Path,
                                        slow_disk: list[str]) -> None:
    for text in ("+ t", "+ th", "+ the", ""):
        last = store.save_drafts_soon(cid, {"note": text})
    store.save_drafts_soon(cid, {"note": "+ the end"})
    last.wait()
    store.close()
    assert on_disk(db_path, cid) == {"note": "+ the end"}


def test_closing_the_store_lands_what_was_given(
    db_path: Path, store: Store, cid: str, slow_disk: list[str]
) -> None:
    store.save_drafts_soon(cid, {"note": "said just before the lid closed"})
    store.close()
    assert on_disk(db_path, cid) == {"note": "said just before the lid closed"}


def test_a_failed_write_is_told_not_raised(
    store: Store, cid: str, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*args: Any) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(draft_writer, "write_draft", full)
    error = store.save_drafts_soon(cid, {"note": "kept in memory"}).wait()
    assert isinstance(error, SaveError) and "full" in str(error)
    monkeypatch.undo()
    # The writer goes on: the next draft lands.
    assert store.save_drafts_soon(cid, {"note": "kept in memory"}).wait() is None
    assert on_disk(db_path, cid) == {"note": "kept in memory"}


def test_nothing_is_written_to_a_store_that_turned_read_only(
    store: Store, cid: str, db_path: Path
) -> None:
    store.read_only_reason = "the database failed its integrity check"
    error = store.save_drafts_soon(cid, {"note": "not on a damaged file"}).wait()
    assert isinstance(error, ReadOnlyError)
    assert on_disk(db_path, cid) == {}


def test_hostile_text_is_cleaned_on_the_way_in(store: Store, cid: str, db_path: Path) -> None:
    pasted = "before\x1b]52;c;ZXZpbA==\x07after \u202eevil"
    assert store.save_drafts_soon(cid, {"note": pasted}).wait() is None
    store.save_draft(cid, "flow", pasted)
    kept = on_disk(db_path, cid)
    assert kept["note"] == kept["flow"]  # the same cleaning as a draft written in place
    assert "\x1b" not in kept["note"] and "\x07" not in kept["note"]


@pytest.mark.skipif(not cipher.available(), reason="needs the encryption extra")
def test_an_encrypted_file_gets_its_drafts_too(db_path: Path) -> None:
    with Store.open(db_path) as store:
        cid = store.create_conversation("Locked").id
    encryption.encrypt(db_path, "a long passphrase for the test")
    with Store.open(db_path, passphrase="a long passphrase for the test") as store:
        assert store.save_drafts_soon(cid, {"note": "kept under the key"}).wait() is None
        assert store.get_draft(cid, "note") == "kept under the key"
    with pytest.raises(sqlite3.DatabaseError):
        on_disk(db_path, cid)  # the draft's words are not in the file in the clear


def test_a_database_locked_by_another_program_waits_on_the_writer_not_the_screen(
    store: Store, cid: str, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another program holding the write lock: the draft waits out SQLite's busy timeout on the
    writer's thread (the typing goes on; seen in tmux: 18 keys echoed in 1.0 s while a lock was
    held for 8 s, then "NOT SAVED: database is locked… retrying", then "saved"), and says so."""
    monkeypatch.setattr(safety, "PRAGMAS", tuple(
        (name, "1000" if name == "busy_timeout" else value)
        for name, value in safety.PRAGMAS))
    locker = sqlite3.connect(db_path, isolation_level=None)
    locker.execute("BEGIN IMMEDIATE")
    try:
        write = store.save_drafts_soon(cid, {"note": "typed while another program wrote"})
        assert not write.done  # it waits for the lock on the writer's thread, for a second
        error = write.wait()
        assert isinstance(error, SaveError) and "locked" in str(error)
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    assert store.save_drafts_soon(cid, {"note": "typed while another program wrote"}).wait() is None
    assert on_disk(db_path, cid) == {"note": "typed while another program wrote"}
