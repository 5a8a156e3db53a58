"""The facilitation screen: what the facilitator looks at for an hour while listening.

Prepared questions on the left, the current question's notes in the centre, follow the flow on the
right, the clocks and the save indicator on top, open escalations right under them. Below 100
columns the three panes become tabs, and focusing anything shows its tab.

Data flows one way: widgets post messages; this screen calls the store and tells the widgets what
changed. Every write goes through `save` (screens/base.py), so a failure is reported the same
way everywhere and a success is what lets the indicator say "saved".

This module builds the screen and keeps the note line (typing, drafts, Enter saving a note); the
rest comes from its parts: facilitate_questions.py, facilitate_notes.py and facilitate_room.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.events import DescendantFocus, ScreenSuspend
from textual.widgets import Input, Static

from appreciate_tui import domain
from appreciate_tui.domain import Pause
from appreciate_tui.tui.state.live import LiveConversation
from appreciate_tui.store.notes import TypedNote
from appreciate_tui.text import one_line
from appreciate_tui.tui.screens.facilitate_notes import NoteCommands
from appreciate_tui.tui.screens.facilitate_parts import FLOW, NOTE
from appreciate_tui.tui.screens.facilitate_questions import QuestionSteps
from appreciate_tui.tui.screens.facilitate_room import TheRoom
from appreciate_tui.tui.state import collecting
from appreciate_tui.tui.state.autosave import AfterFrame, DraftAutosave, SaveReport, SaveState
from appreciate_tui.tui.dialogs.end_conversation import EndConversationScreen
from appreciate_tui.tui.palette.facilitate import FacilitateCommands
from appreciate_tui.tui.widgets.balance_meter import BalanceMeter
from appreciate_tui.tui.widgets.escalations import EscalationStrip
from appreciate_tui.tui.widgets.flow_panel import FlowPanel
from appreciate_tui.tui.widgets.key_footer import KeyFooter
from appreciate_tui.tui.widgets.notes_pane import NotesPane
from appreciate_tui.tui.widgets.pane_tabs import PaneTabs
from appreciate_tui.tui.widgets.question_list import QuestionList
from appreciate_tui.tui.widgets.timers import HeaderStrip
from appreciate_tui.tui.widgets.voices import Voices

QUESTION_KEYS = Binding.Group("Question", compact=True)
ESCALATION_KEYS = Binding.Group("Escalation", compact=True)


class FacilitateScreen(NoteCommands, QuestionSteps, TheRoom):
    HELP: ClassVar[str] = "facilitate.md"
    """The help F1 opens at (tui/help/)."""
    CSS_PATH = Path(__file__).parent / "facilitate.tcss"
    COMMANDS: ClassVar = {FacilitateCommands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide"), (150, "-roomy")]
    # Below 16 rows every row goes to the question and the note line.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (16, "-tall")]
    AUTO_FOCUS = "#note-input"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "f5,ctrl+up",
            "previous_question",
            "Previous question",
            group=QUESTION_KEYS,
            tooltip="Go back to the previous prepared question",
            id="facilitate.previous",
        ),
        Binding(
            "f6,ctrl+down",
            "next_question",
            "Next question",
            group=QUESTION_KEYS,
            tooltip="Ask the next prepared question",
            id="facilitate.next",
        ),
        Binding(
            "f3,ctrl+f",
            "follow_the_flow",
            "Follow-up",
            tooltip="Type an unplanned question: it becomes the current one",
            id="facilitate.follow",
        ),
        Binding(
            "f8",
            "escalate",
            "Escalate",
            group=ESCALATION_KEYS,
            tooltip="Flag the highlighted note as an immediate safeguarding concern",
            id="facilitate.escalate",
        ),
        Binding(
            "f9",
            "handle_escalation",
            "Handled",
            group=ESCALATION_KEYS,
            tooltip="Record that an escalation was passed on",
            id="facilitate.handled",
        ),
        # Control keys, so they work while a note is being typed; no terminal or tmux takes them.
        Binding(
            "ctrl+r",
            "round_the_room",
            "Round",
            tooltip="Invite the next agency here that has not spoken on this question",
            id="facilitate.round",
        ),
        Binding(
            "ctrl+t",
            "pause",
            "Pause",
            tooltip="Stop the clocks for a break (again to carry on); notes can still be written",
            id="facilitate.pause",
        ),
        # The pane keys are named on the panes' titles and tabs, which leaves the footer room for
        # what changes the record.
        Binding(
            "f7",
            "focus_questions",
            "Questions",
            tooltip="Move through the questions",
            show=False,
            id="facilitate.questions",
        ),
        Binding(
            "f4",
            "focus_voices",
            "Who's here",
            tooltip="Mark who is here",
            show=False,
            id="facilitate.voices",
        ),
        Binding(
            "escape",
            "write_note",
            "Note",
            tooltip="Back to writing notes",
            show=False,
            id="facilitate.note",
        ),
        Binding(
            "f10", "end_conversation", "End", tooltip="End the conversation", id="facilitate.end"
        ),
        Binding(
            "ctrl+l",
            "back_to_list",
            "List",
            tooltip="Back to the conversations, leaving this one live (Enter on it comes back)",
            id="facilitate.list",
        ),
    ]

    def __init__(self, conversation_id: str) -> None:
        collecting.hold()  # until the conversation is on screen (see on_mount)
        super().__init__()
        self.conversation_id = conversation_id
        self.header_strip = HeaderStrip(id="header-strip")
        self.escalations = EscalationStrip(handle_key="F9", id="escalations")
        self.questions = QuestionList(id="question-list")
        self.notes_pane = NotesPane(id="notes-pane")
        self.flow = FlowPanel(id="flow-panel")
        self.balance = BalanceMeter(id="balance")
        self.voices = Voices(id="voices")
        self.pane_tabs = PaneTabs(
            [
                ("questions-pane", "Questions F7"),
                ("notes-column", "Notes Esc"),
                ("flow-pane", "Follow-up F3 · Who's here F4"),
            ],
            active="notes-column",
            id="pane-tabs",
        )
        self._live: LiveConversation | None = None
        self._current: str | None = None
        self._question_since = domain.now()
        self._pauses: tuple[Pause, ...] = ()
        """The conversation's pauses, oldest first; the last may be running."""
        self._going_round = False
        """Round the room has been started on this question (ctrl+r)."""
        self._inviting: str | None = None
        """Round the room: the agency invited to speak next on this question, if any."""
        self._autosave: DraftAutosave | None = None
        self._report_due: SaveReport | None = None
        """A save report not drawn yet (see `_show_report`)."""

    # ------------------------------------------------------------------ building and loading

    def compose(self) -> ComposeResult:
        yield self.header_strip
        yield self.escalations
        yield self.pane_tabs
        with Horizontal(id="panes"):
            with Vertical(id="questions-pane", classes="pane"):
                yield Static("Questions  F7", classes="pane-title")
                yield self.questions
            with Vertical(id="notes-column", classes="pane -shown"):
                yield self.notes_pane
            with Vertical(id="flow-pane", classes="pane"):
                yield self.flow
                yield self.balance
                yield self.voices
        yield KeyFooter()

    def on_mount(self) -> None:
        store = self.store
        self._autosave = DraftAutosave(
            store,
            self.conversation_id,
            schedule=lambda delay, callback: AfterFrame(self, delay, callback),
            on_report=self._show_report,
            # The drafts are written on the store's drafts thread; their word comes back to this
            # screen as a message (Textual's `call_later` may be called from any thread).
            deliver=self.call_later,
        )
        if store.read_only:
            self.notes_pane.input.disabled = self.flow.input.disabled = True
        else:
            self.save(lambda: store.start_conversation(self.conversation_id))
        self._show_report(self._autosave.report)
        self._load()
        self.call_after_refresh(collecting.resume)

    def _load(self) -> None:
        store, cid = self.store, self.conversation_id
        live = self._live = LiveConversation.of(
            store.get_conversation(cid),
            store.list_questions(cid),
            store.list_notes(cid),
            store.list_participants(cid),
            store.agencies(),
        )
        self.header_strip.show_topic(live.conversation.topic or live.conversation.title)
        self.notes_pane.set_people(live.participants, live.agencies)
        self.notes_pane.input.value = self.autosave.load(NOTE)
        self.flow.input.value = self.autosave.load(FLOW)
        self._pauses = tuple(store.list_pauses(cid))
        self._set_clocks(None)
        self._show_questions()
        self._refresh_meters()
        current = live.conversation.current_question_id
        if current in live.questions:
            # Resuming, after a crash say: the clock on this question runs from when it was asked.
            asked_at = live.questions[current].asked_at
            self._question_since = domain.parse_time(asked_at) if asked_at else domain.now()
            self._show_current(current)
        elif live.prepared and live.conversation.opening and not self._any_asked():
            # The opening stays in sight until the facilitator asks the first question (F6).
            self.notes_pane.question.show_opening(live.conversation.opening)
        elif live.prepared:
            self._make_current(live.prepared[0])
        else:
            self.notes_pane.question.show(None)

    # ------------------------------------------------------------------ saving

    def _saved(self) -> None:
        # A write that went through: the indicator may say "saved" (`save`, screens/base.py).
        self.autosave.report_saved()

    def _save_failed(self, reason: str) -> None:
        self.autosave.report_failure(reason)

    def _show_report(self, report: SaveReport) -> None:
        # "typing" comes with the first key after a save: it is drawn just after that key's echo,
        # which it would otherwise hold back (restyling the indicator takes a millisecond or two).
        # Every other report is drawn at once, and whichever came last is what stays.
        self._report_due = report
        if report.state is SaveState.TYPING:
            self.call_after_refresh(self._draw_report)
        else:
            self._draw_report()

    def _draw_report(self) -> None:
        if self._report_due is not None:
            self.header_strip.save_status.show(self._report_due)
            self._report_due = None

    def flush(self) -> None:
        """Save what is typed but not yet saved, now.

        The app calls this on quit, SIGTERM and SIGHUP, when widgets may already be gone: the
        inputs are read from the widget objects this screen holds, never looked up.
        """
        if self._autosave is None:
            return
        self._autosave.record(NOTE, self.notes_pane.input.value)
        self._autosave.record(FLOW, self.flow.input.value)
        self._autosave.flush()

    def on_screen_suspend(self, _: ScreenSuspend) -> None:
        self.flush()

    def on_unmount(self) -> None:
        collecting.resume()  # in case it closed before it was drawn
        self.flush()

    # ------------------------------------------------------------------ the note line

    @on(Input.Changed, "#note-input")
    def _note_typed(self, event: Input.Changed) -> None:
        self.autosave.changed(NOTE, event.value)

    @on(Input.Changed, "#flow-input")
    def _flow_typed(self, event: Input.Changed) -> None:
        self.autosave.changed(FLOW, event.value)

    @on(Input.Submitted, "#note-input")
    def _commit_note(self, event: Input.Submitted) -> None:
        event.stop()
        question_id = self._current
        if question_id is None:
            self.notify(self._no_question_yet(), markup=False)
            return

        def write() -> TypedNote:
            # The store cleans the line (once) before the quick-note grammar reads it.
            return self.store.commit_note(
                self.conversation_id,
                question_id,
                event.value,
                participants=self.live.participants,
                agencies=self.live.agencies,
                draft=NOTE,
            )

        typed = self.save(write, what="The note")
        if typed is None:
            return  # the text stays in the input, and its draft keeps being retried
        parsed, note = typed.read, typed.note
        if note is None:
            if event.value.strip():
                self.notify("Nothing to save yet: type what was said after the mark.", markup=False)
            return
        self.autosave.committed(NOTE)
        self.notes_pane.input.value = ""
        self._note_added(note)
        tags = one_line(" ".join(f"#{tag}" for tag in parsed.unknown_tags), 60)
        if parsed.unscored is not None:
            why = f"{tags} named nobody here" if tags else "no #tag said who gave it"
            self.notify(f"Saved as a note, not a score: {why}.", timeout=6, markup=False)
        elif tags:
            self.notify(
                f"{tags} named nobody here, so it stayed in the note's text.",
                timeout=6,
                markup=False,
            )

    # ------------------------------------------------------------------ focus and panes

    def action_write_note(self) -> None:
        self.notes_pane.input.focus()

    def action_focus_questions(self) -> None:
        self.questions.focus()

    def action_focus_voices(self) -> None:
        if self.live.participants:
            self.voices.people.focus()
        else:
            self.notify(
                "No participants are listed for this conversation; #agency tags still "
                "count each agency's notes.",
                markup=False,
            )

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        # Below 100 columns only one pane shows: the one holding whatever has just been focused.
        if self.has_class("-narrow"):
            pane = next((a for a in event.widget.ancestors_with_self if a.has_class("pane")), None)
            if pane is not None and pane.id:
                self._show_pane(pane.id)

    def _show_pane(self, pane_id: str) -> None:
        if pane_id == self.pane_tabs.active:
            return
        # Only the two panes that change are restyled: a class change restyles all that is inside.
        self.query_one(f"#{self.pane_tabs.active}").remove_class("-shown")
        self.query_one(f"#{pane_id}").add_class("-shown")
        self.pane_tabs.active = pane_id

    def action_show_pane(self, pane_id: str) -> None:
        """A click on a tab: show the pane by focusing what is typed into or chosen from there."""
        {
            "questions-pane": self.questions,
            "notes-column": self.notes_pane.input,
            "flow-pane": self.flow.input,
        }[pane_id].focus()

    # ------------------------------------------------------------------ leaving, and ending

    def action_back_to_list(self) -> None:
        """Back to the conversations, the conversation still live (and its clocks running, unless
        paused): what is typed is saved first, and Enter on it carries on where it was."""
        self.flush()
        title = one_line(self.live.conversation.title, 60)
        self.app.pop_screen()
        self.notify(f"“{title}” is still live: Enter on it carries on.", timeout=5,
                    markup=False)

    def action_end_conversation(self) -> None:
        open_escalations = len(self.live.open_escalations())

        def confirmed(end: bool | None) -> None:
            if not end:
                return
            self.flush()
            if self.save(lambda: self.store.close_conversation(self.conversation_id)) is not None:
                from appreciate_tui.tui.screens.wrapup import WrapUpScreen

                self.app.switch_screen(WrapUpScreen(self.conversation_id))

        self.app.push_screen(EndConversationScreen(open_escalations), confirmed)
