"""The wrap-up's Feedback tab (F5): each participant's or agency's view of the activity, given,
changed or removed, and what it adds up to (who gave it, participants and agencies counted apart;
the average rating; whether the questions sent in advance helped; each question's mean score; the
questions ticked most useful), counted as the learning example counts it (reports/feedback.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.content import Content
from textual.widgets import Static

from appreciate_tui import wording
from appreciate_tui.domain import Feedback, Participant, Question
from appreciate_tui.reports.feedback import question_means, who_gave
from appreciate_tui.text import one_line
from appreciate_tui.tui.screens.conversation_tabs import ConversationTabsScreen
from appreciate_tui.tui.widgets.feedback_table import FeedbackTable

if TYPE_CHECKING:
    from appreciate_tui.tui.dialogs.feedback_form import FeedbackDetails, FeedbackFormScreen


class FeedbackTab(ConversationTabsScreen):
    """Feedback on the activity (WrapUpScreen holds this tab)."""

    _people: dict[str, Participant]
    _questions: dict[str, Question]
    _feedback: list[Feedback]

    if TYPE_CHECKING:
        def _load(self) -> None: ...
        def _numbers(self) -> dict[str, str]: ...

    def _given_by(self, feedback: Feedback) -> str:
        person = self._people.get(feedback.participant_id or "")
        if person is not None:
            return wording.person(person)
        return f"{feedback.agency or 'someone'} (agency)"

    def _show_feedback(self) -> None:
        feedback = self._feedback
        self.query_one(FeedbackTable).show(feedback, {f.id: self._given_by(f) for f in feedback})
        summary = self.query_one("#feedback-summary", Static)
        if not feedback:
            summary.update(Content.styled(
                "No feedback yet. n records a participant's (or an agency's) view of the "
                "activity.", "$text-muted"))
            return
        ratings = [f.rating for f in feedback if f.rating is not None]
        asked = [f.advance_questions_helped for f in feedback
                 if f.advance_questions_helped is not None]
        counts: dict[str, int] = {}
        for item in feedback:
            for question_id in item.useful_question_ids:
                counts[question_id] = counts.get(question_id, 0) + 1
        parts: list[Content | tuple[str, str] | str] = [
            (f"{wording.sentence_case(who_gave(feedback, figures=True))} gave feedback", "bold")]
        if ratings:
            parts.append(f" · average rating {sum(ratings) / len(ratings):.1f} of 5")
        if asked:
            parts.append(f" · questions in advance helped {sum(asked)} of {len(asked)}")
        numbers = self._numbers()
        means = question_means(list(self._questions.values()), feedback)
        for index, scored in enumerate(means):
            # "Mean scores  Q1 4.3 (6) · Q2 3.5 (4)": the mean of 5, and how many scored it.
            lead = "\nMean scores  " if index == 0 else " · "
            parts += [(lead, "$text-muted"), (f"Q{numbers.get(scored.question.id, '?')} ", "bold"),
                      scored.mean, (f" ({scored.scored_by})", "$text-muted")]
        top = sorted(counts.items(), key=lambda item: (-item[1], numbers.get(item[0], "")))[:3]
        for index, (question_id, count) in enumerate(top):
            question = self._questions.get(question_id)
            if question is not None:
                lead = "\nMost useful: " if index == 0 else "\n             "
                parts += [(lead, "$text-muted"), (f"{numbers[question_id]}. ", "bold"),
                          one_line(question.text, 70), (f"  ({count})", "$text-muted")]
        summary.update(Content.assemble(*parts))

    def _feedback_form(self, feedback: Feedback | None = None) -> FeedbackFormScreen:
        from appreciate_tui.tui.dialogs.feedback_form import FeedbackFormScreen

        agencies = list(dict.fromkeys([*(p.agency for p in self._people.values()),
                                       *self.store.agencies(), *self.app.settings.agencies]))
        return FeedbackFormScreen(list(self._people.values()), agencies,
                                  list(self._questions.values()), self._numbers(), feedback)

    def _keep_feedback(self, details: FeedbackDetails | None) -> None:
        if details is None:
            return
        kept = self.save(lambda: self.store.set_feedback(
            self.conversation_id, participant_id=details.participant_id, agency=details.agency,
            rating=details.rating, advance_questions_helped=details.advance_questions_helped,
            useful_question_ids=details.useful_question_ids, comments=details.comments,
            question_scores=details.question_scores,
        ), what="The feedback")
        if kept is not None:
            self._load()
            self.query_one(FeedbackTable).highlight(kept.id)

    @on(FeedbackTable.New)
    def action_new_feedback(self) -> None:
        self.app.push_screen(self._feedback_form(), self._keep_feedback)

    @on(FeedbackTable.Edit)
    def _edit_feedback(self, event: FeedbackTable.Edit) -> None:
        feedback = next(f for f in self._feedback if f.id == event.feedback_id)
        self.app.push_screen(self._feedback_form(feedback), self._keep_feedback)

    @on(FeedbackTable.Remove)
    def _remove_feedback(self, event: FeedbackTable.Remove) -> None:
        from appreciate_tui.tui.dialogs.confirm import ConfirmScreen

        feedback = next(f for f in self._feedback if f.id == event.feedback_id)

        def confirmed(remove: bool | None) -> None:
            if remove and self._did(lambda: self.store.delete_feedback(feedback.id),
                                    what="The removal"):
                self._load()

        self.app.push_screen(ConfirmScreen("Remove this feedback?",
                                           f"The feedback from {self._given_by(feedback)}.",
                                           yes="Remove"), confirmed)
