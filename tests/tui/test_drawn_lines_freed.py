"""What a screen drew goes with it when it closes. Textual keeps a cache of two colours per widget
that held each widget's drawn lines (its StylesCache) for the last 1,024 widgets drawn, long after
they had gone: about 110,000 objects once some fifteen records had been opened and closed, all
scanned by every full collection (tui/textual_fixes.py, applied by the app)."""

from __future__ import annotations

import gc
import weakref

from appreciate_tui.store import Store
from appreciate_tui.tui.app import AppreciateApp
from appreciate_tui.tui.screens.review import ReviewScreen
from tests.helpers.many_conversations import many


async def test_the_lines_a_closed_record_drew_are_let_go(store: Store) -> None:
    conversation_id = many(store, 3)[0]
    app = AppreciateApp(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await app.push_screen(ReviewScreen(conversation_id))
        await pilot.pause()
        drawn = [weakref.ref(widget._styles_cache) for widget in app.screen.walk_children()]
        assert len(drawn) > 20
        app.pop_screen()
        await pilot.pause()
        await pilot.pause()
        gc.collect()
        held = [ref for ref in drawn if ref() is not None]
        assert held == [], f"{len(held)} of the closed record's widgets' drawn lines still held"
