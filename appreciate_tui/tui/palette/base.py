"""The command palette (ctrl+p): every app action by name, `area: verb`, and each conversation.

A facilitator who forgets a key types a few letters of what they want instead. Each command here
also has a key in the footer and a line in the F1 help (tests/tui/test_app.py checks the help).
Help texts name keys by binding id (`{app.help}`, filled in by `keys.with_keys`), so a key changed
in the settings' keymap is named as changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.screen import Screen

from appreciate_tui.domain import Conversation, ConversationStatus
from appreciate_tui.text import one_line
from appreciate_tui.tui.keys import with_keys
from appreciate_tui.wording import short_date

if TYPE_CHECKING:
    from appreciate_tui.tui.app import AppreciateApp

Command = tuple[str, Callable[[], object], str]
"""A palette entry: its title (`area: verb`), what it runs, and a line of help."""
GuardedCommand = tuple[str, str, tuple[object, ...], Callable[[], object], str]
"""An entry with the screen action (name and parameters) that says whether it applies now."""

RECENT_IN_DISCOVERY = 5
"""How many of the newest conversations the palette offers before anything is typed."""


def available(screen: Screen[Any], entries: Iterable[GuardedCommand]) -> list[Command]:
    """The entries whose action the screen would take now (`check_action`)."""
    return [
        (title, run, help_text)
        for title, action, parameters, run, help_text in entries
        if screen.check_action(action, parameters)
    ]


def _hits(matcher: Matcher, commands: Iterable[Command]) -> Iterator[Hit]:
    for title, run, help_text in commands:
        score = matcher.match(title)
        if score > 0:
            yield Hit(score, matcher.highlight(title), run, help=help_text)


class ScreenCommands(Provider):
    """The palette's commands for the screen it was opened on: all of them before anything is
    typed, the ones that match, best first, after. Subclasses say which (`screen_commands`)."""

    def screen_commands(self) -> list[Command]:
        raise NotImplementedError

    async def discover(self) -> Hits:
        for title, run, help_text in self.screen_commands():
            yield DiscoveryHit(title, run, help=help_text)

    async def search(self, query: str) -> Hits:
        for hit in _hits(self.matcher(query), self.screen_commands()):
            yield hit


class AppreciateCommands(Provider):
    async def startup(self) -> None:
        self._conversations = self._app.store.list_conversations()

    @property
    def _app(self) -> AppreciateApp:
        return cast("AppreciateApp", self.app)

    def _actions(self) -> list[Command]:
        from appreciate_tui.tui.screens.home import HomeScreen

        app = self._app
        commands: list[Command] = [
            ("conversation: new", app.action_new_conversation,
             "Start a conversation from a question bank ({home.new})"),
            ("insights: open", app.action_insights,
             "Stances, themes, actions, voices and outcomes across every conversation"
             " ({home.insights})"),
            ("data: retention", app.action_retention,
             "Conversations past the retention period; erase them after a yes"),
            ("present: a view for the room", app.action_room_view,
             "The command for a second window showing the room the question, no notes (copied)"),
            ("app: help", app.action_help,
             "Keys, the quick-note grammar and the meters ({app.help})"),
            ("view: next theme", app.action_next_theme,
             "Switch to the next colour theme ({app.next_theme})"),
        ]
        commands = [(title, run, with_keys(hint, app, app, HomeScreen))
                    for title, run, hint in commands]
        commands += [
            (f"theme: {name}", partial(setattr, app, "theme", name), "Use this colour theme")
            for name in app.available_themes
        ]
        commands.append(("app: quit", app.action_quit,
                         with_keys("Save everything and quit ({app.quit})", app, app)))
        return commands

    def _openers(self, conversations: list[Conversation]) -> list[Command]:
        return [
            (
                f"conversation: open {one_line(c.title)}",
                partial(self._app.open_conversation, c.id),
                one_line(f"{short_date(c.date)} · {c.status} · {c.topic}"),
            )
            for c in conversations
        ]

    def _before_and_after(self, conversations: list[Conversation]) -> list[Command]:
        """Plan a conversation not yet closed; wrap up one that has started."""
        commands: list[Command] = []
        for c in conversations:
            facts = one_line(f"{short_date(c.date)} · {c.status} · {c.topic}")
            if c.status is not ConversationStatus.CLOSED:
                commands.append((f"conversation: plan {one_line(c.title)}",
                                 partial(self._app.plan_conversation, c.id), facts))
            if c.status is not ConversationStatus.PLANNED:
                commands.append((f"conversation: wrap up {one_line(c.title)}",
                                 partial(self._app.wrap_up_conversation, c.id), facts))
        return commands

    async def discover(self) -> Hits:
        recent = self._openers(self._conversations[:RECENT_IN_DISCOVERY])
        for title, callback, help_text in self._actions() + recent:
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        every = self._conversations
        commands = self._actions() + self._openers(every) + self._before_and_after(every)
        for hit in _hits(self.matcher(query), commands):
            yield hit
