"""A typed note is cleaned once, by the store, before the quick-note grammar reads it: the grammar
only ever sees safe text, and the screen hands over the line as typed."""

from __future__ import annotations

import pytest

from appreciate_tui import text
from appreciate_tui.domain import Stance
from appreciate_tui.store import Store, notes
from tests.tui.facilitate_data import make_conversation

pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture
def cleanings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every non-empty text `text.clean` is asked to clean, wherever it is called from."""
    seen: list[str] = []
    original = text.clean

    def counted(value: str) -> str:
        if value:
            seen.append(value)
        return original(value)

    monkeypatch.setattr(text, "clean", counted)  # clean_line's own call
    monkeypatch.setattr(notes, "clean", counted)
    return seen


@pytest.mark.parametrize(
    ("line", "body"),
    [
        ("\x07+ the chair\x1b[2J listened #police", "the chair[2J listened"),
        ("=7 #police\x07 good\x1b start", "Scored 7/10: good start"),
    ],
)
def test_a_typed_line_is_cleaned_once(
    store: Store, cleanings: list[str], line: str, body: str
) -> None:
    cid = make_conversation(store)
    question = store.list_questions(cid)[0].id
    agencies = store.agencies()
    cleanings.clear()
    typed = store.commit_note(cid, question, line, agencies=agencies,
                              participants=store.list_participants(cid))
    assert typed.note is not None and typed.note.body == body
    assert typed.note.agency == "Police"
    assert [seen for seen in cleanings if "good" in seen or "chair" in seen] == [line]


def test_the_grammar_reads_the_cleaned_line(store: Store) -> None:
    # A control character before the mark would hide it from a grammar given the raw line.
    cid = make_conversation(store)
    question = store.list_questions(cid)[0].id
    typed = store.commit_note(cid, question, "\x1b+ calls start on time\u2028#health",
                              agencies=store.agencies())
    assert typed.read.stance is Stance.STRENGTH and typed.read.tags == ("health",)
    assert typed.note is not None and typed.note.body == "calls start on time"
    parked = store.commit_note(cid, question, "\x00? come back\x1b[2J to it").note
    assert parked is not None and (parked.body, parked.parked) == ("come back[2J to it", True)
