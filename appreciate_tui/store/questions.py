"""Questions: the prepared plan (its phases and order) and the follow-ups that grow out of it in
the meeting."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from appreciate_tui import domain
from appreciate_tui.domain import Phase, Question, QuestionKind, QuestionStatus
from appreciate_tui.store import rows
from appreciate_tui.store.core import new_id
from appreciate_tui.store.errors import NotFound
from appreciate_tui.store.people import People
from appreciate_tui.text import clean_line


class Questions(People):
    """A conversation's questions."""

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
            row: dict[str, Any] = {
                "id": id or new_id(),
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
            row: dict[str, Any] = {
                "id": id or new_id(),
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
            for row in self.reads.query(
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
        status = QuestionStatus(status)
        with self.atomic():
            current = self.get_question(question_id)
            changes: dict[str, Any] = {"status": status.value, "updated_at": domain.utc_now()}
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

    # Changing the plan before (and during) the meeting (tui/screens/plan.py). A change that would
    # lose something said in the meeting is refused with a ValueError whose message says what to
    # do instead.

    def place_question(
        self,
        conversation_id: str,
        text: str,
        phase: Phase | str,
        *,
        prompts: Iterable[str] = (),
        scale: bool = False,
    ) -> Question:
        """Add a prepared question where its phase belongs: after the last question of its phase
        (or of an earlier one), so a plan in phase order stays in phase order."""
        phase = Phase.parse(phase)
        with self.atomic():
            order = self._prepared_order(conversation_id)
            added = self.add_question(conversation_id, text, phase, prompts=prompts, scale=scale)
            place = 0
            for index, question in enumerate(order):
                if question.phase.order <= phase.order:
                    place = index + 1
            order.insert(place, added)
            self._renumber(order)
        return self.get_question(added.id)

    def update_question(
        self,
        question_id: str,
        *,
        text: str | None = None,
        phase: Phase | str | None = None,
        prompts: Iterable[str] | None = None,
    ) -> Question:
        """Reword a question, or move a prepared one to another phase (its follow-ups follow)."""
        changes: dict[str, Any] = {}
        if text is not None:
            changes["text"] = clean_line(text)
            if not changes["text"]:
                raise ValueError("a question needs some text; remove it instead")
        if prompts is not None:
            changes["prompts"] = json.dumps([clean_line(p) for p in prompts if clean_line(p)])
        with self.atomic():
            current = self.get_question(question_id)
            if phase is not None and Phase.parse(phase) is not current.phase:
                if current.is_follow_up:
                    raise ValueError("a follow-up is in the phase of the question it follows")
                stamp = domain.utc_now()
                moved = {"phase": Phase.parse(phase).value, "updated_at": stamp}
                for member in self._question_tree(question_id):
                    self._update("questions", member, moved)
            if changes:
                changes["updated_at"] = domain.utc_now()
                self._update("questions", question_id, changes)
        return self.get_question(question_id)

    def move_question(self, question_id: str, step: int) -> Question:
        """Move a prepared question `step` places later (earlier when negative) in the plan."""
        with self.atomic():
            question = self.get_question(question_id)
            if question.is_follow_up:
                raise ValueError("a follow-up stays under the question it follows")
            order = self._prepared_order(question.conversation_id)
            index = [q.id for q in order].index(question_id)
            target = max(0, min(len(order) - 1, index + step))
            order.insert(target, order.pop(index))
            self._renumber(order)
        return self.get_question(question_id)

    def delete_question(self, question_id: str) -> None:
        """Take a question out of the plan. Refused once anything was said under it, or a
        follow-up grew out of it: that is part of the record now."""
        with self.atomic():
            question = self.get_question(question_id)
            tree = self._question_tree(question_id)
            if len(tree) > 1:
                raise ValueError("it has follow-ups under it; it is part of the record now")
            noted = self._one(
                "SELECT count(*) AS n FROM notes WHERE question_id = ?", [question_id]
            )
            if noted and noted["n"]:
                raise ValueError("it has notes under it; mark it skipped instead")
            cid = question.conversation_id
            self.db.execute(
                "UPDATE conversations SET current_question_id = NULL "
                "WHERE id = ? AND current_question_id = ?",
                [cid, question_id],
            )
            for row in self.reads.query(
                "SELECT id, useful_question_ids, question_scores FROM feedback "
                "WHERE conversation_id = ?", [cid]
            ):
                useful = json.loads(row["useful_question_ids"] or "[]")
                if question_id in useful:
                    useful.remove(question_id)
                    self._update("feedback", row["id"], {"useful_question_ids": json.dumps(useful)})
                scores = json.loads(row["question_scores"] or "{}")
                if question_id in scores:
                    del scores[question_id]
                    self._update("feedback", row["id"], {"question_scores": json.dumps(
                        scores, sort_keys=True, separators=(",", ":"))})
            self.db.execute("DELETE FROM questions WHERE id = ?", [question_id])
            if not question.is_follow_up:
                self._renumber(self._prepared_order(cid))

    def _prepared_order(self, conversation_id: str) -> list[Question]:
        self.get_conversation(conversation_id)
        return [
            rows.question(row)
            for row in self.reads.query(
                "SELECT * FROM questions WHERE conversation_id = ? AND parent_id IS NULL "
                "ORDER BY position, created_at, rowid",
                [conversation_id],
            )
        ]

    def _question_tree(self, question_id: str) -> list[str]:
        """The question and every follow-up that grew out of it, at any depth."""
        return [
            row["id"]
            for row in self.reads.query(
                "WITH RECURSIVE tree(id) AS (SELECT ? UNION ALL "
                "SELECT questions.id FROM questions JOIN tree ON questions.parent_id = tree.id) "
                "SELECT id FROM tree",
                [question_id],
            )
        ]

    def _renumber(self, order: list[Question]) -> None:
        """Positions 0, 1, 2… in this order; follow-ups share their question's position."""
        stamp = domain.utc_now()
        for position, question in enumerate(order):
            if question.position != position:
                for member in self._question_tree(question.id):
                    self._update("questions", member, {"position": position, "updated_at": stamp})
