"""The SQL behind insights across conversations (appreciate_tui/insights/compute.py puts it together).

Every figure is read from counts kept as notes are written, or from tables of a few thousand
rows, so insights over 10,000 conversations and two million notes read tens of thousands of rows,
not millions: live notes per conversation and stance (`note_stance_tallies`), per conversation
and agency (`note_agency_tallies`) and per question (`question_note_tallies`), all kept by
triggers on `notes` (schema m016). Themes are read from a bounded window of the latest notes
(`theme_window`); the facilitator's choices about them are kept in `theme_choices` (m022).

The questions are counted along an index by kind and wording (schema m018), the open actions
read in full and the others only counted. Where a function returns thousands of rows they are
plain tuples, else dicts; `since` is a `YYYY-MM-DD` date or None for all time. Conversations in
the bin are left out everywhere.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite_utils import Database

    from appreciate_tui.store.reading import Queries

STANCE_COLUMNS = ("strength", "concern", "dream", "idea", "action", "quote", "note")
STANCES_IN_ORDER = tuple(sorted(STANCE_COLUMNS))
"""The order of `stance_counts`' columns (the stances' names in order)."""

_LIVE = "c.deleted_at IS NULL AND (:since IS NULL OR c.date >= :since)"


def _params(since: str | None, **more: Any) -> dict[str, Any]:
    return {"since": since, **more}


def tallied(db: Queries) -> bool:
    """Whether the counts kept by triggers are there (schema m016). A database last written by
    an earlier version and opened read-only has not been migrated: it is counted the old way."""
    found = db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'theme_term_tallies'"
    ).fetchone()
    return found is not None


def conversations(db: Queries, since: str | None) -> list[tuple[str, str, str, str]]:
    """(id, title, date, status) of the conversations, oldest first."""
    return db.execute(
        f"SELECT c.id, c.title, c.date, c.status FROM conversations c WHERE {_LIVE} "
        "ORDER BY c.date, c.created_at",
        _params(since),
    ).fetchall()


def stance_counts(db: Queries) -> list[tuple[Any, ...]]:
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


def theme_window(db: Queries, since: str | None, limit: int) -> list[tuple[str, ...]]:
    """(id, conversation_id, stance, body, conversation date) of the latest `limit` live notes
    that are not escalated (themes are read from them: appreciate_tui/insights/themes.py), the
    newest conversations first and each conversation's latest notes first. An escalated note's
    words are withheld from every report, and so from themes too."""
    return db.execute(
        # CROSS JOIN: from the newest conversations down, stopping at `limit` notes.
        "SELECT n.id, n.conversation_id, n.stance, n.body, c.date "
        "FROM conversations c CROSS JOIN notes n ON n.conversation_id = c.id "
        f"WHERE n.deleted_at IS NULL AND n.escalate = 0 AND {_LIVE} "
        "ORDER BY c.date DESC, c.created_at DESC, n.created_at DESC, n.id LIMIT :limit",
        _params(since, limit=limit),
    ).fetchall()


def theme_notes(db: Queries, note_ids: list[str]) -> list[dict[str, Any]]:
    """The notes behind a theme, in the order given, with their conversation: those still live,
    not escalated and not in the bin (insights drill-down)."""
    found = {
        row["id"]: row
        for row in db.query(
            "SELECT n.id, n.conversation_id, n.body, n.stance, n.agency, n.created_at, "
            "c.title AS conversation_title, c.date AS conversation_date "
            "FROM notes n JOIN conversations c ON c.id = n.conversation_id "
            "WHERE n.id IN (SELECT value FROM json_each(:ids)) AND n.deleted_at IS NULL "
            "AND n.escalate = 0 AND c.deleted_at IS NULL",
            {"ids": json.dumps(note_ids)},
        )
    }
    return [found[note_id] for note_id in note_ids if note_id in found]


def theme_choices(db: Queries) -> list[dict[str, Any]]:
    """The facilitator's choices about themes (schema m022), oldest first; none in a file last
    written before they were kept (opened read-only, not updated)."""
    if not db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'theme_choices'"
    ).fetchone():
        return []
    return list(db.query(
        "SELECT stance, phrase, label, merged_into, hidden FROM theme_choices "
        "ORDER BY updated_at, rowid"
    ))


def set_theme_choice(
    db: Database, stance: str, phrase: str, *, stamp: str, new_id: str,
    label: str | None = None, merged_into: str | None | bool = False, hidden: bool | None = None,
) -> None:
    """Change what is kept about one phrase of one stance; what is not given stays as it was
    (`merged_into=None` splits a merged theme off again). A choice that keeps nothing goes."""
    if stance not in STANCE_COLUMNS:
        raise ValueError(f"not a stance: {stance!r}")
    rows = db.execute(
        "SELECT id, label, merged_into, hidden FROM theme_choices WHERE stance = ? AND phrase = ? "
        "ORDER BY updated_at, rowid", [stance, phrase]
    ).fetchall()
    # Erasing a person can make two phrases one ("met jo", "met bloggs"): the latest speaks.
    _, old_label, old_into, old_hidden = rows[-1] if rows else (None, "", None, 0)
    values = {
        "label": old_label if label is None else label,
        "merged_into": old_into if merged_into is False else merged_into,
        "hidden": int(old_hidden if hidden is None else hidden),
    }
    db.execute("DELETE FROM theme_choices WHERE stance = ? AND phrase = ?", [stance, phrase])
    if values["label"] or values["merged_into"] or values["hidden"]:
        db.execute(
            "INSERT INTO theme_choices (id, stance, phrase, label, merged_into, hidden, "
            "created_at, updated_at) VALUES (:id, :stance, :phrase, :label, :merged_into, "
            ":hidden, :stamp, :stamp)",
            {"id": rows[0][0] if rows else new_id, "stance": stance, "phrase": phrase,
             "stamp": stamp, **values},
        )


_OWNER_AGENCY = (
    "(SELECT p.agency FROM participants p WHERE p.conversation_id = a.conversation_id "
    " AND a.owner != '' AND (lower(p.pseudonym) = lower(a.owner) OR lower(p.name) = lower(a.owner)) "
    " LIMIT 1)"
)


def actions(db: Queries, since: str | None) -> list[tuple[Any, ...]]:
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


def action_counts(db: Queries, since: str | None) -> list[tuple[str, str, str | None, int]]:
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


def successes(db: Queries, since: str | None, limit: int) -> list[dict[str, Any]]:
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


def attendance(db: Queries, since: str | None) -> list[dict[str, Any]]:
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


def contributions(db: Queries, since: str | None) -> list[dict[str, Any]]:
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


def questions(db: Queries, since: str | None) -> list[dict[str, Any]]:
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


def asked_in(db: Queries, since: str | None, kind: str, texts: list[str]) -> set[str]:
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


def outcome_links(db: Queries, since: str | None) -> list[dict[str, Any]]:
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
