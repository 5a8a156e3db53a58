"""The outcome picker says what is being linked on one line: a highlighted row that runs over
lines has its lines joined, never shown as line-break symbols (␤)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from appreciate_tui.settings import Settings
from appreciate_tui.store import Store
from appreciate_tui.tui.app import AppreciateApp
from appreciate_tui.tui.dialogs.outcome_picker import OutcomePicker, what_line


def test_lines_are_joined() -> None:
    assert what_line("Note: The chair noticed\n  Health · 10:05\n") == (
        "Note: The chair noticed · Health · 10:05"
    )
    assert what_line("Action: Set up a rota") == "Action: Set up a rota"


async def test_the_note_line_has_no_line_break_symbol(db_path: Path) -> None:
    with Store.open(db_path) as store:
        conversation = store.create_conversation("Front door", "Sharing", date="2025-01-10",
                                                 status="closed")
        store.add_action(conversation.id, "Set up a rota", owner="Health", due="2025-02-01")
        app = AppreciateApp(store, settings=Settings())
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("i")
            await app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.press("3", "o")
            await pilot.pause()
            assert isinstance(app.screen, OutcomePicker)
            shown = str(app.screen.query_one("#outcome-what", Static).render())
            assert "Set up a rota" in shown and "\u2424" not in shown
