"""The review's Shared tab: what was shared from the conversation, with whom, why, redacted or
not, when, and the file written; kept up to date while the record is open."""

from __future__ import annotations

import pyperclip
import pytest
from textual.widgets import OptionList, Static, TabbedContent

from appreciate_tui.store import Store
from appreciate_tui.tui.app import AppreciateApp
from appreciate_tui.tui.dialogs.clipboard_fallback import ClipboardFallbackScreen
from appreciate_tui.tui.screens.review import ReviewScreen
from appreciate_tui.tui.widgets.shares_table import SharesTable
from tests.conftest import FrozenClock
from tests.tui.test_review import Meeting, make_meeting

pytestmark = pytest.mark.usefixtures("utc")


@pytest.fixture
def meeting(store: Store, frozen_clock: FrozenClock) -> Meeting:
    return make_meeting(store)


def table_text(screen: ReviewScreen) -> list[list[str]]:
    table = screen.query_one("#shares", SharesTable)
    return [[str(cell) for cell in table.get_row_at(row)] for row in range(table.row_count)]


def detail(screen: ReviewScreen) -> str:
    return str(screen.query_one("#share-detail", Static).render())


async def opened(app: AppreciateApp, pilot: object, meeting: Meeting) -> ReviewScreen:
    await app.push_screen(ReviewScreen(meeting.id))
    await pilot.pause()  # type: ignore[attr-defined]
    screen = app.screen
    assert isinstance(screen, ReviewScreen)
    return screen


async def test_nothing_shared_says_so(store: Store, meeting: Meeting) -> None:
    app = AppreciateApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(app, pilot, meeting)
        tabs = screen.query_one("#review-tabs", TabbedContent)
        assert str(tabs.get_tab("shared-tab").label) == "Shared F4"
        await pilot.press("f4")
        assert tabs.active == "shared-tab"
        assert screen.focused is screen.query_one("#shares")
        assert table_text(screen) == []
        assert "Nothing from this conversation has been shared yet." in detail(screen)
        await pilot.press("f3")
        assert tabs.active == "record-tab" and screen.focused is screen.document


async def test_what_was_shared_newest_first_with_its_file(
    store: Store, meeting: Meeting, frozen_clock: FrozenClock
) -> None:
    store.record_share(meeting.id, "md", redacted=True, recipient="Partnership board",
                       purpose="learning review", path="/exports/strategy-redacted.md")
    frozen_clock.advance(minutes=90)
    store.record_share(meeting.id, "questions-txt", recipient="Police")
    app = AppreciateApp(store)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await opened(app, pilot, meeting)
        tabs = screen.query_one("#review-tabs", TabbedContent)
        assert str(tabs.get_tab("shared-tab").label) == "Shared (2) F4"
        await pilot.press("f4")
        await pilot.pause()
        assert table_text(screen) == [
            ["12 Mar 2026 11:00", "questions, text", "no", "Police", "—"],
            ["12 Mar 2026 09:30", "learning, md", "yes", "Partnership board",
             "learning review"],
        ]
        assert detail(screen) == ("Question sheet (text), not redacted, to Police. "
                                  "No file: printed or copied.")
        await pilot.press("down")
        assert detail(screen) == (
            "Learning example (Markdown), redacted, to Partnership board, for learning review. "
            "File: /exports/strategy-redacted.md")


async def test_record_keys_rest_on_the_shared_tab(store: Store, meeting: Meeting) -> None:
    app = AppreciateApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(app, pilot, meeting)
        assert screen.check_action("copy", ())
        await pilot.press("f4")
        for action in ("copy", "find", "go_to", "edit"):
            assert not screen.check_action(action, ()), action
        assert screen.check_action("back", ())
        await pilot.press("c", "slash", "e")
        assert app.screen is screen and not screen.editing, "nothing opened, nothing changed"


async def test_a_copy_appears_once_the_clipboard_took_it(
    store: Store, meeting: Meeting, system_clipboard: list[str]
) -> None:
    app = AppreciateApp(store)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await opened(app, pilot, meeting)
        await pilot.press("c")
        app.screen.query_one(OptionList).highlighted = 0
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert system_clipboard
        tabs = screen.query_one("#review-tabs", TabbedContent)
        assert str(tabs.get_tab("shared-tab").label) == "Shared (1) F4", "updated while open"
        await pilot.press("f4")
        await pilot.pause()
        (row,) = table_text(screen)
        assert row[1:4] == ["copied, md", "no", "—"]
        assert row[4].startswith("copied from the review: the whole")
    (share,) = store.list_shares(meeting.id)
    assert share.purpose == "copied from the review: the whole record" and share.path is None


async def test_an_unconfirmed_copy_is_not_listed(
    store: Store, meeting: Meeting, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_tool(text: str) -> None:
        raise pyperclip.PyperclipException("no copy/paste mechanism")

    monkeypatch.setattr(pyperclip, "copy", no_tool)
    app = AppreciateApp(store)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await opened(app, pilot, meeting)
        await pilot.press("c")
        app.screen.query_one(OptionList).highlighted = 0
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ClipboardFallbackScreen)
        await pilot.press("escape")
        await pilot.press("f4")
        await pilot.pause()
        assert table_text(screen) == []
    assert store.list_shares(meeting.id) == []


async def test_a_share_recorded_elsewhere_shows_when_the_tab_is_shown(
    store: Store, meeting: Meeting
) -> None:
    app = AppreciateApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(app, pilot, meeting)
        store.record_share(meeting.id, "docx", recipient="Health")  # say, an export from the app
        await pilot.press("f4")
        await pilot.pause()
        assert [row[3] for row in table_text(screen)] == ["Health"]
