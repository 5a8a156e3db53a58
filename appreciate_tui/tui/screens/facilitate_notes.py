"""The facilitation screen's note commands: a long paste kept whole, and the keys on a note in
the list (edit, stance, who said it, star, escalate, handle, delete, undo, park, ask it as a
follow-up), each saved at once and redrawn where it shows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import on

from appreciate_tui.domain import Note, NoteUndo, Stance
from appreciate_tui.text import one_line
from appreciate_tui.tui.dialogs.attribute_note import AttributeNoteScreen, Attribution
from appreciate_tui.tui.dialogs.edit_note import EditNoteScreen, can_edit_here
from appreciate_tui.tui.dialogs.handle_escalation import HandleEscalationScreen
from appreciate_tui.tui.screens.facilitate_parts import FacilitatePart
from appreciate_tui.tui.widgets.flow_panel import ParkedNotes
from appreciate_tui.tui.widgets.note_input import LINE_LIMIT, NoteInput
from appreciate_tui.tui.widgets.note_list import NoteList


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


class NoteCommands(FacilitatePart):
    """What the keys on a note do, and a paste too long for the note line."""

    @on(NoteInput.LongPaste)
    def _keep_long_paste(self, event: NoteInput.LongPaste) -> None:
        question_id = self._current
        if question_id is None:
            self.notify(self._no_question_yet(), markup=False)
            return
        note = self.save(
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
        note = self.save(lambda: self.store.update_note(note_id, **changes))
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
            note = self.save(lambda: self.store.handle_escalation(note_id, passed_to))
            if note is not None:
                self._note_changed(note)

        self.app.push_screen(HandleEscalationScreen(open_ones), handled)

    @on(NoteList.Delete)
    def _delete(self, event: NoteList.Delete) -> None:
        note = self.save(lambda: self.store.delete_note(event.note_id))
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
        done = self.save(
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
        follow_up = self.save(
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
