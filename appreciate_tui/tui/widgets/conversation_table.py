"""The conversations as a table that stays quick with ten thousand of them.

Textual's DataTable measures every cell of every row each time it is filled: about half a second
for a thousand conversations, on every change of filter. This table draws only the lines on
screen (the Line API), from a `Listing` that reads rows only as they come into view, so filling,
filtering and sorting cost what a screenful costs.

It shows what it is given, in the order given, and says what the facilitator did: a row was
highlighted or chosen, a column header was clicked.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style

from appreciate_tui.tui.state.browser import Listing, Sort
from appreciate_tui.domain import ConversationSummary
from appreciate_tui.text import one_line
from appreciate_tui.tui.labels import status_label, status_with_clock
from appreciate_tui.wording import short_date

GAP = 2
"""Cells between two columns."""


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int
    cell: Callable[[ConversationSummary], Content]
    flex: int = 0
    """A flexible column takes this share of the width the fixed ones leave (`width` at least)."""
    right: bool = False
    wide_only: bool = False
    """Left out when the table is narrower than `WIDE` cells."""


WIDE = 100


def _count(value: int) -> Content:
    return Content(str(value)) if value else Content.styled("·", "$text-muted")


def agency_names(agencies: Sequence[str]) -> str:
    # The long name of social care would take a column to itself; the pseudonyms use this one too.
    return ", ".join("Social care" if a == "Children's social care" else a for a in agencies)


def _fit(cell: Content, width: int) -> Content:
    """`cell` cut to `width` cells with an ellipsis, as `Content.truncate` cuts it, without
    measuring each character when every one takes one cell (as in most topics)."""
    text = cell.plain
    if len(text) <= width or not text.isascii() or cell.spans or not width:
        return cell.truncate(width, ellipsis=True)
    return Content(f"{text[: width - 1]}…", cell_length=width)


BROWSER_COLUMNS = (
    Column("date", "Date", 11, lambda s: Content(short_date(s.conversation.date))),
    Column("title", "Title", 14, lambda s: Content(one_line(s.conversation.title)), flex=3),
    Column("topic", "Topic", 14, lambda s: Content(one_line(s.conversation.topic)), flex=3,
           wide_only=True),
    Column("status", "Status", 11, status_with_clock),
    Column("agencies", "Agencies", 10, lambda s: Content(one_line(agency_names(s.agencies))),
           flex=2),
    Column("notes", "Notes", 5, lambda s: _count(s.notes), right=True),
    # Actions still open or in progress: what is left to do.
    Column("actions", "Actions", 7, lambda s: _count(s.open_actions), right=True),
)

BIN_COLUMNS = (
    Column("binned", "Binned", 11,
           lambda s: Content(short_date((s.conversation.deleted_at or "")[:10]))),
    Column("date", "Date", 11, lambda s: Content(short_date(s.conversation.date))),
    Column("title", "Title", 14, lambda s: Content(one_line(s.conversation.title)), flex=3),
    Column("status", "Status", 7, lambda s: status_label(s.conversation.status)),
    Column("notes", "Notes", 5, lambda s: _count(s.notes), right=True),
)


class ConversationTable(ScrollView, can_focus=True):
    """One line per conversation under a header that stays put; a cursor row."""

    DEFAULT_CSS = """
    ConversationTable {
        background: $surface;
        scrollbar-gutter: stable;
        overflow-x: hidden;
        & > .conversation-table--header {
            background: $panel;
            color: $text-muted;
            text-style: bold;
        }
        & > .conversation-table--cursor { background: $block-cursor-blurred-background; }
        &:focus > .conversation-table--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "conversation-table--header",
        "conversation-table--cursor",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "jump(0)", "First", show=False),
        Binding("end", "jump(-1)", "Last", show=False),
    ]

    cursor = reactive(0, init=False)

    class Highlighted(Message):
        def __init__(self, conversation_id: str | None) -> None:
            super().__init__()
            self.conversation_id = conversation_id

    class Chosen(Message):
        """A click on the highlighted row, or a double click. (Enter is the screen's to give a
        meaning to, so that the footer can say which.)"""

        def __init__(self, conversation_id: str) -> None:
            super().__init__()
            self.conversation_id = conversation_id

    class HeaderClicked(Message):
        def __init__(self, column: str) -> None:
            super().__init__()
            self.column = column

    def __init__(self, columns: Sequence[Column] = BROWSER_COLUMNS, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._columns = tuple(columns)
        self._rows = Listing.of(())
        self._sort: Sort | None = None
        self._lines: dict[int, Strip] = {}
        """Rows drawn at the current width, by index: a screenful at most is ever drawn."""
        self._layout: list[tuple[Column, int, int]] = []
        """The columns shown at the current width: each with where it starts and its width."""
        self._width: int | None = None
        """The width the lines and the layout were drawn for."""

    # ------------------------------------------------------------------ what it shows

    @property
    def rows(self) -> Listing:
        return self._rows

    @property
    def highlighted(self) -> ConversationSummary | None:
        try:
            return self._rows[self.cursor] if 0 <= self.cursor < len(self._rows) else None
        except IndexError:  # the last ones went to the bin in another window
            return None

    def show(
        self, rows: Sequence[ConversationSummary], sort: Sort | None = None,
        *, keep: str | None = None,
    ) -> None:
        """Show `rows` in this order; the cursor goes to the conversation `keep` if it is there,
        else stays at the same place in the list."""
        self._rows = rows if isinstance(rows, Listing) else Listing.of(rows)
        self._sort = sort
        self._lines.clear()
        self.virtual_size = Size(0, len(self._rows) + 1)
        found = self._rows.index_of(keep)
        target = found if found is not None else min(self.cursor, max(len(self._rows) - 1, 0))
        if target != self.cursor:
            self.cursor = target
        else:
            self._cursor_moved()
        self.refresh()

    def redraw(self) -> None:
        """Draw the rows again, as their clocks move on (a live conversation's status)."""
        self._lines.clear()
        self.refresh()

    def select(self, conversation_id: str) -> None:
        found = self._rows.index_of(conversation_id)
        if found is not None:
            self.cursor = found

    # ------------------------------------------------------------------ moving

    def watch_cursor(self, old: int, new: int) -> None:
        self._lines.pop(old, None)
        self._lines.pop(new, None)
        self._cursor_moved()

    def _cursor_moved(self) -> None:
        self._scroll_to_cursor()
        self.refresh()
        row = self.highlighted
        self.post_message(self.Highlighted(row.conversation.id if row else None))

    def _scroll_to_cursor(self) -> None:
        visible = max(self.scrollable_content_region.height - 1, 1)
        top = round(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + visible:
            self.scroll_to(y=self.cursor - visible + 1, animate=False, immediate=True)

    def _go(self, row: int) -> None:
        if self._rows:
            self.cursor = max(0, min(row, len(self._rows) - 1))

    def action_move(self, step: int) -> None:
        self._go(self.cursor + step)

    def action_page(self, direction: int) -> None:
        self._go(self.cursor + direction * max(self.scrollable_content_region.height - 2, 1))

    def action_jump(self, row: int) -> None:
        self._go(row if row >= 0 else len(self._rows) - 1)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y == 0:
            column = self._column_at(offset.x + round(self.scroll_x))
            if column is not None:
                self.post_message(self.HeaderClicked(column.key))
            return
        row = round(self.scroll_y) + offset.y - 1
        if 0 <= row < len(self._rows):
            if row == self.cursor or event.chain > 1:
                self.post_message(self.Chosen(self._rows[row].conversation.id))
            self.cursor = row

    def _column_at(self, x: int) -> Column | None:
        for column, start, width in self._layout:
            if start <= x < start + width + GAP:
                return column
        return None

    # ------------------------------------------------------------------ drawing

    def on_resize(self, event: events.Resize) -> None:
        # Only a change of width changes the lines: the height changes as soon as the line
        # under the table describes the first conversation, before the first frame.
        width = self.scrollable_content_region.width
        if width != self._width:
            self._width = width
            self._lines.clear()
            self._layout = []
        self.virtual_size = Size(0, len(self._rows) + 1)
        self._scroll_to_cursor()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines.clear()

    def _columns_at(self, width: int) -> list[tuple[Column, int, int]]:
        if self._layout:
            return self._layout
        shown = [c for c in self._columns if width >= WIDE or not c.wide_only]
        fixed = sum(c.width for c in shown) + GAP * (len(shown) - 1) + 1
        spare = max(width - fixed, 0)
        shares = sum(c.flex for c in shown) or 1
        layout, x = [], 1
        given = 0
        flexible = [c for c in shown if c.flex]
        for column in shown:
            extra = 0
            if column.flex:
                extra = spare - given if column is flexible[-1] else spare * column.flex // shares
                given += extra
            layout.append((column, x, column.width + extra))
            x += column.width + extra + GAP
        self._layout = layout
        return layout

    def _line(self, cells: list[Content], width: int) -> Content:
        # Joined once rather than added cell by cell: each addition copies the line so far and
        # forgets its width, and a screenful of rows is drawn before the first paint.
        parts: list[Content | str] = [" "]
        for (column, _, cell_width), cell in zip(self._columns_at(width), cells):
            cell = _fit(cell, cell_width)
            padding = " " * (cell_width - cell.cell_length)
            parts += (padding, cell) if column.right else (cell, padding)
            parts.append(" " * GAP)
        return Content("").join(parts)

    def _header(self, width: int) -> Content:
        labels = []
        for column, _, _ in self._columns_at(width):
            label = Content(column.label)
            if self._sort is not None and self._sort.column == column.key:
                arrow = "▼" if self._sort.descending else "▲"
                label = Content.styled(f"{column.label} {arrow}" if not column.right
                                       else f"{arrow}{column.label}",
                                       "$text")
            labels.append(label)
        return self._line(labels, width)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if y == 0:
            style = self.get_visual_style("conversation-table--header")
            return self._strip(self._header(width), width, style)
        index = round(self.scroll_y) + y - 1
        if index >= len(self._rows):
            return Strip.blank(width, self.rich_style)
        strip = self._lines.get(index)
        if strip is None:
            self._width = width
            try:
                row = self._rows[index]
            except IndexError:
                return Strip.blank(width, self.rich_style)
            cells = [column.cell(row) for column, _, _ in self._columns_at(width)]
            style = (
                self.get_visual_style("conversation-table--cursor")
                if index == self.cursor
                else self.visual_style
            )
            strip = self._lines[index] = self._strip(self._line(cells, width), width, style)
        return strip

    def _strip(self, line: Content, width: int, style: Style) -> Strip:
        # Straight to segments: a line is already cut to the width, so none of the wrapping and
        # alignment of Visual.to_strips is needed, and this is drawn for every line scrolled to.
        line = line.truncate(width, pad=True)
        return Strip(line.render_segments(style), line.cell_length)
