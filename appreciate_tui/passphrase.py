"""Getting a passphrase from a person or a script, for an encrypted database.

A person types it at the terminal without it being shown (`getpass`, which reads the terminal
itself, /dev/tty or the Windows console, so it works even when stdin is a pipe). A script hands
it over on a file descriptor it opened: `appreciate --passphrase-fd 3 list 3<secret-file`; only
the first line is read. A passphrase is never taken from the command line or an environment
variable, where other programs on the computer (and shell history) could see it.
"""

from __future__ import annotations

import getpass
import os

from appreciate_tui.portable import have_terminal


class PassphraseUnavailable(Exception):
    """No terminal to ask on and no descriptor to read from; the message says what to do."""


def read_fd(fd: int) -> str:
    """The first line written to descriptor `fd` (without its line ending). The descriptor is
    closed afterwards, so the secret is not left open for a child process to inherit."""
    chunks: list[bytes] = []
    try:
        while True:
            chunk = os.read(fd, 4096)
            if not chunk:
                break
            chunks.append(chunk)
            if b"\n" in chunk:
                break
    except OSError as exc:
        raise PassphraseUnavailable(
            f"--passphrase-fd {fd}: that file descriptor cannot be read ({exc.strerror or exc})"
        ) from None
    finally:
        try:
            os.close(fd)
        except OSError:
            pass
    text = b"".join(chunks).split(b"\n", 1)[0].rstrip(b"\r")
    try:
        return text.decode("utf-8")
    except UnicodeDecodeError:
        raise PassphraseUnavailable(f"--passphrase-fd {fd}: the passphrase is not UTF-8 text") from None


def ask(prompt: str) -> str:
    """Ask at the terminal, without echo."""
    if not have_terminal():
        raise PassphraseUnavailable(
            "the database is encrypted and there is no terminal to ask for its passphrase on; "
            "give it with --passphrase-fd N"
        )
    try:
        return getpass.getpass(prompt)
    except EOFError:
        raise PassphraseUnavailable("no passphrase was given") from None


def ask_new(prompt: str = "New passphrase: ", again: str = "The same again: ") -> str:
    """Ask twice for a new passphrase; they must match."""
    first = ask(prompt)
    if ask(again) != first:
        raise PassphraseUnavailable("the two passphrases were not the same; nothing was changed")
    return first
