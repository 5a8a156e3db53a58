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
"""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlite_utils import Database, Migrations

migrations = Migrations("appreciate")

FTS_TOKENIZE = "porter unicode61 remove_diacritics 2"

# Tables and the columns full-text search covers.
FTS_COLUMNS = {
    "notes": ["body"],
    "questions": ["text"],
    "conversations": ["title", "topic"],
}

_NUMBERED = re.compile(r"m(\d{3})_")


def _register() -> None:
    from appreciate_tui.store.schema import indexes, tables

    steps: dict[int, Callable[[Database], None]] = {}
    for module in (tables, indexes):
        for name, value in vars(module).items():
            found = _NUMBERED.match(name)
            if found and callable(value) and value.__module__ == module.__name__:
                number = int(found.group(1))
                if number in steps:
                    raise RuntimeError(f"two migrations numbered {number:03d}: {name}")
                steps[number] = value
    for number in sorted(steps):
        migrations()(steps[number])


_register()
