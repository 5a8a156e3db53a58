"""The question being asked, in full, above its notes: phase, where it sits, and its probes."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from appreciate_tui.domain import Question
from appreciate_tui.text import printable
from appreciate_tui.tui.themes import PHASE_VARIABLES


def question_heading(question: Question, place: str) -> Content:
    phase = f"${PHASE_VARIABLES[question.phase]}"
    lines: list[Content | tuple[str, str] | str] = [
        (question.phase.label.upper(), f"bold {phase}"),
        (f"  {place}", "$text-muted"),
        "\n",
        (printable(question.text), "bold"),
    ]
    if question.prompts:
        probes = "  ·  ".join(printable(probe, keep_newlines=False) for probe in question.prompts)
        lines += ["\n", ("Probes: ", "italic $text-muted"), (probes, "italic")]
    return Content.assemble(*lines)


def opening_heading(opening: str) -> Content:
    return Content.assemble(
        ("OPENING", "bold $accent"),
        ("  before the first question: F6 asks it", "$text-muted"),
        "\n",
        printable(opening),
    )


class CurrentQuestion(Static):
    def show_opening(self, opening: str) -> None:
        """Before the first question: what the facilitator says to open the conversation."""
        self.update(opening_heading(opening))

    def show(self, question: Question | None, place: str = "") -> None:
        """`place` says where the question sits, e.g. "question 2 of 8" or "follow-up to 2"."""
        if question is None:
            self.update("This conversation has no questions yet.")
        else:
            self.update(question_heading(question, place))
