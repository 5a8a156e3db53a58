"""Which conversations the browser shows, and in what order: its filters and sorts.

Plain functions over `ConversationSummary`, so the home screen filters a thousand conversations in
memory, between keystrokes, without asking the database again.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from appreciate_tui.domain import DEFAULT_AGENCIES, ConversationStatus, ConversationSummary

_STATUS_ORDER = {status: n for n, status in enumerate(ConversationStatus)}


def _text(value: str) -> str:
    return value.casefold()


# Each column the browser can sort by, and what it sorts on.
SORT_KEYS: dict[str, Callable[[ConversationSummary], Any]] = {
    "date": lambda s: (s.conversation.date, s.conversation.created_at),
    "title": lambda s: _text(s.conversation.title),
    "topic": lambda s: _text(s.conversation.topic),
    "status": lambda s: _STATUS_ORDER[s.conversation.status],
    "agencies": lambda s: (len(s.agencies), [_text(a) for a in s.agencies]),
    "notes": lambda s: s.notes,
    "actions": lambda s: s.open_actions,
}
FIRST_DESCENDING = frozenset({"date", "agencies", "notes", "actions"})


@dataclass(frozen=True)
class Sort:
    column: str = "date"
    descending: bool = True

    @classmethod
    def natural(cls, column: str) -> Sort:
        """By `column`, the way it is usually read: dates and counts biggest first, words A to Z."""
        return cls(column, column in FIRST_DESCENDING)

    def next_column(self) -> Sort:
        columns = list(SORT_KEYS)
        return Sort.natural(columns[(columns.index(self.column) + 1) % len(columns)])

    def reversed(self) -> Sort:
        return replace(self, descending=not self.descending)

    def by(self, column: str) -> Sort:
        """Sort by `column`; asked again for the column already sorted by, the other way round."""
        if column == self.column:
            return self.reversed()
        return Sort.natural(column)

    def apply(self, summaries: Iterable[ConversationSummary]) -> list[ConversationSummary]:
        # Ties keep the newest first whatever the column, so the order never looks random.
        newest_first = sorted(summaries, key=SORT_KEYS["date"], reverse=True)
        return sorted(newest_first, key=SORT_KEYS[self.column], reverse=self.descending)


_PARTIAL_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?\s*$")


def date_bound(text: str, *, end: bool) -> str | None:
    """An ISO date from what was typed in a date filter: `2025` means from 1 January (or, as the
    end of a range, to 31 December), `2025-03` the first or last of March. Blank is no bound.
    Raises ValueError for anything else."""
    if not text.strip():
        return None
    found = _PARTIAL_DATE.match(text)
    if found is None:
        raise ValueError(f"{text.strip()!r} is not a date")
    year = int(found.group(1))
    month = int(found.group(2) or (12 if end else 1))
    if found.group(3):
        day = int(found.group(3))
    else:
        day = calendar.monthrange(year, month)[1] if end and 1 <= month <= 12 else 1
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        raise ValueError(f"{text.strip()!r} is not a date on the calendar") from None


@dataclass(frozen=True)
class Filter:
    status: ConversationStatus | None = None
    agency: str | None = None
    date_from: str | None = None  # ISO dates, both ends included
    date_to: str | None = None

    @property
    def active(self) -> bool:
        return self != Filter()

    def matches(self, summary: ConversationSummary) -> bool:
        conversation = summary.conversation
        return (
            (self.status is None or conversation.status is self.status)
            and (self.agency is None or self.agency in summary.agencies)
            and (self.date_from is None or conversation.date >= self.date_from)
            and (self.date_to is None or conversation.date <= self.date_to)
        )

    def apply(self, summaries: Iterable[ConversationSummary]) -> list[ConversationSummary]:
        return [summary for summary in summaries if self.matches(summary)]


def agencies_present(summaries: Sequence[ConversationSummary]) -> list[str]:
    """Every agency that took part in any of the conversations: the usual ones in their usual
    order, then the others alphabetically."""
    seen = {agency for summary in summaries for agency in summary.agencies}
    usual = [agency for agency in DEFAULT_AGENCIES if agency in seen]
    return usual + sorted(seen - set(usual), key=str.casefold)
