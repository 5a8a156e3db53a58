"""Feedback per question: each participant's (or agency's) score from 1 to 5 for each question,
kept with their feedback (`feedback.question_scores`), refused when it is not a score whoever
writes it, travelling in bundles and merges as part of the feedback, erased with it, kept when the
file is encrypted; and the "most useful" ticks given before still read."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import appreciate_tui.domain as domain
from appreciate_tui.cli import main
from appreciate_tui.domain import Phase
from appreciate_tui.exchange import bundle as bundles
from appreciate_tui.exchange.bundle import BundleError
from appreciate_tui.store import Store, rows
from tests.partnership.partnership_world import Clock, Laptop


def plan(store: Store) -> tuple[str, list[str], dict[str, str]]:
    """A conversation with three questions and two participants: (id, questions, people)."""
    cid = store.create_conversation("Strategy meetings", "Is MASH working well?",
                                    date="2026-03-12").id
    questions = [store.add_question(cid, text, Phase.DISCOVER).id
                 for text in ("What works?", "What would help?", "What next?")]
    people = {agency: store.add_participant(cid, agency, attended=True).id
              for agency in ("Police", "Health")}
    return cid, questions, people


def stored(store: Store, feedback_id: str) -> dict[str, int]:
    row = next(store.db.query("SELECT question_scores FROM feedback WHERE id = ?", [feedback_id]))
    return json.loads(row["question_scores"])


# ------------------------------------------------------------------ the store


def test_scores_are_kept_replaced_and_kept_when_not_given(store: Store) -> None:
    cid, (q1, q2, q3), people = plan(store)
    given = store.set_feedback(cid, participant_id=people["Police"], rating=4,
                               question_scores={q2: 5, q1: 3})
    assert given.question_scores == {q1: 3, q2: 5}
    assert stored(store, given.id) == {q1: 3, q2: 5}
    # Given again, the scores replace the old ones; a question left out has no score.
    again = store.set_feedback(cid, participant_id=people["Police"], question_scores={q3: 1})
    assert again.id == given.id and again.question_scores == {q3: 1}
    # Not given at all (None): the scores stay as they were.
    kept = store.set_feedback(cid, participant_id=people["Police"], rating=2)
    assert kept.question_scores == {q3: 1} and kept.rating == 2
    # From an agency, not a participant.
    agency = store.set_feedback(cid, agency="Education", question_scores={q1: 4})
    assert agency.from_agency and agency.question_scores == {q1: 4}
    assert not kept.from_agency


def test_the_same_scores_are_stored_the_same_way_whatever_order_they_came_in(
    store: Store,
) -> None:
    """Two laptops entering the same scores write the same row version (merge digests)."""
    cid, (q1, q2, q3), people = plan(store)
    one = store.set_feedback(cid, participant_id=people["Police"], question_scores={q3: 2, q1: 5})
    other = store.set_feedback(cid, participant_id=people["Health"],
                               question_scores={q1: 5, q3: 2})
    text = {row["id"]: row["question_scores"] for row in store.db.query(
        "SELECT id, question_scores FROM feedback")}
    assert text[one.id] == text[other.id]


@pytest.mark.parametrize("score", [0, 6, -1, 10, "4", "a", 3.5, True, None, "٣"])
def test_a_score_that_is_not_1_to_5_is_refused_and_nothing_changes(
    store: Store, score: object
) -> None:
    cid, (q1, _, _), people = plan(store)
    first = store.set_feedback(cid, participant_id=people["Police"], question_scores={q1: 4})
    with pytest.raises(ValueError, match="from 1 to 5"):
        store.set_feedback(cid, participant_id=people["Police"],
                           question_scores={q1: score})  # type: ignore[dict-item]
    with pytest.raises(ValueError, match="from 1 to 5"):
        store.add_feedback(cid, agency="Police", question_scores={q1: score})  # type: ignore[dict-item]
    assert store.get_feedback(first.id).question_scores == {q1: 4}
    assert len(store.list_feedback(cid)) == 1


@pytest.mark.parametrize("value", ['{"q": 6}', '{"q": 0}', '{"q": "5"}', '{"q": 4.5}', "[3]",
                                   "7", "not json"])
def test_the_database_refuses_a_bad_value_whoever_writes_it(db_path: Path, value: str) -> None:
    """Another program writing the file directly (sqlite3, Datasette) cannot store a bad score."""
    with Store.open(db_path) as store:
        cid, _, _ = plan(store)
        fid = store.add_feedback(cid, agency="Police").id
    conn = sqlite3.connect(db_path)
    try:
        with pytest.raises(sqlite3.DatabaseError):
            conn.execute("UPDATE feedback SET question_scores = ? WHERE id = ?", [value, fid])
        with pytest.raises(sqlite3.DatabaseError):
            conn.execute(
                "INSERT INTO feedback (id, conversation_id, question_scores, created_at, "
                "updated_at) VALUES ('x', ?, ?, '2026-03-12T10:00:00+00:00', "
                "'2026-03-12T10:00:00+00:00')", [cid, value])
    finally:
        conn.close()


def test_a_score_for_a_question_of_another_conversation_is_left_out(store: Store) -> None:
    cid, (q1, _, _), people = plan(store)
    other, (elsewhere, _, _), _ = plan(store)
    given = store.set_feedback(cid, participant_id=people["Police"],
                               question_scores={q1: 4, elsewhere: 5, "no-such-question": 2})
    assert given.question_scores == {q1: 4}


def test_taking_a_question_out_of_the_plan_takes_its_scores_too(store: Store) -> None:
    cid, (q1, q2, _), people = plan(store)
    given = store.set_feedback(cid, participant_id=people["Police"],
                               useful_question_ids=[q2], question_scores={q1: 4, q2: 5})
    store.delete_question(q2)
    after = store.get_feedback(given.id)
    assert after.question_scores == {q1: 4} and after.useful_question_ids == ()


def test_most_useful_ticks_given_before_scores_still_read(store: Store) -> None:
    """Feedback from before the scores (only ticks) reads as before, with no scores."""
    cid, (q1, q2, _), people = plan(store)
    given = store.set_feedback(cid, participant_id=people["Police"], useful_question_ids=[q2, q1])
    assert given.useful_question_ids == (q2, q1) and given.question_scores == {}
    assert stored(store, given.id) == {}


def test_check_names_an_unreadable_value_as_feedbacks_scores(db_path: Path) -> None:
    """Written with the checks set aside (the triggers dropped), a damaged value reads as no
    scores, and `appreciate check` names it in the app's words."""
    with Store.open(db_path) as store:
        cid, _, _ = plan(store)
        store.add_feedback(cid, agency="Police")
    conn = sqlite3.connect(db_path)
    conn.execute("DROP TRIGGER feedback_question_scores_bu")
    conn.execute("""UPDATE feedback SET question_scores = '{"q": 9}'""")
    conn.commit()
    conn.close()
    with Store.open(db_path) as store:
        assert store.list_feedback(cid)[0].question_scores == {}
    result = CliRunner().invoke(main, ["--db", str(db_path), "check"])
    assert result.exit_code == 1
    assert rows.JSON_COLUMNS[("feedback", "question_scores")] in result.stdout


# ------------------------------------------------------------------ bundles and merging


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(domain, "now", clock)
    return clock


@pytest.fixture
def laptops(tmp_path: Path, clock: Clock) -> Iterator[tuple[Laptop, Laptop]]:
    made = (Laptop(tmp_path, "anna"), Laptop(tmp_path, "ben"))
    yield made
    for laptop in made:
        laptop.close()


def test_scores_travel_in_a_bundle_and_importing_again_changes_nothing(laptops, clock) -> None:
    anna, ben = laptops
    cid, (q1, q2, _), people = plan(anna.store)
    given = anna.store.set_feedback(cid, participant_id=people["Police"],
                                    question_scores={q1: 5, q2: 3})
    anna.store.set_feedback(cid, agency="Education", question_scores={q2: 4})
    sent = anna.export(cid)
    assert {row["id"]: json.loads(row["question_scores"]) for row in sent["tables"]["feedback"]}[
        given.id] == {q1: 5, q2: 3}
    ben.merge(sent)
    assert {f.id: dict(f.question_scores) for f in ben.store.list_feedback(cid)} == {
        f.id: dict(f.question_scores) for f in anna.store.list_feedback(cid)}
    again = ben.merge(sent)[0]
    assert again["feedback"].added == again["feedback"].updated == 0


def test_a_score_changed_or_cleared_on_one_laptop_travels_to_the_other(laptops, clock) -> None:
    """A cleared score is a change of the feedback row, so it travels (a merge never carries a
    deletion: a score kept as a row of its own would come back)."""
    anna, ben = laptops
    cid, (q1, q2, _), people = plan(anna.store)
    anna.store.set_feedback(cid, participant_id=people["Police"], question_scores={q1: 5, q2: 3})
    ben.merge(anna.export(cid))
    clock.tick(minutes=5)
    ben.store.set_feedback(cid, participant_id=people["Police"], question_scores={q1: 4})
    anna.merge(ben.export(cid))
    assert anna.store.list_feedback(cid)[0].question_scores == {q1: 4}


def test_scores_changed_on_both_laptops_are_one_conflict_the_newer_wins(laptops, clock) -> None:
    anna, ben = laptops
    cid, (q1, _, _), people = plan(anna.store)
    anna.store.set_feedback(cid, participant_id=people["Police"], question_scores={q1: 5})
    ben.merge(anna.export(cid))
    clock.tick(minutes=1)
    anna.store.set_feedback(cid, participant_id=people["Police"], question_scores={q1: 2})
    clock.tick(minutes=1)
    ben.store.set_feedback(cid, participant_id=people["Police"], question_scores={q1: 4})
    merged = anna.merge(ben.export(cid))[0]["feedback"]
    assert [c.fields for c in merged.conflicts] == [("question_scores",)]
    assert anna.store.list_feedback(cid)[0].question_scores == {q1: 4}


@pytest.mark.parametrize("value", ['{"q": 6}', '{"q": "5"}', "[1, 2]", "{", '{"q": true}'])
def test_a_bundle_with_a_bad_score_is_refused_naming_the_row(
    laptops, clock, value: str
) -> None:
    anna, ben = laptops
    cid, (q1, _, _), people = plan(anna.store)
    anna.store.set_feedback(cid, participant_id=people["Police"], question_scores={q1: 5})
    data = anna.export(cid)
    data["tables"]["feedback"][0]["question_scores"] = value
    with pytest.raises(BundleError, match="question_scores"):
        bundles.loads(bundles.dumps(data), ben.store.bundle_schema(), "sent.json")
    assert ben.store.list_conversations(include_deleted=True) == []


def test_a_bundle_from_before_the_scores_reads_as_having_none(laptops, clock) -> None:
    anna, ben = laptops
    cid, _, people = plan(anna.store)
    anna.store.set_feedback(cid, participant_id=people["Police"], rating=4)
    data = anna.export(cid)
    for row in data["tables"]["feedback"]:
        del row["question_scores"]
    ben.merge(data)
    assert ben.store.list_feedback(cid)[0].question_scores == {}


# ------------------------------------------------------------------ erasure and encryption


def test_erasing_a_person_leaves_no_name_and_the_scores_as_they_were(store: Store) -> None:
    cid, (q1, _, _), _ = plan(store)
    jo = store.add_participant(cid, "Police", name="Jo Bloggs", attended=True)
    store.set_feedback(cid, participant_id=jo.id, question_scores={q1: 5},
                       comments="Jo Bloggs found it useful")
    store.erase_person("Jo Bloggs")
    [after] = store.list_feedback(cid)
    assert "Jo Bloggs" not in after.comments and after.question_scores == {q1: 5}


def test_erasing_the_conversation_erases_its_scores(store: Store) -> None:
    cid, (q1, _, _), people = plan(store)
    store.set_feedback(cid, participant_id=people["Police"], question_scores={q1: 5})
    store.erase_conversation(cid)
    assert list(store.db.query("SELECT * FROM feedback")) == []


def test_scores_and_their_check_survive_encrypting_the_file(db_path: Path) -> None:
    from appreciate_tui.store import cipher, encryption
    from tests.trust.helpers import PASSPHRASE

    if not cipher.available():
        pytest.skip("needs the encryption extra")
    with Store.open(db_path) as store:
        cid, (q1, _, _), people = plan(store)
        given = store.set_feedback(cid, participant_id=people["Police"], question_scores={q1: 3})
    encryption.encrypt(db_path, PASSPHRASE)
    with Store.open(db_path, passphrase=PASSPHRASE) as store:
        assert store.get_feedback(given.id).question_scores == {q1: 3}
        with pytest.raises(Exception, match="from 1 to 5"):
            store.db.execute("UPDATE feedback SET question_scores = '{\"q\": 6}'")
