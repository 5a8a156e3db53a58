"""Actions or notes as CSV, for partnership action trackers and spreadsheets.

One row per action (or per note), each carrying its conversation, question, stance, agency and
dates, so rows from many conversations can be pasted into one sheet. A cell that starts with `=`,
`+`, `-`, `@` or a tab would be run as a formula by a spreadsheet, so it gets
a leading apostrophe, which spreadsheets show as text (OWASP's advice for CSV injection).
The words of an escalated note (an immediate safeguarding concern) never leave: its row says the
concern was passed on, as the learning example does.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from appreciate_tui.domain import Note
from appreciate_tui.reports.model import Report
from appreciate_tui.text import printable

ACTION_COLUMNS = (
    "conversation_id",
    "conversation",
    "conversation_date",
    "action",
    "owner",
    "due",
    "status",
    "question_number",
    "question",
    "stance",
    "agency",
    "created_at",
    "updated_at",
)
NOTE_COLUMNS = (
    "conversation_id",
    "conversation",
    "conversation_date",
    "question_number",
    "phase",
    "question",
    "follow_up",
    "time",
    "stance",
    "agency",
    "participant",
    "note",
    "starred",
    "escalated",
    "updated_at",
)

_FORMULA_START = ("=", "+", "-", "@", "\t")


def cell(value: object) -> str:
    text = "" if value is None else printable(str(value))
    return "'" + text if text.startswith(_FORMULA_START) else text


def _table(header: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    out = io.StringIO()
    # Line feeds only: a carriage return is a control byte on a terminal; spreadsheets take both.
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([cell(value) for value in row] for row in rows)
    return out.getvalue()


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def actions_csv(report: Report) -> str:
    conversation = report.conversation
    notes = {note.id: note for note in report.notes}
    questions = {q.id: q for q in report.questions}
    rows = []
    for action in report.actions:
        note: Note | None = notes.get(action.note_id or "")
        question = questions.get(note.question_id) if note else None
        rows.append(
            (
                conversation.id,
                conversation.title,
                conversation.date,
                action.description,
                action.owner,
                action.due,
                action.status.value,
                report.numbers[question.id] if question else "",
                question.text if question else "",
                note.stance.value if note else "",
                note.agency if note else "",
                action.created_at,
                action.updated_at,
            )
        )
    return _table(ACTION_COLUMNS, rows)


def _withheld() -> str:
    """What an escalated note's row says instead of its words: what the learning example says."""
    from appreciate_tui.reports.learning import ESCALATED  # only when there is one to withhold

    return ESCALATED


def notes_csv(report: Report) -> str:
    conversation = report.conversation
    questions = {q.id: q for q in report.questions}
    rows = []
    for note in report.notes:
        question = questions[note.question_id]
        participant = report.participant(note.participant_id)
        rows.append(
            (
                conversation.id,
                conversation.title,
                conversation.date,
                report.numbers[question.id],
                question.phase.value,
                question.text,
                _yes(question.is_follow_up),
                note.created_at,
                note.stance.value,
                note.agency or (participant.agency if participant else ""),
                report.person(participant) if participant else "",
                _withheld() if note.escalate else note.body,
                _yes(note.starred),
                _yes(note.escalate),
                note.updated_at,
            )
        )
    return _table(NOTE_COLUMNS, rows)


def as_file_bytes(text: str) -> bytes:
    """UTF-8 with a byte-order mark: without it, Excel reads the file in the computer's old
    code page and mangles every accent, emoji and right-to-left letter."""
    return "\ufeff".encode() + text.encode("utf-8")
