"""Full-text search over notes, questions and conversations (FTS5, ranked with bm25).

What a person types is never handed to FTS5 as syntax: each word becomes a quoted phrase (a
trailing `*` keeps its meaning of "starts with"), so `"`, `(`, `-` or `NEAR` in a search box can
only ever be searched for, not raise an error.
"""

from __future__ import annotations

import re

# Matches are marked in snippets with these two private-use characters; the CLI and the TUI turn
# them into their own highlighting.
MARK_START = "\ue000"
MARK_END = "\ue001"

_WORD = re.compile(r"[^\s]+")


def fts_query(text: str) -> str:
    """Turn what a person typed into an FTS5 query that matches all of its words."""
    phrases = []
    for word in _WORD.findall(text):
        prefix = word.endswith("*")
        word = word.rstrip("*").replace('"', '""')
        if not word.strip('"'):
            continue
        phrases.append(f'"{word}"' + ("*" if prefix else ""))
    return " ".join(phrases)


def _snippet(table: str, column: int) -> str:
    return f"snippet({table}, {column}, '{MARK_START}', '{MARK_END}', '…', 16)"


def search_sql() -> str:
    """One ranked list across the three indexes; deleted notes and binned conversations are left out."""
    return f"""
    SELECT * FROM (
        SELECT 'note' AS kind, n.conversation_id, c.title AS conversation_title,
               n.question_id, q.text AS question, n.id AS note_id,
               {_snippet('notes_fts', 0)} AS snippet, bm25(notes_fts) AS rank
        FROM notes_fts
        JOIN notes n ON n.rowid = notes_fts.rowid
        JOIN questions q ON q.id = n.question_id
        JOIN conversations c ON c.id = n.conversation_id
        WHERE notes_fts MATCH :match AND n.deleted_at IS NULL AND c.deleted_at IS NULL
        UNION ALL
        SELECT 'question', q.conversation_id, c.title, q.id, q.text, NULL,
               {_snippet('questions_fts', 0)}, bm25(questions_fts)
        FROM questions_fts
        JOIN questions q ON q.rowid = questions_fts.rowid
        JOIN conversations c ON c.id = q.conversation_id
        WHERE questions_fts MATCH :match AND c.deleted_at IS NULL
        UNION ALL
        SELECT 'conversation', c.id, c.title, NULL, c.topic, NULL,
               {_snippet('conversations_fts', -1)}, bm25(conversations_fts)
        FROM conversations_fts
        JOIN conversations c ON c.rowid = conversations_fts.rowid
        WHERE conversations_fts MATCH :match AND c.deleted_at IS NULL
    )
    ORDER BY rank
    LIMIT :limit
    """


def highlight(snippet: str, start: str, end: str) -> str:
    return snippet.replace(MARK_START, start).replace(MARK_END, end)
