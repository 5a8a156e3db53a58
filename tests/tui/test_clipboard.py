"""The clipboard choke point: the terminal is always sent the text, the system tool is tried, and
whatever happens the facilitator is told the truth and never sees a crash."""

from __future__ import annotations

import threading

import pyperclip
import pytest

from appreciate_tui import paths
from appreciate_tui.store import Store
from appreciate_tui.tui import clipboard
from appreciate_tui.tui.app import AppreciateApp
from appreciate_tui.tui.dialogs.clipboard_fallback import ClipboardFallbackScreen
from appreciate_tui.tui.screens.home import HomeScreen
from tests.helpers.private import assert_private_dir, assert_private_file

SHEET = "Questions for Thursday\n1. When did a strategy meeting work well for a child?"


pytestmark = pytest.mark.usefixtures("frozen_clock")


def notices(app: AppreciateApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def copied(app: AppreciateApp, pilot: object, text: str) -> None:
    app.copy_to_clipboard(text)
    await app.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]


async def test_with_a_clipboard_tool_it_says_copied(
    store: Store, system_clipboard: list[str]
) -> None:
    app = AppreciateApp(store)
    async with app.run_test() as pilot:
        await copied(app, pilot, SHEET)
        assert app.clipboard == SHEET
        assert system_clipboard == [SHEET]
        assert any(n.startswith("Copied.") for n in notices(app))
        assert isinstance(app.screen, HomeScreen)


async def test_the_history_warning_is_shown_once_a_session(store: Store) -> None:
    app = AppreciateApp(store)
    async with app.run_test() as pilot:
        await copied(app, pilot, "one")
        await copied(app, pilot, "two")
        assert notices(app) == [f"Copied. {clipboard.HISTORY_WARNING}", "Copied."]


async def test_without_a_clipboard_tool_a_private_file_is_offered(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_tool(text: str) -> None:
        raise pyperclip.PyperclipException("Pyperclip could not find a copy/paste mechanism")

    monkeypatch.setattr(pyperclip, "copy", no_tool)
    app = AppreciateApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await copied(app, pilot, SHEET)
        assert app.clipboard == SHEET, "the terminal was still sent the text"
        assert isinstance(app.screen, ClipboardFallbackScreen)
        said = " ".join(str(s.render()) for s in app.screen.query("Static"))
        assert "can't confirm" in said and "no clipboard tool was found" in said
        assert clipboard.HISTORY_WARNING in said, "the first copy of the session says it"
        assert notices(app) == []

        await pilot.press("s")
        (saved,) = paths.exports_dir().iterdir()
        assert saved.read_text(encoding="utf-8") == SHEET
        assert_private_file(saved)
        assert str(saved) in str(app.screen.query_one("#clipboard-saved").render())

        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_a_clipboard_tool_that_hangs_is_given_up_on(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    released = threading.Event()
    monkeypatch.setattr(pyperclip, "copy", lambda text: released.wait(5))
    monkeypatch.setattr(clipboard, "NATIVE_TIMEOUT", 0.2)
    app = AppreciateApp(store)
    try:
        async with app.run_test() as pilot:
            await copied(app, pilot, SHEET)
            assert isinstance(app.screen, ClipboardFallbackScreen)
            said = " ".join(str(s.render()) for s in app.screen.query("Static"))
            assert "did not answer" in said
    finally:
        released.set()


async def test_any_other_failure_is_words_not_a_crash(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(text: str) -> None:
        raise OSError("xclip: cannot open display")

    monkeypatch.setattr(pyperclip, "copy", broken)
    app = AppreciateApp(store)
    async with app.run_test() as pilot:
        await copied(app, pilot, SHEET)
        assert app.is_running
        assert isinstance(app.screen, ClipboardFallbackScreen)


def test_saved_copies_never_overwrite_each_other(frozen_clock: object) -> None:
    first = clipboard.save_copy("first")
    second = clipboard.save_copy("second")
    assert first != second
    assert first.read_text() == "first" and second.read_text() == "second"
    assert_private_dir(paths.exports_dir())
