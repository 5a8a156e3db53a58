"""Planning from a bank: the bank's questions arrive in phase order, as copies."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from appreciate_tui import paths
from appreciate_tui.banks.loader import Bank, BankQuestion, find_bank
from appreciate_tui.domain import ConversationStatus, Phase, QuestionKind, QuestionStatus
from appreciate_tui.banks.planning import conversation_from_bank
from appreciate_tui.store import Store

MIXED = Bank(
    id="mixed",
    title="Mixed order",
    topic="The bank's topic",
    path=Path("mixed.toml"),
    questions=(
        BankQuestion(Phase.DELIVER, "What next?"),
        BankQuestion(Phase.DISCOVER, "What works?", prompts=("An example?",)),
        BankQuestion(Phase.DISCOVER, "Where are we, 0 to 10?", scale=True),
        BankQuestion(Phase.DREAM, "What could be?"),
    ),
)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = Store.open(tmp_path / "plan.db")
    yield store
    store.close()


def test_questions_are_planned_in_phase_order_with_prompts_and_scale(store: Store) -> None:
    conversation = conversation_from_bank(store, MIXED, "Front door review")
    questions = store.list_questions(conversation.id)

    assert [(q.phase, q.text) for q in questions] == [
        (Phase.DISCOVER, "What works?"),
        (Phase.DISCOVER, "Where are we, 0 to 10?"),
        (Phase.DREAM, "What could be?"),
        (Phase.DELIVER, "What next?"),
    ]
    assert questions[0].prompts == ("An example?",)
    assert [q.scale for q in questions] == [False, True, False, False]
    assert all(
        q.kind is QuestionKind.PREPARED and q.status is QuestionStatus.PENDING for q in questions
    )
    assert [q.position for q in questions] == sorted(q.position for q in questions)


def test_the_conversation_is_planned_and_remembers_its_bank(store: Store) -> None:
    conversation = conversation_from_bank(
        store,
        MIXED,
        "Front door review",
        setting="MASH",
        facilitator="Practice lead",
        date="2026-05-01",
    )

    assert conversation == store.get_conversation(conversation.id)
    assert conversation.status is ConversationStatus.PLANNED
    assert (conversation.title, conversation.topic, conversation.bank_id) == (
        "Front door review",
        "The bank's topic",
        "mixed",
    )
    assert (conversation.setting, conversation.facilitator, conversation.date) == (
        "MASH",
        "Practice lead",
        "2026-05-01",
    )


def test_a_topic_given_replaces_the_banks_own(store: Store) -> None:
    assert conversation_from_bank(store, MIXED, "T", topic="Our own topic").topic == "Our own topic"
    assert conversation_from_bank(store, MIXED, "T", topic="").topic == ""


def test_the_mash_bank_plans_its_eight_questions(store: Store) -> None:
    bank = find_bank("mash-strategy-meetings", [paths.shipped_banks_dir()])
    conversation = conversation_from_bank(store, bank, "Strategy meetings, spring")
    texts = [q.text for q in store.list_questions(conversation.id)]
    assert texts == [q.text for q in bank.questions]
    assert conversation.topic == bank.topic
