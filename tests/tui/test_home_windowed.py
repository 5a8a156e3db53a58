"""The conversations list with more conversations than fit on the screen: it opens on a
screenful read with a query bounded by the screen and reads the rest as it is scrolled to, yet
every key reaches every conversation: End and Page Down the oldest, sorts, filters and the search
the ones not read yet."""

from __future__ import annotations


import pytest
from textual.widgets import Static

from appreciate_tui.tui.state.browser import PAGE, SORT_KEYS, Filter, Sort
from appreciate_tui.domain import ConversationStatus
from appreciate_tui.store import Store
from appreciate_tui.tui.app import AppreciateApp
from appreciate_tui.tui.screens.home import HomeScreen
from tests.helpers.many_conversations import many

SIZE = (120, 30)
COUNT = 160
"""More than a screenful, and more than a page (`PAGE`) below it."""


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int | None, int | None]]:
    """What the app asked `conversation_summaries` for: (how many ids, limit) each time."""
    calls: list[tuple[int | None, int | None]] = []
    real = Store.conversation_summaries

    def spy(self: Store, ids: object = None, *, limit: int | None = None) -> object:
        ids = None if ids is None else list(ids)  # type: ignore[call-overload]
        calls.append((None if ids is None else len(ids), limit))
        return real(self, ids, limit=limit)

    monkeypatch.setattr(Store, "conversation_summaries", spy)
    return calls


def home(app: AppreciateApp) -> HomeScreen:
    assert isinstance(app.screen, HomeScreen)
    return app.screen


def drawn(app: AppreciateApp) -> str:
    table = home(app).table
    return "\n".join(table.render_line(y).text for y in range(table.size.height))


def expected(store: Store, filter: Filter, sort: Sort) -> list[str]:
    """Every conversation read, filtered and sorted in memory, as the list used to."""
    return [s.conversation.title for s in sort.apply(filter.apply(Store.conversation_summaries(
        store)))]


async def test_it_opens_on_a_screenful_and_end_reaches_the_oldest(
    store: Store, asked: list[tuple[int | None, int | None]], monkeypatch: pytest.MonkeyPatch
) -> None:
    newest_first = many(store, COUNT)
    ordered: list[tuple[bool, str]] = []
    real_order = Store.conversation_catalogue
    monkeypatch.setattr(
        Store, "conversation_catalogue",
        lambda self, by="date": (ordered.append((self is store, by)), real_order(self, by))[1])
    app = AppreciateApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert asked == [(None, SIZE[1])], "the first frame: one screenful, by a limit"
        assert (True, "date") not in ordered, "the order of the others: not on this connection"
        await app.workers.wait_for_complete()
        assert {by for here, by in ordered if not here} == set(SORT_KEYS), (
            "after the first frame, every column's order is read by a thread on its own reader")
        table = home(app).table
        assert table.highlighted.conversation.id == newest_first[0]
        assert f"{COUNT} in all" in str(home(app).query_one("#filter-count", Static).render())

        await pilot.press("end")
        assert (True, "date") not in ordered, "the order read by the thread serves"
        oldest = store.get_conversation(newest_first[-1])
        assert table.highlighted.conversation.id == oldest.id
        assert oldest.title in drawn(app)
        read = sum(ids or 0 for ids, _ in asked)
        assert read <= 2 * PAGE < COUNT - SIZE[1], "the last screenful's pages, not all between"

        await pilot.press("home")
        assert table.highlighted.conversation.id == newest_first[0]
        pages = 0
        while table.highlighted.conversation.id != oldest.id and pages < COUNT:
            await pilot.press("pagedown")
            pages += 1
        assert table.highlighted.conversation.id == oldest.id
        assert pages < 30, "a page at a time"
        assert all(ids is None or ids <= PAGE for ids, _ in asked)
        assert all(ids is not None or limit is not None for ids, limit in asked)


async def test_sorts_and_filters_reach_conversations_not_read_yet(store: Store) -> None:
    many(store, COUNT)
    app = AppreciateApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = home(app)

        def titles() -> list[str]:
            return [row.conversation.title for row in screen.table.rows]

        await pilot.press("s")  # by title: the oldest comes first
        assert titles() == expected(store, Filter(), Sort("title", False))
        assert titles()[0] == "apple meeting 000"
        await pilot.press("S")
        assert titles() == expected(store, Filter(), Sort("title", True))
        for column in ("agencies", "notes", "actions", "status"):
            screen.sort_by(column)
            await pilot.pause()
            assert titles() == expected(store, Filter(), Sort.natural(column)), column

        screen.sort_by("date")
        for filter in (Filter(status=ConversationStatus.PLANNED),
                       Filter(agency="Éducation plus"),
                       Filter(date_from="2024-01-01", date_to="2024-01-31")):
            screen.filter_by(status=filter.status, agency=filter.agency,
                             date_from=filter.date_from, date_to=filter.date_to)
            await pilot.pause()
            shown = expected(store, filter, Sort())
            assert titles() == shown, filter
            count = str(screen.query_one("#filter-count", Static).render())
            assert f"{len(shown)} of {COUNT}" in count


async def test_the_search_describes_conversations_not_read_yet(store: Store) -> None:
    newest_first = many(store, COUNT)
    old = store.get_conversation(newest_first[-5])  # meeting 004, far below the first screen
    app = AppreciateApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"meeting 004")
        screen = home(app)
        for _ in range(250):
            if screen.results.hits:
                break
            await pilot.pause(0.02)
        assert {hit.conversation_id for hit in screen.results.hits} == {old.id}
        await pilot.press("down")
        assert screen.highlighted is not None and screen.highlighted.conversation.id == old.id
        detail = str(screen.query_one("#conversation-detail", Static).render())
        assert old.status.value in detail and "2024" in detail


async def test_starting_on_an_old_conversation_highlights_it(store: Store) -> None:
    newest_first = many(store, COUNT)
    closed = next(cid for cid in reversed(newest_first)
                  if store.get_conversation(cid).status is ConversationStatus.CLOSED)
    app = AppreciateApp(store, conversation_id=closed)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = home(app).table
        assert table.cursor == newest_first.index(closed) > SIZE[1]
        assert store.get_conversation(closed).title in drawn(app)


async def test_started_in_a_conversation_the_list_beneath_is_ordered_when_it_is_back(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Resuming a live conversation at start, nothing reads every conversation's order beneath it
    while notes are typed; coming back to the list reads them as a start does."""
    from appreciate_tui.tui.screens.facilitate import FacilitateScreen

    newest_first = many(store, COUNT)
    live = next(cid for cid in newest_first
                if store.get_conversation(cid).status is ConversationStatus.LIVE)
    ordered: list[str] = []  # by the list's thread, on a reader of its own
    real_order = Store.conversation_catalogue
    monkeypatch.setattr(Store, "conversation_catalogue", lambda self, by="date": (
        self is not store and ordered.append(by), real_order(self, by))[1])
    app = AppreciateApp(store, conversation_id=live)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(5):
            await pilot.pause(0.02)
        await app.workers.wait_for_complete()
        assert isinstance(app.screen, FacilitateScreen)
        assert ordered == []

        await pilot.press("ctrl+l")  # back to the list, the conversation left live
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert isinstance(app.screen, HomeScreen)
        assert set(ordered) == set(SORT_KEYS)
        await pilot.press("s")  # by title, from what was read
        assert [row.conversation.title for row in home(app).table.rows] == expected(
            store, Filter(), Sort("title", False))


async def test_a_change_of_height_draws_no_line_again(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before the first frame the table grows shorter, as the line under it describes the first
    conversation: a change of height, after which every line drawn is still right."""
    from appreciate_tui.tui.widgets.conversation_table import ConversationTable

    many(store, 60)
    rows_drawn: list[int] = []
    real = ConversationTable.render_line

    def render_line(self: ConversationTable, y: int) -> object:
        index = round(self.scroll_y) + y - 1
        if y and index not in self._lines:
            rows_drawn.append(index)
        return real(self, y)

    monkeypatch.setattr(ConversationTable, "render_line", render_line)
    app = AppreciateApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = home(app).table
        height = table.size.height
        rows_drawn.clear()
        home(app).query_one("#conversation-detail").styles.height = 9
        await pilot.pause()
        table.refresh()  # drawn again, as when the cursor moves
        await pilot.pause()
        assert table.size.height < height
        assert rows_drawn == [], (height, table.size.height)
