"""The question banks: `banks` lists them (shipped ones and your own), `bank check` checks a bank
file before it is used (the loader and the framing linter are in appreciate_tui/banks/).
"""

from __future__ import annotations

from pathlib import Path

import click

from appreciate_tui.cli.common import Failure, emit_json
from appreciate_tui.text import one_line, printable
from appreciate_tui.wording import plural


@click.command(name="banks")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array for scripts.")
def banks_command(as_json: bool) -> None:
    """List the question banks: shipped ones and your own."""
    from appreciate_tui.banks.loader import load_banks

    found, errors = load_banks()
    for error in errors:
        click.echo(f"appreciate: skipped a bank: {printable(str(error))}", err=True)
    if as_json:
        emit_json(
            [
                {
                    "id": bank.id,
                    "title": bank.title,
                    "topic": bank.topic,
                    "questions": len(bank.questions),
                    "path": str(bank.path),
                    "user": bank.user,
                }
                for bank in found
            ]
        )
        return
    for bank in found:
        mine = " (yours)" if bank.user else ""
        questions = plural(len(bank.questions), "question", fmt=">2")
        click.echo(f"{bank.id:<28} {questions:<12}  {one_line(bank.title, 50)}{mine}")


@click.group(name="bank")
def bank_command() -> None:
    """Work with question bank files."""


@bank_command.command(name="check")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
def bank_check(file: Path) -> None:
    """Check a bank file; errors name the line and column. Questions worded as a deficit,
    double-barrelled or leading are listed as warnings with a way to ask them instead: the bank
    still loads, and the check still passes."""
    from appreciate_tui.banks.loader import BankError, framing_notes, load_bank

    try:
        loaded = load_bank(file)
    except BankError as exc:
        raise Failure(printable(str(exc), keep_newlines=False)) from None
    phases = sorted({q.phase for q in loaded.questions}, key=lambda p: p.order)
    click.echo(
        f"{file}: ok: {one_line(loaded.title)} ({loaded.id}), {plural(len(loaded.questions), 'question')} "
        f"in {', '.join(p.value for p in phases)}"
    )
    notes = framing_notes(loaded)
    for note in notes:
        click.echo(f"{one_line(note.where)}: warning: {note.warning.framing.value}: "
                   f"{one_line(note.text)}")
        click.echo(f"    {note.warning.message} Try: {one_line(note.warning.hint)}")
    if notes:
        click.echo(f"{plural(len(notes), 'framing warning')}: hints only, the bank loads as it is.")

