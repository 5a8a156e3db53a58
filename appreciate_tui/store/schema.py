"""The schema, changed only through `sqlite_utils.Migrations` (DESIGN.md section 5).

Plain tables a person can open with `sqlite3`, `sqlite-utils` or Datasette: text UUID keys (so
databases from different laptops merge without collisions), ISO-8601 UTC timestamps, foreign keys
that cascade when a conversation is erased. Full-text search is FTS5, kept in sync by triggers.

Never edit a migration that has shipped: add a new one.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("appreciate")

FTS_TOKENIZE = "porter unicode61 remove_diacritics 2"

# Tables and the columns full-text search covers.
FTS_COLUMNS = {
    "notes": ["body"],
    "questions": ["text"],
    "conversations": ["title", "topic"],
}

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
CREATE INDEX note_revisions_note ON note_revisions(note_id);
CREATE INDEX actions_conversation ON actions(conversation_id);
CREATE INDEX actions_note ON actions(note_id);
CREATE INDEX feedback_conversation ON feedback(conversation_id);
CREATE INDEX feedback_participant ON feedback(participant_id);
CREATE INDEX shares_conversation ON shares(conversation_id);
CREATE INDEX conversations_date ON conversations(date, created_at);
"""


@migrations()
def m001_tables(db: Database) -> None:
    for statement in _TABLES.split(";"):
        if statement.strip():
            db.execute(statement)


@migrations()
def m002_full_text_search(db: Database) -> None:
    for table, columns in FTS_COLUMNS.items():
        db.table(table).enable_fts(
            columns, fts_version="FTS5", create_triggers=True, tokenize=FTS_TOKENIZE
        )


@migrations()
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
