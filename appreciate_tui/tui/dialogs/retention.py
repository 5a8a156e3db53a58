"""The conversations past the retention period, and erasing them for good after a confirmation.

The period is `Settings.retention_months` (24 unless the organisation's schedule says otherwise).
A conversation is due when the day it took place, or the day it ended if later, is further back
than that. Erasing runs the store's erasure (store/erasure.py): the rows, the full-text indexes,
the write-ahead log; what stays is a record of the erasure without any content. Backups made
before it still hold the conversations, and the screen says so.

Dismisses with the number of conversations erased.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Static

from appreciate_tui.store import StoreError
from appreciate_tui.store.erasure import DueConversation
from appreciate_tui.text import one_line
from appreciate_tui.tui.dialogs.base import StoreDialog
from appreciate_tui.tui.dialogs.confirm import ConfirmScreen
from appreciate_tui.tui.keys import with_keys
from appreciate_tui.wording import plural

DEFAULT_MONTHS = 24


def retention_months(settings: Any) -> int:
    months = getattr(settings, "retention_months", DEFAULT_MONTHS)
    if isinstance(months, bool) or not isinstance(months, int) or months < 1:
        return DEFAULT_MONTHS
    return months


class RetentionScreen(StoreDialog[int]):
    DEFAULT_CSS = """
    RetentionScreen > #retention { width: 96; max-width: 98%; height: auto; max-height: 95%; }
    RetentionScreen #retention-due { height: auto; max-height: 16; margin-top: 1; }
    RetentionScreen #retention-status { margin-top: 1; }
    RetentionScreen #retention-buttons { height: auto; align-horizontal: right; margin-top: 1; }
    RetentionScreen Button { margin-left: 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", tooltip="Back, erasing nothing", id="retention.close"),
        Binding("e", "erase", "Erase all due",
                tooltip="Erase every conversation listed, for good (asks first)",
                id="retention.erase"),
    ]

    def __init__(self, months: int | None = None) -> None:
        super().__init__()
        self._months = months
        self.due: list[DueConversation] = []
        self.erased = 0

    @property
    def months(self) -> int:
        if self._months is not None:
            return self._months
        return retention_months(self.app.settings)

    def compose(self) -> ComposeResult:
        with Vertical(id="retention", classes="dialog"):
            yield Static("Retention: conversations due for erasure", classes="dialog-title")
            yield Static(id="retention-rule", markup=False)
            yield DataTable(id="retention-due", cursor_type="row", zebra_stripes=True)
            yield Static(id="retention-status", markup=False)
            with Horizontal(id="retention-buttons"):
                yield Button(with_keys("Close ({retention.close})", self.app, self), id="close")
                yield Button(with_keys("Erase all due… ({retention.erase})", self.app, self),
                             id="erase", variant="error")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Date", "Conversation", "Notes", "Exports")
        self.query_one("#retention-rule", Static).update(
            f"Your retention period is {plural(self.months, 'month')} (the settings say so; your "
            "organisation's retention schedule decides). A conversation is due when it took "
            "place, or ended, longer ago than that."
        )
        self.reload()
        self.query_one("#close", Button).focus()

    def reload(self) -> None:
        self.due = self.store.conversations_due(months=self.months)
        table = self.query_one(DataTable)
        table.clear()
        for item in self.due:
            table.add_row(
                Text(item.last_activity),
                Text(one_line(item.conversation.title, 60)),
                Text(str(item.notes), justify="right"),
                Text(str(item.shares), justify="right"),
                key=item.conversation.id,
            )
        button = self.query_one("#erase", Button)
        button.disabled = not self.due or self.store.read_only
        status = self.query_one("#retention-status", Static)
        if not self.due:
            status.update("Nothing is due.")
        elif self.store.read_only:
            reason = one_line(self.store.read_only_reason or "")
            status.update(f"{len(self.due)} due, but this window is read-only ({reason}), so "
                          "nothing can be erased here.")
        else:
            exported = sum(1 for item in self.due if item.shares)
            status.update(
                f"{len(self.due)} due."
                + (f" {exported} of them were exported: those copies are outside appreciate's "
                   "reach." if exported else "")
            )

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "erase":
            self.action_erase()
        else:
            self.action_close()

    def action_close(self) -> None:
        self.dismiss(self.erased)

    def action_erase(self) -> None:
        if self.store.read_only:
            reason = one_line(self.store.read_only_reason or "")
            self.notify(f"Read-only: {reason}. Nothing can be erased here.",
                        severity="warning", markup=False)
            return
        if not self.due:
            self.notify("Nothing is due for erasure.", markup=False)
            return
        count = len(self.due)
        body = (
            f"{plural(count, 'conversation')}, with every note, participant, action and record of "
            "shares in them, will be erased from this database for good. They cannot be brought "
            "back. A record of the erasure keeps their ids and how many rows went, never what "
            "they said. Backups made before now still hold them until they are replaced."
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self._erase([item.conversation.id for item in self.due])

        self.app.push_screen(
            ConfirmScreen(f"Erase {plural(count, 'conversation')} for good?", body,
                          yes=f"Erase {count}", no="Keep them"),
            answered,
        )

    def _erase(self, ids: list[str]) -> None:
        try:
            result = self.store.erase_conversations(ids, reason="retention")
        except StoreError as error:
            self.notify(f"Nothing was erased: {one_line(str(error))}", severity="error",
                        markup=False)
            return
        self.erased += len(ids)
        if result.complete:
            self.notify(f"Erased {plural(len(ids), 'conversation')}.",
                        markup=False)
        else:
            self.notify(f"Erased, but {one_line(result.problem or '')}", severity="warning",
                        timeout=12, markup=False)
        self.reload()
