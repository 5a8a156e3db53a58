"""The live conversation's rules, without a screen: numbering, where a follow-up sits, next and
previous, who said a note, and notes kept oldest first."""

from __future__ import annotations

import pytest

from appreciate_tui.domain import QuestionStatus, Stance
from appreciate_tui.tui.state.live import LiveConversation
from appreciate_tui.store import Store
from tests.conftest import FrozenClock
from tests.tui.facilitate_data import make_conversation


pytestmark = pytest.mark.usefixtures("frozen_clock")


def load(store: Store, cid: str) -> LiveConversation:
    return LiveConversation.of(
        store.get_conversation(cid),
        store.list_questions(cid),
        store.list_notes(cid),
        store.list_participants(cid),
        store.agencies(),
    )


def test_numbers_places_and_depths(store: Store) -> None:
    cid = make_conversation(store)
    first, second, *_ = [q.id for q in store.list_questions(cid)]
    aside = store.add_follow_up(cid, second, "Who else?")
    deeper = store.add_follow_up(cid, aside.id, "And then?")
    live = load(store, cid)
    assert live.numbers[second] == "2" and aside.id not in live.numbers
    assert live.place(live.questions[second]) == "question 2 of 5"
    assert live.place(live.questions[deeper.id]) == "follow-up to question 2"
    assert live.depths()[deeper.id] == 2 and live.depths()[first] == 0
    assert [q.id for q in live.follow_ups] == [aside.id, deeper.id]


def test_next_and_previous_move_through_prepared_questions(store: Store) -> None:
    cid = make_conversation(store)
    ids = [q.id for q in store.list_questions(cid)]
    aside = store.add_follow_up(cid, ids[1], "Who else?")
    live = load(store, cid)
    assert live.step(ids[0], +1) == ids[1]
    assert live.step(ids[1], +1) == ids[2]  # over the follow-up
    assert live.step(aside.id, +1) == ids[2]
    assert live.step(aside.id, -1) == ids[1]  # back to the question it follows
    assert live.step(ids[1], -1) == ids[0]
    assert live.step(ids[0], -1) is None
    assert live.step(ids[-1], +1) is None


def test_who_said_it(store: Store) -> None:
    cid = make_conversation(store)
    question = store.list_questions(cid)[0].id
    person = store.list_participants(cid)[0]
    by_person = store.add_note(cid, question, "a", participant_id=person.id, agency=person.agency)
    by_agency = store.add_note(cid, question, "b", agency="Police")
    nobody = store.add_note(cid, question, "c")
    live = load(store, cid)
    assert [live.who(n) for n in (by_person, by_agency, nobody)] == [person.pseudonym, "Police", ""]


def test_a_restored_note_goes_back_in_its_place(store: Store, frozen_clock: FrozenClock) -> None:
    cid = make_conversation(store)
    question = store.list_questions(cid)[0].id
    notes = []
    for body in ("first", "second", "third"):
        frozen_clock.advance(minutes=1)
        notes.append(store.add_note(cid, question, body, Stance.STRENGTH))
    live = load(store, cid)
    live.drop_note(notes[1].id)
    live.put_note(notes[1])
    assert [n.body for n in live.notes_under(question)] == ["first", "second", "third"]
    assert live.note_counts()[question] == 3


def test_phase_started_is_when_its_first_question_was_asked(
    store: Store, frozen_clock: FrozenClock
) -> None:
    cid = make_conversation(store)
    first = store.list_questions(cid)[0]
    assert load(store, cid).phase_started(first.phase) is None
    store.set_question_status(first.id, QuestionStatus.ASKED)
    assert load(store, cid).phase_started(first.phase) == frozen_clock.current


def test_agencies_include_the_participants(store: Store) -> None:
    cid = make_conversation(store)
    store.add_participant(cid, "Youth justice service")
    live = load(store, cid)
    assert "Youth justice service" in live.agencies
    assert live.agencies.count("Police") == 1
