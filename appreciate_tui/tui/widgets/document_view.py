"""A long document read in the terminal: blocks of text, a cursor that moves block by block, words
found by a search picked out, and the way to any block in one call.

Textual's Markdown widget makes a widget of every paragraph: about two seconds to lay out the
record of a long conversation. Here the whole document is one widget drawing lines (the Line
API): each block is wrapped once for the current width, and only the lines on screen are drawn.

A block may have a hanging part (a note's stance mark and time): its wrapped lines line up after
it, so the marks stay in a column of their own.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.visual import Visual

GUTTER = 2
"""Cells on the left where the cursor's bar is drawn."""
MIN_TEXT = 16
"""The least width a block's text is wrapped to, however deep it is indented."""


@dataclass(frozen=True)
class Block:
    key: str
    """Unique in the document: how the screen names a block (`note:<id>`, `section:actions`)."""
    body: Content
    hang: Content | None = None
    indent: int = 0
    space_before: int = 0
    """Blank lines above the block."""
    section: str = ""
    """The part of the document the block belongs to, for copying a part."""


@dataclass(frozen=True)
class Match:
    block: int
    start: int
    end: int


class DocumentView(ScrollView, can_focus=True):
    DEFAULT_CSS = """
    DocumentView {
        background: $surface;
        overflow-x: hidden;
        scrollbar-gutter: stable;
        & > .document-view--cursor { background: $boost; }
        & > .document-view--bar { color: $accent; }
        &.-editing > .document-view--cursor { background: $primary 20%; }
        &.-editing > .document-view--bar { color: $primary; }
        & > .document-view--match { background: $warning 35%; }
        & > .document-view--current-match { background: $warning; color: $background; }
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "document-view--cursor",
        "document-view--bar",
        "document-view--match",
        "document-view--current-match",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown,space", "page(1)", "Page down", show=False),
        Binding("home", "ends(0)", "Top", show=False),
        Binding("end", "ends(-1)", "Bottom", show=False),
    ]

    cursor = reactive(0, init=False)

    class CursorMoved(Message):
        def __init__(self, block: Block | None) -> None:
            super().__init__()
            self.block = block

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._blocks: list[Block] = []
        self._keys: dict[str, int] = {}
        self._strips: dict[int, list[Strip]] = {}
        """Each block wrapped at `_width`, by index; the cursor's block is drawn apart."""
        self._tops: list[int] = []
        """The first line of each block (after its blank lines)."""
        self._heights: list[int] = []
        self._height = 0
        self._width = 0
        self._stale = True
        """A block changed height: the blocks below it move."""
        self._pending_scroll: str | None = None
        self._matches: list[Match] = []
        self._current_match = -1

    # ------------------------------------------------------------------ what it shows

    @property
    def blocks(self) -> Sequence[Block]:
        return self._blocks

    @property
    def current(self) -> Block | None:
        return self._blocks[self.cursor] if 0 <= self.cursor < len(self._blocks) else None

    def show(self, blocks: Sequence[Block], *, at: str | None = None) -> None:
        """Show these blocks; the cursor goes to the block `at`, or stays on the block it was on
        if that is still there."""
        was = self.current.key if self.current is not None else None
        self._blocks = list(blocks)
        self._keys = {block.key: n for n, block in enumerate(self._blocks)}
        self._strips.clear()
        self._stale = True
        self._matches = []
        self._current_match = -1
        target = self._keys.get(at or was or "", 0)
        self._layout()
        self._set_cursor(target, scroll="top" if at else "near")
        self.refresh()

    def replace(self, block: Block) -> None:
        """Show a changed block in its place (a note just edited)."""
        index = self._keys[block.key]
        self._blocks[index] = block
        self._strips.pop(index, None)
        self._stale = True
        self._layout()
        self.refresh()

    def go_to(self, key: str) -> None:
        """Put the cursor on the block `key` and it near the top of the view."""
        if key in self._keys:
            self._set_cursor(self._keys[key], scroll="top")

    def section_of_cursor(self) -> str:
        return self.current.section if self.current is not None else ""

    # ------------------------------------------------------------------ laying out

    def _layout(self) -> None:
        """Wrap every block for the current width and place it; a no-op if nothing changed."""
        width = self.scrollable_content_region.width
        if width <= 0:
            return
        if width != self._width:
            self._strips.clear()
            self._width = width
        elif not self._stale:
            return
        self._stale = False
        tops, heights, y = [], [], 0
        for block in self._blocks:
            y += block.space_before
            tops.append(y)
            height = self._text_height(block)
            heights.append(height)
            y += height
        self._tops = tops
        self._heights = heights
        self._height = y
        self.virtual_size = Size(0, y)

    def _text_width(self, block: Block) -> int:
        hang = block.hang.cell_length if block.hang else 0
        return max(self._width - GUTTER - block.indent - hang, MIN_TEXT)

    def _text_height(self, block: Block) -> int:
        """How many lines the block wraps to, found without drawing it: only the blocks on
        screen are ever drawn, but every block's place must be known to scroll to it."""
        width = self._text_width(block)
        body = block.body
        if body.cell_length <= width and "\n" not in body.plain:
            return 1
        return max(body.get_height({}, width), 1)

    def _wrapped(self, index: int, *, cursor: bool = False) -> list[Strip]:
        if not cursor and index in self._strips:
            return self._strips[index]
        block = self._blocks[index]
        base = self.get_visual_style("document-view--cursor") if cursor else self.visual_style
        body = self._with_matches(index, block.body)
        hang = block.hang or Content("")
        hang_width = hang.cell_length
        indent = GUTTER + block.indent
        text_width = self._text_width(block)
        lines = Visual.to_strips(self, body, text_width, None, base, pad=True)
        # The same wrapping as `_text_height`, so this is its height; kept exact regardless.
        height = self._heights[index]
        lines = lines[:height] + [Strip.blank(text_width, base.rich_style)] * (height - len(lines))
        rich_base = base.rich_style
        if cursor:
            bar = self.get_visual_style("document-view--bar", partial=True)
            bar_style = (base + bar).rich_style
            left = Strip([Segment("▌", bar_style), Segment(" " * (indent - 1), rich_base)],
                         indent)
        else:
            left = Strip.blank(indent, rich_base)
        first_hang = (
            Visual.to_strips(self, hang, hang_width, 1, base)[0] if hang_width else Strip([])
        )
        under_hang = Strip.blank(hang_width, rich_base)
        strips = [
            Strip.join([left, first_hang if n == 0 else under_hang, line]).crop_extend(
                0, self._width, rich_base
            )
            for n, line in enumerate(lines)
        ]
        if not cursor:
            self._strips[index] = strips
        return strips

    def _with_matches(self, index: int, body: Content) -> Content:
        found = [(n, m) for n, m in enumerate(self._matches) if m.block == index]
        if not found:
            return body
        # Whole styles, not partial ones: a partial style drops an opaque background.
        match_style = self.get_visual_style("document-view--match")
        current_style = self.get_visual_style("document-view--current-match")
        for n, match in found:
            body = body.stylize(
                current_style if n == self._current_match else match_style, match.start, match.end
            )
        return body

    def on_resize(self, _: events.Resize) -> None:
        self._layout()
        self._scroll_to_cursor(scroll=self._pending_scroll or "near")
        self._pending_scroll = None

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()
        self.refresh()

    def render_line(self, y: int) -> Strip:
        self._layout()
        line = round(self.scroll_y) + y
        rich_base = self.rich_style
        if not self._blocks or line >= self._height:
            return Strip.blank(self._width, rich_base)
        index = bisect.bisect_right(self._tops, line) - 1
        if index < 0:
            return Strip.blank(self._width, rich_base)
        within = line - self._tops[index]
        strips = self._wrapped(index, cursor=index == self.cursor)
        if within >= len(strips):  # the blank lines above the next block
            return Strip.blank(self._width, rich_base)
        return strips[within]

    # ------------------------------------------------------------------ moving

    def _set_cursor(self, index: int, *, scroll: str = "near") -> None:
        index = max(0, min(index, len(self._blocks) - 1))
        if index != self.cursor:
            self.cursor = index
        else:
            self.post_message(self.CursorMoved(self.current))
        self._scroll_to_cursor(scroll=scroll)
        self.refresh()

    def watch_cursor(self) -> None:
        self.post_message(self.CursorMoved(self.current))
        self.refresh()

    def _scroll_to_cursor(self, *, scroll: str) -> None:
        if not self._tops or self._width <= 0:
            self._pending_scroll = scroll  # not laid out yet: when it is
            return
        top = self._tops[self.cursor] - self._blocks[self.cursor].space_before
        bottom = self._tops[self.cursor] + self._heights[self.cursor]
        view = self.scrollable_content_region.height
        if scroll == "top":
            self.scroll_to(y=max(top - 1, 0), animate=False, immediate=True)
        elif top < self.scroll_y:
            self.scroll_to(y=top, animate=False, immediate=True)
        elif bottom > self.scroll_y + view:
            self.scroll_to(y=min(top, bottom - view), animate=False, immediate=True)

    def action_move(self, step: int) -> None:
        self._set_cursor(self.cursor + step)

    def action_page(self, direction: int) -> None:
        view = max(self.scrollable_content_region.height - 2, 1)
        self.scroll_to(y=self.scroll_y + direction * view, animate=False, immediate=True)
        first_shown = bisect.bisect_left(self._tops, round(self.scroll_y))
        last_shown = bisect.bisect_right(self._tops, round(self.scroll_y) + view) - 1
        if not first_shown <= self.cursor <= last_shown:
            self._set_cursor(first_shown if direction > 0 or self.scroll_y > 0 else 0)

    def action_ends(self, where: int) -> None:
        self._set_cursor(0 if where == 0 else len(self._blocks) - 1)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is not None and self._tops:
            line = round(self.scroll_y) + offset.y
            self._set_cursor(max(bisect.bisect_right(self._tops, line) - 1, 0))

    # ------------------------------------------------------------------ searching within

    def search(self, text: str, *, move: bool = True) -> int:
        """Pick out every place `text` is found (ignoring case). With `move`, the first one from
        the cursor on becomes the current match and the cursor goes to it; without, the cursor
        stays and `next_match` starts from it. Returns how many were found."""
        # Picking words out changes no line breaks: only the blocks with matches are redrawn.
        touched = {match.block for match in self._matches}
        self._matches = []
        if text.strip():
            pattern = re.compile(re.escape(text.strip()), re.IGNORECASE)
            for index, block in enumerate(self._blocks):
                self._matches += [
                    Match(index, found.start(), found.end())
                    for found in pattern.finditer(block.body.plain)
                ]
        for index in touched | {match.block for match in self._matches}:
            self._strips.pop(index, None)
        self._current_match = -1
        if self._matches and move:
            self._show_match(self._from_cursor(1))
        self.refresh()
        return len(self._matches)

    def next_match(self, step: int) -> tuple[int, int]:
        """Move to the next (1) or previous (-1) match, round the end; (its number, how many)."""
        if not self._matches:
            return 0, 0
        if self._current_match < 0:
            self._show_match(self._from_cursor(step))
        else:
            self._show_match((self._current_match + step) % len(self._matches))
        return self._current_match + 1, len(self._matches)

    def _from_cursor(self, step: int) -> int:
        """The first match at or after the cursor (step 1), or the last one before it (-1)."""
        if step > 0:
            return next((n for n, m in enumerate(self._matches) if m.block >= self.cursor), 0)
        before = [n for n, m in enumerate(self._matches) if m.block < self.cursor]
        return before[-1] if before else len(self._matches) - 1

    @property
    def match_position(self) -> tuple[int, int]:
        return self._current_match + 1, len(self._matches)

    def _show_match(self, number: int) -> None:
        touched = {self._matches[number].block}
        if self._current_match >= 0:
            touched.add(self._matches[self._current_match].block)
        self._current_match = number
        for index in touched:
            self._strips.pop(index, None)
        self._set_cursor(self._matches[number].block)

