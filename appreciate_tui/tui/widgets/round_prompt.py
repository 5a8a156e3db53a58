"""Round the room, under the question: which agency to invite next, so the quiet one is heard.

A facilitator going round asks each agency in turn; the line names the next one here that has said
nothing on this question yet, and how many are still to speak. It changes when a note is saved or
the key is pressed, never while a note is typed. Hidden until the facilitator starts going round.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from appreciate_tui.text import printable


def round_line(inviting: str | None, waiting: int) -> Content:
    if inviting is None:
        return Content.assemble(
            ("✓ ", "bold $success"),
            ("Every agency here has spoken on this question", "$success"),
        )
    # Most needed first: a narrow pane cuts the end of the line.
    return Content.assemble(
        ("Round the room ▶ ", "$text-muted"),
        (printable(inviting, keep_newlines=False), "bold $accent"),
        (f"  ·  {waiting} yet to speak", "$text-muted"),
        ("  ·  ctrl+r next", "$text-muted"),
    )


class RoundPrompt(Static):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.display = False

    def show(self, going_round: bool, inviting: str | None, waiting: int) -> None:
        """`inviting`: the agency to invite next (None once all have spoken); `waiting`: how many
        agencies here are yet to speak."""
        self.display = going_round
        if going_round:
            self.update(round_line(inviting, waiting))
