"""The review screen's commands in the palette (ctrl+p), named `review: verb`.

Each runs exactly what its key runs, and only when the key would (the screen's `check_action`).
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from appreciate_tui.domain import Stance
from appreciate_tui.tui.palette.base import Command, GuardedCommand, ScreenCommands, available

if TYPE_CHECKING:
    from appreciate_tui.tui.screens.review import ReviewScreen


def commands(screen: ReviewScreen) -> list[GuardedCommand]:
    found: list[GuardedCommand] = [
        ("review: go to", "go_to", (), screen.action_go_to,
         "Go to a question or a part of the record (g)"),
        ("review: find", "find", (), screen.action_find, "Find words in the record (/)"),
        ("review: next match", "next_match", (1,), partial(screen.action_next_match, 1),
         "The next place the words are found (n)"),
        ("review: previous match", "next_match", (-1,), partial(screen.action_next_match, -1),
         "The previous place the words are found (N)"),
        ("review: copy", "copy", (), screen.action_copy,
         "Copy the whole record or a part of it as Markdown (c)"),
        ("review: correct the record", "edit", (), screen.action_edit,
         "Correct notes' text, stance and who said them (e)"),
        ("review: correct note text", "edit_text", (), screen.action_edit_text,
         "Correct what the highlighted note says (e while correcting)"),
        ("review: who said it", "attribute", (), screen.action_attribute,
         "Say who said the highlighted note (a while correcting)"),
        ("review: back", "back", (), screen.action_back,
         "Close the search, stop correcting, or go back to the list (Escape)"),
    ]
    found += [
        (f"review: stance {stance.label}", "stance", (stance.value,),
         partial(screen.action_stance, stance.value),
         f"Make the highlighted note {stance.label} ({stance.mark or '.'} while correcting)")
        for stance in Stance
    ]
    return found


class ReviewCommands(ScreenCommands):
    def screen_commands(self) -> list[Command]:
        screen = cast("ReviewScreen", self.screen)
        return available(screen, commands(screen))
