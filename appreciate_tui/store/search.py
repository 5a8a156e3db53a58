"""Full-text search over everything written about a conversation (FTS5, ranked with bm25): its
notes, questions, title and topic, key learning, the reasons people gave for not coming, its
actions (what and who) and the participants' feedback comments. Escalated notes are never hits.

What a person types is never handed to FTS5 as syntax: each word becomes a quoted phrase (a
trailing `*` keeps its meaning of "starts with"), so `"`, `(`, `-` or `NEAR` in a search box can
only ever be searched for, not raise an error.

A common word can match tens of thousands of notes, so the work is done in steps: each index
ranks its newest matches by itself (FTS5 does this without touching the tables; RANK_WINDOW), only
the best few are joined to their conversation and question, and snippets are cut for the final
hits alone, in one pass over the matches between the first and the last hit.

Where a query matches more than RANK_WINDOW notes, what comes first is the best of its newest
RANK_WINDOW matches (not of every match), and a query of several words ranks them leaving out
words as common as "the" or "at" (COMMON_WORDS), which must still match: counting the notes that
hold such a word, which bm25 needs to weigh it, cost more than all the rest of the search. Below
RANK_WINDOW matches, the ranking is bm25's over every match, every word weighed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from appreciate_tui.domain import SearchHit

if TYPE_CHECKING:
    from appreciate_tui.store.reading import Queries

# Matches are marked in snippets with these two private-use characters; the CLI and the TUI turn
# them into their own highlighting.
MARK_START = "\ue000"
MARK_END = "\ue001"

_WORD = re.compile(r"[^\s]+")
# A word found in more notes than this is ranked among its most recent matches only (rowids grow
# as notes are written): ranking every one of 30,000 matches of "information" took 60-80 ms on
# a thousand conversations, ranking the newest 2,000 takes 5. Below it, ranking is exact; above
# it, the best hits of the latest conversations come first, which is what a person searching
# their recent work expects.
RANK_WINDOW = 2000
# The rest of the record (actions, feedback, absence reasons, key learning) has a row or a few per
# conversation: "police" is the owner of 3,000 actions at ten thousand conversations, and ranking
# the newest 2,000 of them cost more than all the notes' ranking but one query. A screenful of
# these is found among the newest few hundred.
RECORD_WINDOW = 300
# Words so common that, in a query of several words matching more than RANK_WINDOW notes, they
# still have to match but do not weigh in the order. bm25 weighs a word by how few notes have it,
# and finding that out means counting every note with "the" (most of them): 85 of the 100 ms a
# five-word phrase took on two million notes. A word in more than half the notes gets next to no
# weight from bm25 anyway.
COMMON_WORDS = frozenset(
    "a an and are as at be but by for from had has have he her his i in is it its of on or our "
    "she so that the their them then there they this to was we were what when where which who "
    "will with you".split()
)
_PHRASE = re.compile(r'"(?:[^"]|"")*"\*?')
# Ranked candidates taken from each index beyond the limit, so that deleted notes and binned
# conversations, filtered out afterwards, do not leave the list short.
_SLACK = 20


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


@dataclass(frozen=True)
class _Index:
    kind: str
    fts: str
    snippet_column: int
    # Joins a page of ranked rowids (bound as :rowids JSON) to what a hit shows.
    details: str
    window: int | None = None
    """How many of the newest matches are ranked, at most (None: RANK_WINDOW)."""

    @property
    def ranked(self) -> int:
        return self.window or RANK_WINDOW


# What a hit is, as the screens and `appreciate search` name it.
KIND_LABELS = {
    "note": "note",
    "question": "question",
    "conversation": "title",
    "key_learning": "key learning",
    "absence": "absence",
    "action": "action",
    "feedback": "feedback",
}

_NOTES = _Index(
    "note",
    "notes_fts",
    0,
    """
    SELECT n.rowid AS rowid, n.conversation_id, c.title AS conversation_title,
           n.question_id, q.text AS question, n.id AS note_id, NULL AS item_id, '' AS place
    FROM notes n
    JOIN questions q ON q.id = n.question_id
    JOIN conversations c ON c.id = n.conversation_id
    WHERE n.rowid IN (SELECT value FROM json_each(:rowids))
      AND n.deleted_at IS NULL AND c.deleted_at IS NULL
    """,
)
_QUESTIONS = _Index(
    "question",
    "questions_fts",
    0,
    """
    SELECT q.rowid AS rowid, q.conversation_id, c.title AS conversation_title,
           q.id AS question_id, q.text AS question, NULL AS note_id, NULL AS item_id, '' AS place
    FROM questions q
    JOIN conversations c ON c.id = q.conversation_id
    WHERE q.rowid IN (SELECT value FROM json_each(:rowids)) AND c.deleted_at IS NULL
    """,
)
_CONVERSATIONS = _Index(
    "conversation",
    "conversations_fts",
    -1,
    """
    SELECT c.rowid AS rowid, c.id AS conversation_id, c.title AS conversation_title,
           NULL AS question_id, c.topic AS question, NULL AS note_id, NULL AS item_id, '' AS place
    FROM conversations c
    WHERE c.rowid IN (SELECT value FROM json_each(:rowids)) AND c.deleted_at IS NULL
    """,
)
# The rest of the record (schema m023). The indexes hold every row; what the record does not
# show is left out here: the absence reason of someone who came after all.
_LEARNING = _Index(
    "key_learning",
    "learning_fts",
    0,
    """
    SELECT c.rowid AS rowid, c.id AS conversation_id, c.title AS conversation_title,
           NULL AS question_id, '' AS question, NULL AS note_id, NULL AS item_id, '' AS place
    FROM conversations c
    WHERE c.rowid IN (SELECT value FROM json_each(:rowids)) AND c.deleted_at IS NULL
    """,
    RECORD_WINDOW,
)
_ABSENCES = _Index(
    "absence",
    "absences_fts",
    0,
    """
    SELECT p.rowid AS rowid, p.conversation_id, c.title AS conversation_title,
           NULL AS question_id, '' AS question, NULL AS note_id, p.id AS item_id,
           p.pseudonym || ' (' || p.agency || ')' AS place
    FROM participants p
    JOIN conversations c ON c.id = p.conversation_id
    WHERE p.rowid IN (SELECT value FROM json_each(:rowids)) AND c.deleted_at IS NULL
      AND NOT (p.attended AND c.started_at IS NOT NULL)
    """,
    RECORD_WINDOW,
)
_ACTIONS = _Index(
    "action",
    "actions_fts",
    -1,
    """
    SELECT a.rowid AS rowid, a.conversation_id, c.title AS conversation_title,
           NULL AS question_id, '' AS question, NULL AS note_id, a.id AS item_id,
           a.owner AS place
    FROM actions a
    JOIN conversations c ON c.id = a.conversation_id
    WHERE a.rowid IN (SELECT value FROM json_each(:rowids)) AND c.deleted_at IS NULL
    """,
    RECORD_WINDOW,
)
_FEEDBACK = _Index(
    "feedback",
    "feedback_fts",
    0,
    """
    SELECT f.rowid AS rowid, f.conversation_id, c.title AS conversation_title,
           NULL AS question_id, '' AS question, NULL AS note_id, f.id AS item_id,
           coalesce(p.pseudonym || ' (' || p.agency || ')', f.agency, '') AS place
    FROM feedback f
    JOIN conversations c ON c.id = f.conversation_id
    LEFT JOIN participants p ON p.id = f.participant_id
    WHERE f.rowid IN (SELECT value FROM json_each(:rowids)) AND c.deleted_at IS NULL
    """,
    RECORD_WINDOW,
)
INDEXES = (_NOTES, _QUESTIONS, _CONVERSATIONS, _LEARNING, _ABSENCES, _ACTIONS, _FEEDBACK)


def _ranked(db: Queries, index: _Index, match: str, limit: int) -> dict[int, float]:
    weighed = _without_common_words(match)
    if weighed != match:
        newest = [
            row[0]
            for row in db.execute(
                f"SELECT rowid FROM {index.fts} WHERE {index.fts} MATCH ? "
                "ORDER BY rowid DESC LIMIT ?",
                [match, index.ranked],
            ).fetchall()
        ]
        if not newest:
            return {}
        if len(newest) == index.ranked:
            return _ranked_within(db, index, weighed, newest, limit)
    rows = db.query(
        f"""SELECT rowid, rank FROM (
                SELECT rowid, rank FROM {index.fts} WHERE {index.fts} MATCH :match
                ORDER BY rowid DESC LIMIT :window
            ) ORDER BY rank LIMIT :k""",
        {"match": match, "window": index.ranked, "k": limit + _SLACK},
    )
    return {row["rowid"]: row["rank"] for row in rows}


def _without_common_words(match: str) -> str:
    """The query without its phrases that are one common word, unless nothing else is left."""
    phrases = _PHRASE.findall(match)
    kept = [p for p in phrases if p.strip('"').casefold() not in COMMON_WORDS]
    return " ".join(kept) if kept and len(kept) < len(phrases) else match


def _ranked_within(
    db: Queries, index: _Index, weighed: str, rowids: list[int], limit: int
) -> dict[int, float]:
    """bm25 of the rows `rowids` (the newest matches of the whole query) by the query without its
    common words: each of those rows matches it too, so the rows between the first and the last
    are ranked in one pass and the others set aside."""
    wanted = set(rowids)
    ranked = sorted(
        (rank, rowid)
        for rowid, rank in db.execute(
            f"SELECT rowid, rank FROM {index.fts} WHERE {index.fts} MATCH ? "
            "AND rowid BETWEEN ? AND ?",
            [weighed, min(rowids), max(rowids)],
        ).fetchall()
        if rowid in wanted
    )
    return {rowid: rank for rank, rowid in ranked[: limit + _SLACK]}


def _rowids(rowids: Any) -> str:
    return "[" + ",".join(str(int(r)) for r in rowids) + "]"


def _candidates(db: Queries, index: _Index, match: str, limit: int) -> Iterator[dict[str, Any]]:
    ranks = _ranked(db, index, match, limit)
    if not ranks:
        return
    for row in db.query(index.details, {"rowids": _rowids(ranks)}):
        yield {**row, "kind": index.kind, "rank": ranks[row["rowid"]], "index": index}


def _snippets(db: Queries, index: _Index, match: str, rowids: list[int]) -> dict[int, str]:
    # One pass over the matches between the first and last hit, cutting a snippet for the hits
    # alone. `rowid IN (…)` next to MATCH would run the whole query once per hit: for a prefix
    # such as `thresh*` (a hundred thousand notes at 10,000 conversations) 180 ms instead of 4.
    sql = (
        f"SELECT rowid, CASE WHEN rowid IN (SELECT value FROM json_each(:rowids)) THEN "
        f"snippet({index.fts}, {index.snippet_column}, '{MARK_START}', '{MARK_END}', '…', 16) "
        f"END AS snippet FROM {index.fts} WHERE {index.fts} MATCH :match "
        "AND rowid BETWEEN :first AND :last"
    )
    found = db.query(
        sql,
        {"match": match, "rowids": _rowids(rowids), "first": min(rowids), "last": max(rowids)},
    )
    return {row["rowid"]: row["snippet"] for row in found if row["snippet"] is not None}


def _present(db: Queries) -> list[_Index]:
    """The indexes this file has: one opened read-only before a schema change lacks the newer."""
    names = {
        row[0]
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN "
            f"({', '.join('?' for _ in INDEXES)})",
            [index.fts for index in INDEXES],
        ).fetchall()
    }
    return [index for index in INDEXES if index.fts in names]


def search(db: Queries, text: str, limit: int) -> list[SearchHit]:
    """The best `limit` matches for `text` in everything written about every conversation."""
    match = fts_query(text)
    if not match or limit <= 0:
        return []
    indexes = _present(db)
    candidates = [row for index in indexes for row in _candidates(db, index, match, limit)]
    best = sorted(candidates, key=lambda row: row["rank"])[:limit]
    snippets: dict[tuple[str, int], str] = {}
    for index in indexes:
        rowids = [row["rowid"] for row in best if row["index"] is index]
        if rowids:
            for rowid, snippet in _snippets(db, index, match, rowids).items():
                snippets[index.kind, rowid] = snippet
    return [
        SearchHit(
            kind=row["kind"],
            conversation_id=row["conversation_id"],
            conversation_title=row["conversation_title"],
            question_id=row["question_id"],
            question=row["question"] or "",
            note_id=row["note_id"],
            snippet=snippets.get((row["kind"], row["rowid"])) or "",
            rank=row["rank"],
            item_id=row["item_id"],
            place=row["place"] or "",
        )
        for row in best
    ]


def highlight(snippet: str, start: str, end: str) -> str:
    return snippet.replace(MARK_START, start).replace(MARK_END, end)
