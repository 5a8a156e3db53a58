"""Notes: what was said, its earlier versions (kept before every change, so a change can be
undone), the drafts of what is being typed, scores (a note with a value), and `commit_note`, which
cleans a typed line (the one cleaning), reads it by the quick-note grammar, saves the note and
clears its draft together."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from appreciate_tui import domain
from appreciate_tui.domain import Note, NoteRevision, NoteUndo, Participant, Question, Stance
from appreciate_tui.quicknote import QuickNote, parse_quick_note
from appreciate_tui.store import draft_writer, rows
from appreciate_tui.store.core import UNSET, new_id
from appreciate_tui.store.draft_writer import DraftWrite, DraftWriter
from appreciate_tui.store.errors import NotFound
from appreciate_tui.store.questions import Questions
from appreciate_tui.text import clean, clean_line

# The newest change to one of a conversation's notes that is not an undo and not yet undone.
_LAST_UNDOABLE = """
SELECT r.* FROM note_revisions r JOIN notes n ON n.id = r.note_id
WHERE n.conversation_id = ? AND r.change IS NOT NULL AND r.undoes IS NULL
  AND NOT EXISTS (SELECT 1 FROM note_revisions u WHERE u.undoes = r.id)
ORDER BY r.revised_at DESC, r.rowid DESC LIMIT 1
"""


@dataclass(frozen=True)
class TypedNote:
    """A line typed on the note line, as `commit_note` read and saved it."""

    read: QuickNote  # how the grammar read the cleaned line (its stance, tags, score)
    note: Note | None  # None: nothing to save (a mark or tags alone), and the draft is kept


class Notes(Questions):
    """A conversation's notes and drafts."""

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
        parked: bool = False,
        starred: bool = False,
        created_at: str | None = None,
        id: str | None = None,
    ) -> Note:
        """`parked`: raised to come back to later (the parking lot), until it becomes a follow-up
        question (`follow_up_from_note`). `starred`: for notes loaded already starred (the demo);
        starring a note later is a change, which can be undone."""
        return self._add_clean_note(
            conversation_id, question_id, clean(body).strip(), stance,
            agency=clean_line(agency) if agency else None, participant_id=participant_id,
            parked=parked, starred=starred, created_at=created_at, id=id,
        )

    def _add_clean_note(
        self,
        conversation_id: str,
        question_id: str,
        body: str,
        stance: Stance | str,
        *,
        agency: str | None,
        participant_id: str | None,
        parked: bool = False,
        starred: bool = False,
        created_at: str | None = None,
        id: str | None = None,
    ) -> Note:
        """`add_note` for text its caller has cleaned already (`clean`, then stripped)."""
        if not body:
            raise ValueError("a note needs some text")
        stamp = created_at or domain.utc_now()
        row: dict[str, Any] = {
            "id": id or new_id(),
            "conversation_id": conversation_id,
            "question_id": question_id,
            "body": body,
            "stance": Stance(stance).value,
            "participant_id": participant_id or None,
            "agency": agency,
            "parked": int(parked),
            "starred": int(starred),
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
        return [rows.note(row) for row in self.reads.query(sql, {"cid": conversation_id, "qid": question_id})]

    def update_note(
        self,
        note_id: str,
        *,
        body: str | None = None,
        stance: Stance | str | None = None,
        agency: str | None = UNSET,
        participant_id: str | None = UNSET,
        starred: bool | None = None,
        parked: bool | None = None,
        escalate: bool | None = None,
    ) -> Note:
        """Change a note. A change of what it says, its stance, who said it, its star or its
        parking keeps the note as it was in `note_revisions` first, so it can be undone
        (`undo_note_change`); `agency=""` / `participant_id=""` clear attribution."""
        changes: dict[str, Any] = {}
        if body is not None:
            cleaned = clean(body).strip()
            if not cleaned:
                raise ValueError("a note needs some text; delete it instead")
            changes["body"] = cleaned
            changes["sha256"] = rows.body_digest(cleaned)
        if stance is not None:
            changes["stance"] = Stance(stance).value
        if agency is not UNSET:
            changes["agency"] = clean_line(agency) if agency else None
        if participant_id is not UNSET:
            changes["participant_id"] = participant_id or None
        if starred is not None:
            changes["starred"] = int(starred)
        if parked is not None:
            changes["parked"] = int(parked)
        if escalate is not None:
            changes["escalate"] = int(escalate)
            if not escalate:
                changes["escalation_handled_at"] = None
                changes["escalation_passed_to"] = ""
        with self.atomic():
            current = self.get_note(note_id)
            self._keep_revision(current, changes)
            changes["updated_at"] = domain.utc_now()
            self._update("notes", note_id, changes)
        return self.get_note(note_id)

    # The columns of a note each kind of change touches (domain.NOTE_CHANGES).
    _CHANGE_COLUMNS: ClassVar[dict[str, tuple[str, ...]]] = {
        "body": ("body", "sha256"),
        "stance": ("stance",),
        "who": ("agency", "participant_id"),
        "star": ("starred",),
        "park": ("parked",),
        "delete": ("deleted_at",),
    }

    @staticmethod
    def _as_stored(note: Note) -> dict[str, Any]:
        """A note's columns that a change can touch, as they are stored."""
        return {
            "body": note.body,
            "sha256": note.sha256,
            "stance": note.stance.value,
            "agency": note.agency,
            "participant_id": note.participant_id,
            "starred": int(note.starred),
            "parked": int(note.parked),
            "deleted_at": note.deleted_at,
        }

    def _keep_revision(
        self, current: Note, changes: dict[str, Any], *, undoes: NoteRevision | None = None
    ) -> None:
        """Keep `current` as a revision if `changes` change anything a revision records, naming
        what they change (domain.NOTE_CHANGES). An undo is always kept, naming the change it took
        back, even when the note already read as before (merged from elsewhere, say): the next
        undo then goes on to the change before it."""
        before = self._as_stored(current)
        touched = tuple(
            kind
            for kind, columns in self._CHANGE_COLUMNS.items()
            if any(column in changes and changes[column] != before[column] for column in columns)
        )
        if undoes is not None:
            touched = undoes.change
        if touched:
            self._insert(
                "note_revisions",
                {
                    "id": new_id(),
                    "note_id": current.id,
                    "body": current.body,
                    "stance": current.stance.value,
                    "agency": current.agency,
                    "participant_id": current.participant_id,
                    "starred": int(current.starred),
                    "parked": int(current.parked),
                    "deleted": int(current.deleted_at is not None),
                    "change": " ".join(touched),
                    "undoes": undoes.id if undoes is not None else None,
                    "revised_at": domain.utc_now(),
                },
            )

    def delete_note(self, note_id: str) -> Note:
        """Hide a note (it can be restored, or the delete undone); erasing for good is a separate,
        deliberate step."""
        with self.atomic():
            current = self.get_note(note_id)
            changes = {"deleted_at": current.deleted_at or domain.utc_now()}
            self._keep_revision(current, changes)
            self._update("notes", note_id, changes)
        return self.get_note(note_id)

    def restore_note(self, note_id: str) -> Note:
        with self.atomic():
            current = self.get_note(note_id)
            self._keep_revision(current, {"deleted_at": None})
            self._update("notes", note_id, {"deleted_at": None})
        return self.get_note(note_id)

    def undo_note_change(self, conversation_id: str) -> NoteUndo | None:
        """Take back the latest change to any of the conversation's notes not yet undone (what it
        says, its stance, who said it, its star, its parking, its deletion), and again for the one
        before. The undo is a change like any other: kept as a revision naming the one it undid,
        so it is on disk at once, travels in a bundle and merges as an edit does. None when there
        is nothing left to undo."""
        with self.atomic():
            row = self._one(_LAST_UNDOABLE, [conversation_id])
            if row is None:
                return None
            revision = rows.note_revision(row)
            current = self.get_note(revision.note_id)
            was = {
                "body": revision.body,
                "sha256": rows.body_digest(revision.body),
                "stance": revision.stance.value,
                "agency": revision.agency,
                "participant_id": revision.participant_id,
                "starred": int(bool(revision.starred)),
                "parked": int(bool(revision.parked)),
                "deleted_at": (current.deleted_at or domain.utc_now()) if revision.deleted else None,
            }
            changes = {
                column: was[column]
                for kind in revision.change
                for column in self._CHANGE_COLUMNS.get(kind, ())
            }
            if changes.get("participant_id") and not self._one(
                "SELECT 1 FROM participants WHERE id = ?", [changes["participant_id"]]
            ):
                changes["participant_id"] = None  # erased since: the agency still says who
            self._keep_revision(current, changes, undoes=revision)
            changes["updated_at"] = domain.utc_now()
            self._update("notes", current.id, changes)
        return NoteUndo(note=self.get_note(current.id), before=current, change=revision.change)

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
        """The earlier wordings of a note, oldest first: versions before a change of what it says,
        its stance or who said it (a star, parking or deletion alone is no rewording)."""
        return [
            rows.note_revision(row)
            for row in self.reads.query(
                f"SELECT * FROM note_revisions WHERE note_id = ? AND {rows.WORDING_REVISION} "
                "ORDER BY revised_at, rowid",
                [note_id],
            )
        ]

    def follow_up_from_note(self, conversation_id: str, note_id: str, parent_id: str) -> Question:
        """Come back to a note (a parked one, usually): its words become a follow-up of the
        question being asked now, and the note remembers it, so it is no longer waiting."""
        with self.atomic():
            note = self.get_note(note_id)
            if note.conversation_id != conversation_id:
                raise NotFound(f"note {note_id} is not part of conversation {conversation_id}")
            follow_up = self.add_follow_up(conversation_id, parent_id, note.body)
            self._update(
                "notes", note_id, {"follow_up_id": follow_up.id, "updated_at": domain.utc_now()}
            )
        return follow_up

    # ---------------------------------------------------------------- drafts

    def save_draft(self, conversation_id: str, field: str, text: str) -> None:
        """Keep what is being typed; an empty text removes the draft."""
        with self.atomic():
            draft_writer.write_draft(self.conn, conversation_id, field, text)

    def save_drafts_soon(
        self,
        conversation_id: str,
        changes: Mapping[str, str],
        landed: Callable[[DraftWrite], None] | None = None,
    ) -> DraftWrite:
        """Keep what is being typed, written on a thread of its own (store/draft_writer.py says
        why): returns at once; `landed(write)` is called on that thread when it is on disk or has
        failed. Any other write through this store waits for it first."""
        if self._drafts is None:
            self._drafts = DraftWriter(self)
        return self._drafts.submit(conversation_id, changes, landed)

    def get_draft(self, conversation_id: str, field: str) -> str:
        row = self._one(
            "SELECT body FROM drafts WHERE conversation_id = ? AND field = ?", [conversation_id, field]
        )
        return row["body"] if row else ""

    def drafts(self, conversation_id: str) -> dict[str, str]:
        return {
            row["field"]: row["body"]
            for row in self.reads.query(
                "SELECT field, body FROM drafts WHERE conversation_id = ?", [conversation_id]
            )
        }

    # ---------------------------------------------------------------- a note typed in the meeting

    def commit_note(
        self,
        conversation_id: str,
        question_id: str,
        line: str,
        *,
        participants: Sequence[Participant] = (),
        agencies: Sequence[str] = (),
        draft: str = "note",
    ) -> TypedNote:
        """A line typed on the note line, saved. It is cleaned here, once (`clean_line`: nothing a
        terminal would act on, one line), then read by the quick-note grammar with the people and
        agencies of the room (`participants`, `agencies`), so the grammar only ever sees safe text;
        the note is added (for a score, the score recorded with its comment) and the draft it was
        typed in (`draft`, a field of `save_draft`) cleared, in one transaction: both happen, or
        neither does and the draft still holds the text. A line with nothing to save (a blank
        line, a mark or tags alone) saves nothing and keeps the draft."""
        read = parse_quick_note(clean_line(line), participants, agencies)
        if not read.body and read.score is None:
            return TypedNote(read, None)
        with self.atomic():
            if read.score is not None:
                note, _ = self._record_clean_score(
                    conversation_id, question_id, read.score,
                    agency=read.agency, participant_id=read.participant_id, said=read.body,
                )
            else:
                note = self._add_clean_note(
                    conversation_id, question_id, read.body, read.stance,
                    agency=read.agency, participant_id=read.participant_id, parked=read.parked,
                )
            self.save_draft(conversation_id, draft, "")
        return TypedNote(read, note)

    # ---------------------------------------------------------------- scores

    def record_score(
        self,
        conversation_id: str,
        question_id: str,
        value: int,
        *,
        agency: str | None = None,
        participant_id: str | None = None,
        comment: str = "",
    ) -> tuple[Note, domain.Score]:
        """Record a 0-10 score for an agency or participant under a question, with the note
        that shows it in the record ("Scored 7/10: comment"), in one transaction."""
        return self._record_clean_score(
            conversation_id, question_id, value, agency=clean_line(agency) if agency else None,
            participant_id=participant_id, said=clean_line(comment),
        )

    def _record_clean_score(
        self,
        conversation_id: str,
        question_id: str,
        value: int,
        *,
        agency: str | None,
        participant_id: str | None,
        said: str,
    ) -> tuple[Note, domain.Score]:
        """`record_score` for an agency and a comment (`said`) its caller has cleaned already."""
        from appreciate_tui.store import scores

        if type(value) is not int or not 0 <= value <= 10:
            raise ValueError("a score is a whole number from 0 to 10")
        body = f"Scored {value}/10" + (f": {said}" if said else "")
        with self.atomic():
            note = self._add_clean_note(
                conversation_id, question_id, body, Stance.NOTE,
                agency=agency, participant_id=participant_id,
            )
            row: dict[str, Any] = {
                "id": new_id(),
                "conversation_id": conversation_id,
                "question_id": question_id,
                "note_id": note.id,
                "participant_id": note.participant_id,
                "agency": note.agency,
                "value": value,
                "created_at": note.created_at,
                "updated_at": note.created_at,
            }
            scores.insert_score(self.db, row)
        return note, domain.Score(**row)

    def list_scores(self, conversation_id: str) -> list[domain.Score]:
        """The conversation's scores whose notes are still there, oldest first."""
        from appreciate_tui.store import scores

        return [domain.Score(**row) for row in scores.score_rows(self.reads, conversation_id)]
