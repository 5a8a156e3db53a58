"""Documents as Word files, because partnership documents are edited in Word.

Real headings (so Word's navigation pane and table of contents work), real bulleted lists in
Word's list styles, tables with a header row that repeats on every page, quotes in Word's Quote
style, on A4. Text goes in as escaped XML text, never parsed, so nothing in a note can become
formatting.

python-docx provides the package: its blank template (styles, numbering), the file's properties
and saving. The body is written here as WordprocessingML directly: python-docx's one-paragraph-
at-a-time API looks every style up afresh and takes seconds for a 500-note appendix. python-docx is
imported only when a Word file is made, so every other command starts quickly.
"""

from __future__ import annotations

import re
from datetime import timezone
from io import BytesIO
from typing import TYPE_CHECKING

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
    Span,
    Table,
)
from appreciate_tui.text import printable

if TYPE_CHECKING:
    from docx.document import Document as WordDocument

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# XML 1.0 has no place for these two non-characters; the file would not open.
_NOT_XML = re.compile("[\ufffe\uffff]")
_BULLETS = ("ListBullet", "ListBullet2", "ListBullet3")
_TEXT_WIDTH = 9638  # A4 less two 20 mm margins, in twentieths of a point
_BREAK = '</w:t><w:br/><w:t xml:space="preserve">'
_TAB = '</w:t><w:tab/><w:t xml:space="preserve">'


def _clean(value: str) -> str:
    return _NOT_XML.sub("\ufffd", printable(value))


def _escape(value: str) -> str:
    # xml.sax.saxutils.escape does the same, but importing it loads urllib.request and the email
    # package: a tenth of the time of a whole Word export.
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _text(value: str) -> str:
    """Stored text as the content of a run: printable, escaped, line breaks and tabs as Word's."""
    safe = _escape(_clean(value))
    return '<w:t xml:space="preserve">' + safe.replace("\n", _BREAK).replace("\t", _TAB) + "</w:t>"


def _run(span: Span) -> str:
    style = {"strong": "<w:rPr><w:b/></w:rPr>", "em": "<w:rPr><w:i/></w:rPr>"}.get(span.style, "")
    return f"<w:r>{style}{_text(span.text)}</w:r>"


def _paragraph(style: str, spans: Inline, *, extra: str = "", properties: str = "") -> str:
    runs = "".join(_run(span) for span in spans)
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{properties}</w:pPr>{runs}{extra}</w:p>'


def _items(items: tuple[Item, ...], depth: int, numbers: list[str] | None = None) -> str:
    out = []
    for index, item in enumerate(items):
        if numbers is None:
            out.append(_paragraph(_BULLETS[min(depth, len(_BULLETS) - 1)], item.spans))
        else:
            number = Span(f"{numbers[index]}\t")
            out.append(
                _paragraph(
                    "ListParagraph",
                    (number, *item.spans),
                    properties='<w:ind w:left="425" w:hanging="425"/>',
                )
            )
        if item.children:
            out.append(_items(item.children, depth + 1))
    return "".join(out)


def _cell(width: int, text: str, *, bold: bool) -> str:
    content = _paragraph("Normal", (Span(text.replace("\n", " "), "strong" if bold else "plain"),))
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>{content}</w:tc>'


def _table(header: tuple[str, ...], rows: tuple[tuple[str, ...], ...]) -> str:
    """A full-width table whose header row repeats on every page; the first column (the one with
    sentences in it) gets half the width."""
    if len(header) > 2:
        first = _TEXT_WIDTH // 2
        widths = [first] + [(_TEXT_WIDTH - first) // (len(header) - 1)] * (len(header) - 1)
    else:
        widths = [_TEXT_WIDTH // len(header)] * len(header)
    grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in widths)
    head = "".join(
        _cell(width, text, bold=True) for width, text in zip(widths, header, strict=True)
    )
    body = "".join(
        "<w:tr>"
        + "".join(_cell(width, text, bold=False) for width, text in zip(widths, row, strict=True))
        + "</w:tr>"
        for row in rows
    )
    return (
        '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/>'
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
        'w:noHBand="0" w:noVBand="1"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>"
        f'<w:tr><w:trPr><w:tblHeader w:val="true"/></w:trPr>{head}</w:tr>{body}</w:tbl>'
    )


def block(value: Block) -> str:
    """One block as WordprocessingML."""
    match value:
        case Heading(level, text):
            style = "Title" if level == 1 else f"Heading{level - 1}"
            return _paragraph(style, (Span(" ".join(text.split("\n"))),))
        case Paragraph(spans):
            return _paragraph("Normal", spans)
        case BulletList(items):
            return _items(items, 0)
        case NumberedList(start, items):
            return _items(items, 0, [f"{start + i}." for i in range(len(items))])
        case Quote(spans, source):
            tail = f"<w:r><w:br/></w:r>{_run(Span('— ' + source))}" if source else ""
            return _paragraph("Quote", spans, extra=tail)
        case Table(header, rows):
            return _table(header, rows)
    raise TypeError(f"not a document block: {value!r}")


def word_file(document: Document) -> bytes:
    """The document as the bytes of a .docx file."""
    import docx
    from docx.oxml import parse_xml
    from docx.shared import Mm

    word = docx.Document()
    _describe(word, document)
    section = word.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin = section.bottom_margin = Mm(20)

    parts = [block(Heading(1, document.title)), *(block(b) for b in document.front)]
    for part in document.sections:
        parts.append(block(Heading(2, part.heading)))
        parts += [block(b) for b in part.blocks]
    body = word.element.body
    end = body.sectPr  # the page settings stay the body's last element
    for element in parse_xml(f'<w:body xmlns:w="{W}">{"".join(parts)}</w:body>'):
        end.addprevious(element)
    out = BytesIO()
    word.save(out)
    return out.getvalue()


def _describe(word: WordDocument, document: Document) -> None:
    """The file's own properties: what it is and when it was prepared, and nothing about who made
    it or with what (the blank template would otherwise say so). The template's preview picture is
    dropped too: it shows another document, and file browsers would show it for this one."""
    from docx.opc.constants import RELATIONSHIP_TYPE

    package_rels = word.part.package.rels
    for rel_id, rel in list(package_rels.items()):
        if rel.reltype == RELATIONSHIP_TYPE.THUMBNAIL:
            package_rels.pop(rel_id)
    properties = word.core_properties
    properties.title = _clean(document.title.replace("\n", " "))
    properties.subject = _clean(document.subject.replace("\n", " "))
    properties.author = ""
    properties.last_modified_by = ""
    properties.comments = ""
    properties.keywords = ""
    properties.category = ""
    properties.revision = 1
    moment = document.prepared_at.astimezone(timezone.utc).replace(microsecond=0, tzinfo=None)
    properties.created = moment
    properties.modified = moment
