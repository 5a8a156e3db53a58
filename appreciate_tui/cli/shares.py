"""`appreciate shares`: the sharing record. What was shared from a conversation (or from every
one), in which format, with whom and why, redacted or not, when, and the file it was written to
when there was one; never what it said.

Only click is imported when the command line starts; the store loads when the command runs.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
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


def _as_json(share: Share, title: str, pending: bool) -> dict[str, Any]:
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
        "pending": pending,
    }


def _echo(share: Share, title: str | None, pending: bool) -> None:
    what = share_format(share.format)
    redacted = "redacted" if share.redacted else "not redacted"
    waiting = "  (pending: not recorded yet)" if pending else ""
    click.echo(f"{_when(share.created_at)}  {what}, {redacted}{waiting}")
    if title is not None:
        click.echo(f"    of       {one_line(title, 60)} ({one_line(share.conversation_id[:8])})")
    click.echo(f"    to       {one_line(share.recipient) or '(not recorded)'}")
    click.echo(f"    why      {one_line(share.purpose) or '(not recorded)'}")
    if share.path:
        click.echo(f"    file     {one_line(share.path)}")


@click.command(name="shares")
@click.argument("conversation_id", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array for scripts; "
              "\"pending\" is true for a share not recorded yet.")
@click.pass_context
def shares_command(ctx: click.Context, conversation_id: str | None, as_json: bool) -> None:
    """The sharing record, newest first: what was shared (format), with whom, why, redacted or
    not, when, and the file written, if any. For one conversation (its id or the first few
    characters of it), or for every one. Never what was shared.

    An export made while another appreciate had the database open is listed as pending until
    that appreciate records it (within seconds), or whichever opens the database next to change
    it. A queued share that could not be recorded is set aside, and named here with why."""
    from appreciate_tui.store.errors import NotFound
    from appreciate_tui.store.share_queue import set_aside_notes, waiting

    with opened(ctx, read_only=True) as store:
        one = store.resolve_conversation(conversation_id) if conversation_id else None
        shares = store.list_shares(one.id if one else None)
        recorded = {share.id for share in shares}
        queued, unreadable = waiting(store.path)
        pending = {
            p.share.id for p in queued
            if p.share.id not in recorded and (one is None or p.share.conversation_id == one.id)
        }
        shares += [p.share for p in queued if p.share.id in pending]
        shares.sort(key=lambda share: (share.created_at, share.id in pending), reverse=True)
        titles: dict[str, str] = {}
        for share in shares:
            if share.conversation_id not in titles:
                try:
                    titles[share.conversation_id] = store.get_conversation(
                        share.conversation_id).title
                except NotFound:  # a pending share of a conversation not here: set aside later
                    titles[share.conversation_id] = "(not in this database)"
        aside = set_aside_notes(store.path)
    _say_set_aside(aside, unreadable)
    if as_json:
        emit_json([_as_json(share, titles[share.conversation_id], share.id in pending)
                   for share in shares])
        return
    counted = _counted(len(shares), len(pending))
    if one is not None:
        heading = f"{one_line(one.title, 60)} ({one.id[:8]})"
        if not shares:
            click.echo(f"Nothing from {heading} has been shared yet.")
            return
        click.echo(f"{heading}: {counted}, newest first.")
    else:
        if not shares:
            click.echo("Nothing has been shared from this database yet.")
            return
        click.echo(f"{counted} from "
                   f"{plural(len(titles), 'conversation')}, newest first.")
    for share in shares:
        click.echo()
        _echo(share, None if one is not None else titles[share.conversation_id],
              share.id in pending)


def _counted(total: int, pending: int) -> str:
    """'3 shares recorded', '2 shares recorded and 1 pending', '1 share pending'."""
    if not pending:
        return f"{plural(total, 'share')} recorded"
    if pending == total:
        return f"{plural(pending, 'share')} pending"
    return f"{plural(total - pending, 'share')} recorded and {pending} pending"


def _say_set_aside(aside: list[tuple[Path, str]], unreadable: int) -> None:
    """On stderr: queued shares that were not (or will not be) recorded, and why."""
    for path, why in aside:
        click.echo(f"appreciate: a queued share was set aside, not recorded ({one_line(why)}): "
                   f"{one_line(str(path))}", err=True)
    if unreadable:
        click.echo(f"appreciate: {plural(unreadable, 'queued share')} cannot be read as one; "
                   "it is set aside when the database is next opened to change it.", err=True)
