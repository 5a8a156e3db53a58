"""Laptops for the partnership tests: each a database of its own, with a clock the test moves, and
bundles passed between them the way `appreciate export --format json` and `import` do."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from appreciate_tui.export import ExportRequest, record_export
from appreciate_tui.exchange import bundle as bundles
from appreciate_tui.store import Store
from appreciate_tui.store.merge import row_digest

START = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)


class Clock:
    def __init__(self) -> None:
        self.current = START

    def __call__(self) -> datetime:
        return self.current

    def tick(self, minutes: float = 1) -> None:
        self.current += timedelta(minutes=minutes)


class Laptop:
    """One facilitator's laptop: a database, and bundles in and out."""

    def __init__(self, folder: Path, name: str) -> None:
        self.name = name
        self.store = Store.open(folder / f"{name}.db")

    def export(self, conversation_id: str) -> dict[str, Any]:
        """What `appreciate export ID --format json` writes (and records) here."""
        data = bundles.build(self.store, conversation_id)
        record_export(self.store, conversation_id, ExportRequest(format="json"))
        return copy.deepcopy(data)

    def merge(self, *sent: dict[str, Any]):
        checked = [
            bundles.loads(bundles.dumps(data), self.store.bundle_schema(), f"{self.name}-{n}")
            for n, data in enumerate(sent)
        ]
        return bundles.merge_bundles(self.store, checked)

    def snapshot(self) -> dict[str, dict[str, dict[str, Any]]]:
        """Every row of every bundle table, by id (note revisions made by merging aside)."""
        tables: dict[str, dict[str, dict[str, Any]]] = {}
        for table in ("conversations", "participants", "questions", "notes", "actions",
                      "feedback", "scores", "outcome_links"):
            tables[table] = {
                row["id"]: row for row in self.store.db.query(f"SELECT * FROM {table}")
            }
        return tables

    def digest(self) -> dict[str, dict[str, str]]:
        return {
            table: {row_id: row_digest(row) for row_id, row in rows.items()}
            for table, rows in self.snapshot().items()
        }

    def close(self) -> None:
        self.store.close()


def totals(counts: dict[str, Any], what: str) -> int:
    return sum(getattr(c, what) for c in counts.values())
