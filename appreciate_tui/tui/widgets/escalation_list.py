"""Every note flagged as an immediate safeguarding concern: the open ones first, in red, until
they are marked handled; then the handled ones, with who they were passed to and when.
Enter (or h) on one asks the screen to record how it was handled.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from appreciate_tui.domain import Note
from appreciate_tui.text import printable
from appreciate_tui.tui.widgets.hanging import Hanging
from appreciate_tui.wording import clock, day_and_clock


def escalation_line(note: Note, who: str) -> Hanging:
    if note.open_escalation:
        gutter = Content.assemble(("⚑ OPEN ", "bold $error"), (clock(note.created_at), "bold"),
                                  " ")
    else:
        gutter = Content.assemble(("✓ done ", "$success"),
                                  (clock(note.created_at), "$text-muted"), " ")
    parts: list[Content | tuple[str, str] | str] = [printable(note.body, keep_newlines=False)]
    if who:
        parts += [" — ", (printable(who, keep_newlines=False), "italic $text-muted")]
    if not note.open_escalation:
        handled = day_and_clock(note.escalation_handled_at)
        passed = printable(note.escalation_passed_to, keep_newlines=False) or "someone not named"
        parts += ["\n", (f"handled {handled}, passed to {passed}", "$text-muted")]
    return Hanging(gutter, Content.assemble(*parts))


class EscalationList(OptionList):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("h", "handle", "Handled", tooltip="Record who it was passed to, and when",
                id="escalations.handle"),
    ]

    class Handle(Message):
        """Enter or h: record how the highlighted escalation was handled."""

        def __init__(self, note_id: str) -> None:
            super().__init__()
            self.note_id = note_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)

    def show(self, escalations: Sequence[Note], who: Mapping[str, str]) -> None:
        keep = self.highlighted_option.id if self.highlighted_option else None
        ordered = sorted(escalations, key=lambda n: (not n.open_escalation, n.created_at))
        self.set_options([Option(escalation_line(n, who.get(n.id, "")), id=n.id) for n in ordered])
        ids = [n.id for n in ordered]
        if ids:
            self.highlighted = ids.index(keep) if keep in ids else 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_id is not None:
            self.post_message(self.Handle(event.option_id))

    def action_handle(self) -> None:
        option = self.highlighted_option
        if option is not None and option.id is not None:
            self.post_message(self.Handle(option.id))
