"""The learning example: a conversation written up in the shape safeguarding partnerships publish.

Sections, in order, each left out when there is nothing to put in it: Introduction; Background,
aims and objectives; Approach; What is working well; Concerns raised; The vision; Solutions and
actions; Challenges; Successes; Raised, not yet discussed (what was parked to come back to and
never was); Conclusion and key learning; Appendix: full notes.

People are named by pseudonym and agency. A note flagged as an immediate safeguarding concern is
about a real child's case, so its text is never reproduced: the document says that such a concern
was raised and passed on.
"""

from __future__ import annotations

from collections.abc import Iterable

from appreciate_tui import domain
from appreciate_tui.domain import (
    ActionStatus,
    Note,
    Participant,
    Phase,
    Question,
    QuestionStatus,
    Stance,
)
from appreciate_tui.reports.document import (
    Block,
    BulletList,
    Document,
    Heading,
    Item,
    NumberedList,
    Paragraph,
    Quote,
    Section,
    Span,
    Table,
    em,
    item,
    paragraph,
    plain,
    sentence,
    strong,
)
from appreciate_tui.reports.feedback import feedback_blocks
from appreciate_tui.reports.model import Report
from appreciate_tui.redaction import PATTERNS, REDACTED, Redaction
from appreciate_tui.redaction import WITHHELD as ESCALATED
from appreciate_tui.wording import (
    clock,
    count,
    duration,
    joined,
    long_date,
    minutes_between,
    number_word,
    sentence_case,
)

AIMS = {
    Phase.DEFINE: "agree what good looks like",
    Phase.DISCOVER: "hear what is working well, and why, through examples from practice",
    Phase.DREAM: "build a shared picture of practice at its best",
    Phase.DESIGN: "identify what needs to be in place to get there",
    Phase.DELIVER: "agree who will do what, and by when",
}

ACTION_STATUS = {
    ActionStatus.OPEN: "Open",
    ActionStatus.IN_PROGRESS: "In progress",
    ActionStatus.DONE: "Done",
    ActionStatus.DROPPED: "Dropped",
}

APPRECIATIVE = (
    "An appreciative conversation starts from what is already working well and builds on it. "
    "Concerns are heard and recorded, then carried into a shared picture of practice at its best "
    "and into agreed actions."
)
RAISED = "Raised, not yet discussed"
APPENDIX = (
    "Every note taken, under the question it was recorded against, in the order it was taken "
    "(times are local). Each note is marked as working well, a concern, a dream, an idea, an "
    "action, a quote or a note; ★ marks a highlighted note."
)


def learning_example(report: Report) -> Document:
    sections = (
        _section("Introduction", _introduction(report)),
        _section("Background, aims and objectives", _background(report)),
        _section("Approach", _approach(report)),
        _section("What is working well", _working_well(report)),
        _section("Concerns raised", _note_list(_shareable(report, Stance.CONCERN), report)),
        _section("The vision", _note_list(_shareable(report, Stance.DREAM), report)),
        _section("Solutions and actions", _solutions(report)),
        _section("Challenges", _challenges(report)),
        _section("Successes", _successes(report)),
        _section(RAISED, _raised(report)),
        _section("Conclusion and key learning", _conclusion(report)),
        _section("Appendix: full notes", _appendix(report)),
    )
    conversation = report.conversation
    return Document(
        title=conversation.title,
        subject=conversation.topic or conversation.title,
        front=_front(report),
        sections=tuple(section for section in sections if section is not None),
        prepared_at=report.prepared_at,
    )


def redaction_notice(redaction: Redaction) -> Paragraph:
    """The sentence that tells a reader what was taken out of this copy (never what it was)."""
    kinds = ["terms listed for this conversation"] if redaction.terms else []
    kinds += list(PATTERNS)
    return paragraph(
        strong("Redacted for sharing."),
        plain(
            " People are named by pseudonym and agency only, and "
            f"{joined(kinds)} have been replaced with “{REDACTED}”."
        ),
    )


def _section(heading: str, blocks: list[Block]) -> Section | None:
    return Section(heading, tuple(blocks)) if blocks else None


def _started(report: Report) -> bool:
    return report.conversation.started_at is not None


def _prepared(report: Report) -> list[Question]:
    return [q for q in report.questions if not q.is_follow_up]


def _phases(report: Report) -> list[Phase]:
    return sorted({q.phase for q in _prepared(report)}, key=lambda phase: phase.order)


def _shareable(report: Report, stance: Stance) -> list[Note]:
    return [note for note in report.notes if note.stance is stance and not note.escalate]


def _note_item(note: Note, report: Report) -> Item:
    body = f"“{note.body}”" if note.stance is Stance.QUOTE else note.body
    who = report.speaker(note)
    return item(plain(body), plain(" — "), em(who)) if who else item(plain(body))


def _note_list(notes: Iterable[Note], report: Report) -> list[Block]:
    items = tuple(_note_item(note, report) for note in notes)
    return [BulletList(items)] if items else []


def _bullets(texts: Iterable[str]) -> BulletList:
    return BulletList(tuple(item(plain(text)) for text in texts))


# ------------------------------------------------------------------------------ front matter


def _front(report: Report) -> tuple[Block, ...]:
    conversation = report.conversation
    blocks: list[Block] = []
    if conversation.topic:
        blocks.append(paragraph(strong("Learning theme:"), plain(" " + conversation.topic)))
    where = f" at {conversation.setting}" if conversation.setting else ""
    held = long_date(conversation.date)
    prepared = long_date(report.prepared_at.astimezone())
    blocks.append(
        paragraph(
            em(
                f"A learning example from an appreciative conversation{where} on {held}. "
                f"Prepared on {prepared}."
            )
        )
    )
    if report.redaction is not None:
        blocks.append(redaction_notice(report.redaction))
    return tuple(blocks)


# ------------------------------------------------------------------------------ introduction


def _introduction(report: Report) -> list[Block]:
    conversation = report.conversation
    where = f" at {conversation.setting}" if conversation.setting else ""
    by = f", facilitated by {conversation.facilitator}" if conversation.facilitator else ""
    held = long_date(conversation.date)
    attended = [p for p in report.participants if p.attended]
    agencies = list(dict.fromkeys(p.agency for p in attended))
    if not _started(report):
        opening = f"An appreciative conversation is planned for {held}{where}{by}."
    elif attended:
        who = f"{count(len(attended), 'practitioner')} from {joined(agencies)}"
        opening = f"On {held}, {who} met{where} for an appreciative conversation{by}."
    else:
        opening = f"On {held}, partners met{where} for an appreciative conversation{by}."
    blocks: list[Block] = [sentence(opening), sentence(APPRECIATIVE)]
    if conversation.opening:
        verb = "opened" if _started(report) else "will open"
        blocks.append(sentence(f"The facilitator {verb} the conversation with these words:"))
        blocks.append(Quote((plain(conversation.opening),)))
    return blocks


# ------------------------------------------------------------------------------ background


def _background(report: Report) -> list[Block]:
    blocks: list[Block] = []
    topic = report.conversation.topic
    if topic:
        blocks.append(
            paragraph(plain("The conversation set out to answer one question: "), em(topic))
        )
    phases = _phases(report)
    if phases:
        blocks.append(sentence("Its aims were to:"))
        blocks.append(_bullets(AIMS[phase] for phase in phases))
    return blocks


# ------------------------------------------------------------------------------ approach


def _approach(report: Report) -> list[Block]:
    blocks: list[Block] = []
    summary = _how_it_ran(report)
    if summary:
        blocks.append(sentence(summary))
    blocks += _questions_by_phase(report)
    blocks += _who_took_part(report)
    escalations = [note for note in report.notes if note.escalate]
    if escalations:
        blocks.append(sentence(_escalation_sentence(escalations)))
    return blocks


def _how_it_ran(report: Report) -> str:
    conversation = report.conversation
    sentences = []
    if conversation.started_at and conversation.ended_at:
        minutes = minutes_between(conversation.started_at, conversation.ended_at)
        sentences.append(
            f"The conversation ran from {clock(conversation.started_at)} to "
            f"{clock(conversation.ended_at)} ({duration(minutes)})."
        )
    prepared = _prepared(report)
    if prepared:
        phases = [phase.label for phase in _phases(report)]
        verb = "followed" if _started(report) else "will follow"
        sentences.append(
            f"It {verb} {count(len(prepared), 'prepared question')} in "
            f"{count(len(phases), 'part')}: {joined(phases)}."
        )
    follow_ups = [q for q in report.questions if q.is_follow_up]
    if follow_ups:
        were = "was" if len(follow_ups) == 1 else "were"
        sentences.append(
            f"{sentence_case(count(len(follow_ups), 'further question'))} {were} asked where the "
            "conversation led."
        )
    if report.notes:
        who = "by name and agency" if report.use_names else "by pseudonym and agency, not by name"
        sentences.append(f"Notes were taken as people spoke and are attributed {who}.")
    return " ".join(sentences)


def _questions_by_phase(report: Report) -> list[Block]:
    blocks: list[Block] = []
    for phase in _phases(report):
        questions = [q for q in _prepared(report) if q.phase is phase]
        blocks.append(Heading(4, phase.label))
        blocks.append(
            NumberedList(
                start=int(report.numbers[questions[0].id]),
                items=tuple(_question_item(report, q) for q in questions),
            )
        )
    return [Heading(3, "The questions"), *blocks] if blocks else []


def _question_item(report: Report, question: Question) -> Item:
    """A question with the follow-ups that grew out of it nested beneath."""
    spans: tuple[Span, ...] = (plain(question.text),)
    if question.is_follow_up:
        spans = (em("Follow-up:"), plain(" " + question.text))
    if _started(report) and question.status is not QuestionStatus.ASKED:
        spans += (plain(" "), em("(not asked on the day)"))
    children = tuple(
        _question_item(report, q) for q in report.questions if q.parent_id == question.id
    )
    return item(*spans, children=children)


def _who_took_part(report: Report) -> list[Block]:
    if not _started(report):
        invited = [p for p in report.participants if p.invited]
        return [Heading(3, "Who has been invited"), _by_agency(report, invited)] if invited else []
    blocks: list[Block] = []
    attended = [p for p in report.participants if p.attended]
    if attended:
        blocks += [Heading(3, "Who took part"), _by_agency(report, attended)]
    absent = [p for p in report.participants if p.invited and not p.attended]
    if absent:
        blocks += [
            Heading(3, "Who could not attend"),
            _bullets(_absence(report, p) for p in absent),
        ]
    return blocks


def _absence(report: Report, person: Participant) -> str:
    text = f"{report.person(person)}, {person.agency}"
    if person.role:
        text += f" ({person.role})"
    if person.absence_reason:
        text += f": {person.absence_reason}"
    return text


def _by_agency(report: Report, people: list[Participant]) -> BulletList:
    items = []
    for agency in dict.fromkeys(p.agency for p in people):
        described = [
            report.person(p) + (f" ({p.role})" if p.role else "")
            for p in people
            if p.agency == agency
        ]
        items.append(item(strong(f"{agency}:"), plain(" " + "; ".join(described))))
    return BulletList(tuple(items))


def _escalation_sentence(escalations: list[Note]) -> str:
    many = len(escalations) > 1
    text = (
        f"{sentence_case(count(len(escalations), 'immediate safeguarding concern'))} "
        f"{'were' if many else 'was'} raised during the conversation and passed on for action "
        f"outside this review; {'they are' if many else 'it is'} not reproduced here."
    )
    still_open = [note for note in escalations if note.open_escalation]
    if still_open:
        text += (
            f" When this was prepared, {number_word(len(still_open))} had not yet been recorded as "
            "handled."
        )
    return text


# ------------------------------------------------------------------------------ findings


def _working_well(report: Report) -> list[Block]:
    blocks = _note_list(_shareable(report, Stance.STRENGTH), report)
    quotes = _shareable(report, Stance.QUOTE)
    if quotes and blocks:
        blocks.append(sentence("In participants' own words:"))
    blocks += [Quote((plain(f"“{note.body}”"),), report.speaker(note)) for note in quotes]
    return blocks


def _solutions(report: Report) -> list[Block]:
    blocks = _note_list(_shareable(report, Stance.IDEA), report)
    if report.actions:
        rows = tuple(
            (
                action.description,
                action.owner or "Not yet agreed",
                long_date(action.due) if action.due else "Not set",
                ACTION_STATUS[action.status],
            )
            for action in report.actions
        )
        blocks += [Heading(3, "Actions agreed"), Table(("Action", "Owner", "Due", "Status"), rows)]
    linked = {action.note_id for action in report.actions}
    suggested = [note for note in _shareable(report, Stance.ACTION) if note.id not in linked]
    if suggested:
        blocks.append(sentence("Further actions suggested during the conversation:"))
        blocks += _note_list(suggested, report)
    return blocks


# ------------------------------------------------------------------------------ challenges


def _challenges(report: Report) -> list[Block]:
    """What got in the way of the conversation itself: who could not come, parts that ran over
    their time, questions there was no time for."""
    if not _started(report):
        return []
    points = _attendance_gaps(report) + _time_overruns(report)
    not_asked = [
        report.numbers[q.id] for q in _prepared(report) if q.status is not QuestionStatus.ASKED
    ]
    if not_asked:
        many = len(not_asked) > 1
        points.append(
            f"{'Questions' if many else 'Question'} {joined(not_asked)} "
            f"{'were' if many else 'was'} not asked on the day."
        )
    return [_bullets(points)] if points else []


def _attendance_gaps(report: Report) -> list[str]:
    points = []
    invited = [p for p in report.participants if p.invited]
    for agency in dict.fromkeys(p.agency for p in invited):
        asked = [p for p in invited if p.agency == agency]
        came = [p for p in asked if p.attended]
        if not came:
            points.append(
                f"No one from {agency} was able to attend, so the conversation did not hear that "
                "agency's perspective directly."
            )
        elif len(came) < len(asked):
            missing = sentence_case(number_word(len(asked) - len(came)))
            points.append(
                f"{missing} of the {count(len(asked), 'person', 'people')} invited from {agency} "
                "could not attend."
            )
    return points


def _running_minutes(report: Report, start: str, end: str) -> int:
    """Minutes from `start` to `end` the conversation was running (its pauses left out)."""
    since, until = domain.parse_time(start), domain.parse_time(end)
    seconds = domain.running_seconds(since, until, report.pauses)
    return round(seconds / 60)


def _time_overruns(report: Report) -> list[str]:
    """Each part of the conversation that ran over the time planned for it, and the whole.

    A part runs from the first of its questions being asked to the first question of the next
    part (or the end of the conversation); a pause (a break, a fire alarm) is not counted."""
    conversation = report.conversation
    budget = conversation.phase_budget
    if not budget or conversation.started_at is None or conversation.ended_at is None:
        return []
    starts: dict[Phase, str] = {}
    for question in _prepared(report):
        if question.asked_at:
            starts[question.phase] = min(
                question.asked_at, starts.get(question.phase, question.asked_at)
            )
    ordered = sorted(starts.items(), key=lambda pair: pair[1])
    points = []
    for index, (phase, start) in enumerate(ordered):
        end = ordered[index + 1][1] if index + 1 < len(ordered) else conversation.ended_at
        taken, planned = _running_minutes(report, start, end), budget.get(phase.value)
        if planned and taken > planned:
            points.append(
                f"The {phase.label} part took {duration(taken)}, "
                f"against {duration(planned)} planned."
            )
    total = _running_minutes(report, conversation.started_at, conversation.ended_at)
    if total > sum(budget.values()):
        points.append(
            f"The conversation took {duration(total)} in all, against "
            f"{duration(sum(budget.values()))} planned."
        )
    return points


# ------------------------------------------------------------------------------ raised


def _raised(report: Report) -> list[Block]:
    """Points parked during the conversation to come back to, and never picked up: what a
    partnership may want to take up next."""
    waiting = [note for note in report.notes if note.waiting and not note.escalate]
    if not waiting:
        return []
    return [
        sentence("Points raised during the conversation to come back to, not reached on the day:"),
        *_note_list(waiting, report),
    ]


# ------------------------------------------------------------------------------ successes


def _successes(report: Report) -> list[Block]:
    blocks: list[Block] = []
    highlighted = [note for note in report.notes if note.starred and not note.escalate]
    if highlighted:
        blocks.append(sentence("Highlighted from the conversation:"))
        blocks += _note_list(highlighted, report)
    blocks += feedback_blocks(report)
    return blocks


# ------------------------------------------------------------------------ conclusion, appendix


def _conclusion(report: Report) -> list[Block]:
    paragraphs = [text.strip() for text in report.conversation.key_learning.split("\n\n")]
    return [sentence(text) for text in paragraphs if text]


def _appendix(report: Report) -> list[Block]:
    if not report.notes:
        return []
    blocks: list[Block] = [sentence(APPENDIX)]
    for question in report.questions:
        notes = report.notes_under(question.id)
        if not notes and question.status is not QuestionStatus.ASKED:
            continue
        number = report.numbers[question.id]
        level = min(3 + report.depths[question.id], 6)
        blocks.append(Heading(level, f"{number}. {question.text}"))
        context = (
            f"Follow-up to question {number.rsplit('.', 1)[0]}"
            if question.is_follow_up
            else question.phase.label
        )
        if question.asked_at:
            context += f" · asked at {clock(question.asked_at)}"
        blocks.append(paragraph(em(context)))
        if notes:
            blocks.append(BulletList(tuple(_appendix_item(note, report) for note in notes)))
        else:
            blocks.append(paragraph(em("No notes were recorded.")))
    return blocks


def _appendix_item(note: Note, report: Report) -> Item:
    """'10:03 · quote ★ · Police 1, Police: what was said'. Plain text on purpose: five hundred
    notes of emphasis make a page slow to render and no easier to read."""
    label = note.stance.label + (" ★" if note.starred else "")
    who = report.speaker(note)
    head = f"{clock(note.created_at)} · {label} · " + (f"{who}: " if who else "")
    return item(plain(head), em(ESCALATED)) if note.escalate else item(plain(head + note.body))
