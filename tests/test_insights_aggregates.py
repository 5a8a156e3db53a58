"""Insights read aggregates the way that keeps them quick on a regional repository (questions along
the `questions_wording` index, schema m018; open actions in full and the rest counted; the
stances per conversation as one row each; text decoded by SQLite): every figure is the one a
from-scratch count of every row gives, for all time and since a date, and `--json` prints the
very text the json module makes."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from appreciate_tui.insights import compute as insights
from appreciate_tui.cli import main
from appreciate_tui.cli.common import json_text as _json_text
from appreciate_tui.domain import DEFAULT_AGENCIES, ActionStatus, Stance
from appreciate_tui.store import Store
from appreciate_tui.store import insights as store_insights
from appreciate_tui.text import safe_json

TODAY = date(2025, 6, 1)
SINCES = (None, "2025-02-01", "2025-03-02", "2026-01-01")
LIVE = "c.deleted_at IS NULL AND (:since IS NULL OR c.date >= :since)"


def partnership(store: Store) -> dict[str, str]:
    s = store
    one = s.create_conversation("Front door", "Sharing", date="2025-01-10", status="closed")
    two = s.create_conversation("Strategy", "Heard?", date="2025-03-02", status="closed")
    # Same date as `two`: the latest of a wording is then the question with the greater id.
    same_day = s.create_conversation("Same day", "Heard?", date="2025-03-02", status="closed")
    planned = s.create_conversation("Planned", "Next", date="2025-04-01")
    binned = s.create_conversation("Binned", "Gone", date="2025-05-15", status="closed")
    s.add_participant(one.id, "Police", pseudonym="Police 1", attended=True)
    s.add_participant(one.id, "Police", pseudonym="Police 2", attended=False)
    s.add_participant(one.id, "Health", name="Jo Bloggs", attended=False)
    s.add_participant(two.id, "Health", pseudonym="Health 1", attended=True)
    s.add_participant(two.id, "Education", pseudonym="Police 1", attended=True)
    s.add_participant(planned.id, "Housing", attended=False)
    s.add_participant(binned.id, "Probation", attended=True)
    # A wording asked only in the oldest conversation, one in all, one also in the bin.
    oldest = s.add_question(one.id, "What worked first?", "discover")
    q1 = s.add_question(one.id, "When did sharing go well?", "discover")
    q1b = s.add_question(one.id, "when did  sharing go WELL?", "discover")
    q2 = s.add_question(two.id, "When did sharing go well?", "dream")
    q3 = s.add_question(same_day.id, "When did sharing go well?", "design")
    pending = s.add_question(same_day.id, "Never asked?", "deliver")
    follow = s.add_follow_up(two.id, q2.id, "Who noticed it first?")
    s.set_worth_keeping(follow.id, True)
    hidden = s.add_question(binned.id, "When did sharing go well?", "discover")
    only_binned = s.add_question(binned.id, "Only in the bin?", "discover")
    for qid in (oldest.id, q1.id, q1b.id, q2.id, q3.id, follow.id, hidden.id, only_binned.id):
        s.set_question_status(qid, "asked")
    s.set_question_status(pending.id, "skipped")
    for n in range(3):
        s.add_note(one.id, q1.id, f"Chronology shared early {n} #handover", "strength",
                   agency="Police")
    s.add_note(one.id, oldest.id, "A_b joined up_ working", "idea", agency="Health")
    s.add_note(one.id, q1b.id, "Invitation came late", "concern", agency="Health")
    s.add_note(two.id, q2.id, "Late invitation again #handover", "concern", agency="Police")
    s.add_note(two.id, follow.id, "The chair noticed", "strength")
    s.add_note(same_day.id, q3.id, "Dream of one front door", "dream", agency="Education")
    gone = s.add_note(two.id, q2.id, "Deleted late late", "concern")
    s.delete_note(gone.id)
    s.add_note(binned.id, hidden.id, "Late in the bin #handover", "concern", agency="Police")
    s.add_note(binned.id, only_binned.id, "Naïve café _under_ score", "action")
    s.set_feedback(two.id, agency="Police", useful_question_ids=[follow.id, q2.id])
    s.set_feedback(one.id, agency="Health", useful_question_ids=[q1.id, q1b.id, oldest.id])
    s.set_feedback(binned.id, agency="Health", useful_question_ids=[hidden.id])
    # Actions of every status, two due at the same moment, an agency whose only action was
    # dropped, owners matched by pseudonym, by name, by agency, or not at all.
    for owner, due, status in (
        ("Police 1", "2025-05-01", ActionStatus.OPEN),
        ("jo bloggs", "2025-05-01", ActionStatus.IN_PROGRESS),
        ("Housing", "2025-07-01", ActionStatus.OPEN),
        ("", None, ActionStatus.OPEN),
        ("The chair", "2025-05-20", ActionStatus.DONE),
        ("Police 2", None, ActionStatus.DONE),
        ("children's social care", None, ActionStatus.DROPPED),
    ):
        s.add_action(one.id, f"Do {owner or 'it'}", owner=owner, due=due, status=status)
    for owner, status in (("Police 1", ActionStatus.OPEN), ("Health 1", ActionStatus.DONE)):
        s.add_action(two.id, f"Then {owner}", owner=owner, due="2025-05-01", status=status)
    s.add_action(binned.id, "Hidden", owner="Probation", status=ActionStatus.OPEN)
    s.delete_conversation(binned.id)
    return {"one": one.id, "two": two.id, "binned": binned.id, "q2": q2.id}


def scratch_questions(store: Store, since: str | None) -> list[dict]:
    """Questions grouped by kind and wording, counted from every note, as insights long did."""
    return [
        dict(row)
        for row in store.db.query(
            "WITH useful AS (SELECT j.value AS question_id, count(*) AS votes "
            "  FROM feedback f, json_each(f.useful_question_ids) j GROUP BY j.value), "
            "noted AS (SELECT question_id, count(*) AS notes FROM notes WHERE deleted_at IS NULL "
            "  GROUP BY question_id) "
            "SELECT q.kind, q.text, "
            "count(DISTINCT CASE WHEN q.status = 'asked' THEN q.conversation_id END) AS asked, "
            "sum(coalesce(noted.notes, 0)) AS notes, sum(coalesce(useful.votes, 0)) AS useful, "
            "sum(q.worth_keeping != 0) > 0 AS worth_keeping, "
            "max(c.date || char(1) || q.id) AS latest, q.id, q.phase, c.bank_id, "
            "c.date AS conversation_date "
            "FROM questions q JOIN conversations c ON c.id = q.conversation_id "
            "LEFT JOIN noted ON noted.question_id = q.id "
            "LEFT JOIN useful ON useful.question_id = q.id "
            f"WHERE {LIVE} GROUP BY q.kind, q.text ORDER BY q.kind, q.text",
            {"since": since},
        )
    ]


def scratch_actions(store: Store, since: str | None) -> tuple[list, list]:
    """Every action read in full, the open ones kept and all of them counted by agency."""
    rows = list(store.db.query(
        "SELECT a.id, a.conversation_id, c.title, a.description, a.owner, a.due, a.status, "
        "(SELECT p.agency FROM participants p WHERE p.conversation_id = a.conversation_id "
        " AND a.owner != '' AND (lower(p.pseudonym) = lower(a.owner) "
        " OR lower(p.name) = lower(a.owner)) LIMIT 1) AS agency "
        f"FROM actions a JOIN conversations c ON c.id = a.conversation_id WHERE {LIVE} "
        "ORDER BY a.due IS NULL, a.due, a.created_at, a.rowid",
        {"since": since},
    ))
    live, counts = [], {}
    for row in rows:
        agency = insights.owner_agency(row["owner"], row["agency"], DEFAULT_AGENCIES)
        counted = counts.setdefault(agency, [0, 0, 0])
        overdue = row["due"] is not None and row["due"] < TODAY.isoformat()
        if row["status"] in ("open", "in_progress"):
            live.append((row["id"], row["conversation_id"], row["title"], row["description"],
                         row["owner"], agency, row["due"], row["status"], overdue))
            counted[0] += 1
            counted[1] += overdue
        elif row["status"] == "done":
            counted[2] += 1
    by_agency = sorted(((a, *n) for a, n in counts.items()), key=lambda a: (-a[1], a[0]))
    return live, by_agency


def scratch_attendance(store: Store, since: str | None) -> list[dict]:
    return [dict(row) for row in store.db.query(
        "SELECT p.agency, sum(p.invited) AS invited, sum(p.attended) AS attended, "
        "count(DISTINCT p.conversation_id) AS conversations_invited, "
        "count(DISTINCT CASE WHEN p.attended THEN p.conversation_id END) "
        "AS conversations_attended "
        f"FROM participants p JOIN conversations c ON c.id = p.conversation_id WHERE {LIVE} "
        "AND c.status != 'planned' GROUP BY p.agency ORDER BY p.agency",
        {"since": since},
    )]


def scratch_stances(store: Store, since: str | None) -> list[tuple]:
    """(id, {stance: notes}) per conversation, oldest first, counted from the notes."""
    found = []
    for cid, in store.db.execute(
        f"SELECT c.id FROM conversations c WHERE {LIVE} ORDER BY c.date, c.created_at",
        {"since": since},
    ).fetchall():
        counts = dict(store.db.execute(
            "SELECT stance, count(*) FROM notes WHERE conversation_id = ? AND deleted_at IS NULL "
            "GROUP BY stance ORDER BY stance", [cid]).fetchall())
        found.append((cid, {Stance(s): n for s, n in counts.items()}))
    return found


def assert_as_counted_from_scratch(store: Store) -> None:
    for since in SINCES:
        wanted = [
            {k: v for k, v in row.items() if k != "latest"}
            for row in scratch_questions(store, since)
        ]
        assert store_insights.questions(store.db, since) == wanted
        assert store_insights.attendance(store.db, since) == scratch_attendance(store, since)
        found = insights.compute(store, since=since, today=TODAY)
        live, by_agency = scratch_actions(store, since)
        assert [
            (a.id, a.conversation_id, a.conversation_title, a.description, a.owner,
             a.owner_agency, a.due, a.status.value, a.overdue)
            for a in found.actions
        ] == live
        assert [
            (a.agency, a.open, a.overdue, a.done) for a in found.actions_by_agency
        ] == by_agency
        stances = scratch_stances(store, since)
        assert [(c.id, c.counts) for c in found.by_conversation] == stances
        for stance in Stance:
            assert found.stance_totals[stance] == sum(c.get(stance, 0) for _, c in stances)


def test_insights_are_the_figures_counted_from_every_row(db_path: Path) -> None:
    with Store.open(db_path) as store:
        made = partnership(store)
        assert_as_counted_from_scratch(store)
        found = insights.compute(store, today=TODAY)
        [question] = [q for q in found.questions if q.text.casefold().startswith("when")]
        # Asked in three live conversations (twice, worded alike, in one), the newest with the
        # greater id on the newest date.
        assert question.asked == 3
        latest = max(
            store.db.execute(
                "SELECT id FROM questions WHERE text = 'When did sharing go well?' AND "
                "conversation_id IN (SELECT id FROM conversations WHERE date = '2025-03-02')"
            ).fetchall()
        )[0]
        assert question.question_id == latest
        assert [a.agency for a in found.actions_by_agency if (a.open, a.done) == (0, 0)] == [
            "Children's social care"
        ]
        # Edits, restores and erasures change the figures as they change a count from scratch.
        store.restore_conversation(made["binned"])
        assert_as_counted_from_scratch(store)
        store.update_question(made["q2"], text="Who is heard?")
        store.delete_conversation(made["one"])
        assert_as_counted_from_scratch(store)
        store.erase_conversation(made["binned"])
        assert_as_counted_from_scratch(store)


def test_the_questions_are_counted_along_the_wording_index(db_path: Path) -> None:
    with Store.open(db_path) as store:
        partnership(store)
        plan = " ".join(
            row[3] for row in store.db.execute(
                "EXPLAIN QUERY PLAN SELECT q.kind, q.text, count(*) FROM questions q "
                "WHERE +q.conversation_id IN (SELECT id FROM conversations) "
                "GROUP BY q.kind, q.text"
            ).fetchall()
        )
        assert "COVERING INDEX questions_wording" in plan
        assert "TEMP B-TREE FOR GROUP BY" not in plan
        wanted = {since: store_insights.questions(store.db, since) for since in SINCES}
        # A file last written before the index (opened read-only, not updated) gives the same.
        store.db.execute("DROP INDEX questions_wording")
        assert {since: store_insights.questions(store.db, since) for since in SINCES} == wanted


def test_text_that_is_not_utf8_is_shown_with_replacement_marks(db_path: Path) -> None:
    with Store.open(db_path) as store:
        made = partnership(store)
        store.db.execute(
            "UPDATE conversations SET title = CAST(x'4672c36e7420ff646f6f72' AS TEXT) "
            "WHERE id = ?", [made["two"]]
        )
        found = insights.compute(store, today=TODAY)
        [two] = [c for c in found.by_conversation if c.id == made["two"]]
        assert two.title == bytes.fromhex("4672c36e7420ff646f6f72").decode("utf-8", "replace")
        assert two.title == "Fr\ufffdnt \ufffddoor"
        # The connection decodes with replacement marks again afterwards.
        assert store.db.conn.text_factory is not str


def test_json_text_is_what_the_json_module_makes() -> None:
    values = [
        {}, [], (), "x", 3, 2.5, None, True, False, {"a": []}, {"a": {}}, [[], [{}]],
        {"b": [1, -0.0, 1e300, 10**30, "\u2028\"\\\x00\x7f\u202e", None, False]},
        {"nested": {"deeper": [{"x": (1, 2)}]}}, [float("nan"), float("inf")], {1: "int key"},
        [Stance.IDEA],
    ]
    for value in values:
        try:
            wanted = json.dumps(value, ensure_ascii=False, indent=2)
        except TypeError:
            continue
        assert _json_text(value) == wanted, value


def test_insights_json_prints_what_emit_json_prints(db_path: Path) -> None:
    from appreciate_tui.insights.outcomes import load_outcomes_or_default

    with Store.open(db_path) as store:
        partnership(store)
        data = insights.as_json(insights.compute(store, areas=load_outcomes_or_default()[0]))
    result = CliRunner().invoke(main, ["--db", str(db_path), "insights", "--json"])
    assert result.exit_code == 0, result.output
    text = json.dumps(data, ensure_ascii=False, indent=2)
    assert result.output == safe_json(text) + "\n"


def test_each_conversation_in_json_is_its_dataclass_in_full(db_path: Path) -> None:
    from dataclasses import asdict

    with Store.open(db_path) as store:
        partnership(store)
        found = insights.compute(store, today=TODAY)
    shown = insights.as_json(found)["by_conversation"]
    assert shown == [
        {**asdict(item), "counts": {str(s): n for s, n in item.counts.items()}, "total": item.total}
        for item in found.by_conversation
    ]
    assert [list(item) for item in shown] == [
        ["id", "title", "date", "status", "counts", "total"] for _ in shown
    ]
