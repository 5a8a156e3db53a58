"""The parking-lot mark of the quick-note grammar: `?` at the start of the line parks a note, to
come back to later. It must not change what any other mark means."""

from __future__ import annotations

import pytest

from appreciate_tui.domain import DEFAULT_AGENCIES, STANCE_MARKS, Stance
from appreciate_tui.quicknote import PARK_MARK, parse_quick_note
from appreciate_tui.tui.widgets.note_input import PLACEHOLDER

AGENCIES = list(DEFAULT_AGENCIES)


def test_a_question_mark_parks_the_note() -> None:
    note = parse_quick_note("? what about the GP letters #health", agencies=AGENCIES)
    assert note.parked
    assert note.stance is Stance.NOTE and note.agency == "Health"
    assert note.body == "what about the GP letters"


def test_the_park_mark_is_no_other_mark() -> None:
    assert PARK_MARK == "?"
    assert PARK_MARK not in STANCE_MARKS.values() and PARK_MARK != "="


@pytest.mark.parametrize(
    "line", ["+ works", "- worry", "~ dream", "> idea", "! act", '" quote', "=7 #police", "plain?"]
)
def test_no_other_line_is_parked(line: str) -> None:
    assert not parse_quick_note(line, agencies=AGENCIES).parked


def test_a_question_mark_later_in_the_line_is_text() -> None:
    note = parse_quick_note("who chairs? #police", agencies=AGENCIES)
    assert not note.parked and note.body == "who chairs?"


def test_the_mark_alone_says_nothing_yet() -> None:
    note = parse_quick_note("?", agencies=AGENCIES)
    assert note.parked and note.body == ""


def test_the_placeholder_shows_the_mark() -> None:
    assert "?park" in PLACEHOLDER
