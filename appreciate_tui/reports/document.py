"""A document as plain blocks: headings, paragraphs, lists, quotes and tables.

The learning example and the question sheet are written once, as these blocks; each format
(Markdown, HTML through Markdown, Word, plain text) renders the blocks its own way. Text in a
block is always data: a renderer escapes it for its format, and no block can carry markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

Style = Literal["plain", "strong", "em"]


@dataclass(frozen=True)
class Span:
    text: str
    style: Style = "plain"


def plain(text: str) -> Span:
    return Span(text)


def strong(text: str) -> Span:
    return Span(text, "strong")


def em(text: str) -> Span:
    return Span(text, "em")


Inline = tuple[Span, ...]


@dataclass(frozen=True)
class Heading:
    level: int  # 1 is the document's title, 2 a section, 3 and below within a section
    text: str


@dataclass(frozen=True)
class Paragraph:
    spans: Inline


@dataclass(frozen=True)
class Item:
    spans: Inline
    children: tuple[Item, ...] = ()  # a bulleted list nested under this item


@dataclass(frozen=True)
class BulletList:
    items: tuple[Item, ...]


@dataclass(frozen=True)
class NumberedList:
    start: int
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Quote:
    spans: Inline
    source: str = ""  # who said it, shown under the quote


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


Block = Heading | Paragraph | BulletList | NumberedList | Quote | Table


def paragraph(*spans: Span) -> Paragraph:
    return Paragraph(spans)


def sentence(text: str) -> Paragraph:
    """A paragraph of plain text."""
    return Paragraph((Span(text),))


def item(*spans: Span, children: tuple[Item, ...] = ()) -> Item:
    return Item(spans, children)


@dataclass(frozen=True)
class Section:
    heading: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Document:
    title: str
    subject: str  # one line saying what the document is about (Word's "subject")
    front: tuple[Block, ...]  # under the title, before the first section
    sections: tuple[Section, ...]
    prepared_at: datetime
