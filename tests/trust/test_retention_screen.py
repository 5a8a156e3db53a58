"""The retention screen: the conversations past the retention period, listed with their dates,
notes and exports; erasing them only after a confirmation that says what will happen; nothing
erased on "no" or in a read-only window; titles shown as text, never as markup."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Button, DataTable, Static

from appreciate_tui.settings import Settings
from appreciate_tui.store import Store
from appreciate_tui.tui.app import AppreciateApp
from appreciate_tui.tui.dialogs.confirm import ConfirmScreen
from appreciate_tui.tui.dialogs.retention import RetentionScreen, retention_months
from tests.trust.helpers import meeting


@pytest.fixture
def plain_store(db_path: Path, frozen_clock) -> Iterator[Store]:
    store = Store.open(db_path)
    yield store
    store.close()


def three_meetings(store: Store) -> tuple[str, str, str]:
    old, _ = meeting(store, "Old meeting", date="2023-02-01", fillers=3)
    # Written by another program, so never cleaned on the way in: markup and an escape sequence.
    store.db.execute("UPDATE conversations SET title = ? WHERE id = ?",
                     ["Old [b]meeting[/b] \x1b]2;PWNED\x1b\\", old])
    store.db.conn.commit()
    store.record_share(old, "docx", recipient="Board")
    older, _ = meeting(store, "Older meeting", date="2022-11-20", fillers=1)
    recent, _ = meeting(store, "Recent meeting", date="2026-02-01", fillers=1)
    return old, older, recent




def rows(screen: RetentionScreen) -> list[list[str]]:
    table = screen.query_one(DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def test_it_lists_what_is_due_and_erases_after_yes(plain_store: Store) -> None:
    old, older, recent = three_meetings(plain_store)
    app = AppreciateApp(plain_store, settings=Settings())
    async with app.run_test(size=(120, 40)) as pilot:
        screen = RetentionScreen()
        app.push_screen(screen)
        await pilot.pause()
        assert rows(screen) == [
            ["2022-11-20", "Older meeting", "1", "0"],
            ["2023-02-01", "Old [b]meeting[/b] ␛]2;PWNED␛\\", "3", "1"],  # text, not markup
        ]
        assert "24 months" in str(screen.query_one("#retention-rule", Static).render())
        await pilot.press("e")
        await pilot.pause()
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen)
        assert "2 conversations" in confirm._body and "cannot be brought back" in confirm._body
        await pilot.press("y")
        await pilot.pause()
        assert app.screen is screen and rows(screen) == []
        assert "Nothing is due" in str(screen.query_one("#retention-status", Static).render())
        assert screen.query_one("#erase", Button).disabled
        await pilot.press("escape")
        await pilot.pause()
    assert [c.id for c in plain_store.list_conversations()] == [recent]
    assert [(r["target_id"], r["reason"]) for r in plain_store.erasures()] == [
        (older, "retention"), (old, "retention")
    ]


async def test_no_erases_nothing(plain_store: Store) -> None:
    three_meetings(plain_store)
    app = AppreciateApp(plain_store, settings=Settings())
    async with app.run_test(size=(120, 40)) as pilot:
        screen = RetentionScreen()
        app.push_screen(screen)
        await pilot.pause()
        await pilot.click("#erase")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert len(rows(screen)) == 2
    assert len(plain_store.list_conversations()) == 3 and plain_store.erasures() == []


async def test_the_settings_period_decides(plain_store: Store) -> None:
    three_meetings(plain_store)
    app = AppreciateApp(plain_store, settings=Settings(retention_months=38))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = RetentionScreen()
        app.push_screen(screen)
        await pilot.pause()
        assert [r[1] for r in rows(screen)] == ["Older meeting"]
        assert "38 months" in str(screen.query_one("#retention-rule", Static).render())


async def test_a_read_only_window_erases_nothing(db_path: Path, frozen_clock) -> None:
    with Store.open(db_path) as store:
        three_meetings(store)
    store = Store.open(db_path, read_only=True)
    try:
        app = AppreciateApp(store, settings=Settings())
        async with app.run_test(size=(120, 40)) as pilot:
            screen = RetentionScreen()
            app.push_screen(screen)
            await pilot.pause()
            assert len(rows(screen)) == 2 and screen.query_one("#erase", Button).disabled
            await pilot.press("e")
            await pilot.pause()
            assert app.screen is screen  # no confirmation offered
            assert "read-only" in str(screen.query_one("#retention-status", Static).render())
    finally:
        store.close()
    with Store.open(db_path) as store:
        assert len(store.list_conversations()) == 3


def test_a_nonsense_period_falls_back_to_24_months() -> None:
    assert retention_months(Settings(retention_months=0)) == 24
    assert retention_months(Settings(retention_months=True)) == 24  # type: ignore[arg-type]
    assert retention_months(None) == 24
    assert retention_months(Settings(retention_months=6)) == 6


@pytest.mark.skipif(not hasattr(AppreciateApp, "action_retention"),
                    reason="the palette entry is wired into app.py/commands.py from the trust report")
async def test_the_palette_opens_the_retention_screen(plain_store: Store) -> None:
    from textual.command import CommandPalette

    three_meetings(plain_store)
    app = AppreciateApp(plain_store, settings=Settings())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p", *"data: retention")
        assert isinstance(app.screen, CommandPalette)
        await app.screen.workers.wait_for_complete()
        await pilot.pause(0.1)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RetentionScreen) and len(rows(app.screen)) == 2
