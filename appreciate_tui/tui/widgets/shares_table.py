"""What was shared from a conversation, newest first, one row per share: when, what (the format in
words, short), whether it was redacted, to whom and why. What it was in full, and the file it was
written to when there was one, are too long for a column: `describe` says them, for a line under
the table about the highlighted row.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from textual.content import Content
from textual.message import Message

from appreciate_tui.domain import Share
from appreciate_tui.text import one_line
from appreciate_tui.tui.widgets.record_table import RecordTable
from appreciate_tui.wording import clock, share_format, short_date

_WHEN, _WHAT, _REDACTED = 17, 15, 8
_PADDING_AND_SCROLLBAR = 2 * 5 + 2


def when(share: Share) -> str:
    """'12 Mar 2026 10:03': when it was shared, in local time, as the screens write a day."""
    local = datetime.fromisoformat(share.created_at).astimezone()
    return f"{short_date(local.date().isoformat())} {clock(share.created_at)}"


class SharesTable(RecordTable):
    class Edit(Message):
        """Enter on a share. Nothing changes it: a share is a record of what happened."""

        def __init__(self, share_id: str) -> None:
            super().__init__()
            self.share_id = share_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shares: list[Share] = []

    @property
    def shares(self) -> list[Share]:
        return list(self._shares)

    def show(self, shares: Sequence[Share]) -> None:
        self._shares = list(shares)
        self._fill()

    @property
    def highlighted(self) -> Share | None:
        chosen = self.highlighted_id
        return next((s for s in self._shares if s.id == chosen), None)

    def _draw(self, width: int) -> None:
        rest = max(20, width - _WHEN - _WHAT - _REDACTED - _PADDING_AND_SCROLLBAR)
        to = rest // 2
        why = rest - to
        self.add_column("When", width=_WHEN)
        self.add_column("What", width=_WHAT)
        self.add_column("Redacted", width=_REDACTED)
        self.add_column("To", width=to)
        self.add_column("Why", width=why)
        for share in self._shares:
            self.add_row(
                when(share),
                one_line(share_format(share.format, short=True), _WHAT),
                "yes" if share.redacted else Content.styled("no", "dim"),
                one_line(share.recipient, to) or Content.styled("—", "dim"),
                one_line(share.purpose, why) or Content.styled("—", "dim"),
                key=share.id,
            )


def describe(share: Share) -> str:
    """A share in full, for the line under the table: 'Learning example (Markdown), redacted,
    to Partnership board, for learning review. File: …'."""
    what = share_format(share.format)
    said = [f"{what[:1].upper()}{what[1:]}", "redacted" if share.redacted else "not redacted"]
    if share.recipient:
        said.append(f"to {one_line(share.recipient)}")
    if share.purpose:
        said.append(f"for {one_line(share.purpose)}")
    where = f"File: {one_line(share.path)}" if share.path else "No file: printed or copied."
    return f"{', '.join(said)}. {where}"
