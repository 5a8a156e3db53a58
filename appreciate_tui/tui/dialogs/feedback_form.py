"""n or e on the wrap-up's feedback: one participant's (or one agency's) view of the activity.

Who it is from, a rating of the activity (1 to 5), whether having the questions in advance helped
(or would have), how useful each question was (a digit from 1 to 5 scores the highlighted one and
moves to the next, Backspace clears, Space ticks it as one of the most useful: widgets/
question_scores.py), and comments. Quick to copy from the printed form (reports/feedback_form.py),
keyboard only. Enter in the comments saves; Escape leaves it as it was. Dismisses with
`FeedbackDetails`, or None.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Select, Static

from appreciate_tui.domain import RATING_LABELS, Feedback, Participant, Question
from appreciate_tui.text import clean, printable
from appreciate_tui.tui.keys import key_hint
from appreciate_tui.tui.widgets.question_scores import NOT_A_SCORE, QuestionScores
from appreciate_tui.tui.widgets.text_fields import TextInput

RATINGS = [(f"{'★' * n}{'☆' * (5 - n)}  {n}: {label}", n) for n, label in RATING_LABELS.items()]
ADVANCE = [("Yes: it helped, or would have", True), ("No", False)]


@dataclass(frozen=True)
class FeedbackDetails:
    participant_id: str | None
    agency: str | None
    rating: int | None
    advance_questions_helped: bool | None
    useful_question_ids: tuple[str, ...]
    comments: str
    question_scores: Mapping[str, int] = field(default_factory=dict)


class FeedbackFormScreen(ModalScreen[FeedbackDetails | None]):
    DEFAULT_CSS = """
    FeedbackFormScreen > #feedback-form {
        width: 95%; max-width: 110; height: 100%; max-height: 40;
    }
    FeedbackFormScreen #feedback-form .dialog-title { padding-bottom: 0; }
    FeedbackFormScreen #feedback-fields {
        grid-size: 2; grid-columns: 14 1fr; grid-rows: 1; height: auto;
    }
    FeedbackFormScreen .form-label { color: $text-muted; text-style: bold; }
    FeedbackFormScreen #scores-label { margin-top: 1; }
    FeedbackFormScreen #comments-row {
        grid-size: 2; grid-columns: 14 1fr; height: 1; margin-top: 1;
    }
    FeedbackFormScreen #feedback-hint { color: $text-muted; height: auto; margin-top: 1; }
    """
    HELP = "wrapup.md#Feedback"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", tooltip="Leave the feedback as it was",
                id="feedback_form.cancel"),
    ]

    def __init__(
        self,
        participants: Sequence[Participant],
        agencies: Sequence[str],
        questions: Sequence[Question],
        numbers: Mapping[str, str],
        feedback: Feedback | None = None,
    ) -> None:
        """`numbers`: question id -> how the question is numbered ("3", or "3↳" for a follow-up)."""
        super().__init__()
        self._people = list(participants)
        self._agencies = list(dict.fromkeys(agencies))
        self._questions = list(questions)
        self._numbers = dict(numbers)
        self._feedback = feedback

    def _who_options(self) -> list[tuple[str, str]]:
        options = [
            (printable(f"{p.pseudonym} ({p.agency})", keep_newlines=False), f"p:{p.id}")
            for p in self._people
        ]
        options += [(printable(f"{a} (agency)", keep_newlines=False), f"a:{a}")
                    for a in self._agencies]
        return options

    def _current_who(self) -> str:
        feedback = self._feedback
        if feedback is None:
            return ""
        if feedback.participant_id:
            return f"p:{feedback.participant_id}"
        return f"a:{feedback.agency}"

    def compose(self) -> ComposeResult:
        feedback = self._feedback
        who = self._current_who()
        advance = feedback.advance_questions_helped if feedback else None
        with Vertical(id="feedback-form", classes="dialog"):
            yield Static("Feedback on the conversation" if feedback is None
                         else "Change the feedback", classes="dialog-title")
            with Grid(id="feedback-fields"):
                yield Static("From", classes="form-label")
                yield Select(self._who_options(), prompt="Choose who it is from",
                             value=who or Select.NULL, compact=True, id="from",
                             disabled=feedback is not None)
                yield Static("Rating", classes="form-label")
                yield Select(RATINGS, prompt="No rating",
                             value=feedback.rating if feedback and feedback.rating else Select.NULL,
                             compact=True, id="rating")
                yield Static("In advance", classes="form-label")
                yield Select(ADVANCE, prompt="Having the questions in advance: not asked",
                             value=Select.NULL if advance is None else advance,
                             compact=True, id="advance")
            yield Static("How useful was each question  (1 not useful … 5 very useful)",
                         classes="form-label", id="scores-label", markup=False)
            yield QuestionScores(self._questions, self._numbers,
                                 feedback.question_scores if feedback else None,
                                 feedback.useful_question_ids if feedback else (), id="scores")
            with Grid(id="comments-row"):
                yield Static("Comments", classes="form-label")
                yield TextInput(feedback.comments if feedback else "",
                                placeholder="what they said about the conversation",
                                id="comments", compact=True)
            yield Static(Content.assemble(
                key_hint(self.app, self, ("1–5", "score a question and move on"),
                         ("Backspace", "clear"), ("Space", "✓ most useful")),
                "\n",
                key_hint(self.app, self, ("Enter", "(in comments) save"), ("Tab", "next"),
                         ("{feedback_form.cancel}", "cancel"))), id="feedback-hint")

    def on_mount(self) -> None:
        first = "#rating" if self._feedback is not None else "#from"
        self.query_one(first).focus()

    @on(QuestionScores.NotAScore)
    def _not_a_score(self) -> None:
        self.notify(NOT_A_SCORE, markup=False, timeout=3)

    @on(Input.Submitted, "#comments")
    def _save(self, event: Input.Submitted) -> None:
        event.stop()
        who = self.query_one("#from", Select).value
        if who is Select.NULL:
            self.notify("Choose who the feedback is from first.", markup=False)
            self.query_one("#from", Select).focus()
            return
        kind, _, key = str(who).partition(":")
        rating = self.query_one("#rating", Select).value
        advance = self.query_one("#advance", Select).value
        scores = self.query_one("#scores", QuestionScores)
        self.dismiss(FeedbackDetails(
            participant_id=key if kind == "p" else None,
            agency=key if kind == "a" else None,
            rating=rating if isinstance(rating, int) else None,
            advance_questions_helped=advance if isinstance(advance, bool) else None,
            useful_question_ids=tuple(scores.useful),
            comments=clean(event.value).strip(),
            question_scores=dict(scores.scores),
        ))
