"""The escalation strip: every open escalation, across all questions, until it is marked handled.

An escalation is an immediate safeguarding concern to act on outside the conversation; it must not
scroll out of sight with its question, so it sits under the header in the error colour.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.widgets import Static

from appreciate_tui.domain import Note
from appreciate_tui.text import one_line
from appreciate_tui.wording import clock

SHOWN = 3
"""Escalations listed in full; more are counted."""


def escalation_lines(notes: Sequence[Note], handle_key: str) -> Content:
    lines: list[Content] = []
    for note in notes[:SHOWN]:
        lines.append(
            Content.assemble(
                ("⚑ ESCALATION ", "bold"),
                (clock(note.created_at), "bold"),
                "  ",
                one_line(note.body, 160),
            )
        )
    more = len(notes) - SHOWN
    tail = f"{more} more open. " if more > 0 else ""
    lines.append(Content(f"{tail}Once it has been passed on, {handle_key} records who to."))
    return Content("\n").join(lines)


class EscalationStrip(Static):
    def __init__(self, *, handle_key: str, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self._handle_key = handle_key
        self.display = False

    def show(self, open_escalations: Sequence[Note]) -> None:
        self.display = bool(open_escalations)
        if open_escalations:
            self.update(escalation_lines(open_escalations, self._handle_key))
