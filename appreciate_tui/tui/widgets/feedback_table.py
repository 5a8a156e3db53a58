"""Participants' feedback on the activity, one row per participant or agency: the rating, whether
the questions in advance helped, how many questions they found most useful, their comments.
Keys post a message naming the feedback; the screen changes it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import suppress
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import RowDoesNotExist

from appreciate_tui.domain import Feedback
from appreciate_tui.text import one_line

ADVANCE_LABELS = {True: "helped", False: "no", None: "—"}
_FROM, _RATING, _ADVANCE, _USEFUL = 22, 7, 10, 6
_PADDING_AND_SCROLLBAR = 2 * 5 + 2


def stars(rating: int | None) -> Content:
    if rating is None:
        return Content.styled("—", "dim")
    return Content.assemble(("★" * rating, "$accent"), ("☆" * (5 - rating), "dim"))


class FeedbackTable(DataTable[str | Content]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", "Add feedback", tooltip="Feedback from a participant or an agency"),
        Binding("e", "edit", "Edit", tooltip="Change the highlighted feedback"),
        Binding("d,delete", "remove", "Remove", tooltip="Remove the highlighted feedback"),
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
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._feedback: list[Feedback] = []
        self._from: dict[str, str] = {}
        self._width = 0

    def show(self, feedback: Sequence[Feedback], given_by: Mapping[str, str]) -> None:
        """`given_by`: feedback id -> who it is from, as the facilitator reads it."""
        self._feedback = list(feedback)
        self._from = dict(given_by)
        self._fill()

    def on_resize(self) -> None:
        if self.size.width != self._width:
            self._fill()

    def _fill(self) -> None:
        keep = self.highlighted_id
        self._width = self.size.width
        comments = max(16, self._width - _FROM - _RATING - _ADVANCE - _USEFUL
                       - _PADDING_AND_SCROLLBAR)
        self.clear(columns=True)
        self.add_column("From", width=_FROM)
        self.add_column("Rating", width=_RATING)
        self.add_column("Advance", width=_ADVANCE)
        self.add_column("Useful", width=_USEFUL)
        self.add_column("Comments", width=comments)
        for item in self._feedback:
            useful = len(item.useful_question_ids)
            self.add_row(
                one_line(self._from.get(item.id, ""), _FROM),
                stars(item.rating),
                ADVANCE_LABELS[item.advance_questions_helped],
                f"{useful:>3}" if useful else Content.styled("  —", "dim"),
                one_line(item.comments, comments),
                key=item.id,
            )
        if keep is not None:
            self.highlight(keep)

    def highlight(self, feedback_id: str) -> None:
        with suppress(RowDoesNotExist):
            self.move_cursor(row=self.get_row_index(feedback_id), animate=False)

    @property
    def highlighted_id(self) -> str | None:
        if not self.row_count:
            return None
        key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        return key.value

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.post_message(self.Edit(event.row_key.value))

    def action_new(self) -> None:
        self.post_message(self.New())

    def action_edit(self) -> None:
        if (feedback := self.highlighted_id) is not None:
            self.post_message(self.Edit(feedback))

    def action_remove(self) -> None:
        if (feedback := self.highlighted_id) is not None:
            self.post_message(self.Remove(feedback))
