"""The record of a conversation as blocks for the review screen's document view.

In the order a reader wants it: what the conversation was, who took part (by agency, with who
could not come), each question as it was asked with its follow-ups and every note under it, the
actions agreed, the participants' feedback and the key learning. Stances carry their theme colour
and symbol as everywhere else; all stored text goes through `text.printable`, and none of it is
ever read as markup.
"""

from __future__ import annotations

from collections.abc import Mapping

from textual.content import Content

from appreciate_tui.domain import Note, Participant, Question, QuestionStatus
from appreciate_tui.reports.model import Report
from appreciate_tui.reports.record import ACTION_STATUS, attendance, timing
from appreciate_tui.text import one_line, printable
from appreciate_tui.tui.themes import PHASE_VARIABLES, STANCE_VARIABLES
from appreciate_tui.tui.widgets.document_view import Block
from appreciate_tui.wording import attribution, clock, day_and_clock, short_date

MAX_DEPTH = 3
"""Follow-ups of follow-ups indent this deep at most, so the text keeps its width."""
STEP = 3

SECTIONS = {
    "details": "Details",
    "participants": "Participants",
    "questions": "Questions",
    "actions": "Actions",
    "feedback": "Feedback",
    "learning": "Key learning",
}


def question_section(question_id: str) -> str:
    return f"question:{question_id}"


def note_key(note_id: str) -> str:
    return f"note:{note_id}"


def question_key(question_id: str) -> str:
    return f"question:{question_id}"


def review_blocks(
    report: Report, revisions: Mapping[str, int], *, names: bool = True
) -> list[Block]:
    """The whole record. `revisions` counts the earlier versions of each changed note; `names`
    shows participants' names beside their pseudonyms (the facilitator's own screen)."""
    return [
        *_details(report),
        *_participants(report, names=names),
        *_questions(report, revisions),
        *_actions(report),
        *_feedback(report),
        *_learning(report),
    ]


def _heading(section: str) -> Block:
    return Block(f"section:{section}", Content.styled(SECTIONS[section], "bold $primary underline"),
                 space_before=1, section=section)


def _line(key: str, section: str, *parts: str | tuple[str, str] | Content, **kw: object) -> Block:
    return Block(key, Content.assemble(*parts), section=section, **kw)  # type: ignore[arg-type]


def _details(report: Report) -> list[Block]:
    conversation = report.conversation
    facts = [short_date(conversation.date), conversation.status.value]
    facts += [one_line(fact) for fact in (conversation.setting, conversation.facilitator) if fact]
    blocks = [
        _line("section:details", "details", (printable(conversation.title), "bold $primary")),
        _line("details:topic", "details",
              (printable(conversation.topic) or "No topic question.", "italic")),
        _line("details:facts", "details", (" · ".join(facts), "$text-muted")),
    ]
    times = timing(report)
    if times:
        blocks.append(_line("details:times", "details", (times, "$text-muted")))
    if conversation.opening:
        blocks.append(_line("details:opening", "details", ("Opening  ", "bold $text-muted"),
                            printable(conversation.opening), space_before=1))
    return blocks


def _participants(report: Report, *, names: bool) -> list[Block]:
    if not report.participants:
        return [_heading("participants"),
                _line("participants:none", "participants", ("Nobody recorded.", "$text-muted"))]
    blocks = [_heading("participants")]
    agency = None
    for person in report.participants:
        if person.agency != agency:
            agency = person.agency
            blocks.append(_line(f"agency:{agency}", "participants", (printable(agency), "bold")))
        blocks.append(_line(f"participant:{person.id}", "participants",
                            *_person(person, attendance(report, person), names),
                            indent=STEP))
    return blocks


def _person(person: Participant, came: str, names: bool) -> list[str | tuple[str, str]]:
    """`came` is the record's word for whether they came (`record.attendance`)."""
    said: list[str | tuple[str, str]] = [printable(person.pseudonym)]
    if names and person.name:
        said.append((f"  {printable(person.name)}", "$text-muted"))
    if person.role:
        said.append((f"  {printable(person.role)}", "$text-muted"))
    colour = ("$success" if came == "took part" else
              "$warning" if came.startswith("could not attend") else "$text-muted")
    said.append((f"  {printable(came)}", colour))
    return said


def _questions(report: Report, revisions: Mapping[str, int]) -> list[Block]:
    blocks = [_heading("questions")]
    if not report.questions:
        blocks.append(_line("questions:none", "questions", ("No questions.", "$text-muted")))
    people = {person.id: person for person in report.participants}
    family = ""
    for question in report.questions:
        if not question.is_follow_up:
            family = question_section(question.id)
        depth = min(report.depths[question.id], MAX_DEPTH)
        blocks.append(_question(question, report.numbers[question.id], depth, family))
        notes = report.notes_under(question.id)
        for note in notes:
            blocks.append(_note(note, people, revisions.get(note.id, 0), depth, family))
        if not notes:
            blocks.append(_line(f"nothing:{question.id}", family,
                                ("nothing noted", "italic $text-muted"),
                                indent=depth * STEP + STEP))
    return blocks


def _question(question: Question, number: str, depth: int, family: str) -> Block:
    status = {
        QuestionStatus.ASKED: f"asked {clock(question.asked_at)}".strip(),
        QuestionStatus.SKIPPED: "skipped",
        # A follow-up was asked by being written down; only a prepared one can go unasked.
        QuestionStatus.PENDING: "" if question.is_follow_up else "not asked",
    }[question.status]
    if question.is_follow_up:
        label = ("↳ ", "$text-muted")
    else:
        label = (f"{question.phase.label:<9}", f"bold ${PHASE_VARIABLES[question.phase]}")
    return Block(
        question_key(question.id),
        Content.assemble(label, (printable(question.text), "bold"),
                         (f"  {status}" if status else "", "$text-muted")),
        hang=Content.styled(f"{number:<5}", "bold"),
        indent=depth * STEP,
        space_before=0 if question.is_follow_up else 1,
        section=family,
    )


def _note(note: Note, people: Mapping[str, Participant], revised: int, depth: int,
          family: str) -> Block:
    stance = f"${STANCE_VARIABLES[note.stance]}"
    who = attribution(note, people)
    parts: list[str | tuple[str, str]] = []
    if who:
        parts.append((f"{one_line(who)}: ", "$text-muted"))
    if note.starred:
        parts.append(("★ ", "$accent"))
    parts.append(printable(note.body))
    if note.escalate:
        if note.escalation_handled_at:
            passed = (f", passed to {one_line(note.escalation_passed_to)}"
                      if note.escalation_passed_to else "")
            parts.append((f"  ⚑ escalated · handled "
                          f"{day_and_clock(note.escalation_handled_at)}{passed}",
                          "bold $warning"))
        else:
            parts.append(("  ⚑ escalated · not yet handled", "bold $error"))
    if revised:
        parts.append((f"  ✎ edited{'' if revised == 1 else f' {revised}×'}", "$text-muted"))
    return Block(
        note_key(note.id),
        Content.assemble(*parts),
        hang=Content.assemble((note.stance.symbol, f"bold {stance}"), " ",
                              (f"{clock(note.created_at)}  ", "$text-muted")),
        indent=depth * STEP + STEP,
        section=family,
    )


def _actions(report: Report) -> list[Block]:
    blocks = [_heading("actions")]
    if not report.actions:
        blocks.append(_line("actions:none", "actions", ("No actions agreed.", "$text-muted")))
    for action in report.actions:
        facts = [ACTION_STATUS[action.status]]
        if action.owner:
            facts.insert(0, one_line(action.owner))
        if action.due:
            facts.append(f"due {short_date(action.due)}")
        blocks.append(Block(
            f"action:{action.id}",
            Content.assemble(printable(action.description),
                             (f"  {' · '.join(facts)}", "$text-muted")),
            hang=Content.styled("• ", "$text-muted"),
            section="actions",
        ))
    return blocks


def _feedback(report: Report) -> list[Block]:
    blocks = [_heading("feedback")]
    if not report.feedback:
        blocks.append(_line("feedback:none", "feedback", ("No feedback recorded.", "$text-muted")))
    for given in report.feedback:
        person = report.participant(given.participant_id)
        who = f"{person.pseudonym} ({person.agency})" if person else given.agency or "Someone"
        parts: list[str | tuple[str, str]] = [(one_line(who), "bold")]
        if given.rating is not None:
            parts.append((f"  {'★' * given.rating}{'☆' * (5 - given.rating)}", "$accent"))
        if given.advance_questions_helped is not None:
            parts.append(("  questions in advance helped" if given.advance_questions_helped
                          else "  questions in advance did not help", "$text-muted"))
        useful = [report.numbers[q] for q in given.useful_question_ids if q in report.numbers]
        if useful:
            parts.append((f"  most useful: {', '.join(useful)}", "$text-muted"))
        scored = [f"{report.numbers[q.id]}: {given.question_scores[q.id]}"
                  for q in report.questions if q.id in given.question_scores]
        if scored:
            parts.append((f"  scores {', '.join(scored)}", "$text-muted"))
        if given.comments:
            parts += ["\n", (f"“{printable(given.comments)}”", "italic")]
        blocks.append(_line(f"feedback:{given.id}", "feedback", *parts,
                            hang=Content.styled("• ", "$text-muted")))
    return blocks


def _learning(report: Report) -> list[Block]:
    text = report.conversation.key_learning.strip()
    return [
        _heading("learning"),
        _line("learning:text", "learning",
              printable(text) if text else ("Not written yet.", "$text-muted")),
    ]
