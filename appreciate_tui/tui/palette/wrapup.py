"""The wrap-up screen's commands in the palette (ctrl+p), named `wrap-up: verb`.

Each runs exactly what its key runs, so the palette cannot drift from the keys; the key is named
in the help text.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

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

    return [
        ("wrap-up: actions", partial(screen.action_show_tab, "actions-tab"),
         "What will happen, who owns it, by when (F3)"),
        ("wrap-up: escalations", partial(screen.action_show_tab, "escalations-tab"),
         "Flagged notes, until each is handled (F4)"),
        ("wrap-up: feedback", partial(screen.action_show_tab, "feedback-tab"),
         "Participants' feedback on the activity (F5)"),
        ("wrap-up: learning", partial(screen.action_show_tab, "learning-tab"),
         "The key learning and the successes to celebrate (F6)"),
        ("wrap-up: follow-ups", partial(screen.action_show_tab, "follow-ups-tab"),
         "Keep good follow-ups in your own bank (F7)"),
        ("wrap-up: back", screen.action_back, "Back to the conversations (Escape)"),
        ("wrap-up: new action", on_tab("actions-tab", actions.action_new),
         "An action not tied to a note (n in the actions)"),
        ("wrap-up: edit action", on_tab("actions-tab", actions.action_edit),
         "Description, owner, due date, status (e or Enter in the actions)"),
        ("wrap-up: next action status", on_tab("actions-tab", actions.action_status),
         "Open → in progress → done → dropped (s in the actions)"),
        ("wrap-up: remove action", on_tab("actions-tab", actions.action_remove),
         "Remove it; one from a ! note is dropped (d in the actions)"),
        ("wrap-up: mark escalation handled", on_tab("escalations-tab", escalations.action_handle),
         "Who it was passed to, and when (h or Enter in the escalations)"),
        ("wrap-up: add feedback", on_tab("feedback-tab", feedback.action_new),
         "From a participant or an agency (n in the feedback)"),
        ("wrap-up: edit feedback", on_tab("feedback-tab", feedback.action_edit),
         "Change the highlighted feedback (e or Enter in the feedback)"),
        ("wrap-up: remove feedback", on_tab("feedback-tab", feedback.action_remove),
         "Remove the highlighted feedback (d in the feedback)"),
        ("wrap-up: add follow-up to my bank", on_tab("follow-ups-tab", keep.action_bank),
         "Keep it in My questions, in a phase you choose (b or Enter in the follow-ups)"),
        ("wrap-up: keep follow-up", on_tab("follow-ups-tab", keep.action_keep),
         "Mark it worth keeping, or not (k in the follow-ups)"),
    ]


class WrapUpCommands(ScreenCommands):
    def screen_commands(self) -> list[Command]:
        return commands(cast("WrapUpScreen", self.screen))
