"""A store with hundreds of conversations, made in one transaction: more than a screenful, with
titles, statuses, agencies, notes and actions varied enough that every sort and filter of the
conversations browser has ties and surprises to get right."""

from __future__ import annotations

from datetime import date, timedelta

from appreciate_tui.domain import ActionStatus, ConversationStatus, Phase, Stance
from appreciate_tui.store import Store

AGENCIES = ("Police", "Health", "Education", "Children's social care", "housing", "Éducation plus")
STATUSES = (ConversationStatus.CLOSED, ConversationStatus.CLOSED, ConversationStatus.LIVE,
            ConversationStatus.PLANNED)
WORDS = ("apple", "Banana", "cherry", "Éclair", "date", "Zebra", "éclair", "APPLE")


def many(store: Store, count: int, *, start: date = date(2024, 1, 1)) -> list[str]:
    """`count` conversations a day apart from `start` (two a day now and then, for ties), oldest
    first; their ids, newest first, as the browser lists them."""
    ids = []
    with store.atomic():
        for n in range(count):
            day = start + timedelta(days=n - n // 7)  # every seventh shares the day before's
            status = STATUSES[n % len(STATUSES)]
            conversation = store.create_conversation(
                f"{WORDS[n % len(WORDS)]} meeting {n:03d}",
                f"{WORDS[(n * 3) % len(WORDS)]} topic",
                date=day.isoformat(),
                status=status,
            )
            cid = conversation.id
            for k in range(n % 4):
                agency = AGENCIES[(n + k) % len(AGENCIES)]
                store.add_participant(cid, agency, attended=(n + k) % 3 != 0,
                                      invited=(n + k) % 2 == 0)
            if n % 5:
                question = store.add_question(cid, "When did it go well?", Phase.DISCOVER)
                for k in range(n % 5):
                    store.add_note(cid, question.id, f"Note {k} of meeting {n:03d}",
                                   Stance.STRENGTH)
            for k in range(n % 3):
                store.add_action(cid, f"Action {k}",
                                 status=(ActionStatus.OPEN, ActionStatus.DONE)[k % 2])
            ids.append(cid)
    return ids[::-1]
