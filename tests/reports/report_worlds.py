"""What the report tests share: the hostile texts, and conversations built from them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from appreciate_tui.domain import ActionStatus, Phase, Stance
from appreciate_tui.store import Store

GOLDEN = Path(__file__).parent / "golden"

# The learning example's sections, in the order partnerships publish them.
SECTIONS = [
    "Introduction",
    "Background, aims and objectives",
    "Approach",
    "What is working well",
    "Concerns raised",
    "The vision",
    "Solutions and actions",
    "Challenges",
    "Successes",
    "Conclusion and key learning",
    "Appendix: full notes",
]

# Every way a note could try to become markup, plus text that must come through untouched.
HOSTILE_NOTES = (
    "# heading",
    "| a | b |\n| --- | --- |\n| c | d |",
    "- item",
    "> q",
    "*x* and _y_ and **z**",
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[x](javascript:alert(1)) and ![i](http://example.org/i.png) and <http://example.org>",
    "1. one\n2) two\n===\n---\n```\nfenced\n~~~",
    "&amp; &#65; \\* \\",
    "=SUM(A1:A2) @cmd +1 -1",
    "Family 👩‍👩‍👧‍👦 happy 👍🏽",
    "قالت الأم إن الاجتماع كان مفيدا",
    "cafe\u0301 nai\u0308ve Z\u0351\u0346a\u0364l\u0310g\u0350o",
)
# Written into the database behind the app's back (the store itself would have removed them).
RAW_CONTROLS = "Chair said \x1b]2;PWNED\x07 then \x1b[2J and \x9b31m and \u202eevil\u202c end\x00"
FORBIDDEN = (
    [chr(c) for c in range(0x20) if c not in (0x09, 0x0A)]
    + ["\x7f"]
    + [chr(c) for c in range(0x80, 0xA0)]
    + ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
)


def control_bytes(text: str) -> list[str]:
    return [c for c in FORBIDDEN if c in text]


def build_hostile(store: Store, bodies: tuple[str, ...] = HOSTILE_NOTES) -> str:
    """A closed conversation where every free-text field, and every note, is `bodies`' text."""
    first, rest = bodies[0], bodies[1:]
    conversation = store.create_conversation(
        "Hostile " + first,
        rest[0],
        setting=rest[1],
        facilitator=rest[2],
        date="2026-02-26",
        opening=rest[3],
    )
    cid = conversation.id
    store.start_conversation(cid)
    participant = store.add_participant(
        cid, "Police", pseudonym=rest[4], role=rest[5], attended=True
    )
    store.add_participant(cid, "Health", absence_reason=rest[6])
    question = store.add_question(cid, first, Phase.DISCOVER)
    follow_up = store.add_follow_up(cid, question.id, rest[7])
    store.set_question_status(question.id, "asked")
    stances = list(Stance)
    for index, body in enumerate(bodies):
        note = store.add_note(
            cid,
            question.id if index % 2 else follow_up.id,
            body,
            stances[index % len(stances)],
            agency="Police",
            participant_id=participant.id if index % 3 else None,
        )
        if index % 4 == 0:
            store.update_note(note.id, starred=True)
        if stances[index % len(stances)] is Stance.ACTION:
            store.add_action(
                cid,
                body,
                owner=rest[8],
                due="2026-03-27",
                note_id=note.id,
                status=ActionStatus.OPEN,
            )
    store.add_feedback(
        cid,
        participant_id=participant.id,
        rating=4,
        comments=rest[9],
        useful_question_ids=[question.id],
    )
    store.update_conversation(cid, key_learning="\n".join(bodies))
    store.close_conversation(cid)
    return cid


def insert_raw_note(db_path: Path, conversation_id: str, body: str = RAW_CONTROLS) -> None:
    with sqlite3.connect(db_path) as conn:
        question_id = conn.execute(
            "select id from questions where conversation_id = ? order by position limit 1",
            [conversation_id],
        ).fetchone()[0]
        conn.execute(
            "insert into notes (id, conversation_id, question_id, body, stance, sha256,"
            " created_at, updated_at) values ('raw-controls', ?, ?, ?, 'concern', 'x', ?, ?)",
            [
                conversation_id,
                question_id,
                body,
                "2026-02-26T10:00:00+00:00",
                "2026-02-26T10:00:00+00:00",
            ],
        )
