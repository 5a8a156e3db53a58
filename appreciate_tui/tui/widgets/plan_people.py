"""The people invited to a conversation, one row each: pseudonym, name, agency, role, whether
invited and whether they came (and why not). Keys post a message naming the person; the screen
changes the record.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message

from appreciate_tui.domain import Participant
from appreciate_tui.text import one_line
from appreciate_tui.tui.widgets.record_table import RecordTable

YES, NO = "✓", "·"
_PSEUDONYM, _INVITED, _CAME = 14, 7, 4
_SHARES = (("Name", 5), ("Agency", 6), ("Role", 4), ("Why not", 5))
"""The columns that share what is left of the width, and how much of it each takes."""
_PADDING_AND_SCROLLBAR = 2 * 7 + 2


class PeopleTable(RecordTable):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Invite", tooltip="Add someone to the list", id="people.add"),
        Binding("e", "edit", "Edit", tooltip="Change the highlighted participant",
                id="people.edit"),
        Binding("i", "toggle('invited')", "Invited", tooltip="Invited, or not",
                id="people.invited"),
        Binding("t", "toggle('attended')", "Came", tooltip="Took part, or not", id="people.came"),
        Binding("d,delete", "remove", "Remove", tooltip="Take the highlighted person off the list",
                id="people.remove"),
    ]

    class Add(Message):
        """a: invite someone."""

    class PersonMessage(Message):
        def __init__(self, participant_id: str) -> None:
            super().__init__()
            self.participant_id = participant_id

    class Edit(PersonMessage):
        """e or Enter: change the highlighted participant."""

    class Remove(PersonMessage):
        """d: take them off the list."""

    class Toggle(PersonMessage):
        def __init__(self, participant_id: str, what: str) -> None:
            super().__init__(participant_id)
            self.what = what  # "invited" or "attended"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._people: list[Participant] = []

    def show(self, people: Sequence[Participant]) -> None:
        self._people = list(people)
        self._fill()

    def _draw(self, width: int) -> None:
        spare = max(24, width - _PSEUDONYM - _INVITED - _CAME - _PADDING_AND_SCROLLBAR)
        total = sum(share for _, share in _SHARES)
        widths = {label: spare * share // total for label, share in _SHARES}
        self.add_column("Pseudonym", width=_PSEUDONYM)
        for label in ("Name", "Agency", "Role"):
            self.add_column(label, width=widths[label])
        self.add_column("Invited", width=_INVITED)
        self.add_column("Came", width=_CAME)
        self.add_column("Why not", width=widths["Why not"])
        for person in self._people:
            self.add_row(
                one_line(person.pseudonym, _PSEUDONYM),
                one_line(person.name, widths["Name"]),
                one_line(person.agency, widths["Agency"]),
                one_line(person.role, widths["Role"]),
                YES if person.invited else NO,
                YES if person.attended else NO,
                one_line(person.absence_reason, widths["Why not"]),
                key=person.id,
            )

    def action_add(self) -> None:
        self.post_message(self.Add())

    def action_edit(self) -> None:
        self._ask(self.Edit)

    def action_remove(self) -> None:
        self._ask(self.Remove)

    # Not DOMNode.action_toggle (which flips an attribute): the `toggle(...)` of this list's keys.
    def action_toggle(self, what: str) -> None:  # type: ignore[override]
        self._ask(lambda person: self.Toggle(person, what))
