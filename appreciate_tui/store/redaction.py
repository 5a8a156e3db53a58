"""Per-conversation redaction terms: what the facilitator has said must never appear in an export
of this conversation (a child's name, an address, a case number)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Shorter terms would blank out ordinary words ("a", "I") wherever they occur.
MIN_TERM_LENGTH = 2


@dataclass(frozen=True)
class RedactionTerm:
    id: str
    conversation_id: str
    term: str
    created_at: str


def term(row: dict[str, Any]) -> RedactionTerm:
    return RedactionTerm(
        id=row["id"],
        conversation_id=row["conversation_id"],
        term=row["term"],
        created_at=row["created_at"],
    )
