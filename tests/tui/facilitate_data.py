"""A small, deterministic conversation for the facilitation screen's tests and snapshots."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from appreciate_tui.domain import Phase, QuestionStatus, Stance
from appreciate_tui.store import Store

TOPIC = "Is multi-agency working effective within MASH strategy meetings?"

QUESTIONS = [
    ("What brings you to strategy meetings, and what do you hope for from them?", Phase.DEFINE, ()),
    (
        "Tell me about a strategy meeting that worked really well for a child. What made it work?",
        Phase.DISCOVER,
        ("Who was there?", "What did each agency bring?"),
    ),
    ("If strategy meetings were as good as they could be, what would we see?", Phase.DREAM, ()),
    ("What one change would get us there?", Phase.DESIGN, ()),
    ("Who will do what, by when?", Phase.DELIVER, ()),
]


def make_conversation(store: Store, *, budget: bool = True) -> str:
    """A planned conversation: five questions, one per phase, and four invited participants."""
    conversation = store.create_conversation(
        "MASH strategy meetings", TOPIC, facilitator="Practice lead", date="2026-03-12"
    )
    for text, phase, prompts in QUESTIONS:
        store.add_question(conversation.id, text, phase, prompts=prompts)
    for agency in ("Police", "Health", "Health", "Children's social care"):
        store.add_participant(conversation.id, agency, attended=True)
    if budget:
        store.update_conversation(conversation.id, phase_budget={"define": 5, "discover": 20})
    return conversation.id


def make_database(path: Path, *, budget: bool = True) -> str:
    with Store.open(path) as store:
        return make_conversation(store, budget=budget)


def make_mid_conversation(store: Store, advance: Callable[..., None]) -> str:
    """Twenty minutes in: the second question, notes of several stances, a follow-up worth keeping,
    a starred note, an open escalation, a draft being typed, and one participant not here.
    `advance(minutes=n)` moves the clock on (a frozen clock in tests)."""
    cid = make_conversation(store)
    first, second, *_ = [q.id for q in store.list_questions(cid)]
    people = {p.pseudonym: p for p in store.list_participants(cid)}
    store.start_conversation(cid)
    store.set_attended(people["Health 2"].id, False)

    def note(question: str, body: str, stance: Stance, who: str = "", agency: str = "") -> str:
        advance(minutes=2)
        person = people.get(who)
        return store.add_note(
            cid,
            question,
            body,
            stance,
            agency=person.agency if person else (agency or None),
            participant_id=person.id if person else None,
        ).id

    store.set_current_question(cid, first)
    store.set_question_status(first, QuestionStatus.ASKED)
    note(first, "To hear each other before the next child's meeting", Stance.NOTE, "Police 1")
    advance(minutes=4)
    store.set_current_question(cid, second)
    store.set_question_status(second, QuestionStatus.ASKED)
    starred = note(
        second,
        "Strategy calls now start on time, with the chronology shared first",
        Stance.STRENGTH,
        "Police 1",
    )
    store.update_note(starred, starred=True)
    note(second, "Health not invited to half of them", Stance.CONCERN, agency="Health")
    note(second, "We finally talk to each other [properly]", Stance.QUOTE, "Social care 1")
    escalated = note(
        second, "Sibling at the same address not yet known to MASH", Stance.CONCERN, "Health 1"
    )
    store.update_note(escalated, escalate=True)
    follow_up = store.add_follow_up(cid, second, "What made health able to come that time?")
    store.set_worth_keeping(follow_up.id, True)
    store.save_draft(cid, "note", "~ one shared chronology #csc")
    advance(minutes=3)
    return cid
