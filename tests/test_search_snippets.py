"""Search over many matches: prefix queries and phrases find the right notes, each hit with its
snippet, whatever the window of newest matches they are ranked in."""

from __future__ import annotations

from pathlib import Path

import pytest

from appreciate_tui.domain import Phase
from appreciate_tui.store import Store, search
from appreciate_tui.store.search import MARK_END, MARK_START


@pytest.fixture
def crowded(db_path: Path):
    with Store.open(db_path) as store:
        conversation = store.create_conversation("Strategy meeting", "What helps?")
        question = store.add_question(conversation.id, "What works?", Phase.DISCOVER)
        notes = {}
        with store.atomic():  # one transaction for them all: quicker
            for n in range(60):
                body = (
                    f"Note {n}: the threshold was met"
                    if n % 3
                    else f"Note {n}: we kept the child at the centre of the threshold talk"
                )
                if n % 10 == 5:
                    body = f"Note {n}: nothing to find here"
                notes[store.add_note(conversation.id, question.id, body).id] = body
        yield store, notes


def snippet_of(store: Store, rowid: int, match: str) -> str:
    """The snippet FTS5 cuts for one row, asked for on its own."""
    return store.db.execute(
        f"SELECT snippet(notes_fts, 0, '{MARK_START}', '{MARK_END}', '…', 16) FROM notes_fts "
        "WHERE notes_fts MATCH ? AND rowid = ?",
        [match, rowid],
    ).fetchone()[0]


@pytest.mark.parametrize("window", [search.RANK_WINDOW, 7])
@pytest.mark.parametrize(
    ("query", "wanted"),
    [("thresh*", "threshold"), ("kept the child at the centre", "kept the child at the centre")],
)
def test_prefix_and_phrase_hits_are_the_matching_notes_each_with_its_snippet(
    crowded, monkeypatch: pytest.MonkeyPatch, query: str, wanted: str, window: int
) -> None:
    store, notes = crowded
    monkeypatch.setattr(search, "RANK_WINDOW", window)
    hits = [hit for hit in store.search(query, limit=20) if hit.kind == "note"]
    matching = {note_id for note_id, body in notes.items() if wanted in body}
    assert hits and {hit.note_id for hit in hits} <= matching
    assert len(hits) == min(20, window, len(matching))
    assert [hit.rank for hit in hits] == sorted(hit.rank for hit in hits)
    match = search.fts_query(query)
    for hit in hits:
        [rowid] = store.db.execute("SELECT rowid FROM notes WHERE id = ?", [hit.note_id]).fetchone()
        assert hit.snippet == snippet_of(store, rowid, match)
        assert MARK_START in hit.snippet and MARK_END in hit.snippet


def test_hits_far_apart_each_get_their_snippet_and_no_other_row_does(crowded) -> None:
    store, notes = crowded
    rowids = [row[0] for row in store.db.execute("SELECT rowid FROM notes ORDER BY rowid")]
    chosen = [rowids[1], rowids[30], rowids[-2]]  # the rows between them match too
    match = search.fts_query("threshold")
    found = search._snippets(store.db, search._NOTES, match, chosen)
    assert set(found) == set(chosen)
    assert found == {rowid: snippet_of(store, rowid, match) for rowid in chosen}


def test_common_words_must_match_but_do_not_weigh_in_a_huge_match_set(
    crowded, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, notes = crowded
    conversation_id, question_id = store.db.execute(
        "SELECT conversation_id, question_id FROM notes LIMIT 1"
    ).fetchone()
    plain = store.add_note(conversation_id, question_id, "kept child centre, no little words")
    monkeypatch.setattr(search, "RANK_WINDOW", 5)
    query = "kept the child at the centre"
    hits = [hit for hit in store.search(query, limit=20) if hit.kind == "note"]
    assert plain.id not in {hit.note_id for hit in hits}  # "the" and "at" still have to match
    newest = [
        note_id
        for (note_id,) in store.db.execute(
            "SELECT n.id FROM notes_fts f JOIN notes n ON n.rowid = f.rowid "
            "WHERE notes_fts MATCH ? ORDER BY f.rowid DESC LIMIT 5",
            [search.fts_query(query)],
        )
    ]
    assert {hit.note_id for hit in hits} == set(newest)
    # ranked by bm25 of the words that are not common ones
    weighed = dict(
        store.db.execute(
            "SELECT n.id, f.rank FROM notes_fts f JOIN notes n ON n.rowid = f.rowid "
            "WHERE notes_fts MATCH ?",
            ['"kept" "child" "centre"'],
        ).fetchall()
    )
    assert all(hit.rank == weighed[hit.note_id] for hit in hits)
    assert [hit.rank for hit in hits] == sorted(hit.rank for hit in hits)
