"""The conversation's follow-ups, the ones marked worth keeping (◆) first, each saying whether it
is already in the facilitator's own bank. k marks or unmarks one; Enter (or b) asks the screen to
add it to the bank.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from appreciate_tui.domain import Question
from appreciate_tui.text import printable
from appreciate_tui.tui.themes import PHASE_VARIABLES
from appreciate_tui.tui.widgets.hanging import Hanging


def keep_line(question: Question, banked: bool) -> Hanging:
    mark = ("◆ ", "bold $accent") if question.worth_keeping else ("· ", "$text-muted")
    gutter = Content.assemble(("▌", f"${PHASE_VARIABLES[question.phase]}"), mark)
    text = Content.assemble(
        (printable(question.text, keep_newlines=False),
         "" if question.worth_keeping else "$text-muted"),
        ("  ✓ in your bank" if banked else "", "$success"),
    )
    return Hanging(gutter, text)


class KeepList(OptionList):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("b", "bank", "To my bank", tooltip="Add the highlighted follow-up to your bank",
                id="follow_ups.bank"),
        Binding("k", "keep", "Keep",
                tooltip="Mark the highlighted follow-up worth keeping, or not",
                id="follow_ups.keep"),
    ]

    class FollowUpMessage(Message):
        def __init__(self, question_id: str) -> None:
            super().__init__()
            self.question_id = question_id

    class Bank(FollowUpMessage):
        """Enter or b: add the highlighted follow-up to the facilitator's own bank."""

    class Keep(FollowUpMessage):
        """k: mark it worth keeping, or not."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)

    def show(self, follow_ups: Sequence[Question], banked: Collection[str]) -> None:
        """`banked`: the texts (casefolded) already in the facilitator's bank."""
        keep = self.highlighted_option.id if self.highlighted_option else None
        ordered = sorted(follow_ups, key=lambda q: not q.worth_keeping)
        self.set_options([
            Option(keep_line(q, q.text.casefold() in banked), id=q.id) for q in ordered
        ])
        ids = [q.id for q in ordered]
        if ids:
            self.highlighted = ids.index(keep) if keep in ids else 0

    @property
    def question_id(self) -> str | None:
        option = self.highlighted_option
        return option.id if option is not None else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_id is not None:
            self.post_message(self.Bank(event.option_id))

    def action_bank(self) -> None:
        if (question_id := self.question_id) is not None:
            self.post_message(self.Bank(question_id))

    def action_keep(self) -> None:
        if (question_id := self.question_id) is not None:
            self.post_message(self.Keep(question_id))
