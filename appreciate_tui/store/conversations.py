"""Conversations: making, reading and changing one, its life from planned to closed (pauses
included), and the view for the room (`appreciate present`, SQL in store/room.py)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from appreciate_tui import domain
from appreciate_tui.domain import Conversation, ConversationStatus, Pause, Phase
from appreciate_tui.store import rows
from appreciate_tui.store.core import Core, new_id
from appreciate_tui.store.errors import ERRORS, Ambiguous, NotFound, StoreError, describe
from appreciate_tui.text import clean, clean_line

if TYPE_CHECKING:
    from appreciate_tui.store import room


class Conversations(Core):
    """One conversation at a time, from its plan to its close."""

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
        row: dict[str, Any] = {
            "id": id or new_id(),
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
        # A range of the id index where one can be drawn (every id appreciate makes is ASCII):
        # a few rows read, not every conversation.
        bounded = prefix.isascii() and prefix[-1] < "\x7f"
        after = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        found = list(
            self.reads.query(
                "SELECT * FROM conversations WHERE substr(id, 1, :n) = :prefix"
                + (" AND id >= :prefix AND id < :after" if bounded else "")
                + " ORDER BY date DESC LIMIT 6",
                {"n": len(prefix), "prefix": prefix, "after": after},
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
            for row in self.reads.query(
                f"SELECT * FROM conversations {where} ORDER BY date DESC, created_at DESC"
            )
        ]

    _CONVERSATION_FIELDS: ClassVar[dict[str, Callable[[Any], Any]]] = {
        "title": clean_line,
        "topic": clean_line,
        "setting": clean_line,
        "facilitator": clean_line,
        "date": str,
        "start_time": clean_line,
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
        """Mark it closed (a pause still running ends then), then keep a verified backup (the end
        of a conversation is when its notes are complete). A backup that fails does not undo the
        closing: `last_backup_problem` says why."""
        with self.atomic():
            closed = self.update_conversation(
                conversation_id, status=ConversationStatus.CLOSED, ended_at=domain.utc_now()
            )
            self.resume_conversation(conversation_id, at=closed.ended_at)
        self.backup_after_conversation()
        return closed

    def pause_conversation(self, conversation_id: str) -> Pause:
        """Stop the conversation's clock (a comfort break, a fire alarm) until it is resumed; the
        pause is on disk, so a reopened conversation is still paused and the view for the room
        can say so. Pausing a paused conversation changes nothing."""
        with self.atomic():
            self.get_conversation(conversation_id)
            running = self.current_pause(conversation_id)
            if running is not None:
                return running
            stamp = domain.utc_now()
            row = {
                "id": new_id(),
                "conversation_id": conversation_id,
                "paused_at": stamp,
                "resumed_at": None,
                "created_at": stamp,
                "updated_at": stamp,
            }
            self._insert("pauses", row)
        return rows.pause(row)

    def resume_conversation(self, conversation_id: str, *, at: str | None = None) -> Pause | None:
        """Start the clock again: the pause that was running, now over (None if none was)."""
        with self.atomic():
            running = self.current_pause(conversation_id)
            if running is None:
                return None
            stamp = at or domain.utc_now()
            self._update("pauses", running.id, {"resumed_at": stamp, "updated_at": stamp})
        return rows.pause(self._get_row("pauses", running.id, "pause"))

    def current_pause(self, conversation_id: str) -> Pause | None:
        """The pause running now, if the conversation is paused."""
        row = self._one(
            "SELECT * FROM pauses WHERE conversation_id = ? AND resumed_at IS NULL "
            "ORDER BY paused_at DESC LIMIT 1",
            [conversation_id],
        )
        return rows.pause(row) if row else None

    def list_pauses(self, conversation_id: str) -> list[Pause]:
        """Every pause of the conversation, oldest first."""
        return [
            rows.pause(row)
            for row in self.reads.query(
                "SELECT * FROM pauses WHERE conversation_id = ? ORDER BY paused_at, rowid",
                [conversation_id],
            )
        ]

    def set_current_question(self, conversation_id: str, question_id: str | None) -> Conversation:
        return self.update_conversation(conversation_id, current_question_id=question_id)

    # ---------------------------------------------------------------- the view for the room
    # `appreciate present` follows the live conversation through a read-only store of its own,
    # asking often whether anything changed and reading only when it has (SQL in store/room.py).

    def data_version(self) -> int:
        """A number that changes whenever another connection commits to this database (SQLite's
        `PRAGMA data_version`, which costs microseconds and reads no page)."""
        try:
            return int(self.reads.execute("PRAGMA data_version").fetchone()[0])
        except ERRORS as exc:
            raise StoreError(f"the database could not be read ({describe(exc)})") from exc

    def room_view(
        self, chosen: str | None = None, *, last_shown: str | None = None
    ) -> room.RoomView:
        """What the room is shown: the conversation `chosen`, else the most recently active live
        one, else the end of `last_shown` when that one has just closed. Never a note or a name."""
        from appreciate_tui.store import room

        try:
            return room.read(self.reads, chosen, last_shown=last_shown)
        except ERRORS as exc:
            raise StoreError(f"the database could not be read ({describe(exc)})") from exc
