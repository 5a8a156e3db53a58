"""Text in, text out: whatever a note (or any other field) says, every format shows exactly those
characters, and nothing in it becomes structure, markup, a link, a script or a control byte."""

from __future__ import annotations

import csv
import io
import json
import random
import string
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from appreciate_tui.export import ExportRequest, render
from appreciate_tui.reports.markdown import escape
from appreciate_tui.store import Store
from appreciate_tui.text import clean, printable
from tests.reports.report_worlds import HOSTILE_NOTES, build_hostile, control_bytes, insert_raw_note


def _twin(bodies: tuple[str, ...]) -> tuple[str, ...]:
    """Harmless text with the same number of lines as each hostile text."""
    return tuple(
        "\n".join(f"plain text {i} line {j}" for j in range(body.count("\n") + 1))
        for i, body in enumerate(bodies)
    )


RENDERERS = {
    "default (html on)": MarkdownIt,
    "commonmark, html off": lambda: MarkdownIt("commonmark", {"html": False}),
    "commonmark, html off, tables": lambda: MarkdownIt("commonmark", {"html": False}).enable(
        "table"
    ),
    "js-default": lambda: MarkdownIt("js-default"),
}


class _Page(HTMLParser):
    """The start tags of a page, in order, and the text a reader sees."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, tuple[tuple[str, str | None], ...]]] = []
        self.chunks: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, tuple(attrs)))

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)

    @property
    def text(self) -> str:
        return "".join(self.chunks)


@pytest.fixture
def hostile(store: Store, frozen_clock, london) -> str:
    return build_hostile(store)


@pytest.fixture
def harmless(tmp_path: Path, frozen_clock, london):
    with Store.open(tmp_path / "twin.db") as twin:
        yield twin, build_hostile(twin, _twin(HOSTILE_NOTES))


@pytest.mark.parametrize("renderer", list(RENDERERS), ids=list(RENDERERS))
def test_markdown_gives_no_structure_from_note_text(
    store: Store, hostile: str, harmless, renderer: str
) -> None:
    twin, twin_id = harmless
    md = RENDERERS[renderer]()
    hostile_page = _Page(md.render(render(store, hostile, ExportRequest("md")).text or ""))
    twin_page = _Page(md.render(render(twin, twin_id, ExportRequest("md")).text or ""))
    # The same document with harmless text has exactly the same elements: nothing came from notes.
    assert [tag for tag, _ in hostile_page.tags] == [tag for tag, _ in twin_page.tags]
    tags = {tag for tag, _ in hostile_page.tags}
    assert not tags & {"script", "img", "a", "pre", "code", "hr", "h5", "h6"}
    assert not any(
        name in ("href", "src", "onerror") for _, attrs in hostile_page.tags for name, _ in attrs
    )


@pytest.mark.parametrize("renderer", list(RENDERERS), ids=list(RENDERERS))
def test_markdown_shows_exactly_what_was_written(store: Store, hostile: str, renderer: str) -> None:
    page = _Page(
        RENDERERS[renderer]().render(render(store, hostile, ExportRequest("md")).text or "")
    )
    for body in HOSTILE_NOTES:
        assert body in page.text, body


@pytest.mark.parametrize(
    "text", [*HOSTILE_NOTES, "a\n\nb", "trailing \\", "  lead", "x\\\ny", "`code`"]
)
def test_escaped_text_round_trips_through_commonmark(text: str) -> None:
    html = MarkdownIt("commonmark", {"html": False}).render(escape(text))
    page = _Page(html)
    assert {tag for tag, _ in page.tags} <= {"p", "br"}
    assert (
        page.text.strip("\n") == "\n".join(line.strip() for line in text.split("\n")).strip("\n")
        or not text.strip()
    )


def test_escaping_holds_for_random_text() -> None:
    """Thousands of strings made mostly of Markdown's own punctuation, at line starts and in
    between: each renders as one paragraph of exactly its own characters, under every renderer."""
    rng = random.Random(20260226)
    alphabet = string.punctuation * 3 + "aZ19 \t" + "#-+=>|*_`~1." * 2
    shapes = [
        "| a | b |",
        "|---|---|",
        "a | b",
        "--- | ---",
        "---",
        "===",
        "# x",
        "1. x",
        "2) x",
        "> x",
        "```",
        "~~~",
        "    code",
        "<div>",
        "[a]: /u",
        "* * *",
        "+ x",
        "<!-- c -->",
        "&copy;",
    ]

    def line() -> str:
        if rng.random() < 0.4:
            return rng.choice(shapes)
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 16)))

    renderers = [factory() for factory in RENDERERS.values()]
    for _ in range(1500):
        text = clean("\n".join(line() for _ in range(rng.randint(1, 4)))).strip()
        if not text:
            continue
        expected = "\n".join(line.strip() for line in text.split("\n"))
        for md in renderers:
            page = _Page(md.render(escape(text)))
            assert {tag for tag, _ in page.tags} <= {"p", "br"}, (text, md.render(escape(text)))
            assert page.text.strip("\n") == expected, text


def test_html_page_shows_the_text_and_runs_nothing(store: Store, hostile: str, harmless) -> None:
    twin, twin_id = harmless
    page = _Page(render(store, hostile, ExportRequest("html")).text or "")
    twin_page = _Page(render(twin, twin_id, ExportRequest("html")).text or "")
    assert [tag for tag, _ in page.tags] == [tag for tag, _ in twin_page.tags]
    assert not {tag for tag, _ in page.tags} & {"script", "img", "a", "link", "iframe", "object"}
    for body in HOSTILE_NOTES:
        assert body in page.text, body


def test_word_file_holds_the_literal_text(store: Store, hostile: str, harmless) -> None:
    import docx

    twin, twin_id = harmless
    data = render(store, hostile, ExportRequest("docx")).data
    word = docx.Document(io.BytesIO(data))
    twin_word = docx.Document(io.BytesIO(render(twin, twin_id, ExportRequest("docx")).data))
    styles = [p.style.name for p in word.paragraphs]
    assert styles == [p.style.name for p in twin_word.paragraphs]
    assert len(word.tables) == len(twin_word.tables) == 1
    text = "\n".join(p.text for p in word.paragraphs)
    for body in HOSTILE_NOTES:
        assert body in text, body


def test_csv_keeps_the_text_and_disarms_formulas(store: Store, hostile: str) -> None:
    text = render(store, hostile, ExportRequest("csv", what="notes")).text or ""
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(HOSTILE_NOTES)
    written = {row["note"] for row in rows}
    for body in HOSTILE_NOTES:
        expected = "'" + body if body[0] in "=+-@" else body
        assert expected in written
    assert "'- item" in written and "'=SUM(A1:A2) @cmd +1 -1" in written


def test_bundle_keeps_the_exact_text(store: Store, hostile: str) -> None:
    bundle = json.loads(render(store, hostile, ExportRequest("json")).text or "")
    assert {row["body"] for row in bundle["tables"]["notes"]} == set(HOSTILE_NOTES)


@pytest.mark.parametrize("sheet", ["md", "txt", "html"])
def test_question_sheet_keeps_the_text(store: Store, hostile: str, sheet: str) -> None:
    text = render(store, hostile, ExportRequest("questions", questions_format=sheet)).text or ""
    if sheet == "md":
        text = MarkdownIt().render(text)
    if sheet != "txt":
        page = _Page(text)
        assert [tag for tag, _ in page.tags].count("h1") == 1
        assert not {tag for tag, _ in page.tags} & {"script", "img", "a"}
        text = page.text
    assert "# heading" in text  # the question
    assert "plain text" not in text and "fenced" not in text  # no notes, no follow-ups


ALL_FORMATS = [
    ExportRequest("md"),
    ExportRequest("html"),
    ExportRequest("json"),
    ExportRequest("csv", what="notes"),
    ExportRequest("csv", what="actions"),
    ExportRequest("questions", questions_format="md"),
    ExportRequest("questions", questions_format="txt"),
    ExportRequest("questions", questions_format="html"),
    ExportRequest("md", redact=True),
]


@pytest.mark.parametrize(
    "request_", ALL_FORMATS, ids=lambda r: f"{r.share_format}{'-redacted' if r.redact else ''}"
)
def test_no_control_character_reaches_any_format(
    store: Store, hostile: str, db_path: Path, request_
) -> None:
    insert_raw_note(db_path, hostile)
    store.db.execute(
        "UPDATE questions SET text = text || ? WHERE conversation_id = ?",
        ["\x1b[2J\u202e", hostile],
    )
    rendered = render(store, hostile, request_)
    assert rendered.text is not None
    assert not control_bytes(rendered.text)
    assert not control_bytes(rendered.data.decode("utf-8"))
    if request_.format == "json":
        assert "\\u001b]2;PWNED" in rendered.text  # the data stays exact, escaped
    elif request_.format != "questions":
        assert "␛" in rendered.text  # shown, not obeyed


def test_no_control_character_reaches_the_word_file(
    store: Store, hostile: str, db_path: Path
) -> None:
    insert_raw_note(db_path, hostile)
    data = render(store, hostile, ExportRequest("docx")).data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            assert not control_bytes(
                archive.read(name).decode("utf-8", "replace").replace("\r\n", "\n")
            ), name
        assert printable("\x1b]2;PWNED\x07") in archive.read("word/document.xml").decode()
