"""A key typed into the note line redraws what it changed, and the rest waits for the echo.

A layout of the facilitation screen places every widget on it again and redraws what moved: on a
full screen, more work than the echo itself, and what made about one key in ten late. So typing must never lay
the screen out: not the note line as its text grows, not the hint under it as a #tag is completed,
not the save indicator as it turns from "saved" to "typing" and back. The draft's write and the
indicator's restyling are put just after the frame that echoes the key (`AfterFrame`), not in
front of it. The tests count: layouts of the screen, lines of the notes list drawn again, and what
happened before and after each frame. Nothing here times anything (benchmarks/tui.py does).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from appreciate_tui.store import Store
from appreciate_tui.tui.app import AppreciateApp
from appreciate_tui.tui.state.autosave import SaveReport, SaveState
from appreciate_tui.tui.state.autosave import AfterFrame
from appreciate_tui.tui.screens.facilitate import FacilitateScreen
from appreciate_tui.tui.widgets.note_list import NoteList
from appreciate_tui.tui.widgets.save_status import SaveStatus
from tests.conftest import FrozenClock
from tests.tui.facilitate_data import make_mid_conversation


@pytest.fixture
def conversation(db_path: Path, frozen_clock: FrozenClock) -> Iterator[tuple[Store, str]]:
    store = Store.open(db_path)
    cid = make_mid_conversation(store, frozen_clock.advance)
    store.save_draft(cid, "note", "")
    yield store, cid
    store.close()


def draft(store: Store, cid: str) -> str:
    return store.get_draft(cid, "note")


async def echo_waiting(screen: FacilitateScreen, key: str) -> None:
    """Type `key` into the note line and return once its echo waits for the next frame."""
    screen.notes_pane.input.insert_text_at_cursor(key)
    for _ in range(1000):
        if screen._dirty_widgets:  # Textual's own list of what the next frame redraws
            return
        await asyncio.sleep(0)
    raise AssertionError("the key never asked for a frame")


async def test_typing_a_note_lays_out_nothing_and_redraws_no_note(
    conversation: tuple[Store, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, cid = conversation
    app = AppreciateApp(store, conversation_id=cid)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FacilitateScreen)
        assert screen.notes_pane.notes.option_count >= 3, "a list with notes on it"
        await pilot.pause(0.1)
        counted: dict[str, int] = {"layouts": 0, "note lines": 0}

        def counting(name: str, method: Any) -> Any:
            def count(self: Any, *args: Any, **kwargs: Any) -> Any:
                counted[name] += 1
                return method(self, *args, **kwargs)

            return count

        # Private Textual method (pinned version): the one place a screen is laid out.
        layout = FacilitateScreen._refresh_layout
        monkeypatch.setattr(FacilitateScreen, "_refresh_layout", counting("layouts", layout))
        monkeypatch.setattr(NoteList, "render_line", counting("note lines", NoteList.render_line))
        shown: list[str] = []
        show = SaveStatus.show

        def showing(self: SaveStatus, report: SaveReport) -> None:
            shown.append(report.state.value)
            show(self, report)

        monkeypatch.setattr(SaveStatus, "show", showing)

        # Past the autosave's wait at least twice: the indicator turns to typing and back each time.
        await pilot.press(*"+ok")
        await pilot.pause(0.3)
        assert draft(store, cid) == "+ok"
        await pilot.press(*" #p")  # the hint offers #police and reads "said by Police 1"
        await pilot.pause(0.3)

        assert shown[:2] == ["typing", "saved"] and shown[-2:] == ["typing", "saved"]
        assert draft(store, cid) == "+ok #p"
        assert screen.notes_pane.input.value == "+ok #p"
        assert "Tab #police" in str(screen.notes_pane.hint.render())
        assert "saved" in str(screen.header_strip.save_status.render())
        assert counted == {"layouts": 0, "note lines": 0}

        # A width the indicator cannot keep still moves what sits beside it.
        screen.header_strip.save_status.show(SaveReport(SaveState.FAILED, "disk full"))
        await pilot.pause()
        assert counted["layouts"] >= 1


async def test_a_draft_write_due_while_a_key_waits_for_its_echo_comes_after_the_echo(
    conversation: tuple[Store, str],
) -> None:
    store, cid = conversation
    app = AppreciateApp(store, conversation_id=cid)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FacilitateScreen)
        await pilot.pause(0.1)
        happened: list[str] = []
        frame = screen._compositor_refresh

        def framed() -> None:
            happened.append("frame")
            frame()

        # Private Textual method (pinned version): where a frame is drawn.
        screen._compositor_refresh = framed  # type: ignore[method-assign]

        # The screen's autosave times its writes this way.
        timed = screen.autosave._schedule(60, lambda: None)
        assert isinstance(timed, AfterFrame)
        timed.stop()
        await pilot.press("a")
        await pilot.pause(0.3)
        assert draft(store, cid) == "a"

        # Falling due with a frame to draw: written just after it.
        write = AfterFrame(screen, 60, lambda: happened.append("write"))
        happened.clear()
        await echo_waiting(screen, "b")
        write._due()
        assert happened == []
        await pilot.pause()
        assert happened[:2] == ["frame", "write"]

        # Stopped after falling due (Enter wrote the note first): never written.
        stopped = AfterFrame(screen, 60, lambda: happened.append("stopped write"))
        await echo_waiting(screen, "c")
        stopped._due()
        stopped.stop()
        await pilot.pause()
        assert "stopped write" not in happened
        write.stop()
        stopped.stop()


async def test_typing_is_shown_just_after_the_echo_of_the_key_that_began_it(
    conversation: tuple[Store, str],
) -> None:
    store, cid = conversation
    app = AppreciateApp(store, conversation_id=cid)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FacilitateScreen)
        await pilot.pause(0.1)
        status = screen.header_strip.save_status
        assert "saved" in str(status.render())

        await echo_waiting(screen, "a")
        screen._show_report(SaveReport(SaveState.TYPING))
        assert "saved" in str(status.render())  # the key's echo goes out first
        await pilot.pause()
        assert "typing" in str(status.render())

        # Whatever is reported last is what stays, drawn or not.
        await echo_waiting(screen, "b")
        screen._show_report(SaveReport(SaveState.SAVED))
        screen._show_report(SaveReport(SaveState.TYPING))
        screen._show_report(SaveReport(SaveState.FAILED, "disk full"))
        assert "NOT SAVED" in str(status.render())  # at once: a failure never waits
        await pilot.pause()
        assert "typing" not in str(status.render())  # the report put off is not drawn over it
