"""Migrations that change what is stored: the tables as first made, and each table or column since.

Registered in number order by `store/schema/__init__.py` with those in `indexes.py`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

_TABLES = """
CREATE TABLE conversations (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    topic TEXT NOT NULL DEFAULT '',
    setting TEXT NOT NULL DEFAULT '',
    facilitator TEXT NOT NULL DEFAULT '',
    date TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'planned'
        CHECK (status IN ('planned', 'live', 'closed')),
    opening TEXT NOT NULL DEFAULT '',
    bank_id TEXT,
    current_question_id TEXT,
    started_at TEXT,
    ended_at TEXT,
    questions_shared_at TEXT,
    key_learning TEXT NOT NULL DEFAULT '',
    phase_budget TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE TABLE participants (
    id TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    pseudonym TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    agency TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT '',
    invited INTEGER NOT NULL DEFAULT 1,
    attended INTEGER NOT NULL DEFAULT 0,
    absence_reason TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE questions (
    id TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    parent_id TEXT REFERENCES questions(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    phase TEXT NOT NULL
        CHECK (phase IN ('define', 'discover', 'dream', 'design', 'deliver')),
    position INTEGER NOT NULL,
    kind TEXT NOT NULL DEFAULT 'prepared' CHECK (kind IN ('prepared', 'follow_up')),
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'asked', 'skipped')),
    asked_at TEXT,
    prompts TEXT NOT NULL DEFAULT '[]',
    worth_keeping INTEGER NOT NULL DEFAULT 0,
    scale INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE notes (
    id TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    question_id TEXT NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    stance TEXT NOT NULL DEFAULT 'note'
        CHECK (stance IN ('strength', 'concern', 'dream', 'idea', 'action', 'quote', 'note')),
    participant_id TEXT REFERENCES participants(id) ON DELETE SET NULL,
    agency TEXT,
    starred INTEGER NOT NULL DEFAULT 0,
    escalate INTEGER NOT NULL DEFAULT 0,
    escalation_handled_at TEXT,
    escalation_passed_to TEXT NOT NULL DEFAULT '',
    sha256 TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE TABLE note_revisions (
    id TEXT PRIMARY KEY,
    note_id TEXT NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    stance TEXT NOT NULL,
    agency TEXT,
    participant_id TEXT,
    revised_at TEXT NOT NULL
);
CREATE TABLE actions (
    id TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    description TEXT NOT NULL,
    owner TEXT NOT NULL DEFAULT '',
    due TEXT,
    status TEXT NOT NULL DEFAULT 'open'
        CHECK (status IN ('open', 'in_progress', 'done', 'dropped')),
    note_id TEXT REFERENCES notes(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE feedback (
    id TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    participant_id TEXT REFERENCES participants(id) ON DELETE SET NULL,
    agency TEXT,
    rating INTEGER CHECK (rating IS NULL OR rating BETWEEN 1 AND 5),
    advance_questions_helped INTEGER,
    useful_question_ids TEXT NOT NULL DEFAULT '[]',
    comments TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE shares (
    id TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    format TEXT NOT NULL,
    redacted INTEGER NOT NULL DEFAULT 0,
    recipient TEXT NOT NULL DEFAULT '',
    purpose TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE TABLE drafts (
    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    field TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (conversation_id, field)
);
CREATE INDEX participants_conversation ON participants(conversation_id);
CREATE INDEX questions_conversation ON questions(conversation_id, position);
CREATE INDEX questions_parent ON questions(parent_id);
CREATE INDEX notes_conversation ON notes(conversation_id, question_id, created_at);
CREATE INDEX notes_question ON notes(question_id);
CREATE INDEX notes_participant ON notes(participant_id);
-- Counting a conversation's notes and listing the agencies ever named stay index-only on a
-- database of hundreds of thousands of notes.
CREATE INDEX notes_live ON notes(conversation_id) WHERE deleted_at IS NULL;
CREATE INDEX notes_agency ON notes(agency) WHERE agency IS NOT NULL;
CREATE INDEX note_revisions_note ON note_revisions(note_id);
CREATE INDEX actions_conversation ON actions(conversation_id);
CREATE INDEX actions_note ON actions(note_id);
CREATE INDEX feedback_conversation ON feedback(conversation_id);
CREATE INDEX feedback_participant ON feedback(participant_id);
CREATE INDEX shares_conversation ON shares(conversation_id);
CREATE INDEX conversations_date ON conversations(date, created_at);
"""


def m001_tables(db: Database) -> None:
    for statement in _TABLES.split(";"):
        if statement.strip():
            db.execute(statement)


def m003_redaction_terms(db: Database) -> None:
    """Words a conversation's exports must never show (a child's name, an address, a case number),
    kept per conversation so every later export of it is redacted the same way."""
    db.execute(
        """
        CREATE TABLE redaction_terms (
            id TEXT PRIMARY KEY,
            conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
            term TEXT NOT NULL,
            created_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX redaction_terms_conversation ON redaction_terms(conversation_id)")


def m004_erasures(db: Database) -> None:
    """A record of each erasure (what kind of thing, its id, how many rows, why, when), never
    what was erased: the information-governance lead can show that an erasure happened without
    the record itself holding the personal data."""
    db.execute(
        """
        CREATE TABLE erasures (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL
                CHECK (kind IN ('conversation', 'note', 'participant', 'person')),
            target_id TEXT,
            conversation_id TEXT,
            reason TEXT NOT NULL DEFAULT 'request'
                CHECK (reason IN ('request', 'retention')),
            rows_removed INTEGER NOT NULL DEFAULT 0,
            texts_changed INTEGER NOT NULL DEFAULT 0,
            shares_recorded INTEGER NOT NULL DEFAULT 0,
            complete INTEGER NOT NULL DEFAULT 1,
            erased_at TEXT NOT NULL
        )
        """
    )


def m006_conversation_start_time(db: Database) -> None:
    """The time a planned meeting starts, beside its date: `HH:MM` local time, '' until fixed."""
    db.execute("ALTER TABLE conversations ADD COLUMN start_time TEXT NOT NULL DEFAULT ''")


def m007_partnership_scores_and_outcome_links(db: Database) -> None:
    """Partnership learning (store/insights.py). `scores`: a 0-10 answer to a scale question
    (`=7 #police` in the facilitation screen), given by an agency or a participant; each score has
    the note that records it, so deleting that note withdraws the score. `outcome_links`: notes,
    actions and whole conversations linked to areas of the partnership's outcomes framework
    (`outcomes.toml`); the id is derived from area and target, so the same link made on two
    laptops merges into one, and unlinking sets `removed_at` so that it travels in bundles too."""
    for statement in (
        """
        CREATE TABLE scores (
            id TEXT PRIMARY KEY,
            conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
            question_id TEXT REFERENCES questions(id) ON DELETE CASCADE,
            note_id TEXT REFERENCES notes(id) ON DELETE CASCADE,
            participant_id TEXT REFERENCES participants(id) ON DELETE SET NULL,
            agency TEXT,
            value INTEGER NOT NULL CHECK (value BETWEEN 0 AND 10),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """,
        "CREATE INDEX scores_conversation ON scores(conversation_id, question_id)",
        "CREATE INDEX scores_note ON scores(note_id)",
        "CREATE INDEX scores_participant ON scores(participant_id)",
        """
        CREATE TABLE outcome_links (
            id TEXT PRIMARY KEY,
            conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
            area TEXT NOT NULL,
            note_id TEXT REFERENCES notes(id) ON DELETE CASCADE,
            action_id TEXT REFERENCES actions(id) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            removed_at TEXT
        )
        """,
        "CREATE INDEX outcome_links_conversation ON outcome_links(conversation_id)",
        "CREATE INDEX outcome_links_area ON outcome_links(area) WHERE removed_at IS NULL",
        "CREATE INDEX outcome_links_note ON outcome_links(note_id)",
        "CREATE INDEX outcome_links_action ON outcome_links(action_id)",
    ):
        db.execute(statement)


def m008_merge_row_versions(db: Database) -> None:
    """For merging bundles from several laptops (store/merge.py): every version of a row this
    database has held, exported or been sent, as a digest (never the text). An imported row whose
    version is listed here is one this database has already merged or superseded."""
    db.execute(
        """
        CREATE TABLE row_versions (
            table_name TEXT NOT NULL,
            row_id TEXT NOT NULL,
            digest TEXT NOT NULL,
            PRIMARY KEY (table_name, row_id, digest)
        ) WITHOUT ROWID
        """
    )


def m013_merge_versions_that_lost(db: Database) -> None:
    """For merging (store/merge.py): which remembered versions of a row lost a conflict. Bundles
    name them, so every laptop that held one reports the conflict too and keeps its words."""
    db.execute("ALTER TABLE row_versions ADD COLUMN lost INTEGER NOT NULL DEFAULT 0")


def m015_pauses_parking_and_undo(db: Database) -> None:
    """Three things a facilitator needs in the room.

    `pauses`: each time the clock stood still (a comfort break, a fire alarm), from `paused_at`
    until `resumed_at` (empty while it lasts), so the clocks leave it out, a reopened conversation
    is still paused, the view for the room can say so and the record lists them.

    `notes.parked` and `notes.follow_up_id`: a note raised to come back to (`?` at the start of the
    line) and the follow-up question it became; one never picked up is "raised, not yet discussed".

    `note_revisions` keeps, besides the words, the star, parking and deletion a note had before a
    change, and which of those the change touched (`change`), so the last change can be undone;
    an undo is a revision too, naming the one it undid (`undoes`). Revisions kept by a merge, and
    those from before, name no change: they are earlier wordings, and undo passes them by."""
    for statement in (
        """
        CREATE TABLE pauses (
            id TEXT PRIMARY KEY,
            conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
            paused_at TEXT NOT NULL,
            resumed_at TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """,
        "CREATE INDEX pauses_conversation ON pauses(conversation_id, paused_at)",
        "ALTER TABLE notes ADD COLUMN parked INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE notes ADD COLUMN follow_up_id TEXT "
        "REFERENCES questions(id) ON DELETE SET NULL",
        "CREATE INDEX notes_follow_up ON notes(follow_up_id) WHERE follow_up_id IS NOT NULL",
        "ALTER TABLE note_revisions ADD COLUMN change TEXT",
        "ALTER TABLE note_revisions ADD COLUMN starred INTEGER",
        "ALTER TABLE note_revisions ADD COLUMN parked INTEGER",
        "ALTER TABLE note_revisions ADD COLUMN deleted INTEGER",
        "ALTER TABLE note_revisions ADD COLUMN undoes TEXT "
        "REFERENCES note_revisions(id) ON DELETE CASCADE",
        "CREATE INDEX note_revisions_undoes ON note_revisions(undoes) WHERE undoes IS NOT NULL",
    ):
        db.execute(statement)


def m020_share_paths(db: Database) -> None:
    """Where an export was written, kept with the record of the share, so the sharing record
    (`appreciate shares`, the review's Shared tab) can say which file went out, and a copy can be
    found again. Empty for what was printed, copied to the clipboard or recorded before this.
    The path belongs to this laptop: it is never put in a bundle (store/transfer.py)."""
    db.execute("ALTER TABLE shares ADD COLUMN path TEXT")


def m021_feedback_question_scores(db: Database) -> None:
    """Each participant's (or agency's) score from 1 to 5 for each question, beside the activity's
    rating: `feedback.question_scores`, a JSON object of question id → score (`{}` for none).

    A column of the feedback row, not a table of its own: one person's feedback is one answer,
    made and changed together, so it travels in bundles and merges as one row (store/merge.py:
    one version, one conflict rule). A merge never carries a deletion, so a score taken back on
    one laptop, were it a row of its own, would come back from another laptop's bundle; as a
    change to the feedback row it travels like any other edit. It goes with the feedback row when
    that is erased, and holds no words, only ids and numbers. The "most useful" ticks given before
    it (`useful_question_ids`) stay, and are still read and reported.

    SQLite cannot check a JSON value's contents in a CHECK constraint, so a trigger refuses a
    value that is not an object of whole numbers from 1 to 5, whoever writes it."""
    for statement in (
        "ALTER TABLE feedback ADD COLUMN question_scores TEXT NOT NULL DEFAULT '{}' "
        "CHECK (json_valid(question_scores))",
        """
        CREATE TRIGGER feedback_question_scores_bi BEFORE INSERT ON feedback
        WHEN json_type(NEW.question_scores) != 'object' OR EXISTS (
            SELECT 1 FROM json_each(NEW.question_scores)
            WHERE type != 'integer' OR value NOT BETWEEN 1 AND 5)
        BEGIN SELECT RAISE(ABORT, 'a question''s score is a whole number from 1 to 5'); END
        """,
        """
        CREATE TRIGGER feedback_question_scores_bu BEFORE UPDATE OF question_scores ON feedback
        WHEN json_type(NEW.question_scores) != 'object' OR EXISTS (
            SELECT 1 FROM json_each(NEW.question_scores)
            WHERE type != 'integer' OR value NOT BETWEEN 1 AND 5)
        BEGIN SELECT RAISE(ABORT, 'a question''s score is a whole number from 1 to 5'); END
        """,
    ):
        db.execute(statement)


def m022_theme_choices(db: Database) -> None:
    """How the facilitator reads the themes insights find (appreciate_tui/insights/themes.py): one
    row per phrase of a stance they chose about, naming it (`label`), merging it into another
    phrase's theme (`merged_into`) or hiding it. A reading of every conversation on this laptop,
    not part of any one conversation: it stays here and never goes into a bundle. No unique key
    on the phrase: erasing a person can make two phrases one, and the latest choice speaks."""
    db.execute(
        """
        CREATE TABLE theme_choices (
            id TEXT PRIMARY KEY,
            stance TEXT NOT NULL
                CHECK (stance IN ('strength', 'concern', 'dream', 'idea', 'action', 'quote', 'note')),
            phrase TEXT NOT NULL,
            label TEXT NOT NULL DEFAULT '',
            merged_into TEXT,
            hidden INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX theme_choices_phrase ON theme_choices(stance, phrase)")
