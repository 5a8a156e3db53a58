"""The plan screen's commands in the palette (ctrl+p), named `plan: verb`.

Each runs exactly what its key runs, so the palette cannot drift from the keys; the key is named
in the help text, read from the binding (`{people.add}`), so a key changed in the settings' keymap
is named as changed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from appreciate_tui.tui.keys import with_keys
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

    found: list[Command] = [
        ("plan: details", partial(screen.action_show_tab, "details-tab"),
         "Title, topic, when and where, time budget, opening ({plan.details})"),
        ("plan: people", partial(screen.action_show_tab, "people-tab"),
         "Who is invited ({plan.people})"),
        ("plan: questions", partial(screen.action_show_tab, "questions-tab"),
         "The prepared questions ({plan.questions})"),
        ("plan: send questions in advance", screen.action_share_questions,
         "Copy or save the question sheet for participants ({plan.share})"),
        ("plan: facilitate", screen.action_facilitate, "Start facilitating ({plan.facilitate})"),
        ("plan: back", screen.action_back, "Back to the conversations ({plan.back})"),
        ("plan: add questions from a bank", on_questions(questions.action_add_from_bank),
         "Browse the banks and tick questions ({plan_questions.from_bank} in the questions)"),
        ("plan: write a question", on_questions(questions.action_write),
         "Write a question of your own ({plan_questions.write} in the questions)"),
        ("plan: edit question", on_questions(questions.action_edit),
         "Reword the highlighted question ({plan_questions.edit} or Enter in the questions)"),
        ("plan: change phase", on_questions(questions.action_phase),
         "Move the highlighted question to another phase"
         " ({plan_questions.phase} in the questions)"),
        ("plan: move question up", on_questions(partial(questions.action_move, -1)),
         "Move the highlighted question earlier ({plan_questions.up*} in the questions)"),
        ("plan: move question down", on_questions(partial(questions.action_move, 1)),
         "Move the highlighted question later ({plan_questions.down*} in the questions)"),
        ("plan: remove question", on_questions(questions.action_remove),
         "Take the highlighted question out ({plan_questions.remove} in the questions)"),
        ("plan: invite someone", on_people(people.action_add),
         "Add a participant ({people.add} in people)"),
        ("plan: edit participant", on_people(people.action_edit),
         "Change the highlighted participant ({people.edit} or Enter in people)"),
        ("plan: invited or not", on_people(partial(people.action_toggle, "invited")),
         "Mark the highlighted participant invited, or not ({people.invited} in people)"),
        ("plan: came or not", on_people(partial(people.action_toggle, "attended")),
         "Mark the highlighted participant as having taken part, or not ({people.came} in people)"),
        ("plan: remove participant", on_people(people.action_remove),
         "Take the highlighted participant off the list ({people.remove} in people)"),
    ]
    owners = (screen, questions, people)
    return [(title, run, with_keys(hint, screen.app, *owners)) for title, run, hint in found]


class PlanCommands(ScreenCommands):
    def screen_commands(self) -> list[Command]:
        return commands(cast("PlanScreen", self.screen))
