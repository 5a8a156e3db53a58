"""`appreciate feedback-form`: the one-page feedback form participants fill in by hand, made from a
conversation's plan (reports/feedback_form.py), to print before the meeting.

It only reads the database, so it works while the app has it open. A blank form names no one, so
making one is not recorded as a share. Only click is imported when the command line starts.
"""

from __future__ import annotations

from pathlib import Path

import click

from appreciate_tui.cli.common import Failure, opened
from appreciate_tui.text import one_line

FORMATS = ("md", "html", "docx")


@click.command(name="feedback-form")
@click.argument("conversation_id")
@click.option("--format", "format_", type=click.Choice(FORMATS), default="md", show_default=True,
              help="Markdown (printed here unless -o is given), a web page that prints on one A4 "
              "page, or a Word file (A4).")
@click.option("-o", "--output", type=click.Path(dir_okay=True, path_type=Path),
              help="The file to write (a folder: named after the conversation in it). Default "
              "for html and docx: the private exports folder.")
@click.option("--force", is_flag=True, help="Replace the file if it is already there.")
@click.pass_context
def feedback_form_command(
    ctx: click.Context, conversation_id: str, format_: str, output: Path | None, force: bool
) -> None:
    """Make the feedback form for participants to fill in by hand: each prepared question with a
    1 to 5 scale to circle, the activity's rating, whether having the questions in advance
    helped, and a box for comments. CONVERSATION_ID is its id or the first few characters of it.

    Copy the answers into the wrap-up's feedback (F5, n): a digit scores each question. The file
    is written readable by you only; a blank form names no one, so it is not recorded as a share.
    """
    from appreciate_tui.paths import FileExists
    from appreciate_tui.reports.feedback_form import (
        default_name,
        feedback_form,
        markdown_form,
        write_form,
    )
    from appreciate_tui.reports.model import gather

    with opened(ctx, read_only=True) as store:
        conversation = store.resolve_conversation(conversation_id)
        if output is None and format_ == "md":
            click.echo(markdown_form(feedback_form(gather(store, conversation.id))), nl=False)
            return
        if output is not None and output.expanduser().is_dir():
            output = output.expanduser() / default_name(store, conversation.id, format_)
        try:
            written = write_form(store, conversation.id, format_, output, force=force)
        except FileExists as exc:
            raise Failure(f"{exc}; choose another name, or add --force to replace it") from None
    click.echo(f"Wrote {one_line(str(written))}")
