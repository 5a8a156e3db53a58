"""The wrap-up screen's commands in the palette (ctrl+p), named `wrap-up: verb`.

Each runs exactly what its key runs, so the palette cannot drift from the keys; the key is named
in the help text, read from the binding (`{actions.new}`), so a key changed in the settings'
keymap is named as changed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from appreciate_tui.tui.keys import with_keys
from appreciate_tui.tui.palette.base import Command, ScreenCommands

if TYPE_CHECKING:
    from appreciate_tui.tui.screens.wrapup import WrapUpScreen


def commands(screen: WrapUpScreen) -> list[Command]:
    from appreciate_tui.tui.widgets.actions_table import ActionsTable
    from appreciate_tui.tui.widgets.escalation_list import EscalationList
    from appreciate_tui.tui.widgets.feedback_table import FeedbackTable
    from appreciate_tui.tui.widgets.keep_list import KeepList

    actions = screen.query_one(ActionsTable)
    escalations = screen.query_one(EscalationList)
    feedback = screen.query_one(FeedbackTable)
    keep = screen.query_one(KeepList)

    def on_tab(tab: str, action: Callable[[], object]) -> Callable[[], None]:
        def run() -> None:
            screen.action_show_tab(tab)
            action()
        return run

    found: list[Command] = [
        ("wrap-up: actions", partial(screen.action_show_tab, "actions-tab"),
         "What will happen, who owns it, by when ({wrapup.actions})"),
        ("wrap-up: escalations", partial(screen.action_show_tab, "escalations-tab"),
         "Flagged notes, until each is handled ({wrapup.escalations})"),
        ("wrap-up: feedback", partial(screen.action_show_tab, "feedback-tab"),
         "Participants' feedback on the activity ({wrapup.feedback})"),
        ("wrap-up: learning", partial(screen.action_show_tab, "learning-tab"),
         "The key learning and the successes to celebrate ({wrapup.learning})"),
        ("wrap-up: follow-ups", partial(screen.action_show_tab, "follow-ups-tab"),
         "Keep good follow-ups in your own bank ({wrapup.follow_ups})"),
        ("wrap-up: back", screen.action_back, "Back to the conversations ({wrapup.back})"),
        ("wrap-up: export", screen.action_export,
         "Export to a file (md, html, docx, csv, json, sealed, question sheet) and record the "
         "share ({wrapup.export})"),
        ("wrap-up: new action", on_tab("actions-tab", actions.action_new),
         "An action not tied to a note ({actions.new} in the actions)"),
        ("wrap-up: edit action", on_tab("actions-tab", actions.action_edit),
         "Description, owner, due date, status ({actions.edit} or Enter in the actions)"),
        ("wrap-up: next action status", on_tab("actions-tab", actions.action_status),
         "Open → in progress → done → dropped ({actions.status} in the actions)"),
        ("wrap-up: remove action", on_tab("actions-tab", actions.action_remove),
         "Remove it; one from a ! note is dropped ({actions.remove} in the actions)"),
        ("wrap-up: mark escalation handled", on_tab("escalations-tab", escalations.action_handle),
         "Who it was passed to, and when ({escalations.handle} or Enter in the escalations)"),
        ("wrap-up: add feedback", on_tab("feedback-tab", feedback.action_new),
         "From a participant or an agency ({feedback.new} in the feedback)"),
        ("wrap-up: edit feedback", on_tab("feedback-tab", feedback.action_edit),
         "Change the highlighted feedback ({feedback.edit} or Enter in the feedback)"),
        ("wrap-up: remove feedback", on_tab("feedback-tab", feedback.action_remove),
         "Remove the highlighted feedback ({feedback.remove} in the feedback)"),
        ("wrap-up: add follow-up to my bank", on_tab("follow-ups-tab", keep.action_bank),
         "Keep it in My questions, in a phase you choose"
         " ({follow_ups.bank} or Enter in the follow-ups)"),
        ("wrap-up: keep follow-up", on_tab("follow-ups-tab", keep.action_keep),
         "Mark it worth keeping, or not ({follow_ups.keep} in the follow-ups)"),
    ]
    owners = (screen, actions, escalations, feedback, keep)
    return [(title, run, with_keys(hint, screen.app, *owners)) for title, run, hint in found]


class WrapUpCommands(ScreenCommands):
    def screen_commands(self) -> list[Command]:
        return commands(cast("WrapUpScreen", self.screen))
