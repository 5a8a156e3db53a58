"""What the facilitation screen keeps for a pause, a parked note and an undo (issue 15), checked in
the store and in what is printed from it: a pause outlives the window, a parked note remembers the
follow-up it became, and undoing a change is itself a change, kept as a revision."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from appreciate_tui import domain
from appreciate_tui.domain import Pause, Stance
from appreciate_tui.exchange import bundle as bundles
from appreciate_tui.reports.model import gather
from appreciate_tui.reports.record import record, timing
from appreciate_tui.cli.show import render_conversation
from appreciate_tui.store import Store
from tests.conftest import FrozenClock


pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture
def meeting(store: Store) -> tuple[str, str, str]:
    """A live conversation with two prepared questions: (conversation, first, second)."""
    conversation = store.create_conversation("Strategy meetings", "Is MASH working well?")
    first = store.add_question(conversation.id, "Tell me about a good meeting", "discover")
    second = store.add_question(conversation.id, "What would the best look like?", "dream")
    store.start_conversation(conversation.id)
    return conversation.id, first.id, second.id


# ---------------------------------------------------------------- pauses


def test_running_time_leaves_out_pauses() -> None:
    start = datetime(2026, 3, 12, 9, 0, tzinfo=timezone.utc)

    def at(minutes: int) -> str:
        return (start + timedelta(minutes=minutes)).isoformat()

    pauses = [
        Pause("p1", "c", at(10), at(10), at(10), at(20)),  # 10 minutes, over
        Pause("p2", "c", at(40), at(40), at(40)),  # still paused
    ]
    now = start + timedelta(minutes=45)
    assert domain.running_seconds(start, now, pauses) == 30 * 60
    # Since a moment inside the first pause: only its rest counts as paused.
    assert domain.running_seconds(start + timedelta(minutes=15), now, pauses) == 20 * 60
    assert domain.running_seconds(start, now) == 45 * 60


def test_a_pause_lasts_until_resumed_and_outlives_the_window(
    db_path: Path, store: Store, meeting, frozen_clock: FrozenClock
) -> None:
    cid, _, _ = meeting
    assert store.current_pause(cid) is None
    paused = store.pause_conversation(cid)
    assert paused.resumed_at is None and paused.paused_at == domain.utc_now()
    assert store.pause_conversation(cid) == paused, "pausing twice is one pause"
    store.close()
    with Store.open(db_path) as reopened:
        assert reopened.current_pause(cid) == paused
        frozen_clock.advance(minutes=15)
        resumed = reopened.resume_conversation(cid)
        assert resumed is not None and resumed.resumed_at == domain.utc_now()
        assert reopened.current_pause(cid) is None
        assert reopened.resume_conversation(cid) is None
        assert reopened.list_pauses(cid) == [resumed]


def test_ending_a_paused_conversation_ends_its_pause(
    store: Store, meeting, frozen_clock: FrozenClock
) -> None:
    cid, _, _ = meeting
    store.pause_conversation(cid)
    frozen_clock.advance(minutes=5)
    closed = store.close_conversation(cid)
    [pause] = store.list_pauses(cid)
    assert pause.resumed_at == closed.ended_at


def test_the_record_and_show_list_the_pauses(
    store: Store, meeting, frozen_clock: FrozenClock, utc: None
) -> None:
    cid, _, _ = meeting  # started 09:30
    frozen_clock.advance(minutes=20)
    store.pause_conversation(cid)
    frozen_clock.advance(minutes=15)
    store.resume_conversation(cid)
    frozen_clock.advance(minutes=25)
    store.close_conversation(cid)
    said = timing(gather(store, cid))
    assert "paused 09:50–10:05 (15 minutes)" in said, said
    shown = render_conversation(store, store.get_conversation(cid))
    assert "Paused 09:50–10:05 (15 min)" in shown


def test_a_paused_conversation_shows_it_in_the_list(store: Store, meeting) -> None:
    cid, _, _ = meeting
    store.pause_conversation(cid)
    [summary] = [s for s in store.conversation_summaries() if s.conversation.id == cid]
    assert [p.resumed_at for p in summary.pauses] == [None]


# ---------------------------------------------------------------- the parking lot


def test_a_parked_note_becomes_a_follow_up(store: Store, meeting) -> None:
    cid, first, second = meeting
    parked = store.add_note(cid, first, "What about the GP letters?", parked=True)
    assert parked.parked and parked.waiting
    follow_up = store.follow_up_from_note(cid, parked.id, second)
    assert follow_up.parent_id == second and follow_up.text == "What about the GP letters?"
    picked = store.get_note(parked.id)
    assert picked.follow_up_id == follow_up.id and not picked.waiting
    # The follow-up taken away again: the note is waiting once more.
    store.delete_question(follow_up.id)
    assert store.get_note(parked.id).waiting


def test_what_was_raised_and_not_discussed_is_in_the_record(
    store: Store, meeting
) -> None:
    cid, first, second = meeting
    store.add_note(cid, first, "GP letters arrive late", parked=True)
    asked = store.add_note(cid, first, "Who chairs when the manager is away?", parked=True)
    store.follow_up_from_note(cid, asked.id, second)
    document = record(gather(store, cid))
    [raised] = [s for s in document.sections if s.heading == "Raised, not yet discussed"]
    text = repr(raised)
    assert "GP letters arrive late" in text and "Who chairs" not in text
    shown = render_conversation(store, store.get_conversation(cid))
    assert "Raised, not yet discussed" in shown and "? " in shown


# ---------------------------------------------------------------- undo


def test_undo_goes_back_through_each_change_to_the_notes(
    store: Store, meeting, frozen_clock: FrozenClock
) -> None:
    cid, first, _ = meeting
    police = store.add_participant(cid, "Police", attended=True)
    note = store.add_note(cid, first, "calls on tme", Stance.STRENGTH)
    other = store.add_note(cid, first, "rota for health", Stance.IDEA)
    for change in (
        lambda: store.update_note(note.id, body="calls on time"),
        lambda: store.update_note(note.id, stance=Stance.CONCERN),
        lambda: store.update_note(note.id, agency="Police", participant_id=police.id),
        lambda: store.update_note(other.id, starred=True),
        lambda: store.update_note(other.id, parked=True),
        lambda: store.delete_note(note.id),
    ):
        frozen_clock.advance(seconds=3)
        change()

    def undo() -> tuple[str, ...]:
        frozen_clock.advance(seconds=3)
        undone = store.undo_note_change(cid)
        assert undone is not None
        return undone.change

    assert undo() == ("delete",)
    assert store.get_note(note.id).deleted_at is None
    assert undo() == ("park",)
    assert not store.get_note(other.id).parked
    assert undo() == ("star",)
    assert not store.get_note(other.id).starred
    assert undo() == ("who",)
    assert (store.get_note(note.id).agency, store.get_note(note.id).participant_id) == (None, None)
    assert undo() == ("stance",)
    assert store.get_note(note.id).stance is Stance.STRENGTH
    assert undo() == ("body",)
    assert store.get_note(note.id).body == "calls on tme"
    assert store.check().ok, "the checksum follows the words back"
    assert store.undo_note_change(cid) is None, "nothing older to undo"


def test_an_undo_is_a_revision_of_its_own_and_outlives_the_window(
    db_path: Path, store: Store, meeting, frozen_clock: FrozenClock
) -> None:
    cid, first, _ = meeting
    note = store.add_note(cid, first, "first words")
    frozen_clock.advance(seconds=3)
    store.update_note(note.id, body="second words")
    frozen_clock.advance(seconds=3)
    store.update_note(note.id, body="third words")
    frozen_clock.advance(seconds=3)
    undone = store.undo_note_change(cid)
    assert undone is not None and undone.before.body == "third words"
    assert undone.note.body == "second words"
    revisions = store.note_revisions(note.id)
    assert [r.body for r in revisions] == ["first words", "second words", "third words"]
    assert revisions[-1].undoes == revisions[-2].id
    store.close()
    with Store.open(db_path) as reopened:
        frozen_clock.advance(seconds=3)
        again = reopened.undo_note_change(cid)
        assert again is not None and again.note.body == "first words"


def test_a_star_or_a_delete_is_not_counted_as_a_correction(store: Store, meeting) -> None:
    cid, first, _ = meeting
    note = store.add_note(cid, first, "kept as said")
    store.update_note(note.id, starred=True)
    store.delete_note(note.id)
    store.restore_note(note.id)
    assert store.note_revisions(note.id) == []
    assert store.revision_counts(cid) == {}
    store.update_note(note.id, body="kept as said, corrected")
    assert store.revision_counts(cid) == {note.id: 1}


def test_undone_changes_travel_in_a_bundle_and_merge_as_changes(
    tmp_path: Path, store: Store, meeting, frozen_clock: FrozenClock
) -> None:
    cid, first, _ = meeting
    note = store.add_note(cid, first, "calls on tme", Stance.STRENGTH)
    frozen_clock.advance(seconds=3)
    sent = bundles.build(store, cid)
    with Store.open(tmp_path / "other.db") as other:
        bundles.merge_bundles(
            other, [bundles.loads(bundles.dumps(sent), other.bundle_schema(), "a")]
        )
        frozen_clock.advance(seconds=3)
        store.update_note(note.id, body="calls on time")
        frozen_clock.advance(seconds=3)
        store.update_note(note.id, stance=Stance.CONCERN)
        frozen_clock.advance(seconds=3)
        store.undo_note_change(cid)  # the stance back to working well
        again = bundles.build(store, cid)
        bundles.merge_bundles(
            other, [bundles.loads(bundles.dumps(again), other.bundle_schema(), "b")]
        )
        merged = other.get_note(note.id)
        assert (merged.body, merged.stance) == ("calls on time", Stance.STRENGTH)
        # The other laptop can undo on from there: the edit is the next change back.
        frozen_clock.advance(seconds=3)
        undone = other.undo_note_change(cid)
        assert undone is not None and undone.change == ("body",)
        assert other.get_note(note.id).body == "calls on tme"
