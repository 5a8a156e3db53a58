"""Migrations that change how things are found quickly: full-text indexes (notes, prefixes,
themes), the tallies triggers keep for insights and the list, and plain indexes.

Registered in number order by `store/schema/__init__.py` with those in `tables.py`. They hold no
text of their own beyond the indexes, so dropping and rebuilding one loses nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from appreciate_tui.store.schema import FTS_COLUMNS, FTS_TOKENIZE

if TYPE_CHECKING:
    from sqlite_utils import Database

_THEME_STANCES = ("strength", "concern", "dream", "idea", "action", "quote", "note")

_THEME_VALUES = ", ".join(
    f"CASE WHEN {{row}}.stance = '{stance}' THEN {{row}}.body END" for stance in _THEME_STANCES
)


def m002_full_text_search(db: Database) -> None:
    for table, columns in FTS_COLUMNS.items():
        db.table(table).enable_fts(
            columns, fts_version="FTS5", create_triggers=True, tokenize=FTS_TOKENIZE
        )


def m009_insights_indexes_and_note_themes(db: Database) -> None:
    """Insights over every conversation in well under a second on 200,000 notes.

    `note_themes` is a contentless full-text index with one column per stance, holding each live
    note's words in its stance's column (`#` kept, so `#tags` stay tags); `note_themes_terms`
    (fts5vocab) then counts the notes of each stance that use each word straight from the index.
    It holds no text of its own beyond the index, is kept in step by triggers, and is merged
    whenever something is erased (the trigger on `erasures`), so an erased note's words go too.
    """
    columns = ", ".join(_THEME_STANCES)
    db.execute(
        f"CREATE VIRTUAL TABLE note_themes USING fts5({columns}, content='', detail='column', "
        "tokenize = \"unicode61 remove_diacritics 2 tokenchars '#'\")"
    )
    db.execute("CREATE VIRTUAL TABLE note_themes_terms USING fts5vocab(note_themes, 'col')")
    new, old = _THEME_VALUES.format(row="new"), _THEME_VALUES.format(row="old")
    db.execute(
        f"INSERT INTO note_themes (rowid, {columns}) SELECT rowid, "
        f"{_THEME_VALUES.format(row='notes')} FROM notes WHERE deleted_at IS NULL"
    )
    for statement in (
        f"""CREATE TRIGGER note_themes_ai AFTER INSERT ON notes WHEN new.deleted_at IS NULL BEGIN
            INSERT INTO note_themes (rowid, {columns}) VALUES (new.rowid, {new}); END""",
        f"""CREATE TRIGGER note_themes_ad AFTER DELETE ON notes WHEN old.deleted_at IS NULL BEGIN
            INSERT INTO note_themes (note_themes, rowid, {columns})
            VALUES ('delete', old.rowid, {old}); END""",
        f"""CREATE TRIGGER note_themes_au_old AFTER UPDATE OF body, stance, deleted_at ON notes
            WHEN old.deleted_at IS NULL BEGIN
            INSERT INTO note_themes (note_themes, rowid, {columns})
            VALUES ('delete', old.rowid, {old}); END""",
        f"""CREATE TRIGGER note_themes_au_new AFTER UPDATE OF body, stance, deleted_at ON notes
            WHEN new.deleted_at IS NULL BEGIN
            INSERT INTO note_themes (rowid, {columns}) VALUES (new.rowid, {new}); END""",
        """CREATE TRIGGER note_themes_erased AFTER INSERT ON erasures BEGIN
            INSERT INTO note_themes (note_themes) VALUES ('optimize'); END""",
        "CREATE INDEX notes_stance ON notes(conversation_id, stance) WHERE deleted_at IS NULL",
        "CREATE INDEX notes_starred ON notes(created_at) WHERE starred = 1 AND deleted_at IS NULL",
        "CREATE INDEX notes_live_agency ON notes(agency, conversation_id) "
        "WHERE deleted_at IS NULL AND agency IS NOT NULL",
        "CREATE INDEX actions_status ON actions(status, due)",
    ):
        db.execute(statement)


def m010_note_tallies(db: Database) -> None:
    """How many live notes each conversation has, kept by triggers, so the conversations list and
    `appreciate list` read a thousand numbers instead of counting 200,000 notes at every start.

    Every way a note comes or goes is covered: inserted, soft-deleted or restored (`deleted_at`),
    moved to another conversation, erased (deleted), or taken with its conversation (the cascade
    fires the notes' delete trigger; the tally row goes with the conversation)."""
    db.execute(
        """CREATE TABLE note_tallies (
            conversation_id TEXT PRIMARY KEY REFERENCES conversations(id) ON DELETE CASCADE,
            live INTEGER NOT NULL DEFAULT 0
        ) WITHOUT ROWID"""
    )
    db.execute(
        "INSERT INTO note_tallies (conversation_id, live) SELECT conversation_id, count(*) "
        "FROM notes WHERE deleted_at IS NULL GROUP BY conversation_id"
    )
    add = """INSERT INTO note_tallies (conversation_id, live) VALUES (new.conversation_id, 1)
             ON CONFLICT (conversation_id) DO UPDATE SET live = live + 1"""
    take = """UPDATE note_tallies SET live = live - 1 WHERE conversation_id = old.conversation_id"""
    for statement in (
        f"""CREATE TRIGGER note_tallies_ai AFTER INSERT ON notes WHEN new.deleted_at IS NULL
            BEGIN {add}; END""",
        f"""CREATE TRIGGER note_tallies_ad AFTER DELETE ON notes WHEN old.deleted_at IS NULL
            BEGIN {take}; END""",
        f"""CREATE TRIGGER note_tallies_au_old AFTER UPDATE OF deleted_at, conversation_id ON notes
            WHEN old.deleted_at IS NULL BEGIN {take}; END""",
        f"""CREATE TRIGGER note_tallies_au_new AFTER UPDATE OF deleted_at, conversation_id ON notes
            WHEN new.deleted_at IS NULL BEGIN {add}; END""",
    ):
        db.execute(statement)


def m011_note_search_prefixes(db: Database) -> None:
    """Prefix indexes for the notes' full-text search: the home screen searches as a person
    types, so the first two or three letters (`ex*`) are the commonest query of all, and without
    them FTS5 walks every word that starts that way (100 ms on 200,000 notes; 5 ms with them).
    The index is rebuilt from the notes; the triggers that keep it in step refer to it by name
    and carry on unchanged."""
    db.execute("DROP TABLE notes_fts")
    columns = ", ".join(f'"{column}"' for column in FTS_COLUMNS["notes"])
    db.execute(
        # Written as sqlite-utils writes it: Datasette finds a table's index by `content="…"`.
        f'CREATE VIRTUAL TABLE "notes_fts" USING FTS5 ({columns}, '
        f"tokenize='{FTS_TOKENIZE}', content=\"notes\", prefix='2 3')"
    )
    db.execute("INSERT INTO notes_fts (notes_fts) VALUES ('rebuild')")


def m012_note_themes_one_update_trigger(db: Database) -> None:
    """Editing a note lost, from the insights' word index, every word its old and new text share.

    m009 kept the index with two AFTER UPDATE triggers, one taking the old words out and one
    putting the new words in. SQLite fires triggers on the same event newest first, so the new
    words went in first and taking the old ones out then removed the shared words too. One
    trigger does both, in order; the index is rebuilt from the notes to mend what was lost."""
    columns = ", ".join(_THEME_STANCES)
    new, old = _THEME_VALUES.format(row="new"), _THEME_VALUES.format(row="old")
    db.execute("DROP TRIGGER IF EXISTS note_themes_au_old")
    db.execute("DROP TRIGGER IF EXISTS note_themes_au_new")
    db.execute(
        f"""CREATE TRIGGER note_themes_au AFTER UPDATE OF body, stance, deleted_at ON notes BEGIN
            INSERT INTO note_themes (note_themes, rowid, {columns})
                SELECT 'delete', old.rowid, {old} WHERE old.deleted_at IS NULL;
            INSERT INTO note_themes (rowid, {columns})
                SELECT new.rowid, {new} WHERE new.deleted_at IS NULL;
        END"""
    )
    db.execute("INSERT INTO note_themes (note_themes) VALUES ('delete-all')")
    db.execute(
        f"INSERT INTO note_themes (rowid, {columns}) SELECT rowid, "
        f"{_THEME_VALUES.format(row='notes')} FROM notes WHERE deleted_at IS NULL"
    )


def m014_live_conversations_index(db: Database) -> None:
    """The view for the room (`appreciate present`, store/room.py) asks which conversation is
    live every time the facilitator's window commits, several times a second while someone types:
    an index holding only the live conversations answers that without reading the others."""
    db.execute(
        "CREATE INDEX conversations_live ON conversations(updated_at) "
        "WHERE status = 'live' AND deleted_at IS NULL"
    )


def m016_insight_tallies(db: Database) -> None:
    """Insights read counts kept as notes are written, instead of counting every note each time:
    at 10,000 conversations and two million notes counting took seconds.

    `note_stance_tallies` (live notes per conversation and stance), `note_agency_tallies` (per
    conversation and agency) and `question_note_tallies` (per question) are kept by triggers on
    `notes`, as `note_tallies` is: a note inserted, edited, moved, soft-deleted or restored,
    erased, or taken with its conversation. A count that reaches nought is removed, so each
    table always equals a count made from scratch.

    `theme_term_tallies` holds what `note_themes_terms` counts (the live notes of each stance that
    use each word or #tag) without walking the whole word index. SQL cannot split text into words
    itself, so the triggers put one note's words through `theme_scratch`, a contentless index with
    the same tokenizer that holds a single note for the length of a statement and is emptied at
    once; a word whose count reaches nought goes, so an erased note leaves no word behind."""
    columns = ", ".join(_THEME_STANCES)
    new, old = _THEME_VALUES.format(row="new"), _THEME_VALUES.format(row="old")
    for statement in (
        """CREATE TABLE note_stance_tallies (
            conversation_id TEXT NOT NULL, stance TEXT NOT NULL, notes INTEGER NOT NULL,
            PRIMARY KEY (conversation_id, stance)) WITHOUT ROWID""",
        """CREATE TABLE note_agency_tallies (
            conversation_id TEXT NOT NULL, agency TEXT NOT NULL, notes INTEGER NOT NULL,
            PRIMARY KEY (conversation_id, agency)) WITHOUT ROWID""",
        """CREATE TABLE question_note_tallies (
            question_id TEXT PRIMARY KEY, notes INTEGER NOT NULL) WITHOUT ROWID""",
        """CREATE TABLE theme_term_tallies (
            stance TEXT NOT NULL, term TEXT NOT NULL, notes INTEGER NOT NULL,
            PRIMARY KEY (stance, term)) WITHOUT ROWID""",
        f"CREATE VIRTUAL TABLE theme_scratch USING fts5({columns}, content='', columnsize=0, "
        "detail='column', tokenize = \"unicode61 remove_diacritics 2 tokenchars '#'\")",
        "CREATE VIRTUAL TABLE theme_scratch_terms USING fts5vocab(theme_scratch, 'col')",
        "INSERT INTO note_stance_tallies (conversation_id, stance, notes) "
        "SELECT conversation_id, stance, count(*) FROM notes WHERE deleted_at IS NULL "
        "GROUP BY conversation_id, stance",
        "INSERT INTO note_agency_tallies (conversation_id, agency, notes) "
        "SELECT conversation_id, agency, count(*) FROM notes "
        "WHERE deleted_at IS NULL AND agency IS NOT NULL GROUP BY conversation_id, agency",
        "INSERT INTO question_note_tallies (question_id, notes) "
        "SELECT question_id, count(*) FROM notes WHERE deleted_at IS NULL GROUP BY question_id",
        "INSERT INTO theme_term_tallies (stance, term, notes) "
        "SELECT col, term, doc FROM note_themes_terms WHERE doc > 0",
    ):
        db.execute(statement)

    def add(row: str) -> str:
        live = f"WHERE {row}.deleted_at IS NULL"
        return f"""
            INSERT INTO note_stance_tallies (conversation_id, stance, notes)
                SELECT {row}.conversation_id, {row}.stance, 1 {live}
                ON CONFLICT (conversation_id, stance) DO UPDATE SET notes = notes + 1;
            INSERT INTO note_agency_tallies (conversation_id, agency, notes)
                SELECT {row}.conversation_id, {row}.agency, 1 {live} AND {row}.agency IS NOT NULL
                ON CONFLICT (conversation_id, agency) DO UPDATE SET notes = notes + 1;
            INSERT INTO question_note_tallies (question_id, notes)
                SELECT {row}.question_id, 1 {live}
                ON CONFLICT (question_id) DO UPDATE SET notes = notes + 1;"""

    def take(row: str) -> str:
        live = f"{row}.deleted_at IS NULL"
        statements = []
        same = f"conversation_id = {row}.conversation_id"
        for table, where in (
            ("note_stance_tallies", f"{same} AND stance = {row}.stance"),
            ("note_agency_tallies", f"{same} AND agency = {row}.agency"),
            ("question_note_tallies", f"question_id = {row}.question_id"),
        ):
            statements.append(f"UPDATE {table} SET notes = notes - 1 WHERE {live} AND {where};")
            statements.append(f"DELETE FROM {table} WHERE {live} AND {where} AND notes <= 0;")
        return "\n".join(statements)

    def add_words(row: str, values: str) -> str:
        return f"""
            INSERT INTO theme_scratch (rowid, {columns}) SELECT 1, {values}
                WHERE {row}.deleted_at IS NULL;
            INSERT INTO theme_term_tallies (stance, term, notes)
                SELECT col, term, 1 FROM theme_scratch_terms WHERE true
                ON CONFLICT (stance, term) DO UPDATE SET notes = notes + 1;
            INSERT INTO theme_scratch (theme_scratch) VALUES ('delete-all');"""

    def take_words(row: str, values: str) -> str:
        words = "(stance, term) IN (SELECT col, term FROM theme_scratch_terms)"
        return f"""
            INSERT INTO theme_scratch (rowid, {columns}) SELECT 1, {values}
                WHERE {row}.deleted_at IS NULL;
            UPDATE theme_term_tallies SET notes = notes - 1 WHERE {words};
            DELETE FROM theme_term_tallies WHERE notes <= 0 AND {words};
            INSERT INTO theme_scratch (theme_scratch) VALUES ('delete-all');"""

    counted = ("conversation_id", "question_id", "stance", "agency")
    changed = " OR ".join(f"old.{c} IS NOT new.{c}" for c in counted)
    live_changed = "(old.deleted_at IS NULL) IS NOT (new.deleted_at IS NULL)"
    worded = f"old.body IS NOT new.body OR old.stance IS NOT new.stance OR {live_changed}"
    for statement in (
        f"""CREATE TRIGGER note_insight_tallies_ai AFTER INSERT ON notes
            WHEN new.deleted_at IS NULL BEGIN {add("new")} END""",
        f"""CREATE TRIGGER note_insight_tallies_ad AFTER DELETE ON notes
            WHEN old.deleted_at IS NULL BEGIN {take("old")} END""",
        f"""CREATE TRIGGER note_insight_tallies_au
            AFTER UPDATE OF deleted_at, {", ".join(counted)} ON notes
            WHEN {changed} OR {live_changed} BEGIN {take("old")} {add("new")} END""",
        f"""CREATE TRIGGER theme_term_tallies_ai AFTER INSERT ON notes
            WHEN new.deleted_at IS NULL BEGIN {add_words("new", new)} END""",
        f"""CREATE TRIGGER theme_term_tallies_ad AFTER DELETE ON notes
            WHEN old.deleted_at IS NULL BEGIN {take_words("old", old)} END""",
        f"""CREATE TRIGGER theme_term_tallies_au AFTER UPDATE OF body, stance, deleted_at ON notes
            WHEN {worded} BEGIN {take_words("old", old)} {add_words("new", new)} END""",
    ):
        db.execute(statement)


def m017_participants_agency_index(db: Database) -> None:
    """The agencies offered when a conversation opens (`Store.agencies`) step from one distinct
    agency to the next through an index, on participants as on notes: the cost follows the number
    of agencies, not the 60,000 participants of a regional repository."""
    db.execute("CREATE INDEX participants_agency ON participants(agency)")


def m018_questions_wording_index(db: Database) -> None:
    """Insights count the questions by kind and wording (`store/insights.py` `questions`): along
    this index, which holds every column they count, they are read in wording order without
    sorting 100,000 questions or visiting the table."""
    db.execute(
        "CREATE INDEX questions_wording "
        "ON questions(kind, text, conversation_id, status, worth_keeping, id)"
    )


def m019_participants_took_part_index(db: Database) -> None:
    """Who took part in each conversation, as the browser reads it to filter by agency and to
    sort by agencies (`store/browsing.py`): along this index, which holds every column it looks
    at, one conversation's agencies are found without visiting the participants table, and a
    filter by agency looks only at each conversation's own participants rather than at every
    participant from that agency (some 13,000 for the police in a regional repository)."""
    db.execute(
        "CREATE INDEX participants_took_part "
        "ON participants(conversation_id, agency, attended, invited)"
    )


def m023_search_the_whole_record(db: Database) -> None:
    """Search finds everything written about a conversation, not only its notes, questions and
    titles: its key learning, why people could not come, its actions (what and who) and the
    participants' feedback comments.

    One full-text index for each, over the table's own rows (external content: the words are
    not stored twice), with the notes' tokenizer and prefixes, kept in step by triggers like the
    others. Erasure merges them with every other full-text index (store/erasure.py `scrub`), so
    an erased name's words leave them too. Written with `content='…'` in single quotes, so that
    Datasette keeps its search boxes on the notes, questions and conversations indexes."""
    indexed = {
        "learning_fts": ("conversations", ("key_learning",)),
        "absences_fts": ("participants", ("absence_reason",)),
        "actions_fts": ("actions", ("description", "owner")),
        "feedback_fts": ("feedback", ("comments",)),
    }
    for index, (table, columns) in indexed.items():
        names = ", ".join(columns)
        new = ", ".join(f"new.{column}" for column in columns)
        old = ", ".join(f"old.{column}" for column in columns)
        take_out = (f"INSERT INTO {index} ({index}, rowid, {names}) "
                    f"VALUES ('delete', old.rowid, {old});")
        put_in = f"INSERT INTO {index} (rowid, {names}) VALUES (new.rowid, {new});"
        for statement in (
            f"CREATE VIRTUAL TABLE {index} USING fts5({names}, tokenize='{FTS_TOKENIZE}', "
            f"content='{table}', prefix='2 3')",
            f"CREATE TRIGGER {index}_ai AFTER INSERT ON {table} BEGIN {put_in} END",
            f"CREATE TRIGGER {index}_ad AFTER DELETE ON {table} BEGIN {take_out} END",
            f"CREATE TRIGGER {index}_au AFTER UPDATE OF {names} ON {table} "
            f"BEGIN {take_out} {put_in} END",
            f"INSERT INTO {index} ({index}) VALUES ('rebuild')",
        ):
            db.execute(statement)
