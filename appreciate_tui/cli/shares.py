"""`appreciate shares`: the sharing record. What was shared from a conversation (or from every
one), in which format, with whom and why, redacted or not, when, and the file it was written to
when there was one; never what it said.

Only click is imported when the command line starts; the store loads when the command runs.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import click

from appreciate_tui.cli.common import emit_json, opened
from appreciate_tui.text import one_line
from appreciate_tui.wording import plural, share_format

if TYPE_CHECKING:
    from appreciate_tui.domain import Share


def _when(stamp: str) -> str:
    """'2026-03-12 10:03': a stored timestamp in this laptop's local time."""
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return one_line(stamp)


def _as_json(share: Share, title: str) -> dict[str, Any]:
    return {
        "id": share.id,
        "conversation_id": share.conversation_id,
        "conversation_title": title,
        "shared_at": share.created_at,
        "format": share.format,
        "redacted": share.redacted,
        "recipient": share.recipient,
        "purpose": share.purpose,
        "path": share.path,
    }


def _echo(share: Share, title: str | None) -> None:
    what = share_format(share.format)
    redacted = "redacted" if share.redacted else "not redacted"
    click.echo(f"{_when(share.created_at)}  {what}, {redacted}")
    if title is not None:
        click.echo(f"    of       {one_line(title, 60)} ({share.conversation_id[:8]})")
    click.echo(f"    to       {one_line(share.recipient) or '(not recorded)'}")
    click.echo(f"    why      {one_line(share.purpose) or '(not recorded)'}")
    if share.path:
        click.echo(f"    file     {one_line(share.path)}")


@click.command(name="shares")
@click.argument("conversation_id", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array for scripts.")
@click.pass_context
def shares_command(ctx: click.Context, conversation_id: str | None, as_json: bool) -> None:
    """The sharing record, newest first: what was shared (format), with whom, why, redacted or
    not, when, and the file written, if any. For one conversation (its id or the first few
    characters of it), or for every one. Never what was shared."""
    with opened(ctx, read_only=True) as store:
        one = store.resolve_conversation(conversation_id) if conversation_id else None
        shares = store.list_shares(one.id if one else None)
        titles: dict[str, str] = {}
        for share in shares:
            if share.conversation_id not in titles:
                titles[share.conversation_id] = store.get_conversation(share.conversation_id).title
    if as_json:
        emit_json([_as_json(share, titles[share.conversation_id]) for share in shares])
        return
    if one is not None:
        heading = f"{one_line(one.title, 60)} ({one.id[:8]})"
        if not shares:
            click.echo(f"Nothing from {heading} has been shared yet.")
            return
        click.echo(f"{heading}: {plural(len(shares), 'share')} recorded, newest first.")
    else:
        if not shares:
            click.echo("Nothing has been shared from this database yet.")
            return
        click.echo(f"{plural(len(shares), 'share')} recorded from "
                   f"{plural(len(titles), 'conversation')}, newest first.")
    for share in shares:
        click.echo()
        _echo(share, None if one is not None else titles[share.conversation_id])
