"""Search finds everything written about a conversation: besides notes, questions and titles, its
key learning, the reasons people gave for not coming, its actions (what and who) and feedback
comments, each hit saying what it is. Escalated notes, and actions drafted from them, are never
found; the indexes follow every change, and a file from before them still searches."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from sqlite_utils import Database

from appreciate_tui.cli import main
from appreciate_tui.domain import Phase, Stance
from appreciate_tui.store import Store, search
from appreciate_tui.store.schema import migrations

RECORD_INDEXES = ("learning_fts", "absences_fts", "actions_fts", "feedback_fts")


def held(store: Store, phrase: str = "short notice") -> dict[str, str]:
    """A conversation that was held, with `phrase` once in a note, its key learning, an action,
    a feedback comment and the reason someone could not come. Returns the ids."""
    conversation = store.create_conversation("Strategy meetings", "What works?", date="2026-03-12")
    cid = conversation.id
    question = store.add_question(cid, "When did it go well?", Phase.DISCOVER)
    came = store.add_participant(cid, "Police", attended=True)
    away = store.add_participant(cid, "Health", absence_reason=f"Surgery at {phrase}")
    store.start_conversation(cid)
    note = store.add_note(cid, question.id, f"Invited at {phrase} again", Stance.CONCERN)
    action = store.add_action(cid, f"A duty rota for {phrase} meetings", owner="Health")
    feedback = store.add_feedback(cid, participant_id=came.id, rating=4,
                                  comments=f"They heard what {phrase} means")
    store.update_conversation(cid, key_learning=f"The main barrier is {phrase}.")
    store.close_conversation(cid)
    return {"conversation": cid, "question": question.id, "note": note.id, "action": action.id,
            "feedback": feedback.id, "away": away.id, "came": came.id}


def kinds(store: Store, query: str) -> dict[str, str | None]:
    return {hit.kind: hit.item_id for hit in store.search(query)}


def test_every_kind_of_text_is_found_and_says_what_it_is(store: Store) -> None:
    ids = held(store)
    hits = {hit.kind: hit for hit in store.search("short notice")}
    assert set(hits) == {"note", "key_learning", "action", "feedback", "absence"}
    assert hits["note"].note_id == ids["note"]
    assert hits["action"].item_id == ids["action"] and hits["action"].place == "Health"
    assert hits["feedback"].item_id == ids["feedback"]
    assert hits["feedback"].place == "Police 1 (Police)"
    assert hits["absence"].item_id == ids["away"] and hits["absence"].place == "Health 1 (Health)"
    assert hits["key_learning"].item_id is None
    for hit in hits.values():
        assert hit.conversation_id == ids["conversation"]
        assert hit.conversation_title == "Strategy meetings"
        assert f"{search.MARK_START}short{search.MARK_END}" in hit.snippet
    assert set(search.KIND_LABELS) >= {hit.kind for hit in hits.values()}


def test_an_action_is_found_by_its_owner_and_by_a_prefix(store: Store) -> None:
    ids = held(store)
    store.update_action(ids["action"], owner="Duty Safeguarding Nurse")
    assert kinds(store, "nurse") == {"action": ids["action"]}
    assert "action" in kinds(store, "rot*")


def test_changes_are_followed(store: Store) -> None:
    ids = held(store)
    store.update_action(ids["action"], description="Share the agenda a week before")
    feedback = store.set_feedback(ids["conversation"], participant_id=ids["came"],
                                  comments="Well chaired")
    store.update_participant(ids["away"], absence_reason="On leave")
    store.update_conversation(ids["conversation"], key_learning="Chairs matter most.")
    assert set(kinds(store, "short notice")) == {"note"}
    assert kinds(store, "agenda") == {"action": ids["action"]}
    assert kinds(store, "chaired") == {"feedback": feedback.id, "key_learning": None}  # porter
    assert kinds(store, "leave") == {"absence": ids["away"]}
    store.delete_feedback(feedback.id)
    assert "feedback" not in kinds(store, "chaired")
    for index in RECORD_INDEXES:
        store.db.execute(f"INSERT INTO {index}({index}) VALUES ('integrity-check')")


def test_what_the_record_does_not_show_is_not_found(store: Store) -> None:
    """The reason left on someone who came after all is not in the record; nor is anything of a
    conversation in the bin."""
    ids = held(store)
    store.update_participant(ids["away"], attended=True)
    assert "absence" not in kinds(store, "short notice")
    store.delete_conversation(ids["conversation"])
    assert store.search("short notice") == []
    store.restore_conversation(ids["conversation"])
    assert len(store.search("short notice")) == 4


def test_an_escalated_note_and_the_action_drafted_from_it_are_found(store: Store) -> None:
    """The facilitator's own search finds the concern they flagged, to follow it up; it is the
    reports and themes that withhold it."""
    ids = held(store, "Qzv7Referral")
    concern = store.add_note(ids["conversation"], ids["question"],
                             "Qzv7Disclosure about a named child", Stance.ACTION)
    store.update_note(concern.id, escalate=True)
    drafted = store.draft_actions_from_notes(ids["conversation"])
    assert [action.note_id for action in drafted] == [concern.id]
    assert kinds(store, "Qzv7Disclosure") == {"note": None, "action": drafted[0].id}


def test_hostile_text_is_searched_for_never_obeyed(store: Store) -> None:
    ids = held(store)
    hostile = 'Owner "NEAR( x" \x1b[31mred\x1b[0m ‮evil‬ 👩‍⚕️ ' + "long " * 2000
    store.update_action(ids["action"], owner=hostile)
    for query in ('"NEAR(', "red", "👩‍⚕️", "evil*", "-", "*", '""', "AND OR NOT"):
        store.search(query)  # no FTS syntax error, whatever is typed
    assert "action" in kinds(store, "evil")


def test_the_cli_names_each_kind_and_gives_scripts_the_item(db_path: Path, store: Store) -> None:
    ids = held(store)
    store.update_action(ids["action"], owner="Health \x1b[2J\x1b]0;owned\x07")
    store.close()
    runner = CliRunner()
    shown = runner.invoke(main, ["--db", str(db_path), "search", "short", "notice"])
    assert shown.exit_code == 0, shown.output
    for label in ("note", "key learning", "action", "feedback", "absence"):
        assert f"  {label} " in shown.output
    assert "› Health 1 (Health)" in shown.output
    assert "\x1b" not in shown.output and "\x07" not in shown.output
    found = json.loads(runner.invoke(
        main, ["--db", str(db_path), "search", "--json", "short notice"]).output)
    by_kind = {hit["kind"]: hit for hit in found}
    assert by_kind["action"]["item_id"] == ids["action"]
    assert by_kind["absence"]["place"] == "Health 1 (Health)"
    assert by_kind["key_learning"]["snippet"].count("[short]") == 1


def test_the_migration_indexes_what_was_written_before_it(db_path: Path) -> None:
    db = Database(db_path)
    migrations.apply(db, stop_before="m023_search_the_whole_record")
    earlier = Store.open(db_path, read_only=True)  # a window from before the upgrade searches
    try:
        assert earlier.search("anything") == []
    finally:
        earlier.close()
    db.close()
    with Store.open(db_path) as store:
        ids = held(store)
        for index in RECORD_INDEXES:  # empty the new indexes, as a file from before them is
            store.db.execute(f"INSERT INTO {index}({index}) VALUES ('delete-all')")
        store.db.execute("DELETE FROM _sqlite_migrations WHERE name = ?",
                         ["m023_search_the_whole_record"])
        for index in RECORD_INDEXES:
            store.db.execute(f"DROP TABLE {index}")
        for (trigger,) in store.db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND ("
            + " OR ".join(f"name LIKE '{index}%'" for index in RECORD_INDEXES) + ")"
        ).fetchall():
            store.db.execute(f'DROP TRIGGER "{trigger}"')
    with Store.open(db_path) as store:
        assert set(kinds(store, "short notice")) == {
            "note", "key_learning", "action", "feedback", "absence"}
        assert kinds(store, "rota")["action"] == ids["action"]


def test_a_merged_bundle_is_found_and_a_changed_one_followed(tmp_path: Path, store: Store) -> None:
    """Bundles merge rows with plain inserts and updates: the indexes follow both."""
    from appreciate_tui.exchange import bundle

    ids = held(store)
    exported = bundle.dumps(bundle.build(store, ids["conversation"]))
    with Store.open(tmp_path / "other.db") as other:
        bundle.import_bundle(other, bundle.loads(exported, other.bundle_schema()))
        assert set(kinds(other, "short notice")) == {
            "note", "key_learning", "action", "feedback", "absence"}
        store.update_action(ids["action"], description="Share the agenda a week before")
        changed = bundle.dumps(bundle.build(store, ids["conversation"]))
        bundle.import_bundle(other, bundle.loads(changed, other.bundle_schema()))
        assert kinds(other, "agenda") == {"action": ids["action"]}
        assert "action" not in kinds(other, "short notice")
        for index in RECORD_INDEXES:
            other.db.execute(f"INSERT INTO {index}({index}) VALUES ('integrity-check')")
