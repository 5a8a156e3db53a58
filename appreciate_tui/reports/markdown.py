"""Documents as Markdown, where the text people wrote is always data and never markup.

Every piece of text is made printable (a control character becomes a visible symbol), then each of
its lines is escaped: every ASCII punctuation character that CommonMark (or its table and
strikethrough extensions) gives a meaning to is backslash-escaped wherever it could have that
meaning, and the lines are joined with hard breaks. Rendered by any CommonMark renderer, a note
holding `# heading`, `| a | b |`, `- item`, `> q`, `*x*`, `<script>` or `[x](javascript:…)` shows
exactly those characters, and no heading, table, list, quote, emphasis, HTML or link comes out of
it (shared research, reliability.md §5.3; tests/reports/test_hostile.py checks it under four
renderer configurations and against thousands of random strings). Punctuation that can mean
nothing where it stands (a full stop in a sentence, a hyphen inside a word) is left alone, so the
file still reads as prose. Only the document's own structure is Markdown.
"""

from __future__ import annotations

import re

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
    Section,
    Table,
    em,
    plain,
)
from appreciate_tui.text import printable

# Meaningful wherever they stand: escapes, code, emphasis, strikethrough, links and images, HTML
# and autolinks, entities, table cells, quotes.
_ANYWHERE = str.maketrans({char: "\\" + char for char in "\\`*_~[]<>&|"})
# Meaningful at the start of a line (or of a list item): headings, list markers, setext underlines.
_STARTERS = frozenset("#+=-0123456789")
_LINE_START = re.compile(r"^(\s*)([#+=-])")
_ORDERED_MARKER = re.compile(r"^(\s*\d{1,9})([.)])")
_HARD_BREAK = "\\\n"
_DELIMITERS = {"strong": "**", "em": "*"}


def escape_line(line: str) -> str:
    line = line.translate(_ANYWHERE)
    if line.lstrip()[:1] in _STARTERS:
        line = _LINE_START.sub(r"\1\\\2", line)
        line = _ORDERED_MARKER.sub(r"\1\\\2", line)
    return line


def escape(text: str, indent: str = "") -> str:
    """Text as literal Markdown: printable, punctuation escaped, its lines joined by hard breaks
    (each continuation line starting with `indent`, to stay inside a list item or quote)."""
    # Most text has nothing to make visible; str.isprintable is False for every character that
    # text.printable would change (and for line breaks and tabs, which take the long way).
    lines = (text if text.isprintable() else printable(text)).split("\n")
    # Spaces before a line break would make a second, different break; elsewhere they are text.
    escaped = [escape_line(line.rstrip()) for line in lines[:-1]] + [escape_line(lines[-1])]
    return (_HARD_BREAK + indent).join(escaped)


def inline(spans: Inline, indent: str = "") -> str:
    out = []
    for span in spans:
        if span.style == "plain":
            out.append(escape(span.text, indent))
            continue
        core = span.text.strip()
        if not core:
            out.append(escape(span.text, indent))
            continue
        # Emphasis only opens and closes next to a non-space, so the spaces go outside it.
        lead = span.text[: len(span.text) - len(span.text.lstrip())]
        trail = span.text[len(span.text.rstrip()) :]
        mark = _DELIMITERS[span.style]
        out.append(f"{escape(lead)}{mark}{escape(core, indent)}{mark}{escape(trail)}")
    return "".join(out)


def _items(items: tuple[Item, ...], markers: list[str], indent: str) -> list[str]:
    lines = []
    for item, marker in zip(items, markers, strict=True):
        inner = indent + " " * (len(marker) + 1)
        lines.append(f"{indent}{marker} {inline(item.spans, inner)}")
        if item.children:
            lines += _items(item.children, ["-"] * len(item.children), inner)
    return lines


def _cell(text: str) -> str:
    return escape(" ".join(text.split("\n"))) or " "


def block(value: Block, *, alternate: bool = False) -> str:
    """One block as Markdown. `alternate` switches list markers, so a list that directly follows
    another list starts a new one instead of joining it."""
    match value:
        case Heading(level, text):
            return "#" * level + " " + escape(" ".join(text.split("\n")))
        case Paragraph(spans):
            return inline(spans)
        case BulletList(items):
            return "\n".join(_items(items, ["*" if alternate else "-"] * len(items), ""))
        case NumberedList(start, items):
            close = ")" if alternate else "."
            markers = [f"{start + i}{close}" for i in range(len(items))]
            return "\n".join(_items(items, markers, ""))
        case Quote(spans, source):
            text = "> " + inline(spans, "> ")
            if source:
                text += "\n>\n> " + inline((plain("— "), em(source)), "> ")
            return text
        case Table(header, rows):
            lines = ["| " + " | ".join(_cell(h) for h in header) + " |"]
            lines.append("|" + "|".join(" --- " for _ in header) + "|")
            lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
            return "\n".join(lines)
    raise TypeError(f"not a document block: {value!r}")


def blocks(values: tuple[Block, ...]) -> str:
    out = []
    previous: Block | None = None
    alternate = False
    for value in values:
        is_list = isinstance(value, (BulletList, NumberedList))
        alternate = is_list and type(previous) is type(value) and not alternate
        out.append(block(value, alternate=alternate))
        previous = value
    return "\n\n".join(out)


def front(document: Document) -> str:
    """The title and what comes under it, before the first section."""
    head = block(Heading(1, document.title))
    return head + ("\n\n" + blocks(document.front) if document.front else "")


def section(value: Section) -> str:
    return block(Heading(2, value.heading)) + "\n\n" + blocks(value.blocks)


def render(document: Document) -> str:
    parts = [front(document), *(section(s) for s in document.sections)]
    return "\n\n".join(parts) + "\n"
