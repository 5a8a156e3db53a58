"""Reports of one conversation, documents for people to read: the learning example (Markdown,
HTML, Word: learning.py, its feedback section feedback.py), the record (record.py), the
participant question sheet (questions.py), the feedback form to print (feedback_form.py: a blank
form, written but never recorded as a share), actions or notes as CSV (csv.py), and the writers of
each format; files.py names the files.
Redaction is appreciate_tui/redaction.py (the rules), applied by the store
(`Store.conversation_record`).

`render_document` makes a document in memory. The export form offers these documents beside the
conversation bundle (exchange/), so the choice between them, the writing of the file and the record
of the share are one layer up, in appreciate_tui/export.py: call that, not this, to export.

Nothing heavy is imported until a document is made: python-docx and markdown-it-py load only for
the formats that need them, so the command line starts quickly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from appreciate_tui.store import Store

DOCUMENT_FORMATS = ("md", "html", "docx", "csv", "questions")


class DocumentRequest(Protocol):
    """Which document, and how (`export.ExportRequest` is one)."""

    @property
    def format(self) -> str: ...  # md, html, docx, csv or questions
    @property
    def extension(self) -> str: ...  # md, html, docx, txt or csv
    @property
    def redact(self) -> bool: ...
    @property
    def use_names(self) -> bool: ...
    @property
    def what(self) -> str: ...  # for csv: actions or notes
    @property
    def template(self) -> str: ...  # for docx: a partnership's Word template (word_template.py)


def render_document(
    store: Store, conversation_id: str, request: DocumentRequest
) -> tuple[bytes, str | None]:
    """The document's bytes, and its text, safe to print on a terminal (None for a Word file).
    Each format imports only what it needs."""
    if request.format not in DOCUMENT_FORMATS:
        raise ValueError(f"{request.format!r} is not a document ({', '.join(DOCUMENT_FORMATS)})")
    from appreciate_tui.reports.model import gather

    report = gather(store, conversation_id, redact=request.redact, use_names=request.use_names)
    if request.format == "csv":
        from appreciate_tui.reports import csv

        text = csv.actions_csv(report) if request.what == "actions" else csv.notes_csv(report)
        return csv.as_file_bytes(text), text
    if request.format == "questions":
        from appreciate_tui.reports.questions import question_sheet

        document = question_sheet(report)
    else:
        from appreciate_tui.reports.learning import learning_example

        document = learning_example(report)
    if request.extension == "docx":
        from appreciate_tui.reports.docx import word_file

        if request.template:
            from appreciate_tui.reports.word_template import load

            return word_file(document, load(request.template)), None
        return word_file(document), None
    if request.extension == "html":
        from appreciate_tui.reports.html import page

        text = page(document)
    elif request.extension == "txt":
        from appreciate_tui.reports.plain import render as plain_text

        text = plain_text(document)
    else:
        from appreciate_tui.reports.markdown import render as markdown_text

        text = markdown_text(document)
    return text.encode("utf-8"), text
