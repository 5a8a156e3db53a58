"""The Devon MASH demo loads whole, once, with the same ids everywhere."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from appreciate_tui import paths
from appreciate_tui.banks.loader import find_bank
from appreciate_tui.demo import DEMO_CONVERSATION_ID, demo_path, load_demo
from appreciate_tui.domain import (
    DEFAULT_AGENCIES,
    ConversationStatus,
    QuestionKind,
    QuestionStatus,
    Stance,
)
from appreciate_tui.store import Store

FOLLOW_UP = "What qualities would the person have who had the right skills and experience?"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = Store.open(tmp_path / "demo.db")
    yield store
    store.close()


def table_counts(store: Store) -> dict[str, int]:
    tables = ["conversations", "participants", "questions", "notes", "actions", "feedback"]
    return {table: store.db.table(table).count for table in tables}


def test_the_demo_loads_once_and_a_second_load_writes_nothing(store: Store) -> None:
    first, created = load_demo(store)
    counts = table_counts(store)

    again, created_again = load_demo(store)

    assert created and not created_again
    assert first.id == again.id == DEMO_CONVERSATION_ID
    assert again == store.get_conversation(DEMO_CONVERSATION_ID)
    assert table_counts(store) == counts


def test_the_ids_are_fixed_in_the_data_file(tmp_path: Path, store: Store) -> None:
    load_demo(store)
    other = Store.open(tmp_path / "other.db")
    load_demo(other)

    for table in ["participants", "questions", "notes", "actions", "feedback"]:
        ids = {row["id"] for row in store.db.table(table).rows}
        assert ids == {row["id"] for row in other.db.table(table).rows}
    other.close()


def test_the_constant_is_the_id_in_the_data_file() -> None:
    with demo_path().open("rb") as file:
        assert tomllib.load(file)["conversation"]["id"] == DEMO_CONVERSATION_ID


def test_the_conversation_is_closed_with_its_learning(store: Store) -> None:
    conversation, _ = load_demo(store)

    assert conversation.status is ConversationStatus.CLOSED
    assert conversation.topic == "Is multi-agency working effective within MASH strategy meetings?"
    assert conversation.setting == "MASH, Devon"
    assert conversation.facilitator
    assert conversation.date.startswith("2026-")
    assert conversation.bank_id == "mash-strategy-meetings"
    assert conversation.key_learning
    assert conversation.started_at < conversation.ended_at


def test_the_eight_bank_questions_are_asked_with_one_follow_up(store: Store) -> None:
    conversation, _ = load_demo(store)
    questions = store.list_questions(conversation.id)
    prepared = [q for q in questions if q.kind is QuestionKind.PREPARED]
    [follow_up] = [q for q in questions if q.kind is QuestionKind.FOLLOW_UP]

    bank = find_bank("mash-strategy-meetings", [paths.shipped_banks_dir()])
    assert [(q.text, q.phase, q.prompts) for q in prepared] == [
        (q.text, q.phase, q.prompts) for q in bank.questions_in_phase_order()
    ]
    assert follow_up.text == FOLLOW_UP
    assert (
        store.get_question(follow_up.parent_id).text
        == "What would you need for this vision to be a reality?"
    )
    assert all(q.status is QuestionStatus.ASKED for q in questions)
    asked = [q.asked_at for q in prepared]
    assert asked == sorted(asked)


def test_participants_come_from_three_agencies_and_one_could_not_attend(store: Store) -> None:
    conversation, _ = load_demo(store)
    participants = store.list_participants(conversation.id)

    assert len(participants) == 6
    assert {p.agency for p in participants} == {"Children's social care", "Health", "Police"}
    assert {p.agency for p in participants} <= set(DEFAULT_AGENCIES)
    [absent] = [p for p in participants if not p.attended]
    assert absent.invited and absent.absence_reason
    assert not any(p.name for p in participants)


def test_notes_cover_every_stance_within_the_session(store: Store) -> None:
    conversation, _ = load_demo(store)
    notes = store.list_notes(conversation.id)
    participants = {p.id: p for p in store.list_participants(conversation.id)}

    assert len(notes) == 34
    assert {note.stance for note in notes} == set(Stance)
    assert all(
        conversation.started_at <= note.created_at <= conversation.ended_at for note in notes
    )
    for note in notes:
        if note.participant_id:
            assert note.agency == participants[note.participant_id].agency
    assert sum(note.starred for note in notes) == 1
    [escalated] = [note for note in notes if note.escalate]
    assert escalated.escalation_handled_at and escalated.escalation_passed_to
    assert not escalated.open_escalation


def test_the_follow_up_has_notes_of_its_own(store: Store) -> None:
    conversation, _ = load_demo(store)
    [follow_up] = [q for q in store.list_questions(conversation.id) if q.is_follow_up]
    assert store.list_notes(conversation.id, question_id=follow_up.id)


def test_two_actions_have_owners_and_dates_and_come_from_action_notes(store: Store) -> None:
    conversation, _ = load_demo(store)
    actions = store.list_actions(conversation.id)

    assert len(actions) == 2
    for action in actions:
        assert action.owner in DEFAULT_AGENCIES
        assert action.due and action.due > conversation.date
        assert store.get_note(action.note_id).stance is Stance.ACTION


def test_feedback_from_everyone_who_attended(store: Store) -> None:
    conversation, _ = load_demo(store)
    feedback = store.list_feedback(conversation.id)
    attended = {p.id for p in store.list_participants(conversation.id) if p.attended}
    question_ids = {q.id for q in store.list_questions(conversation.id)}

    assert {item.participant_id for item in feedback} == attended
    assert all(item.rating and item.comments for item in feedback)
    assert all(set(item.useful_question_ids) <= question_ids for item in feedback)
    comments = " ".join(item.comments for item in feedback)
    assert "questions in advance" in comments
