"""What the conversations browser and the review screen ask of the store: every conversation with
its counts in one query, the bin (soft delete, restore, erase), copies to plan from, a reader for a
worker thread that can be interrupted, and how often each note was changed."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from appreciate_tui.domain import ActionStatus, ConversationStatus, Phase, Stance
from appreciate_tui.store import NotFound, ReadOnlyError, Store


def meeting(store: Store, title: str = "Strategy meetings", date: str = "2026-03-12") -> str:
    """A closed conversation: two agencies attended, one person sent apologies, notes (one
    deleted), a follow-up, actions in every state, feedback and learning."""
    conversation = store.create_conversation(
        title, "Is MASH working well?", setting="MASH room", facilitator="Practice lead",
        date=date, opening="Why we are here.",
    )
    cid = conversation.id
    store.update_conversation(cid, phase_budget={"discover": 20, "dream": 15},
                              key_learning="Ask early.")
    first = store.add_question(cid, "Tell me about a good meeting", Phase.DISCOVER,
                               prompts=["Who?"])
    store.add_question(cid, "What would the best look like?", Phase.DREAM, scale=True)
    store.add_follow_up(cid, first.id, "What made that possible?")
    police = store.add_participant(cid, "Police", name="Sam Stone", role="DS", attended=True)
    store.add_participant(cid, "Health", name="Ana Gale", attended=True)
    store.add_participant(cid, "Education", name="Lee Ford", absence_reason="Inset day")
    kept = store.add_note(cid, first.id, "Rang back within the hour", Stance.STRENGTH,
                          participant_id=police.id)
    store.add_note(cid, first.id, "Minutes came late", Stance.CONCERN)
    gone = store.add_note(cid, first.id, "A slip of the keyboard")
    store.delete_note(gone.id)
    for status in ActionStatus:
        store.add_action(cid, f"Action {status.value}", status=status, note_id=kept.id)
    store.add_feedback(cid, agency="Police", rating=5)
    store.start_conversation(cid)
    store.close_conversation(cid)
    return cid


# ---------------------------------------------------------------- summaries


def test_summaries_count_live_notes_open_actions_and_agencies_present(store: Store) -> None:
    cid = meeting(store)
    [summary] = store.conversation_summaries()
    assert summary.conversation.id == cid
    assert summary.notes == 2, "the deleted note is not counted"
    assert summary.open_actions == 2, "open and in progress; not done or dropped"
    assert summary.agencies == ("Health", "Police"), "Education sent apologies"


def test_a_planned_conversation_shows_the_agencies_invited(store: Store) -> None:
    planned = store.create_conversation("Next month", date="2026-04-01")
    store.add_participant(planned.id, "Police")
    store.add_participant(planned.id, "Health")
    store.add_participant(planned.id, "Police")
    store.add_participant(planned.id, "Education", invited=False)
    [summary] = store.conversation_summaries()
    assert summary.agencies == ("Health", "Police")
    assert summary.notes == summary.open_actions == 0


def test_summaries_are_newest_first_and_leave_out_the_bin(store: Store) -> None:
    older = meeting(store, "Autumn", "2025-10-01")
    newer = meeting(store, "Spring", "2026-03-12")
    binned = meeting(store, "Binned", "2026-03-20")
    store.delete_conversation(binned)
    assert [s.conversation.id for s in store.conversation_summaries()] == [newer, older]


def _selects_for_summaries(store: Store) -> int:
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)
    try:
        store.conversation_summaries()
    finally:
        store.db.conn.set_trace_callback(None)
    return len([s for s in statements if s.lstrip().upper().startswith("SELECT")])


def test_summaries_take_the_same_few_queries_however_many_conversations(store: Store) -> None:
    meeting(store, "Meeting 0", "2026-03-01")
    few = _selects_for_summaries(store)
    for n in range(1, 6):
        meeting(store, f"Meeting {n}", f"2026-03-0{n + 1}")
    assert _selects_for_summaries(store) == few <= 3


def test_counting_reads_an_index_of_live_notes_not_the_notes(store: Store) -> None:
    plan = " ".join(
        row[3] for row in store.db.execute(
            "EXPLAIN QUERY PLAN SELECT count(*) FROM notes WHERE conversation_id = ? "
            "AND deleted_at IS NULL", ["x"]
        ).fetchall()
    )
    assert plan.startswith("SEARCH notes USING"), plan
    index = plan.split("INDEX ")[1].split()[0]
    [definition] = store.db.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", [index]
    ).fetchone()
    assert "WHERE deleted_at IS NULL" in definition, "an index of the notes not deleted"


# ---------------------------------------------------------------- the bin


def test_delete_moves_to_the_bin_and_restore_brings_it_back_whole(store: Store) -> None:
    cid = meeting(store)
    notes_before = store.list_notes(cid)
    binned = store.delete_conversation(cid)
    assert binned.deleted_at is not None
    assert store.conversation_summaries() == []
    assert store.list_conversations() == []
    assert store.search("hour") == []
    [in_bin] = store.list_bin()
    assert in_bin.conversation.id == cid and in_bin.notes == 2

    restored = store.restore_conversation(cid)
    assert restored.deleted_at is None
    assert store.list_bin() == []
    assert store.list_notes(cid) == notes_before
    assert [hit.conversation_id for hit in store.search("hour")] == [cid]


def test_the_bin_lists_the_most_recently_binned_first(store: Store, frozen_clock) -> None:
    first, second = meeting(store, "First"), meeting(store, "Second")
    store.delete_conversation(second)
    frozen_clock.advance(minutes=1)
    store.delete_conversation(first)
    assert [s.conversation.id for s in store.list_bin()] == [first, second]


def test_purging_from_the_bin_erases_the_conversation(store: Store) -> None:
    cid = meeting(store)
    store.delete_conversation(cid)
    store.erase_conversation(cid)
    assert store.list_bin() == []
    with pytest.raises(NotFound):
        store.get_conversation(cid)


def test_deleting_something_missing_says_so(store: Store) -> None:
    with pytest.raises(NotFound):
        store.delete_conversation("no-such-conversation")


def test_a_read_only_store_cannot_delete(db_path: Path) -> None:
    with Store.open(db_path) as writer:
        cid = meeting(writer)
    with Store.open(db_path, read_only=True) as reader:
        with pytest.raises(ReadOnlyError):
            reader.delete_conversation(cid)


# ---------------------------------------------------------------- copies


def test_a_template_copies_the_plan_but_nothing_said_and_no_names(store: Store) -> None:
    source = meeting(store)
    copy = store.duplicate_conversation(source, title="Strategy meetings again", date="2026-04-02")
    assert copy.id != source
    assert copy.title == "Strategy meetings again" and copy.date == "2026-04-02"
    assert copy.status is ConversationStatus.PLANNED
    assert (copy.topic, copy.setting, copy.facilitator, copy.opening) == (
        "Is MASH working well?", "MASH room", "Practice lead", "Why we are here.")
    assert copy.phase_budget == {"discover": 20, "dream": 15}
    assert copy.key_learning == "" and copy.started_at is None and copy.ended_at is None

    questions = store.list_questions(copy.id)
    assert [(q.text, q.phase, q.prompts, q.scale) for q in questions] == [
        ("Tell me about a good meeting", Phase.DISCOVER, ("Who?",), False),
        ("What would the best look like?", Phase.DREAM, (), True),
    ], "prepared questions in order; the follow-up came from the meeting"
    assert all(q.asked_at is None for q in questions)

    people = store.list_participants(copy.id)
    assert [(p.agency, p.pseudonym, p.role, p.name, p.attended) for p in people] == [
        ("Education", "Education 1", "", "", False),
        ("Health", "Health 1", "", "", False),
        ("Police", "Police 1", "DS", "", False),
    ]
    assert store.list_notes(copy.id) == store.list_actions(copy.id) == []
    assert store.list_feedback(copy.id) == []


def test_a_duplicate_keeps_the_names(store: Store) -> None:
    source = meeting(store)
    copy = store.duplicate_conversation(source, as_template=False)
    assert copy.title == "Strategy meetings"
    assert sorted(p.name for p in store.list_participants(copy.id)) == [
        "Ana Gale", "Lee Ford", "Sam Stone"]
    assert store.list_notes(copy.id) == []


# ---------------------------------------------------------------- the reader


def test_a_reader_searches_from_its_own_thread(store: Store) -> None:
    cid = meeting(store)
    found: list[object] = []

    def search() -> None:
        reader = store.open_reader()
        try:
            found.extend(reader.search_while("hour", lambda: True) or [])
            assert reader.read_only
        finally:
            reader.close()

    thread = threading.Thread(target=search)
    thread.start()
    thread.join()
    assert [hit.conversation_id for hit in found] == [cid]  # type: ignore[attr-defined]


def test_a_reader_cannot_write(store: Store) -> None:
    reader = store.open_reader()
    try:
        with pytest.raises(ReadOnlyError):
            reader.create_conversation("Nope")
    finally:
        reader.close()


def test_a_search_no_longer_wanted_gives_up(store: Store) -> None:
    cid = meeting(store)
    question = store.list_questions(cid)[0]
    with store.atomic():
        for n in range(3000):  # enough for the search to take many steps
            store.add_note(cid, question.id, f"Within the hour, time {n}")
    asked: list[bool] = []

    def wanted() -> bool:
        asked.append(True)
        return len(asked) < 2  # a newer search is wanted once this one is under way

    assert store.search_while("hour", wanted) is None
    assert len(asked) >= 2, "it was asked while searching, and stopped"
    assert store.search_while("hour", lambda: True), "it searches normally afterwards"
    assert store.search("hour")


# ---------------------------------------------------------------- revisions


def test_revision_counts_name_only_changed_notes(store: Store) -> None:
    cid = meeting(store)
    kept, other = store.list_notes(cid)
    store.update_note(kept.id, body="Rang back within the hour, every time")
    store.update_note(kept.id, stance=Stance.QUOTE)
    store.update_note(other.id, starred=True)  # not a change of what was said
    assert store.revision_counts(cid) == {kept.id: 2}
