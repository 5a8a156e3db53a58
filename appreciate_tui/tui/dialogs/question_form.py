"""n or e on the plan's questions: write a question, or reword one, and choose its phase.

While the question is typed, the framing warnings (question_lint) show under it, each with an
appreciative way to ask it: a warning, never a block. Enter saves, Escape leaves things as they
were. Dismisses with (text, phase), or None.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Select, Static

from appreciate_tui.domain import Phase
from appreciate_tui.banks.lint import lint
from appreciate_tui.text import clean_line
from appreciate_tui.tui.keys import key_hint, with_keys
from appreciate_tui.tui.widgets.lint_notes import lint_content
from appreciate_tui.tui.widgets.text_fields import TextInput


class QuestionFormScreen(ModalScreen[tuple[str, Phase] | None]):
    DEFAULT_CSS = """
    QuestionFormScreen > #question-form {
        width: 90%; max-width: 110; height: auto; max-height: 95%;
    }
    QuestionFormScreen #question-phase-row { height: auto; margin-top: 1; }
    QuestionFormScreen #question-phase-label { width: auto; padding-right: 1; color: $text-muted; }
    QuestionFormScreen #question-phase { width: 24; }
    QuestionFormScreen #question-lint { height: auto; margin-top: 1; }
    QuestionFormScreen #question-form-hint { color: $text-muted; margin-top: 1; }
    """
    HELP: ClassVar[str] = "plan.md#Questions"  # where F1 opens the help
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", tooltip="Leave the question as it was",
                id="question_form.cancel"),
    ]

    def __init__(self, *, title: str, text: str = "", phase: Phase = Phase.DISCOVER) -> None:
        super().__init__()
        self._title = title
        self._text = text
        self._phase = phase

    def compose(self) -> ComposeResult:
        with Vertical(id="question-form", classes="dialog"):
            yield Static(self._title, classes="dialog-title", markup=False)
            yield TextInput(
                self._text,
                placeholder="Tell me about a time when … worked well. What made it work?",
                id="question-text",
            )
            with Horizontal(id="question-phase-row"):
                yield Static("Phase", id="question-phase-label")
                yield Select(
                    [(phase.label, phase) for phase in Phase],
                    value=self._phase,
                    allow_blank=False,
                    compact=True,
                    id="question-phase",
                )
            yield Static(id="question-lint")
            yield Static(
                key_hint(self.app, self, ("Enter", "save"), ("Tab", "phase"),
                         ("{question_form.cancel}", "cancel")),
                id="question-form-hint",
            )

    def on_mount(self) -> None:
        self._show_lint(self._text)

    @on(Input.Changed, "#question-text")
    def _typed(self, event: Input.Changed) -> None:
        self._show_lint(event.value)

    def _show_lint(self, text: str) -> None:
        self.query_one("#question-lint", Static).update(lint_content(lint(text)))

    @on(Select.Changed, "#question-phase")
    def _phase_chosen(self) -> None:
        self.query_one("#question-text", Input).focus()

    @on(Input.Submitted, "#question-text")
    def _save(self, event: Input.Submitted) -> None:
        event.stop()
        text = clean_line(event.value)
        if not text:
            self.notify(with_keys("Type the question first, or {question_form.cancel} to leave it.",
                                  self.app, self), markup=False)
            return
        phase = self.query_one("#question-phase", Select).value
        self.dismiss((text, phase if isinstance(phase, Phase) else self._phase))
