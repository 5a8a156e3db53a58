"""A line with a gutter whose text wraps under itself, not under the gutter.

    ▌✓ 2 Tell me about a strategy      09:42 + Strategy calls now start
    ▌     meeting that worked…                 on time. — Police 1

Lists of questions and notes read far better this way: the marks, times and phase bars stay in a
column and the eye runs down them. `Content` wraps from the left edge, hence this small `Visual`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import cast

from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual


class _NoWrap:
    """The widget's style rules, except that text is not wrapped (again)."""

    def __init__(self, rules: RulesMap) -> None:
        self._rules = rules

    def get(self, rule: str, default: object = None) -> object:
        return "nowrap" if rule == "text_wrap" else self._rules.get(rule, default)


class Hanging(Visual):
    def __init__(
        self, gutter: Content, text: Content, *, continuation: Content | None = None
    ) -> None:
        """`continuation` is the gutter of wrapped lines; by default blank, as wide as `gutter`."""
        self.gutter = gutter
        self.text = text
        self.continuation = (
            continuation if continuation is not None else Content(" " * gutter.cell_length)
        )
        # A list asks every line's height, at more than one width, whenever it lays out: wrap once
        # per width (a handful of widths over a session, so the cache stays tiny).
        self._wrapped: dict[int, list[Content]] = {}

    def _lines(self, width: int) -> list[Content]:
        if (lines := self._wrapped.get(width)) is None:
            room = max(1, width - self.gutter.cell_length)
            wrapped = self.text.wrap(room) or [Content("")]
            lines = [
                (self.gutter if index == 0 else self.continuation) + line
                for index, line in enumerate(wrapped)
            ]
            if len(self._wrapped) > 4:
                self._wrapped.clear()
            self._wrapped[width] = lines
        return lines

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        lines = self._lines(width)
        if height is not None:
            lines = lines[:height]
        # The lines are wrapped already: rendering them as they are saves wrapping them twice.
        # _NoWrap answers `get` as RulesMap does, which is all the rendering asks of it.
        unwrapped = replace(options, rules=cast(RulesMap, _NoWrap(options.rules)))
        return Content("\n").join(lines).render_strips(width, height, style, unwrapped)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.gutter.cell_length + self.text.get_optimal_width(rules, container_width)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return len(self._lines(width))
