"""Where people's words are kept, and how a name is found in them (for erasure, store/erasure.py).

`free_text_columns` lists every column someone could have typed a name into (a column a later
migration adds is included unless `NOT_FREE_TEXT` says it holds no words); `NamePattern` finds a
name as a whole word in any case, Unicode form or with invisible characters inside it.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from appreciate_tui.text import clean_line

MIN_NAME_LENGTH = 2
MIN_DRAFT_MATCH = 8  # a shorter draft inside an erased note is not taken to be part of it

# Columns that certainly hold words someone typed. Every other TEXT column is treated the same
# way unless NOT_FREE_TEXT lists it, so a column added by a later migration is searched too.
FREE_TEXT: dict[str, tuple[str, ...]] = {
    "conversations": ("title", "topic", "setting", "facilitator", "opening", "key_learning"),
    "participants": ("pseudonym", "name", "role", "absence_reason"),
    "questions": ("text", "prompts"),
    "notes": ("body", "escalation_passed_to"),
    "note_revisions": ("body",),
    "actions": ("description", "owner"),
    "feedback": ("comments",),
    "shares": ("recipient", "purpose", "path"),
    "drafts": ("body",),
    "redaction_terms": ("term",),
}
JSON_LISTS = {("questions", "prompts")}

# TEXT columns that hold ids, timestamps, fixed vocabularies or checksums, never typed words.
NOT_FREE_TEXT: dict[str, tuple[str, ...]] = {
    "conversations": ("id", "date", "status", "bank_id", "current_question_id", "started_at",
                      "ended_at", "questions_shared_at", "phase_budget", "created_at",
                      "updated_at", "deleted_at", "start_time"),
    "participants": ("id", "conversation_id", "agency", "created_at", "updated_at"),
    "questions": ("id", "conversation_id", "parent_id", "phase", "kind", "status", "asked_at",
                  "created_at", "updated_at"),
    "notes": ("id", "conversation_id", "question_id", "stance", "participant_id", "agency",
              "escalation_handled_at", "sha256", "created_at", "updated_at", "deleted_at",
              "follow_up_id"),
    "note_revisions": ("id", "note_id", "stance", "agency", "participant_id", "revised_at",
                       "change", "undoes"),
    "actions": ("id", "conversation_id", "due", "status", "note_id", "created_at", "updated_at"),
    "feedback": ("id", "conversation_id", "participant_id", "agency", "useful_question_ids",
                 "created_at", "updated_at", "question_scores"),
    "shares": ("id", "conversation_id", "format", "created_at"),
    "drafts": ("conversation_id", "field", "updated_at"),
    "redaction_terms": ("id", "conversation_id", "created_at"),
    "scores": ("id", "conversation_id", "question_id", "note_id", "participant_id", "agency",
               "created_at", "updated_at"),
    "outcome_links": ("id", "conversation_id", "area", "note_id", "action_id", "created_at",
                      "updated_at", "removed_at"),
    "pauses": ("id", "conversation_id", "paused_at", "resumed_at", "created_at", "updated_at"),
    "theme_choices": ("id", "stance", "created_at", "updated_at"),
}
# Tables that are bookkeeping, never anybody's words: the erasure record itself, migrations,
# digests of row versions (merge.py), the live-note tallies (schema m010) and the insights'
# tallies (m016), which hold ids and counts. `theme_term_tallies` also holds single words, but like
# the full-text indexes only those of live notes: its triggers take a note's words out as the note
# changes or goes, so a name replaced in every note leaves it too.
INSIGHT_TALLIES = {"note_stance_tallies", "note_agency_tallies", "question_note_tallies",
                   "theme_term_tallies"}
NOT_CONTENT = {"erasures", "_sqlite_migrations", "row_versions", "note_tallies", *INSIGHT_TALLIES}
_FTS5 = re.compile(r"using\s+fts5\s*\(", re.IGNORECASE)
_SHADOW = ("_data", "_idx", "_docsize", "_config", "_content")


def fts_tables(conn: Any) -> list[str]:
    """Every FTS5 index in the database (not the fts5vocab views over them)."""
    return [
        row[0]
        for row in conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
        if row[1] and _FTS5.search(row[1])
    ]


def content_tables(conn: Any) -> list[str]:
    """Ordinary tables that can hold what people said (not FTS5 indexes or their shadow tables,
    not bookkeeping)."""
    fts = fts_tables(conn)
    shadows = {f"{name}{suffix}" for name in fts for suffix in _SHADOW}
    return [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name"
        )
        if row[0] not in shadows and row[0] not in NOT_CONTENT
    ]


def free_text_columns(conn: Any) -> dict[str, tuple[str, ...]]:
    """Table -> the columns a name could be typed into: FREE_TEXT, plus any TEXT column that
    NOT_FREE_TEXT does not list (a column added later is searched rather than forgotten)."""
    found: dict[str, tuple[str, ...]] = {}
    for table in content_tables(conn):
        skip = set(NOT_FREE_TEXT.get(table, ()))
        columns = [
            row[1]
            for row in conn.execute(f'PRAGMA table_info("{table}")')
            if row[1] not in skip and ("TEXT" in str(row[2]).upper() or not row[2])
        ]
        if columns:
            found[table] = tuple(columns)
    return found


# A zero-width space shows as nothing but marks a break between words, so in a name (typed or
# stored) it may stand for a space or for nothing. Every other invisible character (Unicode
# category Cf: a soft hyphen, a zero-width joiner, a word joiner, a byte-order mark, a bidi
# control) stands for nothing: pasted inside a name it would otherwise hide it from the search.
ZERO_WIDTH_SPACE = "\u200b"
_AS_SPACE_OR_NOTHING = (" ", "")


@lru_cache(maxsize=1)
def _invisible() -> re.Pattern[str]:
    """Every format character (category Cf) but the zero-width space: built once, when a name is
    first looked for, so that starting the app does not pay for it."""
    codes = (chr(code) for code in range(sys.maxunicode + 1) if code != 0x200B
             and unicodedata.category(chr(code)) == "Cf")
    return re.compile("[" + "".join(re.escape(char) for char in codes) + "]")


def fold(text: str, zero_width_space: str) -> str:
    """Text as names are compared in it: invisible characters dropped (a zero-width space
    becoming `zero_width_space`), compatibility forms unified (NFKC) and case folded."""
    if not text.isascii():
        text = _invisible().sub("", text.replace(ZERO_WIDTH_SPACE, zero_width_space))
        return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    return text.casefold()


def _folded_spans(text: str, zero_width_space: str) -> tuple[str, list[tuple[int, int]]]:
    """`fold(text)` with, for each of its characters, the span of `text` it came from: a
    character with the combining marks after it is folded as one, so a match in the folded text
    maps back to whole characters of the stored one, invisible ones inside it included."""
    if text.isascii():
        return text.casefold(), [(index, index + 1) for index in range(len(text))]
    pieces: list[list[Any]] = []  # [text, start, end, takes marks]
    for index, char in enumerate(text):
        if char == ZERO_WIDTH_SPACE:
            pieces.append([zero_width_space, index, index + 1, False])
        elif _invisible().fullmatch(char):
            continue
        elif unicodedata.category(char).startswith("M") and pieces and pieces[-1][3]:
            pieces[-1][0] += char
            pieces[-1][2] = index + 1
        else:
            pieces.append([char, index, index + 1, True])
    folded, spans = [], []
    for piece, start, end, _ in pieces:
        for char in fold(piece, zero_width_space):
            folded.append(char)
            spans.append((start, end))
    return "".join(folded), spans


class NamePattern:
    """A name (and its other forms) as a whole word, in any case and any Unicode form ("Zoë"
    composed or not, full-width letters), whatever invisible characters are inside it, in the
    name given or in the stored text. Every character of a name is literal: `.`, `*`, `%` or `(`
    in it mean nothing special."""

    def __init__(self, terms: Iterable[str]) -> None:
        forms = {
            r"\s+".join(re.escape(word) for word in fold(term, as_space).split())
            for term in terms for as_space in _AS_SPACE_OR_NOTHING
        } - {""}
        alternatives = "|".join(sorted(forms, key=len, reverse=True)) or "(?!)"
        self._regex = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")

    def search(self, text: str) -> bool:
        return any(self._regex.search(fold(text, as_space)) for as_space in _AS_SPACE_OR_NOTHING)

    def is_whole(self, text: str) -> bool:
        """Whether all of `text` is the name (a participant's recorded name, say)."""
        return any(
            self._regex.fullmatch(" ".join(fold(text, as_space).split()))
            for as_space in _AS_SPACE_OR_NOTHING
        )

    def replace(self, text: str, replacement: str) -> str:
        """`text` with every span holding the name replaced, and nothing else changed."""
        spans = []
        for as_space in _AS_SPACE_OR_NOTHING:
            folded, origin = _folded_spans(text, as_space)
            spans += [(origin[m.start()][0], origin[m.end() - 1][1])
                      for m in self._regex.finditer(folded) if m.end() > m.start()]
        merged: list[list[int]] = []
        for start, end in sorted(spans):
            if merged and start < merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        parts, done = [], 0
        for start, end in merged:
            parts += [text[done:start], replacement]
            done = end
        return "".join(parts) + text[done:]


def name_terms(name: str, also: Iterable[str] = ()) -> list[str]:
    """The cleaned, distinct terms to look for, longest first (so "Jane Smith" is replaced whole
    before "Jane" alone is looked at)."""
    terms: dict[str, str] = {}
    for raw in (name, *also):
        term = clean_line(raw)
        key = " ".join(fold(term, " ").split())
        if len(key.replace(" ", "")) < MIN_NAME_LENGTH:
            raise ValueError(f"a name to erase needs at least {MIN_NAME_LENGTH} characters")
        terms.setdefault(key, term)
    return sorted(terms.values(), key=len, reverse=True)


def name_pattern(terms: Iterable[str]) -> NamePattern:
    return NamePattern(terms)
