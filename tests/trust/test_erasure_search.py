"""Erasure reaches the search indexes of the whole record (key learning, absence reasons, actions,
feedback), as it reaches the notes': after a conversation is erased, or a person's name is, the
words are found by no search and are in no file, index pages included."""

from __future__ import annotations

from pathlib import Path

import pytest

from appreciate_tui.store import Store, erasure
from tests.trust.helpers import files_holding, meeting

MARKER = "Qzv7Marker4Kxq"  # one token, no suffix the stemmer would cut


def plant(store: Store) -> str:
    """The marker, as a name, everywhere in the record but the notes; the conversation's id."""
    cid, _ = meeting(store)
    came = store.add_participant(cid, "Police", attended=True)
    store.add_participant(cid, "Health", absence_reason=f"Covering for {MARKER} in clinic")
    store.start_conversation(cid)
    store.add_action(cid, f"Ask {MARKER} for the rota", owner=f"{MARKER} Smith")
    store.add_feedback(cid, participant_id=came.id, comments=f"{MARKER} chaired it well")
    store.update_conversation(cid, key_learning=f"As {MARKER} said, preparation matters.")
    for n in range(10):  # more rows after them, so their words sit inside the index pages
        store.add_action(cid, f"Later action {n}: a shared plan", owner="Chair")
    return cid


def assert_gone(store: Store, db_path: Path) -> None:
    assert store.search(MARKER) == []
    assert files_holding(db_path.parent, MARKER) == []
    for index in erasure.fts_tables(store.db.conn):
        if index.endswith("_fts"):
            store.db.execute(f"INSERT INTO {index}({index}) VALUES ('integrity-check')")


@pytest.mark.parametrize("what", ["conversation", "person"])
def test_an_erased_name_is_in_no_index_of_the_record(
    store: Store, db_path: Path, what: str
) -> None:
    cid = plant(store)
    found = {hit.kind for hit in store.search(MARKER)}
    assert found == {"key_learning", "absence", "action", "feedback"}
    store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert files_holding(db_path.parent, MARKER) or store.encrypted  # it is there first
    result = (store.erase_conversation(cid) if what == "conversation"
              else store.erase_person(MARKER))
    assert result.complete, result.problem
    assert_gone(store, db_path)
    if what == "person":  # the rest of what they wrote is still found
        assert {hit.kind for hit in store.search("preparation")} == {"key_learning"}
        assert {hit.kind for hit in store.search("rota")} == {"action"}


def test_a_weaker_erasure_would_leave_the_words_in_the_new_indexes(
    store: Store, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without merging the full-text indexes, the erased words stay in their pages: the scan
    above can tell, so its passing means something."""
    if store.encrypted:
        pytest.skip("the pages of an encrypted file show no words either way")
    cid = plant(store)
    store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def without_merging(store: Store) -> tuple[bool, str | None]:
        store.db.conn.execute("VACUUM")
        store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return True, None

    monkeypatch.setattr(erasure, "scrub", without_merging)
    store.erase_conversation(cid)
    assert "appreciate.db" in files_holding(db_path.parent, MARKER)
