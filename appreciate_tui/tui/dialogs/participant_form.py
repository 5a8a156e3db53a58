"""a or e on the plan's people: who is invited, from which agency, and whether they came.

The agency comes from the list (the defaults, the ones this database has seen, and the
facilitator's own), or is typed as a new one, which then joins the list for later conversations.
An empty pseudonym gets one made from the agency ("Police 2"): notes are tagged with it, and
reports use it instead of the name. Enter saves from any field; Escape leaves things as they were.
Dismisses with `ParticipantDetails`, or None.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Select, Static

from appreciate_tui.domain import Participant
from appreciate_tui.text import clean_line, printable
from appreciate_tui.tui.keys import key_hint
from appreciate_tui.tui.widgets.text_fields import TextInput


@dataclass(frozen=True)
class ParticipantDetails:
    agency: str
    pseudonym: str  # "" for one made from the agency
    name: str
    role: str
    invited: bool
    attended: bool
    absence_reason: str
    new_agency: bool
    """True when the agency was typed in, not chosen from the list."""


class ParticipantFormScreen(ModalScreen[ParticipantDetails | None]):
    DEFAULT_CSS = """
    ParticipantFormScreen > #participant-form {
        width: 90%; max-width: 90; height: auto; max-height: 100%;
    }
    ParticipantFormScreen #participant-fields {
        grid-size: 2; grid-columns: 16 1fr; grid-rows: 1; grid-gutter: 1 0; height: auto;
    }
    ParticipantFormScreen .form-label { color: $text-muted; text-style: bold; }
    ParticipantFormScreen #participant-hint { color: $text-muted; margin-top: 1; }
    """
    HELP: ClassVar[str] = "plan.md#People"  # where F1 opens the help
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", tooltip="Leave the participant as they were",
                id="participant_form.cancel"),
    ]

    def __init__(self, agencies: Sequence[str], participant: Participant | None = None) -> None:
        super().__init__()
        self._agencies = list(dict.fromkeys(agencies))
        self._person = participant
        if participant is not None and participant.agency not in self._agencies:
            self._agencies.append(participant.agency)

    def compose(self) -> ComposeResult:
        person = self._person
        title = "Invite someone" if person is None else "Change a participant"
        with Vertical(id="participant-form", classes="dialog"):
            yield Static(title, classes="dialog-title")
            with Grid(id="participant-fields"):
                yield Static("Agency", classes="form-label")
                yield Select(
                    [(printable(a, keep_newlines=False), a) for a in self._agencies],
                    value=person.agency if person else self._agencies[0],
                    allow_blank=False, compact=True, id="agency",
                )
                yield Static("…or new agency", classes="form-label")
                yield self._input("", "a new agency, added to your list", "new-agency")
                yield Static("Pseudonym", classes="form-label")
                yield self._input(person.pseudonym if person else "",
                                  "empty: made from the agency, like Police 2", "pseudonym")
                yield Static("Name", classes="form-label")
                yield self._input(person.name if person else "",
                                  "optional; reports use the pseudonym", "name")
                yield Static("Role", classes="form-label")
                yield self._input(person.role if person else "",
                                  "optional, like DS or named nurse", "role")
                yield Static("Invited", classes="form-label")
                yield Checkbox("invited", person.invited if person else True, compact=True,
                               id="invited")
                yield Static("Attended", classes="form-label")
                yield Checkbox("took part", person.attended if person else False, compact=True,
                               id="attended")
                yield Static("Absence reason", classes="form-label")
                yield self._input(person.absence_reason if person else "",
                                  "if they could not come", "absence-reason")
            yield Static(
                key_hint(self.app, self, ("Enter", "save"), ("Tab", "next field"),
                         ("Space", "tick"), ("{participant_form.cancel}", "cancel")),
                id="participant-hint",
            )

    @staticmethod
    def _input(value: str, placeholder: str, id: str) -> TextInput:
        return TextInput(value, placeholder=placeholder, id=id, compact=True)

    def on_mount(self) -> None:
        self.query_one("#agency", Select).focus()

    @on(Input.Submitted)
    def _save(self, event: Input.Submitted) -> None:
        event.stop()
        typed = clean_line(self.query_one("#new-agency", Input).value)
        chosen = self.query_one("#agency", Select).value
        known = {agency.casefold(): agency for agency in self._agencies}
        agency = known.get(typed.casefold(), typed) if typed else str(chosen)
        self.dismiss(
            ParticipantDetails(
                agency=agency,
                pseudonym=clean_line(self.query_one("#pseudonym", Input).value),
                name=clean_line(self.query_one("#name", Input).value),
                role=clean_line(self.query_one("#role", Input).value),
                invited=self.query_one("#invited", Checkbox).value,
                attended=self.query_one("#attended", Checkbox).value,
                absence_reason=clean_line(self.query_one("#absence-reason", Input).value),
                new_agency=bool(typed) and typed.casefold() not in known,
            )
        )
