"""The demo's learning example as a web page and as a Word file: parsed, with their headings,
sections and tables checked."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime, timezone
from html.parser import HTMLParser

import docx

from appreciate_tui.export import ExportRequest, render
from appreciate_tui.store import Store
from tests.reports.report_worlds import SECTIONS


class _Outline(HTMLParser):
    """Headings (with the section each sits in), tables, and every tag and attribute seen."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[tuple[str, str | None, str]] = []  # (tag, section id, text)
        self.tags: set[str] = set()
        self.attributes: set[str] = set()
        self.meta: list[dict[str, str | None]] = []
        self.table_cells: list[str] = []
        self.style = ""
        self.title = ""
        self._section: str | None = None
        self._capture: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes.update(name for name, _ in attrs)
        if tag == "section":
            self._section = dict(attrs).get("id")
        if tag == "meta":
            self.meta.append(dict(attrs))
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6", "th", "td", "style", "title"):
            self._capture, self._text = tag, ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "section":
            self._section = None
        if tag != self._capture:
            return
        if tag in ("th", "td"):
            self.table_cells.append(self._text)
        elif tag == "style":
            self.style = self._text
        elif tag == "title":
            self.title = self._text
        else:
            self.headings.append((tag, self._section, self._text))
        self._capture = None

    def handle_data(self, data: str) -> None:
        if self._capture:
            self._text += data


def test_page_has_the_sections_in_order_each_in_its_own_section(store: Store, demo: str) -> None:
    outline = _Outline()
    outline.feed(render(store, demo, ExportRequest("html")).text or "")
    h1 = [h for h in outline.headings if h[0] == "h1"]
    assert h1 == [("h1", None, "MASH strategy meetings — appreciative conversation")]
    h2 = [(section, text) for tag, section, text in outline.headings if tag == "h2"]
    assert [text for _, text in h2] == SECTIONS
    assert [section for section, _ in h2] == [
        "introduction",
        "background-aims-and-objectives",
        "approach",
        "what-is-working-well",
        "concerns-raised",
        "the-vision",
        "solutions-and-actions",
        "challenges",
        "successes",
        "conclusion-and-key-learning",
        "appendix-full-notes",
    ]
    h3 = [text for tag, _, text in outline.headings if tag == "h3"]
    assert {"The questions", "Who took part", "Who could not attend", "Actions agreed"} <= set(h3)
    assert (
        "1. When a strategy meeting goes well for a child, what does 'effective' mean to you?" in h3
    )
    assert (
        "h4",
        "appendix-full-notes",
        "6.1. What qualities would the person have who had the right skills and experience?",
    ) in outline.headings
    assert outline.table_cells[:4] == ["Action", "Owner", "Due", "Status"]
    assert outline.table_cells[5:8] == ["Children's social care", "27 March 2026", "In progress"]
    assert outline.title == "MASH strategy meetings — appreciative conversation"


def test_page_is_self_contained_and_printable_on_a4(store: Store, demo: str) -> None:
    outline = _Outline()
    outline.feed(render(store, demo, ExportRequest("html")).text or "")
    assert not outline.tags & {"script", "link", "img", "iframe", "object", "embed", "a"}
    assert not outline.attributes & {"src", "href", "onload", "onerror"}
    policy = next(m for m in outline.meta if m.get("http-equiv") == "Content-Security-Policy")
    assert policy["content"] == "default-src 'none'; style-src 'unsafe-inline'"
    assert "size: A4" in outline.style and "@media print" in outline.style
    assert "url(" not in outline.style and "@import" not in outline.style


def test_word_file_has_real_headings_lists_and_table(store: Store, demo: str) -> None:
    data = render(store, demo, ExportRequest("docx")).data
    word = docx.Document(io.BytesIO(data))
    by_style: dict[str, list[str]] = {}
    for paragraph in word.paragraphs:
        by_style.setdefault(paragraph.style.name, []).append(paragraph.text)
    assert by_style["Title"] == ["MASH strategy meetings — appreciative conversation"]
    assert by_style["Heading 1"] == SECTIONS
    assert {"The questions", "Who took part", "Who could not attend", "Actions agreed"} <= set(
        by_style["Heading 2"]
    )
    assert {"Define", "Discover", "Dream", "Design", "Deliver"} <= set(by_style["Heading 3"])
    assert (
        "6.1. What qualities would the person have who had the right skills and experience?"
        in by_style["Heading 3"]
    )
    assert by_style["List Bullet 2"] == [
        "Follow-up: What qualities would the person have who had the right skills and experience?"
    ]
    assert len(by_style["List Bullet"]) > 60
    assert by_style["List Paragraph"][0].startswith("1.\tWhen a strategy meeting goes well")
    assert any(
        text.startswith("“It worked because nobody was defending") for text in by_style["Quote"]
    )

    (table,) = word.tables
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["Action", "Owner", "Due", "Status"]
    assert [row[1:] for row in rows[1:]] == [
        ["Children's social care", "27 March 2026", "In progress"],
        ["Health", "24 April 2026", "Open"],
    ]
    assert all(run.bold for cell in table.rows[0].cells for run in cell.paragraphs[0].runs)
    assert 'w:tblHeader w:val="true"' in table.rows[0]._tr.xml


def test_word_file_says_what_it_is_and_nothing_about_who_made_it(store: Store, demo: str) -> None:
    data = render(store, demo, ExportRequest("docx")).data
    properties = docx.Document(io.BytesIO(data)).core_properties
    assert properties.title == "MASH strategy meetings — appreciative conversation"
    assert properties.subject == "Is multi-agency working effective within MASH strategy meetings?"
    assert (
        properties.author == "" and properties.comments == "" and properties.last_modified_by == ""
    )
    assert properties.created == datetime(2026, 3, 12, 9, 30, tzinfo=timezone.utc)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        assert not [name for name in names if "thumbnail" in name]
        assert all(b"python-docx" not in archive.read(name) for name in names)


def test_word_file_is_a4_and_a_whole_package(store: Store, demo: str) -> None:
    data = render(store, demo, ExportRequest("docx")).data
    section = docx.Document(io.BytesIO(data)).sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert round(section.left_margin.mm) == 20 and round(section.top_margin.mm) == 20
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist()[0] == "[Content_Types].xml"
        assert archive.testzip() is None
        types = archive.read("[Content_Types].xml").decode()
        for name in archive.namelist():
            if name.endswith(".xml") and not name.startswith(("[", "customXml/item1")):
                assert f'PartName="/{name}"' in types, name  # every part has its type


def test_a_word_file_is_made_without_loading_python_docx_or_lxml(
    store: Store, demo: str, tmp_path
) -> None:
    """Loading them took a third of a Word export; python-docx supplies only its template."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from appreciate_tui.export import ExportRequest, render\n"
        "from appreciate_tui.store import Store\n"
        f"store = Store.open({str(store.path)!r}, read_only=True)\n"
        f"assert render(store, {demo!r}, ExportRequest('docx')).data[:2] == b'PK'\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('docx', 'lxml')))\n"
    )
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
