"""Enter on an escalation in the wrap-up: record who it was passed to and when.

When defaults to now; it can be set to when it actually happened ("YYYY-MM-DD HH:MM", local
time), since escalations are often passed on during the meeting and recorded after it.
Dismisses with (passed to, when as a UTC timestamp), or None.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from appreciate_tui import domain
from appreciate_tui.domain import Note
from appreciate_tui.text import clean_line, printable
from appreciate_tui.tui.keys import key_hint
from appreciate_tui.tui.widgets.text_fields import TextInput

WHEN_FORMAT = "%Y-%m-%d %H:%M"


class RecordHandlingScreen(ModalScreen[tuple[str, str] | None]):
    DEFAULT_CSS = """
    RecordHandlingScreen > #record-handling { width: 90%; max-width: 100; height: auto; }
    RecordHandlingScreen #handling-note { margin-bottom: 1; height: auto; }
    RecordHandlingScreen #handling-fields {
        grid-size: 2; grid-columns: 12 1fr; grid-rows: 1; height: auto;
    }
    RecordHandlingScreen .form-label { color: $text-muted; text-style: bold; }
    RecordHandlingScreen #handling-problem { color: $error; text-style: bold; height: auto; }
    RecordHandlingScreen #handling-hint { color: $text-muted; margin-top: 1; }
    """
    HELP: ClassVar[str] = "wrapup.md#Escalations"  # where F1 opens the help
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", tooltip="Record nothing",
                id="record_handling.cancel"),
    ]

    def __init__(self, note: Note) -> None:
        super().__init__()
        self._note = note

    def compose(self) -> ComposeResult:
        note = self._note
        handled = note.escalation_handled_at
        when = domain.parse_time(handled) if handled else domain.now()
        with Vertical(id="record-handling", classes="dialog"):
            yield Static("How was this escalation handled?", classes="dialog-title")
            yield Static(Content.assemble(("⚑ ", "bold $error"), printable(note.body)),
                         id="handling-note")
            with Grid(id="handling-fields"):
                yield Static("Passed to", classes="form-label")
                yield TextInput(note.escalation_passed_to,
                                placeholder="who, and how: MASH duty manager by phone",
                                id="passed-to", compact=True)
                yield Static("When", classes="form-label")
                yield TextInput(when.astimezone().strftime(WHEN_FORMAT),
                                placeholder="YYYY-MM-DD HH:MM", id="handled-when", compact=True)
            yield Static(id="handling-problem", markup=False)
            yield Static(key_hint(self.app, self, ("Enter", "mark handled"),
                                  ("{record_handling.cancel}", "cancel")),
                         id="handling-hint")

    def on_mount(self) -> None:
        self.query_one("#passed-to", Input).focus()

    @on(Input.Submitted)
    def _save(self, event: Input.Submitted) -> None:
        event.stop()
        passed_to = clean_line(self.query_one("#passed-to", Input).value)
        if not passed_to:
            self.query_one("#handling-problem", Static).update(
                "Say who it was passed to: the record must show it was acted on.")
            self.query_one("#passed-to", Input).focus()
            return
        text = self.query_one("#handled-when", Input).value.strip()
        try:
            local = datetime.strptime(text, WHEN_FORMAT).astimezone()
        except ValueError:
            self.query_one("#handling-problem", Static).update(
                "When: YYYY-MM-DD HH:MM, like 2026-03-12 10:45.")
            self.query_one("#handled-when", Input).focus()
            return
        self.dismiss((passed_to, local.astimezone(timezone.utc).isoformat(timespec="microseconds")))
