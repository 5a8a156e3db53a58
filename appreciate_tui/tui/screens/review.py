"""The record of a conversation, to read, search, copy and (when asked) correct.

Read-only until `e`: then the cursor's note can have its text, stance or attribution corrected,
each change kept by the store as a revision (the note shows how often it was changed). The record
is one document view (tui/widgets/document_view.py), fast enough for a conversation of hundreds
of notes; a question picker jumps about in it, `/` finds words in it, and `c` copies the whole
record, or a part, as Markdown. A second tab, Shared (F4), lists what was shared from the
conversation, newest first (`Store.list_shares`): read again whenever the tab is shown and after
every share made here, so one recorded while the record is open appears.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Input, Static, TabbedContent, TabPane

from appreciate_tui.domain import Note, Stance
from appreciate_tui.reports.model import Report, gather
from appreciate_tui.reports.record import PARTS, part_markdown
from appreciate_tui.store import StoreError
from appreciate_tui.text import one_line
from appreciate_tui.tui.review_document import (
    SECTIONS,
    note_key,
    question_key,
    question_section,
    review_blocks,
)
from appreciate_tui.tui.palette.review import ReviewCommands
from appreciate_tui.tui.screens.base import StoreScreen
from appreciate_tui.tui.widgets.document_view import DocumentView
from appreciate_tui.tui.widgets.key_footer import KeyFooter
from appreciate_tui.tui.widgets.shares_table import SharesTable, describe
from appreciate_tui.tui.widgets.text_fields import TextInput
from appreciate_tui.wording import plural

if TYPE_CHECKING:
    from pathlib import Path

EDITING_HINT = Content.assemble(
    ("Correcting", "bold"), "  on a note: ",
    ("e", "bold"), " text  ", ("a", "bold"), " who said it  ",
    ("+-~>!\".", "bold"), " stance  ", ("Esc", "bold"), " done",
)


RECORD_TAB, SHARED_TAB = "record-tab", "shared-tab"
RECORD_ACTIONS = frozenset({"go_to", "find", "next_match", "copy", "edit", "edit_text",
                            "attribute", "stance"})
"""What works on the record only, not on the Shared tab."""


class ReviewScreen(StoreScreen):
    HELP: ClassVar[str] = "review.md"
    """The help F1 opens at (tui/help/)."""
    DEFAULT_CSS = """
    ReviewScreen #review-bar { dock: top; height: 1; background: $panel; padding: 0 1; }
    ReviewScreen #review-title { width: 1fr; color: $primary; margin-right: 2;
                                 text-wrap: nowrap; text-overflow: ellipsis; }
    ReviewScreen #review-mode { width: auto; color: $text-muted; }
    ReviewScreen.-editing #review-mode { color: $background; background: $primary;
                                         text-style: bold; padding: 0 1; }
    ReviewScreen #editing-hint { display: none; height: 1; padding: 0 1; background: $boost; }
    ReviewScreen.-editing #editing-hint { display: block; }
    ReviewScreen #record { height: 1fr; }
    ReviewScreen #find-bar { display: none; height: 1; background: $panel; }
    ReviewScreen.-finding #find-bar { display: block; }
    ReviewScreen #find-label { width: auto; padding: 0 1; color: $text-muted; }
    ReviewScreen #find { width: 1fr; max-width: 50; }
    ReviewScreen #find-count { width: auto; padding: 0 2; color: $text-muted; }
    ReviewScreen #review-tabs { height: 1fr; }
    ReviewScreen #shares { height: 1fr; }
    ReviewScreen #share-detail { height: auto; max-height: 4; padding: 0 1; color: $text-muted; }
    """
    COMMANDS: ClassVar = {ReviewCommands}
    AUTO_FOCUS = "#record"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", tooltip="Back: from the search, editing, or the record",
                id="review.back"),
        # Named on the tabs, as the wrap-up's are.
        Binding("f3", "show_tab('record-tab')", "Record", show=False, id="review.record",
                tooltip="The record of the conversation"),
        Binding("f4", "show_tab('shared-tab')", "Shared", show=False, id="review.shared",
                tooltip="What was shared, with whom, why, when"),
        Binding("g", "go_to", "Go to", tooltip="Go to a question or a part of the record",
                id="review.go_to"),
        Binding("slash", "find", "Find", tooltip="Find words in the record", id="review.find"),
        Binding("n", "next_match(1)", "Next", tooltip="The next place the words are found",
                id="review.next"),
        Binding("N", "next_match(-1)", "Previous",
                tooltip="The previous place the words are found", id="review.previous"),
        Binding("c", "copy", "Copy", tooltip="Copy the record, or a part of it, as Markdown",
                id="review.copy"),
        Binding("x", "export", "Export", tooltip="Export the conversation to a file, and record "
                "the share", id="review.export"),
        # e starts correcting the record; while correcting, e corrects the note's text.
        Binding("e", "edit", "Correct", tooltip="Correct the record: notes' text, stance, "
                "who said them", id="review.edit"),
        Binding("e", "edit_text", "Text", tooltip="Correct what the highlighted note says",
                id="review.edit_text"),
        Binding("a", "attribute", "Who said it",
                tooltip="Say who said the highlighted note", id="review.attribute"),
        Binding("plus", "stance('strength')", "Working well", show=False,
                id="review.stance.strength"),
        Binding("minus", "stance('concern')", "Concern", show=False, id="review.stance.concern"),
        Binding("tilde", "stance('dream')", "Dream", show=False, id="review.stance.dream"),
        Binding("greater_than_sign", "stance('idea')", "Idea", show=False, id="review.stance.idea"),
        Binding("exclamation_mark", "stance('action')", "Action", show=False,
                id="review.stance.action"),
        Binding("quotation_mark", "stance('quote')", "Quote", show=False, id="review.stance.quote"),
        Binding("full_stop", "stance('note')", "Plain note", show=False, id="review.stance.note"),
    ]

    def __init__(
        self,
        conversation_id: str,
        *,
        note_id: str | None = None,
        question_id: str | None = None,
        query: str | None = None,
        at: str | None = None,
    ) -> None:
        """Open at `note_id` (or `question_id`, or the block `at`: "action:ID", "learning:text",
        …, as review_document names them); with `query`, the words searched for from the list
        are already picked out."""
        super().__init__()
        self.conversation_id = conversation_id
        self._start_at = note_key(note_id) if note_id else (
            question_key(question_id) if question_id else at
        )
        self._query = query or ""
        self._report: Report | None = None
        self._revisions: dict[str, int] = {}
        self.editing = False

    @property
    def document(self) -> DocumentView:
        return self.query_one("#record", DocumentView)

    @property
    def report(self) -> Report:
        assert self._report is not None, "the record is read when the screen mounts"
        return self._report

    def compose(self) -> ComposeResult:
        with Horizontal(id="review-bar"):
            yield Static(id="review-title")
            yield Static(id="review-mode")
        yield Static(EDITING_HINT, id="editing-hint")
        with TabbedContent(initial=RECORD_TAB, id="review-tabs"):
            with TabPane("Record F3", id=RECORD_TAB):
                yield DocumentView(id="record")
                with Horizontal(id="find-bar"):
                    yield Static("Find", id="find-label")
                    yield TextInput(id="find", compact=True, placeholder="words in this record")
                    yield Static(id="find-count")
            with TabPane("Shared F4", id=SHARED_TAB):
                yield SharesTable(id="shares")
                yield Static(id="share-detail", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self._load(at=self._start_at)
        self.show_shares()
        if self._query:
            with self.prevent(Input.Changed):
                self.query_one("#find", Input).value = self._query
            self.set_class(True, "-finding")
            self._find(self._query, move=False)

    def _load(self, *, at: str | None = None) -> None:
        self._report = gather(self.store, self.conversation_id)
        self._revisions = self.store.revision_counts(self.conversation_id)
        conversation = self.report.conversation
        self.query_one("#review-title", Static).update(
            Content.assemble(("Record  ", "bold"), one_line(conversation.title))
        )
        self._show_mode()
        self.document.show(review_blocks(self.report, self._revisions), at=at)

    def _show_mode(self) -> None:
        mode = "correcting" if self.editing else (
            "read-only" if self.store.read_only else "reading · e corrects"
        )
        self.query_one("#review-mode", Static).update(mode)
        self.set_class(self.editing, "-editing")
        self.document.set_class(self.editing, "-editing")
        self.refresh_bindings()

    # ------------------------------------------------------------------ which keys apply

    @property
    def note(self) -> Note | None:
        """The note under the cursor, if the cursor is on one."""
        block = self.document.current
        if block is None or not block.key.startswith("note:"):
            return None
        note_id = block.key.removeprefix("note:")
        return next((n for n in self.report.notes if n.id == note_id), None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in RECORD_ACTIONS and self.showing_shares:
            return False
        if action == "edit":
            return False if self.editing else (not self.store.read_only or None)
        if action in ("edit_text", "attribute", "stance"):
            if not self.editing:
                return False
            return self.note is not None or None
        if action == "next_match":
            return self.document.match_position[1] > 0
        return True

    @on(DocumentView.CursorMoved)
    def _cursor_moved(self) -> None:
        if self.editing:
            self.refresh_bindings()

    # ------------------------------------------------------------------ moving about

    def action_back(self) -> None:
        if self.has_class("-finding"):
            self._close_find()
        elif self.editing:
            self.editing = False
            self._show_mode()
        else:
            self.dismiss()

    def action_go_to(self) -> None:
        from appreciate_tui.tui.dialogs.pick import PickScreen

        options: list[tuple[str, Content]] = [("section:details", Content("Details"))]
        options.append(("section:participants", Content("Participants")))
        for question in self.report.questions:
            depth = "   " * self.report.depths[question.id]
            options.append((question_key(question.id), Content.assemble(
                depth, (f"{self.report.numbers[question.id]:<6}", "bold"),
                one_line(question.text),
            )))
        options += [(f"section:{part}", Content(SECTIONS[part]))
                    for part in ("actions", "feedback", "learning")]
        here = self.document.current.key if self.document.current else None
        section = self.document.section_of_cursor()
        highlighted = here if here and here.startswith("question:") else (
            section if section.startswith("question:") else f"section:{section}"
        )

        def chosen(key: str | None) -> None:
            if key:
                self.document.go_to(key)
                self.document.focus()

        self.app.push_screen(PickScreen("Go to", options, highlighted=highlighted), chosen)

    # ------------------------------------------------------------------ finding words

    def action_find(self) -> None:
        self.set_class(True, "-finding")
        self.query_one("#find", Input).focus()

    @on(Input.Changed, "#find")
    def _find_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._find(event.value)

    def _find(self, text: str, *, move: bool = True) -> None:
        found = self.document.search(text, move=move)
        self._show_count()
        if text.strip() and not found:
            self.query_one("#find-count", Static).update("not found")
        self.refresh_bindings()

    def _show_count(self) -> None:
        number, count = self.document.match_position
        shown = f"{number} of {count}" if number else f"{count} found"
        self.query_one("#find-count", Static).update(shown if count else "")

    @on(Input.Submitted, "#find")
    def _find_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_next_match(1)
        self.document.focus()

    def action_next_match(self, step: int) -> None:
        self.document.next_match(step)
        self._show_count()

    def _close_find(self) -> None:
        self.query_one("#find", Input).value = ""
        self.set_class(False, "-finding")
        self.document.focus()

    # ------------------------------------------------------------------ copying

    def action_copy(self) -> None:
        from appreciate_tui.tui.dialogs.pick import PickScreen

        options: list[tuple[str, Content]] = [
            ("whole", Content.styled("The whole record", "bold")),
            ("details", Content("Details")),
        ]
        for part, heading in PARTS.items():
            options.append((part, Content(heading)))
            if part == "questions":
                options += [
                    (question_section(q.id), Content.assemble(
                        "   ", (f"Question {self.report.numbers[q.id]}: ", "bold"),
                        one_line(q.text)))
                    for q in self.report.questions if not q.is_follow_up
                ]
        section = self.document.section_of_cursor()
        self.app.push_screen(
            PickScreen("Copy as Markdown", options, highlighted=section or "whole",
                       hint="Enter copies · {pick.cancel} cancels · names stay out; escalated notes "
                       "are not reproduced"),
            self._copy,
        )

    def _copy(self, part: str | None) -> None:
        if not part:
            return
        text = part_markdown(self.report, part)
        label = "the whole record" if part == "whole" else (
            f"question {self.report.numbers[part.removeprefix('question:')]}"
            if part.startswith("question:") else SECTIONS[part].lower()
        )

        def arrived(path: Path | None) -> None:
            """Recorded as shared once the copy is known to have arrived, never before."""
            if self.store.read_only:
                return
            try:
                self.store.record_share(self.conversation_id, "clipboard-md",
                                        purpose=f"copied from the review: {label}", path=path)
            except StoreError:
                return  # the copy was made; only the record of it is missing
            if self.is_attached:
                self.show_shares()

        self.app.copy_to_clipboard(text, on_confirmed=arrived)
        lines = text.count("\n")
        self.notify(f"Copied {label} as Markdown ({plural(lines, 'line')}).",
                    markup=False)

    # ------------------------------------------------------------------ exporting

    def action_export(self) -> None:
        if not self.writable():
            return
        from appreciate_tui.tui.dialogs.export import ExportScreen, Exported, said_when_exported

        def exported(done: Exported | None) -> None:
            if done is None:
                return
            self.notify(said_when_exported(done), title="Exported", timeout=10, markup=False)
            if self.is_attached:
                self.show_shares()

        self.app.push_screen(ExportScreen(self.conversation_id), exported)

    # ------------------------------------------------------------------ the Shared tab

    @property
    def showing_shares(self) -> bool:
        return self.query_one("#review-tabs", TabbedContent).active == SHARED_TAB

    def action_show_tab(self, tab: str) -> None:
        self.query_one("#review-tabs", TabbedContent).active = tab
        self.query_one("#shares" if tab == SHARED_TAB else "#record").focus()

    @on(TabbedContent.TabActivated, "#review-tabs")
    def _tab_shown(self, event: TabbedContent.TabActivated) -> None:
        event.stop()
        if self.showing_shares:
            self.show_shares()
        self.refresh_bindings()

    def show_shares(self) -> None:
        """Read what was shared again and show it, newest first."""
        shares = self.store.list_shares(self.conversation_id)
        self.query_one("#shares", SharesTable).show(shares)
        self.query_one("#review-tabs", TabbedContent).get_tab(SHARED_TAB).label = (
            f"Shared ({len(shares)}) F4" if shares else "Shared F4")
        self._show_share_detail()

    @on(SharesTable.RowHighlighted, "#shares")
    def _share_highlighted(self) -> None:
        self._show_share_detail()

    def _show_share_detail(self) -> None:
        table = self.query_one("#shares", SharesTable)
        share = table.highlighted
        if not table.shares:
            said = ("Nothing from this conversation has been shared yet. Exports and copies "
                    "are listed here: what, when, to whom and why, never what they said.")
        else:
            said = "" if share is None else describe(share)
        self.query_one("#share-detail", Static).update(said)

    # ------------------------------------------------------------------ correcting the record

    def action_edit(self) -> None:
        self.editing = True
        self._show_mode()
        self.document.focus()

    def _correct(self, note: Note, **changes: object) -> None:
        if self.save(lambda: self.store.update_note(note.id, **changes),  # type: ignore[arg-type]
                     failed="Not changed") is None:
            return
        self._load(at=note_key(note.id))
        find = self.query_one("#find", Input).value
        if find:
            self._find(find, move=False)

    def action_edit_text(self) -> None:
        note = self.note
        if note is None:
            return
        from appreciate_tui.tui.dialogs.edit_note import EditNoteScreen

        def revised(text: str | None) -> None:
            if text is not None:
                self._correct(note, body=text)

        self.app.push_screen(
            EditNoteScreen(note, correcting=True, revisions=self._revisions.get(note.id, 0)),
            revised,
        )

    def action_attribute(self) -> None:
        note = self.note
        if note is None:
            return
        from appreciate_tui.tui.dialogs.attribute_note import AttributeNoteScreen, Attribution

        def attributed(who: Attribution | None) -> None:
            if who is not None:
                self._correct(note, agency=who.agency, participant_id=who.participant_id)

        self.app.push_screen(
            AttributeNoteScreen(note, self.report.participants, self.store.agencies()),
            attributed,
        )

    def action_stance(self, stance: str) -> None:
        note = self.note
        if note is not None and note.stance is not Stance(stance):
            self._correct(note, stance=Stance(stance))
