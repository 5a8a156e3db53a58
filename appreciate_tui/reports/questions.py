"""The participant question sheet: what is sent to partners before the conversation.

Participants asked for the questions in advance, so they can think of examples from their own
practice. The sheet has the topic, why we are meeting, the prepared questions by phase and how the
conversation will run. It never has follow-ups, notes or the facilitator's own prompts: those
belong to the conversation, not to the invitation.
"""

from __future__ import annotations

from appreciate_tui.domain import Phase, Question
from appreciate_tui.reports.document import (
    Block,
    BulletList,
    Document,
    Heading,
    NumberedList,
    Quote,
    Section,
    em,
    item,
    paragraph,
    plain,
    sentence,
    strong,
)
from appreciate_tui.reports.learning import redaction_notice
from appreciate_tui.reports.model import Report
from appreciate_tui.wording import duration, joined, long_date

PHASE_PURPOSE = {
    Phase.DEFINE: "what we mean by good",
    Phase.DISCOVER: "what is working well, and why",
    Phase.DREAM: "practice at its best",
    Phase.DESIGN: "what would need to be in place",
    Phase.DELIVER: "what we will do",
}

PURPOSE = (
    "This is an appreciative conversation: we start from what is already working well and build "
    "on it. There is room for concerns too; they are heard, recorded and carried into what we "
    "would like to see and what we will do about it.",
    "The questions are shared in advance so that you can think of examples from your own "
    "practice. You do not need to prepare an answer to every question, and there are no right "
    "answers.",
)
HOW_IT_RUNS = (
    "Other questions may come up as we talk; we will follow them where they help.",
    "Notes are taken during the conversation and attributed by agency, not by name.",
    "If anything said needs acting on straight away to keep a child safe, we will pause so it can "
    "be passed on.",
    "Afterwards you will be asked for brief feedback on the conversation and how useful you "
    "found each question, from 1 to 5.",
)


def question_sheet(report: Report) -> Document:
    conversation = report.conversation
    front: list[Block] = []
    if conversation.topic:
        front.append(paragraph(strong("Topic:"), plain(" " + conversation.topic)))
    where = f" at {conversation.setting}" if conversation.setting else ""
    by = f", facilitated by {conversation.facilitator}" if conversation.facilitator else ""
    held = long_date(conversation.date)
    if conversation.start_time:
        held += f" at {conversation.start_time}"
    front.append(paragraph(em(f"An appreciative conversation{where} on {held}{by}.")))
    if report.redaction is not None:
        front.append(redaction_notice(report.redaction))
    sections = [Section("Why we are meeting", tuple(sentence(text) for text in PURPOSE))]
    questions = _questions(report)
    if questions:
        sections.append(Section("The questions", tuple(questions)))
    sections.append(Section("How the conversation will run", _how_it_will_run(report)))
    return Document(
        title=conversation.title,
        subject=conversation.topic or conversation.title,
        front=tuple(front),
        sections=tuple(sections),
        prepared_at=report.prepared_at,
    )


def _prepared(report: Report) -> list[Question]:
    return [q for q in report.questions if not q.is_follow_up]


def _questions(report: Report) -> list[Block]:
    prepared = _prepared(report)
    blocks: list[Block] = []
    for phase in sorted({q.phase for q in prepared}, key=lambda p: p.order):
        in_phase = [q for q in prepared if q.phase is phase]
        blocks.append(Heading(3, f"{phase.label}: {PHASE_PURPOSE[phase]}"))
        blocks.append(
            NumberedList(
                start=int(report.numbers[in_phase[0].id]),
                items=tuple(item(plain(q.text)) for q in in_phase),
            )
        )
    return blocks


def _how_it_will_run(report: Report) -> tuple[Block, ...]:
    budget = report.conversation.phase_budget
    phases = sorted({q.phase for q in _prepared(report)}, key=lambda p: p.order)
    planned = [(phase, budget[phase.value]) for phase in phases if budget.get(phase.value)]
    points = list(HOW_IT_RUNS)
    if planned:
        total = sum(minutes for _, minutes in planned)
        parts = joined([f"{phase.label} {duration(minutes)}" for phase, minutes in planned])
        points.insert(0, f"It will take about {duration(total)}: {parts}.")
    blocks: list[Block] = [BulletList(tuple(item(plain(point)) for point in points))]
    opening = report.conversation.opening
    if opening:
        blocks += [sentence("From the facilitator:"), Quote((plain(opening),))]
    return tuple(blocks)
