"""Reading through the store's connection without loading sqlite-utils.

sqlite-utils is how the store writes and how its schema changes (`Core.db`, the migrations in
schema/). Loading it costs a sixth of the app's start: more than drawing the first screen needs,
which is one screenful of rows. So reads go through `Reads`, which asks the connection itself
with the two calls every store module already uses, `execute` and `query`, meaning what they mean
on sqlite-utils' `Database`; sqlite-utils is loaded when something is first written, or just after
the first screen is drawn (`Core.prepare_writes`). The functions of the SQL modules take either,
as `Queries`.

`Reads` is for statements that only read (SELECT, a PRAGMA that returns rows): it does not commit
what a write statement would leave open, as sqlite-utils' `execute` does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol, TypeVar

T = TypeVar("T")

Params = Sequence[Any] | dict[str, Any]


class Queries(Protocol):
    """What the SQL modules ask of a connection: sqlite-utils' `Database` or `Reads`."""

    conn: Any

    def execute(self, sql: str, parameters: Params | None = None) -> Any: ...

    def query(self, sql: str, params: Params | None = None) -> Iterator[dict[str, Any]]: ...


class Reads:
    """`execute` and `query` for reading, straight on the connection."""

    __slots__ = ("conn",)

    def __init__(self, conn: Any) -> None:
        self.conn = conn

    def execute(self, sql: str, parameters: Params | None = None) -> Any:
        if parameters is None:
            return self.conn.execute(sql)
        return self.conn.execute(sql, parameters)

    def query(self, sql: str, params: Params | None = None) -> Iterator[dict[str, Any]]:
        """Each row as a dict of its columns, a name met twice getting `_2` (as sqlite-utils)."""
        cursor = self.execute(sql, params)
        keys = _distinct([column[0] for column in cursor.description])
        return (dict(zip(keys, row)) for row in cursor)


def in_bulk(conn: Any, read: Callable[[], T], *, errors: tuple[type[BaseException], ...]) -> T:
    """`read()`, for reads of thousands of strings: their text decoded by SQLite's own UTF-8
    reader rather than the connection's replacing one (store/opening.py), which runs in Python
    once per string. That one is only needed when some text is not valid UTF-8: then SQLite
    refuses (one of `errors`) and it is read again with it."""
    replacing = conn.text_factory
    conn.text_factory = str
    try:
        try:
            return read()
        except errors:
            conn.text_factory = replacing
            return read()
    finally:
        conn.text_factory = replacing


def _distinct(names: list[str]) -> list[str]:
    taken = set(names)
    if len(taken) == len(names):
        return names
    seen: set[str] = set()
    out = []
    for name in names:
        unique, n = name, 1
        while unique in seen or (unique != name and unique in taken):
            n += 1
            unique = f"{name}_{n}"
        seen.add(unique)
        taken.add(unique)
        out.append(unique)
    return out
