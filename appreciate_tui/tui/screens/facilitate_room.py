"""The facilitation screen's room: the clocks and pausing them, who is here, and round the room
(inviting each agency here that has not spoken on the question yet).
"""

from __future__ import annotations

from dataclasses import replace

from textual import on

from appreciate_tui import domain
from appreciate_tui.domain import Question
from appreciate_tui.tui.screens.facilitate_parts import FacilitatePart
from appreciate_tui.tui.widgets.timers import Clocks
from appreciate_tui.tui.widgets.voices import AttendanceList


class TheRoom(FacilitatePart):
    """The clocks, who is here, and round the room."""

    # ------------------------------------------------------------------ clocks and pauses

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
            done = self.save(lambda: self.store.resume_conversation(cid), what="Carrying on")
        else:
            done = self.save(lambda: self.store.pause_conversation(cid), what="The pause")
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

    # ------------------------------------------------------------------ voices

    @on(AttendanceList.Toggled)
    def _toggle_attendance(self, event: AttendanceList.Toggled) -> None:
        person = self.live.participant(event.participant_id)
        changed = self.save(lambda: self.store.set_attended(person.id, not person.attended))
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
