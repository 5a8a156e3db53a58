"""The footer makes its keys again whenever the bindings change (each move of the focus, each
screen opened or closed); the keys it made before must go, with everything they drew, or a
session of moving between screens holds more and more and every full collection scans it all."""

from __future__ import annotations

import gc

from appreciate_tui.store import Store
from appreciate_tui.tui.app import AppreciateApp
from appreciate_tui.tui.screens.review import ReviewScreen
from tests.helpers.many_conversations import many

# Not exported by Textual; the version is pinned (pyproject.toml).
from textual.widgets._footer import FooterKey


def footer_keys() -> list[FooterKey]:
    """Every footer key alive, after a full collection."""
    gc.collect()
    return [o for o in gc.get_objects() if isinstance(o, FooterKey)]


async def test_keys_of_earlier_footers_are_let_go(store: Store) -> None:
    conversation_id = many(store, 3)[0]
    before = {id(key) for key in footer_keys()}  # earlier tests' apps, in this process
    app = AppreciateApp(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        for _ in range(4):
            await app.push_screen(ReviewScreen(conversation_id))
            await pilot.pause()
            app.pop_screen()
            await pilot.pause()
            await pilot.press("tab")  # the focus moves: the list's footer is made again
            await pilot.pause()
        keys = [key for key in footer_keys() if id(key) not in before]
        shown = [key for key in keys if key.is_attached]
        assert shown
        assert len(keys) == len(shown), f"{len(keys) - len(shown)} keys of earlier footers held"
