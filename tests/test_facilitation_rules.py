"""The facilitation screen's rules, without a screen: a typed line read by the quick-note grammar
and saved by `Store.commit_note` as the note line saves it, round the room, the clocks around a
pause, and what an undo says it took back. The facilitation screen's own tests
(tests/tui/test_facilitate*.py) keep one run of each key path, to prove the screen wires these up.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from appreciate_tui import domain
from appreciate_tui.domain import Note, Pause, Phase, Stance
from appreciate_tui.store import Store
from appreciate_tui.tui.screens.facilitate_notes import undo_words
from appreciate_tui.tui.state.live import LiveConversation
from appreciate_tui.tui.widgets.timers import Clocks, clock_line
from tests.conftest import FrozenClock
from tests.tui.facilitate_data import make_conversation

pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture
def cid(store: Store) -> str:
    return make_conversation(store)


def load(store: Store, cid: str) -> LiveConversation:
    return LiveConversation.of(
        store.get_conversation(cid),
        store.list_questions(cid),
        store.list_notes(cid),
        store.list_participants(cid),
        store.agencies(),
    )


def first_question(store: Store, cid: str) -> str:
    return store.list_questions(cid)[0].id


def type_note(store: Store, cid: str, question_id: str, line: str) -> Note:
    """What Enter on the note line does with `line`: clean it, read it, then save it and clear
    its draft (`Store.commit_note`)."""
    live = load(store, cid)
    store.save_draft(cid, "note", line)
    typed = store.commit_note(
        cid, question_id, line, participants=live.participants, agencies=live.agencies, draft="note"
    )
    assert typed.note is not None, f"nothing saved from {line!r}"
    return typed.note


# ---------------------------------------------------------------- a typed line becomes a note


@pytest.mark.parametrize(
    ("line", "stance", "body"),
    [
        ("+ strategy calls start on time", "strength", "strategy calls start on time"),
        ("- health not invited", "concern", "health not invited"),
        ("~ one shared chronology", "dream", "one shared chronology"),
        ("> a rota for health", "idea", "a rota for health"),
        ("! write to the ICB", "action", "write to the ICB"),
        ('"we finally talk"', "quote", "we finally talk"),
        ("room too small", "note", "room too small"),
    ],
)
def test_a_note_of_each_stance_is_saved_and_its_draft_cleared(
    store: Store, cid: str, line: str, stance: str, body: str
) -> None:
    question = first_question(store, cid)
    note = type_note(store, cid, question, line)
    [saved] = store.list_notes(cid)
    assert (saved.id, saved.stance.value, saved.body) == (note.id, stance, body)
    assert saved.question_id == question
    assert store.get_draft(cid, "note") == ""


def test_notes_are_attributed_by_tags(store: Store, cid: str) -> None:
    people = {p.pseudonym: p.id for p in store.list_participants(cid)}
    question = first_question(store, cid)
    for line in (
        "+ good info sharing #police",  # the only police officer here
        "- #health1 was not told",
        "- #health were not told",  # two people here from Health
        "> tag them #csc",
        "better than #lastyear",
    ):
        type_note(store, cid, question, line)
    assert [(n.body, n.agency, n.participant_id) for n in store.list_notes(cid)] == [
        ("good info sharing", "Police", people["Police 1"]),
        ("was not told", "Health", people["Health 1"]),
        ("were not told", "Health", None),
        ("tag them", "Children's social care", people["Social care 1"]),
        ("better than #lastyear", None, None),
    ]


def test_a_parked_line_is_saved_parked_and_waits_in_the_lot(store: Store, cid: str) -> None:
    line = "? what happens to the GP letters #health"
    note = type_note(store, cid, first_question(store, cid), line)
    assert (note.parked, note.follow_up_id) == (True, None)
    assert note.body == "what happens to the GP letters"
    assert [n.id for n in load(store, cid).waiting()] == [note.id]


def test_a_scored_line_records_the_score(store: Store, cid: str) -> None:
    note = type_note(store, cid, first_question(store, cid), "=7 #police good start")
    assert note.body == "Scored 7/10: good start"
    assert [s.value for s in store.list_scores(cid)] == [7]
    assert store.get_draft(cid, "note") == ""


def test_notes_can_still_be_written_while_paused(store: Store, cid: str) -> None:
    store.start_conversation(cid)
    store.pause_conversation(cid)
    line = "- nobody had the chronology before the break"
    type_note(store, cid, first_question(store, cid), line)
    assert [n.body for n in store.list_notes(cid)] == ["nobody had the chronology before the break"]
    assert store.list_pauses(cid)[-1].resumed_at is None, "writing a note does not resume"


def test_a_follow_up_is_numbered_from_the_question_it_follows(store: Store, cid: str) -> None:
    first = first_question(store, cid)
    follow_up = store.add_follow_up(cid, first, "What made health able to come?")
    note = type_note(store, cid, follow_up.id, "+ the rota #health")
    live = load(store, cid)
    assert follow_up.parent_id == first and note.question_id == follow_up.id
    assert live.place(live.questions[follow_up.id]) == "follow-up to question 1"
    assert live.step(follow_up.id, -1) == first, "back from a follow-up is the question it follows"


# ---------------------------------------------------------------- round the room


def test_round_the_room_invites_each_agency_yet_to_speak_in_turn(store: Store, cid: str) -> None:
    question = first_question(store, cid)
    type_note(store, cid, question, "+ calls start on time #health")
    live = load(store, cid)
    assert live.agencies_here() == ["Children's social care", "Health", "Police"]
    assert live.yet_to_speak(question) == ["Children's social care", "Police"]
    assert live.next_to_invite(question, None) == "Children's social care"
    assert live.next_to_invite(question, "Children's social care") == "Police"  # Health passed over
    assert live.next_to_invite(question, "Police") == "Children's social care"  # and round again

    type_note(store, cid, question, "the duty manager chairs #csc")
    live = load(store, cid)
    assert live.yet_to_speak(question) == ["Police"]
    assert live.next_to_invite(question, "Children's social care") == "Police"
    type_note(store, cid, question, "> a named deputy #police")
    live = load(store, cid)
    assert live.yet_to_speak(question) == []
    assert live.next_to_invite(question, "Police") is None, "every agency here has spoken"


def test_each_question_has_its_own_round(store: Store, cid: str) -> None:
    first, second, *_ = [q.id for q in store.list_questions(cid)]
    type_note(store, cid, first, "+ calls start on time #health")
    live = load(store, cid)
    assert len(live.yet_to_speak(second)) == 3
    assert live.next_to_invite(second, None) == "Children's social care"


def test_another_agency_speaking_first_leaves_the_invited_one_waiting(
    store: Store, cid: str
) -> None:
    question = first_question(store, cid)
    assert len(load(store, cid).yet_to_speak(question)) == 3
    type_note(store, cid, question, "- nobody tells us the outcome #police")
    waiting = load(store, cid).yet_to_speak(question)
    assert "Children's social care" in waiting and len(waiting) == 2


def test_nobody_here_means_nobody_to_invite(store: Store, cid: str) -> None:
    for person in store.list_participants(cid):
        store.set_attended(person.id, False)
    live = load(store, cid)
    assert live.agencies_here() == []
    assert live.next_to_invite(first_question(store, cid), None) is None


# ---------------------------------------------------------------- the clocks and a pause


def test_a_pause_stops_every_clock_and_says_how_long_it_has_stood(
    store: Store, cid: str, frozen_clock: FrozenClock
) -> None:
    start = frozen_clock.current
    store.start_conversation(cid)
    clocks = Clocks(
        conversation=start,
        question=start,
        phase=Phase.DEFINE,
        phase_since=start,
        phase_budget=5,
        budget=25,
    )
    assert "Elapsed 12 of 25 min" in clock_line(clocks, start + timedelta(minutes=12)).plain

    frozen_clock.advance(minutes=3)
    store.pause_conversation(cid)
    during = clock_line(
        replace(clocks, pauses=tuple(store.list_pauses(cid))),
        start + timedelta(minutes=18),
    ).plain
    assert "PAUSED 15 min" in during
    assert "Elapsed 3 of 25 min" in during and "This question 3 min" in during
    assert "Define 3 of 5 min" in during, "the phase's time leaves the pause out too"

    frozen_clock.advance(minutes=15)
    store.resume_conversation(cid)
    after = clock_line(
        replace(clocks, pauses=tuple(store.list_pauses(cid))),
        start + timedelta(minutes=22),
    ).plain
    assert "PAUSED" not in after
    assert "This question 7 min" in after and "Define 7 of 5 min over" in after


def test_a_paused_conversation_reopened_has_its_pause_running(
    store: Store, cid: str, frozen_clock: FrozenClock
) -> None:
    store.start_conversation(cid)
    store.pause_conversation(cid)
    frozen_clock.advance(minutes=5)
    clocks = Clocks(pauses=tuple(store.list_pauses(cid)))
    assert clocks.paused_since is not None
    assert "PAUSED 5 min" in clock_line(clocks, domain.now() + timedelta(seconds=1)).plain


# ---------------------------------------------------------------- undo


def test_undo_takes_back_each_change_in_turn_and_says_what(
    store: Store, cid: str, frozen_clock: FrozenClock
) -> None:
    note = type_note(store, cid, first_question(store, cid), "+ calls on tme")
    for change in (
        lambda: store.update_note(note.id, body="calls on time"),
        lambda: store.update_note(note.id, stance=Stance.CONCERN),
        lambda: store.update_note(note.id, starred=True),
        lambda: store.delete_note(note.id),
    ):
        frozen_clock.advance(seconds=2)
        change()

    said: list[str] = []
    live = load(store, cid)
    for _ in range(4):
        frozen_clock.advance(seconds=2)
        undone = store.undo_note_change(cid)
        assert undone is not None
        said.append(undo_words(undone, live.who))
    now = store.get_note(note.id)
    assert (now.deleted_at, now.starred, now.stance, now.body) == (
        None, False, Stance.STRENGTH, "calls on tme"
    )
    assert said[0].startswith("Undone: delete") and "calls on time" in said[0]
    assert said[1].startswith("Undone: star")
    assert said[2].startswith("Undone: stance") and "working well" in said[2]
    assert said[3].startswith("Undone: edit") and "calls on tme" in said[3]
    assert store.undo_note_change(cid) is None, "nothing left to undo"
    kept = store.db.execute("SELECT COUNT(*) FROM note_revisions WHERE undoes IS NOT NULL")
    assert kept.fetchone()[0] == 4, "each undo is a change kept on disk"


def test_undo_reaches_a_note_under_another_question(store: Store, cid: str) -> None:
    first, second, *_ = [q.id for q in store.list_questions(cid)]
    note = type_note(store, cid, first, "- invites at short notice")
    store.delete_note(note.id)
    type_note(store, cid, second, "~ every agency has the summary")
    undone = store.undo_note_change(cid)
    assert undone is not None and undone.note.id == note.id
    assert store.get_note(note.id).deleted_at is None
    live = load(store, cid)
    assert live.place(live.questions[undone.note.question_id]) == "question 1 of 5"
