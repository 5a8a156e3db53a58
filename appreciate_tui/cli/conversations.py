"""The commands for conversations themselves: opening the app on one (`open`), the view for the
room (`present`), loading the example (`demo`), planning one (`new`), and reading them headless
(`list`, `show`, `search`). Opening the app with no command at all starts here too (`open_app`).
"""

from __future__ import annotations

import sys

import click

from appreciate_tui.cli.common import Failure, emit_json, opened, stream_json
from appreciate_tui.portable import DUMB_TERMINALS
from appreciate_tui.text import one_line, printable
from appreciate_tui.wording import plural


def open_app(ctx: click.Context, conversation: str | None = None) -> int:
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


def check_terminal() -> None:
    """Refuse, with one line, a terminal that cannot draw the app (TERM=dumb: an editor's shell
    buffer, a CI log), instead of filling it with escape codes. The commands work there."""
    import os

    term = os.environ.get("TERM", "")
    if term in DUMB_TERMINALS:
        raise Failure(
            f"this terminal (TERM={term}) cannot show the app; open it in a full terminal, or use "
            "the commands, which work anywhere (`appreciate --help` lists them)"
        )


@click.command(name="open")
@click.argument("conversation")
@click.pass_context
def open_command(ctx: click.Context, conversation: str) -> None:
    """Open the app on CONVERSATION (an id or a unique prefix): a planned or live one in the
    facilitation screen, ready to capture; a closed one highlighted in the list, where Enter
    shows its record."""
    sys.exit(open_app(ctx, conversation))


@click.command(name="present")
@click.argument("conversation", required=False)
@click.pass_context
def present_command(ctx: click.Context, conversation: str | None) -> None:
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


@click.command(name="demo")
@click.pass_context
def demo_command(ctx: click.Context) -> None:
    """Load the Devon MASH example conversation (safe to run again)."""
    from appreciate_tui.demo import load_demo

    with opened(ctx) as store:
        conversation, created = load_demo(store)
    verb = "Loaded" if created else "Already loaded:"
    click.echo(f"{verb} {one_line(conversation.title)} ({conversation.id})")


@click.command(name="new")
@click.option("--bank", "bank_id", required=True, help="Question bank id (see `appreciate banks`).")
@click.option("--title", required=True, help="A title for the conversation.")
@click.option("--topic", help="The topic question (default: the bank's topic).")
@click.option("--date", "date", help="Date of the conversation, YYYY-MM-DD (default: today).")
@click.pass_context
def new_command(ctx: click.Context, bank_id: str, title: str, topic: str | None, date: str | None) -> None:
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


@click.command(name="list")
@click.option("--all", "show_all", is_flag=True, help="List every conversation.")
@click.option("--limit", type=click.IntRange(min=1), metavar="N",
              help=f"List the newest N (without --all or --limit: the newest {LIST_LENGTH}).")
@click.option("--json", "as_json", is_flag=True,
              help="Print a JSON array for scripts: every conversation, unless --limit is given.")
@click.pass_context
def list_command(ctx: click.Context, show_all: bool, limit: int | None, as_json: bool) -> None:
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
            f"{c.id[:8]}  {printable(c.date)}  {printable(c.status):<7}  "
            f"{plural(c.notes, 'note', fmt='>4'):<10}  "
            f"{one_line(c.title, 60)}"
            for c in listed
        ]
        more = store.conversation_count() - len(lines) if limit and len(lines) == limit else 0
    if not lines:
        click.echo("No conversations yet. `appreciate demo` loads an example; `appreciate new` plans one.")
        return
    if more:
        lines.append(f"… and {plural(more, 'more conversation', fmt=',')}: "
                     "--all lists every one, --limit N the newest N")
    # One write for the whole list (a thousand echoes cost 4 ms of a 200 ms command).
    click.echo("\n".join(lines))


@click.command(name="show")
@click.argument("conversation_id")
@click.pass_context
def show_command(ctx: click.Context, conversation_id: str) -> None:
    """Print a conversation: its questions in order, follow-ups under their parent, and notes."""
    from appreciate_tui.cli.show import render_conversation

    with opened(ctx, read_only=True) as store:
        conversation = store.resolve_conversation(conversation_id)
        click.echo(render_conversation(store, conversation))


@click.command(name="search")
@click.argument("query", nargs=-1, required=True)
@click.option("--limit", default=20, show_default=True, help="How many matches to show.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array for scripts.")
@click.pass_context
def search_command(ctx: click.Context, query: tuple[str, ...], limit: int, as_json: bool) -> None:
    """Search everything written about every conversation: notes, questions, titles and topics,
    key learning, absence reasons, actions (what and who) and feedback comments.

    Each match says what it is (note, question, title, key learning, absence, action, feedback).
    With --json, `kind` is one of note, question,
    conversation, key_learning, absence, action, feedback; `item_id` is the participant, action
    or feedback matched, and `place` who it is about."""
    from appreciate_tui.store.search import KIND_LABELS, highlight

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
                    "item_id": hit.item_id,
                    "place": hit.place,
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
        if hit.question and hit.kind in ("note", "question"):
            where += f" › {one_line(hit.question, 70)}"
        elif hit.place:
            where += f" › {one_line(hit.place, 70)}"
        click.echo(f"{hit.conversation_id[:8]}  {KIND_LABELS.get(hit.kind, hit.kind):<12} {where}")
        # The snippet is made printable before the highlight codes go in, so only ours reach the terminal.
        click.echo(f"    {highlight(one_line(hit.snippet), start, end)}")
