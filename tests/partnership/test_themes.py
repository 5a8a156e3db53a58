"""Themes are phrases, not word tallies (appreciate_tui/insights/themes.py): the method on notes
written by hand, the facilitator's choices kept across a restart, the CLI, and an escalated
note's words never read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from appreciate_tui.cli import main
from appreciate_tui.domain import Stance
from appreciate_tui.insights import compute as insights
from appreciate_tui.insights import themes
from appreciate_tui.insights.themes import ThemeChoice, arrange, read, terms
from appreciate_tui.store import Store

CONCERNS = [
    "Invited at short notice again",
    "Short notice meant health could not attend",
    "The chair went round twice; short notice for police",
    "Our chair went round quickly, then the laptop broke",
    "No laptop in the room",
]


def _rows(bodies: list[str], stance: str = "concern") -> list[tuple[str, ...]]:
    return [(f"n{i}", f"c{i % 2}", stance, body, "2025-01-01") for i, body in enumerate(bodies)]


def _shown(bodies: list[str], choices=(), stance: Stance = Stance.CONCERN) -> dict[str, int]:
    found = arrange(read(_rows(bodies, stance.value), choices), choices)[stance]
    return {theme.shown_as: theme.notes for theme in found.themes}


# ---------------------------------------------------------------- the method


def test_recurring_phrases_and_words_no_phrase_covers() -> None:
    assert _shown(CONCERNS) == {"short notice": 3, "chair went round": 2, "laptop": 2}


def test_stop_words_never_start_or_end_a_phrase_but_may_sit_inside() -> None:
    found = terms("Lack of feedback from the chair, at short notice. It's the child's voice")
    assert {"lack of feedback", "short notice", "child's voice"} <= found
    assert not {t for t in found if t.split()[0] in themes.STOP_WORDS
                or t.split()[-1] in themes.STOP_WORDS}
    assert "chair at" not in found and "feedback from" not in found
    # Punctuation ends a phrase: nothing runs across the comma or the full stop.
    assert "chair at short" not in found and "notice it's" not in found


def test_phrases_said_together_are_one_theme_named_by_the_longest() -> None:
    [theme] = arrange(read(_rows(["the chair went round", "chair went round again"])))[
        Stance.CONCERN].themes
    assert theme.term == "chair went round"
    assert theme.phrases == ("chair went round", "chair went", "went round")


def test_ties_are_broken_the_same_way_every_time() -> None:
    bodies = ["zebra crossing", "the zebra crossing", "apple cart", "an apple cart"]
    first = arrange(read(_rows(bodies)))[Stance.CONCERN].themes
    assert [t.term for t in first] == ["apple cart", "zebra crossing"]
    again = arrange(read(_rows(list(reversed(bodies)))))[Stance.CONCERN].themes
    assert [(t.term, t.notes) for t in again] == [(t.term, t.notes) for t in first]


def test_the_same_notes_give_the_same_themes() -> None:
    runs = [arrange(read(_rows(CONCERNS))) for _ in range(3)]
    assert runs[0] == runs[1] == runs[2]


def test_each_theme_lists_the_notes_that_carry_it_latest_first() -> None:
    found = arrange(read(_rows(CONCERNS)))[Stance.CONCERN]
    by_term = {t.term: t for t in found.themes}
    assert by_term["short notice"].note_ids == ("n0", "n1", "n2")
    assert by_term["short notice"].conversations == 2
    assert by_term["laptop"].note_ids == ("n3", "n4")


def test_unicode_emoji_and_right_to_left_text() -> None:
    bodies = ["مرحبا بالعالم 👍🏽 Zoë's café", "مرحبا بالعالم again, Zoe\u0308's café 👍🏽",
              "東京の会議", "東京の会議。"]
    found = _shown(bodies)
    # Said together in both notes: one theme, named by the phrase that sorts first.
    assert found["zoë's café"] == 2  # composed or not, the same words
    [arabic] = [t for t in arrange(read(_rows(bodies)))[Stance.CONCERN].themes
                if "مرحبا بالعالم" in t.phrases]
    assert arabic.notes == 2
    assert found["東京の会議"] == 2  # no spaces between words: the line is one word
    assert not any("👍" in term for term in found)


def test_a_huge_note_and_hostile_text_are_read_as_words() -> None:
    huge = ("short notice again " * 60_000) + "x" * 200_000  # over a megabyte
    hostile = "\x1b]52;c;ZXZpbA==\x07 short notice \u202eevil\u202c"
    found = arrange(read(_rows([huge, hostile, "a" * 1_000_000])))[Stance.CONCERN]
    assert {t.term: t.notes for t in found.themes}["short notice"] == 2
    assert all(len(t.term) <= 3 * (themes.LONGEST_TERM + 1) for t in found.themes)


def test_only_the_window_of_latest_notes_is_read() -> None:
    reading = read(_rows(["short notice"] * 5), limit=3)
    assert reading.window.notes == 3 and reading.window.cut
    assert arrange(reading)[Stance.CONCERN].themes[0].notes == 3
    assert read(_rows(["short notice"] * 3), limit=3).window.cut is False


# ---------------------------------------------------------------- choices


def test_merge_rename_and_hide() -> None:
    choices = [
        ThemeChoice(Stance.CONCERN, "laptop", merged_into="chair went round"),
        ThemeChoice(Stance.CONCERN, "short notice", label="Late invitations"),
    ]
    found = arrange(read(_rows(CONCERNS), choices), choices)[Stance.CONCERN]
    assert [(t.shown_as, t.notes, t.merged) for t in found.themes] == [
        ("chair went round", 3, ("laptop",)), ("Late invitations", 3, ())]
    # The notes of both, each once.
    assert found.themes[0].note_ids == ("n2", "n3", "n4")
    hidden = [ThemeChoice(Stance.CONCERN, "short notice", hidden=True)]
    found = arrange(read(_rows(CONCERNS)), hidden)[Stance.CONCERN]
    assert "short notice" not in {t.term for t in found.themes}
    assert [t.term for t in found.hidden] == ["short notice"]


def test_merges_of_merges_and_a_merge_going_round_end_well() -> None:
    choices = [
        ThemeChoice(Stance.CONCERN, "laptop", merged_into="short notice"),
        ThemeChoice(Stance.CONCERN, "short notice", merged_into="chair went round"),
    ]
    [theme] = arrange(read(_rows(CONCERNS), choices), choices)[Stance.CONCERN].themes
    assert theme.term == "chair went round" and theme.notes == 5
    round_and_round = [
        ThemeChoice(Stance.CONCERN, "laptop", merged_into="short notice"),
        ThemeChoice(Stance.CONCERN, "short notice", merged_into="laptop"),
    ]
    found = arrange(read(_rows(CONCERNS), round_and_round), round_and_round)[Stance.CONCERN]
    assert sum(t.notes for t in found.themes) <= len(CONCERNS) + 2


# ---------------------------------------------------------------- through the store


@pytest.fixture
def store(db_path: Path):
    with Store.open(db_path) as opened:
        conversation = opened.create_conversation("Strategy", "Heard?", date="2025-03-02",
                                                  status="closed")
        question = opened.add_question(conversation.id, "What worked?", "discover")
        for body in CONCERNS:
            opened.add_note(conversation.id, question.id, body, "concern")
        opened.escalated = opened.add_note(
            conversation.id, question.id, "Short notice: Jo Bloggs at risk of harm tonight",
            "concern")
        opened.update_note(opened.escalated.id, escalate=True)
        yield opened


def _concerns(store: Store) -> list:
    return insights.compute(store).themes[Stance.CONCERN]


def test_an_escalated_notes_words_never_appear(store: Store) -> None:
    found = insights.compute(store)
    every = [t for stance in Stance for t in (found.themes[stance] + found.tags[stance]
                                              + found.hidden_themes[stance])]
    assert {t.term: t.notes for t in found.themes[Stance.CONCERN]}["short notice"] == 3
    assert not any("bloggs" in t.term or "harm" in t.term for t in every)
    assert all(store.escalated.id not in t.note_ids for t in every)
    short = next(t for t in found.themes[Stance.CONCERN] if t.term == "short notice")
    assert store.escalated.id not in [n["id"] for n in store.theme_notes(short.note_ids)]
    # Even a list of ids naming it (an old screen, a script) does not show it.
    assert store.theme_notes([store.escalated.id]) == []
    text = CliRunner().invoke(main, ["--db", str(store.path), "insights", "--json"]).output
    assert "Bloggs" not in text and "bloggs" not in text and "tonight" not in text


def test_an_erased_note_leaves_the_themes(store: Store) -> None:
    short = next(t for t in _concerns(store) if t.term == "short notice")
    store.erase_note(short.note_ids[0])
    again = next(t for t in _concerns(store) if t.term == "short notice")
    assert again.notes == 2 and short.note_ids[0] not in again.note_ids


def test_choices_are_kept_across_a_restart(store: Store, db_path: Path) -> None:
    store.choose_theme("concern", "short notice", label="Late invitations")
    store.choose_theme("concern", "laptop", merged_into="chair went round")
    store.choose_theme("concern", "chair went round", hidden=True)
    store.close()
    with Store.open(db_path) as again:
        found = insights.compute(again)
        assert [(t.shown_as, t.notes) for t in found.themes[Stance.CONCERN]] == [
            ("Late invitations", 3)]
        [hidden] = found.hidden_themes[Stance.CONCERN]
        assert (hidden.term, hidden.notes, hidden.merged) == ("chair went round", 3, ("laptop",))
        # Shown again, split off, named by its phrase again: nothing is left kept.
        again.choose_theme("concern", "chair went round", hidden=False)
        again.choose_theme("concern", "laptop", merged_into=None)
        again.choose_theme("concern", "short notice", label="")
        assert again.theme_choices() == []
        assert {t.term for t in _concerns(again)} == {"short notice", "chair went round", "laptop"}


def test_bad_choices_are_refused_with_a_reason(store: Store) -> None:
    with pytest.raises(ValueError, match="at most 80"):
        store.choose_theme("concern", "short notice", label="x" * 81)
    with pytest.raises(ValueError, match="into itself"):
        store.choose_theme("concern", "short notice", merged_into="short notice")
    with pytest.raises(ValueError):
        store.choose_theme("gossip", "short notice", hidden=True)
    store.choose_theme("concern", "short notice", label="\x1b[2Jlate\u2028invites")
    assert store.theme_choices()[0]["label"] == "[2Jlate invites"  # the controls dropped


def test_an_erased_persons_name_leaves_the_choices_too(store: Store) -> None:
    conversation = store.list_conversations()[0]
    question = store.list_questions(conversation.id)[0]
    for body in ("Met Jo Bloggs late", "Saw Jo Bloggs again"):
        store.add_note(conversation.id, question.id, body, "concern")
    assert "jo bloggs" in {t.term for t in _concerns(store)}
    store.choose_theme("concern", "jo bloggs", label="Jo Bloggs's visits")
    store.erase_person("Jo Bloggs")
    kept = json.dumps(store.theme_choices())
    assert "Bloggs" not in kept and "bloggs" not in kept
    assert not any("bloggs" in t.term for t in _concerns(store))


def test_cli_text_and_json(store: Store) -> None:
    store.choose_theme("concern", "short notice", label="Late invitations")
    text = CliRunner().invoke(main, ["--db", str(store.path), "insights"])
    assert text.exit_code == 0, text.output
    assert "- concern       Late invitations 3, chair went round 2, laptop 2" in text.output
    data = json.loads(CliRunner().invoke(main, ["--db", str(store.path), "insights",
                                                "--json"]).output)
    [first, *_] = data["themes"]["concern"]
    assert first["term"] == "short notice" and first["label"] == "Late invitations"
    assert first["notes"] == 3 and len(first["note_ids"]) == 3
    assert data["theme_window"] == {"notes": 5, "limit": themes.WINDOW, "oldest": "2025-03-02",
                                    "cut": False}
    assert "theme_reading" not in data
    assert "two- and three-word phrases" in data["theme_method"]
    helped = " ".join(CliRunner().invoke(main, ["insights", "--help"]).output.split())
    assert "latest 10,000 notes" in helped and "escalated notes are never read" in helped
