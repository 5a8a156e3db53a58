"""Documents as plain text: for pasting into an email, or reading in a terminal.

Every piece of text goes through `text.printable`, so printing a document can never act on the
terminal whatever a note holds.
"""

from __future__ import annotations

import textwrap

from appreciate_tui.reports.document import (
    Block,
    BulletList,
    Document,
    Heading,
    Inline,
    Item,
    NumberedList,
    Paragraph,
    Quote,
    Table,
)
from appreciate_tui.text import printable

WIDTH = 78


def _fill(text: str, first: str = "", rest: str = "") -> str:
    lines = []
    for index, line in enumerate(printable(text).split("\n")):
        lines.append(
            textwrap.fill(
                line,
                WIDTH,
                initial_indent=first if index == 0 else rest,
                subsequent_indent=rest,
                break_long_words=False,
                break_on_hyphens=False,
            )
            or (first if index == 0 else rest).rstrip()
        )
    return "\n".join(lines)


def _spans(spans: Inline) -> str:
    return "".join(span.text for span in spans)


def _items(items: tuple[Item, ...], markers: list[str], indent: str) -> list[str]:
    lines = []
    for item, marker in zip(items, markers, strict=True):
        rest = indent + " " * (len(marker) + 1)
        lines.append(_fill(_spans(item.spans), f"{indent}{marker} ", rest))
        if item.children:
            lines += _items(item.children, ["-"] * len(item.children), rest)
    return lines


def block(value: Block) -> str:
    match value:
        case Heading(level, text):
            line = printable(" ".join(text.split("\n")))
            if level <= 2:
                return line + "\n" + ("=" if level == 1 else "-") * len(line)
            return line
        case Paragraph(spans):
            return _fill(_spans(spans))
        case BulletList(items):
            return "\n".join(_items(items, ["-"] * len(items), ""))
        case NumberedList(start, items):
            return "\n".join(_items(items, [f"{start + i}." for i in range(len(items))], ""))
        case Quote(spans, source):
            text = _fill(_spans(spans), "    ", "    ")
            return text + (f"\n{_fill('— ' + source, '    ', '    ')}" if source else "")
        case Table(header, rows):
            lines = [" | ".join(printable(cell) for cell in header)]
            lines.append("-" * len(lines[0]))
            lines += [
                " | ".join(printable(" ".join(cell.split("\n"))) for cell in row) for row in rows
            ]
            return "\n".join(lines)
    raise TypeError(f"not a document block: {value!r}")


def render(document: Document) -> str:
    parts = [block(Heading(1, document.title)), *(block(b) for b in document.front)]
    for section in document.sections:
        parts.append(block(Heading(2, section.heading)))
        parts += [block(b) for b in section.blocks]
    return "\n\n".join(parts) + "\n"
