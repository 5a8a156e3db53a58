"""How dates, times, counts and people are written wherever a facilitator reads them: on screen,
in the terminal (`appreciate show`, the other commands) and in the documents a partnership
publishes.

Month names are spelled here rather than taken from the system locale where a document shows
them (`long_date`), so a report reads the same on every laptop. Times are shown in the laptop's
local time, as the facilitator saw them. A count meets its noun through `plural`: "1 question",
"2 questions", never "1 questions".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from appreciate_tui.text import one_line

if TYPE_CHECKING:
    from appreciate_tui.domain import Note, Participant

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_SMALL = (
    "no",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
)
_IRREGULAR = {"person": "people"}


# ---------------------------------------------------------------- dates and times


def long_date(value: str | date | datetime) -> str:
    """'26 February 2026': a date as a published document writes it."""
    day = date.fromisoformat(value[:10]) if isinstance(value, str) else value
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def short_date(iso_date: str) -> str:
    """'12 Mar 2026' (eleven characters, as a table's column holds it): a stored date as the
    screens show it; anything unexpected is shown as stored, made printable."""
    try:
        return date.fromisoformat(iso_date).strftime("%d %b %Y")
    except ValueError:
        return one_line(iso_date)


def clock(stamp: str | None) -> str:
    """'10:03': a stored timestamp as the facilitator's wall-clock time; '' for none."""
    if not stamp:
        return ""
    return datetime.fromisoformat(stamp).astimezone().strftime("%H:%M")


def day_and_clock(stamp: str | None) -> str:
    """'05 Mar 10:03': a stored timestamp in local time, with its day (when an escalation was
    handled, which may be days after the note); '' for none."""
    if not stamp:
        return ""
    return datetime.fromisoformat(stamp).astimezone().strftime("%d %b %H:%M")


def minutes_between(start: str, end: str) -> int:
    return round((datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds() / 60)


def duration(minutes: int) -> str:
    """'45 minutes', '1 hour', '1 hour 15 minutes'."""
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(plural(hours, "hour"))
    if rest or not hours:
        parts.append(plural(rest, "minute"))
    return " ".join(parts)


# ---------------------------------------------------------------- counts


def noun_for(number: int, noun: str, many: str | None = None) -> str:
    """The noun as a count of `number` takes it: 'question' for 1, 'questions' otherwise;
    'match'/'matches', 'agency'/'agencies', 'person'/'people'. `many` spells an irregular plural."""
    if number == 1:
        return noun
    if many is not None:
        return many
    if noun in _IRREGULAR:
        return _IRREGULAR[noun]
    if noun.endswith(("s", "x", "z", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in tuple("aeiou"):
        return noun[:-1] + "ies"
    return noun + "s"


def plural(number: int, noun: str, many: str | None = None, *, fmt: str = "") -> str:
    """'1 question', '2 questions', '0 notes'; `fmt` formats the figure ('1,204 notes' with ',',
    a right-aligned column with '>4')."""
    return f"{number:{fmt}} {noun_for(number, noun, many)}"


def number_word(number: int) -> str:
    """'one' to 'twelve' ('no' for 0) in words, as a document writes a small count; digits above."""
    return _SMALL[number] if number < len(_SMALL) else str(number)


def count(number: int, noun: str, many: str | None = None) -> str:
    """`plural` in a document's words: 'one question', 'eight questions', '14 notes'."""
    return f"{number_word(number)} {noun_for(number, noun, many)}"


def joined(items: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


# ---------------------------------------------------------------- people


def person(participant: Participant) -> str:
    """'Police 1 (Police)': a participant by pseudonym and agency, as stored (make it printable
    to show it)."""
    return f"{participant.pseudonym} ({participant.agency})"


def attribution(note: Note, participants: Mapping[str, Participant]) -> str:
    """Who said a note: the participant by pseudonym and agency, else the agency alone, else ''
    (the room)."""
    participant = participants.get(note.participant_id or "")
    if participant is not None:
        return person(participant)
    return note.agency or ""


# ---------------------------------------------------------------- what was shared

_SHARE_FORMATS = {
    # stored format: (in full, in a table's narrow column)
    "md": ("learning example (Markdown)", "learning, md"),
    "html": ("learning example (web page)", "learning, html"),
    "docx": ("learning example (Word)", "learning, Word"),
    "json": ("conversation bundle", "bundle"),
    "json-encrypted": ("sealed bundle", "sealed bundle"),
    "csv-actions": ("actions (CSV)", "actions, CSV"),
    "csv-notes": ("notes (CSV)", "notes, CSV"),
    "questions-md": ("question sheet (Markdown)", "questions, md"),
    "questions-txt": ("question sheet (text)", "questions, text"),
    "questions-html": ("question sheet (web page)", "questions, html"),
    "clipboard-md": ("copied from the record (Markdown)", "copied, md"),
}


def share_format(code: str, *, short: bool = False) -> str:
    """What a recorded share was, in words: 'question sheet (text)' for `questions-txt`, or with
    `short` 'questions, text' (at most 15 characters, for a table). A format this version does not
    know is shown as stored, made printable."""
    names = _SHARE_FORMATS.get(code)
    if names is None:
        return one_line(code)
    return names[1] if short else names[0]
