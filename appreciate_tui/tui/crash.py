"""What the terminal shows when the app meets a fault: enough to report it, nothing that was said.

A traceback normally carries the values of local variables and the exception's message; either can
quote a note. This keeps the parts a maintainer needs (exception types, files, lines, functions,
the source lines) and withholds the rest.
"""

from __future__ import annotations

from pathlib import Path

import rich
from rich.console import Group, RenderableType
from rich.text import Text
from rich.traceback import Trace, Traceback

WITHHELD = "(message withheld: it may quote the conversation)"


def crash_report(error: BaseException, database: Path) -> RenderableType:
    trace = Traceback.extract(type(error), error, error.__traceback__, show_locals=False)
    _withhold_messages(trace)
    return Group(
        Traceback(trace, width=None, suppress=[rich]),
        Text(
            "\nappreciate stopped because of a fault in the program, not anything you did.\n"
            f"Notes are saved as you type, in {database}.\n"
            "Run `appreciate` again to carry on where you were.",
            style="bold",
        ),
    )


def _withhold_messages(trace: Trace) -> None:
    for stack in trace.stacks:
        if stack.exc_value:
            stack.exc_value = WITHHELD
        stack.notes = []
        if stack.syntax_error is not None:
            stack.syntax_error.msg = WITHHELD
        for group_member in stack.exceptions:
            _withhold_messages(group_member)
