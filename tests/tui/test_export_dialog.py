"""Exporting from inside the app (`x` on the review and the wrap-up, or the palette): every format
the command line makes, written 0600 where the facilitator says, never over a file unasked, the
share recorded as the command line records it; and what stops an export said in words, nothing
lost."""

from __future__ import annotations

import errno
import stat
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, Select, Static

from appreciate_tui import paths
from appreciate_tui.settings import Settings
from appreciate_tui.store import SaveError, Store
from appreciate_tui.tui.app import AppreciateApp
from appreciate_tui.tui.dialogs.confirm import ConfirmScreen
from appreciate_tui.tui.dialogs.export import FORMATS, ExportScreen, request_for
from appreciate_tui.tui.screens.review import ReviewScreen
from appreciate_tui.tui.screens.wrapup import WrapUpScreen
from appreciate_tui.tui.widgets.shares_table import SharesTable
from tests.conftest import FrozenClock
from tests.tui.test_review import Meeting, make_meeting

pytestmark = pytest.mark.usefixtures("utc")

NAME, EMAIL = "Sam Stone", "sam.stone@police.example.uk"


@pytest.fixture
def meeting(store: Store, frozen_clock: FrozenClock) -> Meeting:
    made = make_meeting(store)
    store.update_note(made.starred, body=f"{NAME} rang back within the hour ({EMAIL})")
    return made


@asynccontextmanager
async def exporting(store: Store, meeting: Meeting, *, where: str = "review",
                    size: tuple[int, int] = (80, 24)
                    ) -> AsyncIterator[tuple[AppreciateApp, Pilot, ExportScreen]]:
    app = AppreciateApp(store)
    async with app.run_test(size=size) as pilot:
        screen = ReviewScreen(meeting.id) if where == "review" else WrapUpScreen(meeting.id)
        await app.push_screen(screen)
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportScreen)
        yield app, pilot, dialog


async def choose(pilot: Pilot, dialog: ExportScreen, choice: str, *, redact: bool = False,
                 **fields: str) -> None:
    dialog.query_one("#export-format", Select).value = choice
    dialog.query_one("#export-redact", Checkbox).value = redact
    await pilot.pause()
    for name, value in fields.items():
        dialog.query_one(f"#export-{name}", Input).value = value
    await pilot.pause()


def path_field(dialog: ExportScreen) -> Path:
    return Path(dialog.query_one("#export-path", Input).value).expanduser()


def problem(dialog: ExportScreen) -> str:
    return str(dialog.query_one("#export-problem", Static).render())


def said(app: AppreciateApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


def private(path: Path) -> bool:
    return stat.S_IMODE(path.stat().st_mode) == 0o600


# ------------------------------------------------------------------ exporting


async def test_from_the_review_the_file_is_written_recorded_and_shown(
        store: Store, meeting: Meeting) -> None:
    async with exporting(store, meeting) as (app, pilot, dialog):
        await choose(pilot, dialog, "html", redact=True, recipient="MASH partners",
                     purpose="learning review")
        target = path_field(dialog)
        assert target.parent == paths.exports_dir() and target.name.endswith("-redacted.html")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen), "the dialog closed"
        assert target.is_file() and private(target)
        page = target.read_text(encoding="utf-8")
        assert NAME not in page and EMAIL not in page, "redacted: no names, no addresses"
        assert any(str(target) in message for message in said(app)), "the notification names it"
        [share] = store.list_shares(meeting.id)
        assert (share.format, share.redacted, share.recipient, share.purpose, share.path) == (
            "html", True, "MASH partners", "learning review", str(target))
        table = app.screen.query_one("#shares", SharesTable)
        assert table.row_count == 1, "the Shared tab shows it at once"


async def test_without_redaction_the_names_typed_in_the_notes_stay(
        store: Store, meeting: Meeting) -> None:
    """So the test above shows redaction at work, not a note that never held the name."""
    async with exporting(store, meeting) as (_app, pilot, dialog):
        await choose(pilot, dialog, "md")
        target = path_field(dialog)
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert NAME in target.read_text(encoding="utf-8")


@pytest.mark.parametrize("choice", [key for _, key in FORMATS])
async def test_every_format_from_the_wrap_up(store: Store, meeting: Meeting,
                                             choice: str) -> None:
    async with exporting(store, meeting, where="wrapup") as (app, pilot, dialog):
        if choice == "sealed":
            await choose(pilot, dialog, choice, passphrase="correct horse",
                         repeat="correct horse")
        else:
            await choose(pilot, dialog, choice)
        target = path_field(dialog)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, WrapUpScreen), problem(dialog)
    assert target.is_file() and private(target) and target.stat().st_size > 0
    if choice.startswith("feedback-"):
        assert store.list_shares(meeting.id) == [], "a blank form names no one: not a share"
        return
    [share] = store.list_shares(meeting.id)
    assert share.format == request_for(choice, redact=False).share_format
    assert share.path == str(target)
    if choice == "sealed":
        assert not target.read_bytes().lstrip().startswith(b"{"), "sealed, not plain JSON"


async def test_the_palette_opens_it_on_both_screens(store: Store, meeting: Meeting) -> None:
    from appreciate_tui.tui.palette.review import commands as review_commands
    from appreciate_tui.tui.palette.wrapup import commands as wrapup_commands

    app = AppreciateApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        review = ReviewScreen(meeting.id)
        await app.push_screen(review)
        await pilot.pause()
        [run] = [c[3] for c in review_commands(review) if c[0] == "review: export"]
        run()
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        await pilot.press("escape")
        wrapup = WrapUpScreen(meeting.id)
        await app.push_screen(wrapup)
        await pilot.pause()
        [(_, run, hint)] = [c for c in wrapup_commands(wrapup) if c[0] == "wrap-up: export"]
        assert "(x)" in hint
        run()
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)


# ------------------------------------------------------------------ nothing written unasked


async def test_cancel_writes_nothing(store: Store, meeting: Meeting) -> None:
    async with exporting(store, meeting) as (app, pilot, dialog):
        await choose(pilot, dialog, "docx", recipient="someone")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
    assert not paths.exports_dir().exists(), "not even the folder"
    assert store.list_shares(meeting.id) == []


async def test_an_existing_file_is_replaced_only_when_asked(store: Store, meeting: Meeting,
                                                            tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    target.write_text("the partnership's own edits", encoding="utf-8")
    async with exporting(store, meeting) as (app, pilot, dialog):
        await choose(pilot, dialog, "md", path=str(target))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is dialog, "back in the dialog, everything kept"
        assert target.read_text(encoding="utf-8") == "the partnership's own edits"
        assert store.list_shares(meeting.id) == []
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
    assert "Strategy meetings" in target.read_text(encoding="utf-8") and private(target)
    assert len(store.list_shares(meeting.id)) == 1


async def test_a_folder_given_takes_the_default_name(store: Store, meeting: Meeting,
                                                     tmp_path: Path) -> None:
    async with exporting(store, meeting) as (_app, pilot, dialog):
        await choose(pilot, dialog, "csv-actions")
        name = path_field(dialog).name
        dialog.query_one("#export-path", Input).value = str(tmp_path)
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert (tmp_path / name).is_file() and "-actions-" in name and name.endswith(".csv")


# ------------------------------------------------------------------ failures said, nothing lost


async def test_a_folder_that_is_not_there_is_said(store: Store, meeting: Meeting,
                                                  tmp_path: Path) -> None:
    async with exporting(store, meeting) as (app, pilot, dialog):
        await choose(pilot, dialog, "html", recipient="MASH partners",
                     path=str(tmp_path / "missing" / "report.html"))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog
        assert "there is no such folder" in problem(dialog)
        assert dialog.query_one("#export-recipient", Input).value == "MASH partners"
    assert store.list_shares(meeting.id) == []


@pytest.mark.parametrize(("code", "words"), [(errno.EACCES, "you cannot write in that folder"),
                                             (errno.ENOSPC, "the disk is full")])
async def test_an_unwritable_folder_or_a_full_disk_is_said(
        store: Store, meeting: Meeting, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        code: int, words: str) -> None:
    def refused(*args: object, **kwargs: object) -> Path:
        raise OSError(code, "refused")

    # Root writes anywhere, so the refusal is the one the system would give.
    monkeypatch.setattr(paths, "write_private", refused)
    async with exporting(store, meeting) as (app, pilot, dialog):
        await choose(pilot, dialog, "html", path=str(tmp_path / "report.html"))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog
        assert words in problem(dialog)
    assert not (tmp_path / "report.html").exists()
    assert store.list_shares(meeting.id) == []


async def test_a_share_that_cannot_be_recorded_leaves_no_file(
        store: Store, meeting: Meeting, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(*args: object, **kwargs: object) -> None:
        raise SaveError("the disk is full")

    monkeypatch.setattr(store, "record_share", full)
    async with exporting(store, meeting) as (app, pilot, dialog):
        await choose(pilot, dialog, "md", path=str(tmp_path / "report.md"))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog
        assert "could not be recorded" in problem(dialog)
    assert not (tmp_path / "report.md").exists(), "no export that no record knows of"


async def test_a_sealed_bundle_needs_the_same_passphrase_twice(
        store: Store, meeting: Meeting) -> None:
    async with exporting(store, meeting) as (app, pilot, dialog):
        await choose(pilot, dialog, "sealed", passphrase="correct horse", repeat="correct hose")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "differ" in problem(dialog)
        await choose(pilot, dialog, "sealed", passphrase="short", repeat="short")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "at least 8 characters" in problem(dialog)
        assert app.screen is dialog
    assert store.list_shares(meeting.id) == []


async def test_a_read_only_window_says_why_and_opens_nothing(
        db_path: Path, meeting: Meeting, store: Store) -> None:
    store.close()
    reader = Store.open(db_path, read_only=True)
    try:
        app = AppreciateApp(reader)
        async with app.run_test(size=(80, 24)) as pilot:
            await app.push_screen(ReviewScreen(meeting.id))
            await pilot.pause()
            await pilot.press("x")
            await pilot.pause()
            assert isinstance(app.screen, ReviewScreen)
            assert any("Read-only" in message for message in said(app))
    finally:
        reader.close()


async def test_the_remembered_word_template_is_named(store: Store, meeting: Meeting,
                                                     tmp_path: Path) -> None:
    Settings(docx_template=str(tmp_path / "gone.docx")).save()
    async with exporting(store, meeting) as (_app, pilot, dialog):
        await choose(pilot, dialog, "docx")
        note = str(dialog.query_one("#export-note", Static).render())
        assert "gone.docx" in note and "is not there" in note
        await choose(pilot, dialog, "html")
        assert "gone.docx" not in str(dialog.query_one("#export-note", Static).render())
