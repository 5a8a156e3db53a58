"""What every `appreciate` subcommand shares: one-line errors, the open store, safe JSON.

Kept apart from `cli.py` so that command modules (`cli_export`) can use it without importing the
command group that registers them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from appreciate_tui.store import Store

EXIT_ERROR = 1


class Failure(click.ClickException):
    """An error for the user: one line on stderr, exit code 1."""

    exit_code = EXIT_ERROR

    def show(self, file: Any = None) -> None:
        click.echo(f"appreciate: {self.format_message()}", err=True)


@contextmanager
def opened(ctx: click.Context, *, read_only: bool = False) -> Iterator[Store]:
    """The store for this command, closed afterwards.

    A read-only command skips the page-by-page check at open (it writes nothing, and a damaged
    page it reads is reported then): on a large database that check is most of its run time."""
    from appreciate_tui.store import Store

    read_only = read_only and ctx.obj["db_exists"]
    store = Store.open(
        ctx.obj["db"], read_only=read_only, check="deferred" if read_only else "full"
    )
    try:
        yield store
    finally:
        store.close()


# JSON escapes C0 controls itself; C1 controls and bidi overrides are escaped too, so the data stays
# exact for scripts and printing it to a terminal stays harmless.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def emit_json(value: Any) -> None:
    text = json.dumps(value, ensure_ascii=False, indent=2)
    click.echo(_JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text))


