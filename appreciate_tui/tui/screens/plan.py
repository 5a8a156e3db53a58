"""The plan: everything decided before the meeting, in three tabs.

Details (F3): title, topic question, setting, date and time, facilitator, minutes per phase and
the opening the facilitator gives before the first question. People (F4): who is invited, from
which agency, and later whether they came (plan_people_tab.py). Questions (F5): the prepared
questions in order under their phase, added from any bank or written here, each flagged when its
framing could be better. F6 sends the questions to participants in advance; F10 starts
facilitating.

Typed fields are saved as they are typed (Autosave: on disk within 300 ms of the first unsaved
keystroke, flushed on leaving and on quit); a change to a list is saved at once. Widgets post messages; this screen calls the
store and redraws what changed.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Input, OptionList, Static, TabbedContent, TabPane, TextArea

from appreciate_tui import domain
from appreciate_tui.domain import (
    Conversation,
    ConversationStatus,
    Participant,
    Phase,
    Question,
)
from appreciate_tui.banks.lint import QuestionWarning, lint
from appreciate_tui.text import clean_line, field_line, one_line, printable
from appreciate_tui.tui.screens.plan_people_tab import PeopleTab
from appreciate_tui.tui.palette.plan import PlanCommands
from appreciate_tui.tui.themes import PHASE_VARIABLES
from appreciate_tui.tui.widgets.key_footer import KeyFooter
from appreciate_tui.tui.widgets.lint_notes import lint_content
from appreciate_tui.tui.widgets.plan_people import PeopleTable
from appreciate_tui.tui.widgets.plan_questions import PlanQuestions
from appreciate_tui.tui.widgets.save_status import SaveStatus
from appreciate_tui.tui.widgets.text_box import TextBox
from appreciate_tui.tui.widgets.text_fields import TextInput
from appreciate_tui.wording import plural, short_date

if TYPE_CHECKING:
    from appreciate_tui.banks.loader import BankQuestion

DETAILS, PEOPLE, QUESTIONS = "details-tab", "people-tab", "questions-tab"

HEADING_FIELDS = ("title", "date", "start_time")
BUDGET_LIMIT = 600
"""Minutes a phase may be given: ten hours is already more than any conversation."""
_CLOCK_TIME = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")


def _date_problem(text: str) -> str:
    """What is wrong with a typed date: its shape, or that it is not on the calendar."""
    try:
        domain.parse_due_date(text)
    except ValueError as error:
        if "does not exist" in str(error):
            return f"Date: {error}."
    return "Date: YYYY-MM-DD, like 2026-03-12."


OPENING_HELP = (
    "what you say before the first question: why an appreciative conversation, how it will run. "
    "Shown while facilitating until the first question, and on the question sheet."
)


class PlanScreen(PeopleTab):
    HELP: ClassVar[str] = "plan.md"
    """The help F1 opens at (tui/help/)."""
    CSS_PATH = Path(__file__).parent / "plan.tcss"
    COMMANDS: ClassVar = {PlanCommands}
    AUTO_FOCUS = None
    """Each tab says what takes the keys first (`action_show_tab`)."""
    BINDINGS: ClassVar[list[BindingType]] = [
        # The tab keys are named on the tabs, which leaves the footer room for what they hold.
        # The F-keys come first even in a text field: Textual's TextArea takes F6 and F7.
        Binding("f3", "show_tab('details-tab')", "Details", show=False, priority=True,
                id="plan.details",
                tooltip="Title, topic, when and where, the time budget and the opening"),
        Binding("f4", "show_tab('people-tab')", "People", show=False, priority=True,
                id="plan.people", tooltip="Who is invited, and from which agency"),
        Binding("f5", "show_tab('questions-tab')", "Questions", show=False, priority=True,
                id="plan.questions", tooltip="The prepared questions, in order"),
        Binding("f6", "share_questions", "Send questions", priority=True, id="plan.share",
                tooltip="The question sheet for participants: copy or save it"),
        Binding("f10", "facilitate", "Facilitate", priority=True, id="plan.facilitate",
                tooltip="Start (or carry on) facilitating this conversation"),
        Binding("escape", "back", "Back", id="plan.back", tooltip="Back to the conversations"),
    ]

    FIRST_FOCUS: ClassVar[dict[str, str]] = {
        DETAILS: "#title", PEOPLE: "#people", QUESTIONS: "#plan-questions"
    }

    def __init__(self, conversation_id: str, *, tab: str = DETAILS) -> None:
        super().__init__(conversation_id, tab=tab)
        self._questions: list[Question] = []
        self._warnings: dict[str, list[QuestionWarning]] = {}
        self._people: list[Participant] = []
        self._typed: dict[str, Any] = {}
        """The last value of each typed field: what the heading shows and what was saved."""
        self._problems: dict[str, str] = {}

    # ------------------------------------------------------------------ building and loading

    def compose(self) -> ComposeResult:
        self._conversation = conversation = self.store.get_conversation(self.conversation_id)
        with Horizontal(id="plan-header"):
            yield Static(id="plan-heading")
            yield Static(id="plan-when")
            yield SaveStatus(id="save-status")
        with TabbedContent(initial=self._first_tab, id="plan-tabs"):
            with TabPane("Details F3", id=DETAILS):
                yield from self._details(conversation)
            with TabPane("People F4", id=PEOPLE):
                yield PeopleTable(id="people")
                yield Static(id="people-summary")
            with TabPane("Questions F5", id=QUESTIONS):
                yield PlanQuestions(id="plan-questions")
                yield Static(id="question-detail")
        yield KeyFooter()

    def _details(self, conversation: Conversation) -> ComposeResult:
        budget = conversation.phase_budget
        with VerticalScroll(id="details-form"):
            with Grid(id="details-fields"):
                yield Static("Title", classes="field-label")
                yield self._input("title", conversation.title, "A title people will recognise")
                yield Static("Topic question", classes="field-label")
                yield self._input("topic", conversation.topic,
                                  "The question the conversation explores")
                yield Static("Setting", classes="field-label")
                yield self._input("setting", conversation.setting, "Where: a room, a call")
                yield Static("Date and time", classes="field-label")
                with Horizontal(id="when"):
                    yield self._input("date", conversation.date, "YYYY-MM-DD")
                    yield Static(" at ", classes="field-joint")
                    yield self._input("start-time", conversation.start_time, "HH:MM")
                    yield Static(id="when-said")
                yield Static("Facilitator", classes="field-label")
                yield self._input("facilitator", conversation.facilitator, "Who facilitates")
                yield Static("Time budget", classes="field-label")
                yield Static(id="budget-total")
            with Horizontal(id="budget"):
                for phase in Phase:
                    yield Static(
                        Content.styled(phase.label, f"bold ${PHASE_VARIABLES[phase]}"),
                        classes="budget-phase",
                    )
                    minutes = budget.get(phase.value)
                    yield TextInput(
                        str(minutes) if minutes else "", placeholder="–",
                        id=f"budget-{phase.value}", classes="budget-minutes",
                        restrict=r"\d{0,3}", compact=True, select_on_focus=True,
                        tooltip=f"Minutes for {phase.label}",
                    )
            yield Static(id="details-problem")
            yield Static(Content.assemble(("Opening  ", "bold $text-muted"),
                                          (OPENING_HELP, "$text-muted")), id="opening-label")
            yield TextBox(conversation.opening, id="opening", soft_wrap=True,
                          placeholder="Thank you for coming. This is an appreciative "
                                      "conversation: we start from what works…")
            yield Static(id="shared-state")

    @staticmethod
    def _input(id: str, value: str, placeholder: str) -> TextInput:
        return TextInput(value, placeholder=placeholder, id=id, compact=True)

    def on_mount(self) -> None:
        conversation = self.conversation
        self._typed = {
            "title": conversation.title,
            "topic": conversation.topic,
            "setting": conversation.setting,
            "facilitator": conversation.facilitator,
            "date": conversation.date,
            "start_time": conversation.start_time,
            "phase_budget": dict(conversation.phase_budget),
            "opening": conversation.opening,
        }
        self._start_autosave()
        if self.store.read_only:
            for field in self.query("#details-form Input, #opening"):
                field.disabled = True
        self._load()
        self._show_heading()
        self._show_budget()
        self._show_when()
        self.action_show_tab(self._first_tab)

    def _load(self, *, highlight: str | None = None) -> None:
        """Read the conversation's people and questions again, after a change to either."""
        store, cid = self.store, self.conversation_id
        self._conversation = store.get_conversation(cid)
        self._people = store.list_participants(cid)
        self._questions = [q for q in store.list_questions(cid) if not q.is_follow_up]
        self._warnings = {q.id: lint(q.text) for q in self._questions}
        self.query_one(PeopleTable).show(self._people)
        self._show_people_summary()
        self.query_one(PlanQuestions).show(self._questions, self._warnings, highlight=highlight)
        self._show_question_detail()
        self._show_shared()

    # ------------------------------------------------------------------ details

    def _typed_value(self, field: str, value: Any) -> None:
        """A field holds a new, valid value: remember it and have it saved (within 300 ms)."""
        if self._problems.pop(field, None) is not None:
            self._show_problems()
        if self._typed.get(field) == value:
            return
        self._typed[field] = value
        self.autosave.changed(field, value)
        if field in HEADING_FIELDS:
            self._show_heading()

    def _problem(self, field: str, message: str) -> None:
        if self._problems.get(field) != message:
            self._problems[field] = message
            self._show_problems()

    @on(Input.Changed, "#title, #topic, #setting, #facilitator")
    def _text_typed(self, event: Input.Changed) -> None:
        field = event.input.id or ""
        recorded = self._typed.get(field, "")
        # The field showing what is recorded (any control in it as a symbol) is not an edit.
        value = recorded if event.value == field_line(recorded) else clean_line(event.value)
        if field == "title" and not value:
            self._problem(field, "A title is needed: the last one is kept until there is one.")
            return
        self._typed_value(field, value)

    @on(Input.Changed, "#date")
    def _date_typed(self, event: Input.Changed) -> None:
        text = event.value.strip()
        try:
            day = date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None
        except ValueError:
            day = None
        if day is None:
            self._problem("date", _date_problem(text))
        else:
            self._typed_value("date", day.isoformat())
        self._show_when()

    @on(Input.Changed, "#start-time")
    def _time_typed(self, event: Input.Changed) -> None:
        text = event.value.strip()
        match = _CLOCK_TIME.fullmatch(text)
        if text and match is None:
            self._problem("start_time", "Time: HH:MM on the 24-hour clock, like 09:30 or 14:00.")
        else:
            self._typed_value("start_time", f"{int(match[1]):02}:{match[2]}" if match else "")
        self._show_when()

    @on(Input.Changed, ".budget-minutes")
    def _budget_typed(self) -> None:
        budget: dict[str, int] = {}
        for phase in Phase:
            text = self.query_one(f"#budget-{phase.value}", Input).value.strip()
            if text and int(text) > BUDGET_LIMIT:
                self._problem("phase_budget", f"{phase.label}: at most {BUDGET_LIMIT} minutes.")
                return
            if text and int(text):
                budget[phase.value] = int(text)
        self._typed_value("phase_budget", budget)
        self._show_budget()

    @on(TextArea.Changed, "#opening")
    def _opening_typed(self, event: TextArea.Changed) -> None:
        self._typed_value("opening", event.text_area.text)

    def _show_problems(self) -> None:
        problem = self.query_one("#details-problem", Static)
        problem.update(" ".join(self._problems.values()))
        problem.display = bool(self._problems)

    def _show_heading(self) -> None:
        typed, conversation = self._typed, self.conversation
        when = short_date(typed.get("date", conversation.date))
        if typed.get("start_time"):
            when += f" {typed['start_time']}"
        self.query_one("#plan-heading", Static).update(
            Content.assemble(
                ("Plan  ", "bold $primary"),
                (one_line(typed.get("title") or conversation.title), "bold"),
            )
        )
        # Apart from the title, which gives way to it: a long title never hides the status.
        self.query_one("#plan-when", Static).update(f"  {when} · {conversation.status.value}")

    def _show_when(self) -> None:
        typed = self._typed
        try:
            day = date.fromisoformat(typed["date"]).strftime("%A")
        except (KeyError, ValueError):
            day = ""
        if "date" in self._problems:  # the field holds no date: no weekday beside it
            day = ""
        self.query_one("#when-said", Static).update(Content.styled(f"  {day}", "$text-muted"))

    def _show_budget(self) -> None:
        total = sum(self._typed.get("phase_budget", {}).values())
        said = (f"{plural(total, 'minute')} in all, per phase below" if total
                else "minutes per phase, below (optional): the clocks use them")
        self.query_one("#budget-total", Static).update(Content.styled(said, "$text-muted"))

    def _show_shared(self) -> None:
        shared = self.conversation.questions_shared_at
        if shared:
            day = domain.parse_time(shared).astimezone().date().isoformat()
            said = Content.assemble(
                ("Questions sent to participants ", "$text-muted"),
                (short_date(day), "bold"),
                ("  (F6 to send again)", "$text-muted"),
            )
        else:
            said = Content.styled("Questions not sent to participants yet: F6 sends them.",
                                  "$text-muted")
        self.query_one("#shared-state", Static).update(said)

    # ------------------------------------------------------------------ questions

    def _question(self, question_id: str) -> Question:
        return next(q for q in self._questions if q.id == question_id)

    @on(OptionList.OptionHighlighted, "#plan-questions")
    def _show_question_detail(self) -> None:
        detail = self.query_one("#question-detail", Static)
        question_id = self.query_one(PlanQuestions).question_id
        if question_id is None:
            detail.update(Content.styled(
                "No questions yet. a adds them from a bank; n writes one.", "$text-muted"))
            return
        question = self._question(question_id)
        parts: list[Content | tuple[str, str] | str] = [
            (f"{question.phase.label}  ", f"bold ${PHASE_VARIABLES[question.phase]}"),
            printable(question.text),
        ]
        for prompt in question.prompts:
            parts += ["\n", ("  · ", "$text-muted"), (printable(prompt), "italic $text-muted")]
        warnings = self._warnings.get(question.id, [])
        if warnings:
            parts += ["\n", lint_content(warnings)]
        detail.update(Content.assemble(*parts))

    @on(PlanQuestions.AddFromBank)
    def action_add_from_bank(self) -> None:
        if not self.writable():
            return
        from appreciate_tui.tui.dialogs.bank_picker import BankPickerScreen

        def chosen(questions: list[BankQuestion] | None) -> None:
            if not questions:
                return

            def write() -> list[Question]:
                with self.store.atomic():
                    return [
                        self.store.place_question(self.conversation_id, q.text, q.phase,
                                                  prompts=q.prompts, scale=q.scale)
                        for q in questions
                    ]

            added = self.save(write, what="Adding the questions")
            if added:
                self._load(highlight=added[0].id)
                self.notify(f"Added {plural(len(added), 'question')}, "
                            "each at the end of its phase.", markup=False)

        self.app.push_screen(BankPickerScreen([q.text for q in self._questions]), chosen)

    @on(PlanQuestions.Write)
    def action_write_question(self) -> None:
        if not self.writable():
            return
        from appreciate_tui.tui.dialogs.question_form import QuestionFormScreen

        near = self.query_one(PlanQuestions).question_id
        phase = self._question(near).phase if near else Phase.DISCOVER

        def written(result: tuple[str, Phase] | None) -> None:
            if result is None:
                return
            text, chosen_phase = result
            added = self.save(lambda: self.store.place_question(
                self.conversation_id, text, chosen_phase), what="The question")
            if added is not None:
                self._load(highlight=added.id)

        self.app.push_screen(QuestionFormScreen(title="Write a question", phase=phase), written)

    @on(PlanQuestions.Edit)
    def _edit_question(self, event: PlanQuestions.Edit) -> None:
        if not self.writable():
            return
        from appreciate_tui.tui.dialogs.question_form import QuestionFormScreen

        question = self._question(event.question_id)

        def edited(result: tuple[str, Phase] | None) -> None:
            if result is None:
                return
            text, phase = result
            if self.save(lambda: self.store.update_question(question.id, text=text, phase=phase),
                          what="The change") is not None:
                self._load(highlight=question.id)

        self.app.push_screen(
            QuestionFormScreen(title="Edit the question", text=question.text,
                               phase=question.phase),
            edited,
        )

    @on(PlanQuestions.ChangePhase)
    def _change_phase(self, event: PlanQuestions.ChangePhase) -> None:
        if not self.writable():
            return
        from appreciate_tui.tui.dialogs.choose_phase import ChoosePhaseScreen

        question = self._question(event.question_id)

        def chosen(phase: Phase | None) -> None:
            if phase is not None and self.save(
                lambda: self.store.update_question(question.id, phase=phase), what="The change"
            ) is not None:
                self._load(highlight=question.id)

        self.app.push_screen(ChoosePhaseScreen(question.text, question.phase), chosen)

    @on(PlanQuestions.Move)
    def _move_question(self, event: PlanQuestions.Move) -> None:
        if not self.writable():
            return
        if self.save(lambda: self.store.move_question(event.question_id, event.step),
                      what="The move") is not None:
            self._load(highlight=event.question_id)

    @on(PlanQuestions.Remove)
    def _remove_question(self, event: PlanQuestions.Remove) -> None:
        if not self.writable():
            return
        from appreciate_tui.tui.dialogs.confirm import ConfirmScreen

        question = self._question(event.question_id)

        def confirmed(remove: bool | None) -> None:
            if remove and self._did(lambda: self.store.delete_question(question.id),
                                    what="The removal"):
                self._load()

        self.app.push_screen(
            ConfirmScreen("Take this question out of the plan?", one_line(question.text, 300),
                          yes="Take out"),
            confirmed,
        )

    # ------------------------------------------------------------------ tabs, sharing, leaving

    def action_share_questions(self) -> None:
        from appreciate_tui.tui.dialogs.share_questions import ShareQuestionsScreen

        self.flush()
        self.app.push_screen(ShareQuestionsScreen(self.conversation_id), lambda _: self._load())

    def action_facilitate(self) -> None:
        self.flush()
        status = self.store.get_conversation(self.conversation_id).status
        if status is ConversationStatus.CLOSED:
            self.notify("This conversation is closed: its record is in review.", markup=False)
            return
        if status is ConversationStatus.LIVE:
            self.app.open_conversation(self.conversation_id)
            return
        from appreciate_tui.tui.dialogs.confirm import ConfirmScreen

        def confirmed(start: bool | None) -> None:
            if start:
                self.app.open_conversation(self.conversation_id)

        self.app.push_screen(
            ConfirmScreen("Start facilitating?",
                          "The conversation is marked live and its clock starts. The plan can "
                          "still be changed afterwards.", yes="Start"),
            confirmed,
        )

    def action_back(self) -> None:
        self.flush()
        self.app.pop_screen()
