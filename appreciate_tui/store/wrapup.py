"""Closing a conversation properly: its actions (some drafted from `!` notes), the feedback of
participants and agencies, and the record of what was shared (never its content)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from os import PathLike
from typing import Any

from appreciate_tui import domain
from appreciate_tui.domain import Action, ActionStatus, Feedback, Share, Stance
from appreciate_tui.store import rows
from appreciate_tui.store.core import UNSET, new_id
from appreciate_tui.store.errors import NotFound
from appreciate_tui.store.notes import Notes
from appreciate_tui.text import clean, clean_line


def _scores_json(scores: Mapping[str, int]) -> str:
    """Feedback's scores as stored: keys sorted, so the same scores written on two laptops are
    the same version of the row when bundles merge (store/merge.py)."""
    return json.dumps(dict(scores), sort_keys=True, separators=(",", ":"))


def new_share(
    conversation_id: str,
    format: str,
    *,
    redacted: bool = False,
    recipient: str = "",
    purpose: str = "",
    path: str | PathLike[str] | None = None,
) -> Share:
    """A share as it is recorded: a new id, made now, its words each cleaned to one line."""
    return Share(
        id=new_id(),
        conversation_id=conversation_id,
        format=clean_line(format),
        created_at=domain.utc_now(),
        redacted=bool(redacted),
        recipient=clean_line(recipient),
        purpose=clean_line(purpose),
        path=None if path is None else str(path),
    )


def _share_row(share: Share) -> dict[str, Any]:
    """The `shares` row of a share; its words cleaned again, as one may come from a file."""
    return {
        "id": share.id,
        "conversation_id": share.conversation_id,
        "format": clean_line(share.format),
        "redacted": int(share.redacted),
        "recipient": clean_line(share.recipient),
        "purpose": clean_line(share.purpose),
        "created_at": share.created_at,
        "path": share.path,
    }


class WrapUp(Notes):
    """A conversation's actions, feedback and shares."""

    # ---------------------------------------------------------------- actions

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
        row: dict[str, Any] = {
            "id": id or new_id(),
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
            for row in self.reads.query(
                "SELECT * FROM actions WHERE conversation_id = ? ORDER BY created_at, rowid",
                [conversation_id],
            )
        ]

    def get_action(self, action_id: str) -> Action:
        return rows.action(self._get_row("actions", action_id, "action"))

    def update_action(
        self,
        action_id: str,
        *,
        description: str | None = None,
        owner: str | None = None,
        due: str | None = UNSET,
        status: ActionStatus | str | None = None,
    ) -> Action:
        """Change an action; `due` is a YYYY-MM-DD date, or None for no date."""
        changes: dict[str, Any] = {}
        if description is not None:
            changes["description"] = clean(description).strip()
            if not changes["description"]:
                raise ValueError("an action needs a description")
        if owner is not None:
            changes["owner"] = clean_line(owner)
        if due is not UNSET:
            changes["due"] = domain.parse_due_date(due)
        if status is not None:
            changes["status"] = ActionStatus(status).value
        with self.atomic():
            self.get_action(action_id)
            changes["updated_at"] = domain.utc_now()
            self._update("actions", action_id, changes)
        return self.get_action(action_id)

    def delete_action(self, action_id: str) -> None:
        """Remove an action added by hand. One drafted from a `!` note is dropped instead (its
        status), or the next wrap-up would draft it again."""
        with self.atomic():
            if self.get_action(action_id).note_id is not None:
                raise ValueError("it comes from an action note; mark it dropped instead")
            self.db.execute("DELETE FROM actions WHERE id = ?", [action_id])

    def draft_actions_from_notes(self, conversation_id: str) -> list[Action]:
        """An open action for every `!` note that has none yet, described as the note is and
        owned by whoever said it (the participant's pseudonym, else the agency); the new ones are
        returned. Safe to run again: a note's action is never drafted twice."""
        with self.atomic():
            self.get_conversation(conversation_id)
            waiting = list(
                self.reads.query(
                    "SELECT notes.id, notes.body, "
                    "coalesce(participants.pseudonym, notes.agency, '') AS owner "
                    "FROM notes LEFT JOIN participants "
                    "ON participants.id = notes.participant_id "
                    "WHERE notes.conversation_id = ? AND notes.stance = ? "
                    "AND notes.deleted_at IS NULL AND NOT EXISTS "
                    "(SELECT 1 FROM actions WHERE actions.note_id = notes.id) "
                    "ORDER BY notes.created_at, notes.rowid",
                    [conversation_id, Stance.ACTION.value],
                )
            )
            return [
                self.add_action(conversation_id, row["body"], owner=row["owner"], note_id=row["id"])
                for row in waiting
            ]

    # ---------------------------------------------------------------- feedback

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
        question_scores: Mapping[str, int] | None = None,
    ) -> Feedback:
        """Add feedback as given (`set_feedback` is what the app calls: one per participant or
        agency). `question_scores`: question id → score from 1 to 5."""
        if rating is not None and not 1 <= int(rating) <= 5:
            raise ValueError("a rating is from 1 to 5")
        scores = domain.check_scores(question_scores or {})
        stamp = domain.utc_now()
        row: dict[str, Any] = {
            "id": id or new_id(),
            "conversation_id": conversation_id,
            "participant_id": participant_id,
            "agency": clean_line(agency) if agency else None,
            "rating": rating,
            "advance_questions_helped": None
            if advance_questions_helped is None
            else int(advance_questions_helped),
            "useful_question_ids": json.dumps(list(useful_question_ids)),
            "comments": clean(comments).strip(),
            "question_scores": _scores_json(scores),
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
            for row in self.reads.query(
                "SELECT * FROM feedback WHERE conversation_id = ? ORDER BY created_at, rowid",
                [conversation_id],
            )
        ]

    def get_feedback(self, feedback_id: str) -> Feedback:
        return rows.feedback(self._get_row("feedback", feedback_id, "feedback"))

    def set_feedback(
        self,
        conversation_id: str,
        *,
        participant_id: str | None = None,
        agency: str | None = None,
        rating: int | None = None,
        advance_questions_helped: bool | None = None,
        useful_question_ids: Iterable[str] = (),
        comments: str = "",
        question_scores: Mapping[str, int] | None = None,
    ) -> Feedback:
        """Record a participant's (or, without one, an agency's) feedback, replacing what they
        said before: there is one feedback per participant or agency. `question_scores`: how
        useful they found each question, question id → 1 to 5 (a question left out has no
        score); None keeps the scores given before. A score for a question that is not this
        conversation's is left out, as a tick is."""
        if participant_id is None and not (agency and clean_line(agency)):
            raise ValueError("feedback is from a participant or an agency")
        if rating is not None and not 1 <= int(rating) <= 5:
            raise ValueError("a rating is from 1 to 5")
        scores = None if question_scores is None else domain.check_scores(question_scores)
        with self.atomic():
            known = {q.id for q in self.list_questions(conversation_id)}
            useful = [qid for qid in dict.fromkeys(useful_question_ids) if qid in known]
            if scores is not None:
                scores = {qid: score for qid, score in scores.items() if qid in known}
            if participant_id is not None:
                person = self.get_participant(participant_id)
                if person.conversation_id != conversation_id:
                    raise NotFound(f"participant {participant_id} is not part of this conversation")
                agency = person.agency
                existing = self._one(
                    "SELECT id FROM feedback WHERE conversation_id = ? AND participant_id = ?",
                    [conversation_id, participant_id],
                )
            else:
                existing = self._one(
                    "SELECT id FROM feedback WHERE conversation_id = ? AND participant_id IS NULL "
                    "AND agency = ?",
                    [conversation_id, clean_line(agency or "")],
                )
            if existing is None:
                return self.add_feedback(
                    conversation_id,
                    participant_id=participant_id,
                    agency=agency,
                    rating=rating,
                    advance_questions_helped=advance_questions_helped,
                    useful_question_ids=useful,
                    comments=comments,
                    question_scores=scores,
                )
            changes: dict[str, Any] = {} if scores is None else {
                "question_scores": _scores_json(scores)}
            self._update(
                "feedback",
                existing["id"],
                {
                    **changes,
                    "agency": clean_line(agency) if agency else None,
                    "rating": rating,
                    "advance_questions_helped": None
                    if advance_questions_helped is None
                    else int(advance_questions_helped),
                    "useful_question_ids": json.dumps(useful),
                    "comments": clean(comments).strip(),
                    "updated_at": domain.utc_now(),
                },
            )
            return self.get_feedback(existing["id"])

    def delete_feedback(self, feedback_id: str) -> None:
        with self.atomic():
            self.get_feedback(feedback_id)
            self.db.execute("DELETE FROM feedback WHERE id = ?", [feedback_id])

    # ---------------------------------------------------------------- shares

    def record_share(
        self,
        conversation_id: str,
        format: str,
        *,
        redacted: bool = False,
        recipient: str = "",
        purpose: str = "",
        path: str | PathLike[str] | None = None,
    ) -> Share:
        """Record that something was exported (what, when, to whom, why, and the file it was
        written to, if any), never its content."""
        share = new_share(conversation_id, format, redacted=redacted, recipient=recipient,
                          purpose=purpose, path=path)
        with self.atomic():
            self.get_conversation(conversation_id)
            self._insert("shares", _share_row(share))
        return rows.share(self._get_row("shares", share.id, "share"))

    def take_in_share(
        self, share: Share, versions: Mapping[str, Iterable[tuple[str, str]]] | None = None
    ) -> str:
        """Record a share made while another appreciate held the database (store/share_queue.py)
        with the id, time and words it was given, and for a full bundle the versions of the rows
        that left in it (those still of its conversation here). Returns "recorded", "already"
        (the same share is here: taking one in twice records it once) or "erased" (its
        conversation was erased since: nothing is recorded). Raises NotFound for a conversation
        this database never had, ValueError when another share holds its id."""
        from appreciate_tui.store import merge
        from appreciate_tui.store.transfer import read_conversation

        with self.atomic():
            same = self._one("SELECT conversation_id, format, created_at FROM shares WHERE id = ?",
                             [share.id])
            if same is not None:
                if (same["conversation_id"], same["format"], same["created_at"]) == (
                        share.conversation_id, share.format, share.created_at):
                    return "already"
                raise ValueError("its id is already another share's")
            if self._one("SELECT 1 FROM conversations WHERE id = ?", [share.conversation_id]) is None:
                if self._one("SELECT 1 FROM erasures WHERE kind = 'conversation' AND target_id = ?",
                             [share.conversation_id]) is not None:
                    return "erased"
                raise NotFound(f"no conversation with id {share.conversation_id}")
            self._insert("shares", _share_row(share))
            if versions:
                here = read_conversation(self.reads, share.conversation_id)
                for table, held in versions.items():
                    ids = {row["id"] for row in here.get(table, ())}
                    merge.remember(self.db, table, [v for v in held if v[0] in ids])
                # As an export recorded directly does: the share is in the rows it remembers.
                merge.remember(self.db, "shares", [(share.id, merge.row_digest(
                    self._get_row("shares", share.id, "share")))])
        return "recorded"

    def list_shares(self, conversation_id: str | None = None) -> list[Share]:
        """What was shared, newest first: of one conversation, or of every one (those in the bin
        too: their copies are still out there)."""
        where, values = ("WHERE conversation_id = ? ", [conversation_id]) if conversation_id else (
            "", [])
        return [
            rows.share(row)
            for row in self.reads.query(
                f"SELECT * FROM shares {where}ORDER BY created_at DESC, rowid DESC", values
            )
        ]
