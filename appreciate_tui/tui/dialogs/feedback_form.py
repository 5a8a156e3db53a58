"""n or e on the wrap-up's feedback: one participant's (or one agency's) view of the activity.

Who it is from, a rating of the activity (1 to 5), whether having the questions in advance helped
(or would have), which questions were most useful (Space ticks them), and comments. Enter in the
comments saves; Escape leaves it as it was. Dismisses with `FeedbackDetails`, or None.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Select, SelectionList, Static
from textual.widgets.selection_list import Selection

from appreciate_tui.domain import Feedback, Participant, Question
from appreciate_tui.text import clean, printable
from appreciate_tui.tui.themes import PHASE_VARIABLES
from appreciate_tui.tui.widgets.text_fields import TextInput

RATINGS = [
    (f"{'★' * n}{'☆' * (5 - n)}  {n}: {label}", n)
    for n, label in ((5, "very worthwhile"), (4, "worthwhile"), (3, "fair"), (2, "not very"),
                     (1, "not at all"))
]
ADVANCE = [("Yes: it helped, or would have", True), ("No", False)]


@dataclass(frozen=True)
class FeedbackDetails:
    participant_id: str | None
    agency: str | None
    rating: int | None
    advance_questions_helped: bool | None
    useful_question_ids: tuple[str, ...]
    comments: str


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
    FeedbackFormScreen #useful-label { margin-top: 1; }
    FeedbackFormScreen #useful { height: 1fr; border: none; padding: 0; background: $panel; }
    FeedbackFormScreen #comments-row {
        grid-size: 2; grid-columns: 14 1fr; height: 1; margin-top: 1;
    }
    FeedbackFormScreen #feedback-hint { color: $text-muted; height: 1; margin-top: 1; }
    """
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
        useful = set(feedback.useful_question_ids) if feedback else set()
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
            yield Static("Most useful questions  (Space ticks)", classes="form-label",
                         id="useful-label")
            yield SelectionList[str](
                *(self._selection(q, q.id in useful) for q in self._questions), id="useful"
            )
            with Grid(id="comments-row"):
                yield Static("Comments", classes="form-label")
                yield TextInput(feedback.comments if feedback else "",
                                placeholder="what they said about the conversation",
                                id="comments", compact=True)
            yield Static(Content.from_markup(
                "[b]Enter[/b] (in comments) save   [b]Tab[/b] next   [b]Escape[/b] cancel"),
                id="feedback-hint")

    def _selection(self, question: Question, ticked: bool) -> Selection[str]:
        number = self._numbers.get(question.id, "")
        prompt = Content.assemble(
            (f"{number:>3} ", f"${PHASE_VARIABLES[question.phase]}"),
            (printable(question.text, keep_newlines=False),
             "italic" if question.is_follow_up else ""),
        )
        return Selection(prompt, question.id, ticked)

    def on_mount(self) -> None:
        first = "#rating" if self._feedback is not None else "#from"
        self.query_one(first).focus()
        if self._questions:
            self.query_one("#useful", SelectionList).highlighted = 0

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
        self.dismiss(FeedbackDetails(
            participant_id=key if kind == "p" else None,
            agency=key if kind == "a" else None,
            rating=rating if isinstance(rating, int) else None,
            advance_questions_helped=advance if isinstance(advance, bool) else None,
            useful_question_ids=tuple(self.query_one("#useful", SelectionList).selected),
            comments=clean(event.value).strip(),
        ))
