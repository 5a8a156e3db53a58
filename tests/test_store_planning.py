"""Changing a plan and wrapping a conversation up, at the store: questions placed, reordered,
reworded and removed; participants changed; actions drafted from `!` notes once; one feedback per
participant or agency. Whatever would lose part of the record is refused, and changes nothing."""

from __future__ import annotations


import pytest

from appreciate_tui.domain import ActionStatus, Phase, Stance
from appreciate_tui.store import Store


pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture
def cid(store: Store) -> str:
    conversation = store.create_conversation("MASH strategy meetings", "Is it effective?")
    for text, phase in [("Define it", Phase.DEFINE), ("Discover 1", Phase.DISCOVER),
                        ("Discover 2", Phase.DISCOVER), ("Dream it", Phase.DREAM)]:
        store.add_question(conversation.id, text, phase)
    return conversation.id


def plan(store: Store, cid: str) -> list[str]:
    return [q.text for q in store.list_questions(cid) if not q.is_follow_up]


def by_text(store: Store, cid: str, text: str) -> str:
    return next(q.id for q in store.list_questions(cid) if q.text == text)


# ------------------------------------------------------------------ questions


def test_a_question_is_placed_at_the_end_of_its_phase(store: Store, cid: str) -> None:
    store.place_question(cid, "Discover 3", Phase.DISCOVER)
    store.place_question(cid, "Deliver it", "destiny")
    store.place_question(cid, "Define again", Phase.DEFINE)
    assert plan(store, cid) == ["Define it", "Define again", "Discover 1", "Discover 2",
                                "Discover 3", "Dream it", "Deliver it"]
    positions = [q.position for q in store.list_questions(cid)]
    assert positions == list(range(7))


def test_an_early_phase_goes_first_in_an_empty_or_later_plan(store: Store) -> None:
    cid = store.create_conversation("Empty").id
    store.place_question(cid, "Dream it", Phase.DREAM)
    store.place_question(cid, "Define it", Phase.DEFINE)
    assert plan(store, cid) == ["Define it", "Dream it"]


def test_moving_a_question_reorders_and_keeps_its_follow_ups(store: Store, cid: str) -> None:
    second = by_text(store, cid, "Discover 1")
    follow_up = store.add_follow_up(cid, second, "What made it work?")
    store.move_question(second, +2)
    assert plan(store, cid) == ["Define it", "Discover 2", "Dream it", "Discover 1"]
    ordered = [q.text for q in store.list_questions(cid)]
    assert ordered[-2:] == ["Discover 1", "What made it work?"]
    assert store.get_question(follow_up.id).position == store.get_question(second).position
    store.move_question(second, -10)
    assert plan(store, cid)[0] == "Discover 1"
    store.move_question(second, -1)
    assert plan(store, cid)[0] == "Discover 1", "already first: nothing moves"


def test_a_follow_up_cannot_be_moved_on_its_own(store: Store, cid: str) -> None:
    follow_up = store.add_follow_up(cid, by_text(store, cid, "Discover 1"), "Why then?")
    with pytest.raises(ValueError, match="follow-up"):
        store.move_question(follow_up.id, 1)


def test_rewording_and_a_change_of_phase_carry_the_follow_ups(store: Store, cid: str) -> None:
    question = by_text(store, cid, "Discover 1")
    follow_up = store.add_follow_up(cid, question, "Who was there?")
    changed = store.update_question(question, text="  Tell me\x1b about a good one  ",
                                    phase=Phase.DREAM, prompts=["Who?", " ", "When?"])
    assert changed.text == "Tell me about a good one"
    assert changed.phase is Phase.DREAM and changed.prompts == ("Who?", "When?")
    assert store.get_question(follow_up.id).phase is Phase.DREAM
    with pytest.raises(ValueError):
        store.update_question(question, text="   ")
    with pytest.raises(ValueError, match="follow"):
        store.update_question(follow_up.id, phase=Phase.DEFINE)
    assert store.get_question(question).text == "Tell me about a good one"


def test_a_question_with_nothing_under_it_can_be_removed(store: Store, cid: str) -> None:
    question = by_text(store, cid, "Discover 2")
    store.set_current_question(cid, question)
    store.set_feedback(cid, agency="Police", useful_question_ids=[question])
    store.delete_question(question)
    assert plan(store, cid) == ["Define it", "Discover 1", "Dream it"]
    assert [q.position for q in store.list_questions(cid)] == [0, 1, 2]
    assert store.get_conversation(cid).current_question_id is None
    assert store.list_feedback(cid)[0].useful_question_ids == ()


def test_a_question_with_notes_or_follow_ups_is_kept(store: Store, cid: str) -> None:
    noted = by_text(store, cid, "Discover 1")
    note = store.add_note(cid, noted, "Calls start on time", Stance.STRENGTH)
    store.delete_note(note.id)
    with pytest.raises(ValueError, match="notes"):
        store.delete_question(noted)
    followed = by_text(store, cid, "Dream it")
    store.add_follow_up(cid, followed, "And then?")
    with pytest.raises(ValueError, match="follow-ups"):
        store.delete_question(followed)
    assert len(plan(store, cid)) == 4


# ------------------------------------------------------------------ participants


def test_a_participant_changes_and_an_automatic_pseudonym_follows_the_agency(
    store: Store, cid: str
) -> None:
    police = store.add_participant(cid, "Police")
    store.add_participant(cid, "Health")
    moved = store.update_participant(police.id, agency="Health", name="Sam", role="DS",
                                     invited=True, attended=True, absence_reason="")
    assert (moved.pseudonym, moved.agency, moved.name, moved.role, moved.attended) == (
        "Health 2", "Health", "Sam", "DS", True)
    named = store.update_participant(police.id, pseudonym="Sam from health")
    assert named.pseudonym == "Sam from health"
    kept = store.update_participant(police.id, agency="Police")
    assert kept.pseudonym == "Sam from health", "a chosen pseudonym is never replaced"
    fresh = store.update_participant(police.id, pseudonym="")
    assert fresh.pseudonym == "Police 1"


def test_a_pseudonym_already_used_is_refused(store: Store, cid: str) -> None:
    first = store.add_participant(cid, "Police")
    second = store.add_participant(cid, "Police")
    with pytest.raises(ValueError, match="already"):
        store.update_participant(second.id, pseudonym="police 1")
    assert store.get_participant(second.id).pseudonym == "Police 2"
    assert store.update_participant(first.id, pseudonym="Police 1").pseudonym == "Police 1"


def test_a_participant_is_removed_only_while_nothing_is_theirs(store: Store, cid: str) -> None:
    quiet = store.add_participant(cid, "Education")
    store.delete_participant(quiet.id)
    assert store.list_participants(cid) == []
    talker = store.add_participant(cid, "Police")
    store.add_note(cid, by_text(store, cid, "Define it"), "Hello", participant_id=talker.id)
    with pytest.raises(ValueError, match="not attended"):
        store.delete_participant(talker.id)
    assert [p.id for p in store.list_participants(cid)] == [talker.id]


# ------------------------------------------------------------------ actions


def test_every_action_note_is_drafted_once(store: Store, cid: str) -> None:
    question = by_text(store, cid, "Dream it")
    first = store.add_note(cid, question, "Practice lead to write to the ICB", Stance.ACTION)
    store.add_note(cid, question, "Not an action", Stance.IDEA)
    gone = store.add_note(cid, question, "Deleted action", Stance.ACTION)
    store.delete_note(gone.id)
    drafted = store.draft_actions_from_notes(cid)
    assert [(a.description, a.note_id, a.status) for a in drafted] == [
        ("Practice lead to write to the ICB", first.id, ActionStatus.OPEN)
    ]
    assert store.draft_actions_from_notes(cid) == []
    second = store.add_note(cid, question, "Health to join the rota", Stance.ACTION)
    assert [a.note_id for a in store.draft_actions_from_notes(cid)] == [second.id]
    assert len(store.list_actions(cid)) == 2


def test_an_action_is_changed_with_a_checked_due_date(store: Store, cid: str) -> None:
    action = store.add_action(cid, "Write to the ICB")
    changed = store.update_action(action.id, description="Write to the ICB chair", owner="Health",
                                  due="2026-4-3", status=ActionStatus.IN_PROGRESS)
    assert (changed.description, changed.owner, changed.due, changed.status) == (
        "Write to the ICB chair", "Health", "2026-04-03", ActionStatus.IN_PROGRESS)
    for bad, why in (("next week", "YYYY-MM-DD"), ("2026-02-30", "does not exist"),
                     ("03/04/2026", "YYYY-MM-DD")):
        with pytest.raises(ValueError, match=why):
            store.update_action(action.id, due=bad)
    assert store.get_action(action.id).due == "2026-04-03"
    assert store.update_action(action.id, due=None).due is None
    assert store.update_action(action.id, due="  ").due is None
    with pytest.raises(ValueError):
        store.update_action(action.id, description="  ")


def test_a_drafted_action_is_dropped_not_deleted(store: Store, cid: str) -> None:
    question = by_text(store, cid, "Dream it")
    store.add_note(cid, question, "Police to share the rota", Stance.ACTION)
    (drafted,) = store.draft_actions_from_notes(cid)
    with pytest.raises(ValueError, match="dropped"):
        store.delete_action(drafted.id)
    store.update_action(drafted.id, status=ActionStatus.DROPPED)
    assert store.draft_actions_from_notes(cid) == []
    by_hand = store.add_action(cid, "Book the next conversation")
    store.delete_action(by_hand.id)
    assert [a.id for a in store.list_actions(cid)] == [drafted.id]


# ------------------------------------------------------------------ feedback


def test_feedback_is_one_per_participant_and_is_replaced(store: Store, cid: str) -> None:
    person = store.add_participant(cid, "Health")
    useful = [by_text(store, cid, "Discover 1"), "not-a-question", by_text(store, cid, "Dream it")]
    first = store.set_feedback(cid, participant_id=person.id, rating=4,
                               advance_questions_helped=True, useful_question_ids=useful,
                               comments="Good to hear police")
    assert first.agency == "Health" and first.useful_question_ids == (useful[0], useful[2])
    again = store.set_feedback(cid, participant_id=person.id, rating=5,
                               advance_questions_helped=None, comments="Even better")
    assert again.id == first.id
    assert (again.rating, again.advance_questions_helped, again.useful_question_ids,
            again.comments) == (5, None, (), "Even better")
    agency = store.set_feedback(cid, agency="Police", rating=3, advance_questions_helped=False)
    assert store.set_feedback(cid, agency="Police", rating=2).id == agency.id
    assert len(store.list_feedback(cid)) == 2
    store.delete_feedback(agency.id)
    assert [f.id for f in store.list_feedback(cid)] == [first.id]


def test_feedback_needs_someone_and_a_rating_from_1_to_5(store: Store, cid: str) -> None:
    with pytest.raises(ValueError, match="participant or an agency"):
        store.set_feedback(cid, rating=3)
    with pytest.raises(ValueError, match="1 to 5"):
        store.set_feedback(cid, agency="Police", rating=6)
    assert store.list_feedback(cid) == []


# ------------------------------------------------------------------ the meeting's time


def test_the_start_time_is_kept_beside_the_date(store: Store, cid: str) -> None:
    assert store.get_conversation(cid).start_time == ""
    changed = store.update_conversation(cid, date="2026-03-19", start_time=" 10:00\x07 ")
    assert (changed.date, changed.start_time) == ("2026-03-19", "10:00")
