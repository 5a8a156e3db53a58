"""The store: the only code that speaks SQL. Domain objects in, domain objects out.

One `Store` is one open database file. Opening checks the file before anything is written to it,
takes the single-writer lock (a second process gets a read-only store that says why), applies the
pragmas of DESIGN.md section 5 and any pending migrations. Every write runs in its own
`BEGIN IMMEDIATE` transaction (or joins the caller's `atomic()` block) and either commits whole or
raises `SaveError` having changed nothing, so the caller can keep the text and try again.
"""

from __future__ import annotations

import json
import os
import sqlite3
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from appreciate_tui import domain, paths
from appreciate_tui.domain import (
    DEFAULT_AGENCIES,
    Action,
    ActionStatus,
    ChecksumMismatch,
    CheckReport,
    Conversation,
    ConversationStatus,
    Feedback,
    Note,
    NoteRevision,
    Participant,
    Phase,
    Question,
    QuestionKind,
    QuestionStatus,
    SearchHit,
    Share,
    Stance,
)
from appreciate_tui.store import rows, safety
from appreciate_tui.store import redaction, transfer
from appreciate_tui.store.safety import DatabaseDamaged, StoreError
from appreciate_tui.store.schema import migrations
from appreciate_tui.store.search import fts_query, search_sql
from appreciate_tui.text import clean, clean_line

__all__ = [
    "Ambiguous",
    "DatabaseDamaged",
    "NotFound",
    "ReadOnlyError",
    "SaveError",
    "Store",
    "StoreError",
]


class NotFound(StoreError):
    pass


class Ambiguous(StoreError):
    pass


class ReadOnlyError(StoreError):
    """A write was asked of a store opened read-only; the message says why it is read-only."""


class SaveError(StoreError):
    """A write failed and changed nothing (disk full, I/O error, database busy…)."""


_UNSET: Any = object()

# Pseudonyms are "<agency> <n>"; a long agency name gets a shorter everyday form.
_PSEUDONYM_STEM = {"Children's social care": "Social care"}


def _new_id() -> str:
    return str(uuid.uuid4())


def _describe(exc: BaseException) -> str:
    message = str(exc) or type(exc).__name__
    if isinstance(exc, UnicodeEncodeError):
        return "the text could not be encoded"
    if "disk is full" in message:
        return "the disk is full"
    return message


class Store:
    """An open appreciate database. Use `Store.open(path)`; close it when done."""

    def __init__(
        self,
        db: Database,
        path: Path,
        *,
        lock: safety.WriterLock | None,
        read_only_reason: str | None,
    ) -> None:
        self.db = db
        self.path = path
        self._lock = lock
        self.read_only_reason = read_only_reason

    # ---------------------------------------------------------------- opening and closing

    @classmethod
    def open(cls, path: Path | str | None = None, *, read_only: bool = False) -> Store:
        """Open (creating if needed) the database at `path`, default `paths.db_path()`.

        Raises `DatabaseDamaged` for a zero-length, truncated, corrupt or foreign file, which is
        never written to. Returns a read-only store when another process is writing to it.
        """
        path = paths.db_path(path).absolute()
        is_default = path == paths.db_path(None).absolute() and not os.environ.get(paths.DB_ENV)
        paths.ensure_private_dir(path.parent, tighten=is_default)
        exists = path.exists()
        if exists:
            # Checked before the lock file or anything else is created beside it.
            cls._verify(path)

        reason = "opened read-only on request" if read_only else None
        lock = None
        if not read_only:
            if exists and not os.access(path, os.W_OK):
                reason = "the database file is read-only"
            else:
                lock = safety.WriterLock.acquire(path)
                if lock is None:
                    pid = safety.holder_pid(path)
                    holder = f" (process {pid})" if pid else ""
                    reason = f"another appreciate{holder} is using this database"
        if reason is not None and not exists:
            raise StoreError(f"{path}: there is no database here yet to open read-only.")

        try:
            if not exists:
                cls._create(path)
            return cls._connect(path, exists=exists, lock=lock, read_only_reason=reason)
        except BaseException:
            if lock is not None:
                lock.release()
            raise

    @staticmethod
    def _verify(path: Path) -> None:
        """Refuse an empty, damaged or foreign file, looking at it only through a read-only
        connection so that nothing is ever written to it."""
        if path.stat().st_size == 0:
            raise safety.damaged(path, "the file is empty, not an appreciate database")
        conn = sqlite3.connect(safety.read_only_uri(path), uri=True, timeout=5.0)
        try:
            found = safety.quick_check(conn)
            if found != ["ok"]:
                raise safety.damaged(path, f"the database failed its check ({found[0]})")
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            # Other tools use sqlite-utils migrations too: the table alone does not make it ours.
            if "_sqlite_migrations" not in tables or not conn.execute(
                "SELECT 1 FROM _sqlite_migrations WHERE migration_set = ? LIMIT 1", [migrations.name]
            ).fetchone():
                raise safety.damaged(path, "this is an SQLite database, but not an appreciate one")
        except sqlite3.DatabaseError as exc:
            raise safety.damaged(path, f"the file cannot be read as a database ({exc})") from exc
        finally:
            conn.close()

    @staticmethod
    def _create(path: Path) -> None:
        """Build a new database under a staging name and put it in place only once its schema is
        complete (called with the writer lock held). A first run killed half way, or stopped by a
        full disk, leaves no empty or schema-less file at `path` that every later open would have
        to refuse as damaged; the next open clears the leftovers and starts again."""
        staging = path.with_name(path.name + ".creating")
        for suffix in ("", "-journal", "-wal", "-shm"):
            staging.with_name(staging.name + suffix).unlink(missing_ok=True)
        safety.make_private_file(staging)
        conn = sqlite3.connect(staging, timeout=5.0)
        try:
            conn.execute("PRAGMA synchronous=FULL")
            migrations.apply(Database(conn))
        except sqlite3.Error as exc:
            raise StoreError(
                f"{path}: a new database could not be created ({_describe(exc)})."
            ) from exc
        finally:
            conn.close()
        if path.exists():  # another appreciate made it and let go of the lock a moment ago
            raise StoreError(
                f"{path}: another appreciate created this database just now; open it again."
            )
        os.rename(staging, path)
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)  # the new name survives a power cut
        finally:
            os.close(directory)

    @classmethod
    def _connect(
        cls,
        path: Path,
        *,
        exists: bool,
        lock: safety.WriterLock | None,
        read_only_reason: str | None,
    ) -> Store:
        read_only = read_only_reason is not None
        if not exists:
            safety.make_private_file(path)
        if read_only:
            conn = sqlite3.connect(safety.read_only_uri(path), uri=True, timeout=5.0)
        else:
            conn = sqlite3.connect(path, timeout=5.0)
        # Text another program wrote as invalid UTF-8 is shown with replacement marks, not a crash.
        conn.text_factory = lambda raw: raw.decode("utf-8", "replace")
        try:
            safety.apply_pragmas(conn, read_only=read_only)
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise safety.damaged(path, f"the file cannot be read as a database ({exc})") from exc
        except BaseException:
            conn.close()
            raise
        store = cls(Database(conn), path, lock=lock, read_only_reason=read_only_reason)
        if not read_only:
            try:
                store._migrate(had_schema=exists)
            except BaseException as exc:
                conn.close()
                if isinstance(exc, sqlite3.Error):
                    raise StoreError(
                        f"{path}: the database could not be updated for this version of appreciate "
                        f"({_describe(exc)}); the failed change was undone."
                    ) from exc
                raise
            safety.tighten(path)
        return store

    def _migrate(self, *, had_schema: bool) -> None:
        pending = migrations.pending(self.db)
        if not pending:
            return
        if had_schema:
            # A schema change on a file with conversations in it: keep a verified copy first.
            self.rotate_backups()
        migrations.apply(self.db)

    @property
    def read_only(self) -> bool:
        return self.read_only_reason is not None

    def close(self) -> None:
        try:
            self.db.close()
        finally:
            if self._lock is not None:
                self._lock.release()
                self._lock = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---------------------------------------------------------------- transactions

    @contextmanager
    def atomic(self) -> Iterator[Store]:
        """Group writes: all of them are committed together, or none is."""
        if self.read_only:
            raise ReadOnlyError(f"{self.path}: {self.read_only_reason}; nothing can be changed.")
        conn = self.db.conn
        if conn.in_transaction:
            with self.db.atomic():
                yield self
            return
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise SaveError(_describe(exc)) from exc
        try:
            yield self
            conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:
                try:
                    conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass  # the failure already ended the transaction
            if isinstance(exc, (sqlite3.Error, UnicodeEncodeError)):
                raise SaveError(_describe(exc)) from exc
            raise

    def _insert(self, table: str, row: dict[str, Any]) -> None:
        columns = ", ".join(row)
        marks = ", ".join(f":{key}" for key in row)
        self.db.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", row)

    def _update(self, table: str, row_id: str, changes: dict[str, Any]) -> None:
        assignments = ", ".join(f"{key} = :{key}" for key in changes)
        self.db.execute(
            f"UPDATE {table} SET {assignments} WHERE id = :_id", {**changes, "_id": row_id}
        )

    def _one(self, sql: str, params: Iterable[Any] | dict[str, Any] = ()) -> dict[str, Any] | None:
        return next(self.db.query(sql, params), None)

    def _get_row(self, table: str, row_id: str, what: str) -> dict[str, Any]:
        row = self._one(f"SELECT * FROM {table} WHERE id = ?", [row_id])
        if row is None:
            raise NotFound(f"no {what} with id {row_id}")
        return row

    # ---------------------------------------------------------------- conversations

    def create_conversation(
        self,
        title: str,
        topic: str = "",
        *,
        setting: str = "",
        facilitator: str = "",
        date: str | None = None,
        bank_id: str | None = None,
        opening: str = "",
        status: ConversationStatus = ConversationStatus.PLANNED,
        id: str | None = None,
        created_at: str | None = None,
    ) -> Conversation:
        stamp = created_at or domain.utc_now()
        row = {
            "id": id or _new_id(),
            "title": clean_line(title) or "Untitled conversation",
            "topic": clean_line(topic),
            "setting": clean_line(setting),
            "facilitator": clean_line(facilitator),
            "date": date or domain.now().date().isoformat(),
            "status": ConversationStatus(status).value,
            "opening": clean(opening),
            "bank_id": bank_id,
            "created_at": stamp,
            "updated_at": stamp,
        }
        with self.atomic():
            self._insert("conversations", row)
        return self.get_conversation(row["id"])

    def get_conversation(self, conversation_id: str) -> Conversation:
        return rows.conversation(self._get_row("conversations", conversation_id, "conversation"))

    def resolve_conversation(self, id_or_prefix: str) -> Conversation:
        """Find a conversation by its id or a unique beginning of it (as `git` does)."""
        prefix = id_or_prefix.strip().lower()
        if not prefix:
            raise NotFound("give a conversation id (or the first few characters of one)")
        found = list(
            self.db.query(
                "SELECT * FROM conversations WHERE substr(id, 1, ?) = ? ORDER BY date DESC LIMIT 6",
                [len(prefix), prefix],
            )
        )
        if not found:
            raise NotFound(f"no conversation id starts with {prefix!r}; `appreciate list` shows them")
        if len(found) > 1 and found[0]["id"] != prefix:
            sample = ", ".join(row["id"][:12] for row in found[:5])
            raise Ambiguous(f"{prefix!r} matches more than one conversation ({sample}…); give more of the id")
        return rows.conversation(found[0])

    def list_conversations(self, *, include_deleted: bool = False) -> list[Conversation]:
        where = "" if include_deleted else "WHERE deleted_at IS NULL"
        return [
            rows.conversation(row)
            for row in self.db.query(
                f"SELECT * FROM conversations {where} ORDER BY date DESC, created_at DESC"
            )
        ]

    _CONVERSATION_FIELDS = {
        "title": clean_line,
        "topic": clean_line,
        "setting": clean_line,
        "facilitator": clean_line,
        "date": str,
        "opening": clean,
        "key_learning": clean,
        "phase_budget": lambda budget: json.dumps(
            {Phase.parse(k).value: int(v) for k, v in dict(budget).items()}, sort_keys=True
        ),
        "questions_shared_at": lambda v: v,
        "current_question_id": lambda v: v,
        "status": lambda v: ConversationStatus(v).value,
        "started_at": lambda v: v,
        "ended_at": lambda v: v,
        "bank_id": lambda v: v,
    }

    def update_conversation(self, conversation_id: str, **fields: Any) -> Conversation:
        unknown = set(fields) - set(self._CONVERSATION_FIELDS)
        if unknown:
            raise TypeError(f"not a conversation field: {', '.join(sorted(unknown))}")
        changes = {key: self._CONVERSATION_FIELDS[key](value) for key, value in fields.items()}
        changes["updated_at"] = domain.utc_now()
        with self.atomic():
            self.get_conversation(conversation_id)
            self._update("conversations", conversation_id, changes)
        return self.get_conversation(conversation_id)

    def start_conversation(self, conversation_id: str) -> Conversation:
        """Mark the conversation live; the first start is remembered as when it began."""
        with self.atomic():
            current = self.get_conversation(conversation_id)
            changes: dict[str, Any] = {"status": ConversationStatus.LIVE}
            if current.started_at is None:
                changes["started_at"] = domain.utc_now()
            return self.update_conversation(conversation_id, **changes)

    def close_conversation(self, conversation_id: str) -> Conversation:
        return self.update_conversation(
            conversation_id, status=ConversationStatus.CLOSED, ended_at=domain.utc_now()
        )

    def set_current_question(self, conversation_id: str, question_id: str | None) -> Conversation:
        return self.update_conversation(conversation_id, current_question_id=question_id)

    # ---------------------------------------------------------------- participants

    def add_participant(
        self,
        conversation_id: str,
        agency: str,
        *,
        pseudonym: str | None = None,
        name: str = "",
        role: str = "",
        invited: bool = True,
        attended: bool = False,
        absence_reason: str = "",
        id: str | None = None,
    ) -> Participant:
        agency = clean_line(agency) or "Other"
        stamp = domain.utc_now()
        with self.atomic():
            self.get_conversation(conversation_id)
            if not pseudonym:
                pseudonym = self._next_pseudonym(conversation_id, agency)
            row = {
                "id": id or _new_id(),
                "conversation_id": conversation_id,
                "pseudonym": clean_line(pseudonym),
                "name": clean_line(name),
                "agency": agency,
                "role": clean_line(role),
                "invited": int(invited),
                "attended": int(attended),
                "absence_reason": clean_line(absence_reason),
                "created_at": stamp,
                "updated_at": stamp,
            }
            self._insert("participants", row)
        return self.get_participant(row["id"])

    def _next_pseudonym(self, conversation_id: str, agency: str) -> str:
        stem = _PSEUDONYM_STEM.get(agency, agency)
        taken = {
            row["pseudonym"]
            for row in self.db.query(
                "SELECT pseudonym FROM participants WHERE conversation_id = ?", [conversation_id]
            )
        }
        number = 1
        while f"{stem} {number}" in taken:
            number += 1
        return f"{stem} {number}"

    def get_participant(self, participant_id: str) -> Participant:
        return rows.participant(self._get_row("participants", participant_id, "participant"))

    def list_participants(self, conversation_id: str) -> list[Participant]:
        return [
            rows.participant(row)
            for row in self.db.query(
                "SELECT * FROM participants WHERE conversation_id = ? ORDER BY agency, pseudonym",
                [conversation_id],
            )
        ]

    def set_attended(self, participant_id: str, attended: bool) -> Participant:
        with self.atomic():
            self.get_participant(participant_id)
            self._update(
                "participants",
                participant_id,
                {"attended": int(attended), "updated_at": domain.utc_now()},
            )
        return self.get_participant(participant_id)

    # ---------------------------------------------------------------- questions

    def add_question(
        self,
        conversation_id: str,
        text: str,
        phase: Phase | str,
        *,
        prompts: Iterable[str] = (),
        scale: bool = False,
        id: str | None = None,
    ) -> Question:
        """Append a prepared question to the conversation's plan."""
        stamp = domain.utc_now()
        with self.atomic():
            self.get_conversation(conversation_id)
            last = self._one(
                "SELECT max(position) AS last FROM questions WHERE conversation_id = ? AND parent_id IS NULL",
                [conversation_id],
            )
            position = (last["last"] if last and last["last"] is not None else -1) + 1
            row = {
                "id": id or _new_id(),
                "conversation_id": conversation_id,
                "parent_id": None,
                "text": clean_line(text),
                "phase": Phase.parse(phase).value,
                "position": position,
                "kind": QuestionKind.PREPARED.value,
                "status": QuestionStatus.PENDING.value,
                "prompts": json.dumps([clean_line(p) for p in prompts if clean_line(p)]),
                "scale": int(scale),
                "created_at": stamp,
                "updated_at": stamp,
            }
            self._insert("questions", row)
        return self.get_question(row["id"])

    def add_follow_up(
        self,
        conversation_id: str,
        parent_id: str,
        text: str,
        *,
        id: str | None = None,
        created_at: str | None = None,
    ) -> Question:
        """Add an unplanned question under the one it grew out of, in that question's phase."""
        stamp = created_at or domain.utc_now()
        with self.atomic():
            parent = self.get_question(parent_id)
            if parent.conversation_id != conversation_id:
                raise NotFound(f"question {parent_id} is not part of conversation {conversation_id}")
            row = {
                "id": id or _new_id(),
                "conversation_id": conversation_id,
                "parent_id": parent_id,
                "text": clean_line(text),
                "phase": parent.phase.value,
                "position": parent.position,
                "kind": QuestionKind.FOLLOW_UP.value,
                "status": QuestionStatus.PENDING.value,
                "created_at": stamp,
                "updated_at": stamp,
            }
            self._insert("questions", row)
        return self.get_question(row["id"])

    def get_question(self, question_id: str) -> Question:
        return rows.question(self._get_row("questions", question_id, "question"))

    def list_questions(self, conversation_id: str) -> list[Question]:
        """The questions in the order they are shown: each prepared question, then (depth first)
        the follow-ups that grew out of it, oldest first."""
        questions = [
            rows.question(row)
            for row in self.db.query(
                "SELECT * FROM questions WHERE conversation_id = ? ORDER BY position, created_at, rowid",
                [conversation_id],
            )
        ]
        children: dict[str | None, list[Question]] = {}
        for question in questions:
            children.setdefault(question.parent_id, []).append(question)
        ordered: list[Question] = []

        def visit(parent_id: str | None) -> None:
            for child in children.get(parent_id, []):
                ordered.append(child)
                visit(child.id)

        visit(None)
        return ordered

    def question_depths(self, conversation_id: str) -> dict[str, int]:
        depths: dict[str, int] = {}
        for question in self.list_questions(conversation_id):
            depths[question.id] = depths[question.parent_id] + 1 if question.parent_id else 0
        return depths

    def set_question_status(
        self, question_id: str, status: QuestionStatus, at: str | None = None
    ) -> Question:
        with self.atomic():
            current = self.get_question(question_id)
            changes: dict[str, Any] = {
                "status": QuestionStatus(status).value,
                "updated_at": domain.utc_now(),
            }
            if status is QuestionStatus.ASKED and current.asked_at is None:
                changes["asked_at"] = at or domain.utc_now()
            self._update("questions", question_id, changes)
        return self.get_question(question_id)

    def set_worth_keeping(self, question_id: str, keep: bool) -> Question:
        with self.atomic():
            self.get_question(question_id)
            self._update(
                "questions", question_id, {"worth_keeping": int(keep), "updated_at": domain.utc_now()}
            )
        return self.get_question(question_id)

    # ---------------------------------------------------------------- notes

    def add_note(
        self,
        conversation_id: str,
        question_id: str,
        body: str,
        stance: Stance | str = Stance.NOTE,
        *,
        agency: str | None = None,
        participant_id: str | None = None,
        created_at: str | None = None,
        id: str | None = None,
    ) -> Note:
        body = clean(body).strip()
        if not body:
            raise ValueError("a note needs some text")
        stamp = created_at or domain.utc_now()
        row = {
            "id": id or _new_id(),
            "conversation_id": conversation_id,
            "question_id": question_id,
            "body": body,
            "stance": Stance(stance).value,
            "participant_id": participant_id or None,
            "agency": clean_line(agency) if agency else None,
            "sha256": rows.body_digest(body),
            "created_at": stamp,
            "updated_at": stamp,
        }
        with self.atomic():
            question = self.get_question(question_id)
            if question.conversation_id != conversation_id:
                raise NotFound(f"question {question_id} is not part of conversation {conversation_id}")
            self._insert("notes", row)
        return self.get_note(row["id"])

    def get_note(self, note_id: str) -> Note:
        return rows.note(self._get_row("notes", note_id, "note"))

    def list_notes(
        self,
        conversation_id: str,
        *,
        question_id: str | None = None,
        include_deleted: bool = False,
    ) -> list[Note]:
        clauses = ["conversation_id = :cid"]
        if question_id is not None:
            clauses.append("question_id = :qid")
        if not include_deleted:
            clauses.append("deleted_at IS NULL")
        sql = f"SELECT * FROM notes WHERE {' AND '.join(clauses)} ORDER BY created_at, rowid"
        return [rows.note(row) for row in self.db.query(sql, {"cid": conversation_id, "qid": question_id})]

    def update_note(
        self,
        note_id: str,
        *,
        body: str | None = None,
        stance: Stance | str | None = None,
        agency: str | None = _UNSET,
        participant_id: str | None = _UNSET,
        starred: bool | None = None,
        escalate: bool | None = None,
    ) -> Note:
        """Change a note. A change of what it says, its stance or who said it keeps the old
        version in `note_revisions` first; `agency=""` / `participant_id=""` clear attribution."""
        changes: dict[str, Any] = {}
        if body is not None:
            cleaned = clean(body).strip()
            if not cleaned:
                raise ValueError("a note needs some text; delete it instead")
            changes["body"] = cleaned
            changes["sha256"] = rows.body_digest(cleaned)
        if stance is not None:
            changes["stance"] = Stance(stance).value
        if agency is not _UNSET:
            changes["agency"] = clean_line(agency) if agency else None
        if participant_id is not _UNSET:
            changes["participant_id"] = participant_id or None
        if starred is not None:
            changes["starred"] = int(starred)
        if escalate is not None:
            changes["escalate"] = int(escalate)
            if not escalate:
                changes["escalation_handled_at"] = None
                changes["escalation_passed_to"] = ""
        with self.atomic():
            current = self.get_note(note_id)
            if self._is_revision(current, changes):
                self._insert(
                    "note_revisions",
                    {
                        "id": _new_id(),
                        "note_id": note_id,
                        "body": current.body,
                        "stance": current.stance.value,
                        "agency": current.agency,
                        "participant_id": current.participant_id,
                        "revised_at": domain.utc_now(),
                    },
                )
            changes["updated_at"] = domain.utc_now()
            self._update("notes", note_id, changes)
        return self.get_note(note_id)

    @staticmethod
    def _is_revision(current: Note, changes: dict[str, Any]) -> bool:
        before = {
            "body": current.body,
            "stance": current.stance.value,
            "agency": current.agency,
            "participant_id": current.participant_id,
        }
        return any(key in changes and changes[key] != value for key, value in before.items())

    def delete_note(self, note_id: str) -> Note:
        """Hide a note (it can be restored); erasing for good is a separate, deliberate step."""
        with self.atomic():
            self.get_note(note_id)
            self._update("notes", note_id, {"deleted_at": domain.utc_now()})
        return self.get_note(note_id)

    def restore_note(self, note_id: str) -> Note:
        with self.atomic():
            self.get_note(note_id)
            self._update("notes", note_id, {"deleted_at": None})
        return self.get_note(note_id)

    def handle_escalation(self, note_id: str, passed_to: str = "", at: str | None = None) -> Note:
        """Record that an immediate safeguarding concern was acted on outside the conversation."""
        with self.atomic():
            self.get_note(note_id)
            self._update(
                "notes",
                note_id,
                {
                    "escalate": 1,
                    "escalation_handled_at": at or domain.utc_now(),
                    "escalation_passed_to": clean_line(passed_to),
                    "updated_at": domain.utc_now(),
                },
            )
        return self.get_note(note_id)

    def note_revisions(self, note_id: str) -> list[NoteRevision]:
        return [
            rows.note_revision(row)
            for row in self.db.query(
                "SELECT * FROM note_revisions WHERE note_id = ? ORDER BY revised_at, rowid", [note_id]
            )
        ]

    # ---------------------------------------------------------------- drafts

    def save_draft(self, conversation_id: str, field: str, text: str) -> None:
        """Keep what is being typed; an empty text removes the draft."""
        text = clean(text)
        with self.atomic():
            if text:
                self.db.execute(
                    "INSERT INTO drafts (conversation_id, field, body, updated_at) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (conversation_id, field) DO UPDATE SET body = excluded.body, "
                    "updated_at = excluded.updated_at",
                    [conversation_id, field, text, domain.utc_now()],
                )
            else:
                self.db.execute(
                    "DELETE FROM drafts WHERE conversation_id = ? AND field = ?", [conversation_id, field]
                )

    def get_draft(self, conversation_id: str, field: str) -> str:
        row = self._one(
            "SELECT body FROM drafts WHERE conversation_id = ? AND field = ?", [conversation_id, field]
        )
        return row["body"] if row else ""

    def drafts(self, conversation_id: str) -> dict[str, str]:
        return {
            row["field"]: row["body"]
            for row in self.db.query(
                "SELECT field, body FROM drafts WHERE conversation_id = ?", [conversation_id]
            )
        }

    # ---------------------------------------------------------------- actions, feedback, shares

    def add_action(
        self,
        conversation_id: str,
        description: str,
        *,
        owner: str = "",
        due: str | None = None,
        note_id: str | None = None,
        status: ActionStatus = ActionStatus.OPEN,
        id: str | None = None,
    ) -> Action:
        stamp = domain.utc_now()
        row = {
            "id": id or _new_id(),
            "conversation_id": conversation_id,
            "description": clean(description).strip(),
            "owner": clean_line(owner),
            "due": due,
            "status": ActionStatus(status).value,
            "note_id": note_id,
            "created_at": stamp,
            "updated_at": stamp,
        }
        with self.atomic():
            self.get_conversation(conversation_id)
            self._insert("actions", row)
        return rows.action(self._get_row("actions", row["id"], "action"))

    def list_actions(self, conversation_id: str) -> list[Action]:
        return [
            rows.action(row)
            for row in self.db.query(
                "SELECT * FROM actions WHERE conversation_id = ? ORDER BY created_at, rowid",
                [conversation_id],
            )
        ]

    def add_feedback(
        self,
        conversation_id: str,
        *,
        participant_id: str | None = None,
        agency: str | None = None,
        rating: int | None = None,
        advance_questions_helped: bool | None = None,
        useful_question_ids: Iterable[str] = (),
        comments: str = "",
        id: str | None = None,
    ) -> Feedback:
        if rating is not None and not 1 <= int(rating) <= 5:
            raise ValueError("a rating is from 1 to 5")
        stamp = domain.utc_now()
        row = {
            "id": id or _new_id(),
            "conversation_id": conversation_id,
            "participant_id": participant_id,
            "agency": clean_line(agency) if agency else None,
            "rating": rating,
            "advance_questions_helped": None
            if advance_questions_helped is None
            else int(advance_questions_helped),
            "useful_question_ids": json.dumps(list(useful_question_ids)),
            "comments": clean(comments).strip(),
            "created_at": stamp,
            "updated_at": stamp,
        }
        with self.atomic():
            self.get_conversation(conversation_id)
            self._insert("feedback", row)
        return rows.feedback(self._get_row("feedback", row["id"], "feedback"))

    def list_feedback(self, conversation_id: str) -> list[Feedback]:
        return [
            rows.feedback(row)
            for row in self.db.query(
                "SELECT * FROM feedback WHERE conversation_id = ? ORDER BY created_at, rowid",
                [conversation_id],
            )
        ]

    def record_share(
        self,
        conversation_id: str,
        format: str,
        *,
        redacted: bool = False,
        recipient: str = "",
        purpose: str = "",
    ) -> Share:
        """Record that something was exported (what, when, to whom, why), never its content."""
        row = {
            "id": _new_id(),
            "conversation_id": conversation_id,
            "format": clean_line(format),
            "redacted": int(redacted),
            "recipient": clean_line(recipient),
            "purpose": clean_line(purpose),
            "created_at": domain.utc_now(),
        }
        with self.atomic():
            self.get_conversation(conversation_id)
            self._insert("shares", row)
        return rows.share(self._get_row("shares", row["id"], "share"))

    def note_counts(self) -> dict[str, int]:
        """How many notes (not deleted) each conversation has."""
        return {
            row["conversation_id"]: row["notes"]
            for row in self.db.query(
                "SELECT conversation_id, count(*) AS notes FROM notes "
                "WHERE deleted_at IS NULL GROUP BY conversation_id"
            )
        }

    def agencies(self) -> list[str]:
        """The default agencies, then any other agency this database has seen."""
        seen = [
            row["agency"]
            for row in self.db.query(
                "SELECT agency FROM participants UNION SELECT agency FROM notes "
                "WHERE agency IS NOT NULL ORDER BY agency"
            )
            if row["agency"]
        ]
        return list(DEFAULT_AGENCIES) + [a for a in seen if a not in DEFAULT_AGENCIES]

    # ---------------------------------------------------------------- search and safety

    def search(self, query: str, *, limit: int = 50) -> list[SearchHit]:
        """Ranked full-text matches in notes, questions and conversation titles and topics."""
        match = fts_query(query)
        if not match:
            return []
        return [
            SearchHit(
                kind=row["kind"],
                conversation_id=row["conversation_id"],
                conversation_title=row["conversation_title"],
                question_id=row["question_id"],
                question=row["question"] or "",
                note_id=row["note_id"],
                snippet=row["snippet"] or "",
                rank=row["rank"],
            )
            for row in self.db.query(search_sql(), {"match": match, "limit": limit})
        ]

    def check(self) -> CheckReport:
        """SQLite's own check, plus each note's text against the checksum stored when it was
        written: a change made behind the app's back shows up here."""
        found = safety.quick_check(self.db.conn)
        mismatches = []
        checked = 0
        for row in self.db.query("SELECT id, conversation_id, body, sha256 FROM notes"):
            checked += 1
            actual = rows.body_digest(row["body"])
            if actual != row["sha256"]:
                mismatches.append(
                    ChecksumMismatch(row["id"], row["conversation_id"], row["sha256"], actual)
                )
        return CheckReport(quick_check=found, mismatches=mismatches, notes_checked=checked)

    def backup(self, dest: Path) -> Path:
        """A verified copy of the whole database at `dest` (mode 0600, written atomically)."""
        target = Path(dest).expanduser().resolve()
        live = self.path.resolve()
        if target in {live, *(live.with_name(live.name + s) for s in (*safety.SIDE_FILES, ".lock"))}:
            raise StoreError(f"{target}: that is the open database itself; choose another file.")
        try:
            return safety.vacuum_into(self.db.conn, Path(dest))
        except sqlite3.Error as exc:
            raise StoreError(f"the backup could not be written: {_describe(exc)}") from exc
        except OSError as exc:
            raise StoreError(f"the backup could not be written: {exc.strerror or exc}") from exc

    def rotate_backups(self, keep: int = 10) -> Path:
        """A dated backup in the backups folder beside the database; the newest `keep` are kept."""
        folder = paths.ensure_private_dir(paths.backups_dir(self.path))
        made = self.backup(folder / safety.backup_name(domain.now()))
        for old in safety.list_backups(self.path)[:-keep]:
            old.unlink(missing_ok=True)
        return made

    # ================================================================ bundles and redaction terms
    # Export and import of whole conversations (SQL in store/transfer.py) and the terms a
    # conversation's exports must never show. Used by appreciate_tui/reports and cli_export.

    def conversation_rows(self, conversation_id: str) -> dict[str, list[dict[str, Any]]]:
        """Every stored row of one conversation, table by table, exactly as stored."""
        self.get_conversation(conversation_id)
        return transfer.read_conversation(self.db, conversation_id)

    def bundle_schema(self) -> transfer.Schema:
        """The columns and references a bundle's rows are checked against before an import."""
        return transfer.schema(self.db)

    def import_rows(
        self, tables: dict[str, list[dict[str, Any]]]
    ) -> dict[str, transfer.Counted]:
        """Add a checked bundle's rows in one transaction: rows whose id is already here are left
        as they are; anything failing leaves the database unchanged."""
        with self.atomic():
            return transfer.insert_rows(self.db, tables)

    def add_redaction_term(self, conversation_id: str, term: str) -> redaction.RedactionTerm:
        """Add a term to the conversation's redaction list; a term already there (in any case)
        is returned as it is."""
        text = clean_line(term)
        if len(text) < redaction.MIN_TERM_LENGTH:
            raise ValueError(
                f"a redaction term needs at least {redaction.MIN_TERM_LENGTH} characters"
            )
        with self.atomic():
            for existing in self.list_redaction_terms(conversation_id):
                if existing.term.casefold() == text.casefold():
                    return existing
            row = {
                "id": _new_id(),
                "conversation_id": conversation_id,
                "term": text,
                "created_at": domain.utc_now(),
            }
            self._insert("redaction_terms", row)
        return redaction.term(self._get_row("redaction_terms", row["id"], "redaction term"))

    def list_redaction_terms(self, conversation_id: str) -> list[redaction.RedactionTerm]:
        self.get_conversation(conversation_id)
        return [
            redaction.term(row)
            for row in self.db.query(
                "SELECT * FROM redaction_terms WHERE conversation_id = ? ORDER BY created_at, rowid",
                [conversation_id],
            )
        ]

    def remove_redaction_term(self, term_id: str) -> None:
        with self.atomic():
            self._get_row("redaction_terms", term_id, "redaction term")
            self.db.execute("DELETE FROM redaction_terms WHERE id = ?", [term_id])
