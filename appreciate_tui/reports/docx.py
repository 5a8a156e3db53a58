"""Documents as Word files, because partnership documents are edited in Word.

Real headings (so Word's navigation pane and table of contents work), real bulleted lists in
Word's list styles, tables with a header row that repeats on every page, quotes in Word's Quote
style, on A4. Text goes in as escaped XML text, never parsed, so nothing in a note can become
formatting.

python-docx provides the package: its blank template (styles, numbering, settings, fonts, theme),
which is read here as the zip file it is. The body is written as WordprocessingML directly
(python-docx's one-paragraph-at-a-time API looks every style up afresh and takes seconds for a
500-note appendix), and so are the page settings and the file's properties. Loading python-docx
and lxml to do the rest took longer than writing a 500-note appendix, a third of a Word export,
so they are not imported; the tests read every file back with python-docx. The parts written
here are checked to be well-formed XML before the file is made.

A partnership's own Word template (word_template.py) replaces the blank template's styles, theme
and numbering, and brings its page, header, footer and logo; the body is the same, its style
names pointed at the template's.
"""

from __future__ import annotations

import re
import zipfile
from datetime import datetime, timezone
from functools import lru_cache
from importlib.util import find_spec
from io import BytesIO
from pathlib import Path
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
    from appreciate_tui.reports.word_template import WordTemplate

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


def _table(
    header: tuple[str, ...], rows: tuple[tuple[str, ...], ...], text_width: int = _TEXT_WIDTH
) -> str:
    """A full-width table whose header row repeats on every page; the first column (the one with
    sentences in it) gets half the width."""
    if len(header) > 2:
        first = text_width // 2
        widths = [first] + [(text_width - first) // (len(header) - 1)] * (len(header) - 1)
    else:
        widths = [text_width // len(header)] * len(header)
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


def block(value: Block, text_width: int = _TEXT_WIDTH) -> str:
    """One block as WordprocessingML; a table spans `text_width` (twentieths of a point)."""
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
            return _table(header, rows, text_width)
    raise TypeError(f"not a document block: {value!r}")


# A4 with 20 mm margins, in twentieths of a point.
_PAGE = (
    '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="1134" '
    'w:bottom="1134" w:left="1134" w:header="720" w:footer="720" w:gutter="0"/>'
    '<w:cols w:space="720"/><w:docGrid w:linePitch="360"/></w:sectPr>'
)
_DECLARATION = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
# What the file says of itself: what it is and when it was prepared, nothing about who made it
# or with what (the template's own properties would say python-docx).
_CORE = (
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:title>{title}</dc:title><dc:subject>{subject}</dc:subject><dc:creator></dc:creator>"
    "<cp:keywords></cp:keywords><dc:description></dc:description>"
    "<cp:lastModifiedBy></cp:lastModifiedBy><cp:revision>1</cp:revision>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">{moment}</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">{moment}</dcterms:modified>'
    "<cp:category></cp:category></cp:coreProperties>"
)
# The template's preview picture shows another document; file browsers would show it for ours.
_THUMBNAIL = "docProps/thumbnail.jpeg"


class WordTemplateMissing(RuntimeError):
    """python-docx, whose blank template Word files are made from, is not installed."""


@lru_cache(maxsize=1)
def _template() -> dict[str, bytes]:
    """The parts of python-docx's blank document, by name."""
    spec = find_spec("docx")
    if spec is None or spec.origin is None:
        raise WordTemplateMissing("Word files need python-docx, which is not installed")
    with zipfile.ZipFile(Path(spec.origin).parent / "templates" / "default.docx") as template:
        return {name: template.read(name) for name in template.namelist()}


def _package(body: str, core: str, template: WordTemplate | None = None) -> dict[str, bytes]:
    """The parts of the Word file: the blank template's, with this body and these properties,
    and without the template's preview picture; with a partnership's `template`, its styles,
    page, header and footer in place of the blank template's."""
    parts = dict(_template())
    parts.pop(_THUMBNAIL, None)
    types = parts["[Content_Types].xml"].decode("utf-8")
    parts["[Content_Types].xml"] = re.sub(
        r'\s*<Default Extension="jpeg"[^>]*/>', "", types
    ).encode("utf-8")
    rels = parts["_rels/.rels"].decode("utf-8")
    parts["_rels/.rels"] = re.sub(
        rf'\s*<Relationship [^>]*Target="{_THUMBNAIL}"[^>]*/>', "", rels
    ).encode("utf-8")
    opening = re.search(r"<w:document\b[^>]*>", parts["word/document.xml"].decode("utf-8"))
    if opening is None:
        raise WordTemplateMissing("python-docx's blank template has no document in it")
    start, page, end = opening.group(), _PAGE, "</w:document>"
    if template is not None:
        template.apply(parts)
        start, page, end = template.opening, template.section or _PAGE, template.closing
    parts["word/document.xml"] = (
        f"{_DECLARATION}{start}<w:body>{body}{page}</w:body>{end}"
    ).encode("utf-8")
    parts["docProps/core.xml"] = (_DECLARATION + core).encode("utf-8")
    return parts


def _well_formed(*documents: bytes) -> None:
    """Raise ValueError unless each is well-formed XML: a slip in the escaping would otherwise
    make a file Word refuses to open."""
    from xml.parsers import expat

    for data in documents:
        try:
            expat.ParserCreate().Parse(data, True)
        except expat.ExpatError as exc:
            raise ValueError(f"the Word document would not be valid XML ({exc})") from None


def word_file(document: Document, template: WordTemplate | None = None) -> bytes:
    """The document as the bytes of a .docx file; in a partnership's Word `template`
    (word_template.py) if one is given."""
    width = template.text_width if template is not None else _TEXT_WIDTH
    blocks = [block(Heading(1, document.title), width)]
    blocks += [block(b, width) for b in document.front]
    for part in document.sections:
        blocks.append(block(Heading(2, part.heading), width))
        blocks += [block(b, width) for b in part.blocks]
    body = "".join(blocks)
    return package(body if template is None else template.restyle(body), document.title,
                   document.subject, document.prepared_at, template)


def package(body: str, title: str, subject: str, prepared_at: datetime,
            template: WordTemplate | None = None) -> bytes:
    """A .docx file around `body` (the document's paragraphs and tables as WordprocessingML),
    its properties saying `title`, `subject` and when it was made; refused (ValueError) unless
    every part is well-formed XML."""
    moment = prepared_at.astimezone(timezone.utc).replace(microsecond=0, tzinfo=None)
    core = _CORE.format(
        title=_escape(_clean(title.replace("\n", " "))),
        subject=_escape(_clean(subject.replace("\n", " "))),
        moment=moment.isoformat() + "Z",
    )
    parts = _package(body, core, template)
    _well_formed(parts["word/document.xml"], parts["docProps/core.xml"])
    out = BytesIO()
    stamp = moment.timetuple()[:6]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        # The content types first, as Word writes them.
        for name in sorted(parts, key=lambda name: name != "[Content_Types].xml"):
            archive.writestr(zipfile.ZipInfo(name, date_time=stamp), parts[name],
                             compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
