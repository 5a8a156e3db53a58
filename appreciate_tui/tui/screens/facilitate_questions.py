"""The facilitation screen's questions: which one is current (asked now, its notes shown, its
clock running), stepping through the prepared ones, marking them, keeping follow-ups, and follow
the flow, where an unplanned question is typed and becomes the current one.
"""

from __future__ import annotations

from textual import on

from appreciate_tui import domain
from appreciate_tui.domain import Question, QuestionStatus
from appreciate_tui.text import clean_line
from appreciate_tui.tui.screens.facilitate_parts import FLOW, FacilitatePart
from appreciate_tui.tui.widgets.flow_panel import FlowPanel, RecentFollowUps
from appreciate_tui.tui.widgets.question_list import QuestionList


class QuestionSteps(FacilitatePart):
    """Which question is current, and how the facilitator moves between questions."""

    # ------------------------------------------------------------------ the current question

    def _make_current(self, question_id: str) -> None:
        """Ask `question_id` now: it becomes current, is marked asked, and its notes are shown."""
        self.flush()
        question = self.live.questions[question_id]
        if not self.store.read_only:
            asked = self.save(lambda: self._record_current(question))
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
        question = self.save(
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
        kept = self.save(
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

        follow_up = self.save(write, what="The follow-up")
        if follow_up is None:
            return
        self.autosave.committed(FLOW)
        self.flow.input.value = ""
        self.live.replace_questions(self.store.list_questions(self.conversation_id))
        self._show_questions()
        self._make_current(follow_up.id)
        self.notes_pane.input.focus()
