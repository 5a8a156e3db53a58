"""The question sheet asks who it is for and records them; a copy is recorded as sent only once it
is known to have arrived; the sheet gives the meeting's time as well as its day."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pyperclip
import pytest
from click.testing import CliRunner
from textual.pilot import Pilot
from textual.widgets import Input, Static

from appreciate_tui import paths
from appreciate_tui.domain import Phase, Share
from appreciate_tui.export import ExportRequest, render
from appreciate_tui.store import Store
from appreciate_tui.tui.app import AppreciateApp
from appreciate_tui.tui.dialogs.clipboard_fallback import ClipboardFallbackScreen
from appreciate_tui.tui.dialogs.share_questions import ShareQuestionsScreen

pytestmark = pytest.mark.usefixtures("frozen_clock")

SHEET_MD = ExportRequest("questions", questions_format="md")


@pytest.fixture
def cid(store: Store) -> str:
    conversation = store.create_conversation("Front door", "What helps a referral land well?",
                                             date="2026-04-16")
    store.add_question(conversation.id, "When did a referral land well?", Phase.DISCOVER)
    return conversation.id


@pytest.fixture
def no_clipboard_tool(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_tool(text: str) -> None:
        raise pyperclip.PyperclipException("no copy/paste mechanism")

    monkeypatch.setattr(pyperclip, "copy", no_tool)


@asynccontextmanager
async def sheet(store: Store, cid: str) -> AsyncIterator[tuple[AppreciateApp, Pilot,
                                                                 ShareQuestionsScreen]]:
    app = AppreciateApp(store)
    async with app.run_test(size=(100, 30)) as pilot:
        app.plan_conversation(cid)
        await pilot.pause()
        await pilot.press("f6")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ShareQuestionsScreen)
        yield app, pilot, screen


async def settle(app: AppreciateApp, pilot: Pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def say_who(pilot: Pilot, screen: ShareQuestionsScreen, who: str) -> None:
    await pilot.press("w")
    assert screen.focused is screen.query_one("#share-recipient", Input)
    await pilot.press(*who, "enter")
    assert screen.focused is not screen.query_one("#share-recipient", Input), "back on the sheet"


# ------------------------------------------------------------------ the meeting's time


def test_the_sheet_gives_the_time_of_the_meeting(store: Store, cid: str) -> None:
    before = render(store, cid, SHEET_MD).text or ""
    assert "on 16 April 2026." in before, "no time fixed yet: the day alone"
    store.update_conversation(cid, start_time="14:00")
    after = render(store, cid, SHEET_MD).text or ""
    assert "on 16 April 2026 at 14:00." in after
    text = render(store, cid, ExportRequest("questions", questions_format="txt")).text or ""
    assert "16 April 2026 at 14:00" in text


# ------------------------------------------------------------------ who it is for


async def test_who_it_is_for_is_recorded_with_a_saved_sheet(store: Store, cid: str) -> None:
    async with sheet(store, cid) as (app, pilot, screen):
        await say_who(pilot, screen, "MASH partners")
        await pilot.press("m")
        await settle(app, pilot)
    (share,) = store.list_shares(cid)
    (saved,) = paths.exports_dir().glob("*.md")
    assert share.format == "questions-md" and share.recipient == "MASH partners"
    assert share.purpose == "questions in advance" and share.path == str(saved)


async def test_the_last_recipient_is_offered_again(store: Store, cid: str) -> None:
    store.record_share(cid, "questions-txt", recipient="Health leads", purpose="questions in advance")
    store.record_share(cid, "md", recipient="The board")  # not a question sheet
    async with sheet(store, cid) as (_, _, screen):
        assert screen.query_one("#share-recipient", Input).value == "Health leads"


# ------------------------------------------------------------------ copies


async def test_a_copy_the_clipboard_tool_took_is_recorded(
    store: Store, cid: str, system_clipboard: list[str]
) -> None:
    async with sheet(store, cid) as (app, pilot, screen):
        await say_who(pilot, screen, "Police")
        await pilot.press("c")
        await settle(app, pilot)
        assert system_clipboard and "When did a referral land well?" in system_clipboard[0]
        assert "Copied for Police: recorded as sent." in str(
            screen.query_one("#share-saved", Static).render())
    (share,) = store.list_shares(cid)
    assert (share.format, share.recipient, share.path) == ("questions-txt", "Police", None)
    assert store.get_conversation(cid).questions_shared_at is not None


@pytest.mark.usefixtures("no_clipboard_tool")
async def test_an_unconfirmed_copy_is_not_recorded(store: Store, cid: str) -> None:
    async with sheet(store, cid) as (app, pilot, _):
        await pilot.press("c")
        await settle(app, pilot)
        assert isinstance(app.screen, ClipboardFallbackScreen)
        assert "recorded as sent once you say it pasted" in " ".join(
            str(s.render()) for s in app.screen.query(Static))
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ShareQuestionsScreen)
    assert store.list_shares(cid) == []
    assert store.get_conversation(cid).questions_shared_at is None


@pytest.mark.usefixtures("no_clipboard_tool")
async def test_a_copy_is_recorded_when_it_pasted_or_was_saved(store: Store, cid: str) -> None:
    async with sheet(store, cid) as (app, pilot, screen):
        await say_who(pilot, screen, "CSC")
        await pilot.press("c")
        await settle(app, pilot)
        await pilot.press("y")  # it pasted
        await pilot.pause()
        assert isinstance(app.screen, ShareQuestionsScreen)
        pasted: list[Share] = store.list_shares(cid)
        assert [(s.recipient, s.path) for s in pasted] == [("CSC", None)]

        await pilot.press("c")
        await settle(app, pilot)
        await pilot.press("s")  # saved instead
        await pilot.pause()
        (copied,) = paths.exports_dir().glob("copied-*.txt")
        fallback = app.screen
        assert isinstance(fallback, ClipboardFallbackScreen)
        assert fallback.check_action("confirm", ()) is False, "already recorded"
        await pilot.press("s")  # a second file of the same copy is not a second share
        await pilot.press("escape")
    shares = store.list_shares(cid)
    assert [(s.format, s.recipient, s.path) for s in shares] == [
        ("questions-txt", "CSC", str(copied)),
        ("questions-txt", "CSC", None),
    ]


async def test_the_fallback_offers_no_confirming_for_a_plain_copy(
    store: Store, no_clipboard_tool: None
) -> None:
    app = AppreciateApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        app.copy_to_clipboard("some text")
        await settle(app, pilot)
        assert isinstance(app.screen, ClipboardFallbackScreen)
        assert app.screen.check_action("confirm", ()) is False
        await pilot.press("y")
        assert isinstance(app.screen, ClipboardFallbackScreen), "y does nothing here"


# ------------------------------------------------------------------ the command line


def test_the_command_line_asks_who_the_sheet_is_for(
    store: Store, cid: str, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from appreciate_tui.cli import export as export_cli
    from appreciate_tui.cli import main

    store.close()  # the command opens the database itself

    monkeypatch.setattr(export_cli, "_at_a_terminal", lambda: True)
    runner = CliRunner()
    asked = runner.invoke(main, ["--db", str(db_path), "export", cid[:8], "--format",
                                 "questions"], input="Partnership leads\n")
    assert asked.exit_code == 0, asked.output
    assert "Who is the question sheet for?" in asked.stderr
    assert "Who is" not in asked.stdout and "When did a referral land well?" in asked.stdout
    given = runner.invoke(main, ["--db", str(db_path), "export", cid[:8], "--format",
                                 "questions", "--recipient", "Board"], input="")
    assert given.exit_code == 0 and "Who is" not in given.stderr
    learning = runner.invoke(main, ["--db", str(db_path), "export", cid[:8], "--format", "md"])
    assert "Who is" not in learning.stderr, "only the question sheet asks"
    with Store.open(db_path) as reopened:
        assert [s.recipient for s in reopened.list_shares(cid)] == ["", "Board",
                                                                    "Partnership leads"]
