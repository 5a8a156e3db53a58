"""F6 on the plan: send the questions in advance, as participants asked.

Shows the participant question sheet (reports/questions.py: topic, purpose, the prepared questions
by phase, how the conversation will run; never follow-ups or notes) and offers it three ways:
copied as plain text for an email, or saved as Markdown or plain text to a private file. It asks
who it is for (offering whoever it went to last time). Each way records the share, with them,
and the day the questions went out (`questions_shared_at`): a save at once, a copy only once it is
known to have arrived (the clipboard tool took it, the facilitator said it pasted, or saved it).
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Markdown, Static

from appreciate_tui import domain
from appreciate_tui.export import ExportRequest, record_export, render
from appreciate_tui.store import StoreError
from appreciate_tui.text import clean_line, one_line, printable
from appreciate_tui.tui.dialogs.base import StoreDialog
from appreciate_tui.tui.keys import key_hint, with_keys
from appreciate_tui.tui.widgets.text_fields import TextInput
from appreciate_tui.wording import short_date

PURPOSE = "questions in advance"


def _sheet(extension: str) -> ExportRequest:
    return ExportRequest("questions", questions_format=extension)


def free_path(path: Path) -> Path:
    """`path`, or the first `name-2.ext`, `name-3.ext`… not yet taken."""
    number = 1
    candidate = path
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.stem}-{number}{path.suffix}")
    return candidate


class ShareQuestionsScreen(StoreDialog[None]):
    DEFAULT_CSS = """
    ShareQuestionsScreen > #share-questions { width: 95%; max-width: 100; height: 95%; }
    ShareQuestionsScreen #share-questions .dialog-title { padding-bottom: 0; }
    ShareQuestionsScreen #share-state { color: $text-muted; height: auto; }
    ShareQuestionsScreen #share-for { height: 1; }
    ShareQuestionsScreen #share-for-label { width: auto; padding-right: 1; }
    ShareQuestionsScreen #share-recipient { width: 1fr; }
    ShareQuestionsScreen #sheet-scroll {
        height: 1fr; margin-top: 1; background: $panel; scrollbar-gutter: stable;
    }
    ShareQuestionsScreen #sheet { background: $panel; margin: 0; }
    ShareQuestionsScreen #share-saved { color: $success; height: auto; }
    ShareQuestionsScreen #share-hint { color: $text-muted; height: 1; margin-top: 1; }
    """
    HELP: ClassVar[str] = "plan.md#Sending the questions in advance"  # where F1 opens the help
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "copy", "Copy", tooltip="Copy the sheet as plain text, for an email",
                id="share_questions.copy"),
        Binding("w", "who", "Who it is for", tooltip="Say who the sheet is for",
                id="share_questions.recipient"),
        Binding("m", "save('md')", "Save Markdown", tooltip="Save the sheet as Markdown",
                id="share_questions.markdown"),
        Binding("t", "save('txt')", "Save text", tooltip="Save the sheet as plain text",
                id="share_questions.text"),
        Binding("escape", "dismiss", "Close", tooltip="Back to the plan",
                id="share_questions.close"),
    ]

    def __init__(self, conversation_id: str) -> None:
        super().__init__()
        self.conversation_id = conversation_id
        self._text = ""

    def compose(self) -> ComposeResult:
        with Vertical(id="share-questions", classes="dialog"):
            yield Static("Send the questions in advance", classes="dialog-title")
            yield Static(id="share-state", markup=False)
            with Horizontal(id="share-for"):
                yield Static("For:", id="share-for-label")
                yield TextInput(id="share-recipient", compact=True,
                                placeholder=with_keys("not said yet ({share_questions.recipient}"
                                                      " to say who, e.g. MASH partners)",
                                                      self.app, self))
            with VerticalScroll(id="sheet-scroll"):
                yield Markdown(id="sheet")
            yield Static(id="share-saved", markup=False)
            yield Static(
                key_hint(self.app, self, ("{share_questions.recipient}", "for whom"),
                         ("{share_questions.copy}", "copy"),
                         ("{share_questions.markdown}", "save Markdown"),
                         ("{share_questions.text}", "save text"),
                         ("{share_questions.close}", "close")),
                id="share-hint",
            )

    def on_mount(self) -> None:
        store = self.store
        self._text = render(store, self.conversation_id, _sheet("txt")).text or ""
        # Shown as the Markdown export renders it (its text escaped there, so a note's `#` or
        # `<` stays literal); copied as plain text, which reads well in an email.
        self.query_one("#sheet", Markdown).update(
            render(store, self.conversation_id, _sheet("md")).text or "")
        sent = [s for s in store.list_shares(self.conversation_id)
                if s.format.startswith("questions") and s.recipient]
        if sent:
            self.query_one("#share-recipient", Input).value = sent[0].recipient
        self._show_state()
        self.query_one("#sheet-scroll").focus()

    def action_who(self) -> None:
        self.query_one("#share-recipient", Input).focus()

    @on(Input.Submitted, "#share-recipient")
    def _recipient_given(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#sheet-scroll").focus()

    @property
    def recipient(self) -> str:
        """Who the sheet is for, as typed."""
        return clean_line(self.query_one("#share-recipient", Input).value)

    def _show_state(self) -> None:
        store = self.store
        conversation = store.get_conversation(self.conversation_id)
        prepared = [q for q in store.list_questions(conversation.id) if not q.is_follow_up]
        if conversation.questions_shared_at:
            day = domain.parse_time(conversation.questions_shared_at).astimezone().date()
            said = f"Questions last sent {short_date(day.isoformat())}. Sending again is fine."
        else:
            said = "Not sent yet. Only the prepared questions go out: no follow-ups, no notes."
        if not prepared:
            said = "The plan has no questions yet: add some first (F5 on the plan)."
        self.query_one("#share-state", Static).update(said)

    def _record(self, request: ExportRequest, recipient: str, path: Path | None = None) -> None:
        """Record the share (to `recipient`, written to `path` if it was) and the day the
        questions went out."""
        store = self.store
        try:
            with store.atomic():
                record_export(store, self.conversation_id, request, purpose=PURPOSE,
                              recipient=recipient, path=path)
                store.update_conversation(self.conversation_id,
                                          questions_shared_at=domain.utc_now())
        except StoreError as error:
            self.notify(f"Shared, but not recorded: {one_line(str(error))}", severity="warning",
                        markup=False)
        if self.is_attached:
            self._show_state()

    def action_copy(self) -> None:
        if not self._text:
            return
        recipient = self.recipient

        def arrived(path: Path | None) -> None:
            self._record(_sheet("txt"), recipient, path)
            if self.is_attached and path is None:
                to = f" for {printable(recipient)}" if recipient else ""
                self.query_one("#share-saved", Static).update(f"Copied{to}: recorded as sent.")

        self.app.copy_to_clipboard(self._text, on_confirmed=arrived)

    def action_save(self, extension: str) -> None:
        from appreciate_tui.reports.files import default_path

        store = self.store
        request = _sheet(extension)
        conversation = store.get_conversation(self.conversation_id)
        data = render(store, self.conversation_id, request).data
        path = default_path(f"questions {conversation.title}", conversation.date,
                            conversation.id, request.extension, redacted=False)
        self._write(free_path(path), data, request, self.recipient)

    @work(thread=True, group="share-questions")
    def _write(self, path: Path, data: bytes, request: ExportRequest, recipient: str) -> None:
        from appreciate_tui.paths import FileExists, write_private

        try:
            written = write_private(path, data)
        except (OSError, FileExists) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else error
            self.app.call_from_thread(
                self.notify, f"The sheet was not saved: {reason}", severity="error", markup=False
            )
            return
        self.app.call_from_thread(self._saved, written, request, recipient)

    def _saved(self, path: Path, request: ExportRequest, recipient: str) -> None:
        self._record(request, recipient, path)
        if self.is_attached:
            self.query_one("#share-saved", Static).update(
                f"Saved, readable by you only: {printable(str(path))}"
            )
