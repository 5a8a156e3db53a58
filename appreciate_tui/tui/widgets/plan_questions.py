"""The plan's prepared questions in order, under their phase, each flagged ⚠ when its framing
could be better (question_lint). The keys here change the plan; the list changes nothing itself:
it posts a message naming the question, and the screen decides.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import suppress
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from appreciate_tui.domain import Phase, Question
from appreciate_tui.banks.lint import QuestionWarning
from appreciate_tui.text import printable
from appreciate_tui.tui.widgets.hanging import Hanging
from appreciate_tui.tui.widgets.lint_notes import MARK
from appreciate_tui.tui.widgets.question_list import phase_header, phase_style

MOVE_KEYS = Binding.Group("Move", compact=True)


def plan_line(question: Question, number: int, warned: bool) -> Hanging:
    bar = ("▌", phase_style(question.phase))
    gutter = Content.assemble(bar, (f"{number:>2} ", "$text-muted"))
    text = Content.assemble(
        printable(question.text, keep_newlines=False),
        (f"  {MARK}" if warned else "", "bold $warning"),
    )
    return Hanging(gutter, text, continuation=Content.assemble(bar, "   "))


class PlanQuestions(OptionList):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add_from_bank", "From a bank", tooltip="Add questions from any bank",
                id="plan_questions.from_bank"),
        Binding("n", "write", "Write one", tooltip="Write a question of your own",
                id="plan_questions.write"),
        Binding("e", "edit", "Edit", tooltip="Reword the highlighted question",
                id="plan_questions.edit"),
        Binding("p", "phase", "Phase", tooltip="Move the highlighted question to another phase",
                id="plan_questions.phase"),
        Binding("left_square_bracket,shift+up", "move(-1)", "Up", group=MOVE_KEYS,
                tooltip="Move the highlighted question earlier", id="plan_questions.up"),
        Binding("right_square_bracket,shift+down", "move(1)", "Down", group=MOVE_KEYS,
                tooltip="Move the highlighted question later", id="plan_questions.down"),
        Binding("d,delete", "remove", "Remove", tooltip="Take the highlighted question out",
                id="plan_questions.remove"),
    ]

    class AddFromBank(Message):
        """a: choose questions from the banks."""

    class Write(Message):
        """n: write a new question."""

    class QuestionMessage(Message):
        def __init__(self, question_id: str) -> None:
            super().__init__()
            self.question_id = question_id

    class Edit(QuestionMessage):
        """e or Enter: reword the highlighted question."""

    class ChangePhase(QuestionMessage):
        """p: choose the highlighted question's phase."""

    class Remove(QuestionMessage):
        """d: take the highlighted question out of the plan."""

    class Move(Message):
        def __init__(self, question_id: str, step: int) -> None:
            super().__init__()
            self.question_id = question_id
            self.step = step

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self._questions: dict[str, Question] = {}

    def show(
        self,
        questions: Sequence[Question],
        warnings: Mapping[str, Sequence[QuestionWarning]],
        *,
        highlight: str | None = None,
    ) -> None:
        """Show the prepared questions in plan order, keeping the highlight where it was (or on
        `highlight`)."""
        keep = highlight or self.question_id
        self._questions = {q.id: q for q in questions}
        options: list[Option] = []
        phase: Phase | None = None
        for number, question in enumerate(questions, start=1):
            if question.phase is not phase:
                phase = question.phase
                options.append(
                    Option(phase_header(phase), id=f"phase-{number}-{phase.value}", disabled=True)
                )
            options.append(
                Option(plan_line(question, number, bool(warnings.get(question.id))), id=question.id)
            )
        self.set_options(options)
        if keep in self._questions:
            self.highlighted = self.get_option_index(keep)
        elif questions:
            self.highlighted = self.get_option_index(questions[0].id)

    @property
    def question_id(self) -> str | None:
        option = self.highlighted_option
        return option.id if option is not None and option.id in self._questions else None

    def highlight_question(self, question_id: str) -> None:
        with suppress(OptionDoesNotExist):
            self.highlighted = self.get_option_index(question_id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_id in self._questions:
            self.post_message(self.Edit(event.option_id))

    def action_add_from_bank(self) -> None:
        self.post_message(self.AddFromBank())

    def action_write(self) -> None:
        self.post_message(self.Write())

    def action_edit(self) -> None:
        if (question_id := self.question_id) is not None:
            self.post_message(self.Edit(question_id))

    def action_phase(self) -> None:
        if (question_id := self.question_id) is not None:
            self.post_message(self.ChangePhase(question_id))

    def action_remove(self) -> None:
        if (question_id := self.question_id) is not None:
            self.post_message(self.Remove(question_id))

    def action_move(self, step: int) -> None:
        if (question_id := self.question_id) is not None:
            self.post_message(self.Move(question_id, step))
