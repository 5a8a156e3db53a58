"""The live-note tallies (schema m010) that the conversations list and `appreciate list` read
instead of counting every note: after every way a note can come or go, each tally equals the
count it stands for."""

from __future__ import annotations

from pathlib import Path

from appreciate_tui.domain import Phase, Stance
from appreciate_tui.exchange import bundle as bundles
from appreciate_tui.store import Store


def counted(store: Store) -> dict[str, int]:
    return {
        row["conversation_id"]: row["n"]
        for row in store.db.query(
            "SELECT conversation_id, count(*) AS n FROM notes WHERE deleted_at IS NULL "
            "GROUP BY conversation_id"
        )
    }


def assert_tallies_true(store: Store) -> None:
    assert store.note_counts() == counted(store)
    orphans = store.db.execute(
        "SELECT count(*) FROM note_tallies WHERE conversation_id NOT IN "
        "(SELECT id FROM conversations)"
    ).fetchone()[0]
    assert orphans == 0


def test_tallies_follow_every_way_a_note_comes_and_goes(db_path: Path, tmp_path: Path) -> None:
    with Store.open(db_path) as store:
        first = store.create_conversation("Strategy meeting", "What helps?")
        second = store.create_conversation("Second meeting", "What else?")
        q1 = store.add_question(first.id, "What works?", Phase.DISCOVER)
        q2 = store.add_question(second.id, "What next?", Phase.DREAM)
        notes = [store.add_note(first.id, q1.id, f"Note {n}", Stance.STRENGTH) for n in range(6)]
        store.add_note(second.id, q2.id, "Only note")
        assert_tallies_true(store)
        assert store.note_counts() == {first.id: 6, second.id: 1}

        store.delete_note(notes[0].id)  # soft delete, undoable
        store.delete_note(notes[1].id)
        assert_tallies_true(store)
        store.restore_note(notes[1].id)
        assert_tallies_true(store)
        store.update_note(notes[2].id, body="Edited, still live")
        assert_tallies_true(store)
        store.erase_note(notes[3].id)  # erased for good
        store.erase_note(notes[0].id)  # already soft-deleted, then erased
        assert_tallies_true(store)
        assert store.note_counts()[first.id] == 4

        copy = store.duplicate_conversation(first.id)
        assert_tallies_true(store)
        assert copy.id not in store.note_counts()  # a template brings no notes

        sent = bundles.build(store, first.id)
        store.erase_conversation(first.id)
        assert_tallies_true(store)
        assert first.id not in store.note_counts()

    with Store.open(tmp_path / "another-laptop.db") as other:
        checked = bundles.loads(bundles.dumps(sent), other.bundle_schema(), "sent")
        bundles.merge_bundles(other, [checked])
        assert_tallies_true(other)
        assert other.note_counts() == {first.id: 4}
        bundles.merge_bundles(other, [checked])  # importing again changes nothing
        assert_tallies_true(other)
        assert other.note_counts() == {first.id: 4}


def test_an_older_database_gets_its_tallies_when_it_is_updated(db_path: Path) -> None:
    with Store.open(db_path) as store:
        conversation = store.create_conversation("Strategy meeting", "What helps?")
        question = store.add_question(conversation.id, "What works?", Phase.DISCOVER)
        for n in range(4):
            store.add_note(conversation.id, question.id, f"Note {n}")
        # As a database made before the tallies existed: no table, no triggers, no record.
        with store.atomic():
            for trigger in ("ai", "ad", "au_old", "au_new"):
                store.db.execute(f"DROP TRIGGER note_tallies_{trigger}")
            store.db.execute("DROP TABLE note_tallies")
            store.db.execute(
                "DELETE FROM _sqlite_migrations WHERE name = 'm010_note_tallies'"
            )
    with Store.open(db_path) as store:
        assert store.note_counts() == {conversation.id: 4}
        assert_tallies_true(store)
