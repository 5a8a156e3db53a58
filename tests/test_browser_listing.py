"""The conversations browser reads what it shows, not every conversation: the first screenful
from a query bounded by the screen, the order of the others as ids, their rows a page at a time.
The orders and filters the store gives must be the very ones of sorting and filtering every
summary in memory (`Sort.apply`, `Filter.apply`), for conversations not yet read as much as for
those on screen."""

from __future__ import annotations

import itertools

import pytest

from appreciate_tui.tui.state.browser import (
    SORT_KEYS,
    Filter,
    Listing,
    Sort,
    agencies_present,
    in_usual_order,
)
from appreciate_tui.domain import ConversationStatus
from appreciate_tui.store import Store
from tests.helpers.many_conversations import many


def _sql(store: Store) -> list[str]:
    """The statements the store runs from now on (until the trace is taken off)."""
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)
    return statements


def _selects(statements: list[str]) -> list[str]:
    return [sql for sql in statements if sql.lstrip().upper().startswith("SELECT")]


def _order(store: Store, filter: Filter, sort: Sort) -> list[str]:
    return sort.order(store.conversation_order(
        status=filter.status, agency=filter.agency, date_from=filter.date_from,
        date_to=filter.date_to, by=sort.column, oldest_first=sort.oldest_first,
    ))


FILTERS = [
    Filter(),
    Filter(status=ConversationStatus.PLANNED),
    Filter(status=ConversationStatus.CLOSED, date_from="2024-03-01"),
    Filter(agency="Health"),
    Filter(agency="Éducation plus", date_to="2024-05-31"),
    Filter(agency="housing", status=ConversationStatus.PLANNED),
    Filter(date_from="2024-02-10", date_to="2024-02-20"),
]


def test_every_sort_and_filter_of_the_store_is_the_one_in_memory(store: Store) -> None:
    many(store, 120)
    store.delete_conversation(store.conversation_summaries()[3].conversation.id)
    every = store.conversation_summaries()
    assert len(every) == 119
    for filter, column, descending in itertools.product(FILTERS, SORT_KEYS, (True, False)):
        sort = Sort(column, descending)
        expected = [s.conversation.id for s in sort.apply(filter.apply(every))]
        assert _order(store, filter, sort) == expected, (filter, sort)


def test_the_agencies_to_filter_by_are_those_of_every_conversation(store: Store) -> None:
    many(store, 40)
    every = store.conversation_summaries()
    assert in_usual_order(store.agencies_taking_part()) == agencies_present(every)


def test_the_first_screenful_is_read_with_a_query_bounded_by_the_screen(store: Store) -> None:
    many(store, 300)
    every = store.conversation_summaries()
    statements = _sql(store)
    first = store.conversation_summaries(limit=40)
    store.db.conn.set_trace_callback(None)
    assert first == every[:40]
    selects = _selects(statements)
    assert len(selects) == 3
    # The conversations by a limit; their actions and agencies by their ids only.
    assert "LIMIT" in selects[0]
    assert all("json_each" in sql for sql in selects[1:])


def test_a_page_is_read_by_its_ids_in_their_order(store: Store) -> None:
    many(store, 150)
    every = store.conversation_summaries()
    page = [s.conversation.id for s in every[100:140]][::-1]
    statements = _sql(store)
    read = store.conversation_summaries(page)
    store.db.conn.set_trace_callback(None)
    assert read == every[100:140][::-1]
    assert len(_selects(statements)) == 3 and all("json_each" in sql for sql in statements
                                                  if "SELECT" in sql)
    assert store.conversation_summaries([]) == []


def test_counts_and_the_latest_change_leave_the_bin_out(store: Store) -> None:
    ids = many(store, 12)
    store.delete_conversation(ids[0])
    assert (store.conversation_count(), store.conversation_count(binned=True)) == (11, 1)
    latest = max(store.conversation_summaries(), key=lambda s: s.conversation.updated_at)
    assert store.latest_conversation_change() == (latest.conversation.id,
                                                  latest.conversation.updated_at)
    assert store.conversation_census() == (11, latest.conversation.updated_at)
    for conversation_id in ids[1:]:
        store.delete_conversation(conversation_id)
    assert store.conversation_census() == (0, None)
    assert store.latest_conversation_change() is None


class Reader:
    """What a listing asked the store for."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.asked: list[int] = []
        self.ordered = 0

    def __call__(self, ids: list[str]) -> list:
        self.asked.append(len(ids))
        return self.store.conversation_summaries(ids)

    def order(self) -> list[str]:
        self.ordered += 1
        return [conversation_id for conversation_id, _ in self.store.conversation_order()]


def test_a_listing_reads_a_page_at_a_time_as_rows_are_wanted(store: Store) -> None:
    newest_first = many(store, 300)
    reader = Reader(store)
    first = store.conversation_summaries(limit=30)
    listing = Listing(reader.order, reader, first=first, length=300, page=100)
    assert len(listing) == 300 and listing[29] == first[29]
    assert listing.index_of(newest_first[5]) == 5
    assert (reader.ordered, reader.asked) == (0, []), "the first screenful needs nothing more"
    assert listing[-1].conversation.id == newest_first[-1]
    assert reader.ordered == 1 and reader.asked == [100], "the order, then the last page"
    listing[150]
    listing[160]
    assert reader.asked == [100, 100]
    assert [s.conversation.id for s in listing] == newest_first
    assert sum(reader.asked) == 300 - 30, "each row read once, the first screenful never again"


def test_a_listing_closes_up_over_conversations_gone_since_it_was_ordered(store: Store) -> None:
    newest_first = many(store, 10)
    reader = Reader(store)
    listing = Listing(newest_first, reader, page=4)
    store.delete_conversation(newest_first[1])
    store.delete_conversation(newest_first[9])
    assert listing[1].conversation.id == newest_first[2]
    assert len(listing) == 9
    assert [s.conversation.id for s in listing] == newest_first[:1] + newest_first[2:9]
    with pytest.raises(IndexError):
        listing[8]
