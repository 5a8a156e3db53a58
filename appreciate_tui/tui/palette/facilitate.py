"""The facilitation screen's commands in the palette (ctrl+p), named `facilitate: verb`.

Each runs exactly what its key runs (a widget's action or the screen's), so the palette can never
drift from the keys; the key is named in the help text, read from the binding (`{note.edit}` is
the note list's `note.edit` key), so a key changed in the settings' keymap is named as changed.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from appreciate_tui.domain import Stance
from appreciate_tui.tui.keys import with_keys
from appreciate_tui.tui.palette.base import Command, ScreenCommands

if TYPE_CHECKING:
    from appreciate_tui.tui.screens.facilitate import FacilitateScreen


def commands(screen: FacilitateScreen) -> list[Command]:
    notes = screen.notes_pane.notes
    questions = screen.questions
    found: list[Command] = [
        (
            "facilitate: next question",
            screen.action_next_question,
            "Ask the next prepared question ({facilitate.next})",
        ),
        (
            "facilitate: previous question",
            screen.action_previous_question,
            "Go back to the previous prepared question ({facilitate.previous})",
        ),
        (
            "facilitate: follow the flow",
            screen.action_follow_the_flow,
            "Type an unplanned question; it becomes the current one ({facilitate.follow})",
        ),
        (
            "facilitate: write a note",
            screen.action_write_note,
            "Back to the note line ({facilitate.note})",
        ),
        (
            "facilitate: questions",
            screen.action_focus_questions,
            "Move through the questions ({facilitate.questions})",
        ),
        (
            "facilitate: who's here",
            screen.action_focus_voices,
            "Mark who is here ({facilitate.voices})",
        ),
        (
            "facilitate: escalate note",
            screen.action_escalate,
            "Flag the highlighted note as an immediate safeguarding concern"
            " ({facilitate.escalate})",
        ),
        (
            "facilitate: mark escalation handled",
            screen.action_handle_escalation,
            "Record that an escalation was passed on ({facilitate.handled})",
        ),
        (
            "facilitate: round the room",
            screen.action_round_the_room,
            "Invite the next agency here yet to speak on this question ({facilitate.round})",
        ),
        (
            "facilitate: pause or resume",
            screen.action_pause,
            "Stop the clocks for a break, or start them again ({facilitate.pause})",
        ),
        (
            "facilitate: end conversation",
            screen.action_end_conversation,
            "Close the conversation, after a confirmation ({facilitate.end})",
        ),
        (
            "facilitate: back to the list",
            screen.action_back_to_list,
            "The conversations, this one still live; Enter on it comes back ({facilitate.list})",
        ),
        (
            "facilitate: edit note",
            notes.action_edit,
            "Change what the highlighted note says ({note.edit})",
        ),
        (
            "facilitate: who said it",
            notes.action_attribute,
            "Attribute the highlighted note to an agency or participant ({note.attribute})",
        ),
        (
            "facilitate: star note",
            notes.action_star,
            "Star or unstar the highlighted note ({note.star})",
        ),
        (
            "facilitate: flag or unflag escalation",
            notes.action_escalate,
            "Toggle the escalation flag of the highlighted note ({note.escalate})",
        ),
        (
            "facilitate: delete note",
            notes.action_delete,
            "Delete the highlighted note ({note.delete})",
        ),
        (
            "facilitate: undo note change",
            screen.action_undo_note_change,
            "Undo the last change to a note; again for the one before ({note.undo*})",
        ),
        (
            "facilitate: ask note as follow-up",
            notes.action_follow_up,
            "Ask the highlighted note as a follow-up question now ({note.follow_up})",
        ),
        (
            "facilitate: park or unpark note",
            notes.action_park,
            "Put the highlighted note in the parking lot, or take it out ({note.park})",
        ),
        (
            "facilitate: parking lot",
            screen.action_parking_lot,
            "Go to the notes parked to come back to; Enter asks one as a follow-up",
        ),
        (
            "facilitate: mark question asked",
            partial(questions.action_mark, "asked"),
            "Mark the highlighted question asked ({questions.asked} in the questions)",
        ),
        (
            "facilitate: skip question",
            partial(questions.action_mark, "skipped"),
            "Mark the highlighted question skipped ({questions.skip} in the questions)",
        ),
        (
            "facilitate: mark question not yet asked",
            partial(questions.action_mark, "pending"),
            "Mark the highlighted question not yet asked ({questions.not_yet} in the questions)",
        ),
        (
            "facilitate: keep follow-up",
            screen.action_keep_follow_up,
            "Keep the current follow-up for a question bank ({questions.keep})",
        ),
    ]
    found += [
        (
            f"facilitate: stance {stance.label}",
            partial(notes.action_stance, stance.value),
            f"Make the highlighted note {stance.label} ({{note.stance.{stance.value}}})",
        )
        for stance in Stance
    ]
    owners = (screen, notes, questions)
    return [(title, run, with_keys(hint, screen.app, *owners)) for title, run, hint in found]


class FacilitateCommands(ScreenCommands):
    def screen_commands(self) -> list[Command]:
        return commands(cast("FacilitateScreen", self.screen))
