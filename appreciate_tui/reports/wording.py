"""How dates, times, counts and lists are written in a document a partnership publishes.

Month names are spelled here rather than taken from the system locale, so a report reads the same
on every laptop. Times are shown in the laptop's local time, as the facilitator saw them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

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


def long_date(value: str | date | datetime) -> str:
    """'26 February 2026'."""
    day = date.fromisoformat(value[:10]) if isinstance(value, str) else value
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def clock(stamp: str) -> str:
    """'10:03' in local time."""
    return datetime.fromisoformat(stamp).astimezone().strftime("%H:%M")


def minutes_between(start: str, end: str) -> int:
    return round((datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds() / 60)


def duration(minutes: int) -> str:
    """'45 minutes', '1 hour', '1 hour 15 minutes'."""
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour" + ("s" if hours > 1 else ""))
    if rest or not hours:
        parts.append(f"{rest} minute" + ("s" if rest != 1 else ""))
    return " ".join(parts)


def count(number: int, noun: str, plural: str | None = None) -> str:
    """'one question', 'eight questions', '14 notes'."""
    word = _SMALL[number] if number < len(_SMALL) else str(number)
    return f"{word} {noun if number == 1 else plural or noun + 's'}"


def number_word(number: int) -> str:
    return _SMALL[number] if number < len(_SMALL) else str(number)


def joined(items: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]
