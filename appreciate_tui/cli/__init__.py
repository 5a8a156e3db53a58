"""The `appreciate` command. With no subcommand it opens the app; the subcommands work headless
and never import Textual, so they start fast and run anywhere (DESIGN.md section 7).

Everything printed that came from the database goes through `text.printable`: a note holding an
escape sequence shows it as visible symbols and cannot change the terminal. Errors are one line on
stderr saying what to do, with a non-zero exit code; so is a fault in appreciate itself, whose
message is withheld because it may quote what is stored (DESIGN.md section 6).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from appreciate_tui import __version__, paths
from appreciate_tui.cli.common import EXIT_ERROR, Failure, emit_json, opened, stream_json
from appreciate_tui.text import one_line, printable

# Commands whose modules load only when they run (or for `--help`): `appreciate list` should not
# pay for the report writers and the insights every time it starts.
LAZY_COMMANDS: dict[str, tuple[str, str]] = {
    "export": ("appreciate_tui.cli.export", "export_command"),
    "import": ("appreciate_tui.cli.export", "import_command"),
    "insights": ("appreciate_tui.cli.insights", "insights_command"),
    "outcomes": ("appreciate_tui.cli.insights", "outcomes_command"),
}


class AppreciateGroup(click.Group):
    """Turns the store's and the banks' own errors, and any fault of the program, into one line
    for the user, and loads the commands of LAZY_COMMANDS when they are asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY_COMMANDS and cmd_name not in self.commands:
            import importlib

            module, attribute = LAZY_COMMANDS[cmd_name]
            self.add_command(getattr(importlib.import_module(module), attribute), cmd_name)
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        from appreciate_tui.store import DATABASE_ERRORS, StoreError, damaged

        try:
            return super().invoke(ctx)
        except StoreError as exc:
            raise Failure(str(exc)) from None
        except DATABASE_ERRORS as exc:
            # A damaged page met while reading (read-only commands skip the full check at open).
            path = (ctx.obj or {}).get("db", "the database")
            raise Failure(str(damaged(path, f"part of it cannot be read ({exc})"))) from None
        except BrokenPipeError:
            # The reader went away (`appreciate list | head`): stop quietly, as other tools do.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(EXIT_ERROR)
        except OSError as exc:
            raise Failure(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": ")) from None
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise  # click's own endings: usage errors, --help, --version, Ctrl+C
        except Exception as exc:
            raise Failure(_fault(ctx, exc)) from None


def _fault(ctx: click.Context, error: Exception) -> str:
    """A fault in appreciate itself, in one line: the command, the kind of fault and where in the
    program it happened, and the database. Never the exception's message or the values it was
    working on: either may quote a note (the app withholds them too: tui/crash.py)."""
    import traceback

    package = Path(__file__).parent.parent
    inside = [
        (Path(frame.f_code.co_filename), line)
        for frame, line in traceback.walk_tb(error.__traceback__)
        if Path(frame.f_code.co_filename).is_relative_to(package)
    ]
    where = f" at {inside[-1][0].relative_to(package)}:{inside[-1][1]}" if inside else ""
    command = ctx.invoked_subcommand or "appreciate"
    database = (ctx.obj or {}).get("db") or paths.db_path(None)
    return (
        f"`{command}` stopped on a fault in appreciate, not anything you did "
        f"({type(error).__name__}{where}; its details are withheld as they may quote your notes). "
        f"Run `appreciate check` on {database}, and report this line if it happens again"
    )


def _db_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--db",
        "db",
        type=click.Path(dir_okay=False, path_type=Path),
        envvar=paths.DB_ENV,
        help="Database file (default: appreciate.db in the user data folder; or $APPRECIATE_DB).",
    )(func)


@click.group(cls=AppreciateGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@_db_option
@click.option(
    "--passphrase-fd",
    "passphrase_fd",
    type=int,
    metavar="N",
    help="For an encrypted database: read its passphrase from file descriptor N (for scripts; "
    "otherwise it is asked for at the terminal). With `encrypt`, the new passphrase.",
)
@click.version_option(__version__, prog_name="appreciate")
@click.pass_context
def main(ctx: click.Context, db: Path | None, passphrase_fd: int | None) -> None:
    """Run and capture appreciative conversations in a safeguarding partnership.

    With no command, opens the app. Everything is kept in one private SQLite file on this
    computer; nothing is ever sent over a network.
    """
    import warnings

    from appreciate_tui.cli.trust import unlock_database

    path = paths.db_path(db)
    ctx.obj = {"db": path, "db_exists": path.exists(), "passphrase_fd": passphrase_fd}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        rest = [*ctx.protected_args, *ctx.args]
    # An encrypted database: the passphrase is asked for (or read) here, before any command or
    # the app opens it.
    unlock_database(ctx, ctx.invoked_subcommand, rest)
    if ctx.invoked_subcommand is None:
        sys.exit(_run_app(ctx))


def _run_app(ctx: click.Context, conversation: str | None = None) -> int:
    from appreciate_tui.cli.trust import check_terminal
    from appreciate_tui.store import Store
    from appreciate_tui.tui.app import run_app

    check_terminal()

    # The full check runs in the background once the app has painted (Store.open explains).
    store = Store.open(ctx.obj["db"], check="deferred")
    try:
        conversation_id = store.resolve_conversation(conversation).id if conversation else None
        return run_app(store, conversation_id=conversation_id)
    finally:
        store.close()


@main.command(name="open")
@click.argument("conversation")
@click.pass_context
def open_(ctx: click.Context, conversation: str) -> None:
    """Open the app on CONVERSATION (an id or a unique prefix): a planned or live one in the
    facilitation screen, ready to capture; a closed one highlighted in the list, where Enter
    shows its record."""
    sys.exit(_run_app(ctx, conversation))


@main.command()
@click.argument("conversation", required=False)
@click.pass_context
def present(ctx: click.Context, conversation: str | None) -> None:
    """Open a view for the room: the question being asked, centred, with its phase and, for a
    follow-up, the question it grew from; the opening words before the first question and
    "Thank you" at the end. It shows no notes and no names, so this window can go on a projector
    or be shared in a call while the facilitator keeps the app to themselves.

    Run it in a second terminal window, before or after the app: it only reads, needs no lock,
    follows the app within a second, and carries on if the app restarts. It shows the most
    recently active live conversation, or CONVERSATION (an id or a unique prefix). Make the text
    bigger with the terminal's font size. Keys: q or Escape closes it; F2 changes its colours
    (remembered for the room apart from the app's).
    """
    from appreciate_tui.cli.trust import check_terminal
    from appreciate_tui.store import Store

    check_terminal()
    database = ctx.obj["db"]
    if not ctx.obj["db_exists"]:
        raise Failure(f"{database}: there is no database here yet; `appreciate` makes one")
    # Reading only: no lock is taken, and the full check is the facilitator's app's to run.
    store = Store.open(database, read_only=True, check="deferred")
    try:
        chosen = store.resolve_conversation(conversation).id if conversation else None
        from appreciate_tui.tui import present as room

        code = room.run_present(store, conversation_id=chosen)
    finally:
        store.close()
    sys.exit(code)


# ---------------------------------------------------------------- conversations


@main.command()
@click.pass_context
def demo(ctx: click.Context) -> None:
    """Load the Devon MASH example conversation (safe to run again)."""
    from appreciate_tui.demo import load_demo

    with opened(ctx) as store:
        conversation, created = load_demo(store)
    verb = "Loaded" if created else "Already loaded:"
    click.echo(f"{verb} {one_line(conversation.title)} ({conversation.id})")


@main.command()
@click.option("--bank", "bank_id", required=True, help="Question bank id (see `appreciate banks`).")
@click.option("--title", required=True, help="A title for the conversation.")
@click.option("--topic", help="The topic question (default: the bank's topic).")
@click.option("--date", "date", help="Date of the conversation, YYYY-MM-DD (default: today).")
@click.pass_context
def new(ctx: click.Context, bank_id: str, title: str, topic: str | None, date: str | None) -> None:
    """Plan a new conversation with a bank's questions; prints its id."""
    from appreciate_tui.banks.loader import BankNotFound, find_bank
    from appreciate_tui.banks.planning import conversation_from_bank

    try:
        bank = find_bank(bank_id)
    except BankNotFound as exc:
        raise Failure(str(exc)) from None
    if date is not None:
        _check_date(date)
    with opened(ctx) as store:
        conversation = conversation_from_bank(store, bank, title, topic=topic, date=date)
    click.echo(conversation.id)


def _check_date(value: str) -> None:
    from datetime import date

    try:
        date.fromisoformat(value)
    except ValueError:
        raise Failure(f"{value!r} is not a date; write it as YYYY-MM-DD") from None


LIST_LENGTH = 50
"""How many conversations `appreciate list` shows unless told otherwise: a screenful."""


@main.command(name="list")
@click.option("--all", "show_all", is_flag=True, help="List every conversation.")
@click.option("--limit", type=click.IntRange(min=1), metavar="N",
              help=f"List the newest N (without --all or --limit: the newest {LIST_LENGTH}).")
@click.option("--json", "as_json", is_flag=True,
              help="Print a JSON array for scripts: every conversation, unless --limit is given.")
@click.pass_context
def list_(ctx: click.Context, show_all: bool, limit: int | None, as_json: bool) -> None:
    """List conversations, newest first: the newest 50, then how many more there are."""
    if show_all and limit is not None:
        raise click.UsageError("give --all or --limit N, not both")
    if limit is None and not show_all and not as_json:
        limit = LIST_LENGTH
    with opened(ctx, read_only=True) as store:
        listed = store.listed_conversations(limit=limit)
        if as_json:
            stream_json(
                {"id": c.id, "title": c.title, "topic": c.topic, "status": c.status,
                 "date": c.date, "setting": c.setting, "notes": c.notes}
                for c in listed
            )
            return
        lines = [
            f"{c.id[:8]}  {printable(c.date)}  {printable(c.status):<7}  {c.notes:>4} notes  "
            f"{one_line(c.title, 60)}"
            for c in listed
        ]
        more = store.conversation_count() - len(lines) if limit and len(lines) == limit else 0
    if not lines:
        click.echo("No conversations yet. `appreciate demo` loads an example; `appreciate new` plans one.")
        return
    if more:
        lines.append(f"… and {more:,} more conversation{'s' if more != 1 else ''}: "
                     "--all lists every one, --limit N the newest N")
    # One write for the whole list (a thousand echoes cost 4 ms of a 200 ms command).
    click.echo("\n".join(lines))


@main.command()
@click.argument("conversation_id")
@click.pass_context
def show(ctx: click.Context, conversation_id: str) -> None:
    """Print a conversation: its questions in order, follow-ups under their parent, and notes."""
    from appreciate_tui.cli.show import render_conversation

    with opened(ctx, read_only=True) as store:
        conversation = store.resolve_conversation(conversation_id)
        click.echo(render_conversation(store, conversation))


@main.command()
@click.argument("query", nargs=-1, required=True)
@click.option("--limit", default=20, show_default=True, help="How many matches to show.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array for scripts.")
@click.pass_context
def search(ctx: click.Context, query: tuple[str, ...], limit: int, as_json: bool) -> None:
    """Search every conversation's notes, questions, titles and topics."""
    from appreciate_tui.store.search import highlight

    text = " ".join(query)
    with opened(ctx, read_only=True) as store:
        hits = store.search(text, limit=limit)
    if as_json:
        emit_json(
            [
                {
                    "kind": hit.kind,
                    "conversation_id": hit.conversation_id,
                    "conversation": hit.conversation_title,
                    "question_id": hit.question_id,
                    "question": hit.question,
                    "note_id": hit.note_id,
                    "snippet": highlight(hit.snippet, "[", "]"),
                    "rank": hit.rank,
                }
                for hit in hits
            ]
        )
        return
    if not hits:
        click.echo(f"Nothing matches {one_line(text)!r}.")
        return
    start, end = ("\x1b[1;4m", "\x1b[0m") if sys.stdout.isatty() else ("[", "]")
    for hit in hits:
        where = one_line(hit.conversation_title, 50)
        if hit.question and hit.kind != "conversation":
            where += f" › {one_line(hit.question, 70)}"
        click.echo(f"{hit.conversation_id[:8]}  {hit.kind:<12} {where}")
        # The snippet is made printable before the highlight codes go in, so only ours reach the terminal.
        click.echo(f"    {highlight(one_line(hit.snippet), start, end)}")


# ---------------------------------------------------------------- banks


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array for scripts.")
def banks(as_json: bool) -> None:
    """List the question banks: shipped ones and your own."""
    from appreciate_tui.banks.loader import load_banks

    found, errors = load_banks()
    for error in errors:
        click.echo(f"appreciate: skipped a bank: {printable(str(error))}", err=True)
    if as_json:
        emit_json(
            [
                {
                    "id": bank.id,
                    "title": bank.title,
                    "topic": bank.topic,
                    "questions": len(bank.questions),
                    "path": str(bank.path),
                    "user": bank.user,
                }
                for bank in found
            ]
        )
        return
    for bank in found:
        mine = " (yours)" if bank.user else ""
        click.echo(f"{bank.id:<28} {len(bank.questions):>2} questions  {one_line(bank.title, 50)}{mine}")


@main.group()
def bank() -> None:
    """Work with question bank files."""


@bank.command(name="check")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
def bank_check(file: Path) -> None:
    """Check a bank file; errors name the line and column. Questions worded as a deficit,
    double-barrelled or leading are listed as warnings with a way to ask them instead: the bank
    still loads, and the check still passes."""
    from appreciate_tui.banks.loader import BankError, framing_notes, load_bank

    try:
        loaded = load_bank(file)
    except BankError as exc:
        raise Failure(printable(str(exc), keep_newlines=False)) from None
    phases = sorted({q.phase for q in loaded.questions}, key=lambda p: p.order)
    click.echo(
        f"{file}: ok: {one_line(loaded.title)} ({loaded.id}), {len(loaded.questions)} questions "
        f"in {', '.join(p.value for p in phases)}"
    )
    notes = framing_notes(loaded)
    for note in notes:
        click.echo(f"{one_line(note.where)}: warning: {note.warning.framing.value}: "
                   f"{one_line(note.text)}")
        click.echo(f"    {note.warning.message} Try: {one_line(note.warning.hint)}")
    if notes:
        many = "s" if len(notes) != 1 else ""
        click.echo(f"{len(notes)} framing warning{many}: hints only, the bank loads as it is.")


# ---------------------------------------------------------------- the file itself


@main.command()
@click.pass_context
def check(ctx: click.Context) -> None:
    """Check the database: SQLite's own check, every note's checksum, and every value appreciate
    keeps as JSON."""
    from appreciate_tui.store.rows import JSON_COLUMNS

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
            f"  {JSON_COLUMNS[(value.table, value.column)]} {value.row_id[:8]}: cannot be read "
            "(changed outside appreciate); appreciate reads it as empty"
        )
    if not report.ok:
        raise Failure("the database has problems (listed above); restore a backup or keep this file for review")


@main.command()
@click.argument("dest", type=click.Path())
@click.option("--force", is_flag=True, help="Replace DEST if it already exists.")
@click.pass_context
def backup(ctx: click.Context, dest: str, force: bool) -> None:
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


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object for scripts.")
@click.pass_context
def locate(ctx: click.Context, as_json: bool) -> None:
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


def _add_trust_commands() -> None:
    """`restore`, `purge`, `erase-person`, `erasures`, `encrypt`, `rekey` (cli_trust.py)."""
    from appreciate_tui.cli.trust import COMMANDS

    for command in COMMANDS:
        main.add_command(command)


_add_trust_commands()
