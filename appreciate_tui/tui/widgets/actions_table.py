"""The conversation's actions, one row each: status, what will happen, who owns it, by when, and
whether it came from a `!` note. Keys post a message naming the action; the screen changes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message

from appreciate_tui.domain import Action, ActionStatus
from appreciate_tui.text import one_line
from appreciate_tui.tui.widgets.record_table import RecordTable
from appreciate_tui.wording import short_date

STATUS_LABELS = {
    ActionStatus.OPEN: "open",
    ActionStatus.IN_PROGRESS: "in progress",
    ActionStatus.DONE: "done",
    ActionStatus.DROPPED: "dropped",
}
STATUS_STYLES = {
    ActionStatus.OPEN: "bold $warning",
    ActionStatus.IN_PROGRESS: "bold $accent",
    ActionStatus.DONE: "$success",
    ActionStatus.DROPPED: "dim strike",
}
_STATUS, _OWNER, _DUE, _FROM = 11, 16, 11, 6
_PADDING_AND_SCROLLBAR = 2 * 5 + 2


def next_status(status: ActionStatus) -> ActionStatus:
    order = list(ActionStatus)
    return order[(order.index(status) + 1) % len(order)]


class ActionsTable(RecordTable):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", "New action", tooltip="Add an action not tied to a note",
                id="actions.new"),
        Binding("e", "edit", "Edit", tooltip="Description, owner, due date and status",
                id="actions.edit"),
        Binding("s", "status", "Status", tooltip="Open → in progress → done → dropped",
                id="actions.status"),
        Binding("d,delete", "remove", "Remove",
                tooltip="Remove it (an action from a note is dropped instead)",
                id="actions.remove"),
    ]

    class New(Message):
        """n: add an action not tied to a note."""

    class ActionMessage(Message):
        def __init__(self, action_id: str) -> None:
            super().__init__()
            self.action_id = action_id

    class Edit(ActionMessage):
        """e or Enter: change the highlighted action."""

    class NextStatus(ActionMessage):
        """s: move the highlighted action on to its next status."""

    class Remove(ActionMessage):
        """d: remove the highlighted action."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._actions: list[Action] = []

    def show(self, actions: Sequence[Action]) -> None:
        self._actions = list(actions)
        self._fill()

    def _draw(self, width: int) -> None:
        described = max(20, width - _STATUS - _OWNER - _DUE - _FROM - _PADDING_AND_SCROLLBAR)
        self.add_column("Status", width=_STATUS)
        self.add_column("Action", width=described)
        self.add_column("Owner", width=_OWNER)
        self.add_column("Due", width=_DUE)
        self.add_column("From", width=_FROM)
        for action in self._actions:
            self.add_row(
                Content.styled(STATUS_LABELS[action.status], STATUS_STYLES[action.status]),
                one_line(action.description, described),
                one_line(action.owner, _OWNER) if action.owner else Content.styled("—", "$error"),
                short_date(action.due) if action.due else Content.styled("—", "dim"),
                Content.styled("! note" if action.note_id else "added", "dim"),
                key=action.id,
            )

    def action_new(self) -> None:
        self.post_message(self.New())

    def action_edit(self) -> None:
        self._ask(self.Edit)

    def action_status(self) -> None:
        self._ask(self.NextStatus)

    def action_remove(self) -> None:
        self._ask(self.Remove)
