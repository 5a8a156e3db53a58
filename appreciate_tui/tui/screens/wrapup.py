"""The wrap-up: closing a conversation properly, after the meeting or days later.

Five tabs. Actions (F3): every `!` note becomes a draft action, to be given an owner and a date;
actions not tied to a note can be added. Escalations (F4): every flagged note, open ones first,
until it is recorded who it was passed to and when. Feedback (F5, wrapup_feedback.py): each
participant's or agency's view of the activity. Learning (F6): the key learning, in the
facilitator's words (saved as it is typed, like a note), and the strengths to celebrate.
Follow-ups (F7): the unplanned questions worth keeping, added to the facilitator's own bank for
later conversations, and what was parked to come back to and never was ("raised, not yet
discussed").

Widgets post messages; this screen calls the store and redraws what changed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import (
    DataTable,
    SelectionList,
    Static,
    TabbedContent,
    TabPane,
    TextArea,
)
from textual.widgets.selection_list import Selection

from appreciate_tui import paths
from appreciate_tui.domain import (
    Action,
    ActionStatus,
    Feedback,
    Note,
    Participant,
    Question,
    Stance,
)
from appreciate_tui.reports.learning import RAISED
from appreciate_tui.text import one_line, printable
from appreciate_tui.tui.screens.wrapup_feedback import FeedbackTab
from appreciate_tui.tui.palette.wrapup import WrapUpCommands
from appreciate_tui.tui.themes import STANCE_VARIABLES
from appreciate_tui.tui.widgets.actions_table import ActionsTable, next_status
from appreciate_tui.tui.widgets.escalation_list import EscalationList
from appreciate_tui.tui.widgets.feedback_table import FeedbackTable
from appreciate_tui.tui.widgets.keep_list import KeepList
from appreciate_tui.tui.widgets.key_footer import KeyFooter
from appreciate_tui.tui.widgets.save_status import SaveStatus
from appreciate_tui.tui.widgets.text_box import TextBox
from appreciate_tui.wording import attribution, clock, plural, short_date

if TYPE_CHECKING:
    from appreciate_tui.domain import Phase
    from appreciate_tui.tui.dialogs.action_form import ActionDetails

T = TypeVar("T")

ACTIONS, ESCALATIONS, FEEDBACK, LEARNING, FOLLOW_UPS = (
    "actions-tab", "escalations-tab", "feedback-tab", "learning-tab", "follow-ups-tab"
)
TAB_LABELS = {
    ACTIONS: "Actions F3",
    ESCALATIONS: "Escalations F4",
    FEEDBACK: "Feedback F5",
    LEARNING: "Learning F6",
    FOLLOW_UPS: "Follow-ups F7",
}


class WrapUpScreen(FeedbackTab):
    HELP: ClassVar[str] = "wrapup.md"
    """The help F1 opens at (tui/help/)."""
    CSS_PATH = Path(__file__).parent / "wrapup.tcss"
    COMMANDS: ClassVar = {WrapUpCommands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]
    AUTO_FOCUS = None
    """Each tab says what takes the keys first (`action_show_tab`)."""
    BINDINGS: ClassVar[list[BindingType]] = [
        # The tab keys are named on the tabs, which leaves the footer room for what they hold.
        # They come first even in the key learning: Textual's TextArea takes F6 and F7.
        Binding("f3", "show_tab('actions-tab')", "Actions", show=False, priority=True,
                id="wrapup.actions", tooltip="What will happen, who owns it, by when"),
        Binding("f4", "show_tab('escalations-tab')", "Escalations", show=False, priority=True,
                id="wrapup.escalations", tooltip="Flagged notes, until each is handled"),
        Binding("f5", "show_tab('feedback-tab')", "Feedback", show=False, priority=True,
                id="wrapup.feedback", tooltip="Participants' feedback on the activity"),
        Binding("f6", "show_tab('learning-tab')", "Learning", show=False, priority=True,
                id="wrapup.learning", tooltip="The key learning and the successes to celebrate"),
        Binding("f7", "show_tab('follow-ups-tab')", "Follow-ups", show=False, priority=True,
                id="wrapup.follow_ups", tooltip="Keep good follow-ups in your own bank"),
        Binding("escape", "back", "Back", id="wrapup.back", tooltip="Back to the conversations"),
        Binding("x", "export", "Export", id="wrapup.export",
                tooltip="Export the conversation to a file, and record the share"),
    ]

    FIRST_FOCUS: ClassVar[dict[str, str]] = {
        ACTIONS: "#actions",
        ESCALATIONS: "#escalation-list",
        FEEDBACK: "#feedback",
        LEARNING: "#key-learning",
        FOLLOW_UPS: "#keep-list",
    }

    def __init__(self, conversation_id: str, *, tab: str = ACTIONS) -> None:
        super().__init__(conversation_id, tab=tab)
        self._people: dict[str, Participant] = {}
        self._questions: dict[str, Question] = {}
        self._notes: dict[str, Note] = {}
        self._actions: list[Action] = []
        self._feedback: list[Feedback] = []
        self._learning = ""
        """The key learning as last typed (or loaded): only a change of it is saved."""

    # ------------------------------------------------------------------ building and loading

    def compose(self) -> ComposeResult:
        self._conversation = self.store.get_conversation(self.conversation_id)
        self._learning = printable(self._conversation.key_learning)
        with Horizontal(id="wrapup-header"):
            yield Static(id="wrapup-heading")
            yield Static(id="wrapup-when")
            yield SaveStatus(id="save-status")
        with TabbedContent(initial=self._first_tab, id="wrapup-tabs"):
            with TabPane(TAB_LABELS[ACTIONS], id=ACTIONS):
                yield ActionsTable(id="actions")
                yield Static(id="action-detail")
            with TabPane(TAB_LABELS[ESCALATIONS], id=ESCALATIONS):
                yield Static(id="escalations-said")
                yield EscalationList(id="escalation-list")
            with TabPane(TAB_LABELS[FEEDBACK], id=FEEDBACK):
                yield FeedbackTable(id="feedback")
                yield Static(id="feedback-summary")
            with TabPane(TAB_LABELS[LEARNING], id=LEARNING):
                with Vertical(id="learning-text"):
                    yield Static(Content.assemble(
                        ("Key learning  ", "bold"),
                        ("what this conversation taught the partnership, in your words; "
                         "a blank line starts a new paragraph of the report",
                         "$text-muted")), classes="section-label")
                    yield TextBox(self._learning, id="key-learning", soft_wrap=True,
                                  placeholder="What worked, what we learned, what changes now…")
                with Vertical(id="successes-column"):
                    yield Static(Content.assemble(
                        ("Successes to celebrate  ", "bold"),
                        ("tick strengths to highlight (Space)", "$text-muted")),
                        classes="section-label")
                    yield SelectionList[str](id="successes")
            with TabPane(TAB_LABELS[FOLLOW_UPS], id=FOLLOW_UPS):
                yield Static(Content.styled(
                    "Follow-ups marked worth keeping (◆) can join your own bank, “My questions”, "
                    "to plan later conversations with. Enter adds the highlighted one; k marks "
                    "one worth keeping.", "$text-muted"), id="keep-said")
                yield KeepList(id="keep-list")
                yield Static(id="raised")
        yield KeyFooter()

    def on_mount(self) -> None:
        self._start_autosave()
        if self.store.read_only:
            self.query_one("#key-learning", TextArea).read_only = True
        else:
            drafted = self.save(lambda: self.store.draft_actions_from_notes(self.conversation_id),
                                 what="Drafting actions from the ! notes")
            if drafted:
                count = len(drafted)
                self.notify(f"{plural(count, 'action')} drafted from the ! notes: "
                            "give each an owner and a due date.", markup=False, timeout=8)
        self._load()
        self.action_show_tab(self._first_tab)
        self._say_backup_problem()

    def _say_backup_problem(self) -> None:
        """The backup kept when a conversation ends failed (a full disk, a folder that cannot be
        written): the ending stands, but the facilitator must know there is no copy of it."""
        problem = self.store.last_backup_problem
        if problem:
            self.notify(f"The conversation is saved in the database, but the backup kept when it "
                        f"ends could not be made: {one_line(problem)}. The next ending tries "
                        "again; to keep a copy now, run  appreciate backup FOLDER/  in a terminal.",
                        title="No backup was made", severity="error", timeout=30, markup=False)

    def _load(self) -> None:
        store, cid = self.store, self.conversation_id
        self._conversation = store.get_conversation(cid)
        self._people = {p.id: p for p in store.list_participants(cid)}
        self._questions = {q.id: q for q in store.list_questions(cid)}
        self._notes = {n.id: n for n in store.list_notes(cid)}
        self._actions = store.list_actions(cid)
        self._feedback = store.list_feedback(cid)
        self._show_heading()
        self._show_actions()
        self._show_escalations()
        self._show_feedback()
        self._show_successes()
        self._show_follow_ups()
        self._show_raised()

    # ------------------------------------------------------------------ saving

    def save(
        self, write: Callable[[], T], *, what: str = "That change", failed: str | None = None
    ) -> T | None:
        """As for every screen of a conversation, and read-only says so before anything is tried
        (the wrap-up's writes all go through here)."""
        if not self.writable():
            return None
        return super().save(write, what=what, failed=failed)

    # ------------------------------------------------------------------ heading and words

    def _show_heading(self) -> None:
        conversation = self.conversation
        self.query_one("#wrapup-heading", Static).update(Content.assemble(
            ("Wrap up  ", "bold $primary"),
            (one_line(conversation.title), "bold"),
        ))
        # Apart from the title, which gives way to it: a long title never hides the status.
        self.query_one("#wrapup-when", Static).update(
            f"  {short_date(conversation.date)} · {conversation.status.value}")

    def _who(self, note: Note) -> str:
        return attribution(note, self._people)

    def _owners(self) -> list[str]:
        """Who can own an action: the agencies in the room, then the people by pseudonym."""
        agencies = [p.agency for p in self._people.values()]
        agencies += [n.agency for n in self._notes.values() if n.agency]
        people = [p.pseudonym for p in self._people.values()]
        return list(dict.fromkeys([*agencies, *self.store.agencies(),
                                   *self.app.settings.agencies, *people]))

    def _numbers(self) -> dict[str, str]:
        """Prepared questions are 1, 2, …; a follow-up is its question's number and ↳."""
        numbers: dict[str, str] = {}
        count = 0
        for question in self._questions.values():
            if question.parent_id is None:
                count += 1
                numbers[question.id] = str(count)
            else:
                numbers[question.id] = numbers.get(question.parent_id, "").rstrip("↳") + "↳"
        return numbers

    def _set_tab_label(self, tab: str, extra: str) -> None:
        """Show on a tab what still waits there (80 columns leave room for two such marks)."""
        label = TAB_LABELS[tab] + (f" {extra}" if extra else "")
        self.query_one(TabbedContent).get_tab(tab).label = Content(label)

    # ------------------------------------------------------------------ actions

    def _show_actions(self) -> None:
        self.query_one(ActionsTable).show(self._actions)
        self._show_action_detail()

    def _action(self, action_id: str) -> Action:
        return next(a for a in self._actions if a.id == action_id)

    @on(DataTable.RowHighlighted, "#actions")
    def _show_action_detail(self) -> None:
        detail = self.query_one("#action-detail", Static)
        action_id = self.query_one(ActionsTable).highlighted_id
        if action_id is None:
            detail.update(Content.styled(
                "No actions yet. ! notes become actions here; n adds one not tied to a note.",
                "$text-muted"))
            return
        action = self._action(action_id)
        parts: list[Content | tuple[str, str] | str] = [printable(action.description)]
        missing = [what for what, there in (("an owner", action.owner), ("a due date", action.due))
                   if not there]
        if missing and action.status is not ActionStatus.DROPPED:
            parts += ["\n", (f"Needs {' and '.join(missing)}: e to set.", "$warning")]
        note = self._notes.get(action.note_id or "")
        if note is not None:
            question = self._questions.get(note.question_id)
            where = f" under “{one_line(question.text, 60)}”" if question else ""
            who = self._who(note)
            parts += ["\n", (f"From the ! note at {clock(note.created_at)}"
                             f"{f' by {one_line(who)}' if who else ''}{where}", "$text-muted")]
        detail.update(Content.assemble(*parts))

    def _source(self, action: Action) -> str:
        note = self._notes.get(action.note_id or "")
        return note.body if note is not None else ""

    @on(ActionsTable.New)
    def action_new_action(self) -> None:
        from appreciate_tui.tui.dialogs.action_form import ActionFormScreen

        def made(details: ActionDetails | None) -> None:
            if details is None:
                return
            action = self.save(lambda: self.store.add_action(
                self.conversation_id, details.description, owner=details.owner,
                due=details.due, status=details.status), what="The action")
            if action is not None:
                self._load()
                self.query_one(ActionsTable).highlight(action.id)

        self.app.push_screen(ActionFormScreen(self._owners()), made)

    @on(ActionsTable.Edit)
    def _edit_action(self, event: ActionsTable.Edit) -> None:
        from appreciate_tui.tui.dialogs.action_form import ActionFormScreen

        action = self._action(event.action_id)

        def edited(details: ActionDetails | None) -> None:
            if details is not None and self.save(lambda: self.store.update_action(
                action.id, description=details.description, owner=details.owner,
                due=details.due, status=details.status), what="The change") is not None:
                self._load()

        self.app.push_screen(
            ActionFormScreen(self._owners(), action, source=self._source(action)), edited
        )

    @on(ActionsTable.NextStatus)
    def _next_status(self, event: ActionsTable.NextStatus) -> None:
        action = self._action(event.action_id)
        if self.save(lambda: self.store.update_action(action.id,
                                                       status=next_status(action.status))):
            self._load()

    @on(ActionsTable.Remove)
    def _remove_action(self, event: ActionsTable.Remove) -> None:
        action = self._action(event.action_id)
        if action.note_id is not None:
            if self.save(lambda: self.store.update_action(action.id, status=ActionStatus.DROPPED)):
                self._load()
                self.notify("Dropped: it came from a ! note, so it stays listed as dropped "
                            "(s changes its status back).", markup=False)
            return
        from appreciate_tui.tui.dialogs.confirm import ConfirmScreen

        def confirmed(remove: bool | None) -> None:
            if remove and self._did(lambda: self.store.delete_action(action.id),
                                    what="The removal"):
                self._load()

        self.app.push_screen(ConfirmScreen("Remove this action?", one_line(action.description, 300),
                                           yes="Remove"), confirmed)

    # ------------------------------------------------------------------ escalations

    def _show_escalations(self) -> None:
        flagged = [n for n in self._notes.values() if n.escalate]
        still_open = sum(1 for n in flagged if n.open_escalation)
        self.query_one(EscalationList).show(flagged, {n.id: self._who(n) for n in flagged})
        if not flagged:
            said = Content.styled("No note was flagged as an escalation.", "$text-muted")
        elif still_open:
            said = Content.assemble(
                (f"{plural(still_open, 'escalation')} not yet handled. ",
                 "bold $error"),
                ("Each must be acted on outside the audit: Enter records who it was passed to, "
                 "and when.", "$text"))
        else:
            said = Content.styled("Every escalation is recorded as handled.", "$success")
        self.query_one("#escalations-said", Static).update(said)
        self._set_tab_label(ESCALATIONS, f"⚑{still_open}" if still_open else "")

    @on(EscalationList.Handle)
    def _handle(self, event: EscalationList.Handle) -> None:
        from appreciate_tui.tui.dialogs.record_handling import RecordHandlingScreen

        note = self._notes[event.note_id]

        def recorded(result: tuple[str, str] | None) -> None:
            if result is None:
                return
            passed_to, at = result
            if self.save(lambda: self.store.handle_escalation(note.id, passed_to, at),
                          what="Recording it") is not None:
                self._load()

        self.app.push_screen(RecordHandlingScreen(note), recorded)

    # ------------------------------------------------------------------ learning and successes

    @on(TextArea.Changed, "#key-learning")
    def _learning_typed(self, event: TextArea.Changed) -> None:
        text = event.text_area.text
        if text != self._learning:
            self._learning = text
            self.autosave.changed("key_learning", text)

    def _show_successes(self) -> None:
        strengths = [n for n in self._notes.values() if n.stance is Stance.STRENGTH]
        successes = self.query_one("#successes", SelectionList)
        keep = successes.highlighted
        successes.clear_options()
        successes.add_options([self._success(note) for note in strengths])
        if strengths:
            successes.highlighted = min(keep or 0, len(strengths) - 1)

    def _success(self, note: Note) -> Selection[str]:
        who = self._who(note)
        return Selection(
            Content.assemble(
                (f"{note.stance.symbol} ", f"bold ${STANCE_VARIABLES[note.stance]}"),
                printable(note.body, keep_newlines=False),
                (f" — {one_line(who)}" if who else "", "italic $text-muted"),
            ),
            note.id,
            note.starred,
        )

    @on(SelectionList.SelectionToggled, "#successes")
    def _celebrate(self, event: SelectionList.SelectionToggled[str]) -> None:
        note_id = event.selection.value
        ticked = note_id in event.selection_list.selected
        changed = self.save(lambda: self.store.update_note(note_id, starred=ticked),
                             what="The highlight")
        if changed is None:
            self._show_successes()  # the tick goes back to what is saved
        else:
            self._notes[note_id] = changed

    # ------------------------------------------------------------------ follow-ups to keep

    def _banked(self) -> set[str]:
        """The texts (casefolded) already in the facilitator's own bank."""
        from appreciate_tui.banks.loader import USER_BANK_ID, BankError, load_bank

        path = paths.user_banks_dir() / f"{USER_BANK_ID}.toml"
        if not path.exists():
            return set()
        try:
            return {q.text.casefold() for q in load_bank(path, user=True).questions}
        except BankError:
            return set()

    def _show_raised(self) -> None:
        """What was parked to come back to and never was: a follow-up for another day."""
        waiting = [n for n in self._notes.values() if n.waiting and not n.escalate]
        raised = self.query_one("#raised", Static)
        raised.display = bool(waiting)
        lines: list[Content | tuple[str, str] | str] = [
            (RAISED, "bold"), ("  parked during the conversation, never picked up", "$text-muted")
        ]
        for note in waiting:
            who = self._who(note)
            lines += ["\n", ("? ", "bold $accent"), printable(note.body, keep_newlines=False),
                      (f" — {one_line(who)}" if who else "", "italic $text-muted")]
        raised.update(Content.assemble(*lines))

    def _show_follow_ups(self) -> None:
        follow_ups = [q for q in self._questions.values() if q.is_follow_up]
        self.query_one(KeepList).show(follow_ups, self._banked())
        kept = sum(1 for q in follow_ups if q.worth_keeping)
        self._set_tab_label(FOLLOW_UPS, f"◆{kept}" if kept else "")
        if not follow_ups:
            self.query_one("#keep-said", Static).update(Content.styled(
                "No follow-ups were asked in this conversation.", "$text-muted"))

    @on(KeepList.Keep)
    def _toggle_keep(self, event: KeepList.Keep) -> None:
        question = self._questions[event.question_id]
        if self.save(lambda: self.store.set_worth_keeping(question.id,
                                                           not question.worth_keeping)):
            self._load()

    @on(KeepList.Bank)
    def _to_bank(self, event: KeepList.Bank) -> None:
        from appreciate_tui.tui.dialogs.choose_phase import ChoosePhaseScreen

        question = self._questions[event.question_id]

        def chosen(phase: Phase | None) -> None:
            if phase is not None:
                self._add_to_bank(question, phase)

        self.app.push_screen(ChoosePhaseScreen(question.text, question.phase,
                                               title="Keep it in “My questions”: which phase?"),
                             chosen)

    def _add_to_bank(self, question: Question, phase: Phase) -> None:
        from appreciate_tui.banks.loader import USER_BANK_TITLE, BankError, add_to_user_bank

        try:
            bank = add_to_user_bank(question.text, phase)
        except (BankError, OSError) as error:
            self.notify(f"It could not be added: {one_line(str(error))}", title="Not added",
                        severity="error", timeout=12, markup=False)
            return
        if not question.worth_keeping:
            self.save(lambda: self.store.set_worth_keeping(question.id, True))
        self._load()
        self.notify(f"In {USER_BANK_TITLE} ({plural(len(bank.questions), 'question')}), ready for "
                    f"the next plan: {printable(str(bank.path))}", markup=False, timeout=8)

    # ------------------------------------------------------------------ tabs and leaving

    def action_export(self) -> None:
        """The export dialog, over what was typed last saved first (the learning goes out)."""
        self.flush()
        if not self.writable():
            return
        from appreciate_tui.tui.dialogs.export import ExportScreen, Exported, said_when_exported

        def exported(done: Exported | None) -> None:
            if done is not None:
                self.notify(said_when_exported(done), title="Exported", timeout=10, markup=False)

        self.app.push_screen(ExportScreen(self.conversation_id), exported)

    def action_back(self) -> None:
        self.flush()
        self.app.pop_screen()

