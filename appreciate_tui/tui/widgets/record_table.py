"""A table of records, a row each keyed by the record's id, its columns fitted to its width: the
common part of the actions, feedback and people tables. Keys post a message naming the record;
the screen changes it.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from typing import ClassVar, Protocol

from textual.content import Content
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import RowDoesNotExist


class _RecordMessage(Protocol):
    """A message class made from a record's id, such as each table's `Edit`."""

    def __call__(self, record_id: str, /) -> Message: ...


class RecordTable(DataTable[str | Content]):
    """Subclasses draw their columns and rows for a width (`_draw`) and give an `Edit` message
    taking a record's id, posted by Enter on a row. Drawing again (new records, a new width)
    keeps the highlight on the same record."""

    Edit: ClassVar[_RecordMessage]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._width = 0

    def _draw(self, width: int) -> None:
        raise NotImplementedError

    def _fill(self) -> None:
        keep = self.highlighted_id
        self._width = self.size.width
        self.clear(columns=True)
        self._draw(self._width)
        if keep is not None:
            self.highlight(keep)

    def on_resize(self) -> None:
        if self.size.width != self._width:
            self._fill()

    def highlight(self, record_id: str) -> None:
        with suppress(RowDoesNotExist):
            self.move_cursor(row=self.get_row_index(record_id), animate=False)

    @property
    def highlighted_id(self) -> str | None:
        if not self.row_count:
            return None
        key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        return key.value

    def _ask(self, message: Callable[[str], Message]) -> None:
        """Post `message` for the highlighted record, if there is one."""
        if (record_id := self.highlighted_id) is not None:
            self.post_message(message(record_id))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.post_message(self.Edit(event.row_key.value))
