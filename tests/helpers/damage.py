"""A damaged page that only a full check finds: the header, the schema and every other table stay
readable, so an open that does not read every page succeeds."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def damage_the_notes_table(path: Path) -> bytes:
    """Zero the b-tree header of the notes table's root page (page type 0 is invalid), after
    moving the write-ahead log into the file; returns the file's bytes as damaged."""
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'notes'").fetchone()[0]
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    assert root > 1
    data = bytearray(path.read_bytes())
    offset = (root - 1) * page_size
    data[offset : offset + 12] = b"\x00" * 12
    path.write_bytes(bytes(data))
    return bytes(data)
