"""Participants' feedback on the activity, one row per participant or agency: the rating, whether
the questions in advance helped, how many questions they scored (1 to 5 each), how many they ticked
as most useful, their comments.
Keys post a message naming the feedback; the screen changes it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message

from appreciate_tui.domain import Feedback
from appreciate_tui.text import one_line
from appreciate_tui.tui.widgets.record_table import RecordTable

ADVANCE_LABELS = {True: "helped", False: "no", None: "—"}
_FROM, _RATING, _ADVANCE, _SCORED, _USEFUL = 22, 7, 10, 6, 6
_PADDING_AND_SCROLLBAR = 2 * 6 + 2


def stars(rating: int | None) -> Content:
    if rating is None:
        return Content.styled("—", "dim")
    return Content.assemble(("★" * rating, "$accent"), ("☆" * (5 - rating), "dim"))


class FeedbackTable(RecordTable):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", "Add feedback", tooltip="Feedback from a participant or an agency",
                id="feedback.new"),
        Binding("e", "edit", "Edit", tooltip="Change the highlighted feedback", id="feedback.edit"),
        Binding("d,delete", "remove", "Remove", tooltip="Remove the highlighted feedback",
                id="feedback.remove"),
    ]

    class New(Message):
        """n: record someone's feedback."""

    class FeedbackMessage(Message):
        def __init__(self, feedback_id: str) -> None:
            super().__init__()
            self.feedback_id = feedback_id

    class Edit(FeedbackMessage):
        """e or Enter: change the highlighted feedback."""

    class Remove(FeedbackMessage):
        """d: remove the highlighted feedback."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._feedback: list[Feedback] = []
        self._from: dict[str, str] = {}

    def show(self, feedback: Sequence[Feedback], given_by: Mapping[str, str]) -> None:
        """`given_by`: feedback id -> who it is from, as the facilitator reads it."""
        self._feedback = list(feedback)
        self._from = dict(given_by)
        self._fill()

    def _draw(self, width: int) -> None:
        comments = max(16, width - _FROM - _RATING - _ADVANCE - _SCORED - _USEFUL
                       - _PADDING_AND_SCROLLBAR)
        self.add_column("From", width=_FROM)
        self.add_column("Rating", width=_RATING)
        self.add_column("Advance", width=_ADVANCE)
        self.add_column("Scored", width=_SCORED)
        self.add_column("Useful", width=_USEFUL)
        self.add_column("Comments", width=comments)
        for item in self._feedback:
            useful = len(item.useful_question_ids)
            scored = len(item.question_scores)
            self.add_row(
                one_line(self._from.get(item.id, ""), _FROM),
                stars(item.rating),
                ADVANCE_LABELS[item.advance_questions_helped],
                f"{scored:>3}" if scored else Content.styled("  —", "dim"),
                f"{useful:>3}" if useful else Content.styled("  —", "dim"),
                one_line(item.comments, comments),
                key=item.id,
            )

    def action_new(self) -> None:
        self.post_message(self.New())

    def action_edit(self) -> None:
        self._ask(self.Edit)

    def action_remove(self) -> None:
        self._ask(self.Remove)
