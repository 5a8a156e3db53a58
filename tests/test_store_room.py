"""What the view for the room (`appreciate present`) reads: the question being asked, its phase
and place, the question a follow-up grew from, the opening before the first question and the end;
which conversation it follows; never a note or a name. It reads through a read-only store beside
the facilitator's writable one, and `data_version` tells it when there is something new to read."""

from __future__ import annotations

from pathlib import Path


from appreciate_tui.domain import Phase, QuestionStatus, Stance
from appreciate_tui.store import Store, room
from appreciate_tui.store.room import RoomState
from tests.tui.facilitate_data import QUESTIONS, TOPIC, make_conversation

NOTE_BODY = "Jamie's stepfather was at the door when the social worker came"
PERSON = "Bernadette Okonkwo-Price"


def start(store: Store, cid: str, *, question: int | None = None) -> list[str]:
    """Make `cid` live and, with `question` (0-based), ask that prepared question."""
    store.start_conversation(cid)
    ids = [q.id for q in store.list_questions(cid)]
    if question is not None:
        store.set_current_question(cid, ids[question])
        store.set_question_status(ids[question], QuestionStatus.ASKED)
    return ids


def test_nothing_live_says_so(store: Store) -> None:
    make_conversation(store)  # planned, not started
    view = store.room_view()
    assert view.state is RoomState.NONE
    assert view.conversation_id is None and view.live == 0


def test_the_current_question_with_its_phase_and_place(store: Store) -> None:
    cid = make_conversation(store)
    start(store, cid, question=1)
    view = store.room_view()
    assert view.state is RoomState.QUESTION
    assert view.conversation_id == cid and view.live == 1
    assert view.topic == TOPIC
    assert view.question == QUESTIONS[1][0]
    assert view.phase is Phase.DISCOVER
    assert view.place == "question 2 of 5"
    assert view.grew_from == ""


def test_a_paused_clock_is_read_and_resuming_clears_it(store: Store) -> None:
    cid = make_conversation(store)
    start(store, cid, question=1)
    assert not store.room_view().paused
    store.pause_conversation(cid)
    assert store.room_view().paused
    store.resume_conversation(cid)
    assert not store.room_view().paused


def test_a_follow_up_shows_the_question_it_grew_from(store: Store) -> None:
    cid = make_conversation(store)
    ids = start(store, cid, question=1)
    follow_up = store.add_follow_up(cid, ids[1], "What made health able to come that time?")
    deeper = store.add_follow_up(cid, follow_up.id, "Who asked them?")
    store.set_current_question(cid, deeper.id)
    view = store.room_view()
    assert view.question == "Who asked them?"
    assert view.grew_from == "What made health able to come that time?"
    assert view.place == "follow-up to question 2"
    assert view.phase is Phase.DISCOVER


def test_the_opening_before_the_first_question(store: Store) -> None:
    cid = make_conversation(store)
    store.update_conversation(cid, opening="Thank you all for coming.\nThis is about learning.")
    start(store, cid)
    view = store.room_view()
    assert view.state is RoomState.OPENING
    assert view.opening == "Thank you all for coming.\nThis is about learning."


def test_live_without_a_question_or_an_opening_is_about_to_begin(store: Store) -> None:
    cid = make_conversation(store)
    start(store, cid)
    assert store.room_view().state is RoomState.STARTING


def test_the_most_recently_active_of_several_live_conversations(
    store: Store, frozen_clock
) -> None:
    older = make_conversation(store)
    newer = make_conversation(store)
    start(store, older, question=0)
    frozen_clock.advance(minutes=1)
    start(store, newer, question=2)
    view = store.room_view()
    assert (view.conversation_id, view.live) == (newer, 2)
    frozen_clock.advance(minutes=1)
    store.set_current_question(older, store.list_questions(older)[3].id)  # the facilitator moves on
    assert store.room_view().conversation_id == older


def test_a_chosen_conversation_is_followed_whatever_else_is_live(
    store: Store, frozen_clock
) -> None:
    chosen = make_conversation(store)
    other = make_conversation(store)
    assert store.room_view(chosen).state is RoomState.WAITING
    start(store, chosen, question=0)
    frozen_clock.advance(minutes=1)
    start(store, other, question=2)
    view = store.room_view(chosen)
    assert (view.conversation_id, view.question) == (chosen, QUESTIONS[0][0])
    store.close_conversation(chosen)
    assert store.room_view(chosen).state is RoomState.ENDED
    store.delete_conversation(chosen)
    assert store.room_view(chosen).state is RoomState.GONE


def test_the_end_is_shown_until_another_conversation_starts(store: Store, frozen_clock) -> None:
    cid = make_conversation(store)
    start(store, cid, question=4)
    shown = store.room_view()
    store.close_conversation(cid)
    ended = store.room_view(last_shown=shown.conversation_id)
    assert (ended.state, ended.conversation_id, ended.topic) == (RoomState.ENDED, cid, TOPIC)
    assert store.room_view().state is RoomState.NONE, "nothing was being shown: nothing ended"
    frozen_clock.advance(minutes=1)
    later = make_conversation(store)
    start(store, later, question=0)
    assert store.room_view(last_shown=cid).conversation_id == later


def test_an_end_is_not_skipped_for_an_older_conversation_left_live(
    store: Store, frozen_clock
) -> None:
    """Yesterday's conversation was never ended; today's ends: the room thanks today's, and goes
    back to yesterday's only when the facilitator does."""
    yesterday, today = make_conversation(store), make_conversation(store)
    start(store, yesterday, question=0)
    frozen_clock.advance(hours=20)
    start(store, today, question=2)
    shown = store.room_view()
    assert shown.conversation_id == today
    frozen_clock.advance(minutes=50)
    store.close_conversation(today)
    ended = store.room_view(last_shown=today)
    assert (ended.state, ended.conversation_id) == (RoomState.ENDED, today)
    frozen_clock.advance(minutes=5)
    store.set_current_question(yesterday, store.list_questions(yesterday)[1].id)
    back = store.room_view(last_shown=today)
    assert (back.state, back.conversation_id) == (RoomState.QUESTION, yesterday)


def test_no_note_and_no_name_is_ever_read(store: Store) -> None:
    cid = make_conversation(store)
    ids = start(store, cid, question=1)
    person = store.add_participant(cid, "Health", name=PERSON, attended=True)
    store.add_note(cid, ids[1], NOTE_BODY, Stance.CONCERN, participant_id=person.id)
    store.save_draft(cid, "note", NOTE_BODY)
    store.update_conversation(cid, facilitator=PERSON)
    follow_up = store.add_follow_up(cid, ids[1], "What helped most?")
    store.set_current_question(cid, follow_up.id)
    for view in (store.room_view(), store.room_view(cid)):
        held = repr(view)
        assert "What helped most?" in held
        for secret in (NOTE_BODY, PERSON, "Jamie", "Okonkwo"):
            assert secret not in held


def test_a_reader_beside_the_writer_sees_each_commit(db_path: Path) -> None:
    """The room opens the database read-only while the facilitator's window holds the lock: it
    needs no lock, and `data_version` moves on every commit the facilitator makes."""
    with Store.open(db_path) as writer:
        cid = make_conversation(writer)
        ids = start(writer, cid, question=0)
        room = Store.open(db_path, read_only=True, check="deferred")
        try:
            assert room.read_only and not writer.read_only
            seen = room.data_version()
            assert room.data_version() == seen, "nothing committed, nothing new"
            assert room.room_view().question == QUESTIONS[0][0]
            writer.set_current_question(cid, ids[1])
            assert room.data_version() != seen
            assert room.room_view().question == QUESTIONS[1][0]
        finally:
            room.close()


def test_which_conversation_is_live_is_read_from_an_index(store: Store) -> None:
    """At 10,000 conversations, finding the live one costs what it costs at 100 (DESIGN.md
    section 10): a partial index holds only the live ones."""
    plan = " ".join(
        row[3] for row in store.db.execute(f"EXPLAIN QUERY PLAN {room.LIVE}").fetchall()
    )
    assert "USING INDEX conversations_live" in plan, plan  # an index of the live ones alone
    assert "TEMP B-TREE" not in plan, "read in order, not sorted"
