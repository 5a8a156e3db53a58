"""Framing warnings (question_lint) under a question field, as the question is typed: a follow-up
in the room gets the same hints as a question planned beforehand, said briefly (what kind of
problem, and a way to ask it instead) to fit a side pane. Out of sight while the question reads
well; a hint, never a block."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import Static

from appreciate_tui.banks.lint import QuestionWarning, lint
from appreciate_tui.tui.widgets.lint_notes import MARK

if TYPE_CHECKING:
    from textual.widget import Widget


class LiveLint(Static):
    DEFAULT_CSS = """
    LiveLint { height: auto; padding: 0 1; }
    """

    def __init__(self, field: Widget, *, id: str | None = None) -> None:
        """`field`: the text field whose `value` is the question being typed."""
        super().__init__(id=id)
        self._field = field
        self._said: tuple[object, ...] | None = None
        self.display = False

    def on_mount(self) -> None:
        self.watch(self._field, "value", self._show, init=True)

    def _show(self, value: str) -> None:
        warnings = lint(value)
        said = tuple(warnings)
        if said == self._said:  # most keystrokes change nothing here: no repaint
            return
        self._said = said
        self.update(brief(warnings))
        self.display = bool(warnings)


def brief(warnings: list[QuestionWarning]) -> Content:
    """One short paragraph per warning: "⚠ Double-barrelled. Try: …"."""
    return Content("\n").join(
        Content.assemble(
            (f"{MARK} {warning.framing.value.capitalize()}.", "bold $warning"),
            (" Try: ", "bold $text-muted"),
            (warning.hint, "italic $text-muted"),
        )
        for warning in warnings
    )
