"""What ordering the browser's conversations costs: filtering by agency and sorting by agencies
read each conversation's own participants along one index (schema m019), never every participant
from an agency for each conversation; and each list of agencies is read and made into a sort key
once, however many conversations share it."""

from __future__ import annotations


import pytest

from appreciate_tui.tui.state import browser
from appreciate_tui.tui.state.browser import Sort
from appreciate_tui.store import Store


def _plans_of_order(store: Store, **asked: object) -> list[str]:
    """The query plan of every SELECT `Store.conversation_order(**asked)` runs."""
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)
    try:
        store.conversation_order(**asked)  # type: ignore[arg-type]
    finally:
        store.db.conn.set_trace_callback(None)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert selects
    return [
        " / ".join(row[3] for row in store.db.execute(f"EXPLAIN QUERY PLAN {sql}").fetchall())
        for sql in selects
    ]


@pytest.mark.parametrize("asked", [{"agency": "Police"}, {"by": "agencies"},
                                   {"agency": "Police", "by": "agencies"}])
def test_agencies_are_read_from_each_conversations_own_participants(
    store: Store, asked: dict[str, object]
) -> None:
    for n in range(3):
        conversation = store.create_conversation(f"Meeting {n}", "", date=f"2026-03-0{n + 1}")
        store.add_participant(conversation.id, "Police", attended=True)
        store.add_participant(conversation.id, "Health", attended=n > 0)
    for plan in _plans_of_order(store, **asked):
        assert "participants_agency" not in plan, plan
        assert "COVERING INDEX participants_took_part (conversation_id=?)" in plan, plan
    assert [c for c, _ in store.conversation_order(**asked)]  # type: ignore[arg-type]


def test_each_list_of_agencies_is_made_a_sort_key_once(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[object] = []
    key = browser.VALUE_KEYS["agencies"]

    def counted(value: object) -> object:
        made.append(value)
        return key(value)

    monkeypatch.setitem(browser.VALUE_KEYS, "agencies", counted)
    both, police = ("Health", "Police"), ("Police",)
    listed = [(f"c{n}", both if n % 3 else police) for n in range(30)]
    order = Sort.natural("agencies").order(listed)
    assert sorted(made) == sorted([both, police]), "one key for each different list"
    assert order == [c for c, _ in listed if _ == both] + [c for c, _ in listed if _ == police]
