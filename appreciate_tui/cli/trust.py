"""Keeping the database safe, and what the command line does with sensitive information beyond
everyday use: `check`, `backup`, `locate`, `restore`, `purge`, `erase-person`, `erasures`,
`encrypt` and `rekey`. Unlocking an encrypted database before every other command is
cli/unlocking.py.

Every claim these commands make is proved by a test in tests/trust/ (docs/privacy.md lists them).
Nothing here speaks SQL: the store does (store/erasure.py, recovery.py, encryption.py, cipher.py).
"""

from __future__ import annotations

import os
import shlex
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click

from appreciate_tui import paths
from appreciate_tui.cli.common import Failure, emit_json, opened
from appreciate_tui.cli.unlocking import passphrase
from appreciate_tui.passphrase import PassphraseUnavailable, ask_new, read_fd
from appreciate_tui.text import one_line
from appreciate_tui.wording import plural

DEFAULT_RETENTION_MONTHS = 24


# ---------------------------------------------------------------- helpers


def _interactive() -> bool:
    return sys.stdin.isatty()


def _confirm(yes: bool, question: str) -> None:
    if yes:
        return
    if not _interactive():
        raise Failure("this needs a yes: run it in a terminal to be asked, or add --yes")
    if not click.confirm(question, default=False):
        raise Failure("nothing was changed")


def retention_months() -> int:
    """The retention period from the settings; a missing or nonsensical value gives the default."""
    from appreciate_tui.settings import Settings

    months = Settings.load().retention_months
    if isinstance(months, bool) or not isinstance(months, int) or months < 1:
        return DEFAULT_RETENTION_MONTHS
    return months


def _period(days: int | None, months: int) -> str:
    if days is not None:
        return plural(days, 'day')
    return f"{plural(months, 'month')} (the retention period in the settings)"


def _echo_shares(shares: list[Any], heading: str) -> None:
    if not shares:
        return
    click.echo(heading)
    for share in shares:
        to = f" to {one_line(share.recipient, 40)}" if share.recipient else ""
        redacted = ", redacted" if share.redacted else ""
        click.echo(f"  {share.created_at[:10]}  {share.format}{redacted}{to}  "
                   f"(conversation {share.conversation_id[:8]})")


def _echo_backups(store: Any, holding: list[Path], unreadable: list[Path], drop: bool,
                  again: str, what: str = "it") -> None:
    """Say which older backups still hold what was erased, or, with `drop`, replace them by one
    fresh backup. `again` is the command (without the flag) that does that later."""
    from appreciate_tui.store import erasure

    for backup in unreadable:
        click.echo(f"  could not be read to check: {backup}")
    if not holding:
        click.echo(f"No backup holds {what}.")
        return
    if drop:
        fresh, removed = erasure.drop_backups(store, holding)
        click.echo(f"Removed {plural(len(removed), 'older backup')} that "
                   f"held {what} (overwritten, then deleted); a fresh backup is {fresh}.")
        return
    click.echo(f"{plural(len(holding), 'older backup')} still "
               f"{'holds' if len(holding) == 1 else 'hold'} {what}:")
    for backup in holding:
        click.echo(f"  {backup}")
    click.echo(f"  `{again} --drop-old-backups` replaces them by one fresh backup.")


def _echo_exports(removed: Iterable[Path], left: Iterable[Path], what: str = "it") -> None:
    removed, left = list(removed), list(left)
    if removed:
        click.echo(f"Removed {plural(len(removed), 'file')} appreciate had "
                   f"written into its exports folder holding {what} (overwritten, then deleted; "
                   "export again for a copy without it):")
        for path in removed:
            click.echo(f"  {one_line(str(path))}")
    for path in left:
        # Anyone can name a file there: its name is shown, never obeyed by the terminal.
        click.echo(f"  a file appreciate did not write still holds {what}; delete it if it should "
                   f"go: {one_line(str(path))}")


def _command(ctx: click.Context, *words: str) -> str:
    """An appreciate command line to run later, on this same database."""
    database: Path = ctx.obj["db"]
    on = [] if database.absolute() == paths.db_path(None).absolute() else ["--db", str(database)]
    return shlex.join(["appreciate", *on, *words])


# ---------------------------------------------------------------- the file itself


@click.command(name="check")
@click.pass_context
def check_command(ctx: click.Context) -> None:
    """Check the database: SQLite's own check, every note's checksum, and every value appreciate
    keeps as JSON."""

    with opened(ctx, read_only=True) as store:
        report = store.check()
    click.echo(f"{ctx.obj['db']}: SQLite check: {', '.join(report.quick_check)}")
    click.echo(f"notes checked: {report.notes_checked}, changed outside appreciate: {len(report.mismatches)}")
    for mismatch in report.mismatches:
        click.echo(
            f"  note {mismatch.note_id} in conversation {mismatch.conversation_id[:8]}: its text no "
            "longer matches the checksum stored when it was written"
        )
    click.echo(f"values appreciate cannot read: {len(report.unreadable)}")
    for value in report.unreadable:
        click.echo(
            f"  {value.label} {value.row_id[:8]}: cannot be read "
            "(changed outside appreciate); appreciate reads it as empty"
        )
    if not report.ok:
        raise Failure("the database has problems (listed above); restore a backup or keep this file for review")


@click.command(name="backup")
@click.argument("dest", type=click.Path())
@click.option("--force", is_flag=True, help="Replace DEST if it already exists.")
@click.pass_context
def backup_command(ctx: click.Context, dest: str, force: bool) -> None:
    """Write a verified copy of the database to DEST: a file, or a folder to put it in (ending
    DEST with / makes the folder, private, if it is not there yet)."""
    from appreciate_tui.store.safety import backup_name

    # Kept as typed until here: a Path drops the trailing separator that says "a folder".
    target = Path(dest).expanduser()
    folder = dest.endswith(tuple(filter(None, (os.sep, os.altsep)))) or target.is_dir()
    if folder and target.exists() and not target.is_dir():
        raise Failure(f"{target} is a file, not a folder; choose a folder or a new file name")
    if not folder and target.exists() and not force:
        raise Failure(f"{target} already exists; choose another name or add --force")
    with opened(ctx, read_only=True) as store:
        if folder:
            target = paths.ensure_private_dir(target, tighten=False) / backup_name(ctx.obj["db"])
        written = store.backup(target)
    click.echo(f"Backed up to {written}")


@click.command(name="locate")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object for scripts.")
@click.pass_context
def locate_command(ctx: click.Context, as_json: bool) -> None:
    """Print where appreciate keeps its data."""
    database = ctx.obj["db"]
    places = {
        "data": paths.data_dir(),
        "database": database,
        "backups": paths.backups_dir(database),
        "banks": paths.user_banks_dir(),
        "themes": paths.user_themes_dir(),
        "settings": paths.settings_path(),
    }
    if as_json:
        emit_json({name: str(path) for name, path in places.items()})
        return
    for name, path in places.items():
        click.echo(f"{name:<9} {path}")


# ---------------------------------------------------------------- restore


@click.command(name="restore")
@click.argument("backup", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--yes", is_flag=True, help="Replace the database without asking (for scripts).")
@click.pass_context
def restore_command(ctx: click.Context, backup: Path, yes: bool) -> None:
    """Put BACKUP back as the database, after checking it. The database it replaces is kept
    beside it (mode 0600). Refused while another appreciate has the database open."""
    from appreciate_tui.store import cipher, recovery

    database: Path = ctx.obj["db"]
    backup = backup.expanduser().absolute()
    if not backup.is_file():
        raise Failure(f"{backup}: there is no backup file here; `appreciate locate` shows the backups folder")
    key = cipher.session_key(database)
    if recovery.key_needed(backup) and key is None:
        key = cipher.key_for(backup, passphrase(ctx, f"Passphrase for the backup {backup}: "))
    info = recovery.inspect(backup, key)
    sealed = ", encrypted" if info.encrypted else ""
    click.echo(f"{backup}: checked{sealed}: {plural(info.conversations, 'conversation')}, "
               f"{plural(info.notes, 'note')}, "
               f"the newest dated {info.newest or '-'}.")
    if database.exists():
        click.echo(f"It will replace {database}, which is kept beside it.")
        if cipher.looks_encrypted(database) and not info.encrypted:
            click.echo("This backup is not encrypted: run `appreciate encrypt` again afterwards.")
    _confirm(yes, "Restore this backup?")
    done = recovery.restore(database, backup, key=key, database_key=cipher.session_key(database))
    click.echo(f"Restored {database} from {backup}.")
    if done.kept_aside is not None:
        click.echo(f"The database it replaced is kept at {done.kept_aside} (mode 0600); "
                   "delete it once you are sure.")


# ---------------------------------------------------------------- retention


@click.command(name="purge")
@click.option("--older-than", "days", type=click.IntRange(min=0), metavar="DAYS",
              help="Erase conversations that took place (or ended) more than DAYS days ago. "
              "Default: the retention period in the settings (24 months unless changed).")
@click.option("--dry-run", is_flag=True, help="Only list what is due; erase nothing.")
@click.option("--yes", is_flag=True, help="Erase without asking (for scripts).")
@click.option("--drop-old-backups", is_flag=True,
              help="Then replace the older backups that still hold anything erased (now or "
              "before) by one fresh backup.")
@click.option("--json", "as_json", is_flag=True, help="Print what is due as JSON (with --dry-run).")
@click.pass_context
def purge_command(ctx: click.Context, days: int | None, dry_run: bool, yes: bool,
                  drop_old_backups: bool, as_json: bool) -> None:
    """Erase the conversations past the retention period, for good (DESIGN.md section 5), with
    the exports of them appreciate wrote into its own exports folder."""
    from appreciate_tui.store import erasure

    months = retention_months()
    with opened(ctx, read_only=dry_run) as store:
        due = store.conversations_due(days=days, months=None if days is not None else months)
        if as_json:
            emit_json([
                {"id": d.conversation.id, "title": d.conversation.title, "date": d.conversation.date,
                 "last_activity": d.last_activity, "notes": d.notes, "exports_recorded": d.shares}
                for d in due
            ])
            if dry_run:
                return
        if not due:
            click.echo(f"Nothing is due: no conversation is older than {_period(days, months)}.")
            if drop_old_backups and not dry_run:
                _drop_what_was_erased(ctx, store, yes)
            return
        if not as_json:
            click.echo(f"Due for erasure, older than {_period(days, months)}:")
            for d in due:
                click.echo(f"  {d.conversation.id[:8]}  {d.last_activity}  "
                           f"{plural(d.notes, 'note', fmt='>4'):<10}  "
                           f"{one_line(d.conversation.title, 50)}")
        ids = [d.conversation.id for d in due]
        shares = erasure.shares_of(store, ids)
        if dry_run:
            _echo_shares(shares, "Exports recorded for them (copies outside this database):")
            click.echo(f"{len(due)} due. Nothing was erased (--dry-run).")
            return
        if store.read_only:
            raise Failure(f"{store.read_only_reason}; nothing can be erased")
        these = "this" if len(due) == 1 else "these"
        _confirm(yes, f"Erase {these} {plural(len(due), 'conversation')} for good? This cannot be "
                      "undone.")
        result = store.erase_conversations(ids, reason="retention")
        click.echo(f"Erased {plural(len(ids), 'conversation')} "
                   f"({plural(result.rows_removed, 'row')}); the record of erasures keeps their "
                   "ids and counts, not their content.")
        if not result.complete:
            click.echo(f"Not finished: {result.problem}.", err=True)
        _echo_exports(result.exports_removed, result.exports_left, "them")
        _echo_shares(shares, "They had been exported; copies that left appreciate's exports "
                             "folder are outside its reach:")
        holding, unreadable = erasure.backups_holding(store, ids=erasure.erased_ids(store))
        _echo_backups(store, holding, unreadable, drop_old_backups,
                      _command(ctx, "purge"), "what was erased")


def _drop_what_was_erased(ctx: click.Context, store: Any, yes: bool) -> None:
    """Replace the older backups that hold anything the record of erasures names (what the
    advice printed by an earlier purge asks for)."""
    from appreciate_tui.store import erasure

    if store.read_only:
        raise Failure(f"{store.read_only_reason}; nothing can be changed")
    holding, unreadable = erasure.backups_holding(store, ids=erasure.erased_ids(store))
    if holding:
        hold = "holds" if len(holding) == 1 else "hold"
        _confirm(yes, f"Replace the {plural(len(holding), 'older backup')} that {hold} what was "
                      "erased by a fresh one?")
    _echo_backups(store, holding, unreadable, True, _command(ctx, "purge"), "what was erased")


# ---------------------------------------------------------------- a person


@click.command(name="erase-person")
@click.argument("name")
@click.option("--also", multiple=True, metavar="NAME",
              help="Another form of the name to remove too (a first name alone, a nickname). "
              "Repeat for more.")
@click.option("--dry-run", is_flag=True, help="Only report where the name is; change nothing.")
@click.option("--yes", is_flag=True, help="Erase without asking (for scripts).")
@click.option("--drop-old-backups", is_flag=True,
              help="Then replace the older backups that hold the name by one fresh backup.")
@click.pass_context
def erase_person_command(ctx: click.Context, name: str, also: tuple[str, ...], dry_run: bool,
                         yes: bool, drop_old_backups: bool) -> None:
    """Remove NAME from every conversation: a participant's recorded name (their pseudonym
    stays), and wherever it was typed in notes, earlier versions, drafts, questions, actions,
    feedback and records of shares (it becomes the pseudonym, or "[name removed]"), and the files
    appreciate wrote into its exports folder that hold it. Reports the older backups, the recorded
    exports and other files in the exports folder that may still hold it."""
    from appreciate_tui.store import erasure

    try:
        terms = erasure.name_terms(name, also)
    except ValueError as exc:
        raise Failure(str(exc)) from None
    pattern = erasure.name_pattern(terms)
    shown = ", ".join(repr(one_line(t)) for t in terms)
    again = _command(ctx, "erase-person", name, *(w for form in also for w in ("--also", form)))
    with opened(ctx, read_only=dry_run) as store:
        found = erasure.find_person(store, name, also)
        shares = erasure.shares_of(store, found.conversation_ids)
        holding, unreadable = erasure.backups_holding(store, pattern=pattern)
        exports = erasure.exports_holding(pattern=pattern)
        places = found.texts
        click.echo(f"{shown}: a participant in {plural(len(found.participant_ids), 'record')}; "
                   f"named in {plural(places, 'text')}, in "
                   f"{plural(len(found.conversation_ids), 'conversation')}.")
        nothing_here = not found.participant_ids and not places
        copies_to_clear = bool(exports.ours) or bool(holding and drop_old_backups)
        if dry_run or (nothing_here and not copies_to_clear):
            if holding:
                click.echo(f"{plural(len(holding), 'backup')} "
                           f"{'holds' if len(holding) == 1 else 'hold'} it:")
                for backup in holding:
                    click.echo(f"  {backup}")
                if not dry_run:
                    click.echo(f"  `{again} --drop-old-backups` replaces them by one fresh backup.")
            _echo_shares(shares, "Exports recorded for those conversations (they may hold it):")
            for path in exports.ours:
                click.echo(f"  a file appreciate wrote holds it (erasing removes it): "
                           f"{one_line(str(path))}")
            for path in exports.theirs:
                click.echo(f"  a file appreciate did not write holds it: {one_line(str(path))}")
            click.echo("Nothing was changed." + (" (--dry-run)" if dry_run else ""))
            return
        if store.read_only:
            raise Failure(f"{store.read_only_reason}; nothing can be erased")
        if nothing_here:
            # Erased from the database before: only copies outside it are left to deal with.
            _confirm(yes, "It is in no conversation any more. Remove the copies appreciate made "
                          "that still hold it?")
            _echo_exports(erasure.remove_exports(exports), exports.theirs)
            _echo_backups(store, holding, unreadable, drop_old_backups, again)
            return
        _confirm(yes, "Remove it everywhere in this database? This cannot be undone.")
        result = store.erase_person(name, also)
        click.echo(f"Removed from {plural(result.texts_changed, 'place')}; "
                   "pseudonyms stay. The record of erasures keeps a count, not the name.")
        if not result.complete:
            click.echo(f"Not finished: {result.problem}.", err=True)
        _echo_exports(result.exports_removed, result.exports_left)
        _echo_shares(shares, "Exports recorded for those conversations may still hold it "
                             "(copies that left appreciate's exports folder are outside its reach):")
        _echo_backups(store, holding, unreadable, drop_old_backups, again)


@click.command(name="erasures")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array for scripts.")
@click.pass_context
def erasures_command(ctx: click.Context, as_json: bool) -> None:
    """The record of erasures: when, what kind, which id, how many rows, why. Never content."""
    with opened(ctx, read_only=True) as store:
        log = store.erasures()
    if as_json:
        emit_json(log)
        return
    if not log:
        click.echo("Nothing has been erased from this database.")
        return
    for row in log:
        target = (row["target_id"] or "-")[:8]
        status = "" if row["complete"] else "  (not finished: run it again)"
        click.echo(f"{row['erased_at'][:19]}  {row['kind']:<12} {target:<8}  {row['reason']:<9} "
                   f"{plural(row['rows_removed'], 'row', fmt='>5'):<10}  "
                   f"{plural(row['texts_changed'], 'text', fmt='>4')}{status}")


# ---------------------------------------------------------------- encryption


def _new_passphrase(fd: int | None) -> str:
    try:
        if fd is not None:
            return read_fd(fd)
        return ask_new("New passphrase: ", "The same again: ")
    except PassphraseUnavailable as exc:
        raise Failure(str(exc)) from None


def _echo_conversion(result: Any, verb: str) -> None:
    count = len(result.backups_converted)
    click.echo(f"{verb} {result.database} and {plural(count, 'backup')}. "
               "Without the passphrase nobody, you included, can open them: keep it where your "
               "organisation keeps such secrets.")
    for backup, problem in result.backups_failed:
        click.echo(f"  a backup was left as it was ({one_line(problem, 100)}): {backup}", err=True)
    for left in result.plaintext_left:
        click.echo(f"  not encrypted, delete it when you no longer need it: {left}")
    exports = paths.exports_dir()
    written = [p for p in exports.rglob("*") if p.is_file()] if exports.is_dir() else []
    if written:
        click.echo(f"  {plural(len(written), 'export file')} in {exports} "
                   "are not encrypted.")
    click.echo("The old file was overwritten before it was removed; an SSD may still keep its "
               "blocks, which only full-disk encryption covers.")


@click.command(name="encrypt")
@click.pass_context
def encrypt_command(ctx: click.Context) -> None:
    """Encrypt the database and its backups with a passphrase (SQLCipher). Asks for it twice, or
    reads it from --passphrase-fd. Needs the extra: pip install 'appreciate-tui[encryption]'."""
    from appreciate_tui.store import cipher, encryption

    database: Path = ctx.obj["db"]
    if not cipher.available():
        raise Failure(f"encryption needs the sqlcipher3 package: {cipher.EXTRA_HINT}")
    if not database.exists():
        raise Failure(f"{database}: there is no database here yet; `appreciate --passphrase-fd N "
                      "demo` (or any command) creates one encrypted from the start")
    if cipher.looks_encrypted(database):
        raise Failure(f"{database} is already encrypted; `appreciate rekey` changes its passphrase")
    fd = ctx.obj.get("passphrase_fd")
    ctx.obj["passphrase_fd"] = None
    result = encryption.encrypt(database, _new_passphrase(fd))
    _echo_conversion(result, "Encrypted")


@click.command(name="rekey")
@click.option("--new-passphrase-fd", "new_fd", type=int, metavar="N",
              help="Read the new passphrase from file descriptor N (the current one comes from "
              "--passphrase-fd or the prompt).")
@click.pass_context
def rekey_command(ctx: click.Context, new_fd: int | None) -> None:
    """Change the passphrase of an encrypted database and its backups."""
    from appreciate_tui.store import cipher, encryption

    database: Path = ctx.obj["db"]
    key = cipher.session_key(database)
    if key is None:
        raise Failure(f"{database} is not encrypted; `appreciate encrypt` encrypts it")
    result = encryption.rekey(database, key, _new_passphrase(new_fd))
    _echo_conversion(result, "Re-encrypted")
