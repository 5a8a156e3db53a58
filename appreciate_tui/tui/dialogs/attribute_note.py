"""a on a note: say who said it, a participant or an agency, or nobody.

Dismisses with an `Attribution`, or None when the facilitator changed their mind.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from appreciate_tui.domain import Note, Participant
from appreciate_tui.text import printable
from appreciate_tui.tui.keys import key_hint


@dataclass(frozen=True)
class Attribution:
    agency: str  # "" for nobody
    participant_id: str  # "" when it is the agency, not a person


NOBODY = Attribution("", "")


class AttributeNoteScreen(ModalScreen[Attribution | None]):
    DEFAULT_CSS = """
    AttributeNoteScreen > #attribute-note {
        width: 60; max-width: 95%; height: auto; max-height: 90%;
    }
    AttributeNoteScreen #who { height: auto; max-height: 20; }
    AttributeNoteScreen #attribute-hint { color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", tooltip="Leave the attribution as it was",
                id="attribute_note.cancel"),
    ]

    def __init__(
        self, note: Note, participants: Sequence[Participant], agencies: Sequence[str]
    ) -> None:
        super().__init__()
        self._note = note
        self._choices: dict[str, Attribution] = {"nobody": NOBODY}
        options = [Option(Content.styled("Nobody in particular", "italic"), id="nobody")]
        for index, person in enumerate(participants):
            key = f"person-{index}"
            self._choices[key] = Attribution(person.agency, person.id)
            options.append(
                Option(
                    Content.assemble(
                        printable(person.pseudonym, keep_newlines=False),
                        (f"  {printable(person.agency, keep_newlines=False)}", "$text-muted"),
                    ),
                    id=key,
                )
            )
        for index, agency in enumerate(agencies):
            key = f"agency-{index}"
            self._choices[key] = Attribution(agency, "")
            options.append(
                Option(
                    Content.assemble(
                        printable(agency, keep_newlines=False), ("  agency", "$text-muted")
                    ),
                    id=key,
                )
            )
        self._options = options

    def compose(self) -> ComposeResult:
        with Vertical(id="attribute-note", classes="dialog"):
            yield Static("Who said it?", classes="dialog-title")
            yield OptionList(*self._options, id="who", markup=False)
            yield Static(
                key_hint(self.app, self, ("Enter", "choose"),
                         ("{attribute_note.cancel}", "cancel")),
                id="attribute-hint",
            )

    def on_mount(self) -> None:
        who = self.query_one("#who", OptionList)
        current = Attribution(self._note.agency or "", self._note.participant_id or "")
        for key, choice in self._choices.items():
            if choice == current or (
                not current.participant_id and choice == Attribution(current.agency, "")
            ):
                who.highlighted = who.get_option_index(key)
                break
        who.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_id is not None:
            self.dismiss(self._choices[event.option_id])
