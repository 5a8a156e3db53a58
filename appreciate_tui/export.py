"""Exporting a conversation: a document for people to read (reports/) or a bundle for another
appreciate to import (exchange/), chosen, made and recorded the same way.

`render` makes an export in memory; `export_to_file` writes it (`paths.write_private`: privately,
atomically, never over another file unless asked; named by reports/files.py) and records the share;
`record_export` records a share made another way, such as Markdown copied to the clipboard.
`appreciate export` and the app's export and question-sheet dialogs all come through here, so every
export is made, and recorded, the same way.

This module sits above reports/ and exchange/ (neither imports the other) and below the command
line and the app. Nothing heavy is imported until an export is made: python-docx and markdown-it-py
load only for the formats that need them, so the command line starts quickly.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from appreciate_tui.store import Store

FORMATS = ("md", "html", "docx", "json", "csv", "questions")
CSV_CONTENTS = ("actions", "notes")
SHEET_FORMATS = ("md", "txt", "html")


@dataclass(frozen=True)
class ExportRequest:
    """What to export, and how."""

    format: str  # one of FORMATS
    redact: bool = False
    what: str = "actions"  # for csv: one of CSV_CONTENTS
    questions_format: str = "md"  # for questions: one of SHEET_FORMATS
    use_names: bool = False  # name participants instead of using pseudonyms (never when redacted)
    encrypt: bool = False  # json only: sealed with a passphrase (exchange/sealed.py)
    template: str = ""  # docx only: a partnership's Word template to write in (word_template.py)

    def __post_init__(self) -> None:
        if self.format not in FORMATS:
            raise ValueError(f"{self.format!r} is not an export format ({', '.join(FORMATS)})")
        if self.what not in CSV_CONTENTS:
            raise ValueError(f"a CSV export holds {' or '.join(CSV_CONTENTS)}, not {self.what!r}")
        if self.questions_format not in SHEET_FORMATS:
            raise ValueError(
                f"the question sheet is {', '.join(SHEET_FORMATS)}, not {self.questions_format!r}"
            )
        if self.redact and self.use_names:
            raise ValueError("a redacted export cannot name participants")
        if self.encrypt and self.format != "json":
            raise ValueError("only the json bundle can be encrypted")
        if self.template and self.format != "docx":
            raise ValueError("a Word template goes with the docx format")

    @property
    def extension(self) -> str:
        if self.encrypt:
            return "json.enc"
        return {"questions": self.questions_format}.get(self.format, self.format)

    @property
    def contents(self) -> str:
        """What the file holds, in its default name, where the extension does not tell it from
        the learning example or the bundle: `questions`, or the CSV's `actions` or `notes`."""
        return {"questions": "questions", "csv": self.what}.get(self.format, "")

    @property
    def share_format(self) -> str:
        """How the share is recorded: `md`, `csv-actions`, `questions-txt`, …"""
        if self.format == "csv":
            return f"csv-{self.what}"
        if self.format == "questions":
            return f"questions-{self.questions_format}"
        if self.encrypt:
            return "json-encrypted"
        return self.format

    @property
    def is_document(self) -> bool:
        """A file to open, not text to read in a terminal: HTML pages and Word files."""
        return self.encrypt or self.extension in ("html", "docx")


@dataclass(frozen=True)
class Rendered:
    """An export in memory. `text` is safe to print on a terminal (None for a Word file)."""

    data: bytes  # the file's bytes
    text: str | None


def render(store: Store, conversation_id: str, request: ExportRequest) -> Rendered:
    """Make the export in memory. Each format imports only what it needs."""
    if request.format == "json":
        from appreciate_tui.exchange import bundle

        bundled = bundle.dumps(bundle.build(store, conversation_id, redact=request.redact))
        return Rendered(bundled.encode("utf-8"), bundled)
    from appreciate_tui.reports import render_document

    return Rendered(*render_document(store, conversation_id, request))


def record_export(
    store: Store,
    conversation_id: str,
    request: ExportRequest,
    *,
    recipient: str = "",
    purpose: str = "",
    path: Path | None = None,
) -> None:
    """Record that this export was shared: the format, when, whether redacted, to whom and why,
    and the file it was written to (`path`); never its content."""
    store.record_share(
        conversation_id,
        request.share_format,
        redacted=request.redact,
        recipient=recipient,
        purpose=purpose,
        path=path,
    )
    if request.format == "json" and not request.redact:
        # If these rows come back unchanged from another laptop, they are known as already here.
        store.remember_exported(conversation_id)


def export_to_file(
    store: Store,
    conversation_id: str,
    request: ExportRequest,
    path: Path | None = None,
    *,
    force: bool = False,
    recipient: str = "",
    purpose: str = "",
    passphrase: str | None = None,
) -> Path:
    """Write the export to `path` (default: a file named after the conversation in the private
    exports folder) with mode 0600, and record the share. Raises `paths.FileExists` if the file
    is there and `force` is not set. An encrypted bundle needs the `passphrase` to seal it with
    (`sealed.SealError` if it is too short)."""
    from appreciate_tui import paths
    from appreciate_tui.reports import files

    rendered = render(store, conversation_id, request)
    if request.encrypt:
        from appreciate_tui.exchange.sealed import SealError, seal

        if passphrase is None:
            raise SealError("an encrypted export needs a passphrase")
        rendered = Rendered(seal(rendered.data, passphrase), None)
    if path is None:
        conversation = store.get_conversation(conversation_id)
        path = files.default_path(
            conversation.title,
            conversation.date,
            conversation.id,
            request.extension,
            redacted=request.redact,
            contents=request.contents,
        )
    written = paths.write_private(path, rendered.data, replace=force)
    record_export(store, conversation_id, request, recipient=recipient, purpose=purpose,
                  path=written)
    return written
