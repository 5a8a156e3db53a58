"""The plan screen's commands in the palette (ctrl+p), named `plan: verb`.

Each runs exactly what its key runs, so the palette cannot drift from the keys; the key is named
in the help text.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from appreciate_tui.tui.palette.base import Command, ScreenCommands

if TYPE_CHECKING:
    from appreciate_tui.tui.screens.plan import PlanScreen


def commands(screen: PlanScreen) -> list[Command]:
    from appreciate_tui.tui.widgets.plan_people import PeopleTable
    from appreciate_tui.tui.widgets.plan_questions import PlanQuestions

    questions = screen.query_one(PlanQuestions)
    people = screen.query_one(PeopleTable)

    def on_questions(action: Callable[[], object]) -> Callable[[], None]:
        def run() -> None:
            screen.action_show_tab("questions-tab")
            action()
        return run

    def on_people(action: Callable[[], object]) -> Callable[[], None]:
        def run() -> None:
            screen.action_show_tab("people-tab")
            action()
        return run

    return [
        ("plan: details", partial(screen.action_show_tab, "details-tab"),
         "Title, topic, when and where, time budget, opening (F3)"),
        ("plan: people", partial(screen.action_show_tab, "people-tab"), "Who is invited (F4)"),
        ("plan: questions", partial(screen.action_show_tab, "questions-tab"),
         "The prepared questions (F5)"),
        ("plan: send questions in advance", screen.action_share_questions,
         "Copy or save the question sheet for participants (F6)"),
        ("plan: facilitate", screen.action_facilitate, "Start facilitating (F10)"),
        ("plan: back", screen.action_back, "Back to the conversations (Escape)"),
        ("plan: add questions from a bank", on_questions(questions.action_add_from_bank),
         "Browse the banks and tick questions (a in the questions)"),
        ("plan: write a question", on_questions(questions.action_write),
         "Write a question of your own (n in the questions)"),
        ("plan: edit question", on_questions(questions.action_edit),
         "Reword the highlighted question (e or Enter in the questions)"),
        ("plan: change phase", on_questions(questions.action_phase),
         "Move the highlighted question to another phase (p in the questions)"),
        ("plan: move question up", on_questions(partial(questions.action_move, -1)),
         "Move the highlighted question earlier ([ or shift+↑ in the questions)"),
        ("plan: move question down", on_questions(partial(questions.action_move, 1)),
         "Move the highlighted question later (] or shift+↓ in the questions)"),
        ("plan: remove question", on_questions(questions.action_remove),
         "Take the highlighted question out (d in the questions)"),
        ("plan: invite someone", on_people(people.action_add), "Add a participant (a in people)"),
        ("plan: edit participant", on_people(people.action_edit),
         "Change the highlighted participant (e or Enter in people)"),
        ("plan: invited or not", on_people(partial(people.action_toggle, "invited")),
         "Mark the highlighted participant invited, or not (i in people)"),
        ("plan: came or not", on_people(partial(people.action_toggle, "attended")),
         "Mark the highlighted participant as having taken part, or not (t in people)"),
        ("plan: remove participant", on_people(people.action_remove),
         "Take the highlighted participant off the list (d in people)"),
    ]


class PlanCommands(ScreenCommands):
    def screen_commands(self) -> list[Command]:
        return commands(cast("PlanScreen", self.screen))
