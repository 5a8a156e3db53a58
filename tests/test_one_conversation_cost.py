"""What concerns one conversation costs the same however many conversations the file holds
(DESIGN.md section 10): finding a conversation by the start of its id and listing the agencies a
conversation can pick from read a few index entries, not every conversation or participant.
Measured in SQLite's own steps (not time), before and after the file grows tenfold."""

from __future__ import annotations

from collections.abc import Callable

from appreciate_tui.store import Store

AGENCIES = ("Police", "Health", "Education", "Children's social care", "Youth justice service")


def steps(store: Store, work: Callable[[], object]) -> int:
    """How many SQLite virtual-machine steps `work` takes (counted in batches of ten)."""
    counted = [0]

    def tick() -> int:
        counted[0] += 1
        return 0

    store.db.conn.set_progress_handler(tick, 10)
    try:
        work()
    finally:
        store.db.conn.set_progress_handler(None, 0)
    return counted[0]


def add_conversations(store: Store, count: int) -> list[str]:
    ids = []
    with store.atomic():
        for n in range(count):
            conversation = store.create_conversation(f"Meeting {n}")
            for agency in AGENCIES:
                store.add_participant(conversation.id, agency)
            ids.append(conversation.id)
    return ids


def test_finding_a_conversation_by_its_prefix_does_not_read_every_conversation(
    store: Store,
) -> None:
    first = add_conversations(store, 20)[0]
    before = steps(store, lambda: store.resolve_conversation(first[:8]))
    add_conversations(store, 300)
    after = steps(store, lambda: store.resolve_conversation(first[:8]))
    assert store.resolve_conversation(first[:8]).id == first
    assert after <= before * 1.5 + 5, (before, after)


def test_the_agencies_offered_do_not_read_every_participant(store: Store) -> None:
    add_conversations(store, 20)
    store.add_participant(add_conversations(store, 1)[0], "Housing")
    before = steps(store, store.agencies)
    add_conversations(store, 300)
    after = steps(store, store.agencies)
    offered = store.agencies()
    assert offered.count("Housing") == 1 and offered.count("Police") == 1
    assert after <= before * 1.5 + 5, (before, after)
