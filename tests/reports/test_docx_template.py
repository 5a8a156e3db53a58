"""Word exports in the partnership's own template: its styles, page, header, footer and logo carried
into the report, its text left behind, and any file that is not a plain Word document refused
before anything is written."""

from __future__ import annotations

import hashlib
import io
import re
import sqlite3
import struct
import zipfile
import zlib
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.shared import Mm, RGBColor

from appreciate_tui.cli import main
from appreciate_tui.demo import DEMO_CONVERSATION_ID
from appreciate_tui.export import ExportRequest, render
from appreciate_tui.reports import word_template
from appreciate_tui.reports.document import (
    BulletList,
    Document,
    Heading,
    NumberedList,
    Quote,
    Section,
    Table,
    item,
    plain,
    sentence,
)
from appreciate_tui.reports.docx import word_file
from appreciate_tui.settings import Settings
from appreciate_tui.store import Store

ID = DEMO_CONVERSATION_ID[:8]
HEADER = "Anytown Safeguarding Partnership"
FOOTER = "OFFICIAL-SENSITIVE · learning review"
BODY = "TEMPLATE BODY TEXT, never in a report"
MAGENTA = "C01B6E"


def _png() -> bytes:
    """A 12 x 4 green picture: the partnership's logo."""
    raw = b"".join(b"\x00" + b"\x1f\x6f\x3f" * 12 for _ in range(4))

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 12, 4, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


LOGO = _png()


def _template(folder: Path, name: str = "their.docx") -> Path:
    """A partnership template made as a user would: a magenta Heading 1, 25 mm margins, a logo
    and the partnership's name in the header, a footer, and some text of its own."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "logo.png").write_bytes(LOGO)
    document = docx.Document()
    heading = document.styles["Heading 1"]
    heading.font.color.rgb = RGBColor.from_string(MAGENTA)
    heading.font.name = "Georgia"
    section = document.sections[0]
    section.left_margin = section.right_margin = Mm(25)
    header = section.header.paragraphs[0]
    header.add_run().add_picture(str(folder / "logo.png"), width=Mm(20))
    header.add_run(HEADER)
    section.footer.paragraphs[0].text = FOOTER
    document.add_paragraph(BODY)
    path = folder / name
    document.save(str(path))
    return path


def _edited(path: Path, edit: Callable[[dict[str, bytes]], None], name: str | None = None) -> Path:
    """A copy of the template with its parts changed by `edit` (as a text editor on the zip)."""
    with zipfile.ZipFile(path) as package:
        parts = {n: package.read(n) for n in package.namelist()}
    edit(parts)
    out = path.with_name(name or f"edited-{path.name}")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for part, data in parts.items():
            package.writestr(part, data)
    return out


def _without_styles(*ids: str) -> Callable[[dict[str, bytes]], None]:
    def edit(parts: dict[str, bytes]) -> None:
        styles = parts["word/styles.xml"].decode("utf-8")
        for style_id in ids:
            styles = re.sub(
                rf'<w:style\b[^>]*w:styleId="{style_id}".*?</w:style>', "", styles, flags=re.S
            )
        parts["word/styles.xml"] = styles.encode("utf-8")

    return edit


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: package.read(name) for name in package.namelist()}


def _style(styles: bytes, style_id: str) -> str:
    found = re.search(
        rf'<w:style\b[^>]*w:styleId="{style_id}".*?</w:style>', styles.decode("utf-8"), re.S
    )
    assert found, style_id
    return found.group()


@pytest.fixture
def template(tmp_path: Path) -> Path:
    return _template(tmp_path / "templates")


@pytest.fixture
def run(db_path: Path, frozen_clock, london):
    runner = CliRunner()

    def invoke(*args: str, ok: bool = True):
        result = runner.invoke(main, ["--db", str(db_path), *args], catch_exceptions=False)
        assert (result.exit_code == 0) == ok, result.output + result.stderr
        return result

    invoke("demo")
    return invoke


def test_the_report_wears_the_templates_styles_header_footer_and_logo(
    store: Store, demo: str, template: Path
) -> None:
    data = render(store, demo, ExportRequest("docx", template=str(template))).data
    parts = _parts(data)
    heading = _style(parts["word/styles.xml"], "Heading1")
    assert MAGENTA in heading and "Georgia" in heading
    assert "word/stylesWithEffects.xml" not in parts  # Word 2010 would read it instead
    assert BODY.encode() not in parts["word/document.xml"]
    assert [n for n in parts if n.startswith("word/media/")] == ["word/media/template-picture1.png"]
    assert parts["word/media/template-picture1.png"] == LOGO

    word = docx.Document(io.BytesIO(data))
    section = word.sections[0]
    assert HEADER in section.header.paragraphs[0].text
    assert section.header.part.related_parts  # the logo, linked from the header
    assert section.footer.paragraphs[0].text == FOOTER
    assert round(section.left_margin.mm) == 25 and round(section.right_margin.mm) == 25
    names = {p.style.name for p in word.paragraphs}
    assert {"Title", "Heading 1", "Heading 2", "List Bullet", "Quote"} <= names
    assert word.tables and word.tables[0].style.name == "Table Grid"
    # The tables span the template's page inside its margins, not the report's own A4.
    text_width = section.page_width.twips - section.left_margin.twips - section.right_margin.twips
    assert text_width != 9638
    grid = re.search(r"<w:tblGrid>(.*?)</w:tblGrid>", parts["word/document.xml"].decode())
    assert grid is not None
    widths = [int(w) for w in re.findall(r'w:w="(\d+)"', grid.group(1))]
    assert text_width - len(widths) <= sum(widths) <= text_width


def test_styles_are_found_by_their_word_names_whatever_their_ids(
    store: Store, demo: str, template: Path
) -> None:
    """Word in German calls Heading 1 'berschrift1' inside the file; its name is still heading 1."""

    def german(parts: dict[str, bytes]) -> None:
        parts["word/styles.xml"] = parts["word/styles.xml"].replace(
            b'w:styleId="Heading1"', b'w:styleId="berschrift1"'
        )

    data = render(store, demo, ExportRequest("docx", template=str(_edited(template, german)))).data
    document = _parts(data)["word/document.xml"].decode("utf-8")
    assert '<w:pStyle w:val="berschrift1"/>' in document
    assert '<w:pStyle w:val="Heading1"/>' not in document


def test_a_missing_style_falls_back_to_a_near_one_or_the_reports_own_and_is_named(
    run, template: Path, tmp_path: Path
) -> None:
    sparse = _edited(
        template, _without_styles("Title", "Quote", "ListBullet", "ListBullet2", "ListBullet3")
    )
    target = tmp_path / "out.docx"
    result = run("export", ID, "--format", "docx", "--template", str(sparse), "-o", str(target))
    warnings = [line for line in result.stderr.splitlines() if "template" in line]
    assert warnings == [
        'appreciate: the Word template has no "Title", "List Bullet", "List Bullet 2", '
        '"List Bullet 3" styles; the report\'s own is used instead'
    ]
    parts = _parts(target.read_bytes())
    word = docx.Document(str(target))
    names = {p.style.name for p in word.paragraphs}
    assert "Intense Quote" in names and "Quote" not in names  # the template's nearest
    assert {"Title", "List Bullet"} <= names  # the report's own, added to the template's
    assert MAGENTA in _style(parts["word/styles.xml"], "Heading1")
    # The bullets added keep their bullets: their list is in the template's numbering.
    number = re.search(r'<w:numId w:val="(\d+)"/>', _style(parts["word/styles.xml"], "ListBullet"))
    assert number is not None
    numbering = parts["word/numbering.xml"].decode("utf-8")
    assert f'<w:num xmlns:w="{word_template.W}" w:numId="{number.group(1)}">' in numbering


def test_the_remembered_template_is_used_until_told_not_to(
    run, template: Path, tmp_path: Path
) -> None:
    Settings(docx_template=str(template)).save()
    remembered, ignored = tmp_path / "remembered.docx", tmp_path / "ignored.docx"
    run("export", ID, "--format", "docx", "-o", str(remembered))
    run("export", ID, "--format", "docx", "--no-template", "-o", str(ignored))
    assert docx.Document(str(remembered)).sections[0].footer.paragraphs[0].text == FOOTER
    assert docx.Document(str(ignored)).sections[0].footer.paragraphs[0].text == ""

    template.unlink()
    gone = tmp_path / "gone.docx"
    result = run("export", ID, "--format", "docx", "-o", str(gone))
    assert "remembered Word template" in result.stderr and "is not there" in result.stderr
    assert gone.read_bytes() == ignored.read_bytes()


def _macro(parts: dict[str, bytes]) -> None:
    parts["word/vbaProject.bin"] = b"\xd0\xcf\x11\xe0 macros"


def _header_fetches(parts: dict[str, bytes]) -> None:
    parts["word/_rels/header1.xml.rels"] = parts["word/_rels/header1.xml.rels"].replace(
        b'Target="media/image1.png"', b'Target="http://example.org/logo.png" TargetMode="External"'
    )


def _dde_field(parts: dict[str, bytes]) -> None:
    field = b'<w:r><w:instrText> DDEAUTO c:\\\\windows\\\\cmd.exe "/k calc"</w:instrText></w:r>'
    parts["word/footer1.xml"] = parts["word/footer1.xml"].replace(b"</w:p>", field + b"</w:p>", 1)


def _doctype(parts: dict[str, bytes]) -> None:
    parts["word/styles.xml"] = parts["word/styles.xml"].replace(
        b"?>", b'?><!DOCTYPE lol [<!ENTITY lol "lol">]>', 1
    )


@pytest.mark.parametrize(
    ("make", "why"),
    [
        (lambda t: t.with_name("notes.txt"), "is not a Word file (.docx)"),
        (lambda t: t.rename(t.with_name("their.docm")), "macro-enabled"),
        (lambda t: _edited(t, _macro), "holds macros"),
        (lambda t: t.with_name("broken.docx"), "is damaged"),
        (lambda t: t.with_name("absent.docx"), "there is no Word template"),
        (lambda t: _edited(t, _header_fetches), "outside the file"),
        (lambda t: _edited(t, _dde_field), "DDEAUTO field"),
        (lambda t: _edited(t, _doctype), "declares a DTD"),
    ],
    ids=["text", "docm", "vba-inside", "damaged", "absent", "external-logo", "dde", "doctype"],
)
def test_a_template_that_is_not_a_plain_word_document_is_refused_and_nothing_written(
    run, db_path: Path, template: Path, tmp_path: Path, make, why: str
) -> None:
    template.with_name("notes.txt").write_text("not a template")
    template.with_name("broken.docx").write_bytes(template.read_bytes()[:-300])
    target = tmp_path / "out.docx"
    result = run(
        "export", ID, "--format", "docx", "--template", str(make(template)), "-o", str(target),
        ok=False,
    )
    assert why in result.stderr and "nothing was exported" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not target.exists()
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("select count(*) from shares").fetchone() == (0,)


def test_a_zip_bomb_stops_unpacking_at_the_limit(
    template: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bomb = _edited(template, lambda parts: parts.update({"word/styles.xml": b" " * 400_000}))
    monkeypatch.setattr(word_template, "MAX_UNPACKED", 200_000)
    with pytest.raises(word_template.TemplateRefused, match="zip bomb"):
        word_template.load(bomb)


def test_a_template_goes_only_with_word_files(run, template: Path) -> None:
    with pytest.raises(ValueError, match="docx"):
        ExportRequest("md", template=str(template))
    result = run("export", ID, "--format", "md", "--template", str(template), ok=False)
    assert "--template goes with --format docx" in result.stderr


# A document of every kind of block, and the SHA-256 of its Word file as it was written before
# templates existed: without a template, not one byte has changed.
_EVERY_BLOCK = Document(
    title="MASH strategy meetings",
    subject="Is multi-agency working effective?",
    front=(sentence("26 February 2026 · closed"),),
    sections=(
        Section(
            "What is working well",
            (
                Heading(3, "Define"),
                BulletList((item(plain("one"), children=(item(plain("two")),)),)),
                NumberedList(3, (item(plain("three")), item(plain("four")))),
                Quote((plain("We start from what works."),), "Chair"),
                Table(("Action", "Owner", "Due"), (("Share minutes", "Police", "2026-04-30"),)),
            ),
        ),
    ),
    prepared_at=datetime(2026, 3, 12, 9, 30, tzinfo=timezone.utc),
)
_BEFORE_TEMPLATES = "0f9d88944f8191de721e2b3dcd6960d5548a266ef08050c7dd75dcafde640bb8"


def test_without_a_template_the_word_file_is_byte_for_byte_what_it_was() -> None:
    assert hashlib.sha256(word_file(_EVERY_BLOCK)).hexdigest() == _BEFORE_TEMPLATES
