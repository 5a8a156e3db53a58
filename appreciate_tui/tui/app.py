"""The app: wires the store, themes, keys and the first screen. Screens do the work."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from rich.console import RenderableType
from textual.app import App
from textual.binding import Binding, BindingType
from textual.driver import Driver
from textual.notifications import SeverityLevel
from textual.screen import Screen

from appreciate_tui import portable
from appreciate_tui.domain import ConversationStatus
from appreciate_tui.settings import Settings
from appreciate_tui.store import NotFound, Store
from appreciate_tui.text import printable
from appreciate_tui.tui import textual_fixes
from appreciate_tui.tui.state import collecting
from appreciate_tui.tui.keys import use_keymap
from appreciate_tui.tui.palette.base import AppreciateCommands
from appreciate_tui.tui.paste import paste_safe
from appreciate_tui.tui.screens.home import HomeScreen
from appreciate_tui.tui.themes import install_themes, next_theme, remember_theme

FACILITATE_CSS = Path(__file__).parent / "screens" / "facilitate.tcss"
SHARE_QUEUE_SECONDS = 2.0
"""How often the app looks for shares exported from the command line (a folder listing)."""


class AppreciateApp(App[None], inherit_bindings=False):
    """appreciate: run, capture and share appreciative conversations."""

    TITLE = "appreciate"
    # The home screen's CSS is loaded here: Textual reads a screen's CSS_PATH when the screen is
    # pushed, and the first screen never is. The facilitation screen's just after it is drawn.
    CSS_PATH: ClassVar = [Path(__file__).parent / "global.tcss", Path(__file__).parent / "app.tcss",
                          Path(__file__).parent / "screens" / "home.tcss"]
    COMMANDS: ClassVar = {AppreciateCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: a dialog does not pass keys on to the app, and F1 in a dialog opens the help.
        Binding("f1", "help", "Help", tooltip="The keys, the quick-note grammar and the meters",
                priority=True, id="app.help"),
        Binding("f2", "next_theme", "Theme", tooltip="Switch to the next colour theme",
                id="app.next_theme"),
        Binding("ctrl+q", "quit", "Quit", tooltip="Save everything and quit", priority=True,
                id="app.quit"),
        # Textual's own: ctrl+c copies in a text field, elsewhere it says how to quit.
        Binding("ctrl+c", "help_quit", "How to quit", show=False, system=True),
    ]

    def __init__(
        self,
        store: Store,
        *,
        conversation_id: str | None = None,
        settings: Settings | None = None,
    ) -> None:
        collecting.hold()  # until the first screen is drawn (`_drawn`)
        textual_fixes.apply()  # before anything is drawn
        super().__init__()
        self.store = store
        self.settings = settings if settings is not None else Settings.load()
        self._start_with = conversation_id
        self._theme_problems = self._install_themes()
        self._stop_watching_for_closing: Callable[[], None] | None = None
        self._queue_said: set[str] = set()

    def _install_themes(self) -> list[str]:
        """Register our themes, choose the remembered one, and say what went wrong, if anything."""
        return install_themes(self, self.settings.theme)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        # Every toast passes here (a widget's notify calls the app's). A reason or a file name in
        # one can carry stored text, so it is shown as stored text is: controls as symbols.
        super().notify(printable(message), title=printable(title), severity=severity,
                       timeout=timeout, markup=markup)

    def get_driver_class(self) -> type[Driver]:
        # Textual's driver, with a paste read whole: an ESC in one never becomes key presses.
        return paste_safe(super().get_driver_class())

    def get_default_screen(self) -> HomeScreen:
        return HomeScreen(selected=self._start_with)

    def on_mount(self) -> None:
        use_keymap(self, self.settings.keymap)
        # Closing the terminal window, `kill`, logging out: Textual handles none of them, and
        # Python's default ends the process before a draft note reaches the disk.
        self._stop_watching_for_closing = portable.watch_for_closing(
            asyncio.get_running_loop(),
            asked_to_quit=lambda code: self.exit(None, code),
            gone=self._terminal_closed,
        )
        if self._theme_problems:
            self.notify("\n".join(self._theme_problems), title="Some themes could not be used",
                        severity="warning", timeout=12, markup=False)
        if self.store.read_only:
            reason = self.store.read_only_reason or "the database is read-only"
            self.notify(f"Read-only: {reason}. You can look but not change anything.",
                        title="Read-only", severity="warning", timeout=15, markup=False)
        self.call_after_refresh(self._drawn)
        if self._start_with:
            self._open_at_start(self._start_with)
        if not self.store.read_only:
            # Shares exported from the command line while this app holds the database.
            self.set_interval(SHARE_QUEUE_SECONDS, self.take_in_queued_shares)
        if self.store.check_pending:
            # The page-by-page check deferred at open, once the first screen has painted (on a
            # busy machine it would otherwise compete with the painting); the store holds back
            # any write until it has passed. Pending only when the file is not in a state already
            # checked (safety.trusted_check): after a crash, a copy, another program's change.
            self.call_after_refresh(
                self.run_worker, self._finish_check, thread=True, name="integrity check"
            )

    def take_in_queued_shares(self) -> None:
        """Record the shares `appreciate export` queued while this app held the database
        (store/share_queue.py), and show them on any Shared tab open on their conversation. A
        queue file that cannot be recorded is set aside and said once; nothing in one stops the
        app."""
        from appreciate_tui.store import share_queue

        store = self.store
        try:
            if store.read_only or store.check_pending or not share_queue.has_waiting(store.path):
                return
            taken = share_queue.take_in(store)
        except Exception as exc:  # a queue is never worth a crash: it waits for the next try
            taken = share_queue.TakenIn(problem=str(exc))
        said = [line for line in (*taken.set_aside, *taken.dropped, taken.problem or "")
                if line and line not in self._queue_said]
        self._queue_said.update(said)
        if said:
            self.notify("\n".join(said), title="Shares from the command line", severity="warning",
                        timeout=20, markup=False)
        if not taken.recorded:
            return
        from appreciate_tui.tui.screens.review import ReviewScreen
        from appreciate_tui.wording import plural

        self.notify(f"Recorded {plural(len(taken.recorded), 'share')} exported from the command "
                    "line (the review's Shared tab lists them).", title="Shared", markup=False)
        shared = {share.conversation_id for share in taken.recorded}
        for screen in self.screen_stack:
            if (isinstance(screen, ReviewScreen) and screen.is_attached
                    and screen.conversation_id in shared):
                screen.show_shares()

    def _drawn(self) -> None:
        """The first screen is on view: read the facilitation screen's CSS before any conversation
        is opened, load what writing needs, and collect garbage again (tui/collecting.py)."""
        self._read_facilitate_css()
        collecting.resume()
        # What writing needs (store/reading.py), loaded before anything is written.
        self.run_worker(self.store.prepare_writes, thread=True, name="prepare writes")

    def _read_facilitate_css(self) -> None:
        """Add the facilitation screen's CSS to the app's, parsing only that file.

        Textual reads it when the screen is first pushed, and then re-parses every stylesheet and
        restyles the whole app, a good part of opening a conversation. It is not read with the
        app's own CSS either: it is the longest, and Textual parses every stylesheet twice before
        the first screen is drawn. Every rule in it sits under FacilitateScreen, so nothing already
        on screen needs restyling."""
        if not self.stylesheet.has_source(str(FACILITATE_CSS), ""):
            self.stylesheet.read(FACILITATE_CSS)
            self.stylesheet.parse()

    def _finish_check(self) -> None:
        failure = self.store.finish_check()
        if failure is not None:
            self.call_from_thread(self._check_failed, failure)

    def _check_failed(self, failure: str) -> None:
        self.notify(f"{failure} Nothing will be written to it: what is on screen can be read "
                    "and copied, but not changed.", title="The database failed its check",
                    severity="error", timeout=60, markup=False)
        home = self.screen_stack[0]
        if isinstance(home, HomeScreen):
            home.show_read_only()

    def on_unmount(self) -> None:
        collecting.resume()  # in case it stopped before its first screen was drawn
        if self._stop_watching_for_closing is not None:
            self._stop_watching_for_closing()

    def _open_at_start(self, conversation_id: str) -> None:
        try:
            conversation = self.store.get_conversation(conversation_id)
        except NotFound:
            self.notify("That conversation is not in this database.", severity="warning")
            return
        if conversation.status is not ConversationStatus.CLOSED:
            self.open_conversation(conversation.id)

    def _terminal_closed(self, code: int) -> None:
        """The window was closed: save, let go of the database and leave at once with `code`.

        There is no terminal left to restore, and Textual's orderly shutdown can wait forever
        writing to the one that vanished (seen with tmux kill-session), holding the database lock.
        On Windows this runs while Windows waits to end the process (portable.py).
        """
        self.flush_all()
        self.store.close()
        self._leave_now(code)

    _leave_now = staticmethod(os._exit)
    """Ends the process without cleanup; tests replace it to stay alive."""

    # ------------------------------------------------------------------ saving and leaving

    def flush_all(self) -> None:
        """Save whatever any open screen holds but has not committed yet (a draft note, say).

        Each screen with a `flush()` saves synchronously. One screen failing, or finding its widgets
        already gone on the way out, must not stop the others from saving.
        """
        for screen in reversed(self.screen_stack):
            flush = getattr(screen, "flush", None)
            if not callable(flush):
                continue
            try:
                flush()
            except Exception as error:  # leaving anyway: save what can be saved
                self.log.error(f"flush of {type(screen).__name__} failed: {type(error).__name__}")

    def exit(
        self, result: None = None, return_code: int = 0, message: RenderableType | None = None
    ) -> None:
        """Every way out (ctrl+q, the palette, a closed terminal, `kill`) saves first."""
        self.flush_all()
        super().exit(result, return_code, message)

    def _fatal_error(self) -> None:
        # Textual's version prints the traceback with show_locals=True, and a local variable may
        # hold what someone said in the meeting. Private API: textual is pinned exactly
        # (pyproject.toml) and tests/tui/test_app.py proves that a crash prints no locals.
        from appreciate_tui.tui.crash import crash_report

        self.flush_all()
        self.bell()
        error = sys.exception() or self._exception
        if error is not None:
            self._exit_renderables.append(crash_report(error, self.store.path))
        self._close_messages_no_wait()

    def copy_to_clipboard(
        self, text: str, *, on_confirmed: Callable[[Path | None], None] | None = None
    ) -> None:
        """Every copy in the app comes here: to the terminal (OSC 52, and `self.clipboard`), then
        to the system's clipboard tool, with an honest report and a private file offered when
        neither is known to have worked (tui/clipboard.py). `on_confirmed` is told once the copy
        is known to have arrived (a copy that is recorded as shared is recorded then). Never
        raises."""
        super().copy_to_clipboard(text)
        from appreciate_tui.tui.clipboard import deliver

        deliver(self, text, on_confirmed)

    # ------------------------------------------------------------------ actions

    def open_conversation(self, conversation_id: str) -> None:
        """Show a conversation: planned or live in the facilitation screen, closed as its record.

        A read-only window shows every conversation as its record: the facilitation screen is
        for capturing, and nothing captured could be kept."""
        conversation = self.store.get_conversation(conversation_id)
        if self.store.read_only and conversation.status is not ConversationStatus.CLOSED:
            self.notify("This window is read-only, so the conversation opens as its record.",
                        severity="warning", markup=False)
        if conversation.status is ConversationStatus.CLOSED or self.store.read_only:
            from appreciate_tui.tui.screens.review import ReviewScreen

            self._show_over_list(ReviewScreen(conversation.id))
        else:
            from appreciate_tui.tui.screens.facilitate import FacilitateScreen

            self._read_facilitate_css()  # not yet done when a conversation opens at start
            self._show_over_list(FacilitateScreen(conversation.id))

    def plan_conversation(self, conversation_id: str) -> None:
        """Show a conversation's plan (details, people, questions) over the conversations list."""
        from appreciate_tui.tui.screens.plan import PlanScreen

        self._show_over_list(PlanScreen(conversation_id))

    def wrap_up_conversation(self, conversation_id: str) -> None:
        """Show a conversation's wrap-up (actions, escalations, feedback, learning) over the list."""
        from appreciate_tui.tui.screens.wrapup import WrapUpScreen

        self._show_over_list(WrapUpScreen(conversation_id))

    def _show_over_list(self, screen: Screen[None]) -> None:
        """Show `screen` straight over the conversations list, whatever was open above the list
        closed first (each closing screen saves what it holds)."""
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(screen)

    def action_new_conversation(self) -> None:
        if self.store.read_only:
            self.notify("This window is read-only, so it cannot start a conversation.",
                        severity="warning", markup=False)
            return
        from appreciate_tui.tui.dialogs.new_conversation import (
            NewConversation,
            NewConversationScreen,
        )

        def opened(created: NewConversation | None) -> None:
            if created is None:
                return
            if created.plan_first:
                self.plan_conversation(created.id)
            else:
                self.open_conversation(created.id)

        self.push_screen(NewConversationScreen(), opened)

    def action_retention(self) -> None:
        from appreciate_tui.tui.dialogs.retention import RetentionScreen

        if not isinstance(self.screen, RetentionScreen):
            self.push_screen(RetentionScreen())

    def action_insights(self) -> None:
        """Insights across every conversation (tui/screens/insights.py)."""
        from appreciate_tui.tui.screens.insights import InsightsScreen

        if not isinstance(self.screen, InsightsScreen):
            self.push_screen(InsightsScreen())

    def action_room_view(self) -> None:
        """Say how to open the view for the room, and copy it: a terminal app cannot open a new
        terminal window the same way on every system, and the facilitator chooses which screen
        it goes on (a projector, a window shared in a call)."""
        from appreciate_tui.tui.present import room_command

        command = room_command(self.store.path)
        self.notify(
            f"Run this in a second terminal window, then put that window on the projector or "
            f"share it: it shows the question being asked, no notes and no names.\n\n{command}",
            title="A view for the room", timeout=30, markup=False,
        )
        self.copy_to_clipboard(command)

    def action_help(self) -> None:
        from appreciate_tui.tui.dialogs.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()  # the key that opened it closes it
            return
        # The help of the screen the facilitator is on comes first (a dialog's own section, else
        # its screen's), then the rest.
        here = next((getattr(screen, "HELP", None) for screen in reversed(self.screen_stack)
                     if getattr(screen, "HELP", None)), None)
        self.push_screen(HelpScreen.at(here))

    def action_next_theme(self) -> None:
        next_theme(self)

    def watch_theme(self, name: str) -> None:
        # While starting, the theme is the remembered one or a stand-in for one that went missing
        # (a user file broke); only a choice the facilitator makes is saved.
        if not self.is_running or name == self.settings.theme:
            return
        self.settings.theme = name
        remember_theme(self, self.settings.save)


def run_app(store: Store, *, conversation_id: str | None = None) -> int:
    """Run the app until the facilitator quits; the exit code for the shell."""
    app = AppreciateApp(store, conversation_id=conversation_id)
    app.run()
    return app.return_code or 0
