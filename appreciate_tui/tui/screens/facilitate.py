"""The facilitation screen: what the facilitator looks at for an hour while listening.

Prepared questions on the left, the current question's notes in the centre, follow the flow on the
right, the clocks and the save indicator on top, open escalations right under them. Below 100
columns the three panes become tabs, and focusing anything shows its tab.

Data flows one way: widgets post messages; this screen calls the store and tells the widgets what
changed. Every write goes through `_save`, so a failure is reported the same way everywhere and a
success is what lets the indicator say "saved".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.events import DescendantFocus, ScreenSuspend
from textual.screen import Screen
from textual.widgets import Input, Static

from appreciate_tui import domain
from appreciate_tui.domain import Note, NoteUndo, Pause, Question, QuestionStatus, Stance
from appreciate_tui.tui.state.live import LiveConversation
from appreciate_tui.quicknote import parse_quick_note
from appreciate_tui.store import ReadOnlyError, SaveError
from appreciate_tui.text import clean_line, one_line
from appreciate_tui.tui.state import collecting
from appreciate_tui.tui.state.autosave import AfterFrame, DraftAutosave, SaveReport, SaveState
from appreciate_tui.tui.dialogs.attribute_note import AttributeNoteScreen, Attribution
from appreciate_tui.tui.dialogs.edit_note import EditNoteScreen, can_edit_here
from appreciate_tui.tui.dialogs.end_conversation import EndConversationScreen
from appreciate_tui.tui.palette.facilitate import FacilitateCommands
from appreciate_tui.tui.dialogs.handle_escalation import HandleEscalationScreen
from appreciate_tui.tui.widgets.balance_meter import BalanceMeter
from appreciate_tui.tui.widgets.escalations import EscalationStrip
from appreciate_tui.tui.widgets.flow_panel import FlowPanel, ParkedNotes, RecentFollowUps
from appreciate_tui.tui.widgets.key_footer import KeyFooter
from appreciate_tui.tui.widgets.note_input import LINE_LIMIT, NoteInput
from appreciate_tui.tui.widgets.note_list import NoteList
from appreciate_tui.tui.widgets.notes_pane import NotesPane
from appreciate_tui.tui.widgets.pane_tabs import PaneTabs
from appreciate_tui.tui.widgets.question_list import QuestionList
from appreciate_tui.tui.widgets.timers import Clocks, HeaderStrip
from appreciate_tui.tui.widgets.voices import AttendanceList, Voices

if TYPE_CHECKING:
    from appreciate_tui.store import Store
    from appreciate_tui.tui.app import AppreciateApp

T = TypeVar("T")

NOTE, FLOW = "note", "flow"
"""The draft fields: what is being typed into the note line and into follow the flow."""

QUESTION_KEYS = Binding.Group("Question", compact=True)
ESCALATION_KEYS = Binding.Group("Escalation", compact=True)


def undo_words(undone: NoteUndo, who: Callable[[Note], str]) -> str:
    """What an undo took back, in words: "Undone: stance: “…” is back to working well."."""
    note = undone.note
    said = f"“{one_line(note.body, 60)}”"
    by = who(note)
    words = {
        "body": f"edit: it reads {said} again",
        "stance": f"stance: {said} is back to {note.stance.label}",
        "who": f"who said it: {said} is said by {by or 'nobody'} again",
        "star": f"star: {said} is {'starred' if note.starred else 'not starred'} again",
        "park": f"parking: {said} is {'parked' if note.parked else 'out of the parking lot'} again",
        "delete": f"delete: {said} is back"
        if note.deleted_at is None
        else f"bringing back: {said} is deleted again",
    }
    return "Undone: " + "; ".join(words[kind] for kind in undone.change if kind in words) + "."


class FacilitateScreen(Screen[None]):
    HELP: ClassVar[str] = "facilitate.md"
    """The help F1 opens at (tui/help/)."""
    CSS_PATH = Path(__file__).parent / "facilitate.tcss"
    COMMANDS: ClassVar = {FacilitateCommands}
    HORIZONTAL_BREAKPOINTS: ClassVar = [(0, "-narrow"), (100, "-wide"), (150, "-roomy")]
    # Below 16 rows every row goes to the question and the note line.
    VERTICAL_BREAKPOINTS: ClassVar = [(0, "-short"), (16, "-tall")]
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

    @property
    def store(self) -> Store:
        return cast("AppreciateApp", self.app).store

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
        )
        if store.read_only:
            self.notes_pane.input.disabled = self.flow.input.disabled = True
        else:
            self._save(lambda: store.start_conversation(self.conversation_id))
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

    def _no_question_yet(self) -> str:
        if self.live.prepared:
            return "F6 asks the first question; notes go under it. Your text stays here."
        return "Add a question first: notes go under a question."

    def _any_asked(self) -> bool:
        return any(q.asked_at for q in self.live.questions.values())

    @property
    def live(self) -> LiveConversation:
        assert self._live is not None, "the conversation is loaded when the screen mounts"
        return self._live

    @property
    def autosave(self) -> DraftAutosave:
        assert self._autosave is not None, "the screen saves nothing before it is mounted"
        return self._autosave

    def _show_questions(self) -> None:
        self.questions.show(
            list(self.live.questions.values()),
            numbers=self.live.numbers,
            depths=self.live.depths(),
            current=self._current,
            note_counts=self.live.note_counts(),
        )
        self.flow.show(self.live.follow_ups)

    # ------------------------------------------------------------------ saving

    def _save(self, write: Callable[[], T], *, what: str = "That change") -> T | None:
        """Run one store write; report failure in words, and success to the save indicator."""
        try:
            result = write()
        except ReadOnlyError as error:
            self.notify(one_line(str(error)), title="Read-only", severity="warning", markup=False)
            return None
        except SaveError as error:
            self.autosave.report_failure(str(error))
            self.notify(
                f"{what} was not saved: {one_line(str(error))}",
                title="Not saved",
                severity="error",
                timeout=10,
                markup=False,
            )
            return None
        self.autosave.report_saved()
        return result

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

    # ------------------------------------------------------------------ the current question

    def _make_current(self, question_id: str) -> None:
        """Ask `question_id` now: it becomes current, is marked asked, and its notes are shown."""
        self.flush()
        question = self.live.questions[question_id]
        if not self.store.read_only:
            asked = self._save(lambda: self._record_current(question))
            if asked is None:
                return
            self.live.replace_question(asked)
        if question_id != self._current:
            self._question_since = domain.now()
        self._show_current(question_id)

    def _record_current(self, question: Question) -> Question:
        with self.store.atomic():
            self.store.set_current_question(self.conversation_id, question.id)
            if question.status is not QuestionStatus.ASKED:
                return self.store.set_question_status(question.id, QuestionStatus.ASKED)
        return question

    def _show_current(self, question_id: str) -> None:
        question = self.live.questions[question_id]
        if question_id != self._current and self._going_round:
            self._going_round, self._inviting = False, None  # each question has its own round
            self._show_round()
        self._current = question_id
        self.questions.update_question(question)
        self.questions.set_current(question_id)
        self.notes_pane.question.show(question, self.live.place(question))
        self._show_notes()
        self._set_clocks(question)

    def _show_notes(self) -> None:
        here = self.live.notes_under(self._current)
        self.notes_pane.notes.show(here, {note.id: self.live.who(note) for note in here})

    def _set_clocks(self, question: Question | None) -> None:
        """The clocks for `question` (None before the first one is asked)."""
        conversation = self.live.conversation
        started = conversation.started_at
        clocks = Clocks(
            conversation=domain.parse_time(started) if started else None,
            budget=sum(conversation.phase_budget.values()) or None,
            pauses=self._pauses,
        )
        if question is not None:
            clocks = replace(
                clocks,
                question=self._question_since,
                phase=question.phase,
                phase_since=self.live.phase_started(question.phase) or self._question_since,
                phase_budget=conversation.phase_budget.get(question.phase.value) or None,
            )
        self.header_strip.set_clocks(clocks)

    def action_pause(self) -> None:
        """Stop the clocks for a break, or start them again: the same key both ways."""
        cid = self.conversation_id
        paused = bool(self._pauses) and self._pauses[-1].resumed_at is None
        if paused:
            done = self._save(lambda: self.store.resume_conversation(cid), what="Carrying on")
        else:
            done = self._save(lambda: self.store.pause_conversation(cid), what="The pause")
        if done is None:
            return
        self._pauses = tuple(self.store.list_pauses(cid))
        self.header_strip.set_clocks(replace(self.header_strip.clocks, pauses=self._pauses))
        if paused:
            self.notify("Carrying on: the clocks run again.", timeout=3, markup=False)
        else:
            self.notify(
                "Paused: the clocks stand still until ctrl+t. Notes can still be written.",
                title="Paused",
                timeout=6,
                markup=False,
            )

    def _step(self, step: int) -> None:
        if self._current is None:
            if step > 0 and self.live.prepared:  # from the opening to the first question
                self._make_current(self.live.prepared[0])
            return
        target = self.live.step(self._current, step)
        if target is not None:
            self._make_current(target)
        elif step > 0:
            self.notify(
                "That was the last prepared question. F10 ends the conversation.", markup=False
            )
        else:
            self.notify("This is the first question.", markup=False)

    def action_next_question(self) -> None:
        self._step(+1)

    def action_previous_question(self) -> None:
        self._step(-1)

    @on(QuestionList.Chosen)
    @on(RecentFollowUps.Chosen)
    def _ask_chosen(self, event: QuestionList.Chosen | RecentFollowUps.Chosen) -> None:
        self._make_current(event.question_id)
        self.notes_pane.input.focus()

    @on(QuestionList.StatusChosen)
    def _set_status(self, event: QuestionList.StatusChosen) -> None:
        question = self._save(
            lambda: self.store.set_question_status(event.question_id, event.status)
        )
        if question is not None:
            self.live.replace_question(question)
            self.questions.update_question(question)

    @on(QuestionList.KeepToggled)
    @on(RecentFollowUps.KeepToggled)
    def _keep_chosen(self, event: QuestionList.KeepToggled | RecentFollowUps.KeepToggled) -> None:
        self.toggle_keep(event.question_id)

    def action_keep_follow_up(self) -> None:
        if self._current is not None:
            self.toggle_keep(self._current)

    def toggle_keep(self, question_id: str) -> None:
        """Mark a follow-up worth keeping for a bank, or not any more."""
        question = self.live.questions[question_id]
        if not question.is_follow_up:
            self.notify(
                "Prepared questions come from a bank already; k keeps follow-ups.", markup=False
            )
            return
        kept = self._save(
            lambda: self.store.set_worth_keeping(question.id, not question.worth_keeping)
        )
        if kept is not None:
            self.live.replace_question(kept)
            self.questions.update_question(kept)
            self.flow.show(self.live.follow_ups)

    # ------------------------------------------------------------------ follow the flow

    def action_follow_the_flow(self) -> None:
        self.flow.input.focus()

    def action_parking_lot(self) -> None:
        if self.flow.parked.option_count:
            self.flow.parked.focus()
        else:
            self.notify("Nothing is parked. A note that starts with ? waits there.", markup=False)

    @on(FlowPanel.FollowUpAsked)
    def _ask_follow_up(self, event: FlowPanel.FollowUpAsked) -> None:
        parent = self._current
        if parent is None:
            self.notify("Add a prepared question first.", markup=False)
            return

        def write() -> Question:
            with self.store.atomic():
                follow_up = self.store.add_follow_up(
                    self.conversation_id, parent, clean_line(event.text)
                )
                self.store.save_draft(self.conversation_id, FLOW, "")
                return follow_up

        follow_up = self._save(write, what="The follow-up")
        if follow_up is None:
            return
        self.autosave.committed(FLOW)
        self.flow.input.value = ""
        self.live.replace_questions(self.store.list_questions(self.conversation_id))
        self._show_questions()
        self._make_current(follow_up.id)
        self.notes_pane.input.focus()

    # ------------------------------------------------------------------ notes

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
        parsed = parse_quick_note(
            clean_line(event.value), self.live.participants, self.live.agencies
        )
        if not parsed.body and parsed.score is None:
            if event.value.strip():
                self.notify("Nothing to save yet: type what was said after the mark.", markup=False)
            return

        def write() -> Note:
            with self.store.atomic():
                if parsed.score is not None:
                    note, _ = self.store.record_score(
                        self.conversation_id,
                        question_id,
                        parsed.score,
                        agency=parsed.agency,
                        participant_id=parsed.participant_id,
                        comment=parsed.body,
                    )
                else:
                    note = self.store.add_note(
                        self.conversation_id,
                        question_id,
                        parsed.body,
                        parsed.stance,
                        agency=parsed.agency,
                        participant_id=parsed.participant_id,
                        parked=parsed.parked,
                    )
                self.store.save_draft(self.conversation_id, NOTE, "")
                return note

        note = self._save(write, what="The note")
        if note is None:
            return  # the text stays in the input, and its draft keeps being retried
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

    @on(NoteInput.LongPaste)
    def _keep_long_paste(self, event: NoteInput.LongPaste) -> None:
        question_id = self._current
        if question_id is None:
            self.notify(self._no_question_yet(), markup=False)
            return
        note = self._save(
            lambda: self.store.add_note(self.conversation_id, question_id, event.text, Stance.NOTE),
            what="The pasted text",
        )
        if note is None:
            return
        self._note_added(note)
        self.notify(
            f"That paste was {len(event.text):,} characters, more than a note line holds "
            f"({LINE_LIMIT:,}). It is saved whole as a note of its own; the list shows its start.",
            title="Long paste kept",
            timeout=12,
            markup=False,
        )

    @on(NoteInput.ToNotes)
    def _to_notes(self) -> None:
        self.notes_pane.notes.focus()

    @on(NoteInput.LineFull)
    def _line_full(self) -> None:
        self.notify(
            f"The note line is full ({LINE_LIMIT:,} characters). Press Enter to save it, "
            "then carry on in a new note.",
            severity="warning",
            markup=False,
        )

    def _note_added(self, note: Note) -> None:
        self.live.put_note(note)
        self.notes_pane.notes.add_note(note, self.live.who(note))
        self._recount(note.question_id)
        self._refresh_meters()

    def _note_changed(self, note: Note) -> None:
        self.live.put_note(note)
        self.notes_pane.notes.replace_note(note, self.live.who(note))
        self._refresh_meters()

    def _recount(self, question_id: str) -> None:
        self.questions.set_note_count(question_id, self.live.note_counts()[question_id])

    def _refresh_meters(self) -> None:
        """Everything drawn from all the notes and who is here; after a change, never per key."""
        notes = list(self.live.notes.values())
        self.balance.show(notes)
        self.notes_pane.balance.show(notes)
        self._round_moves_on()
        self.voices.show(self.live.participants, notes, inviting=self._inviting)
        self.escalations.show(self.live.open_escalations())
        self.flow.show_parked(self.live.waiting())

    def _update_note(self, note_id: str, **changes: Any) -> Note | None:
        note = self._save(lambda: self.store.update_note(note_id, **changes))
        if note is not None:
            self._note_changed(note)
        return note

    @on(NoteList.Edit)
    def _edit(self, event: NoteList.Edit) -> None:
        note = self.live.notes[event.note_id]
        if not can_edit_here(note):
            self.notify(
                "This note is too long (or has several lines) to edit on one line. Its "
                "stance, who said it, star and escalation can still be changed.",
                markup=False,
            )
            return

        def edited(text: str | None) -> None:
            if text:
                self._update_note(note.id, body=text)

        self.app.push_screen(EditNoteScreen(note), edited)

    @on(NoteList.Restance)
    def _restance(self, event: NoteList.Restance) -> None:
        self._update_note(event.note_id, stance=event.stance)

    @on(NoteList.Attribute)
    def _attribute(self, event: NoteList.Attribute) -> None:
        note = self.live.notes[event.note_id]

        def chosen(who: Attribution | None) -> None:
            if who is not None:
                self._update_note(note.id, agency=who.agency, participant_id=who.participant_id)

        self.app.push_screen(
            AttributeNoteScreen(note, self.live.participants, self.live.agencies), chosen
        )

    @on(NoteList.ToggleStar)
    def _star(self, event: NoteList.ToggleStar) -> None:
        self._update_note(event.note_id, starred=not self.live.notes[event.note_id].starred)

    @on(NoteList.ToggleEscalation)
    def _toggle_escalation(self, event: NoteList.ToggleEscalation) -> None:
        note = self.live.notes[event.note_id]
        changed = self._update_note(note.id, escalate=not note.escalate)
        if changed is not None and not changed.escalate:
            self.notify("Escalation flag taken off that note. x puts it back.", markup=False)

    def action_escalate(self) -> None:
        note_id = self.notes_pane.notes.note_id
        if note_id is None:
            self.notify("Write the note first, then F8 flags it as an escalation.", markup=False)
            return
        note = self.live.notes[note_id]
        if note.open_escalation:
            self.notify(
                "That note is already an open escalation. F9 marks it handled.", markup=False
            )
            return
        if self._update_note(note_id, escalate=True) is not None:
            self.notify(
                f"Escalated: {one_line(note.body, 80)}",
                title="Escalation",
                severity="warning",
                markup=False,
            )

    def action_handle_escalation(self) -> None:
        open_ones = self.live.open_escalations()
        if not open_ones:
            self.notify("No open escalations.", markup=False)
            return

        def handled(choice: tuple[str, str] | None) -> None:
            if choice is None:
                return
            note_id, passed_to = choice
            note = self._save(lambda: self.store.handle_escalation(note_id, passed_to))
            if note is not None:
                self._note_changed(note)

        self.app.push_screen(HandleEscalationScreen(open_ones), handled)

    @on(NoteList.Delete)
    def _delete(self, event: NoteList.Delete) -> None:
        note = self._save(lambda: self.store.delete_note(event.note_id))
        if note is None:
            return
        self.live.drop_note(note.id)
        self.notes_pane.notes.remove_note(note.id)
        self._recount(note.question_id)
        self._refresh_meters()
        self.notify("Note deleted. ctrl+z (or u) undoes.", markup=False)

    @on(NoteList.Undo)
    def action_undo_note_change(self) -> None:
        """Take back the last change to a note (edit, stance, who said it, star, parking, delete),
        wherever the note is; again, the change before. Each undo is saved as a change."""
        # In a tuple, so that nothing left to undo is told apart from a save that failed.
        done = self._save(
            lambda: (self.store.undo_note_change(self.conversation_id),), what="The undo"
        )
        if done is None:
            return
        (undone,) = done
        if undone is None:
            self.notify("Nothing left to undo in this conversation.", markup=False)
            return
        note = undone.note
        if note.deleted_at is None:
            self.live.put_note(note)
        else:
            self.live.drop_note(note.id)
        self._recount(note.question_id)
        self._refresh_meters()
        where = ""
        if note.question_id == self._current:
            self._show_notes()
            self.notes_pane.notes.highlight(note.id)
        else:
            question = self.live.questions.get(note.question_id)
            where = f" (under {self.live.place(question) if question else 'another question'})"
        self.notify(undo_words(undone, self.live.who) + where, title="Undone", markup=False)

    @on(NoteList.TogglePark)
    def _toggle_park(self, event: NoteList.TogglePark) -> None:
        note = self.live.notes[event.note_id]
        if note.follow_up_id is not None:
            self.notify("That note was asked as a follow-up already.", markup=False)
            return
        self._update_note(note.id, parked=not note.parked)

    @on(NoteList.FollowUp)
    @on(ParkedNotes.Chosen)
    def _note_to_follow_up(self, event: NoteList.FollowUp | ParkedNotes.Chosen) -> None:
        """Come back to a note now: its words become a follow-up of the current question, asked
        at once, and a parked note leaves the parking lot."""
        parent = self._current
        if parent is None:
            self.notify(self._no_question_yet(), markup=False)
            return
        follow_up = self._save(
            lambda: self.store.follow_up_from_note(self.conversation_id, event.note_id, parent),
            what="The follow-up",
        )
        if follow_up is None:
            return
        self.live.put_note(self.store.get_note(event.note_id))
        self.live.replace_questions(self.store.list_questions(self.conversation_id))
        self._show_questions()
        self._refresh_meters()
        self._make_current(follow_up.id)
        self.notes_pane.input.focus()

    # ------------------------------------------------------------------ voices

    @on(AttendanceList.Toggled)
    def _toggle_attendance(self, event: AttendanceList.Toggled) -> None:
        person = self.live.participant(event.participant_id)
        changed = self._save(lambda: self.store.set_attended(person.id, not person.attended))
        if changed is None:
            return
        self.live.replace_participant(changed)
        self.notes_pane.set_people(self.live.participants, self.live.agencies)
        self._refresh_meters()

    # ------------------------------------------------------------------ round the room

    def action_round_the_room(self) -> None:
        """Invite the next agency here that has not spoken on this question, in who's-here order;
        pressed again, the one after, round and round."""
        if self._current is None:
            self.notify(self._no_question_yet(), markup=False)
            return
        if not self.live.agencies_here():
            self.notify(
                "Nobody is marked here yet: F4, then 1–9, marks who is here.", markup=False
            )
            return
        self._going_round = True
        self._inviting = self.live.next_to_invite(self._current, self._inviting)
        self._show_round()

    def _round_moves_on(self) -> None:
        """After a note is saved or changed, or attendance: once the agency invited has spoken
        (or left), invite the next one yet to speak; the count of those still to speak follows."""
        if not self._going_round:
            return
        waiting = self.live.yet_to_speak(self._current)
        if self._inviting not in waiting:
            self._inviting = self.live.next_to_invite(self._current, self._inviting)
        self.notes_pane.round_prompt.show(True, self._inviting, len(waiting))

    def _show_round(self) -> None:
        waiting = len(self.live.yet_to_speak(self._current)) if self._going_round else 0
        self.notes_pane.round_prompt.show(self._going_round, self._inviting, waiting)
        self.voices.show(
            self.live.participants, list(self.live.notes.values()), inviting=self._inviting
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
            if self._save(lambda: self.store.close_conversation(self.conversation_id)) is not None:
                from appreciate_tui.tui.screens.wrapup import WrapUpScreen

                self.app.switch_screen(WrapUpScreen(self.conversation_id))

        self.app.push_screen(EndConversationScreen(open_escalations), confirmed)
