"""What participants and agencies said of the conversation, for the learning example's Successes
section: who gave feedback (participants and agencies counted apart: "three participants and one
agency"), the activity's average rating, whether having the questions in advance helped, how
useful each question was (its mean score from 1 to 5 and how many scored it), the questions ticked
as most useful (feedback given before questions were scored), and what they said.

`who_gave` and `question_means` also make the wrap-up's line under its feedback table, so the
screen and the report count the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from appreciate_tui.domain import Feedback, Question
from appreciate_tui.reports.document import (
    Block,
    BulletList,
    Quote,
    Table,
    em,
    item,
    plain,
    sentence,
)
from appreciate_tui.reports.model import Report
from appreciate_tui.wording import count, joined, number_word, plural, sentence_case

SCALE = "scored from 1 (not useful) to 5 (very useful)"


def who_gave(feedback: Iterable[Feedback], *, figures: bool = False) -> str:
    """'three participants and one agency' ('3 participants and 1 agency' with `figures`): the
    givers of feedback, those who gave it for an agency counted apart from participants, and any
    from neither (kept by an older version) as others. '' for none."""
    participants = agencies = others = 0
    for given in feedback:
        if given.participant_id is not None:
            participants += 1
        elif given.from_agency:
            agencies += 1
        else:
            others += 1
    counted = plural if figures else count
    parts = [
        counted(number, noun, many)
        for number, noun, many in (
            (participants, "participant", None),
            (agencies, "agency", None),
            (others, "other", None),
        )
        if number
    ]
    return joined(parts)


def mean(values: Sequence[int]) -> str:
    """'4.3', or '4' for a whole number: as a document gives an average of scores from 1 to 5."""
    return f"{sum(values) / len(values):.1f}".removesuffix(".0")


@dataclass(frozen=True)
class QuestionMean:
    """How useful a question was found: its mean score and how many scored it."""

    question: Question
    mean: str  # as `mean` writes it
    scored_by: int


def question_means(
    questions: Sequence[Question], feedback: Iterable[Feedback]
) -> list[QuestionMean]:
    """Each question someone scored, in the order given, with its mean score."""
    scores: dict[str, list[int]] = {}
    for given in feedback:
        for question_id, score in given.question_scores.items():
            scores.setdefault(question_id, []).append(score)
    return [
        QuestionMean(question, mean(scores[question.id]), len(scores[question.id]))
        for question in questions
        if scores.get(question.id)
    ]


def feedback_blocks(report: Report) -> list[Block]:
    """The feedback, as the learning example gives it; nothing when there is none."""
    feedback = report.feedback
    if not feedback:
        return []
    summary = f"{sentence_case(who_gave(feedback))} gave feedback on the conversation"
    ratings = [f.rating for f in feedback if f.rating is not None]
    if ratings:
        summary += f", rating it {mean(ratings)} out of 5 on average"
    summary += "."
    helped = [
        f.advance_questions_helped for f in feedback if f.advance_questions_helped is not None
    ]
    if helped:
        summary += (
            f" {sentence_case(number_word(sum(helped)))} of {number_word(len(helped))} said that "
            "having the questions in advance helped, or would have."
        )
    blocks: list[Block] = [sentence(summary), *_question_scores(report), *_most_useful(report)]
    comments = [f for f in feedback if f.comments]
    if comments:
        blocks.append(sentence(f"What {_givers(comments)} said about the conversation:"))
        blocks += [
            Quote((plain(f"“{f.comments}”"),), _feedback_source(report, f)) for f in comments
        ]
    return blocks


def _question_scores(report: Report) -> list[Block]:
    """A small table: each question scored, its mean score and how many scored it."""
    means = question_means(report.questions, report.feedback)
    if not means:
        return []
    rows = tuple(
        (f"{report.numbers[m.question.id]}. {m.question.text}", m.mean, str(m.scored_by))
        for m in means
    )
    return [
        sentence(f"How useful each question was, {SCALE}:"),
        Table(("Question", "Mean score", "Scored by"), rows),
    ]


def _most_useful(report: Report) -> list[Block]:
    """The three questions ticked most often as the most useful, in the order they were asked."""
    order = {q.id: index for index, q in enumerate(report.questions)}
    chosen: dict[str, list[Feedback]] = {}
    for given in report.feedback:
        for question_id in given.useful_question_ids:
            if question_id in order:
                chosen.setdefault(question_id, []).append(given)
    if not chosen:
        return []
    top = sorted(chosen, key=lambda qid: (-len(chosen[qid]), order[qid]))[:3]
    items = tuple(
        item(
            plain(report.questions[order[qid]].text),
            plain(" "),
            em(f"(chosen by {who_gave(chosen[qid])})"),
        )
        for qid in top
    )
    ticked = [given for givers in chosen.values() for given in givers]
    return [sentence(f"The questions {_givers(ticked)} found most useful:"), BulletList(items)]


def _givers(feedback: Sequence[Feedback]) -> str:
    """'participants', or 'participants and agencies' when an agency is among them."""
    if not any(given.from_agency for given in feedback):
        return "participants"
    if all(given.from_agency for given in feedback):
        return "agencies"
    return "participants and agencies"


def _feedback_source(report: Report, feedback: Feedback) -> str:
    participant = report.participant(feedback.participant_id)
    if participant is None:
        return feedback.agency or ""
    return f"{report.person(participant)}, {participant.agency}"
