"""`appreciate export` and `appreciate import`: conversations out as documents and bundles, and
bundles back in.

Only click is imported when the command line starts; the reports, python-docx and markdown-it-py
load when an export or import actually runs.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import click

from appreciate_tui.cli.common import Failure, emit_json, opened
from appreciate_tui.export import CSV_CONTENTS, FORMATS, SHEET_FORMATS
from appreciate_tui.text import one_line
from appreciate_tui.wording import plural

if TYPE_CHECKING:
    from appreciate_tui.store import Store
    from appreciate_tui.store.share_queue import QueuedRecord

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
    help="Replace names by pseudonyms (the facilitator by their role, owners who are not "
    "participants by 'Action owner N'), and redaction terms, email and street addresses, phone "
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
@click.option(
    "--encrypt",
    is_flag=True,
    help="For json: encrypt the bundle with a passphrase (asked twice; AES-256-GCM, the key from "
    "Argon2id). Written to a file, never printed; `appreciate import` asks for the passphrase.",
)
@click.option(
    "--passphrase-fd",
    type=int,
    metavar="N",
    help="Read the passphrase from file descriptor N (its first line) instead of asking; for scripts.",
)
@click.option(
    "--template",
    type=click.Path(dir_okay=False, path_type=Path),
    help="For docx: write the report in the partnership's own Word template (.docx): its styles, "
    "page, header, footer and logo, none of its text. Without it, the template remembered in the "
    "settings (docx_template) is used when the file is there.",
)
@click.option(
    "--no-template",
    is_flag=True,
    help="For docx: ignore the remembered Word template and use the report's own styles.",
)
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
    encrypt: bool,
    passphrase_fd: int | None,
    template: Path | None,
    no_template: bool,
    recipient: str,
    purpose: str,
) -> None:
    """Export a conversation: its learning example, question sheet, actions or notes, or all of it
    as a bundle. Every export is recorded (format, when, redacted or not, recipient, purpose),
    never its content.

    Works while the app has the database open: the export only reads, and its record waits in a
    private queue beside the database (`<database>.pending-shares/`) until the app records it, in
    a few seconds, or whichever appreciate next opens the database to change it; `appreciate
    shares` lists it as pending until then. Not while the app is open: an encrypted database
    (the queue would hold who and why in plain text) and --redact-term (the redaction list cannot
    change): export from the app (x on the review screen) or close it first."""
    from appreciate_tui.export import ExportRequest, export_to_file, record_export, render
    from appreciate_tui.paths import FileExists
    from appreciate_tui.exchange.sealed import SealError

    if what is not None and format_ != "csv":
        raise Failure("--what goes with --format csv")
    if questions_format is not None and format_ != "questions":
        raise Failure("--questions-format goes with --format questions")
    redact = redact or bool(redact_terms)
    if redact and use_names:
        raise Failure("--names cannot be used with --redact: a redacted export names no one")
    if encrypt and format_ != "json":
        raise Failure("--encrypt goes with --format json")
    if passphrase_fd is not None and not encrypt:
        raise Failure("--passphrase-fd goes with --encrypt")
    passphrase = _new_passphrase(passphrase_fd) if encrypt else None
    word_template = _word_template(format_, template, no_template)
    request = ExportRequest(
        format=format_,
        redact=redact,
        what=what or "actions",
        questions_format=questions_format or "md",
        use_names=use_names,
        encrypt=encrypt,
        template=word_template,
    )
    if format_ == "questions" and not recipient.strip() and _at_a_terminal():
        recipient = _ask_recipient()
    with opened(ctx) as store:
        # Another appreciate holds the database: its record of sharing waits in the queue.
        queued = _queued_record(store, redact_terms) if store.read_only else None
        conversation = store.resolve_conversation(conversation_id)
        for term in redact_terms:
            try:
                store.add_redaction_term(conversation.id, term)
            except ValueError as exc:
                raise Failure(str(exc)) from None
        recorder = store if queued is None else cast("Store", queued)
        with nullcontext() if queued is None else _one_state(store):
            if output is None and not request.is_document:
                text = render(store, conversation.id, request).text or ""
                record_export(recorder, conversation.id, request, recipient=recipient,
                              purpose=purpose)
                if queued is not None:
                    _queue(queued, None)  # before it is printed: nothing leaves unrecorded
                click.echo(text, nl=False)
            else:
                try:
                    written = export_to_file(
                        recorder,
                        conversation.id,
                        request,
                        output,
                        force=force,
                        recipient=recipient,
                        purpose=purpose,
                        passphrase=passphrase,
                    )
                except FileExists as exc:
                    raise Failure(f"{exc}; choose another name, or add --force to replace it") from None
                except SealError as exc:
                    raise Failure(f"{exc}; nothing was exported") from None
                if queued is not None:
                    _queue(queued, written)
                click.echo(f"Wrote {one_line(str(written))}")
    if queued is not None:
        click.echo(
            "appreciate: another appreciate has the database open: it records this share in a "
            "few seconds (`appreciate shares` lists it as pending until then).",
            err=True,
        )
    if redact:
        click.echo(f"appreciate: {_REDACTION_REMINDER}", err=True)


def _queued_record(store: Store, redact_terms: tuple[str, ...]) -> QueuedRecord:
    """The stand-in that queues this export's share (store/share_queue.py), when it can be
    queued; else a Failure that says why not and what to do instead."""
    from appreciate_tui.store.share_queue import QueuedRecord, writer_elsewhere

    reason = store.read_only_reason or "the database is read-only"
    if not writer_elsewhere(store):
        raise Failure(f"{reason}; every export is recorded in the database, so nothing was exported")
    if store.encrypted:
        raise Failure(
            f"{reason}, and the database is encrypted: the record of this share (to whom, why) "
            "would have to wait in a plain file beside it, so nothing was exported. Export from "
            "that appreciate (x on the conversation's review screen), or close it and run this "
            "again"
        )
    if redact_terms:
        raise Failure(
            f"{reason}: --redact-term adds to the conversation's redaction list, which cannot "
            "change while it is open there, so nothing was exported. Close it and run this again, "
            "or leave out --redact-term (the terms already on the list are still used)"
        )
    return QueuedRecord(store)


def _one_state(store: Store) -> AbstractContextManager[None]:
    from appreciate_tui.store.share_queue import snapshot

    return snapshot(store)


def _queue(queued: QueuedRecord, written: Path | None) -> None:
    """Queue the share of an export just made; if it cannot be, the export is not left behind
    as if it had gone well."""
    try:
        queued.commit()
    except OSError as exc:
        why = exc.strerror or str(exc)
        if written is None:
            raise Failure(
                f"the record of this share could not be queued ({why}), so nothing was exported"
            ) from None
        try:
            written.unlink()
            left = f"{one_line(str(written))} was removed"
        except FileNotFoundError:
            left = "nothing was written"
        except OSError:
            left = f"{one_line(str(written))} was written but is not recorded: delete it"
        raise Failure(
            f"the record of this share could not be queued ({why}), so nothing was shared: {left}"
        ) from None


def _at_a_terminal() -> bool:
    """Someone at a keyboard, who can be asked (not a script)."""
    import sys

    return sys.stdin.isatty() and sys.stderr.isatty()


def _ask_recipient() -> str:
    """Who the question sheet is for, asked on stderr (the sheet itself may be going to stdout),
    for the record of shares. Enter leaves it unsaid."""
    answer: str = click.prompt(
        "Who is the question sheet for? (Enter to leave it unsaid)",
        default="",
        show_default=False,
        err=True,
    )
    return answer.strip()


def _word_template(format_: str, given: Path | None, ignore: bool) -> str:
    """The Word template to write in: --template, else the one remembered in the settings if the
    file is still there. Checked before anything is written, so a refused template stops the
    export; the styles it lacks are named on stderr."""
    if given is not None and ignore:
        raise Failure("--template and --no-template cannot be used together")
    if format_ != "docx":
        if given is not None or ignore:
            raise Failure(f"--{'no-' if ignore else ''}template goes with --format docx")
        return ""
    if ignore:
        return ""
    if given is None:
        from appreciate_tui.settings import Settings

        remembered = Settings.load().docx_template
        if not remembered:
            return ""
        given = Path(remembered).expanduser()
        if not given.is_file():
            click.echo(
                f"appreciate: the remembered Word template {one_line(str(given))} is not there; "
                "the report's own styles are used",
                err=True,
            )
            return ""
    from appreciate_tui.reports.word_template import TemplateRefused, load

    try:
        loaded = load(given)
    except TemplateRefused as exc:
        raise Failure(f"{one_line(str(exc))}; nothing was exported") from None
    if loaded.warning:
        click.echo(f"appreciate: {loaded.warning}", err=True)
    return loaded.source


@click.command(name="import")
@click.argument("bundles", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--passphrase-fd",
    type=int,
    metavar="N",
    help="Read the passphrase of encrypted bundles from file descriptor N (its first line).",
)
@click.option("--json", "as_json", is_flag=True, help="Print what was merged as JSON, for scripts.")
@click.pass_context
def import_command(
    ctx: click.Context, bundles: tuple[Path, ...], passphrase_fd: int | None, as_json: bool
) -> None:
    """Merge conversations from bundles (`appreciate export ID --format json`, encrypted or not)
    into this database: the records of several laptops become one.

    Every bundle is checked (and opened, for an encrypted one) before anything is written, then
    all are merged in one transaction: all or nothing. Rows keep their ids. A row not here is
    added; a newer version of a row replaces an older one; a row changed both here and there is a
    conflict, reported, that the newer change wins on every laptop (a note's losing words are kept
    as an earlier version). A row that belongs here somewhere else (a note of another
    conversation…) refuses the run. Importing the same bundle again changes nothing.
    """
    from appreciate_tui.exchange.bundle import BundleError, merge_bundles

    with opened(ctx) as store:
        if store.read_only:
            raise Failure(f"{store.read_only_reason}; close the other appreciate to import")
        schema = store.bundle_schema()
        keys = _Passphrases(passphrase_fd)
        try:
            checked = [_read_bundle(path, schema, keys) for path in bundles]
            merged = merge_bundles(store, checked)
        except BundleError as exc:
            raise Failure(f"{one_line(str(exc))}; nothing was imported") from None
    reports = [_merge_report(bundle, counts) for bundle, counts in zip(checked, merged)]
    if as_json:
        emit_json(reports)
        return
    for report in reports:
        _print_merge(report)
    if len(reports) > 1:
        total = {k: sum(r[k] for r in reports) for k in ("added", "updated", "skipped", "refused")}
        conflicts = sum(len(r["conflicts"]) for r in reports)
        click.echo(
            f"Merged {len(reports)} bundles in one go: {plural(total['added'], 'row')} added, "
            f"{total['updated']} updated, {total['skipped']} already here"
            + (f", {total['refused']} erased here and not brought back" if total["refused"] else "")
            + f", {plural(conflicts, 'conflict')}."
        )


def _read_bundle(path: Path, schema: Any, keys: _Passphrases) -> Any:
    """A checked bundle from a plain or encrypted file."""
    from appreciate_tui.exchange import sealed
    from appreciate_tui.exchange.bundle import BundleError, loads, read

    try:
        with path.open("rb") as file:
            head = file.read(64)
    except OSError as exc:
        raise BundleError(f"{path}: {exc.strerror or exc}") from None
    if not sealed.is_sealed(head):
        return read(path, schema)
    try:
        # Checked before any passphrase is asked for; only a wrong passphrase is worth another try.
        envelope = sealed.read(path)
    except sealed.SealError as exc:
        raise BundleError(f"{path}: {exc}") from None
    problem = "no passphrase was given"
    for passphrase in keys.candidates(path):
        try:
            plain = envelope.open(passphrase)
        except sealed.WrongPassphrase as exc:
            problem = str(exc)
            continue
        except sealed.SealError as exc:
            raise BundleError(f"{path}: {exc}") from None
        keys.worked(passphrase)
        try:
            text = plain.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise BundleError(f"{path}: the encrypted bundle holds no bundle") from None
        return loads(text, schema, str(path))
    raise BundleError(f"{path}: {problem}")


class _Passphrases:
    """Passphrases for encrypted bundles: one from a file descriptor, or asked for (three tries
    per file); one that opened a bundle is tried first on the next."""

    def __init__(self, fd: int | None) -> None:
        self._fd = fd
        self._known: list[str] = []

    def candidates(self, path: Path) -> Any:
        yield from list(self._known)
        if self._fd is not None:
            if not self._known:
                yield _read_fd(self._fd)
            return
        for _ in range(3):
            yield click.prompt(
                f"Passphrase for {one_line(path.name)}", hide_input=True, err=True
            )

    def worked(self, passphrase: str) -> None:
        if passphrase not in self._known:
            self._known.insert(0, passphrase)


def _read_fd(fd: int) -> str:
    try:
        with open(fd, "rb", closefd=False) as stream:
            line = stream.readline()
    except OSError as exc:
        raise Failure(f"the passphrase could not be read from file descriptor {fd} ({exc.strerror})") from None
    try:
        return line.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError:
        raise Failure(f"the passphrase on file descriptor {fd} is not UTF-8 text") from None


def _new_passphrase(fd: int | None) -> str:
    from appreciate_tui.exchange.sealed import SealError, check_passphrase

    if fd is not None:
        passphrase = _read_fd(fd)
    else:
        passphrase = click.prompt(
            "Passphrase for the encrypted bundle",
            hide_input=True,
            confirmation_prompt="Repeat the passphrase",
            err=True,
        )
    try:
        check_passphrase(passphrase)
    except SealError as exc:
        raise Failure(f"{exc}; nothing was exported") from None
    return passphrase


def _merge_report(bundle: Any, counts: dict[str, Any]) -> dict[str, Any]:
    tables = {
        table: {"added": c.added, "updated": c.updated, "skipped": c.skipped, "refused": c.refused}
        for table, c in counts.items()
    }
    return {
        "bundle": bundle.source,
        "conversation_id": bundle.conversation_id,
        "title": bundle.title,
        "redacted": bundle.redacted,
        "tables": tables,
        **{k: sum(t[k] for t in tables.values()) for k in ("added", "updated", "skipped", "refused")},
        "conflicts": [
            {
                "table": c.table,
                "id": c.row_id,
                "conversation_id": c.conversation_id,
                "kept": c.kept,
                "here_updated_at": c.here_updated_at,
                "imported_updated_at": c.imported_updated_at,
                "fields": list(c.fields),
                "earlier_version": c.earlier_version,
            }
            for table_counts in counts.values()
            for c in table_counts.conflicts
        ],
    }


def _print_merge(report: dict[str, Any]) -> None:
    def listed(key: str) -> str:
        return ", ".join(
            _rows_of(table, n[key]) for table, n in report["tables"].items() if n[key]
        )

    parts = [
        f"{verb} {plural(report[verb], 'row')} ({listed(verb)})"
        for verb in ("added", "updated")
        if report[verb]
    ]
    if not parts:
        parts.append("nothing new")
    parts.append(f"{report['skipped']} already here")
    if report["refused"]:
        parts.append(f"{report['refused']} erased here, not brought back")
    kind = " (redacted copy)" if report["redacted"] else ""
    click.echo(
        f"{one_line(report['bundle'])}: {one_line(report['title'], 60)}{kind}: {'; '.join(parts)}"
    )
    for conflict in report["conflicts"]:
        click.echo(f"  conflict: {_conflict_line(conflict)}")


def _conflict_line(conflict: dict[str, Any]) -> str:
    """Which row, what differed, which version was kept and why, and where the other one is."""
    here, there = conflict["here_updated_at"], conflict["imported_updated_at"]
    kept, other = ("this database's", "the imported") if conflict["kept"] == "here" else (
        "the imported", "this database's")
    what = f"{_rows_of(conflict['table'], 1)[2:]} {conflict['id'][:8]}"
    if not conflict["earlier_version"]:  # then nothing keeps the other side: say what it was
        what += f" ({', '.join(field.replace('_', ' ') for field in conflict['fields'])})"
    why = "the newer" if here != there else "as new as the other, the same on every laptop"
    line = f"{what} was changed here ({here[:19]}) and there ({there[:19]}); kept {kept}, {why}"
    if conflict["earlier_version"]:
        return f"{line}; {other} words are kept as an earlier version"
    return line


def _rows_of(table: str, number: int) -> str:
    """'1 conversation', '34 notes', '2 note revisions'."""
    name = table.replace("_", " ")
    if number == 1 and name.endswith("s"):
        name = name[:-1]
    return f"{number} {name}"
