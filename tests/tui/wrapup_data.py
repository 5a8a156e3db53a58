"""A small, deterministic conversation just ended, for the wrap-up's tests and snapshots: two `!`
notes (one already an action), an open escalation and a handled one, strengths (one starred),
follow-ups (one worth keeping), and feedback from one participant."""

from __future__ import annotations

from collections.abc import Callable

from appreciate_tui.domain import Stance
from appreciate_tui.store import Store
from tests.tui.facilitate_data import make_conversation


def make_ended_conversation(store: Store, advance: Callable[..., None]) -> str:
    cid = make_conversation(store)
    first, second, third, *_ = [q.id for q in store.list_questions(cid)]
    people = {p.pseudonym: p for p in store.list_participants(cid)}
    store.start_conversation(cid)

    def note(question: str, body: str, stance: Stance, who: str = "") -> str:
        advance(minutes=3)
        person = people.get(who)
        return store.add_note(cid, question, body, stance,
                              agency=person.agency if person else None,
                              participant_id=person.id if person else None).id

    note(first, "To hear each other before the next child's meeting", Stance.NOTE, "Police 1")
    starred = note(second, "Strategy calls now start on time, with the chronology shared first",
                   Stance.STRENGTH, "Police 1")
    store.update_note(starred, starred=True)
    note(second, "Health attend when the invitation says what to bring", Stance.STRENGTH,
         "Health 1")
    open_one = note(second, "Sibling at the same address not yet known to MASH", Stance.CONCERN,
                    "Health 1")
    store.update_note(open_one, escalate=True)
    handled = note(second, "A current referral came up in passing", Stance.CONCERN,
                   "Social care 1")
    store.update_note(handled, escalate=True)
    store.handle_escalation(handled, "MASH team manager on duty")
    kept = store.add_follow_up(cid, second, "What made health able to come that time?")
    store.set_worth_keeping(kept.id, True)
    store.add_follow_up(cid, second, "Who chaired it?")
    note(third, "Practice lead to draft a standard invitation with what to bring",
         Stance.ACTION, "Social care 1")
    earlier = note(third, "Health to set up a duty rota for strategy calls", Stance.ACTION,
                   "Health 1")
    store.add_action(cid, "Health to set up a duty rota for strategy calls", owner="Health",
                     due="2026-04-24", note_id=earlier)
    store.set_feedback(cid, participant_id=people["Police 1"].id, rating=4,
                       advance_questions_helped=True, useful_question_ids=[second],
                       comments="Good to hear health")
    advance(minutes=5)
    store.close_conversation(cid)
    return cid
