"""Insights figures checked against a small world built by hand, where every number can be
counted on fingers: stances, themes, actions, successes, voices, questions, outcomes, scores."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from appreciate_tui.insights import compute as insights
from appreciate_tui.cli import main
from appreciate_tui.domain import ActionStatus, Stance
from appreciate_tui.insights.outcomes import load_outcomes
from appreciate_tui.store import Store

TODAY = date(2025, 6, 1)


class Partnership:
    """Two conversations held, one planned, one in the bin."""

    def __init__(self, store: Store) -> None:
        self.store = s = store
        one = s.create_conversation("Front door", "Sharing information", date="2025-01-10",
                                    status="closed")
        two = s.create_conversation("Strategy meetings", "Who is heard?", date="2025-02-20",
                                    status="closed")
        s.create_conversation("Next time", "Joint visits", date="2025-03-05")
        binned = s.create_conversation("Binned", "Gone", date="2025-01-15", status="closed")
        self.one, self.two = one.id, two.id
        police = s.add_participant(one.id, "Police", attended=True)
        s.add_participant(one.id, "Health", attended=True)
        s.add_participant(one.id, "Education", attended=False)
        s.add_participant(two.id, "Police", attended=True)
        s.add_participant(two.id, "Health", attended=False)
        s.add_participant(two.id, "Children's social care", attended=True)
        q1 = s.add_question(one.id, "When did sharing go well?", "discover")
        q2 = s.add_question(one.id, "Rate how well we share, 0-10", "discover", scale=True)
        q3 = s.add_question(two.id, "When did sharing go well?", "discover")
        follow = s.add_follow_up(two.id, q3.id, "Who noticed it first?")
        s.set_worth_keeping(follow.id, True)
        for qid in (q1.id, q3.id, follow.id):
            s.set_question_status(qid, "asked")
        self.q1 = q1.id

        add = s.add_note
        self.starred_strength = add(one.id, q1.id, "Chronology shared early #handover",
                                    "strength", agency="Police", participant_id=police.id)
        add(one.id, q1.id, "Chronology helped the decision", "strength", agency="Health")
        add(one.id, q1.id, "Invitation came late", "concern", agency="Health")
        add(one.id, q1.id, "One shared chronology", "dream", agency="Police")
        add(one.id, q1.id, "Send the questions in advance", "idea")
        self.quote = add(one.id, q1.id, "He listened to every agency", "quote", agency="Police")
        add(two.id, q3.id, "Late invitation again #handover", "concern", agency="Police")
        add(two.id, follow.id, "The chair noticed", "strength", agency="Children's social care")
        gone = add(two.id, q3.id, "Deleted late late late", "concern")
        s.delete_note(gone.id)
        s.update_note(self.starred_strength.id, starred=True)
        s.update_note(self.quote.id, starred=True)
        hidden = s.add_question(binned.id, "Hidden?", "discover")
        add(binned.id, hidden.id, "Late in the bin", "concern")
        s.delete_conversation(binned.id)

        self.overdue = s.add_action(one.id, "Set up a rota", owner="Police 1", due="2025-02-01")
        s.add_action(two.id, "Write the guide", owner="Health", due="2025-12-01",
                     status=ActionStatus.IN_PROGRESS)
        s.add_action(two.id, "Book the room", owner="Practice lead", status=ActionStatus.DONE)

        people = s.list_participants(one.id)
        for person in people[:2]:
            s.set_feedback(one.id, participant_id=person.id, rating=5, useful_question_ids=[q1.id])
        s.set_feedback(two.id, agency="Police", useful_question_ids=[follow.id])

        s.record_score(one.id, q2.id, 7, agency="Police")
        s.record_score(one.id, q2.id, 5, agency="Health", comment="getting better")
        withdrawn, _ = s.record_score(one.id, q2.id, 0, agency="Health")
        s.delete_note(withdrawn.id)

        s.link_outcome("children-safe", "conversation", one.id)
        s.link_outcome("information-in-time", "note", self.starred_strength.id)
        s.link_outcome("information-in-time", "action", self.overdue.id)
        s.link_outcome("child-voice", "note", self.quote.id)
        s.link_outcome("child-voice", "note", self.quote.id, linked=False)


@pytest.fixture
def world(db_path: Path) -> Partnership:
    with Store.open(db_path) as store:
        yield Partnership(store)


def _found(world: Partnership, since: str | None = None) -> insights.Insights:
    return insights.compute(world.store, since=since, today=TODAY, areas=load_outcomes())


def test_stances_balance_and_time(world: Partnership) -> None:
    found = _found(world)
    assert found.conversations == 3 and found.notes == 10
    assert found.balance == {Stance.STRENGTH: 3, Stance.CONCERN: 2, Stance.DREAM: 1, Stance.IDEA: 1}
    assert found.stance_totals[Stance.QUOTE] == 1 and found.stance_totals[Stance.NOTE] == 2
    assert [(p.period, p.conversations, p.counts[Stance.CONCERN]) for p in found.by_period] == [
        ("2025-01", 1, 1), ("2025-02", 1, 1)]
    per = {c.title: c.total for c in found.by_conversation}
    assert per == {"Front door": 8, "Strategy meetings": 2, "Next time": 0}


def test_themes_and_drill_down(world: Partnership) -> None:
    found = _found(world)
    strengths = {t.term: t.notes for t in found.themes[Stance.STRENGTH]}
    assert strengths["chronology"] == 2 and "the" not in strengths
    concerns = {t.term: t.notes for t in found.themes[Stance.CONCERN]}
    # "Invitation came late", "Late invitation again": no phrase recurs, so the words do (not
    # the deleted note's or the binned one's).
    assert concerns == {"late": 2, "invitation": 2}
    assert [(t.term, t.notes) for t in found.tags[Stance.STRENGTH]] == [("#handover", 1)]
    assert [(t.term, t.notes) for t in found.tags[Stance.CONCERN]] == [("#handover", 1)]
    [late] = [t for t in found.themes[Stance.CONCERN] if t.term == "late"]
    notes = world.store.theme_notes(late.note_ids)
    assert [n["body"] for n in notes] == ["Late invitation again #handover", "Invitation came late"]
    [tag] = found.tags[Stance.STRENGTH]
    assert [n["body"] for n in world.store.theme_notes(tag.note_ids)] == [
        "Chronology shared early #handover"]
    # Since a date, only the notes of those conversations.
    later = _found(world, since="2025-02-01")
    assert later.themes[Stance.CONCERN] == []
    assert [(t.term, t.notes) for t in later.tags[Stance.CONCERN]] == [("#handover", 1)]
    assert later.conversations == 2 and later.notes == 2


def test_themes_follow_edits_deletions_and_restores(world: Partnership) -> None:
    store = world.store
    note = world.starred_strength
    store.update_note(note.id, body="Invitation was late", stance="concern")
    found = _found(world)
    assert "chronology" not in {t.term for t in found.themes[Stance.STRENGTH]}
    assert {t.term: t.notes for t in found.themes[Stance.CONCERN]}["late"] == 3
    store.delete_note(note.id)
    assert {t.term: t.notes for t in _found(world).themes[Stance.CONCERN]}["late"] == 2
    store.restore_note(note.id)
    assert {t.term: t.notes for t in _found(world).themes[Stance.CONCERN]}["late"] == 3


def test_actions_overdue_by_agency_and_progress(world: Partnership) -> None:
    found = _found(world)
    assert [(a.description, a.overdue, a.owner_agency) for a in found.actions] == [
        ("Set up a rota", True, "Police"),  # Police 1 is a participant from Police
        ("Write the guide", False, "Health"),  # an agency named as owner
    ]
    assert found.overdue == 1
    by_agency = {a.agency: (a.open, a.overdue, a.done) for a in found.actions_by_agency}
    assert by_agency == {"Police": (1, 1, 0), "Health": (1, 0, 0), "Not an agency": (0, 0, 1)}
    world.store.update_action(world.overdue.id, status="done")
    assert _found(world).overdue == 0


def test_successes_voices_and_questions(world: Partnership) -> None:
    found = _found(world)
    assert [s.body for s in found.successes] == [
        "He listened to every agency", "Chronology shared early #handover"]
    voices = {v.agency: v for v in found.voices}
    assert (voices["Police"].conversations_attended, voices["Police"].conversations_invited) == (2, 2)
    assert voices["Police"].notes == 5 and voices["Health"].notes == 3  # scores are notes too
    assert voices["Education"].missing and voices["Education"].conversations_invited == 1
    assert not voices["Health"].missing  # at one of two: half is not fewer than half
    assert found.missing_agencies == ["Education"]
    bank = found.questions[0]
    assert (bank.text, bank.asked, bank.useful, bank.notes) == (
        "When did sharing go well?", 2, 2, 7)
    assert [(q.text, q.useful, q.worth_keeping) for q in found.follow_ups] == [
        ("Who noticed it first?", 1, True)]


def test_outcomes_and_scores(world: Partnership) -> None:
    found = _found(world)
    areas = {a.area: a for a in found.outcomes}
    assert (areas["children-safe"].conversations, areas["children-safe"].notes) == (1, 0)
    info = areas["information-in-time"]
    assert (info.notes, info.strengths, info.actions_open) == (1, 1, 1)
    assert areas["child-voice"].notes == 0  # unlinked again
    assert world.store.outcome_areas_of("note", world.quote.id) == set()
    assert [(s.conversation_title, s.values, s.mean) for s in found.scores] == [
        ("Front door", (5, 7), 6.0)]  # the withdrawn 0 is not counted; low to high
    assert found.scores[0].distribution[7] == 1 and found.scores[0].distribution[0] == 0
    assert [s.value for s in world.store.list_scores(world.one)] == [7, 5]
    with pytest.raises(ValueError):
        world.store.record_score(world.one, world.q1, 11)


def test_the_command_prints_and_emits_json(world: Partnership, db_path: Path) -> None:
    world.store.close()
    runner = CliRunner()
    text = runner.invoke(main, ["--db", str(db_path), "insights"])
    assert text.exit_code == 0, text.output + text.stderr
    assert "Insights: 3 conversations, 10 notes (all time)" in text.output
    assert "Education" in text.output and "missing" in text.output
    data = json.loads(runner.invoke(main, ["--db", str(db_path), "insights", "--json",
                                           "--since", "2025-02-01"]).output)
    assert data["since"] == "2025-02-01" and data["conversations"] == 2
    assert data["balance"] == {"strength": 1, "concern": 1, "dream": 0, "idea": 0}
    bad = runner.invoke(main, ["--db", str(db_path), "insights", "--since", "last week"])
    assert bad.exit_code == 1 and "YYYY-MM-DD" in bad.stderr
    areas = runner.invoke(main, ["outcomes"])
    assert "children-safe" in areas.output and "Children are safe from harm" in areas.output
