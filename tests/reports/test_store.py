"""The store's side of exports: a conversation's redaction terms, and its rows read whole."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from appreciate_tui.store import NotFound, Store
from appreciate_tui.store.safety import list_backups


def test_redaction_terms_are_kept_per_conversation(store: Store) -> None:
    first = store.create_conversation("First")
    second = store.create_conversation("Second")
    kayden = store.add_redaction_term(first.id, "  Kayden ")
    assert kayden.term == "Kayden"
    assert store.add_redaction_term(first.id, "KAYDEN") == kayden  # the same term, in any case
    store.add_redaction_term(first.id, "14 Oak Street")
    assert [t.term for t in store.list_redaction_terms(first.id)] == ["Kayden", "14 Oak Street"]
    assert store.list_redaction_terms(second.id) == []
    store.remove_redaction_term(kayden.id)
    assert [t.term for t in store.list_redaction_terms(first.id)] == ["14 Oak Street"]
    with pytest.raises(NotFound):
        store.remove_redaction_term(kayden.id)


def test_a_term_needs_two_characters(store: Store) -> None:
    conversation = store.create_conversation("First")
    with pytest.raises(ValueError, match="at least 2"):
        store.add_redaction_term(conversation.id, " x\x1b ")


def test_terms_go_when_their_conversation_is_erased(store: Store) -> None:
    conversation = store.create_conversation("First")
    store.add_redaction_term(conversation.id, "Kayden")
    store.db.execute("DELETE FROM conversations WHERE id = ?", [conversation.id])
    assert store.db.execute("SELECT count(*) FROM redaction_terms").fetchone()[0] == 0


def test_terms_table_is_added_to_an_existing_database_after_a_backup(db_path: Path) -> None:
    with Store.open(db_path) as store:
        store.create_conversation("Before the change")
    with sqlite3.connect(db_path) as conn:
        conn.execute("DROP TABLE redaction_terms")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm003_redaction_terms'")
    with Store.open(db_path) as store:
        conversation = store.list_conversations()[0]
        assert store.add_redaction_term(conversation.id, "Kayden").term == "Kayden"
    assert list_backups(db_path)


def test_conversation_rows_of_an_unknown_conversation(store: Store) -> None:
    with pytest.raises(NotFound):
        store.conversation_rows("no-such-conversation")
