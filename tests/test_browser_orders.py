"""The browser's orders worked out from what was read once (`browser.Orders`): the same
conversations in the same order as the store gives for every filter and sort, read again as soon
as anything is written, by this window or another, and not read again while nothing is."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from appreciate_tui.domain import ConversationStatus
from appreciate_tui.store import Store
from appreciate_tui.tui.state.browser import SORT_KEYS, Filter, Orders, Sort
from tests.helpers.cipher import raw_connect
from tests.helpers.many_conversations import many

FILTERS = [
    Filter(),
    Filter(status=ConversationStatus.CLOSED),
    Filter(status=ConversationStatus.PLANNED, date_from="2024-02-01"),
    Filter(date_from="2024-01-20", date_to="2024-03-31"),
    Filter(agency="Police"),
    Filter(agency="Éducation plus", status=ConversationStatus.LIVE),
    Filter(agency="Nobody"),
]


def asked(store: Store, filter: Filter, sort: Sort) -> list[str]:
    """The store's own answer."""
    return sort.order(store.conversation_order(
        status=filter.status, agency=filter.agency, date_from=filter.date_from,
        date_to=filter.date_to, by=sort.column, oldest_first=sort.oldest_first))


def orders(store: Store, reads: list[str] | None = None) -> Orders:
    def read(column: str) -> list[tuple[str, str, str, object]]:
        if reads is not None:
            reads.append(column)
        return store.conversation_catalogue(column)

    return Orders(read, store.changes, lambda f, s: asked(store, f, s))


def test_every_filter_and_sort_gives_the_stores_order(store: Store) -> None:
    many(store, 90)
    kept = orders(store)
    sorts = [Sort(column, descending) for column in SORT_KEYS for descending in (True, False)]
    for sort in sorts:  # the agencies are read for a sort, then filtered by here too
        kept.ids(Filter(), sort)
    for filter, sort in itertools.product(FILTERS, sorts):
        assert kept.ids(filter, sort) == asked(store, filter, sort), (filter, sort)


def test_nothing_is_read_again_until_something_is_written(store: Store, db_path: Path) -> None:
    ids = many(store, 30)
    reads: list[str] = []
    kept = orders(store, reads)
    for filter in FILTERS[:4]:
        kept.ids(filter, Sort())
        kept.ids(filter, Sort("title", False))
        kept.ids(filter, Sort("title", True))
    assert reads == ["date", "title"]
    # Filtering by agency asks the store until the agencies have been read for a sort.
    police = Filter(agency="Police")
    assert kept.ids(police, Sort()) == asked(store, police, Sort())
    assert reads == ["date", "title"]

    store.update_conversation(ids[0], title="Aardvark meeting")  # this window writes
    assert kept.ids(Filter(), Sort("title", False))[0] == ids[0]
    assert reads == ["date", "title", "title"]

    other = raw_connect(db_path)  # another program bins a conversation
    try:
        with other:
            other.execute("UPDATE conversations SET deleted_at = '2026-03-12T09:30:00Z' "
                          "WHERE id = ?", [ids[1]])
    finally:
        other.close()
    assert ids[1] not in kept.ids(Filter(), Sort())
    assert reads[-1] == "date"


@pytest.mark.parametrize("column", ["notes", "actions", "agencies"])
def test_counts_and_agencies_follow_what_is_written(store: Store, column: str) -> None:
    ids = many(store, 12)
    kept = orders(store)
    before = kept.ids(Filter(), Sort.natural(column))
    quiet = ids[-1]  # the oldest: no notes, actions or participants
    question = store.add_question(quiet, "What went well?", "discover")
    for n in range(9):
        store.add_note(quiet, question.id, f"note {n}")
        store.add_action(quiet, f"action {n}")
        store.add_participant(quiet, f"Agency {n}", attended=True)
    after = kept.ids(Filter(), Sort.natural(column))
    assert after != before and after[0] == quiet
    assert after == asked(store, Filter(), Sort.natural(column))


def test_what_a_reader_read_before_a_write_is_not_kept(store: Store) -> None:
    ids = many(store, 12)
    reads: list[str] = []
    kept = orders(store, reads)
    seen = store.changes()
    read_then = {"title": store.conversation_catalogue("title")}
    store.update_conversation(ids[-1], title="Aardvark meeting")  # written meanwhile
    kept.prepared(seen, read_then)
    assert not kept.complete
    assert kept.ids(Filter(), Sort("title", False))[0] == ids[-1], "read again, not the old read"
    assert reads == ["title"]
    kept.prepared(store.changes(), {c: store.conversation_catalogue(c) for c in SORT_KEYS})
    assert kept.complete
    kept.ids(Filter(agency="Police"), Sort("notes", True))
    assert reads == ["title"], "everything was there"
