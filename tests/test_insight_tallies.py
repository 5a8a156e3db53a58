"""The insights' tallies (schema m016): counts kept by triggers as notes are written, so that
insights read tens of thousands of rows instead of millions. After every way a note can come,
change or go, each tally equals a count made from scratch; the insights made from them are the
ones made by counting the notes."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from datetime import date
from pathlib import Path

from appreciate_tui.insights import compute as insights
from appreciate_tui.domain import Phase, Stance
from appreciate_tui.exchange import bundle as bundles
from appreciate_tui.store import Store
from appreciate_tui.store.insights import rebuild_insight_tallies

TODAY = date(2025, 6, 1)
TALLIES = ("note_stance_tallies", "note_agency_tallies", "question_note_tallies",
           "theme_term_tallies")


def words(text: str) -> list[str]:
    """A note's words as the `note_themes` tokenizer reads them: lower case, accents off."""
    plain = text.casefold()
    if not plain.isascii():
        plain = unicodedata.normalize("NFKD", plain)
        plain = "".join(char for char in plain if not unicodedata.combining(char))
    return re.findall(r"[\w#]+", plain.replace("_", " "))


def kept(store: Store) -> dict[str, set[tuple]]:
    return {
        table: {tuple(row) for row in store.db.execute(f"SELECT * FROM {table}").fetchall()}
        for table in TALLIES
    }


def counted(store: Store) -> dict[str, set[tuple]]:
    """The same counts, made from the notes."""

    def rows(sql: str) -> set[tuple]:
        return {tuple(row) for row in store.db.execute(sql).fetchall()}

    themes: Counter[tuple[str, str]] = Counter()
    for stance, body in store.db.execute("SELECT stance, body FROM notes WHERE deleted_at IS NULL"):
        themes.update((stance, term) for term in set(words(body)))
    return {
        "note_stance_tallies": rows(
            "SELECT conversation_id, stance, count(*) FROM notes WHERE deleted_at IS NULL "
            "GROUP BY conversation_id, stance"
        ),
        "note_agency_tallies": rows(
            "SELECT conversation_id, agency, count(*) FROM notes WHERE deleted_at IS NULL "
            "AND agency IS NOT NULL GROUP BY conversation_id, agency"
        ),
        "question_note_tallies": rows(
            "SELECT question_id, count(*) FROM notes WHERE deleted_at IS NULL GROUP BY question_id"
        ),
        "theme_term_tallies": {(stance, term, n) for (stance, term), n in themes.items()},
    }


def assert_tallies_true(store: Store) -> None:
    assert kept(store) == counted(store)
    # ...and the word counts are what the insights' word index itself counts.
    assert kept(store)["theme_term_tallies"] == {
        (stance, term, notes)
        for term, stance, notes in store.db.execute("SELECT term, col, doc FROM note_themes_terms")
        if notes
    }


def test_tallies_follow_every_way_a_note_comes_changes_and_goes(
    db_path: Path, tmp_path: Path
) -> None:
    with Store.open(db_path) as store:
        first = store.create_conversation("Strategy meeting", "What helps?")
        second = store.create_conversation("Second meeting", "What else?")
        q1 = store.add_question(first.id, "What works?", Phase.DISCOVER)
        q2 = store.add_question(first.id, "What next?", Phase.DREAM)
        q3 = store.add_question(second.id, "What next?", Phase.DREAM)
        jo = store.add_participant(first.id, "Health", name="Jo Bloggs")
        notes = [
            store.add_note(first.id, q1.id, f"Health joined the #rota early {n}", Stance.STRENGTH,
                           agency="Health")
            for n in range(4)
        ]
        said = store.add_note(first.id, q2.id, "Jo Bloggs asked for the chronology",
                              Stance.IDEA, agency="Police", participant_id=jo.id)
        store.add_note(second.id, q3.id, "Police were late", Stance.CONCERN, agency="Police")
        store.add_note(second.id, q3.id, "Café met at Zoë's", Stance.QUOTE)
        assert_tallies_true(store)

        store.update_note(notes[0].id, body="Health joined the #rota, as Cara heard it")
        assert_tallies_true(store)
        store.update_note(notes[1].id, stance=Stance.CONCERN, agency="Education")
        store.update_note(notes[2].id, agency=None)
        store.update_note(notes[3].id, starred=True)  # no count changes
        assert_tallies_true(store)
        store.undo_note_change(first.id)
        assert_tallies_true(store)

        store.delete_note(notes[0].id)  # soft delete
        assert_tallies_true(store)
        store.undo_note_change(first.id)  # the deletion undone
        assert_tallies_true(store)
        store.delete_note(notes[1].id)
        store.restore_note(notes[1].id)
        store.delete_note(notes[2].id)
        assert_tallies_true(store)
        store.erase_note(notes[2].id)  # soft-deleted, then erased
        store.erase_note(notes[3].id)  # live, erased
        assert_tallies_true(store)

        store.delete_conversation(second.id)  # the bin keeps its notes
        assert_tallies_true(store)
        store.restore_conversation(second.id)
        assert_tallies_true(store)

        store.erase_person("Jo Bloggs")
        assert "bloggs" not in {term for _, term, _ in kept(store)["theme_term_tallies"]}
        assert store.get_note(said.id).body != "Jo Bloggs asked for the chronology"
        assert_tallies_true(store)

        sent = bundles.build(store, first.id)
        store.erase_conversation(first.id)
        assert_tallies_true(store)
        assert not any(row[0] == first.id for row in kept(store)["note_stance_tallies"])

    with Store.open(tmp_path / "another-laptop.db") as other:
        checked = bundles.loads(bundles.dumps(sent), other.bundle_schema(), "sent")
        bundles.merge_bundles(other, [checked])
        assert_tallies_true(other)
        assert kept(other)["note_stance_tallies"]
        bundles.merge_bundles(other, [checked])  # importing again changes nothing
        assert_tallies_true(other)


def test_an_older_database_gets_its_tallies_when_it_is_updated(db_path: Path) -> None:
    with Store.open(db_path) as store:
        conversation = store.create_conversation("Strategy meeting", "What helps?")
        question = store.add_question(conversation.id, "What works?", Phase.DISCOVER)
        for n in range(4):
            store.add_note(conversation.id, question.id, f"Note {n} about the #rota",
                           Stance.STRENGTH, agency="Police")
        unmigrated(store)
    with Store.open(db_path) as store:
        assert_tallies_true(store)
        assert ("strength", "#rota", 4) in kept(store)["theme_term_tallies"]


def test_rebuilding_the_tallies_gives_what_the_triggers_kept(db_path: Path) -> None:
    with Store.open(db_path) as store:
        conversation = store.create_conversation("Strategy meeting", "What helps?")
        question = store.add_question(conversation.id, "What works?", Phase.DISCOVER)
        for n in range(5):
            store.add_note(conversation.id, question.id, f"Late {n} again", Stance.CONCERN,
                           agency="Health" if n % 2 else None)
        before = kept(store)
        with store.atomic():
            for table in TALLIES:
                store.db.execute(f"DELETE FROM {table}")
            rebuild_insight_tallies(store.db)
        assert kept(store) == before
        assert_tallies_true(store)


def unmigrated(store: Store) -> None:
    """Make the database one written before the tallies: no tables, triggers or record."""
    with store.atomic():
        for (name,) in store.db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND "
            "(name LIKE 'note_insight_tallies_%' OR name LIKE 'theme_term_tallies_%')"
        ).fetchall():
            store.db.execute(f"DROP TRIGGER {name}")
        for table in (*TALLIES, "theme_scratch_terms", "theme_scratch"):
            store.db.execute(f"DROP TABLE {table}")
        store.db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm016_insight_tallies'")


def partnership(store: Store) -> None:
    s = store
    one = s.create_conversation("Front door", "Sharing", date="2025-01-10", status="closed")
    two = s.create_conversation("Strategy", "Who is heard?", date="2025-02-20", status="closed")
    binned = s.create_conversation("Binned", "Gone", date="2025-01-15", status="closed")
    s.add_participant(one.id, "Police", attended=True)
    s.add_participant(two.id, "Health", attended=False)
    # The same question worded alike in two ways, both asked in one conversation: counted once.
    q1 = s.add_question(one.id, "When did sharing go well?", "discover")
    q1b = s.add_question(one.id, "when did  sharing go WELL?", "discover")
    q2 = s.add_question(two.id, "When did sharing go well?", "discover")
    follow = s.add_follow_up(two.id, q2.id, "Who noticed it first?")
    s.set_worth_keeping(follow.id, True)
    for qid in (q1.id, q1b.id, q2.id, follow.id):
        s.set_question_status(qid, "asked")
    s.add_note(one.id, q1.id, "Chronology shared early #handover", "strength", agency="Police")
    s.add_note(one.id, q1b.id, "Invitation came late", "concern", agency="Health")
    s.add_note(two.id, q2.id, "Late invitation again #handover", "concern", agency="Police")
    s.add_note(two.id, follow.id, "The chair noticed", "strength")
    gone = s.add_note(two.id, q2.id, "Deleted late late", "concern")
    s.delete_note(gone.id)
    hidden = s.add_question(binned.id, "Hidden?", "discover")
    s.add_note(binned.id, hidden.id, "Late in the bin #handover", "concern", agency="Police")
    s.delete_conversation(binned.id)
    s.set_feedback(two.id, agency="Police", useful_question_ids=[follow.id, q2.id])


def test_insights_from_the_tallies_are_those_counted_from_the_notes(db_path: Path) -> None:
    with Store.open(db_path) as store:
        partnership(store)
        wanted = {since: figures(store, since) for since in (None, "2025-02-01", "2026-01-01")}
        found = insights.compute(store, today=TODAY)
        [question] = [q for q in found.questions if q.text.startswith("When")]
        assert (question.asked, question.notes, question.useful) == (2, 3, 1)
        unmigrated(store)
    with Store.open(db_path, read_only=True) as store:  # as an earlier version left it
        assert {since: figures(store, since) for since in wanted} == wanted


def figures(store: Store, since: str | None) -> str:
    return json.dumps(insights.as_json(insights.compute(store, since=since, today=TODAY)))


def test_notes_added_with_the_triggers_set_aside_are_tallied_in_bulk(db_path: Path) -> None:
    from appreciate_tui.store.insights import tally_added_notes

    with Store.open(db_path) as store:
        conversation = store.create_conversation("Strategy meeting", "What helps?")
        question = store.add_question(conversation.id, "What works?", Phase.DISCOVER)
        store.add_note(conversation.id, question.id, "Late again", Stance.CONCERN)
        with store.atomic():
            triggers = dict(store.db.execute(
                "SELECT name, sql FROM sqlite_master WHERE name IN "
                "('note_insight_tallies_ai', 'theme_term_tallies_ai')").fetchall())
            for name in triggers:
                store.db.execute(f"DROP TRIGGER {name}")
            after = store.db.execute("SELECT max(rowid) FROM notes").fetchone()[0]
            for n in range(3):
                store.add_note(conversation.id, question.id, f"Late {n} again #rota",
                               Stance.CONCERN, agency="Police")
            tally_added_notes(store.db, "rowid > :after", {"after": after})
            for sql in triggers.values():
                store.db.execute(sql)
        assert_tallies_true(store)
