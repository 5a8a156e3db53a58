"""The prepared questions in order, grouped under their phase, with follow-ups indented.

Each line: a bar in the phase's colour, a status mark (`▶` being asked now, `✓` asked,
`–` skipped, `·` not yet), the number of notes so far, and `◆` on a follow-up worth keeping for a bank.
Arrow keys move the highlight without changing the current question; Enter asks the highlighted one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from appreciate_tui.domain import Phase, Question, QuestionStatus
from appreciate_tui.text import printable
from appreciate_tui.tui.themes import PHASE_VARIABLES
from appreciate_tui.tui.widgets.hanging import Hanging

MARKS = {
    QuestionStatus.PENDING: ("·", "$text-muted"),
    QuestionStatus.ASKED: ("✓", "$success"),
    QuestionStatus.SKIPPED: ("–", "$text-muted"),
}
CURRENT_MARK = ("▶", "bold $accent")
MAX_INDENT = 3
"""Follow-ups of follow-ups indent no further than this, so the text keeps some room."""


def phase_style(phase: Phase) -> str:
    return f"${PHASE_VARIABLES[phase]}"


def question_line(
    question: Question, *, number: str, depth: int, current: bool, notes: int
) -> Hanging:
    mark = CURRENT_MARK if current else MARKS[question.status]
    if current:
        text_style = "bold"
    elif question.status is QuestionStatus.SKIPPED:
        text_style = "$text-muted strike"
    else:
        text_style = ""
    bar = ("▌", phase_style(question.phase))
    indent = "  " * min(depth, MAX_INDENT)
    label = "↳ " if depth else f"{number:>2} "
    gutter = Content.assemble(bar, indent, mark, " ", (label, "$text-muted"))
    text: list[Content | tuple[str, str] | str] = [
        (printable(question.text, keep_newlines=False), text_style),
    ]
    if notes:
        text.append((f" ({notes})", "$text-muted"))
    if question.worth_keeping:
        text.append((" ◆ keep", "$accent"))
    continuation = Content.assemble(bar, " " * (gutter.cell_length - 1))
    return Hanging(gutter, Content.assemble(*text), continuation=continuation)


def phase_header(phase: Phase) -> Content:
    return Content.styled(phase.label.upper(), f"bold {phase_style(phase)}")


class QuestionList(OptionList):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "mark('asked')", "Asked", tooltip="Mark the highlighted question asked",
                id="questions.asked"),
        Binding("s", "mark('skipped')", "Skip", tooltip="Mark the highlighted question skipped",
                id="questions.skip"),
        Binding(
            "p", "mark('pending')", "Not yet",
            tooltip="Mark the highlighted question not yet asked", id="questions.not_yet",
        ),
        Binding("k", "keep", "Keep", tooltip="Mark a follow-up worth keeping for a question bank",
                id="questions.keep"),
    ]

    class Chosen(Message):
        """Enter on a question: ask it now."""

        def __init__(self, question_id: str) -> None:
            super().__init__()
            self.question_id = question_id

    class StatusChosen(Message):
        def __init__(self, question_id: str, status: QuestionStatus) -> None:
            super().__init__()
            self.question_id = question_id
            self.status = status

    class KeepToggled(Message):
        def __init__(self, question_id: str) -> None:
            super().__init__()
            self.question_id = question_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self._questions: dict[str, Question] = {}
        self._numbers: dict[str, str] = {}
        self._depths: dict[str, int] = {}
        self._current: str | None = None
        self._note_counts: dict[str, int] = {}

    def show(
        self,
        questions: Sequence[Question],
        *,
        numbers: Mapping[str, str],
        depths: Mapping[str, int],
        current: str | None,
        note_counts: Mapping[str, int],
    ) -> None:
        """Show every question in display order; `numbers` labels prepared ones "1", "2"…"""
        self._questions = {q.id: q for q in questions}
        self._numbers = dict(numbers)
        self._depths = dict(depths)
        self._current = current
        self._note_counts = dict(note_counts)
        options: list[Option] = []
        phase: Phase | None = None
        for question in questions:
            if question.phase is not phase and not question.is_follow_up:
                phase = question.phase
                options.append(
                    Option(
                        phase_header(phase), id=f"phase-{phase.value}-{question.id}", disabled=True
                    )
                )
            options.append(Option(self._line(question), id=question.id))
        self.set_options(options)
        if current is not None:
            self.highlight(current)

    def _line(self, question: Question) -> Hanging:
        return question_line(
            question,
            number=self._numbers.get(question.id, ""),
            depth=self._depths.get(question.id, 0),
            current=question.id == self._current,
            notes=self._note_counts.get(question.id, 0),
        )

    def update_question(self, question: Question) -> None:
        """Redraw one question (its status, or worth keeping, changed)."""
        self._questions[question.id] = question
        self._redraw(question.id)

    def set_current(self, question_id: str | None) -> None:
        previous, self._current = self._current, question_id
        for changed in (previous, question_id):
            if changed is not None:
                self._redraw(changed)
        if question_id is not None:
            self.highlight(question_id)

    def set_note_count(self, question_id: str, count: int) -> None:
        self._note_counts[question_id] = count
        self._redraw(question_id)

    def highlight(self, question_id: str) -> None:
        try:
            self.highlighted = self.get_option_index(question_id)
        except OptionDoesNotExist:
            pass

    def _redraw(self, question_id: str) -> None:
        if question_id in self._questions:
            self.replace_option_prompt(question_id, self._line(self._questions[question_id]))

    @property
    def question_id(self) -> str | None:
        option = self.highlighted_option
        return option.id if option is not None and option.id in self._questions else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_id in self._questions:
            self.post_message(self.Chosen(event.option_id))

    def action_mark(self, status: str) -> None:
        if (question_id := self.question_id) is not None:
            self.post_message(self.StatusChosen(question_id, QuestionStatus(status)))

    def action_keep(self) -> None:
        if (question_id := self.question_id) is not None:
            self.post_message(self.KeepToggled(question_id))
