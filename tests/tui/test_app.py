"""The app shell: it saves before every way out, never prints what was said when it crashes, and
every action has a key, a palette command and a line in the F1 help."""

from __future__ import annotations

import io
import os
import re
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from rich.console import Console
from textual.binding import BindingType
from textual.command import CommandPalette
from textual.screen import Screen
from textual.widgets import Static

from appreciate_tui.portable import CLOSING_SIGNALS
from appreciate_tui.settings import Settings
from appreciate_tui.store import Store
from appreciate_tui.tui.app import AppreciateApp
from appreciate_tui.tui.help_text import render_help
from appreciate_tui.tui.dialogs.help import HELP_DIR, HelpScreen, help_files, help_markdown
from appreciate_tui.tui.screens.home import HomeScreen

SAID_IN_THE_ROOM = "Jamie told the health visitor about the bruises"


@pytest.fixture
def signals_restored() -> Iterator[None]:
    """The app replaces SIGTERM/SIGHUP handling while it runs; put pytest's back afterwards."""
    before = {signum: signal.getsignal(signum) for signum in CLOSING_SIGNALS}
    yield
    for signum, handler in before.items():
        signal.signal(signum, handler)


class DraftScreen(Screen[None]):
    """Stands in for a screen holding a note still being typed."""

    def __init__(self, flushed: list[str], name: str, *, fails: bool = False) -> None:
        super().__init__()
        self.flushed = flushed
        self.label = name
        self.fails = fails

    def flush(self) -> None:
        if self.fails:
            raise LookupError("its widgets are already gone")
        self.flushed.append(self.label)


class FaultyScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [("x", "fail", "Fail")]

    def action_fail(self) -> None:
        note_body = SAID_IN_THE_ROOM
        raise RuntimeError(f"could not save {note_body}")


def printed(renderable: object) -> str:
    console = Console(record=True, width=100, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


async def test_opens_on_the_conversations_list(store: Store) -> None:
    app = AppreciateApp(store)
    async with app.run_test():
        assert isinstance(app.screen, HomeScreen)
        assert app.theme == "appreciate"


async def test_ctrl_q_saves_every_screen_then_quits(store: Store) -> None:
    flushed: list[str] = []
    app = AppreciateApp(store)
    async with app.run_test() as pilot:
        await app.push_screen(DraftScreen(flushed, "below"))
        await app.push_screen(DraftScreen(flushed, "top"))
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert flushed == ["top", "below"]
    assert app.return_code == 0


async def test_a_screen_that_cannot_save_does_not_stop_the_others(store: Store) -> None:
    flushed: list[str] = []
    app = AppreciateApp(store)
    async with app.run_test() as pilot:
        await app.push_screen(DraftScreen(flushed, "below"))
        await app.push_screen(DraftScreen(flushed, "broken", fails=True))
        await pilot.press("ctrl+q")
    assert flushed == ["below"]


@pytest.mark.posix("os.kill of its own process (on Windows it ends the process at once)")
async def test_kill_saves_then_quits(store: Store, signals_restored: None) -> None:
    flushed: list[str] = []
    app = AppreciateApp(store)
    async with app.run_test() as pilot:
        await app.push_screen(DraftScreen(flushed, "typing"))
        os.kill(os.getpid(), signal.SIGTERM)
        await pilot.pause(0.1)
    assert flushed == ["typing"]
    assert app.return_code == 128 + signal.SIGTERM


@pytest.mark.posix("SIGHUP")
async def test_closing_the_window_saves_lets_go_and_leaves_at_once(
    db_path: Path, signals_restored: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    left_with: list[int] = []
    monkeypatch.setattr(AppreciateApp, "_leave_now", staticmethod(left_with.append))
    flushed: list[str] = []
    store = Store.open(db_path)
    app = AppreciateApp(store)
    async with app.run_test() as pilot:
        await app.push_screen(DraftScreen(flushed, "typing"))
        os.kill(os.getpid(), signal.SIGHUP)
        await pilot.pause(0.1)
        assert flushed == ["typing"]
        assert left_with == [128 + signal.SIGHUP]
        another = Store.open(db_path)
        assert not another.read_only, "the database lock was let go"
        another.close()
        app.exit()


async def test_a_crash_prints_no_local_values_and_no_message(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    app = AppreciateApp(store)
    with pytest.raises(RuntimeError):
        async with app.run_test() as pilot:
            await app.push_screen(FaultyScreen())
            await pilot.press("x")
            await pilot.pause()
    printed = capsys.readouterr().err
    assert "RuntimeError" in printed
    assert "action_fail" in printed, "the traceback still says where it failed"
    assert "bruises" not in printed
    assert "─ locals ─" not in printed
    assert "withheld" in printed
    assert str(store.path) in printed.replace("\n", "")  # a long path is wrapped


@pytest.mark.slow  # ~6 s on one core
async def test_f1_opens_the_help_and_escape_closes_it(store: Store) -> None:
    app = AppreciateApp(store)
    async with app.run_test() as pilot:
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        assert "Keys everywhere" in printed(app.screen.query_one("#help-text", Static).content)
        help_text = app.screen.query_one("#help-text", Static)
        drawn = help_text.content
        await pilot.press("ctrl+p", *"theme: appreciate-light")
        await app.screen.workers.wait_for_complete()
        await pilot.press("enter")
        await pilot.pause()
        assert help_text.content is not drawn, "redrawn in the new theme's colours"
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("f1", "f1")
        assert isinstance(app.screen, HomeScreen)


def test_help_puts_the_app_first_then_facilitation_then_the_rest(tmp_path: Path) -> None:
    for name in ("wrapup.md", "facilitate.md", "app.md", "banks.md"):
        (tmp_path / name).write_text(f"# {name}\n", encoding="utf-8")
    assert [path.name for path in help_files(tmp_path)] == [
        "app.md", "facilitate.md", "banks.md", "wrapup.md"
    ]
    assert help_markdown(tmp_path).index("# app.md") == 0


def test_help_can_start_at_one_screens_file(tmp_path: Path) -> None:
    for name in ("wrapup.md", "facilitate.md", "app.md", "home.md"):
        (tmp_path / name).write_text(f"# {name}\n", encoding="utf-8")
    assert [path.name for path in help_files(tmp_path, first="wrapup.md")] == [
        "wrapup.md", "app.md", "home.md", "facilitate.md"
    ]
    assert help_markdown(tmp_path, first="facilitate.md").index("# facilitate.md") == 0


@pytest.mark.slow  # ~4 s on one core
async def test_f1_opens_at_the_help_of_the_screen_it_was_pressed_on(store: Store) -> None:
    from appreciate_tui.tui.screens.facilitate import FacilitateScreen

    conversation = store.create_conversation(title="Spring", topic="Is it working?")
    store.start_conversation(conversation.id)
    app = AppreciateApp(store)
    async with app.run_test() as pilot:
        await pilot.press("f1")
        assert printed(app.screen.query_one("#help-text", Static).content).lstrip().startswith(
            first_heading("home.md"))
        await pilot.press("escape")
        app.open_conversation(conversation.id)
        await pilot.pause()
        assert isinstance(app.screen, FacilitateScreen)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        assert printed(app.screen.query_one("#help-text", Static).content).lstrip().startswith(
            first_heading("facilitate.md"))


def first_heading(name: str) -> str:
    """The words of a help file's first heading, as the help draws them."""
    for line in (HELP_DIR / name).read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            return line.lstrip("#").strip()
    raise AssertionError(f"{name} has no heading")


def test_the_help_is_drawn_whole_in_the_theme_colours() -> None:
    markdown = "\n".join([
        "# Title", "", "Say `n` **now**.", "", "| Key | Does |", "|---|---|", "| `F1` | Help |", "",
        "- one", "- two",
    ])
    text = printed(render_help(markdown, {"primary": "#5FB3B3", "accent": "#E0B872"}))
    assert [line.rstrip() for line in text.splitlines() if line.strip()] == [
        "Title", "Say n now.", "Key  Does", "F1   Help", "• one", "• two"
    ]


def test_the_whole_packaged_help_renders_quickly() -> None:
    started = time.perf_counter()
    text = printed(render_help(help_markdown(), {}))
    assert time.perf_counter() - started < 0.5
    for line in (HELP_DIR / "app.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("| `"):
            key = line.split("`")[1]
            assert key in text, key


def test_every_key_and_command_is_in_the_help() -> None:
    help_text = help_markdown()
    bindings = [*AppreciateApp.BINDINGS, *HomeScreen.BINDINGS]
    for binding in bindings:
        if binding.show:
            assert binding.description in help_text, binding
    for command in ("conversation: new", "conversation: open", "app: help", "view: next theme",
                    "theme: ", "app: quit"):
        assert f"`{command}" in help_text, command


async def test_every_app_action_is_in_the_palette(store: Store) -> None:
    app = AppreciateApp(store)
    async with app.run_test() as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await app.screen.workers.wait_for_complete()
        await pilot.pause(0.1)
        listed = " ".join(
            str(option.prompt) for option in app.screen.query_one("CommandList").options
        )
    for title in ("conversation: new", "app: help", "view: next theme", "theme: appreciate-light",
                  "app: quit"):
        assert title in listed, title


async def test_the_palette_runs_a_command(store: Store) -> None:
    app = AppreciateApp(store)
    async with app.run_test() as pilot:
        await pilot.press("ctrl+p", *"theme: appreciate-light")
        await app.screen.workers.wait_for_complete()
        await pilot.pause(0.1)
        await pilot.press("enter")
        await pilot.pause()
        assert app.theme == "appreciate-light"


async def test_a_remapped_key_works(store: Store) -> None:
    app = AppreciateApp(store, settings=Settings(keymap={"app.help": "f10"}))
    async with app.run_test() as pilot:
        await pilot.press("f10")
        assert isinstance(app.screen, HelpScreen)


async def test_a_read_only_database_says_so(db_path: Path) -> None:
    Store.open(db_path).close()
    store = Store.open(db_path, read_only=True)
    app = AppreciateApp(store)
    told: list[str] = []
    app.notify = lambda message, **_: told.append(message)  # type: ignore[method-assign]
    try:
        async with app.run_test():
            banner = app.screen.query_one("#read-only")
            assert re.search("read-only", str(banner.render()), re.IGNORECASE)
            assert any("Read-only" in message for message in told)
    finally:
        store.close()


async def test_a_live_conversation_in_a_read_only_window_opens_as_its_record(
    db_path: Path,
) -> None:
    """Another appreciate holds the database: the facilitation screen, which exists to capture,
    cannot be entered; the conversation is shown as its record instead."""
    from appreciate_tui.tui.screens.facilitate import FacilitateScreen
    from appreciate_tui.tui.screens.review import ReviewScreen

    with Store.open(db_path) as writer:
        conversation = writer.create_conversation("Strategy meeting", "What helps?")
        writer.start_conversation(conversation.id)
    store = Store.open(db_path, read_only=True)
    app = AppreciateApp(store)
    try:
        async with app.run_test() as pilot:
            app.open_conversation(conversation.id)
            await pilot.pause()
            assert isinstance(app.screen, ReviewScreen)
            assert not any(isinstance(s, FacilitateScreen) for s in app.screen_stack)
    finally:
        store.close()


async def test_a_damaged_page_found_after_the_first_paint_makes_the_window_read_only(
    db_path: Path,
) -> None:
    from tests.helpers.damage import damage_the_notes_table

    with Store.open(db_path) as writer:
        writer.create_conversation("Strategy meeting", "What helps?")
    data = damage_the_notes_table(db_path)

    store = Store.open(db_path, check="deferred")
    app = AppreciateApp(store)
    told: list[str] = []
    app.notify = lambda message, **_: told.append(message)  # type: ignore[method-assign]
    try:
        async with app.run_test() as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert store.read_only
            assert any("has not been changed" in message for message in told)
            banner = app.screen.query_one("#read-only")
            assert "integrity check" in str(banner.render())
    finally:
        store.close()
    assert db_path.read_bytes() == data
