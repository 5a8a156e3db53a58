"""How dates, times, counts and people are written (appreciate_tui/wording.py): one place for the
screens, the commands and the documents, and a count of one never meets a plural noun."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from appreciate_tui.cli import main
from appreciate_tui.domain import Note, Participant, Phase, Stance
from appreciate_tui.store import Store
from appreciate_tui.tui.widgets.note_list import DISPLAY_LIMIT, shown_text
from appreciate_tui.wording import (
    attribution,
    clock,
    count,
    day_and_clock,
    duration,
    long_date,
    noun_for,
    plural,
    short_date,
)

# ---------------------------------------------------------------- the functions


@pytest.mark.parametrize(
    ("number", "noun", "said"),
    [
        (0, "note", "0 notes"),
        (1, "note", "1 note"),
        (2, "note", "2 notes"),
        (1, "question", "1 question"),
        (1, "open action", "1 open action"),
        (3, "open action", "3 open actions"),
        (1, "match", "1 match"),
        (2, "match", "2 matches"),
        (1, "agency", "1 agency"),
        (4, "agency", "4 agencies"),
        (2, "day", "2 days"),
        (1, "person", "1 person"),
        (6, "person", "6 people"),
    ],
)
def test_plural(number: int, noun: str, said: str) -> None:
    assert plural(number, noun) == said


def test_plural_formats_the_figure_and_takes_an_irregular_plural() -> None:
    assert plural(1204, "note", fmt=",") == "1,204 notes"
    assert plural(1, "note", fmt=">4") == "   1 note"
    assert plural(2, "criterion", "criteria") == "2 criteria"
    assert noun_for(1, "criterion", "criteria") == "criterion"


def test_a_document_counts_small_numbers_in_words() -> None:
    assert count(1, "practitioner") == "one practitioner"
    assert count(3, "person", "people") == "three people"
    assert count(14, "note") == "14 notes"
    assert duration(1) == "1 minute"
    assert duration(61) == "1 hour 1 minute"
    assert duration(120) == "2 hours"


def test_two_dates_for_two_places() -> None:
    """A document spells the month out; a screen's column holds eleven characters."""
    assert long_date("2026-02-06") == "6 February 2026"
    assert long_date(date(2026, 2, 26)) == "26 February 2026"
    assert short_date("2026-03-05") == "05 Mar 2026"
    assert short_date("2026-02-30\x1b[2J") == "2026-02-30␛[2J", "shown as stored, made printable"


@pytest.mark.usefixtures("utc")
def test_times_are_local_and_none_is_nothing() -> None:
    assert clock("2026-03-05T10:03:59+00:00") == "10:03"
    assert day_and_clock("2026-03-05T10:03:59+00:00") == "05 Mar 10:03"
    assert clock(None) == "" and day_and_clock(None) == ""


def test_attribution_names_the_person_then_the_agency_then_no_one() -> None:
    at = "2026-03-05T10:03:00+00:00"
    police = Participant(id="p1", conversation_id="c", pseudonym="Police 1", agency="Police",
                         created_at=at, updated_at=at)
    said = Note(id="n", conversation_id="c", question_id="q", body="b", stance=Stance.STRENGTH,
                created_at=at, updated_at=at, sha256="", participant_id="p1")
    assert attribution(said, {"p1": police}) == "Police 1 (Police)"
    assert attribution(replace(said, participant_id=None, agency="Health"), {}) == "Health"
    assert attribution(replace(said, participant_id=None), {}) == ""


# ---------------------------------------------------------------- where a count of one is shown


@pytest.fixture
def run(db_path: Path):
    runner = CliRunner()

    def invoke(*args: str) -> str:
        result = runner.invoke(main, ["--db", str(db_path), *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    return invoke


@pytest.fixture
def one_of_each(store: Store) -> str:
    """One conversation with one question and one note."""
    cid = store.create_conversation("Front door", "What helps a referral land?",
                                    date="2026-04-16").id
    question = store.add_question(cid, "When did it go well?", Phase.DISCOVER)
    store.add_note(cid, question.id, "The duty desk rang back", Stance.STRENGTH)
    return cid


def test_the_list_says_one_note(run, one_of_each: str) -> None:
    [line] = run("list").splitlines()
    assert "   1 note   Front door" in line


def test_insights_say_one_conversation_one_note(run, one_of_each: str) -> None:
    assert run("insights").splitlines()[0] == "Insights: 1 conversation, 1 note (all time)"


def test_a_bank_of_one_question_is_one_question(run, tmp_path: Path) -> None:
    bank = tmp_path / "one.toml"
    bank.write_text('id = "one"\ntitle = "One"\n\n[[questions]]\nphase = "discover"\n'
                    'text = "When did it go well?"\n', encoding="utf-8")
    assert run("bank", "check", str(bank)).splitlines()[0].endswith(
        "ok: One (one), 1 question in discover")


def test_a_note_one_character_too_long_says_one_character() -> None:
    assert shown_text("x" * (DISPLAY_LIMIT + 1)).endswith("… (+1 character, kept in full)")
    assert shown_text("x" * (DISPLAY_LIMIT + 2)).endswith("… (+2 characters, kept in full)")
