"""A small, deterministic conversation being planned, for the plan screen's snapshots: its
details, three people, and questions from two banks with two of them framed badly."""

from __future__ import annotations

from appreciate_tui.domain import Phase
from appreciate_tui.store import Store

QUESTIONS = [
    ("When a strategy meeting goes well for a child, what does 'effective' mean to you?",
     Phase.DEFINE, ()),
    ("Can you tell me about a strategy meeting which you felt was successful?", Phase.DISCOVER,
     ("Who was there?", "What did each agency bring?")),
    ("Why did the last strategy meeting fail?", Phase.DISCOVER, ()),
    ("If MASH was operating at its best what would an effective strategy meeting look like?",
     Phase.DREAM, ()),
    ("What would help every agency arrive prepared, and who should chair the meeting?",
     Phase.DESIGN, ()),
    ("How will you make this happen?", Phase.DELIVER, ()),
]


def make_plan(store: Store) -> str:
    conversation = store.create_conversation(
        "Front door: spring round",
        "Is multi-agency working effective within MASH strategy meetings?",
        setting="MASH meeting room, Exeter", facilitator="Practice lead", date="2026-04-16",
        opening="Thank you for coming. This is an appreciative conversation: we start from what "
                "works, and concerns are heard too.",
    )
    cid = conversation.id
    store.update_conversation(cid, start_time="10:00",
                              phase_budget={"define": 5, "discover": 25, "dream": 15,
                                            "design": 10, "deliver": 5})
    for text, phase, prompts in QUESTIONS:
        store.add_question(cid, text, phase, prompts=prompts)
    store.add_participant(cid, "Police", name="Sam Ellis", role="DS")
    store.add_participant(cid, "Health", role="Named nurse")
    store.add_participant(cid, "Children's social care", invited=True, attended=False,
                          absence_reason="Court")
    return cid
