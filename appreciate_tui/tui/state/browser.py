"""Which conversations the browser shows, and in what order: its filters and sorts, and the
list it shows them from.

The store filters (`Store.conversation_order`) and says what each conversation sorts on; `Sort`
puts them in order, the way `Sort.apply` orders summaries in memory. A `Listing` holds only the
ids in that order and reads the rows a page at a time as they are first needed, so ten thousand
conversations cost what a screenful costs until someone scrolls through them.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, overload

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
# The same orders from what the store says each column sorts on (`Store.conversation_order`):
# its title, topic, status, sorted agencies or count. (Dates the store orders itself.)
VALUE_KEYS: dict[str, Callable[[Any], Any]] = {
    "title": _text,
    "topic": _text,
    "status": lambda status: _STATUS_ORDER[ConversationStatus(status)],
    "agencies": lambda agencies: (len(agencies), [_text(a) for a in agencies]),
    "notes": int,
    "actions": int,
}


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

    @property
    def oldest_first(self) -> bool:
        """What to ask the store for: by date, it gives the order itself."""
        return self.column == "date" and not self.descending

    def order(self, listed: Iterable[tuple[str, Any]]) -> list[str]:
        """The ids of `listed` in this order: (id, what this column sorts on) pairs as
        `Store.conversation_order` gives them, newest first (by date, already in order)."""
        if self.column == "date":
            return [conversation_id for conversation_id, _ in listed]
        key = VALUE_KEYS[self.column]
        keys: dict[Any, Any] = {}  # each value's key made once: agencies repeat a great deal

        def key_of(pair: tuple[str, Any]) -> Any:
            value = pair[1]
            found = keys.get(value)
            if found is None:
                found = keys[value] = key(value)
            return found

        return [conversation_id for conversation_id, _ in
                sorted(listed, key=key_of, reverse=self.descending)]


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
    return in_usual_order({agency for summary in summaries for agency in summary.agencies})


def in_usual_order(agencies: Iterable[str]) -> list[str]:
    """The usual agencies in their usual order, then the others alphabetically."""
    seen = set(agencies)
    usual = [agency for agency in DEFAULT_AGENCIES if agency in seen]
    return usual + sorted(seen - set(usual), key=str.casefold)


class Orders:
    """The order of the conversations for any filter and sort, from what the store read once.

    Each column's values are read once (`read(column)`: every conversation out of the bin,
    newest first, as (id, status, date, value)) and put in order once for each direction; a
    filter by status, dates or agency keeps the rows it lets through, in that order. A change of
    filter or sort then costs a pass over ten thousand rows, not a query and a sort. All of it is
    read again once `changes()` says the database was written to. A filter by agency is left to
    the store (`ask`) until the agencies column has been read for a sort."""

    def __init__(
        self,
        read: Callable[[str], Sequence[tuple[str, str, str, Any]]],
        changes: Callable[[], Any],
        ask: Callable[[Filter, Sort], list[str]],
    ) -> None:
        self._read = read
        self._changes = changes
        self._ask = ask
        self._columns: dict[str, Sequence[tuple[str, str, str, Any]]] = {}
        self._sorted: dict[Sort, list[tuple[str, str, str, Any]]] = {}
        self._seen: Any = None

    @property
    def complete(self) -> bool:
        """Whether every column has been read since the last change."""
        return self._seen == self._changes() and set(SORT_KEYS) <= set(self._columns)

    def prepared(self, seen: Any, columns: dict[str, Sequence[tuple[str, str, str, Any]]]) -> None:
        """Columns read elsewhere (on another connection, in a thread) after `changes()` was
        `seen`: kept only if nothing has been written since."""
        if seen != self._changes():
            return
        self._follow(seen)
        for column, rows in columns.items():
            self._columns.setdefault(column, rows)

    def _follow(self, seen: Any) -> None:
        if seen != self._seen:
            self._columns.clear()
            self._sorted.clear()
            self._seen = seen

    def ids(self, filter: Filter, sort: Sort) -> list[str]:
        """The ids of the conversations `filter` lets through, in `sort`'s order."""
        self._follow(self._changes())
        if filter.agency is not None and "agencies" not in self._columns:
            return self._ask(filter, sort)
        rows = self._in_order(sort)
        if not filter.active:
            return [row[0] for row in rows]
        status = filter.status.value if filter.status is not None else None
        took_part = (
            {row[0] for row in self._column("agencies") if filter.agency in row[3]}
            if filter.agency is not None else None
        )
        return [
            row[0] for row in rows
            if (status is None or row[1] == status)
            and (filter.date_from is None or row[2] >= filter.date_from)
            and (filter.date_to is None or row[2] <= filter.date_to)
            and (took_part is None or row[0] in took_part)
        ]

    def _in_order(self, sort: Sort) -> list[tuple[str, str, str, Any]]:
        found = self._sorted.get(sort)
        if found is None:
            rows = self._column(sort.column)
            if sort.column == "date":
                found = list(reversed(rows)) if sort.oldest_first else list(rows)
            else:
                by_id = {row[0]: row for row in rows}
                found = [by_id[i] for i in sort.order((row[0], row[3]) for row in rows)]
            self._sorted[sort] = found
        return found

    def _column(self, column: str) -> Sequence[tuple[str, str, str, Any]]:
        found = self._columns.get(column)
        if found is None:
            found = self._columns[column] = self._read(column)
        return found


PAGE = 50
"""Conversations read at a time as the list scrolls: a screenful or so."""


class Listing(Sequence[ConversationSummary]):
    """Conversations in the order shown, read a page at a time as they are first needed.

    It holds the ids in order and the rows read so far; `read(ids)` reads the rows of some of
    them (those gone since are left out, and the listing closes up). Until the ids are needed, a
    listing can stand on its first rows alone (`first`, with `length` saying how many there are
    in all): the order of the rest is asked of `ids` when something beyond them is wanted, or
    when `load` is called.
    """

    def __init__(
        self,
        ids: Sequence[str] | Callable[[], Sequence[str]],
        read: Callable[[Sequence[str]], Iterable[ConversationSummary]],
        *,
        first: Sequence[ConversationSummary] = (),
        length: int | None = None,
        page: int = PAGE,
    ) -> None:
        self._order: Callable[[], Sequence[str]] | None = None
        self._ids: list[str] | None = None
        if callable(ids):
            self._order = ids
        else:
            self._ids = list(ids)
        self._read = read
        self._first = [summary.conversation.id for summary in first]
        self._length = length if length is not None else len(self._first)
        self._rows: dict[str, ConversationSummary] = {s.conversation.id: s for s in first}
        self._page = max(page, 1)

    @classmethod
    def of(cls, summaries: Iterable[ConversationSummary]) -> Listing:
        """A listing of rows already read."""
        rows = list(summaries)
        return cls([s.conversation.id for s in rows], lambda _: (), first=rows)

    @property
    def ids(self) -> Sequence[str]:
        self.load()
        assert self._ids is not None
        return self._ids

    def load(self) -> None:
        """Ask for the order of every conversation, if it is not known yet."""
        if self._ids is None:
            assert self._order is not None
            self._ids = list(self._order())
            self._order = None

    def read_so_far(self) -> Iterator[ConversationSummary]:
        """The rows already read (nothing is read to give them)."""
        return iter(list(self._rows.values()))

    def index_of(self, conversation_id: str | None) -> int | None:
        if conversation_id is None:
            return None
        if self._ids is None and conversation_id in self._first:
            return self._first.index(conversation_id)
        try:
            return self.ids.index(conversation_id)
        except ValueError:
            return None

    def __len__(self) -> int:
        return len(self._ids) if self._ids is not None else self._length

    @overload
    def __getitem__(self, index: int) -> ConversationSummary: ...

    @overload
    def __getitem__(self, index: slice) -> list[ConversationSummary]: ...

    def __getitem__(self, index: int | slice) -> ConversationSummary | list[ConversationSummary]:
        if isinstance(index, slice):
            return [self[n] for n in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if self._ids is None and 0 <= index < len(self._first):
            return self._rows[self._first[index]]
        self.load()
        ids = self._ids
        assert ids is not None
        if not 0 <= index < len(ids):
            raise IndexError(index)
        row = self._rows.get(ids[index])
        while row is None:
            start = index - index % self._page
            wanted = [i for i in ids[start : start + self._page] if i not in self._rows]
            found = {s.conversation.id: s for s in self._read(wanted)}
            self._rows.update(found)
            gone = set(wanted) - found.keys()
            if gone:  # binned or erased by another window since the order was read
                ids[:] = [i for i in ids if i not in gone]
                if index >= len(ids):
                    raise IndexError(index)
            row = self._rows.get(ids[index])
        return row

    def __contains__(self, value: object) -> bool:
        return (isinstance(value, ConversationSummary)
                and self.index_of(value.conversation.id) is not None)

    def __iter__(self) -> Iterator[ConversationSummary]:
        n = 0
        while n < len(self):
            try:
                yield self[n]
            except IndexError:  # the last ones are gone
                return
            n += 1
