"""The conversations list at its simplest: newest first, Enter opens, n starts one from a bank in
three keys. (Sorting, filters, search, the bin and the other actions: test_browser.py.)"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from textual.widgets import Input, OptionList, Static

from appreciate_tui.banks.loader import load_banks
from appreciate_tui.domain import ConversationStatus, Phase, Stance
from appreciate_tui.store import Store
from appreciate_tui.tui.app import AppreciateApp
from appreciate_tui.tui.screens.home import HomeScreen
from appreciate_tui.tui.dialogs.new_conversation import NewConversationScreen
from appreciate_tui.tui.screens.review import ReviewScreen
from appreciate_tui.tui.widgets.conversation_table import ConversationTable

if TYPE_CHECKING:
    from tests.conftest import FrozenClock


def add_conversation(store: Store, title: str, date: str, status: ConversationStatus) -> str:
    conversation = store.create_conversation(title, f"What works in {title}?", date=date)
    question = store.add_question(conversation.id, "When did it go well?", Phase.DISCOVER)
    store.add_note(conversation.id, question.id, f"A strength in {title}", Stance.STRENGTH,
                   agency="Health")
    if status is not ConversationStatus.PLANNED:
        store.start_conversation(conversation.id)
    if status is ConversationStatus.CLOSED:
        store.close_conversation(conversation.id)
    return conversation.id


def table(app: AppreciateApp) -> ConversationTable:
    return app.screen.query_one(ConversationTable)


def shown_lines(app: AppreciateApp) -> list[str]:
    """The table as drawn: the header, then a line per conversation."""
    drawn = table(app)
    return [drawn.render_line(y).text.strip() for y in range(len(drawn.rows) + 1)]


async def test_with_no_conversations_it_says_how_to_begin(store: Store) -> None:
    app = AppreciateApp(store)
    async with app.run_test():
        empty = app.screen.query_one("#empty", Static)
        assert empty.display and not app.screen.query_one("#home-views").display
        assert "appreciate demo" in str(empty.render())
        assert "n" in str(empty.render())


async def test_with_every_conversation_in_the_bin_it_says_so(store: Store) -> None:
    binned = add_conversation(store, "Autumn", "2025-10-01", ConversationStatus.CLOSED)
    store.delete_conversation(binned)
    app = AppreciateApp(store)
    async with app.run_test():
        said = str(app.screen.query_one("#empty", Static).render())
        assert "1 deleted conversation is in the bin: press b" in said


async def test_lists_conversations_newest_first(store: Store) -> None:
    add_conversation(store, "Autumn", "2025-10-01", ConversationStatus.CLOSED)
    add_conversation(store, "Spring", "2026-03-12", ConversationStatus.PLANNED)
    app = AppreciateApp(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        header, spring, autumn = (line.split() for line in shown_lines(app))
        assert header[:2] == ["Date", "▼"] and "Agencies" in header
        assert spring[:4] == ["12", "Mar", "2026", "Spring"] and "planned" in spring
        assert autumn[:4] == ["01", "Oct", "2025", "Autumn"] and "closed" in autumn
        detail = str(app.screen.query_one("#conversation-detail", Static).render())
        assert "What works in Spring?" in detail and "Enter starts facilitating" in detail


async def test_hostile_titles_are_shown_not_obeyed(store: Store) -> None:
    """Another program may have written controls into the file; they are shown as symbols."""
    conversation = store.create_conversation("placeholder", "x", date="2026-03-12")
    store.db.execute("UPDATE conversations SET title = ? WHERE id = ?",
                     ["Evil\x1b]0;pwned\x07 [bold]title[/]", conversation.id])
    app = AppreciateApp(store)
    async with app.run_test(size=(160, 30)) as pilot:
        await pilot.pause()
        assert "Evil␛]0;pwned␇ [bold]title[/]" in shown_lines(app)[1]


async def test_enter_on_a_closed_conversation_shows_its_record(store: Store) -> None:
    add_conversation(store, "Autumn", "2025-10-01", ConversationStatus.CLOSED)
    app = AppreciateApp(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        said = " ".join(block.body.plain for block in app.screen.document.blocks)
        assert "When did it go well?" in said and "A strength in Autumn" in said
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_enter_on_a_planned_conversation_opens_facilitation(store: Store) -> None:
    from appreciate_tui.tui.screens.facilitate import FacilitateScreen

    conversation_id = add_conversation(store, "Spring", "2026-03-12", ConversationStatus.PLANNED)
    app = AppreciateApp(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FacilitateScreen)
        assert app.screen.conversation_id == conversation_id


async def test_starting_with_a_live_conversation_opens_it(store: Store) -> None:
    from appreciate_tui.tui.screens.facilitate import FacilitateScreen

    conversation_id = add_conversation(store, "Spring", "2026-03-12", ConversationStatus.LIVE)
    app = AppreciateApp(store, conversation_id=conversation_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, FacilitateScreen)


async def test_starting_with_a_closed_conversation_selects_it(store: Store) -> None:
    add_conversation(store, "Autumn", "2025-10-01", ConversationStatus.CLOSED)
    winter = add_conversation(store, "Winter", "2025-12-01", ConversationStatus.CLOSED)
    add_conversation(store, "Spring", "2026-03-12", ConversationStatus.CLOSED)
    app = AppreciateApp(store, conversation_id=winter)
    async with app.run_test(size=(120, 30)):
        assert isinstance(app.screen, HomeScreen)
        assert table(app).cursor == 1


async def test_n_enter_enter_creates_a_conversation_from_a_bank(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    banks, _ = load_banks()
    opened: list[str] = []
    app = AppreciateApp(store)
    monkeypatch.setattr(app, "open_conversation", opened.append)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        assert isinstance(app.screen, NewConversationScreen)
        await pilot.press("enter")
        title = app.screen.query_one(Input)
        assert title.has_focus and title.value.startswith(banks[0].title)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)

    [conversation] = store.list_conversations()
    assert opened == [conversation.id]
    assert conversation.title == title.value
    assert conversation.bank_id == banks[0].id
    assert conversation.status is ConversationStatus.PLANNED
    assert len(store.list_questions(conversation.id)) == len(banks[0].questions)


async def test_the_bank_used_last_is_offered_first(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    banks, _ = load_banks()
    store.create_conversation("Last time", date="2026-01-01", bank_id=banks[2].id)
    app = AppreciateApp(store)
    monkeypatch.setattr(app, "open_conversation", lambda _: None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        assert app.screen.query_one(OptionList).highlighted == 2


async def test_escape_leaves_without_creating_anything(store: Store) -> None:
    app = AppreciateApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "down", "enter", "escape")
        assert isinstance(app.screen, HomeScreen)
    assert store.list_conversations() == []


async def test_a_read_only_window_cannot_start_a_conversation(db_path: Path) -> None:
    Store.open(db_path).close()
    store = Store.open(db_path, read_only=True)
    try:
        app = AppreciateApp(store)
        async with app.run_test() as pilot:
            await pilot.press("n")
            assert isinstance(app.screen, HomeScreen)
    finally:
        store.close()


async def test_back_on_the_list_the_conversation_just_worked_on_is_highlighted(
    store: Store, frozen_clock: FrozenClock
) -> None:
    add_conversation(store, "Autumn", "2025-10-01", ConversationStatus.CLOSED)
    add_conversation(store, "Spring", "2026-03-12", ConversationStatus.CLOSED)
    app = AppreciateApp(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("down", "enter")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert table(app).cursor == 1, "nothing changed: where it was"

        await pilot.press("enter")
        await pilot.pause()
        frozen_clock.advance(minutes=5)
        add_conversation(store, "Winter", "2025-12-01", ConversationStatus.CLOSED)
        await pilot.press("escape")
        await pilot.pause()
        assert table(app).highlighted.conversation.title == "Winter"
