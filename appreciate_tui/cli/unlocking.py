"""Unlocking an encrypted database before any command opens it: its passphrase is read from
`--passphrase-fd N` or asked for at the terminal, checked, and its key kept for this process only.
A new database given `--passphrase-fd` is created encrypted.

The group's callback (cli/__init__.py) calls it before every command, so it lives apart from the
trust commands (cli/trust.py): `appreciate list` loads this module, not those nine commands.
"""

from __future__ import annotations

from pathlib import Path

import click

from appreciate_tui.cli.common import Failure
from appreciate_tui.portable import have_terminal

# Commands that never open the database, or that read --passphrase-fd themselves.
NO_UNLOCK = {"banks", "bank", "locate", "encrypt"}
READS_FD_ITSELF = {"encrypt", "restore"}
PROMPT_TRIES = 3


def passphrase(ctx: click.Context, prompt: str) -> str:
    """The passphrase from --passphrase-fd (a descriptor is read once), else asked with `prompt`."""
    from appreciate_tui.passphrase import PassphraseUnavailable, ask, read_fd

    fd = ctx.obj.get("passphrase_fd")
    try:
        if fd is not None:
            ctx.obj["passphrase_fd"] = None  # a descriptor is read once
            return read_fd(fd)
        return ask(prompt)
    except PassphraseUnavailable as exc:
        raise Failure(str(exc)) from None


def unlock_database(ctx: click.Context, subcommand: str | None, rest: list[str]) -> None:
    """Before any command opens an encrypted database: ask for its passphrase (or read it from
    --passphrase-fd), check it, and keep the key for this process only. A new database given
    --passphrase-fd is created encrypted. A plain database loads none of the encryption code."""
    from appreciate_tui.store import cipher
    from appreciate_tui.store.safety import StoreError

    if subcommand in NO_UNLOCK or "--help" in rest or "-h" in rest:
        return
    database: Path = ctx.obj["db"]
    fd = ctx.obj.get("passphrase_fd")
    if not database.exists():
        if fd is not None and subcommand not in READS_FD_ITSELF:
            from appreciate_tui.store.encryption import check_new_passphrase

            cipher.require()
            secret = passphrase(ctx, "")
            try:
                check_new_passphrase(secret)
            except StoreError as exc:
                raise Failure(str(exc)) from None
            cipher.unlock(database, cipher.derive(secret))
        return
    if not cipher.looks_encrypted(database):
        if fd is not None and subcommand not in READS_FD_ITSELF:
            raise Failure(
                f"{database} is not encrypted, so it needs no passphrase; "
                "`appreciate encrypt` encrypts it"
            )
        return
    if not cipher.available():
        raise Failure(cipher.locked(database, f"the encryption extra ({cipher.EXTRA_HINT})"))
    if cipher.session_key(database) is not None and fd is None:
        return  # already unlocked in this process
    if fd is None and not have_terminal():
        raise Failure(cipher.locked(
            database, "its passphrase (at a terminal, or from a script with --passphrase-fd N)"
        ))
    from appreciate_tui.store.encryption import check_key

    tries = 1 if fd is not None else PROMPT_TRIES
    for attempt in range(1, tries + 1):
        secret = passphrase(ctx, f"Passphrase for {database}: ")
        key = cipher.key_for(database, secret)
        try:
            check_key(database, key)
        except cipher.WrongPassphrase as exc:
            if attempt == tries:
                raise Failure(str(exc)) from None
            click.echo("That passphrase does not open it; try again.", err=True)
            continue
        cipher.unlock(database, key)
        return

