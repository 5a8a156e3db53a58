"""What a partnership shares and learns across laptops: a conversation's rows for a bundle and
their import (SQL in store/transfer.py), redaction terms, merging bundles and the history of row
versions (store/merge.py), the rows the insights are made of (store/insights.py) and links to
outcome areas (store/scores.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from appreciate_tui import domain
from appreciate_tui.domain import Stance
from appreciate_tui.store.core import new_id
from appreciate_tui.store.errors import OPERATIONAL_ERRORS
from appreciate_tui.store.reading import Queries, Reads, in_bulk
from appreciate_tui.store.wrapup import WrapUp
from appreciate_tui.text import clean_line

if TYPE_CHECKING:
    from appreciate_tui.store import redaction, transfer


THEME_LABEL_LIMIT = 80


class Partnership(WrapUp):
    """Bundles, merging, redaction terms, insights and outcome links."""

    # ---------------------------------------------------------------- bundles and redaction terms
    # Export and import of whole conversations (SQL in store/transfer.py) and the terms a
    # conversation's exports must never show. Used by appreciate_tui/reports and cli_export.

    def conversation_rows(self, conversation_id: str) -> dict[str, list[dict[str, Any]]]:
        """Every stored row of one conversation, table by table, exactly as stored."""
        from appreciate_tui.store import transfer
        self.get_conversation(conversation_id)
        return transfer.read_conversation(self.reads, conversation_id)

    def conversation_record(
        self, conversation_id: str, *, redact: bool = False
    ) -> redaction.ConversationRecord:
        """Everything stored about one conversation, as domain objects, for a report; with
        `redact`, names, redaction terms and the patterns are taken out first
        (store/redaction.py)."""
        from appreciate_tui.store import redaction
        return redaction.record(self.conversation_rows(conversation_id), redact=redact)

    def bundle_schema(self) -> transfer.Schema:
        """The columns and references a bundle's rows are checked against before an import."""
        from appreciate_tui.store import transfer
        return transfer.schema(self.reads)

    def import_rows(
        self, tables: dict[str, list[dict[str, Any]]]
    ) -> dict[str, transfer.Counted]:
        """Add a checked bundle's rows in one transaction: rows whose id is already here are left
        as they are; anything failing leaves the database unchanged."""
        from appreciate_tui.store import transfer
        with self.atomic():
            return transfer.insert_rows(self.db, tables)

    def add_redaction_term(self, conversation_id: str, term: str) -> redaction.RedactionTerm:
        """Add a term to the conversation's redaction list; a term already there (in any case)
        is returned as it is."""
        from appreciate_tui.store import redaction
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
                "id": new_id(),
                "conversation_id": conversation_id,
                "term": text,
                "created_at": domain.utc_now(),
            }
            self._insert("redaction_terms", row)
        return redaction.term(self._get_row("redaction_terms", row["id"], "redaction term"))

    def list_redaction_terms(self, conversation_id: str) -> list[redaction.RedactionTerm]:
        from appreciate_tui.store import redaction
        self.get_conversation(conversation_id)
        return [
            redaction.term(row)
            for row in self.reads.query(
                "SELECT * FROM redaction_terms WHERE conversation_id = ? ORDER BY created_at, rowid",
                [conversation_id],
            )
        ]

    def remove_redaction_term(self, term_id: str) -> None:
        with self.atomic():
            self._get_row("redaction_terms", term_id, "redaction term")
            self.db.execute("DELETE FROM redaction_terms WHERE id = ?", [term_id])

    # ---------------------------------------------------------------- insights and merging
    # Partnership learning: merging bundles from several laptops (SQL in store/merge.py), the
    # figures of the insights screen and `appreciate insights` (store/insights.py), and the
    # partnership's own links to outcome areas (store/scores.py; scores are notes.py's).

    def merge_bundles(
        self,
        bundles: Iterable[
            tuple[dict[str, list[dict[str, Any]]], dict[str, Any], dict[str, Any], bool]
        ],
    ) -> list[dict[str, Any]]:
        """Merge checked bundles, each `(tables, history, lost, redacted)`, all in ONE
        transaction: every bundle is merged or, if anything fails (`merge.RowElsewhere` for a row
        that would move), none is. One `merge.TableMerge` per table per bundle: added, updated,
        skipped, refused (erased here), conflicts."""
        from appreciate_tui.store import transfer
        from appreciate_tui.store import merge

        # A bigger page cache for the run: rows keyed by random UUIDs touch pages all over.
        cache = self.reads.execute("PRAGMA cache_size").fetchone()[0]
        self.db.execute("PRAGMA cache_size = -65536")
        try:
            with self.atomic(), merge.note_triggers_set_aside(self.db) as inserted_notes:
                bundle_schema = transfer.schema(self.db)
                return [
                    merge.merge_rows(self.db, tables, history, lost, redacted=redacted,
                                     bundle_schema=bundle_schema, inserted_notes=inserted_notes)
                    for tables, history, lost, redacted in bundles
                ]
        finally:
            self.db.execute(f"PRAGMA cache_size = {int(cache)}")

    def row_history(self, conversation_id: str) -> dict[str, dict[str, dict[str, list[str]]]]:
        """The earlier versions (digests) this database has had of a conversation's rows
        (`history`) and those that lost a conflict (`lost`), for its bundle: how another laptop
        tells an edit made here from one made there, and a conflict already met here."""
        from appreciate_tui.store import merge

        self.get_conversation(conversation_id)
        return merge.history(self.reads, conversation_id)

    def remember_exported(self, conversation_id: str) -> None:
        """Record the versions of a conversation's rows that just left in a bundle."""
        from appreciate_tui.store import merge

        with self.atomic():
            merge.remember_conversation(self.db, conversation_id)

    def insight_rows(
        self, since: str | None = None, *, theme_window: int = 10_000
    ) -> dict[str, list[Any]]:
        """Everything the insights are made of, as aggregate rows (appreciate_tui/insights/compute.py);
        `since` is a YYYY-MM-DD date, or None for every conversation; themes are read from the
        latest `theme_window` notes (appreciate_tui/insights/themes.py `WINDOW`)."""
        from concurrent.futures import ThreadPoolExecutor

        from appreciate_tui.store import insights, scores

        # Read in two halves at once, the second on a connection of its own: SQLite lets go of
        # Python while it reads, so on two cores the slowest half is the wait (each statement
        # reads its own snapshot either way: there is no transaction around them).
        aside: dict[str, Callable[[Queries], Any]] = {
            "questions": lambda db: insights.questions(db, since),
            "attendance": lambda db: insights.attendance(db, since),
        }
        here: dict[str, Callable[[Queries], Any]] = {
            "conversations": lambda db: insights.conversations(db, since),
            "stance_counts": insights.stance_counts,
            "theme_window": lambda db: insights.theme_window(db, since, theme_window),
            "theme_choices": insights.theme_choices,
            "actions": lambda db: insights.actions(db, since),
            "action_counts": lambda db: insights.action_counts(db, since),
            "successes": lambda db: insights.successes(db, since, 200),
            "contributions": lambda db: insights.contributions(db, since),
            "outcome_links": lambda db: insights.outcome_links(db, since),
        }
        with ThreadPoolExecutor(1) as pool:
            beside = pool.submit(self._read_beside, aside)
            found = _read_all(self.reads, here)
            found.update(scores.for_insights(self.reads, since))  # score_counts, score_series
            found.update(beside.result())
        return found

    def _read_beside(self, parts: dict[str, Callable[[Queries], Any]]) -> dict[str, Any]:
        """`parts` read through a reader of this thread's own (`open_reader`)."""
        reader = self.open_reader()
        try:
            return _read_all(reader.reads, parts)
        finally:
            reader.close()

    def questions_asked_in(
        self, kind: str, texts: list[str], *, since: str | None = None
    ) -> set[str]:
        """The conversations (not in the bin, dated `since` or later) that asked a question of
        this kind (prepared or follow_up) worded exactly as one of `texts`."""
        from appreciate_tui.store import insights

        return insights.asked_in(self.reads, since, kind, texts)

    def theme_notes(self, note_ids: Iterable[str], *, limit: int = 200) -> list[dict[str, Any]]:
        """The notes behind a theme (insights drill-down), in the order given, at most `limit`:
        those still live, not escalated and not in the bin, with their conversation."""
        from appreciate_tui.store import insights

        return insights.theme_notes(self.reads, list(note_ids)[:limit])

    def theme_choices(self) -> list[dict[str, Any]]:
        """The facilitator's choices about themes: (stance, phrase, label, merged_into, hidden)."""
        from appreciate_tui.store import insights

        return insights.theme_choices(self.reads)

    def choose_theme(
        self, stance: Stance | str, phrase: str, *, label: str | None = None,
        merged_into: str | None | bool = False, hidden: bool | None = None,
    ) -> None:
        """Keep a choice about a theme of a stance, named by its phrase: `label` renames it ('' takes
        the name off), `merged_into` shows it as part of another phrase's theme (None splits it
        off again), `hidden` hides it or shows it again. What is not given stays as it was."""
        from appreciate_tui.store import insights

        phrase = clean_line(phrase)
        if not phrase:
            raise ValueError("a theme needs its phrase")
        if label is not None:
            label = clean_line(label)
            if len(label) > THEME_LABEL_LIMIT:
                raise ValueError(f"a theme's name is at most {THEME_LABEL_LIMIT} characters")
        if isinstance(merged_into, str):
            merged_into = clean_line(merged_into) or None
            if merged_into == phrase:
                raise ValueError("a theme cannot be merged into itself")
        with self.atomic():
            insights.set_theme_choice(
                self.db, Stance(stance).value, phrase, stamp=domain.utc_now(), new_id=new_id(),
                label=label, merged_into=merged_into, hidden=hidden,
            )

    def link_outcome(self, area: str, kind: str, target_id: str, *, linked: bool = True) -> None:
        """Link (or with `linked=False`, unlink) a conversation, note or action to an outcome
        area (an id from outcomes.toml)."""
        from appreciate_tui.store import scores

        area = clean_line(area)
        if not area:
            raise ValueError("an outcome area needs an id")
        with self.atomic():
            if kind == "conversation":
                conversation_id = self.get_conversation(target_id).id
            elif kind == "note":
                conversation_id = self.get_note(target_id).conversation_id
            elif kind == "action":
                conversation_id = self.get_action(target_id).conversation_id
            else:
                raise ValueError(f"an outcome link is to a conversation, note or action, not {kind!r}")
            scores.set_link(
                self.db, area=area, kind=kind, target_id=target_id,
                conversation_id=conversation_id, linked=linked, stamp=domain.utc_now(),
            )

    def outcome_areas_of(self, kind: str, target_id: str) -> set[str]:
        """The outcome areas a conversation, note or action is linked to."""
        from appreciate_tui.store import scores

        return scores.areas_linked(self.reads, kind, target_id)


def _read_all(db: Reads, parts: dict[str, Callable[[Queries], Any]]) -> dict[str, Any]:
    """Each part read through `db`: hundreds of thousands of strings (`reading.in_bulk`)."""
    return in_bulk(
        db.conn, lambda: {name: part(db) for name, part in parts.items()},
        errors=OPERATIONAL_ERRORS,
    )
