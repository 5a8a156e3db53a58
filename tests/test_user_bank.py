"""Keeping a question in the user's own bank: created on first use, extended after, private, read
back by the same loader as every bank, and a hand-edited file is never spoiled."""

from __future__ import annotations

import pytest

from appreciate_tui import paths
from appreciate_tui.banks.loader import (
    USER_BANK_ID,
    BankError,
    add_to_user_bank,
    find_bank,
    load_bank,
    load_banks,
)
from appreciate_tui.domain import Phase
from tests.helpers.private import assert_private_dir, assert_private_file


def test_the_first_question_creates_a_private_bank_that_loads() -> None:
    bank = add_to_user_bank("What made health able to come that time?", Phase.DISCOVER)
    path = paths.user_banks_dir() / f"{USER_BANK_ID}.toml"
    assert bank.path == path and bank.user and bank.title == "My questions"
    assert_private_file(path)
    assert_private_dir(path.parent)
    assert [(q.phase, q.text) for q in load_bank(path).questions] == [
        (Phase.DISCOVER, "What made health able to come that time?")
    ]
    assert [p.name for p in path.parent.iterdir()] == [path.name], "no temporary file left"
    assert find_bank(USER_BANK_ID).user


def test_later_questions_extend_it_in_order_and_a_repeat_changes_nothing() -> None:
    add_to_user_bank("What made health able to come that time?", "discover")
    add_to_user_bank("What would a shared chronology change for the child?", "destiny")
    path = paths.user_banks_dir() / f"{USER_BANK_ID}.toml"
    before = path.read_bytes()
    bank = add_to_user_bank("what made HEALTH able to come that time?", Phase.DREAM)
    assert path.read_bytes() == before
    assert [(q.phase, q.text) for q in bank.questions] == [
        (Phase.DISCOVER, "What made health able to come that time?"),
        (Phase.DELIVER, "What would a shared chronology change for the child?"),
    ]


def test_quotes_backslashes_and_other_scripts_survive_the_round_trip() -> None:
    text = 'When did "we finally talk" \\ feel true? مرحبا 👋 e\u0301'
    add_to_user_bank(text, Phase.DREAM)
    (question,) = find_bank(USER_BANK_ID).questions
    assert question.text == text


def test_controls_are_cleaned_before_they_are_kept() -> None:
    bank = add_to_user_bank("Who\x1b[2J helped\x07 most?", Phase.DISCOVER)
    assert bank.questions[-1].text == "Who[2J helped most?"


def test_a_bank_of_another_name_can_be_kept_too() -> None:
    bank = add_to_user_bank("What would a 10 look like?", "dream", bank_id="front-door",
                            title="Front door")
    assert bank.id == "front-door" and bank.title == "Front door"
    assert {b.id for b in load_banks()[0]} >= {"front-door"}


def test_what_the_facilitator_wrote_by_hand_stays() -> None:
    folder = paths.ensure_private_dir(paths.user_banks_dir())
    path = folder / f"{USER_BANK_ID}.toml"
    hand = (
        "# kept for the spring round\n"
        'id = "my-questions"\ntitle = "Mine"\n\n'
        '[[questions]]\nphase = "define"  # asked first\ntext = "What would make today worth it?"\n'
    )
    path.write_text(hand, encoding="utf-8")
    bank = add_to_user_bank("Who else should be here next time?", Phase.DELIVER)
    assert path.read_text(encoding="utf-8").startswith(hand.rstrip())
    assert bank.title == "Mine"
    assert [q.text for q in bank.questions] == [
        "What would make today worth it?", "Who else should be here next time?"
    ]


def test_a_broken_bank_file_is_reported_and_left_alone() -> None:
    folder = paths.ensure_private_dir(paths.user_banks_dir())
    path = folder / f"{USER_BANK_ID}.toml"
    path.write_text('id = "my-questions"\ntitle = \n', encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(BankError) as caught:
        add_to_user_bank("Who helped?", Phase.DISCOVER)
    assert str(path) in str(caught.value)
    assert path.read_bytes() == before


@pytest.mark.parametrize("text", ["", "   ", "\x1b\x07"])
def test_an_empty_question_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        add_to_user_bank(text, Phase.DISCOVER)


def test_a_bank_id_must_be_a_safe_file_name() -> None:
    with pytest.raises(ValueError):
        add_to_user_bank("Who helped?", Phase.DISCOVER, bank_id="../escape")
