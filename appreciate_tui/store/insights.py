"""The SQL behind insights across conversations (appreciate_tui/insights/compute.py puts it together).

Every figure is read from counts kept as notes are written, or from tables of a few thousand
rows, so insights over 10,000 conversations and two million notes read tens of thousands of rows,
not millions: live notes per conversation and stance (`note_stance_tallies`), per conversation
and agency (`note_agency_tallies`), per question (`question_note_tallies`), and the notes of
each stance that use each word (`theme_term_tallies`, what the `note_themes` index counts), all
kept by triggers on `notes` (schema m016). Only when the figures are limited to conversations
since a date are the words of those notes read and counted here instead.

The questions are counted along an index by kind and wording (schema m018), the open actions
read in full and the others only counted. Where a function returns thousands of rows they are
plain tuples, else dicts; `since` is a `YYYY-MM-DD` date or None for all time. Conversations in
the bin are left out everywhere.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from itertools import chain
from typing import Any

from sqlite_utils import Database

STANCE_COLUMNS = ("strength", "concern", "dream", "idea", "action", "quote", "note")
STANCES_IN_ORDER = tuple(sorted(STANCE_COLUMNS))
"""The order of `stance_counts`' columns (the stances' names in order)."""

_LIVE = "c.deleted_at IS NULL AND (:since IS NULL OR c.date >= :since)"
# The words the `note_themes` tokenizer makes: letters and digits, with `#` kept inside a word.
# (`(?:[^\W_]|#)+` once `_` is made a space: one character class matches twice as fast.)
_WORD = re.compile(r"[\w#]+")


def _params(since: str | None, **more: Any) -> dict[str, Any]:
    return {"since": since, **more}


def tallied(db: Database) -> bool:
    """Whether the counts kept by triggers are there (schema m016). A database last written by
    an earlier version and opened read-only has not been migrated: it is counted the old way."""
    found = db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'theme_term_tallies'"
    ).fetchone()
    return found is not None


def conversations(db: Database, since: str | None) -> list[tuple[str, str, str, str]]:
    """(id, title, date, status) of the conversations, oldest first."""
    return db.execute(
        f"SELECT c.id, c.title, c.date, c.status FROM conversations c WHERE {_LIVE} "
        "ORDER BY c.date, c.created_at",
        _params(since),
    ).fetchall()


def stance_counts(db: Database) -> list[tuple[Any, ...]]:
    """(conversation_id, action, concern, dream, idea, note, quote, strength): live notes of
    each stance for every conversation with notes, None where a stance has none, from
    `note_stance_tallies` (kept by triggers as notes are written; a count that reaches nought
    goes); the caller keeps the conversations it shows. Plain tuples, one per conversation."""
    counted = (
        "note_stance_tallies"
        if tallied(db)
        else "(SELECT conversation_id, stance, count(*) AS notes FROM notes "
        "WHERE deleted_at IS NULL GROUP BY conversation_id, stance)"
    )
    columns = ", ".join(
        f"sum(CASE WHEN stance = '{stance}' THEN notes END)" for stance in STANCES_IN_ORDER
    )
    return db.execute(
        f"SELECT conversation_id, {columns} FROM {counted} GROUP BY conversation_id"
    ).fetchall()


def theme_terms(db: Database, since: str | None) -> list[dict[str, Any]]:
    """(stance, term, notes): how many live notes of each stance use each word or #tag."""
    counts: dict[str, Counter[str]] = {stance: Counter() for stance in STANCE_COLUMNS}
    if since is None:
        # The index holds the notes of conversations in the bin too (a handful): take them off.
        bodies: dict[str, list[str]] = {stance: [] for stance in STANCE_COLUMNS}
        for stance, body in db.execute(
            # From the few conversations in the bin to their notes (CROSS JOIN keeps that order).
            "SELECT n.stance, n.body FROM conversations c CROSS JOIN notes n "
            "ON n.conversation_id = c.id WHERE c.deleted_at IS NOT NULL AND n.deleted_at IS NULL"
        ).fetchall():
            bodies[stance].append(body)
        # Each note's words counted once, all of a stance's notes in one count.
        binned = {
            stance: Counter(chain.from_iterable(set(words(body)) for body in said))
            for stance, said in bodies.items()
        }
        found = []
        counted = (
            "SELECT term, stance, notes FROM theme_term_tallies"
            if tallied(db)
            else "SELECT term, col, doc FROM note_themes_terms"
        )
        for term, stance, notes in db.execute(counted):
            notes -= binned[stance].get(term, 0)
            if notes > 0:
                found.append({"stance": stance, "term": term, "notes": notes})
        return found
    for stance, body in db.execute(
        "SELECT n.stance, n.body FROM notes n JOIN conversations c ON c.id = n.conversation_id "
        f"WHERE n.deleted_at IS NULL AND {_LIVE}",
        _params(since),
    ).fetchall():
        counts[stance].update(set(words(body)))
    return [
        {"stance": stance, "term": term, "notes": notes}
        for stance, counter in counts.items()
        for term, notes in counter.items()
    ]


def words(text: str) -> list[str]:
    """A note's words as the `note_themes` index reads them: lower case, accents taken off."""
    plain = text.casefold()
    if not plain.isascii():
        plain = unicodedata.normalize("NFKD", plain)
        plain = "".join(char for char in plain if not unicodedata.combining(char))
    return _WORD.findall(plain.replace("_", " "))


def theme_note_ids(
    db: Database, stance: str, term: str, since: str | None, limit: int
) -> list[dict[str, Any]]:
    """The notes of one stance that use a word (newest first), found through `note_themes`."""
    if stance not in STANCE_COLUMNS:
        raise ValueError(f"not a stance: {stance!r}")
    phrase = '"' + term.replace('"', '""') + '"'
    return list(
        db.query(
            "SELECT n.id, n.conversation_id, n.body, n.stance, n.agency, n.created_at, "
            "c.title AS conversation_title, c.date AS conversation_date "
            "FROM note_themes t JOIN notes n ON n.rowid = t.rowid "
            "JOIN conversations c ON c.id = n.conversation_id "
            f"WHERE note_themes MATCH :match AND n.deleted_at IS NULL AND {_LIVE} "
            "ORDER BY n.created_at DESC LIMIT :limit",
            _params(since, match=f"{stance} : {phrase}", limit=limit),
        )
    )


_OWNER_AGENCY = (
    "(SELECT p.agency FROM participants p WHERE p.conversation_id = a.conversation_id "
    " AND a.owner != '' AND (lower(p.pseudonym) = lower(a.owner) OR lower(p.name) = lower(a.owner)) "
    " LIMIT 1)"
)


def actions(db: Database, since: str | None) -> list[tuple[Any, ...]]:
    """The open and in-progress actions of the conversations, soonest due first, as tuples
    (id, conversation_id, conversation_title, description, owner, owner_agency, due, status):
    the owner's agency is theirs when the owner is one of the conversation's participants (by
    pseudonym or name). Done and dropped actions are only counted (`action_counts`)."""
    # NOT INDEXED: the actions are read in the table's order, as when every action was read, so
    # that actions due at the same moment keep their order.
    return db.execute(
        "SELECT a.id, a.conversation_id, c.title, a.description, a.owner, "
        f"{_OWNER_AGENCY}, a.due, a.status "
        "FROM actions a NOT INDEXED JOIN conversations c ON c.id = a.conversation_id "
        f"WHERE a.status IN ('open', 'in_progress') AND {_LIVE} "
        "ORDER BY a.due IS NULL, a.due, a.created_at",
        _params(since),
    ).fetchall()


def action_counts(db: Database, since: str | None) -> list[tuple[str, str, str | None, int]]:
    """(status, owner, owner's agency among the participants, actions) for the done and dropped
    actions of the conversations (the open ones are all read: `actions`)."""
    return db.execute(
        f"SELECT a.status, a.owner, {_OWNER_AGENCY} AS owner_agency, count(*) "
        # CROSS JOIN: conversation by conversation, so that each one's participants are read
        # together, not looked for all over the table.
        "FROM conversations c CROSS JOIN actions a ON a.conversation_id = c.id "
        f"WHERE a.status NOT IN ('open', 'in_progress') AND {_LIVE} "
        "GROUP BY a.status, a.owner, owner_agency",
        _params(since),
    ).fetchall()


def successes(db: Database, since: str | None, limit: int) -> list[dict[str, Any]]:
    """Starred strengths and quotes, newest first."""
    return list(
        db.query(
            "SELECT n.id, n.conversation_id, n.body, n.stance, n.agency, n.created_at, "
            "c.title AS conversation_title, c.date AS conversation_date, q.text AS question "
            "FROM notes n JOIN conversations c ON c.id = n.conversation_id "
            "JOIN questions q ON q.id = n.question_id "
            "WHERE n.starred = 1 AND n.deleted_at IS NULL AND n.stance IN ('strength', 'quote') "
            f"AND {_LIVE} ORDER BY n.created_at DESC LIMIT :limit",
            _params(since, limit=limit),
        )
    )


def attendance(db: Database, since: str | None) -> list[dict[str, Any]]:
    """Per agency: people invited and attending, and in how many conversations (counted per
    conversation first, which spares a distinct count over every participant)."""
    return list(
        db.query(
            "SELECT agency, sum(invited) AS invited, sum(attended) AS attended, "
            "count(*) AS conversations_invited, sum(attended_any) AS conversations_attended "
            "FROM (SELECT p.agency, sum(p.invited) AS invited, sum(p.attended) AS attended, "
            "  max(CASE WHEN p.attended THEN 1 ELSE 0 END) AS attended_any "
            "  FROM conversations c JOIN participants p ON p.conversation_id = c.id "
            f"  WHERE {_LIVE} AND c.status != 'planned' GROUP BY c.id, p.agency) "
            "GROUP BY agency ORDER BY agency",
            _params(since),
        )
    )


def contributions(db: Database, since: str | None) -> list[dict[str, Any]]:
    """(agency, notes): the live notes attributed to each agency in the conversations, from
    `note_agency_tallies` (kept by triggers)."""
    counted = (
        "note_agency_tallies"
        if tallied(db)
        else "(SELECT conversation_id, agency, count(*) AS notes FROM notes "
        "WHERE deleted_at IS NULL AND agency IS NOT NULL GROUP BY conversation_id, agency)"
    )
    return list(
        db.query(
            f"SELECT t.agency, sum(t.notes) AS notes FROM {counted} t "
            f"JOIN conversations c ON c.id = t.conversation_id WHERE {_LIVE} "
            "GROUP BY t.agency ORDER BY t.agency",
            _params(since),
        )
    )


def questions(db: Database, since: str | None) -> list[dict[str, Any]]:
    """The questions of the conversations, one row per kind and exact wording (in that order):
    in how many conversations it was asked, how many notes it drew, how many people said in their
    feedback that it was useful, whether any was marked worth keeping, and the most recent one's
    id, phase, bank and date (the latest by conversation date, then id).

    The figures are counted along the `questions_wording` index (schema m018), in wording order,
    with no sort; the most recent question of each wording is found by walking the conversations
    from the newest, stopping once every wording has been met (usually within the newest few
    dozen conversations)."""
    noted = (
        "question_note_tallies"
        if tallied(db)
        else "(SELECT question_id, count(*) AS notes FROM notes WHERE deleted_at IS NULL "
        "GROUP BY question_id)"
    )
    params = _params(since)
    counted = db.execute(
        "WITH useful AS (SELECT j.value AS question_id, count(*) AS votes "
        "  FROM feedback f, json_each(f.useful_question_ids) j GROUP BY j.value) "
        "SELECT q.kind, q.text, "
        "count(DISTINCT CASE WHEN q.status = 'asked' THEN q.conversation_id END), "
        "sum(coalesce(noted.notes, 0)), sum(coalesce(useful.votes, 0)), "
        "sum(q.worth_keeping != 0) > 0 "
        f"FROM questions q LEFT JOIN {noted} noted ON noted.question_id = q.id "
        "LEFT JOIN useful ON useful.question_id = q.id "
        # `+`: the live conversations are a list looked into, not a way into the questions.
        f"WHERE +q.conversation_id IN (SELECT c.id FROM conversations c WHERE {_LIVE}) "
        "GROUP BY q.kind, q.text ORDER BY q.kind, q.text",
        params,
    ).fetchall()
    latest: dict[tuple[str, str], tuple[Any, ...]] = {}
    if counted:
        newest_first = db.execute(
            # CROSS JOIN: from the conversations, newest first, to their questions.
            "SELECT q.kind, q.text, q.id, q.phase, c.bank_id, c.date "
            "FROM conversations c CROSS JOIN questions q ON q.conversation_id = c.id "
            f"WHERE {_LIVE} ORDER BY c.date DESC, q.id DESC",
            params,
        )
        wanted = len(counted)
        for row in newest_first:
            if (row[0], row[1]) not in latest:
                latest[row[0], row[1]] = row
                if len(latest) == wanted:
                    break
        newest_first.close()
    found = []
    for kind, text, asked, notes, useful, worth_keeping in counted:
        _, _, question_id, phase, bank_id, conversation_date = latest[kind, text]
        found.append(
            {"kind": kind, "text": text, "asked": asked, "notes": notes, "useful": useful,
             "worth_keeping": worth_keeping, "id": question_id, "phase": phase,
             "bank_id": bank_id, "conversation_date": conversation_date}
        )
    return found


def asked_in(db: Database, since: str | None, kind: str, texts: list[str]) -> set[str]:
    """The conversations that asked a question of this kind worded as one of `texts`."""
    return {
        row[0]
        for row in db.execute(
            "SELECT DISTINCT q.conversation_id FROM questions q "
            "JOIN conversations c ON c.id = q.conversation_id "
            "WHERE q.kind = :kind AND q.status = 'asked' "
            f"AND q.text IN (SELECT value FROM json_each(:texts)) AND {_LIVE}",
            _params(since, kind=kind, texts=json.dumps(texts)),
        ).fetchall()
    }


def scores(db: Database, since: str | None) -> list[dict[str, Any]]:
    """Every score whose note is still there, with its conversation and question."""
    return list(
        db.query(
            "SELECT s.id, s.conversation_id, s.question_id, s.value, s.agency, s.participant_id, "
            "s.created_at, c.title AS conversation_title, c.date AS conversation_date, "
            "q.text AS question "
            "FROM scores s JOIN conversations c ON c.id = s.conversation_id "
            "LEFT JOIN questions q ON q.id = s.question_id "
            "LEFT JOIN notes n ON n.id = s.note_id "
            f"WHERE (s.note_id IS NULL OR n.deleted_at IS NULL) AND {_LIVE} "
            "ORDER BY c.date, s.created_at",
            _params(since),
        )
    )


def outcome_links(db: Database, since: str | None) -> list[dict[str, Any]]:
    """Every live link to an outcome area, with what it links: a note (and its stance), an
    action (and its status) or the whole conversation."""
    return list(
        db.query(
            "SELECT l.id, l.area, l.conversation_id, l.note_id, l.action_id, n.stance, "
            "a.status AS action_status, c.title AS conversation_title, c.date AS conversation_date "
            "FROM outcome_links l JOIN conversations c ON c.id = l.conversation_id "
            "LEFT JOIN notes n ON n.id = l.note_id LEFT JOIN actions a ON a.id = l.action_id "
            f"WHERE l.removed_at IS NULL AND (l.note_id IS NULL OR n.deleted_at IS NULL) AND {_LIVE}",
            _params(since),
        )
    )


def rebuild_theme_index(db: Database) -> None:
    """Fill `note_themes` again from the notes (after a bulk load that set its triggers aside)."""
    columns = ", ".join(STANCE_COLUMNS)
    values = ", ".join(f"CASE WHEN stance = '{s}' THEN body END" for s in STANCE_COLUMNS)
    db.execute("INSERT INTO note_themes (note_themes) VALUES ('delete-all')")
    db.execute(
        f"INSERT INTO note_themes (rowid, {columns}) SELECT rowid, {values} FROM notes "
        "WHERE deleted_at IS NULL"
    )


def rebuild_insight_tallies(db: Database) -> None:
    """Count the insights' tallies again from the notes and the `note_themes` index (after a bulk
    load that set the notes' triggers aside; rebuild `note_themes` first)."""
    for table in ("note_stance_tallies", "note_agency_tallies", "question_note_tallies",
                  "theme_term_tallies"):
        db.execute(f"DELETE FROM {table}")
    db.execute(
        "INSERT INTO note_stance_tallies (conversation_id, stance, notes) "
        "SELECT conversation_id, stance, count(*) FROM notes WHERE deleted_at IS NULL "
        "GROUP BY conversation_id, stance"
    )
    db.execute(
        "INSERT INTO note_agency_tallies (conversation_id, agency, notes) "
        "SELECT conversation_id, agency, count(*) FROM notes "
        "WHERE deleted_at IS NULL AND agency IS NOT NULL GROUP BY conversation_id, agency"
    )
    db.execute(
        "INSERT INTO question_note_tallies (question_id, notes) "
        "SELECT question_id, count(*) FROM notes WHERE deleted_at IS NULL GROUP BY question_id"
    )
    db.execute(
        "INSERT INTO theme_term_tallies (stance, term, notes) "
        "SELECT col, term, doc FROM note_themes_terms WHERE doc > 0"
    )


def tally_added_notes(db: Database, added: str, params: dict[str, Any]) -> None:
    """Do for the notes chosen by `added` (an SQL condition on `notes`, with `params`) what the
    insert triggers of the insights' tallies do one note at a time (schema m016): for a bulk
    import that set `note_insight_tallies_ai` and `theme_term_tallies_ai` aside."""
    count_added_notes(db, added, params)
    tally_added_note_terms(db, added, params)


def count_added_notes(db: Database, added: str, params: dict[str, Any]) -> None:
    """`note_insight_tallies_ai` for many notes at once: the per-conversation stance and agency
    counts and the per-question counts."""
    live = f"deleted_at IS NULL AND ({added})"
    for table, key in (
        ("note_stance_tallies", "conversation_id, stance"),
        ("note_agency_tallies", "conversation_id, agency"),
        ("question_note_tallies", "question_id"),
    ):
        extra = " AND agency IS NOT NULL" if table == "note_agency_tallies" else ""
        db.execute(
            f"INSERT INTO {table} ({key}, notes) SELECT {key}, count(*) FROM notes "
            f"WHERE {live}{extra} GROUP BY {key} "
            f"ON CONFLICT ({key}) DO UPDATE SET notes = notes + excluded.notes",
            params,
        )


def tally_added_note_terms(db: Database, added: str, params: dict[str, Any]) -> None:
    """`theme_term_tallies_ai` for many notes at once: each stance's words, counted once a note."""
    live = f"deleted_at IS NULL AND ({added})"
    columns = ", ".join(STANCE_COLUMNS)
    values = ", ".join(f"CASE WHEN stance = '{s}' THEN body END" for s in STANCE_COLUMNS)
    db.execute(
        f"INSERT INTO theme_scratch (rowid, {columns}) SELECT rowid, {values} FROM notes "
        f"WHERE {live}",
        params,
    )
    db.execute(
        "INSERT INTO theme_term_tallies (stance, term, notes) "
        "SELECT col, term, doc FROM theme_scratch_terms WHERE doc > 0 "
        "ON CONFLICT (stance, term) DO UPDATE SET notes = notes + excluded.notes"
    )
    db.execute("INSERT INTO theme_scratch (theme_scratch) VALUES ('delete-all')")
