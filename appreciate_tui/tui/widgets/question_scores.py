"""The questions of a conversation, each with the score one participant (or agency) gave it, in the
feedback form. Keyboard only, quick to fill in from a paper form: a digit from 1 to 5 scores the
highlighted question and moves to the next, Backspace clears a score, Space ticks the question as
one of the most useful (as feedback was given before questions were scored).

     4 ★★★★☆ ✓  1 Tell me about a strategy meeting that
                  worked well for you…
     – ☆☆☆☆☆    2 What does your agency bring…

Another key (0, 6 to 9) is not a score: the list says so and changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from appreciate_tui.domain import SCORES, Question
from appreciate_tui.text import printable
from appreciate_tui.tui.themes import PHASE_VARIABLES
from appreciate_tui.tui.widgets.hanging import Hanging

NOT_A_SCORE = "A score is from 1 to 5; Backspace clears one."


class QuestionScores(OptionList):
    DEFAULT_CSS = """
    QuestionScores { height: 1fr; border: none; padding: 0; background: $panel; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(str(n), f"score({n})", f"Score {n}", show=False) for n in SCORES),
        Binding("0,6,7,8,9", "not_a_score", "Not a score", show=False),
        Binding("backspace,delete", "clear_score", "Clear the score", show=False),
        Binding("space", "toggle_useful", "Most useful", show=False),
    ]

    class NotAScore(Message):
        """A digit that is not a score was typed: the form says what to type."""

    def __init__(
        self,
        questions: Sequence[Question],
        numbers: Mapping[str, str],
        scores: Mapping[str, int] | None = None,
        useful: Sequence[str] = (),
        *,
        id: str | None = None,
    ) -> None:
        """`numbers`: question id -> how it is numbered ("3", or "3↳" for a follow-up)."""
        self._questions = list(questions)
        self._numbers = dict(numbers)
        known = {q.id for q in self._questions}
        self.scores: dict[str, int] = {
            qid: score for qid, score in (scores or {}).items() if qid in known
        }
        """Question id -> score from 1 to 5, as typed so far."""
        self.useful: list[str] = [qid for qid in useful if qid in known]
        """The questions ticked as most useful, in the order ticked."""
        super().__init__(*(self._option(q) for q in self._questions), id=id, markup=False)

    def _line(self, question: Question) -> Hanging:
        score = self.scores.get(question.id)
        if score is None:
            mark = Content.styled(" –  ☆☆☆☆☆ ", "$text-muted")
        else:
            mark = Content.assemble((f" {score}  ", "bold"), ("★" * score, "$accent"),
                                    ("☆" * (5 - score) + " ", "$text-muted"))
        ticked = ("✓ ", "bold $success") if question.id in self.useful else ("  ", "")
        number = self._numbers.get(question.id, "")
        gutter = Content.assemble(mark, ticked,
                                  (f"{number:>3} ", f"${PHASE_VARIABLES[question.phase]}"))
        text = Content.styled(printable(question.text, keep_newlines=False),
                              "italic" if question.is_follow_up else "")
        return Hanging(gutter, text)

    def _option(self, question: Question) -> Option:
        return Option(self._line(question), id=question.id)

    def _redraw(self, index: int) -> None:
        self.replace_option_prompt_at_index(index, self._line(self._questions[index]))

    def action_score(self, score: int) -> None:
        index = self.highlighted
        if index is None:
            return
        self.scores[self._questions[index].id] = score
        self._redraw(index)
        if index + 1 < self.option_count:
            self.highlighted = index + 1

    def action_clear_score(self) -> None:
        index = self.highlighted
        if index is not None and self.scores.pop(self._questions[index].id, None) is not None:
            self._redraw(index)

    def action_toggle_useful(self) -> None:
        index = self.highlighted
        if index is None:
            return
        question_id = self._questions[index].id
        if question_id in self.useful:
            self.useful.remove(question_id)
        else:
            self.useful.append(question_id)
        self._redraw(index)

    def action_not_a_score(self) -> None:
        self.post_message(self.NotAScore())

    def on_mount(self) -> None:
        if self.option_count:
            self.highlighted = 0
