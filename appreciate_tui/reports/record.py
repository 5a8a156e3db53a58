"""The record of a conversation as a document: what the review screen shows, for copying whole or
a part at a time (into an email, a case-audit form, minutes).

It is the facilitator's record rather than a publication (that is the learning example), but it
leaves the laptop when copied, so it follows the learning example's two rules: people are named by
pseudonym and agency, and the text of a note flagged as an immediate safeguarding concern is
never reproduced, only the fact that one was raised and passed on.
"""

from __future__ import annotations

from appreciate_tui.domain import (
    ActionStatus,
    Note,
    Participant,
    Pause,
    Question,
    QuestionStatus,
)
from appreciate_tui.reports.document import (
    Block,
    BulletList,
    Document,
    Heading,
    Item,
    Section,
    em,
    item,
    paragraph,
    plain,
    sentence,
    strong,
)
from appreciate_tui.reports.learning import ESCALATED, RAISED
from appreciate_tui.reports.model import Report
from appreciate_tui.wording import clock, duration, joined, long_date, minutes_between

ACTION_STATUS = {
    ActionStatus.OPEN: "open",
    ActionStatus.IN_PROGRESS: "in progress",
    ActionStatus.DONE: "done",
    ActionStatus.DROPPED: "dropped",
}


PARTS = {
    "participants": "Participants",
    "questions": "Questions",
    "parked": RAISED,
    "actions": "Actions",
    "feedback": "Feedback",
    "learning": "Key learning",
}
"""The record's sections, by the name the review screen gives them."""


def record(report: Report) -> Document:
    conversation = report.conversation
    return Document(
        title=conversation.title,
        subject=conversation.topic or conversation.title,
        front=tuple(details(report)),
        sections=tuple(
            Section(heading, blocks)
            for part, heading in PARTS.items()
            if (blocks := tuple(section_blocks(report, part)))
        ),
        prepared_at=report.prepared_at,
    )


def section_blocks(report: Report, part: str) -> list[Block]:
    if part == "questions":
        return [block for q in prepared(report) for block in question(report, q)]
    return {
        "participants": participants,
        "parked": parked,
        "actions": actions,
        "feedback": feedback,
        "learning": learning,
    }[part](report)


def prepared(report: Report) -> list[Question]:
    return [q for q in report.questions if not q.is_follow_up]


def details(report: Report) -> list[Block]:
    conversation = report.conversation
    blocks: list[Block] = []
    if conversation.topic:
        blocks.append(paragraph(em(conversation.topic)))
    facts = [long_date(conversation.date), conversation.status.value]
    facts += [fact for fact in (conversation.setting, conversation.facilitator) if fact]
    blocks.append(sentence(" · ".join(facts)))
    times = timing(report)
    if times:
        blocks.append(sentence(times))
    return blocks


def timing(report: Report) -> str:
    conversation = report.conversation
    said = []
    if conversation.started_at:
        said.append(f"Started {clock(conversation.started_at)}")
        if conversation.ended_at:
            minutes = minutes_between(conversation.started_at, conversation.ended_at)
            said.append(f"ended {clock(conversation.ended_at)} ({duration(minutes)})")
    if report.pauses:
        said.append("paused " + joined([pause_span(pause) for pause in report.pauses]))
    if conversation.questions_shared_at:
        said.append(f"questions shared {long_date(conversation.questions_shared_at)}")
    return ", ".join(said)


def pause_span(pause: Pause) -> str:
    """'10:20–10:35 (15 minutes)', or 'from 10:20' while it lasts."""
    if pause.resumed_at is None:
        return f"from {clock(pause.paused_at)}"
    minutes = minutes_between(pause.paused_at, pause.resumed_at)
    return f"{clock(pause.paused_at)}–{clock(pause.resumed_at)} ({duration(minutes)})"


def attendance(report: Report, person: Participant) -> str:
    """Whether they came: "took part", "could not attend: …", "invited". Until the conversation
    has run nobody has attended or missed it, so everyone listed for it is invited (with any
    apology given in advance)."""
    if report.conversation.started_at is None:
        state = "invited" if person.invited or person.attended else "not invited"
        apology = f", sent apologies: {person.absence_reason}" if person.absence_reason else ""
        return state + apology
    if person.attended:
        return "took part"
    if person.absence_reason:
        return f"could not attend: {person.absence_reason}"
    return "invited" if person.invited else "not invited"


def participants(report: Report) -> list[Block]:
    agencies: dict[str, list[Item]] = {}
    for person in report.participants:
        role = f" ({person.role})" if person.role else ""
        agencies.setdefault(person.agency, []).append(
            item(plain(f"{report.person(person)}{role}, {attendance(report, person)}"))
        )
    if not agencies:
        return []
    return [BulletList(tuple(item(strong(agency), children=tuple(people))
                             for agency, people in agencies.items()))]


def question(report: Report, prepared_question: Question) -> list[Block]:
    """A prepared question with everything under it: its notes, its follow-ups and theirs."""
    blocks: list[Block] = []
    family = [prepared_question.id]
    for q in report.questions:
        if q.id in family or q.parent_id not in family:
            continue
        family.append(q.id)
    for q in report.questions:
        if q.id not in family:
            continue
        number = report.numbers[q.id]
        level = min(3 + report.depths[q.id], 6)
        blocks.append(Heading(level, f"{number}. {q.text}"))
        context = "Follow-up" if q.is_follow_up else q.phase.label
        if q.status is QuestionStatus.ASKED and q.asked_at:
            context += f" · asked at {clock(q.asked_at)}"
        elif q.status is QuestionStatus.SKIPPED:
            context += " · skipped"
        blocks.append(paragraph(em(context)))
        notes = report.notes_under(q.id)
        if notes:
            blocks.append(BulletList(tuple(note_item(report, note) for note in notes)))
        else:
            blocks.append(paragraph(em("Nothing noted.")))
    return blocks


def parked(report: Report) -> list[Block]:
    """What was parked to come back to and never was."""
    waiting = [note for note in report.notes if note.waiting]
    return [BulletList(tuple(note_item(report, note) for note in waiting))] if waiting else []


def note_item(report: Report, note: Note) -> Item:
    label = note.stance.label + (" ★" if note.starred else "")
    label += " · parked" if note.parked else ""
    who = report.speaker(note)
    head = f"{clock(note.created_at)} · {label} · " + (f"{who}: " if who else "")
    return item(plain(head), em(ESCALATED)) if note.escalate else item(plain(head + note.body))


def actions(report: Report) -> list[Block]:
    items = []
    for action in report.actions:
        facts = [ACTION_STATUS[action.status]]
        if action.owner:
            facts.insert(0, action.owner)
        if action.due:
            facts.append(f"due {long_date(action.due)}")
        items.append(item(plain(f"{action.description} ({', '.join(facts)})")))
    return [BulletList(tuple(items))] if items else []


def feedback(report: Report) -> list[Block]:
    items = []
    for given in report.feedback:
        person = report.participant(given.participant_id)
        who = f"{report.person(person)}, {person.agency}" if person else given.agency or "Someone"
        facts = []
        if given.rating is not None:
            facts.append(f"rated it {given.rating} out of 5")
        if given.advance_questions_helped is not None:
            facts.append("the questions in advance helped" if given.advance_questions_helped
                         else "the questions in advance did not help")
        useful = [report.numbers[q] for q in given.useful_question_ids if q in report.numbers]
        if useful:
            facts.append(f"most useful: question {joined(useful)}")
        scored = [f"{report.numbers[q.id]}: {given.question_scores[q.id]}"
                  for q in report.questions if q.id in given.question_scores]
        if scored:
            facts.append(f"scores (of 5) by question {', '.join(scored)}")
        text = f"{who}: {'; '.join(facts)}" if facts else who
        if given.comments:
            text += f". “{given.comments}”"
        items.append(item(plain(text)))
    return [BulletList(tuple(items))] if items else []


def learning(report: Report) -> list[Block]:
    text = report.conversation.key_learning.strip()
    return [sentence(text)] if text else []


def part_markdown(report: Report, part: str) -> str:
    """Markdown of the whole record (`whole`) or of one part of it: `details`, a section of
    `PARTS`, or `question:<id>` (a prepared question with its follow-ups and notes)."""
    from appreciate_tui.reports import markdown

    if part == "whole":
        return markdown.render(record(report))
    if part == "details":
        return markdown.front(record(report)) + "\n"
    if part.startswith("question:"):
        chosen = next(q for q in report.questions if q.id == part.removeprefix("question:"))
        heading = f"Question {report.numbers[chosen.id]}"
        blocks: list[Block] = question(report, chosen)
    else:
        heading = PARTS[part]
        blocks = section_blocks(report, part) or [paragraph(em("None recorded."))]
    return markdown.section(Section(heading, tuple(blocks))) + "\n"
