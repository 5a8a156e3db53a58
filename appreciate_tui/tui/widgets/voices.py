"""Voices: who is here, and how many notes each agency's people have contributed.

A quiet agency is the thing to notice: an agency with someone in the room and no notes yet is marked
"quiet". Space, Enter or the participant's number toggles whether they are here.

A note tagged with an agency that has two or more people here is the agency's, not one person's
(quicknote). Who's here counts those on a line of the agency's own under its people ("Police
(agency)  3 notes"), so nobody who has spoken reads "0 notes" with nothing beside it to explain.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from appreciate_tui.domain import Note, Participant
from appreciate_tui.text import printable
from appreciate_tui.tui.widgets.hanging import Hanging
from appreciate_tui.wording import plural

NUMBERED = 9
"""Participants reachable by a digit key; the rest by arrows and Space."""


def participant_line(number: int, participant: Participant, notes: int) -> Hanging:
    here = ("✓", "bold $success") if participant.attended else ("·", "$text-muted")
    gutter = Content.assemble(
        (f"{number} " if number <= NUMBERED else "  ", "$text-muted"), here, " "
    )
    if not participant.attended:
        said = ("  not here", "italic $text-muted")
    else:
        said = (f"  {plural(notes, 'note')}", "$text-muted")
    name_style = "" if participant.attended else "$text-muted"
    return Hanging(
        gutter,
        Content.assemble((printable(participant.pseudonym, keep_newlines=False), name_style), said),
    )


def agency_line(agency: str, notes: int) -> Hanging:
    """The notes an agency's tag gave the agency rather than one of its people.

    Its option is disabled, which would dim it all; the name is drawn as a participant's is.
    """
    return Hanging(
        Content("    "),
        Content.assemble(
            (printable(agency, keep_newlines=False), "italic $foreground"),
            (" (agency)", "italic $text-muted"),
            (f"  {plural(notes, 'note')}", "$text-muted"),
        ),
    )


def attendance_options(participants: Sequence[Participant], notes: Iterable[Note]) -> list[Option]:
    """Each participant, numbered, then after each agency's people its own notes, if it has any
    (an agency with nobody listed is counted under Notes by agency only).

    The agency lines are disabled: the arrows pass over them and Space does nothing there.
    """
    notes = list(notes)
    by_person = Counter(note.participant_id for note in notes if note.participant_id)
    by_agency = Counter(note.agency for note in notes if note.agency and not note.participant_id)
    last = {person.agency: number for number, person in enumerate(participants, start=1)}
    options: list[Option] = []
    for number, person in enumerate(participants, start=1):
        options.append(Option(participant_line(number, person, by_person[person.id]), id=person.id))
        if by_agency[person.agency] and last[person.agency] == number:
            options.append(Option(agency_line(person.agency, by_agency[person.agency]),
                                  disabled=True))
    return options


def agency_lines(
    participants: Sequence[Participant], notes: Iterable[Note], inviting: str | None = None
) -> list[Hanging]:
    """One line per agency in the room or in the notes, most notes first; quiet ones marked, and
    the one round the room invites next (`inviting`) pointed out."""
    counts = Counter(note.agency for note in notes if note.agency)
    present = {p.agency for p in participants if p.attended}
    agencies = sorted(present | set(counts), key=lambda agency: (-counts[agency], agency))
    return [
        Hanging(
            Content.styled(f"{counts[agency]:>3} ", "bold"),
            Content.assemble(
                printable(agency, keep_newlines=False),
                ("  ◀ invite", "bold $accent")
                if agency == inviting
                else ("  quiet" if agency in present and not counts[agency] else "",
                      "bold $warning"),
            ),
        )
        for agency in agencies
    ]


class AgencyVoices(OptionList, can_focus=False):
    """Read, not chosen from: a list only so each agency's line wraps under its own name."""


class AttendanceList(OptionList):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "space", "select", "Here / not here", tooltip="Toggle whether this participant is here",
            id="voices.here",
        ),
        *(
            Binding(str(n), f"toggle_number({n})", f"Toggle participant {n}", show=False)
            for n in range(1, NUMBERED + 1)
        ),
    ]

    class Toggled(Message):
        def __init__(self, participant_id: str) -> None:
            super().__init__()
            self.participant_id = participant_id

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_id is not None:
            self.post_message(self.Toggled(event.option_id))

    def action_toggle_number(self, number: int) -> None:
        people = [index for index, option in enumerate(self.options) if option.id is not None]
        if number <= len(people):
            self.highlighted = people[number - 1]
            self.action_select()


class Voices(Vertical):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.people = AttendanceList(id="attendance", markup=False)
        self.agencies = AgencyVoices(id="agency-voices", markup=False)

    def compose(self) -> ComposeResult:
        yield Static("Who's here  F4", classes="pane-title")
        yield self.people
        yield Static("Notes by agency", classes="pane-title")
        yield self.agencies

    def show(
        self,
        participants: Sequence[Participant],
        notes: Sequence[Note],
        inviting: str | None = None,
    ) -> None:
        """`inviting`: the agency round the room invites next, if it is going round."""
        highlighted = self.people.highlighted_option
        self.people.set_options(attendance_options(participants, notes))
        if highlighted is not None and highlighted.id is not None:
            try:
                self.people.highlighted = self.people.get_option_index(highlighted.id)
            except OptionDoesNotExist:
                pass
        self.people.display = bool(participants)
        self.agencies.set_options(agency_lines(participants, notes, inviting))
