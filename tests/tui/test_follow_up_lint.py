"""A follow-up typed in the room gets the question linter's hints as it is typed, and they go away
once it reads well; the follow-up is still asked as written (a hint, never a block)."""

from __future__ import annotations


import pytest

from appreciate_tui.store import Store
from appreciate_tui.tui.app import AppreciateApp
from appreciate_tui.tui.screens.facilitate import FacilitateScreen
from appreciate_tui.tui.widgets.live_lint import LiveLint
from tests.tui.facilitate_data import make_conversation


pytestmark = pytest.mark.usefixtures("frozen_clock")


async def test_follow_up_is_linted_as_it_is_typed(store: Store) -> None:
    cid = make_conversation(store)
    app = AppreciateApp(store, conversation_id=cid)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FacilitateScreen)
        lint = screen.query_one("#flow-lint", LiveLint)
        await pilot.press("f3")
        assert app.focused is screen.flow.input
        assert not lint.display
        screen.flow.input.value = "What works well and what doesn"
        await pilot.press("'", "t", "?")  # the last keys typed, as in the room
        await pilot.pause()
        assert lint.display
        shown = str(lint.render())
        assert "Double-barrelled" in shown and "What would make it work even better?" in shown
        assert "⚠ Deficit. Try:" in shown

        screen.flow.input.value = "What made health able to come?"
        await pilot.pause()
        assert not lint.display

        screen.flow.input.value = "What are the barriers to health attending?"
        await pilot.press("enter")
        await pilot.pause()
        asked = [q.text for q in store.list_questions(cid) if q.is_follow_up]
        assert asked == ["What are the barriers to health attending?"]
        assert not lint.display  # the field is empty again
