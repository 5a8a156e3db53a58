"""Every conversation at once: the home screen's list and its bin, copies to plan from, search
(from a worker thread too), the agencies seen, and erasure and retention (SQL in
store/browsing.py, store/search.py, store/erasure.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from appreciate_tui import domain
from appreciate_tui.domain import (
    DEFAULT_AGENCIES,
    Conversation,
    ConversationStatus,
    ConversationSummary,
    SearchHit,
)
from appreciate_tui.store import search
from appreciate_tui.store.errors import ERRORS, OPERATIONAL_ERRORS, StoreError, describe
from appreciate_tui.store.partnership import Partnership

if TYPE_CHECKING:
    from appreciate_tui.store import browsing, erasure


class Collection(Partnership):
    """The conversations together: browsing, the bin, search, erasure."""

    # ---------------------------------------------------------------- counts and agencies

    def note_counts(self) -> dict[str, int]:
        """How many notes (not deleted) each conversation has."""
        return dict(
            self.reads.execute(
                "SELECT conversation_id, live FROM note_tallies WHERE live > 0"
            ).fetchall()
        )

    def agencies(self) -> list[str]:
        """The default agencies, then any other agency this database has seen."""
        # Each step jumps to the next distinct agency through an index, so the cost grows with
        # the number of agencies, not with the number of notes or participants (a file opened
        # read-only before its schema change has no such index on participants: read them all).
        stepped = self.reads.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'participants_agency'"
        ).fetchone()
        people = (
            """, people(agency) AS (
                    SELECT min(agency) FROM participants
                    UNION ALL
                    SELECT (SELECT min(agency) FROM participants WHERE agency > people.agency)
                    FROM people WHERE people.agency IS NOT NULL
                )"""
            if stepped
            else ""
        )
        seen = [
            row["agency"]
            for row in self.reads.query(
                f"""
                WITH RECURSIVE named(agency) AS (
                    SELECT min(agency) FROM notes WHERE agency IS NOT NULL
                    UNION ALL
                    SELECT (SELECT min(agency) FROM notes WHERE agency > named.agency)
                    FROM named WHERE named.agency IS NOT NULL
                ){people}
                SELECT agency FROM named WHERE agency IS NOT NULL
                UNION SELECT agency FROM {"people" if stepped else "participants"}
                ORDER BY agency
                """
            )
            if row["agency"]
        ]
        return list(DEFAULT_AGENCIES) + [a for a in seen if a not in DEFAULT_AGENCIES]

    # ---------------------------------------------------------------- search

    def search(self, query: str, *, limit: int = 50) -> list[SearchHit]:
        """Ranked full-text matches in notes, questions and conversation titles and topics."""
        return search.search(self.reads, query, limit)

    _STEPS_BETWEEN_ASKING = 2000
    """SQLite virtual-machine steps between two calls of `search_while`'s `wanted`: under a
    millisecond of searching, and a hundred or so calls in a slow search."""

    def search_while(
        self, query: str, wanted: Callable[[], bool], *, limit: int = 50
    ) -> list[SearchHit] | None:
        """`search`, given up (None) as soon as `wanted()` is false: SQLite asks it every few
        thousand steps, so a search made stale by a newer one stops within a millisecond or two
        instead of running to the end. `wanted` is called on this store's thread."""
        conn = self.conn
        conn.set_progress_handler(lambda: 0 if wanted() else 1, self._STEPS_BETWEEN_ASKING)
        try:
            hits = self.search(query, limit=limit)
        except ERRORS as exc:
            if not wanted():
                return None
            raise StoreError(f"the search could not be run: {describe(exc)}") from exc
        finally:
            conn.set_progress_handler(None, 0)
        return hits if wanted() else None

    # ---------------------------------------------------------------- the browser and review
    # The home screen's list and bin, copies of a conversation to plan from, and what the review
    # screen shows about edited notes (SQL in store/browsing.py). The second read-only connection
    # a worker thread searches through is `Store.open_reader` (store/__init__.py).

    def conversation_summaries(
        self, ids: Iterable[str] | None = None, *, limit: int | None = None
    ) -> list[ConversationSummary]:
        """Conversations not in the bin with their counts: every one newest first, or those of
        `ids` in that order (a page of the list), or the newest `limit` (its first screenful).
        Three queries however many; bounded ones read only their own conversations' rows."""
        from appreciate_tui.store import browsing
        return browsing.summaries(self.reads, binned=False, limit=limit,
                                  ids=list(ids) if ids is not None else None)

    def conversation_count(self, *, binned: bool = False) -> int:
        """How many conversations are out of the bin (or, with `binned`, in it)."""
        from appreciate_tui.store import browsing
        return browsing.count(self.reads, binned=binned)

    def conversation_order(
        self,
        *,
        status: ConversationStatus | None = None,
        agency: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        by: str = "date",
        oldest_first: bool = False,
    ) -> list[tuple[str, Any]]:
        """The conversations the browser's filter lets through, each as its id and the value of
        the column `by` (browser.Sort turns them into an order): ids, not rows, so ten thousand
        cost a megabyte. Newest first; by date with `oldest_first`, oldest first."""
        from appreciate_tui.store import browsing
        return browsing.ordered(self.reads, status=status, agency=agency, date_from=date_from,
                                date_to=date_to, by=by, oldest_first=oldest_first)

    def conversation_catalogue(self, by: str = "date") -> list[tuple[str, str, str, Any]]:
        """Every conversation out of the bin, newest first, as (id, status, date, what the
        column `by` sorts on): the browser filters and sorts these itself, read once for as long
        as `changes()` stays the same."""
        from appreciate_tui.store import browsing
        from appreciate_tui.store.reading import in_bulk

        # Ten thousand titles, say: `in_bulk` decodes them in SQLite, not in Python.
        return in_bulk(self.conn, lambda: browsing.catalogue(self.reads, by=by),
                       errors=OPERATIONAL_ERRORS)

    def changes(self) -> tuple[int, int]:
        """Equal answers mean nothing was written in between, by this store or another."""
        from appreciate_tui.store import browsing
        try:
            return browsing.changes(self.reads)
        except ERRORS as exc:
            raise StoreError(f"the database could not be read ({describe(exc)})") from exc

    def conversation_census(self) -> tuple[int, str | None]:
        """How many conversations are out of the bin, and when the latest change to one of them
        was (None with none): one pass over the conversations, no rows read into Python."""
        from appreciate_tui.store import browsing
        return browsing.census(self.reads)

    def latest_conversation_change(self) -> tuple[str, str] | None:
        """The id of the conversation not in the bin that changed last, and when."""
        from appreciate_tui.store import browsing
        return browsing.latest_change(self.reads)

    def agencies_taking_part(self) -> set[str]:
        """The agencies that took part in (or are invited to) a conversation not in the bin."""
        from appreciate_tui.store import browsing
        return browsing.agencies_taking_part(self.reads)

    def listed_conversations(self, *, limit: int | None = None) -> Iterator[browsing.Listed]:
        """`appreciate list`: the conversations not in the bin, newest first (the newest `limit`),
        read as they are iterated, with their note counts."""
        from appreciate_tui.store import browsing
        return browsing.listed(self.reads, limit=limit)

    def list_bin(self) -> list[ConversationSummary]:
        """The conversations in the bin, the most recently binned first."""
        from appreciate_tui.store import browsing
        return browsing.summaries(self.reads, binned=True)

    def delete_conversation(self, conversation_id: str) -> Conversation:
        """Move a conversation to the bin: hidden from lists and searches but kept whole, and
        restorable until it is erased for good (`erase_conversation`)."""
        return self._set_binned(conversation_id, domain.utc_now())

    def restore_conversation(self, conversation_id: str) -> Conversation:
        """Take a conversation out of the bin, as it was."""
        return self._set_binned(conversation_id, None)

    def _set_binned(self, conversation_id: str, deleted_at: str | None) -> Conversation:
        with self.atomic():
            self.get_conversation(conversation_id)
            self._update(
                "conversations",
                conversation_id,
                {"deleted_at": deleted_at, "updated_at": domain.utc_now()},
            )
        return self.get_conversation(conversation_id)

    def duplicate_conversation(
        self,
        conversation_id: str,
        *,
        as_template: bool = True,
        title: str | None = None,
        date: str | None = None,
    ) -> Conversation:
        """A new planned conversation made from an earlier one: its topic, setting, facilitator,
        opening, time budget, prepared questions (in order, with their prompts) and participants.

        Nothing from the meeting itself comes along: no follow-ups, notes, attendance, actions,
        feedback or learning. As a template (the default) participants keep their agency,
        pseudonym and role but not their names: the plan is for a meeting with other people.
        """
        source = self.get_conversation(conversation_id)
        with self.atomic():
            copy = self.create_conversation(
                title or source.title,
                source.topic,
                setting=source.setting,
                facilitator=source.facilitator,
                date=date,
                bank_id=source.bank_id,
                opening=source.opening,
            )
            if source.phase_budget:
                self.update_conversation(copy.id, phase_budget=source.phase_budget)
            for question in self.list_questions(source.id):
                if not question.is_follow_up:
                    self.add_question(
                        copy.id,
                        question.text,
                        question.phase,
                        prompts=question.prompts,
                        scale=question.scale,
                    )
            for person in self.list_participants(source.id):
                self.add_participant(
                    copy.id,
                    person.agency,
                    pseudonym=person.pseudonym,
                    name="" if as_template else person.name,
                    role=person.role,
                )
        return self.get_conversation(copy.id)

    def revision_counts(self, conversation_id: str) -> dict[str, int]:
        """How many earlier versions each changed note of the conversation has (note id: count);
        notes never changed are not in it."""
        from appreciate_tui.store import browsing
        return browsing.revision_counts(self.reads, conversation_id)

    # ---------------------------------------------------------------- erasure and retention
    # Deleting for good, so the text is in none of the database's files afterwards (SQL and the
    # order of the steps in store/erasure.py). `delete_note` above only hides a note.

    def erase_conversation(self, conversation_id: str, *, reason: str = "request") -> erasure.Erasure:
        """Erase a conversation and everything in it; recorded in `erasures` without content."""
        from appreciate_tui.store import erasure
        return erasure.erase_conversations(self, [conversation_id], reason=reason)

    def erase_conversations(
        self, conversation_ids: Iterable[str], *, reason: str = "request"
    ) -> erasure.Erasure:
        from appreciate_tui.store import erasure
        return erasure.erase_conversations(self, conversation_ids, reason=reason)

    def erase_note(self, note_id: str, *, reason: str = "request") -> erasure.Erasure:
        """Erase a note, its earlier versions and any draft holding its text."""
        from appreciate_tui.store import erasure
        return erasure.erase_note(self, note_id, reason=reason)

    def erase_participant(self, participant_id: str, *, reason: str = "request") -> erasure.Erasure:
        """Erase a participant's record; their name in that conversation becomes the pseudonym."""
        from appreciate_tui.store import erasure
        return erasure.erase_participant(self, participant_id, reason=reason)

    def erase_person(
        self, name: str, also: Iterable[str] = (), *, reason: str = "request"
    ) -> erasure.Erasure:
        """Remove a name (and the other spellings in `also`) from everything in the database."""
        from appreciate_tui.store import erasure
        return erasure.erase_person(self, name, also, reason=reason)

    def conversations_due(
        self, *, days: int | None = None, months: int | None = None
    ) -> list[erasure.DueConversation]:
        """Conversations past the retention period: `days`, or calendar `months`, before today."""
        from appreciate_tui.store import erasure
        return erasure.due(self, days=days, months=months)

    def erasures(self) -> list[dict[str, Any]]:
        """The record of erasures (ids and counts, never content), oldest first."""
        from appreciate_tui.store import erasure
        return erasure.erasure_log(self)
