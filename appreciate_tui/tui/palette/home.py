"""The conversations browser's commands in the palette (ctrl+p): `conversation: verb` for the
highlighted conversation, `conversations: verb` for the list.

Each runs exactly what its key runs, and only when the key would (the screen's `check_action`),
so the palette never offers what cannot be done here and now. The key named in each help text is
read from the binding (`{home.plan}`), so a key changed in the settings' keymap is named as changed.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from appreciate_tui.tui.state.browser import SORT_KEYS
from appreciate_tui.tui.keys import with_keys
from appreciate_tui.tui.palette.base import Command, GuardedCommand, ScreenCommands, available

if TYPE_CHECKING:
    from appreciate_tui.tui.screens.home import HomeScreen


def commands(screen: HomeScreen) -> list[GuardedCommand]:
    found: list[GuardedCommand] = [
        ("conversation: open highlighted", "open", (), screen.action_open,
         "Facilitate the highlighted planned or live conversation, or read a closed one"
         " ({home.open})"),
        ("conversation: review", "review", (), screen.action_review,
         "Read the record of the highlighted conversation"
         " ({home.open} on a closed one, or {home.review})"),
        ("conversation: plan", "plan", (), screen.action_plan,
         "Plan the highlighted conversation ({home.plan})"),
        ("conversation: wrap up", "wrap_up", (), screen.action_wrap_up,
         "Actions, escalations, feedback and learning of the highlighted conversation"
         " ({home.wrap_up})"),
        ("conversation: duplicate", "duplicate", (), screen.action_duplicate,
         "Copy the highlighted conversation's plan into a new one ({home.duplicate})"),
        ("conversation: delete", "delete", (), screen.action_delete,
         "Move the highlighted conversation to the bin ({home.delete})"),
        ("conversations: search", "search", (), screen.action_search,
         "Search everything written in every conversation: notes, questions, titles, key "
         "learning, absence reasons, actions and feedback ({home.search})"),
        ("conversations: filter", "filter", (), screen.action_filter,
         "Filter by status, agency and dates ({home.filter})"),
        ("conversations: clear search and filters", "clear", (), screen.action_clear,
         "Show every conversation again ({home.clear})"),
        ("conversations: reverse order", "reverse_sort", (), screen.action_reverse_sort,
         "Reverse the order of the list ({home.reverse})"),
        ("conversations: bin", "bin", (), screen.action_bin,
         "Deleted conversations, to restore or erase ({home.bin})"),
    ]
    found += [
        (f"conversations: sort by {column}", "sort", (), partial(screen.sort_by, column),
         f"Sort the list by {column} ({{home.sort}} moves to the next column)")
        for column in SORT_KEYS
    ]
    return [(title, action, parameters, run, with_keys(hint, screen.app, screen))
            for title, action, parameters, run, hint in found]


class HomeCommands(ScreenCommands):
    def screen_commands(self) -> list[Command]:
        screen = cast("HomeScreen", self.screen)
        return available(screen, commands(screen))
