"""The store's behaviour as the rest of the app sees it: schema, migrations, full-text search kept in
sync by triggers, revisions, soft delete, follow-up ordering, id prefixes and the transaction rules
(BEGIN IMMEDIATE; a failed save changes nothing and can be retried)."""

from __future__ import annotations

import hashlib
import re
import sqlite3
import threading
import time
import uuid
from pathlib import Path

import pytest

from appreciate_tui.domain import (
    ConversationStatus,
    Phase,
    QuestionKind,
    Stance,
)
from appreciate_tui.store import Ambiguous, NotFound, SaveError, Store
from appreciate_tui.store.schema import migrations
from tests.helpers.cipher import INTEGRITY_ERRORS, raw_connect

DESIGN_TABLES = {
    "conversations",
    "participants",
    "questions",
    "notes",
    "actions",
    "feedback",
    "note_revisions",
    "shares",
}
ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$")


@pytest.fixture
def convo(store: Store):
    """A conversation with two prepared questions."""
    conversation = store.create_conversation("Strategy meetings", "Is MASH working well?")
    first = store.add_question(conversation.id, "Tell me about a good meeting", Phase.DISCOVER)
    second = store.add_question(conversation.id, "What would the best look like?", Phase.DREAM)
    return conversation, first, second


def raw(db_path: Path) -> sqlite3.Connection:
    # Keyed when the suite runs against an encrypted database (tests/helpers/cipher.py).
    return raw_connect(db_path)


# ---------------------------------------------------------------- schema and migrations


def test_tables_of_the_design_exist_with_text_uuid_keys(store: Store, convo) -> None:
    tables = set(store.db.table_names())
    assert DESIGN_TABLES <= tables
    for table in DESIGN_TABLES:
        columns = {c.name: c for c in store.db[table].columns}
        assert store.db[table].pks == ["id"], table
        assert columns["id"].type.upper() == "TEXT", table

    conversation, question, _ = convo
    participant = store.add_participant(conversation.id, "Police")
    note = store.add_note(conversation.id, question.id, "A strength", Stance.STRENGTH)
    revision_note = store.update_note(note.id, body="A changed strength")
    action = store.add_action(conversation.id, "Share the questions in advance", owner="Chair")
    feedback = store.add_feedback(conversation.id, rating=4, comments="Useful")
    share = store.record_share(conversation.id, "markdown", recipient="MASH manager")
    revision = store.note_revisions(revision_note.id)[0]
    for made in (conversation, question, participant, note, action, feedback, share, revision):
        parsed = uuid.UUID(made.id)
        assert str(parsed) == made.id and parsed.version == 4
    for stamp in (conversation.created_at, note.created_at, note.updated_at, revision.revised_at):
        assert ISO_UTC.match(stamp), stamp


def test_foreign_keys_are_enforced(store: Store, convo) -> None:
    conversation, _, _ = convo
    with pytest.raises(INTEGRITY_ERRORS):
        store.db.execute(
            "INSERT INTO notes (id, conversation_id, question_id, body, sha256, created_at, updated_at)"
            " VALUES ('x', ?, 'no-such-question', 'b', 's', 't', 't')",
            [conversation.id],
        )
    store.db.conn.rollback()


def test_schema_comes_from_sqlite_utils_migrations(db_path: Path) -> None:
    with Store.open(db_path) as store:
        rows = list(
            store.db.query("SELECT migration_set, name FROM _sqlite_migrations ORDER BY id")
        )
        assert rows == [
            {"migration_set": "appreciate", "name": m.name} for m in migrations._migrations
        ]
        assert [r["name"] for r in rows][:2] == ["m001_tables", "m002_full_text_search"]
        assert migrations.pending(store.db) == []
    # Opening again applies nothing twice.
    with Store.open(db_path) as store:
        assert store.db.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0] == len(rows)


def test_fts_triggers_exist_for_each_indexed_table(store: Store) -> None:
    triggers = {r[0] for r in store.db.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}
    for table in ("notes", "questions", "conversations"):
        assert {f"{table}_ai", f"{table}_ad", f"{table}_au"} <= triggers
        assert store.db[f"{table}_fts"].exists()


# ---------------------------------------------------------------- search stays in sync


def _note_hits(store: Store, query: str) -> set[str]:
    return {hit.note_id for hit in store.search(query) if hit.kind == "note"}


def test_search_follows_insert_update_and_delete(store: Store, convo, db_path: Path) -> None:
    conversation, question, _ = convo
    note = store.add_note(conversation.id, question.id, "The paediatrician joined by phone")
    assert _note_hits(store, "paediatrician") == {note.id}

    store.update_note(note.id, body="The health visitor joined in person")
    assert _note_hits(store, "paediatrician") == set()
    assert _note_hits(store, "visitor") == {note.id}

    # Soft delete hides it from search; restore brings it back.
    store.delete_note(note.id)
    assert _note_hits(store, "visitor") == set()
    store.restore_note(note.id)
    assert _note_hits(store, "visitor") == {note.id}

    # A hard delete by another tool: the delete trigger removes it from the index too.
    with raw(db_path) as conn:
        conn.execute("DELETE FROM notes WHERE id = ?", [note.id])
    assert _note_hits(store, "visitor") == set()
    count = store.db.execute(
        "SELECT count(*) FROM notes_fts WHERE notes_fts MATCH 'visitor'"
    ).fetchone()[0]
    assert count == 0
    # FTS5's own consistency check between the index and its content table.
    store.db.execute("INSERT INTO notes_fts(notes_fts) VALUES ('integrity-check')")


def test_search_covers_questions_and_conversation_titles(store: Store, convo) -> None:
    conversation, question, _ = convo
    kinds = {(hit.kind, hit.question_id) for hit in store.search("meeting")}
    assert ("question", question.id) in kinds
    store.update_conversation(conversation.id, title="Quarterly partnership review")
    titles = [hit for hit in store.search("quarterly") if hit.kind == "conversation"]
    assert [hit.conversation_id for hit in titles] == [conversation.id]
    # The old title is gone from the index (the update trigger replaced it).
    assert [hit.kind for hit in store.search("strategy")] == []


def test_search_treats_fts_syntax_as_text(store: Store, convo) -> None:
    conversation, question, _ = convo
    note = store.add_note(conversation.id, question.id, 'He said "NEAR" (twice) - odd')
    for query in ['"', "(", "NEAR(", "-", 'said "NEAR', "AND OR NOT", "*"]:
        store.search(query)  # never an FTS5 syntax error
    assert _note_hits(store, 'said "NEAR') == {note.id}


def test_a_very_common_word_is_ranked_among_its_newest_matches(
    store: Store, convo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Exact bm25 ranking below the window; above it, the best of the newest matches."""
    from appreciate_tui.store import search

    conversation, question, _ = convo
    oldest = store.add_note(conversation.id, question.id, "threshold threshold threshold threshold")
    newer = [
        store.add_note(conversation.id, question.id, f"A long note {n} that mentions the threshold once "
                       "among many other words about the meeting and the families")
        for n in range(6)
    ]
    assert _ranked_note_ids(store, "threshold")[0] == oldest.id  # the strongest match first
    monkeypatch.setattr(search, "RANK_WINDOW", 4)
    found = _ranked_note_ids(store, "threshold")
    assert oldest.id not in found
    assert set(found) == {note.id for note in newer[-4:]}


def _ranked_note_ids(store: Store, text: str) -> list[str]:
    return [hit.note_id for hit in store.search(text) if hit.kind == "note"]


# ---------------------------------------------------------------- notes: checksums, revisions, delete


def test_note_stores_sha256_of_its_body(store: Store, convo) -> None:
    conversation, question, _ = convo
    note = store.add_note(conversation.id, question.id, "  Police shared the log early\r\n ")
    assert note.body == "Police shared the log early"
    assert note.sha256 == hashlib.sha256(note.body.encode()).hexdigest()
    edited = store.update_note(note.id, body="Police shared the full log")
    assert edited.sha256 == hashlib.sha256(b"Police shared the full log").hexdigest()
    assert store.check().ok


def test_editing_keeps_revisions_oldest_first(store: Store, convo, frozen_clock) -> None:
    conversation, question, _ = convo
    note = store.add_note(conversation.id, question.id, "first", Stance.NOTE, agency="Health")
    frozen_clock.advance(seconds=5)
    store.update_note(note.id, body="second")
    frozen_clock.advance(seconds=5)
    store.update_note(note.id, stance=Stance.CONCERN)
    frozen_clock.advance(seconds=5)
    store.update_note(note.id, agency="Police")
    frozen_clock.advance(seconds=5)
    # Starring and an edit that changes nothing are not revisions.
    store.update_note(note.id, starred=True)
    store.update_note(note.id, body="second")

    revisions = store.note_revisions(note.id)
    assert [(r.body, r.stance, r.agency) for r in revisions] == [
        ("first", Stance.NOTE, "Health"),
        ("second", Stance.NOTE, "Health"),
        ("second", Stance.CONCERN, "Health"),
    ]
    current = store.get_note(note.id)
    assert (current.body, current.stance, current.agency, current.starred) == (
        "second",
        Stance.CONCERN,
        "Police",
        True,
    )
    assert revisions[0].revised_at < revisions[1].revised_at < revisions[2].revised_at


def test_empty_note_is_refused(store: Store, convo) -> None:
    conversation, question, _ = convo
    with pytest.raises(ValueError):
        store.add_note(conversation.id, question.id, " \x1b\x07 \n")
    note = store.add_note(conversation.id, question.id, "kept")
    with pytest.raises(ValueError):
        store.update_note(note.id, body="   ")
    assert store.get_note(note.id).body == "kept"
    assert store.note_revisions(note.id) == []


def test_soft_delete_and_restore(store: Store, convo) -> None:
    conversation, question, _ = convo
    keep = store.add_note(conversation.id, question.id, "keep me")
    gone = store.add_note(conversation.id, question.id, "bin me")
    deleted = store.delete_note(gone.id)
    assert deleted.deleted_at is not None
    assert [n.id for n in store.list_notes(conversation.id)] == [keep.id]
    assert [n.id for n in store.list_notes(conversation.id, include_deleted=True)] == [keep.id, gone.id]
    assert store.note_counts() == {conversation.id: 1}
    # The row is still there with its text.
    assert store.get_note(gone.id).body == "bin me"

    restored = store.restore_note(gone.id)
    assert restored.deleted_at is None
    assert [n.id for n in store.list_notes(conversation.id)] == [keep.id, gone.id]


def test_note_must_belong_to_the_question_s_conversation(store: Store, convo) -> None:
    conversation, question, _ = convo
    other = store.create_conversation("Another")
    with pytest.raises(NotFound):
        store.add_note(other.id, question.id, "misfiled")
    assert store.list_notes(other.id) == [] and store.list_notes(conversation.id) == []


# ---------------------------------------------------------------- follow-ups


def test_follow_ups_sit_under_their_parent_depth_first(store: Store, convo, frozen_clock) -> None:
    conversation, first, second = convo
    frozen_clock.advance(seconds=1)
    a = store.add_follow_up(conversation.id, first.id, "What made it work?")
    frozen_clock.advance(seconds=1)
    b = store.add_follow_up(conversation.id, first.id, "Who was there?")
    frozen_clock.advance(seconds=1)
    a1 = store.add_follow_up(conversation.id, a.id, "What qualities would that person have?")
    frozen_clock.advance(seconds=1)
    s1 = store.add_follow_up(conversation.id, second.id, "And for families?")
    third = store.add_question(conversation.id, "What will you do next?", Phase.DELIVER)

    order = [q.id for q in store.list_questions(conversation.id)]
    assert order == [first.id, a.id, a1.id, b.id, second.id, s1.id, third.id]
    depths = store.question_depths(conversation.id)
    assert [depths[q] for q in order] == [0, 1, 2, 1, 0, 1, 0]

    assert a1.parent_id == a.id and a1.kind is QuestionKind.FOLLOW_UP
    assert a1.phase is Phase.DISCOVER  # inherits the phase it grew out of
    assert s1.phase is Phase.DREAM
    assert [store.get_question(q).position for q in (first.id, second.id, third.id)] == [0, 1, 2]


def test_follow_up_of_another_conversation_s_question_is_refused(store: Store, convo) -> None:
    _, first, _ = convo
    other = store.create_conversation("Another")
    with pytest.raises(NotFound):
        store.add_follow_up(other.id, first.id, "misplaced")
    assert store.list_questions(other.id) == []


# ---------------------------------------------------------------- ids by prefix


def test_resolve_conversation_by_unique_prefix(store: Store) -> None:
    ids = ["abc11111-0000-4000-8000-000000000001", "abc22222-0000-4000-8000-000000000002"]
    for n, cid in enumerate(ids):
        store.create_conversation(f"Conversation {n}", id=cid)

    assert store.resolve_conversation("abc1").id == ids[0]
    assert store.resolve_conversation("ABC2").id == ids[1]  # case does not matter
    assert store.resolve_conversation(f"  {ids[0]} ").id == ids[0]
    with pytest.raises(Ambiguous) as ambiguous:
        store.resolve_conversation("abc")
    assert "abc11111" in str(ambiguous.value) and "abc22222" in str(ambiguous.value)
    with pytest.raises(NotFound):
        store.resolve_conversation("fff")
    with pytest.raises(NotFound):
        store.resolve_conversation("  ")
    # LIKE wildcards are not wildcards here.
    with pytest.raises(NotFound):
        store.resolve_conversation("%")


# ---------------------------------------------------------------- conversations


def test_conversation_lifecycle(store: Store, frozen_clock) -> None:
    conversation = store.create_conversation("  Line\none\x1b[2J ", "topic\tx")
    assert conversation.title == "Line one[2J"
    assert conversation.topic == "topic x"
    assert conversation.status is ConversationStatus.PLANNED
    frozen_clock.advance(minutes=1)
    live = store.start_conversation(conversation.id)
    assert live.status is ConversationStatus.LIVE and live.started_at is not None
    frozen_clock.advance(minutes=1)
    again = store.start_conversation(conversation.id)
    assert again.started_at == live.started_at  # the first start is remembered
    closed = store.close_conversation(conversation.id)
    assert closed.status is ConversationStatus.CLOSED and closed.ended_at > closed.started_at
    with pytest.raises(TypeError):
        store.update_conversation(conversation.id, id="other")


# ---------------------------------------------------------------- transactions


def _trace(store: Store) -> list[str]:
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)
    return statements


def test_writes_begin_immediate(store: Store, convo) -> None:
    conversation, question, _ = convo
    statements = _trace(store)
    note = store.add_note(conversation.id, question.id, "traced")
    store.update_note(note.id, body="traced again")
    store.delete_note(note.id)
    store.db.conn.set_trace_callback(None)

    begins = [s for s in statements if s.strip().upper().startswith("BEGIN")]
    assert begins and all(s.strip().upper() == "BEGIN IMMEDIATE" for s in begins), begins
    # Each write happens between a BEGIN IMMEDIATE and its COMMIT, never in autocommit or a
    # deferred transaction that read first.
    depth = 0
    for s in statements:
        word = s.strip().split()[0].upper()
        if word == "BEGIN":
            depth += 1
        elif word in ("COMMIT", "ROLLBACK"):
            depth -= 1
        elif word in ("INSERT", "UPDATE", "DELETE"):
            assert depth == 1, s
    assert depth == 0
    assert len(begins) == 3


def test_atomic_groups_writes_and_rolls_back_together(store: Store, convo) -> None:
    conversation, question, _ = convo
    with pytest.raises(RuntimeError):
        with store.atomic():
            store.add_note(conversation.id, question.id, "one")
            store.add_note(conversation.id, question.id, "two")
            raise RuntimeError("stop")
    assert store.list_notes(conversation.id) == []
    assert not store.db.conn.in_transaction

    with store.atomic():
        store.add_note(conversation.id, question.id, "one")
        store.add_note(conversation.id, question.id, "two")
    assert [n.body for n in store.list_notes(conversation.id)] == ["one", "two"]


def test_a_write_waits_for_another_writer_then_saves(store: Store, convo, db_path: Path) -> None:
    conversation, question, _ = convo
    other = raw(db_path)
    other.isolation_level = None
    other.execute("BEGIN IMMEDIATE")
    releaser = threading.Timer(0.3, lambda: other.execute("COMMIT"))
    releaser.start()
    started = time.monotonic()
    try:
        note = store.add_note(conversation.id, question.id, "waited")
    finally:
        releaser.join()
    assert time.monotonic() - started >= 0.25
    assert store.get_note(note.id).body == "waited"
    other.close()


def test_a_write_blocked_past_busy_timeout_raises_save_error(
    store: Store, convo, db_path: Path
) -> None:
    conversation, question, _ = convo
    assert store.db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    store.db.execute("PRAGMA busy_timeout = 200")  # the real 5 s, shortened for the test
    other = raw(db_path)
    other.isolation_level = None
    other.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        with pytest.raises(SaveError, match="locked"):
            store.add_note(conversation.id, question.id, "blocked")
        assert time.monotonic() - started >= 0.18  # it waited, it did not fail at once
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert not store.db.conn.in_transaction
    assert store.list_notes(conversation.id) == []
    assert store.add_note(conversation.id, question.id, "later").body == "later"


def test_disk_full_changes_nothing_and_the_retry_saves(store: Store, convo) -> None:
    conversation, question, _ = convo
    before = store.add_note(conversation.id, question.id, "before the disk filled")
    conn = store.db.conn
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages + 2}")  # SQLITE_FULL for anything large
    # ~90 KB of distinct words: several pages, with the searched-for word once (FTS5's snippet()
    # is slow on a document holding thousands of matches, which is not what this test is about).
    body = "A long account of the meeting: " + " ".join(f"point{n}" for n in range(10_000))
    with pytest.raises(SaveError, match="full"):
        store.add_note(conversation.id, question.id, body, Stance.QUOTE)
    assert not conn.in_transaction
    assert [n.id for n in store.list_notes(conversation.id)] == [before.id]
    # Nothing of it reached the full-text index either.
    assert _note_hits(store, "account") == set()
    with pytest.raises(SaveError):
        store.update_note(before.id, body=body)
    assert store.get_note(before.id).body == "before the disk filled"
    assert store.note_revisions(before.id) == []

    conn.execute("PRAGMA max_page_count = 1073741823")  # space freed
    saved = store.add_note(conversation.id, question.id, body, Stance.QUOTE)
    assert store.get_note(saved.id).body == body.strip()
    assert _note_hits(store, "account") == {saved.id}
    report = store.check()
    assert report.ok and report.notes_checked == 2
    store.db.execute("INSERT INTO notes_fts(notes_fts) VALUES ('integrity-check')")


def test_lone_surrogate_never_reaches_sqlite(store: Store, convo) -> None:
    conversation, question, _ = convo
    note = store.add_note(conversation.id, question.id, "caf\udce9 au lait")
    assert note.body == "caf au lait"
    store.save_draft(conversation.id, "note", "half\ud800typed")
    assert store.get_draft(conversation.id, "note") == "halftyped"


# ---------------------------------------------------------------- a note typed in the meeting


def test_commit_note_adds_the_note_and_clears_its_draft(store: Store, convo) -> None:
    conversation, question, _ = convo
    store.save_draft(conversation.id, "note", "+ the chair\u200b listened")
    store.save_draft(conversation.id, "flow", "What would")
    typed = store.commit_note(
        conversation.id, question.id, "  + the chair\u0007 listened #police ", agencies=["Police"]
    )
    note = typed.note
    assert note is not None and note.body == "the chair listened"  # cleaned once, here
    assert (note.stance, note.agency, note.parked) == (Stance.STRENGTH, "Police", False)
    assert typed.read.tags == ("police",)
    assert [n.id for n in store.list_notes(conversation.id)] == [note.id]
    assert store.drafts(conversation.id) == {"flow": "What would"}  # only its own draft went


def test_commit_note_with_a_score_records_it_and_clears_the_draft(store: Store, convo) -> None:
    conversation, question, _ = convo
    store.save_draft(conversation.id, "note", "7 #police good start")
    note = store.commit_note(
        conversation.id, question.id, "=7 #police good start", agencies=["Police"]
    ).note
    assert note is not None and note.body == "Scored 7/10: good start"
    assert [(s.note_id, s.value) for s in store.list_scores(conversation.id)] == [(note.id, 7)]
    assert store.get_draft(conversation.id, "note") == ""


def test_commit_note_is_one_transaction(
    store: Store, convo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Clearing the draft failing after the note was added: neither happened, the draft still
    holds the text, and the same commit saves both once the disk is back."""
    conversation, question, _ = convo
    store.save_draft(conversation.id, "note", "+ do not lose me")
    clear_draft = store.save_draft

    def disk_gone(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(store, "save_draft", disk_gone)
    with pytest.raises(SaveError):
        store.commit_note(conversation.id, question.id, "+ do not lose me")
    assert not store.db.conn.in_transaction
    assert store.list_notes(conversation.id) == []
    assert store.get_draft(conversation.id, "note") == "+ do not lose me"
    for nothing in ("   ", "+", "\u0007 #police"):  # nothing to save: the draft stays too
        typed = store.commit_note(conversation.id, question.id, nothing, agencies=["Police"])
        assert typed.note is None
    assert store.get_draft(conversation.id, "note") == "+ do not lose me"

    monkeypatch.setattr(store, "save_draft", clear_draft)
    note = store.commit_note(conversation.id, question.id, "+ do not lose me").note
    assert note is not None and note.stance is Stance.STRENGTH
    assert [n.id for n in store.list_notes(conversation.id)] == [note.id]
    assert store.get_draft(conversation.id, "note") == ""


# ---------------------------------------------------------------- drafts


def test_drafts_are_kept_replaced_and_cleared(store: Store, convo) -> None:
    conversation, _, _ = convo
    store.save_draft(conversation.id, "note", "half a tho")
    store.save_draft(conversation.id, "note", "half a thought")
    store.save_draft(conversation.id, "opening", "Welcome")
    assert store.drafts(conversation.id) == {"note": "half a thought", "opening": "Welcome"}
    store.save_draft(conversation.id, "note", "")
    assert store.get_draft(conversation.id, "note") == ""
    assert store.drafts(conversation.id) == {"opening": "Welcome"}
