"""What every `appreciate` subcommand shares: one-line errors, the open store, safe JSON.

Kept apart from the group (cli/__init__.py), which loads the command modules when they are
asked for: they import this, never the group.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click

from appreciate_tui.text import safe_json

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


def emit_json(value: Any) -> None:
    click.echo(safe_json(json_text(value)))


def stream_json(items: Iterable[dict[str, Any]], batch: int = 500) -> None:
    """`emit_json` of a list, written as the items come: ten thousand conversations are never
    held as one list, nor as one string."""
    chunk: list[str] = []
    first = True
    for item in items:
        text = json_text(item).replace("\n", "\n  ")
        chunk.append(("[\n  " if first else ",\n  ") + safe_json(text))
        first = False
        if len(chunk) >= batch:
            click.echo("".join(chunk), nl=False)
            chunk = []
    chunk.append("[]" if first else "\n]")
    click.echo("".join(chunk))


class _Unusual(Exception):
    """A value `_json_text` leaves to the json module."""


def json_text(value: Any) -> str:
    """Exactly `json.dumps(value, ensure_ascii=False, indent=2)`, made in one pass: with an
    indent the json module encodes in Python through nested generators, which took a quarter of
    a second for the insights of 10,000 conversations. Anything but dicts with text keys, lists,
    tuples, text, whole numbers, finite floats, booleans and None is left to the json module."""
    from json.encoder import encode_basestring

    out: list[str] = []
    append = out.append

    def leaf(item: Any) -> str | None:
        kind = type(item)
        if kind is str:
            return encode_basestring(item)
        if kind is int:
            return int.__repr__(item)
        if item is None:
            return "null"
        if item is True:
            return "true"
        if item is False:
            return "false"
        if kind is float and item == item and item not in (float("inf"), float("-inf")):
            return float.__repr__(item)
        return None

    def container(item: Any, pad: str) -> None:
        kind = type(item)
        inner = pad + "  "
        if kind is dict:
            if not item:
                append("{}")
                return
            append("{")
            separator = "\n" + inner
            for key, member in item.items():
                if type(key) is not str:
                    raise _Unusual
                append(separator)
                separator = ",\n" + inner
                append(encode_basestring(key))
                append(": ")
                shown = leaf(member)
                if shown is None:
                    container(member, inner)
                else:
                    append(shown)
            append("\n" + pad + "}")
        elif kind is list or kind is tuple:
            if not item:
                append("[]")
                return
            append("[")
            separator = "\n" + inner
            for member in item:
                append(separator)
                separator = ",\n" + inner
                shown = leaf(member)
                if shown is None:
                    container(member, inner)
                else:
                    append(shown)
            append("\n" + pad + "]")
        else:
            raise _Unusual

    try:
        shown = leaf(value)
        if shown is not None:
            return shown
        container(value, "")
    except (_Unusual, RecursionError):
        return json.dumps(value, ensure_ascii=False, indent=2)
    return "".join(out)


