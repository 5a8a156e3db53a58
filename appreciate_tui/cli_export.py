"""`appreciate export` and `appreciate import`: conversations out as documents and bundles, and
bundles back in.

Only click is imported when the command line starts; the reports, python-docx and markdown-it-py
load when an export or import actually runs.
"""

from __future__ import annotations

from pathlib import Path

import click

from appreciate_tui.cli_common import Failure, opened
from appreciate_tui.reports import CSV_CONTENTS, FORMATS, SHEET_FORMATS
from appreciate_tui.text import one_line

_REDACTION_REMINDER = (
    "Redacted. Patterns do not catch every name, address or number: read it before you share it."
)


@click.command(name="export")
@click.argument("conversation_id")
@click.option(
    "--format",
    "format_",
    type=click.Choice(FORMATS),
    required=True,
    help="md, html or docx: the learning example. json: the complete conversation, for "
    "`appreciate import`. csv: actions or notes (see --what). questions: the participant question "
    "sheet (see --questions-format).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file (mode 0600). Without it, md, json, csv and the md/txt question sheet "
    "are printed; html and docx are written to the 'exports' folder in appreciate's data folder "
    "(`appreciate locate` shows where that is).",
)
@click.option(
    "--redact",
    is_flag=True,
    help="Replace names by pseudonyms, and redaction terms, phone "
    "numbers, NHS numbers, postcodes and dates of birth by [redacted].",
)
@click.option(
    "--redact-term",
    "redact_terms",
    multiple=True,
    metavar="TERM",
    help="Add TERM to this conversation's redaction list (kept for later exports); "
    "implies --redact. Repeat for more terms.",
)
@click.option(
    "--what",
    type=click.Choice(CSV_CONTENTS),
    help="For csv: one row per action (the default) or per note.",
)
@click.option(
    "--questions-format",
    type=click.Choice(SHEET_FORMATS),
    help="For questions: Markdown (the default), plain text or a web page.",
)
@click.option(
    "--names",
    "use_names",
    is_flag=True,
    help="Name participants where a name was recorded, instead of their pseudonyms.",
)
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@click.option("--recipient", default="", help="Who it is for (kept in the record of shares).")
@click.option("--purpose", default="", help="Why it is shared (kept in the record of shares).")
@click.pass_context
def export_command(
    ctx: click.Context,
    conversation_id: str,
    format_: str,
    output: Path | None,
    redact: bool,
    redact_terms: tuple[str, ...],
    what: str | None,
    questions_format: str | None,
    use_names: bool,
    force: bool,
    recipient: str,
    purpose: str,
) -> None:
    """Export a conversation: its learning example, question sheet, actions or notes, or all of it
    as a bundle. Every export is recorded (format, when, redacted or not, recipient, purpose),
    never its content."""
    from appreciate_tui.reports import ExportRequest, export_to_file, record_export, render
    from appreciate_tui.reports.files import FileExists

    if what is not None and format_ != "csv":
        raise Failure("--what goes with --format csv")
    if questions_format is not None and format_ != "questions":
        raise Failure("--questions-format goes with --format questions")
    redact = redact or bool(redact_terms)
    if redact and use_names:
        raise Failure("--names cannot be used with --redact: a redacted export names no one")
    request = ExportRequest(
        format=format_,
        redact=redact,
        what=what or "actions",
        questions_format=questions_format or "md",
        use_names=use_names,
    )
    with opened(ctx) as store:
        if store.read_only:
            raise Failure(
                f"{store.read_only_reason}; every export is recorded in the database, so close the "
                "other appreciate first (or export from it)"
            )
        conversation = store.resolve_conversation(conversation_id)
        for term in redact_terms:
            try:
                store.add_redaction_term(conversation.id, term)
            except ValueError as exc:
                raise Failure(str(exc)) from None
        if output is None and not request.is_document:
            click.echo(render(store, conversation.id, request).text or "", nl=False)
            record_export(store, conversation.id, request, recipient=recipient, purpose=purpose)
        else:
            try:
                written = export_to_file(
                    store,
                    conversation.id,
                    request,
                    output,
                    force=force,
                    recipient=recipient,
                    purpose=purpose,
                )
            except FileExists as exc:
                raise Failure(f"{exc}; choose another name, or add --force to replace it") from None
            click.echo(f"Wrote {one_line(str(written))}")
    if redact:
        click.echo(f"appreciate: {_REDACTION_REMINDER}", err=True)


@click.command(name="import")
@click.argument("bundles", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def import_command(ctx: click.Context, bundles: tuple[Path, ...]) -> None:
    """Add conversations from JSON bundles (`appreciate export ID --format json`).

    Every bundle is checked before anything is written; rows already in this database (the same
    id) are left as they are, so importing a bundle twice adds nothing the second time.
    """
    from appreciate_tui.reports.bundle import BundleError, import_bundle, read

    with opened(ctx) as store:
        if store.read_only:
            raise Failure(f"{store.read_only_reason}; close the other appreciate to import")
        schema = store.bundle_schema()
        try:
            checked = [read(path, schema) for path in bundles]
        except BundleError as exc:
            raise Failure(f"{one_line(str(exc))}; nothing was imported") from None
        for bundle in checked:
            counts = import_bundle(store, bundle)
            added = {table: c.added for table, c in counts.items() if c.added}
            skipped = sum(c.skipped for c in counts.values())
            detail = ", ".join(_rows_of(table, n) for table, n in added.items())
            summary = f"added {sum(added.values())} rows ({detail})" if added else "nothing new"
            kind = " (redacted copy)" if bundle.redacted else ""
            click.echo(
                f"{one_line(bundle.source)}: {one_line(bundle.title, 60)}{kind}: {summary}; "
                f"{skipped} already here"
            )


def _rows_of(table: str, number: int) -> str:
    """'1 conversation', '34 notes', '2 note revisions'."""
    name = table.replace("_", " ")
    if number == 1 and name.endswith("s"):
        name = name[:-1]
    return f"{number} {name}"
