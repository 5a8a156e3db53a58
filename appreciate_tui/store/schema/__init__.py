"""The schema, changed only through `sqlite_utils.Migrations` (DESIGN.md section 5).

Plain tables a person can open with `sqlite3`, `sqlite-utils` or Datasette: text UUID keys (so
databases from different laptops merge without collisions), ISO-8601 UTC timestamps, foreign keys
that cascade when a conversation is erased. Full-text search is FTS5, kept in sync by triggers.

Two modules hold the migrations, by what they change:
- `tables.py`: what is stored: the tables as first made (m001) and every table or column since.
- `indexes.py`: how it is found quickly: full-text indexes, tallies kept by triggers, indexes.

Each migration is a function named `mNNN_what_it_does`. This module gathers them from both and
registers them in number order, the order they are applied and recorded in. Never edit a
migration that has shipped: add a new function with the next number to the module it belongs in.

`migrations` (the `sqlite_utils.Migrations` set) is made the first time it is asked for: opening a
file whose migrations are all applied only reads their names (`pending`), without loading
sqlite-utils (store/reading.py says why).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite_utils import Database, Migrations

    from appreciate_tui.store.reading import Queries

MIGRATION_SET = "appreciate"
"""The name the migrations are recorded under in `_sqlite_migrations`."""

FTS_TOKENIZE = "porter unicode61 remove_diacritics 2"

# Tables and the columns full-text search covers.
FTS_COLUMNS = {
    "notes": ["body"],
    "questions": ["text"],
    "conversations": ["title", "topic"],
}

_NUMBERED = re.compile(r"m(\d{3})_")
_SET: Migrations | None = None


def steps() -> list[Callable[[Database], None]]:
    """Every migration, in number order."""
    from appreciate_tui.store.schema import indexes, tables

    found: dict[int, Callable[[Database], None]] = {}
    for module in (tables, indexes):
        for name, value in vars(module).items():
            numbered = _NUMBERED.match(name)
            if numbered and callable(value) and value.__module__ == module.__name__:
                number = int(numbered.group(1))
                if number in found:
                    raise RuntimeError(f"two migrations numbered {number:03d}: {name}")
                found[number] = value
    return [found[number] for number in sorted(found)]


def pending(db: Queries) -> list[str]:
    """The names of the migrations not yet applied to the file `db` reads, read without
    sqlite-utils."""
    exists = db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlite_migrations'"
    ).fetchone()
    applied = (
        {row[0] for row in db.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", [MIGRATION_SET]
        )}
        if exists
        else set()
    )
    return [step.__name__ for step in steps() if step.__name__ not in applied]


def __getattr__(name: str) -> Any:
    if name != "migrations":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    global _SET
    if _SET is None:
        from sqlite_utils import Migrations

        made = Migrations(MIGRATION_SET)
        for step in steps():
            made()(step)
        _SET = made
    return _SET
