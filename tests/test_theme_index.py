"""The insights' word index (`note_themes`, schema m009/m012) stays exactly what a rebuild from the
notes would give, through every edit: a word the old and new text share must not be lost."""

from __future__ import annotations

from pathlib import Path

from appreciate_tui.domain import Phase, Stance
from appreciate_tui.store import Store
from appreciate_tui.store.insights import rebuild_theme_index


def terms(store: Store) -> list[tuple[str, str, int]]:
    return [
        tuple(row)
        for row in store.db.execute(
            "SELECT term, col, doc FROM note_themes_terms ORDER BY term, col"
        ).fetchall()
    ]


def assert_index_true(store: Store) -> None:
    kept = terms(store)
    with store.atomic():
        rebuild_theme_index(store.db)
    assert kept == terms(store)


def test_edits_keep_the_words_old_and_new_text_share(db_path: Path) -> None:
    with Store.open(db_path) as store:
        conversation = store.create_conversation("Strategy meeting", "What helps?")
        question = store.add_question(conversation.id, "What works?", Phase.DISCOVER)
        note = store.add_note(conversation.id, question.id, "Health joined the #rota early",
                              Stance.STRENGTH)
        store.add_note(conversation.id, question.id, "Police were late", Stance.CONCERN)
        assert_index_true(store)
        store.update_note(note.id, body="Health joined the #rota early, as Cara heard it")
        assert_index_true(store)
        assert ("health", "strength", 1) in terms(store)
        store.update_note(note.id, stance=Stance.CONCERN)  # moves to another stance's column
        assert_index_true(store)
        store.delete_note(note.id)
        assert_index_true(store)
        store.restore_note(note.id)
        assert_index_true(store)
