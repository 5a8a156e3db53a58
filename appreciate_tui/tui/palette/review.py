"""The review screen's commands in the palette (ctrl+p), named `review: verb`.

Each runs exactly what its key runs, and only when the key would (the screen's `check_action`).
The key named in each help text is read from the binding (`{review.find}`), so a key changed in
the settings' keymap is named as changed.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from appreciate_tui.domain import Stance
from appreciate_tui.tui.keys import with_keys
from appreciate_tui.tui.palette.base import Command, GuardedCommand, ScreenCommands, available

if TYPE_CHECKING:
    from appreciate_tui.tui.screens.review import ReviewScreen


def commands(screen: ReviewScreen) -> list[GuardedCommand]:
    found: list[GuardedCommand] = [
        ("review: go to", "go_to", (), screen.action_go_to,
         "Go to a question or a part of the record ({review.go_to})"),
        ("review: find", "find", (), screen.action_find,
         "Find words in the record ({review.find})"),
        ("review: next match", "next_match", (1,), partial(screen.action_next_match, 1),
         "The next place the words are found ({review.next})"),
        ("review: previous match", "next_match", (-1,), partial(screen.action_next_match, -1),
         "The previous place the words are found ({review.previous})"),
        ("review: copy", "copy", (), screen.action_copy,
         "Copy the whole record or a part of it as Markdown ({review.copy})"),
        ("review: export", "export", (), screen.action_export,
         "Export to a file (md, html, docx, csv, json, sealed, question sheet) and record the "
         "share ({review.export})"),
        ("review: correct the record", "edit", (), screen.action_edit,
         "Correct notes' text, stance and who said them ({review.edit})"),
        ("review: correct note text", "edit_text", (), screen.action_edit_text,
         "Correct what the highlighted note says ({review.edit_text} while correcting)"),
        ("review: who said it", "attribute", (), screen.action_attribute,
         "Say who said the highlighted note ({review.attribute} while correcting)"),
        ("review: record", "show_tab", ("record-tab",), partial(screen.action_show_tab, "record-tab"),
         "The record of the conversation ({review.record})"),
        ("review: shared", "show_tab", ("shared-tab",), partial(screen.action_show_tab, "shared-tab"),
         "What was shared, with whom, why and when ({review.shared})"),
        ("review: back", "back", (), screen.action_back,
         "Close the search, stop correcting, or go back to the list ({review.back})"),
    ]
    found += [
        (f"review: stance {stance.label}", "stance", (stance.value,),
         partial(screen.action_stance, stance.value),
         f"Make the highlighted note {stance.label}"
         f" ({{review.stance.{stance.value}}} while correcting)")
        for stance in Stance
    ]
    return [(title, action, parameters, run, with_keys(hint, screen.app, screen))
            for title, action, parameters, run, hint in found]


class ReviewCommands(ScreenCommands):
    def screen_commands(self) -> list[Command]:
        screen = cast("ReviewScreen", self.screen)
        return available(screen, commands(screen))
