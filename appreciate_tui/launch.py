"""Where the `appreciate` command starts (and `python -m appreciate_tui`).

Opening the app is what a facilitator does most: `appreciate` alone, or with only `--db PATH`,
opens it here without loading the command-line parser (click and the command table: about a tenth
of the app's start). Everything else goes to the commands (cli/): a subcommand, `--help`,
`--version`, a passphrase, a terminal that cannot show the app, an encrypted database, and any
database that cannot be opened as it is, which the commands open again and explain in one line.
A fault once the app is running is told in the same one line the commands use (cli.failure).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def main() -> None:
    path = app_only(sys.argv[1:])
    if path is not None:
        code = open_app(path)
        if code is not None:
            sys.exit(code)
    from appreciate_tui.cli import main as commands

    commands()


def app_only(args: list[str]) -> Path | None:
    """The database to open the app on, when `args` ask for nothing but the app; else None."""
    from appreciate_tui import paths

    if not args:
        return paths.db_path(None)
    if len(args) == 2 and args[0] == "--db":
        given = args[1]
    elif len(args) == 1 and args[0].startswith("--db="):
        given = args[0].removeprefix("--db=")
    else:
        return None
    if not given or given.startswith("-") or Path(given).is_dir():
        return None  # the commands say what is wrong with it
    return paths.db_path(Path(given))


def open_app(path: Path) -> int | None:
    """Run the app on the database at `path` and return its exit code; None when the commands
    should take over (they open it again, and say what stands in the way)."""
    from appreciate_tui.portable import DUMB_TERMINALS
    from appreciate_tui.store import Store, cipher

    if os.environ.get("TERM", "") in DUMB_TERMINALS:  # the commands say so
        return None
    try:
        if path.exists() and cipher.looks_encrypted(path):
            return None  # its passphrase is asked for by the commands
        # The full check runs in the background once the app has painted (Store.open explains).
        store = Store.open(path, check="deferred")
    except Exception:
        return None
    try:
        from appreciate_tui.tui.app import run_app

        try:
            return run_app(store)
        finally:
            store.close()
    except Exception as exc:
        from appreciate_tui.cli import failure

        told = failure(exc, None, path)
        told.show()
        return told.exit_code
