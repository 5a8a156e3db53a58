"""Erasure that really erases (reliability.md section 1.7): after a note, a conversation or a
participant is erased, a marker string it held is in no file at all: not the database, not its
write-ahead log or shared-memory file, not the full-text index pages, not a backup made afterwards.
The scan itself is shown to find what a weaker erasure leaves behind, so a pass means something.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from appreciate_tui.domain import Stance
from appreciate_tui.store import NotFound, Store, cipher, erasure, free_text, safety
from tests.helpers.private import assert_private_file
from tests.trust.helpers import files_holding, meeting

MARKER = "Qzv7Marker4Kxq"  # one token, no suffix the stemmer would cut
KINDS = ["note", "conversation", "participant"]


def plant(store: Store, cid: str, qid: str, kind: str = "conversation") -> dict[str, str]:
    """Put the marker where erasing `kind` must remove it from: for a note, the note, an earlier
    version of it (it was edited) and a draft; for a participant, their name and a note naming
    them; for a conversation, all of those. Returns the ids to erase."""
    ids = {"conversation": cid}
    if kind in ("note", "conversation"):
        note = store.add_note(cid, qid, f"Child disclosed to {MARKER} at school", Stance.CONCERN)
        store.update_note(note.id, body=f"Child disclosed to {MARKER} at school on Monday")
        store.save_draft(cid, "note", f"Child disclosed to {MARKER} at school on Monday")
        ids["note"] = note.id
    if kind in ("participant", "conversation"):
        participant = store.add_participant(cid, "Police", name=f"{MARKER} Smith")
        store.add_note(cid, qid, f"{MARKER} Smith brought the chronology",
                       participant_id=participant.id)
        ids["participant"] = participant.id
    # More notes after it, so its words sit in the middle of the index, not at its end.
    for n in range(10):
        store.add_note(cid, qid, f"Later note {n}: a shared plan for the family")
    return ids


def erase(store: Store, kind: str, ids: dict[str, str]) -> erasure.Erasure:
    if kind == "note":
        return store.erase_note(ids["note"])
    if kind == "participant":
        return store.erase_participant(ids["participant"])
    return store.erase_conversation(ids["conversation"])


@pytest.mark.parametrize("kind", KINDS)
def test_an_erased_marker_is_in_no_file(store: Store, db_path: Path, kind: str) -> None:
    folder = db_path.parent
    cid, qid = meeting(store)
    ids = plant(store, cid, qid, kind)
    before = store.rotate_backups()  # an older backup, taken while the marker was there
    assert files_holding(folder, MARKER, skip=(before,)) or store.encrypted  # it is there first

    result = erase(store, kind, ids)
    assert result.complete and result.problem is None
    after = store.rotate_backups()  # a backup made afterwards
    # The database, its -wal and -shm (the store is still open, so they exist), the lock file,
    # the backup made afterwards: nothing holds it.
    assert db_path.with_name(db_path.name + "-shm").exists()
    assert files_holding(folder, MARKER, skip=(before,)) == []
    assert after.exists()
    # Still a healthy database that finds everything else.
    assert store.check().ok
    assert store.search(MARKER) == []
    if kind != "conversation":
        assert store.search("chronology")
    # The older backup does hold it, and is named as holding it.
    holding, unreadable = erasure.backups_holding(store, pattern=erasure.name_pattern([MARKER]))
    assert holding == [before] and unreadable == []


def weaker_scrub_without_optimize(store: Store) -> tuple[bool, str | None]:
    store.db.conn.execute("VACUUM")
    store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return True, None


def weaker_scrub_without_checkpoint(store: Store) -> tuple[bool, str | None]:
    with store.atomic():
        for table in erasure.fts_tables(store.db.conn):
            store.db.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")
    return True, None


def weaker_scrub_without_secure_delete(store: Store) -> tuple[bool, str | None]:
    with store.atomic():
        for table in erasure.fts_tables(store.db.conn):
            store.db.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")
    store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return True, None


@pytest.mark.parametrize(
    ("weaker", "secure_delete", "left_in"),
    [
        (weaker_scrub_without_optimize, True, "appreciate.db"),  # the full-text index pages
        (weaker_scrub_without_checkpoint, True, "appreciate.db-wal"),  # the write-ahead log
        (weaker_scrub_without_secure_delete, False, "appreciate.db"),  # freed cells, not zeroed
    ],
    ids=["no-index-merge", "no-checkpoint", "no-secure-delete-no-vacuum"],
)
def test_the_scan_finds_what_a_weaker_erasure_leaves(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, weaker, secure_delete: bool, left_in: str
) -> None:
    with Store.open(db_path) as store:
        if not secure_delete:
            store.db.execute("PRAGMA secure_delete = OFF")
        cid, qid = meeting(store)
        ids = plant(store, cid, qid, "note")
        store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        monkeypatch.setattr(erasure, "scrub", weaker)
        store.erase_note(ids["note"])
        assert left_in in files_holding(db_path.parent, MARKER)


def test_a_reader_holding_the_log_makes_the_erasure_incomplete_and_says_so(
    store: Store, db_path: Path
) -> None:
    cid, qid = meeting(store)
    ids = plant(store, cid, qid, "note")
    reader = cipher.connect(db_path, store.key)  # another window, say
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM notes").fetchone()  # a read transaction, held open
    try:
        result = store.erase_note(ids["note"])
    finally:
        reader.rollback()
        reader.close()
    assert not result.complete
    assert "another program is reading" in result.problem
    assert store.erasures()[-1]["complete"] == 0
    # Once the reader has gone, scrubbing again finishes the job.
    assert erasure.scrub(store) == (True, None)


def test_the_record_of_erasures_holds_no_content(store: Store, db_path: Path) -> None:
    cid, qid = meeting(store)
    ids = plant(store, cid, qid)
    store.record_share(cid, "md", recipient="MASH manager", purpose="learning")
    store.erase_note(ids["note"])
    store.erase_participant(ids["participant"])
    store.erase_conversation(cid)
    log = store.erasures()
    assert [row["kind"] for row in log] == ["note", "participant", "conversation"]
    assert [row["target_id"] for row in log] == [ids["note"], ids["participant"], cid]
    assert log[-1]["shares_recorded"] == 1 and log[-1]["rows_removed"] > 10
    assert all(row["complete"] == 1 for row in log)
    text = repr(log)
    for word in (MARKER, "Child", "school", "chronology", "Smith", "MASH"):
        assert word not in text


def test_erasing_a_conversation_leaves_no_row_of_it_in_any_table(store: Store) -> None:
    cid, qid = meeting(store)
    keep_cid, keep_qid = meeting(store, "Another meeting")
    plant(store, cid, qid)
    participant = store.get_participant(
        store.list_participants(cid)[0].id
    )
    store.add_action(cid, "Write to the ICB", owner="Chair")
    store.add_feedback(cid, participant_id=participant.id, rating=4, comments="Useful")
    store.add_redaction_term(cid, "Flat 4")
    store.record_share(cid, "json")
    store.erase_conversation(cid)
    conn = store.db.conn
    for table in erasure.content_tables(conn):
        columns = {row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')}
        if "conversation_id" in columns:
            assert conn.execute(
                f'SELECT count(*) FROM "{table}" WHERE conversation_id = ?', [cid]
            ).fetchone()[0] == 0, table
    assert conn.execute("SELECT count(*) FROM note_revisions r LEFT JOIN notes n ON n.id = r.note_id "
                        "WHERE n.id IS NULL").fetchone()[0] == 0
    for table in erasure.fts_tables(conn):
        if table.endswith("_fts"):
            conn.execute(f"INSERT INTO {table}({table}) VALUES ('integrity-check')")
    with pytest.raises(NotFound):
        store.get_conversation(cid)
    assert len(store.list_notes(keep_cid)) == 12  # the other conversation is untouched


def test_erasing_a_note_takes_its_revisions_and_its_draft_but_not_other_drafts(store: Store) -> None:
    cid, qid = meeting(store, fillers=0)
    note = store.add_note(cid, qid, "first words")
    store.update_note(note.id, body="second words")
    store.save_draft(cid, "note", "second words, and then")
    store.save_draft(cid, "flow", "an unrelated follow-up being typed")
    store.erase_note(note.id)
    assert store.note_revisions(note.id) == []
    assert store.drafts(cid) == {"flow": "an unrelated follow-up being typed"}
    with pytest.raises(NotFound):
        store.erase_note(note.id)


def test_erasing_a_participant_turns_their_name_into_their_pseudonym(store: Store) -> None:
    cid, qid = meeting(store, fillers=0)
    jo = store.add_participant(cid, "Health", name="Jo Bloggs")
    said = store.add_note(cid, qid, "Jo Bloggs said the GP was not invited", participant_id=jo.id)
    store.erase_participant(jo.id)
    with pytest.raises(NotFound):
        store.get_participant(jo.id)
    note = store.get_note(said.id)
    assert note.body == f"{jo.pseudonym} said the GP was not invited"
    assert note.participant_id is None  # still there, no longer attributed
    assert store.check().ok  # the checksum follows the new text


def test_every_text_column_is_searched_for_names_unless_it_never_holds_words(store: Store) -> None:
    """A migration that adds a TEXT column makes it searched for names by default; this lists
    what is searched so a reviewer sees it."""
    conn = store.db.conn
    searched = free_text.free_text_columns(conn)
    for table, columns in free_text.FREE_TEXT.items():
        assert set(columns) <= set(searched.get(table, ())), table
    for table in free_text.content_tables(conn):
        for row in conn.execute(f'PRAGMA table_info("{table}")'):
            column, kind = row[1], str(row[2]).upper()
            if "TEXT" in kind:
                assert column in searched.get(table, ()) or column in free_text.NOT_FREE_TEXT.get(
                    table, ()), f"{table}.{column}"


def test_erase_is_refused_on_a_read_only_store(db_path: Path) -> None:
    with Store.open(db_path) as store:
        cid, qid = meeting(store, fillers=1)
    with Store.open(db_path, read_only=True) as store:
        from appreciate_tui.store import ReadOnlyError

        with pytest.raises(ReadOnlyError):
            store.erase_conversation(cid)
        assert store.get_conversation(cid)


def test_backups_dropped_after_an_erasure_are_overwritten_and_a_fresh_one_made(
    store: Store, db_path: Path, frozen_clock
) -> None:
    cid, qid = meeting(store)
    plant(store, cid, qid)
    old = [store.rotate_backups()]
    frozen_clock.advance(minutes=1)
    old.append(store.rotate_backups())
    store.erase_conversation(cid)
    holding, _ = erasure.backups_holding(store, ids={"conversations": [cid]})
    assert holding == old
    frozen_clock.advance(minutes=1)
    fresh, removed = erasure.drop_backups(store, holding)
    assert removed == old and not any(p.exists() for p in old)
    assert safety.list_backups(db_path) == [fresh]
    assert_private_file(fresh)
    assert files_holding(db_path.parent, MARKER) == []


def test_a_file_kept_aside_by_a_restore_is_a_copy_that_holds_it_too(db_path: Path) -> None:
    from appreciate_tui.store import recovery

    with Store.open(db_path) as store:
        meeting(store, "Kept", fillers=1)
        backup = store.rotate_backups()
        cid, qid = meeting(store, "Erased later", fillers=1)
        plant(store, cid, qid, "note")
    restored = recovery.restore(db_path, backup)  # the meeting with the marker is kept aside
    with Store.open(db_path) as store:
        holding, _ = erasure.backups_holding(store, pattern=erasure.name_pattern([MARKER]))
        assert holding == [restored.kept_aside]
        erasure.drop_backups(store, holding)
    assert not restored.kept_aside.exists()
    assert files_holding(db_path.parent, MARKER) == []
