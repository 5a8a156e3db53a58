"""The `appreciate` command. With no subcommand it opens the app; the subcommands work headless
and never import Textual, so they start fast and run anywhere (DESIGN.md section 7).

This file is only the face: the group, the options every command shares (`--db`,
`--passphrase-fd`, `--version`), the one-line errors, and where each command lives. A command's
module is imported only when that command runs, or when `--help` lists it (`ROOMS`):

    conversations.py  open, present, demo, new, list, show, search: running and reading them
    banks.py          banks, bank check: the question banks conversations are planned from
    export.py         export, import: documents and bundles out, bundles back in
    feedback.py       feedback-form: the form participants fill in by hand, to print
    insights.py       insights, outcomes: what the partnership learns across conversations
    shares.py         shares: the sharing record, what went out to whom and why
    trust.py          check, backup, locate, restore, purge, erase-person, erasures, encrypt,
                      rekey: keeping the file safe, and erasing what must go
    unlocking.py      asking for an encrypted database's passphrase, before any command
    common.py         what the commands share: `Failure`, `opened`, safe JSON
    show.py           the text `appreciate show` prints

A new command goes in the module of what the user is doing, as `NAME_command` (`erase-person`:
`erase_person_command`), with its name added to that module's line in `ROOMS`.

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
from appreciate_tui.cli.common import EXIT_ERROR, Failure

ROOMS: dict[str, tuple[str, ...]] = {
    "conversations": ("open", "present", "demo", "new", "list", "show", "search"),
    "banks": ("banks", "bank"),
    "export": ("export", "import"),
    "feedback": ("feedback-form",),
    "insights": ("insights", "outcomes"),
    "shares": ("shares",),
    "trust": ("check", "backup", "locate", "restore", "purge", "erase-person", "erasures",
              "encrypt", "rekey"),
}
"""Each command's module in this package, by what the user is doing. Command NAME is the click
command `NAME_command` there (dashes become underscores)."""

MODULE_OF = {name: module for module, names in ROOMS.items() for name in names}


class AppreciateGroup(click.Group):
    """Loads each command from its module (`ROOMS`) when it is asked for, and turns the store's
    and the banks' own errors, and any fault of the program, into one line for the user."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(MODULE_OF)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in MODULE_OF and cmd_name not in self.commands:
            # The import statement's machinery, not importlib's: `python -X importtime` (and so
            # benchmarks/cli_startup.py) reports only imports made through it.
            module = __import__(f"{__name__}.{MODULE_OF[cmd_name]}", fromlist=["__name__"])
            self.add_command(getattr(module, f"{cmd_name.replace('-', '_')}_command"), cmd_name)
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            # The reader went away (`appreciate list | head`): stop quietly, as other tools do.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(EXIT_ERROR)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise  # click's own endings: usage errors, --help, --version, Ctrl+C
        except Exception as exc:
            raise failure(exc, ctx.invoked_subcommand, (ctx.obj or {}).get("db")) from None


def failure(error: Exception, command: str | None, database: Path | None) -> Failure:
    """The one line a command (None: opening the app) that stopped on `error` leaves the user:
    the store's own message, a damaged page met while reading (read-only commands skip the full
    check at open), a file the system refused, or a fault in appreciate itself."""
    from appreciate_tui.store import DATABASE_ERRORS, StoreError, damaged

    if isinstance(error, StoreError):
        return Failure(str(error))
    if isinstance(error, DATABASE_ERRORS):
        where = database if database is not None else paths.db_path(None)
        return Failure(str(damaged(where, f"part of it cannot be read ({error})")))
    if isinstance(error, OSError):
        return Failure(f"{error.filename or ''}: {error.strerror or error}".lstrip(": "))
    return Failure(_fault(command, database, error))


def _fault(command: str | None, database: Path | None, error: Exception) -> str:
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
    database = database or paths.db_path(None)
    return (
        f"`{command or 'appreciate'}` stopped on a fault in appreciate, not anything you did "
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

    from appreciate_tui.cli.unlocking import unlock_database

    path = paths.db_path(db)
    ctx.obj = {"db": path, "db_exists": path.exists(), "passphrase_fd": passphrase_fd}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        rest = [*ctx.protected_args, *ctx.args]
    # An encrypted database: the passphrase is asked for (or read) here, before any command or
    # the app opens it.
    unlock_database(ctx, ctx.invoked_subcommand, rest)
    if ctx.invoked_subcommand is None:
        from appreciate_tui.cli.conversations import open_app

        sys.exit(open_app(ctx))
