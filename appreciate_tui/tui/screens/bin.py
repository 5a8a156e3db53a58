"""b: the bin. Deleted conversations wait here, whole, to be restored or erased for good.

Erasing is the store's real erasure (every note, revision and trace of the text removed from the
file), so it asks first and names what it is about to erase.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import Static

from appreciate_tui.domain import ConversationSummary
from appreciate_tui.text import one_line
from appreciate_tui.tui.dialogs.confirm import ConfirmScreen
from appreciate_tui.tui.screens.base import StoreScreen
from appreciate_tui.tui.screens.home import describe
from appreciate_tui.tui.widgets.conversation_table import BIN_COLUMNS, ConversationTable
from appreciate_tui.tui.widgets.key_footer import KeyFooter

EXPLAIN = (
    "Deleted conversations stay here, notes and all, until you erase them. "
    "Restore puts one back in the list as it was."
)
EMPTY = "The bin is empty."


class BinScreen(StoreScreen):
    DEFAULT_CSS = """
    BinScreen #bin-title { dock: top; height: 1; padding: 0 1; background: $panel;
                           color: $primary; }
    BinScreen #bin-explain { height: auto; margin: 1 1 0 1; padding: 0 1; color: $text-muted; }
    BinScreen #binned { height: 1fr; margin: 1 1 0 1; }
    BinScreen #bin-empty { display: none; height: 1fr; content-align: center middle;
                           color: $text-muted; }
    BinScreen.-empty #binned { display: none; }
    BinScreen.-empty #bin-empty { display: block; }
    """
    AUTO_FOCUS = "#binned"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", tooltip="Back to the conversations",
                id="bin.back"),
        Binding("enter,u", "restore", "Restore",
                tooltip="Put the highlighted conversation back in the list", id="bin.restore"),
        Binding("delete", "erase", "Erase for good",
                tooltip="Erase the highlighted conversation and everything in it", id="bin.erase"),
    ]

    @property
    def table(self) -> ConversationTable:
        return self.query_one("#binned", ConversationTable)

    def compose(self) -> ComposeResult:
        yield Static(Content.from_markup("[b]appreciate[/b]  [dim]bin[/]"), id="bin-title")
        yield Static(EXPLAIN, id="bin-explain", markup=False)
        yield ConversationTable(BIN_COLUMNS, id="binned")
        yield Static(EMPTY, id="bin-empty", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self._reload()

    def _reload(self) -> None:
        binned = self.store.list_bin()
        self.table.show(binned)
        self.set_class(not binned, "-empty")
        self.refresh_bindings()

    @on(ConversationTable.Highlighted)
    def _highlighted(self) -> None:
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("restore", "erase"):
            return (self.table.highlighted is not None and not self.store.read_only) or None
        return True

    def action_restore(self) -> None:
        summary = self.table.highlighted
        if summary is None:
            return
        if self.save(lambda: self.store.restore_conversation(summary.conversation.id),
                     failed="It was not restored") is None:
            return
        self.notify(f"Restored: {one_line(summary.conversation.title)}", markup=False)
        self.dismiss()

    def action_erase(self) -> None:
        summary = self.table.highlighted
        if summary is None:
            return

        def answered(erase: bool | None) -> None:
            if erase:
                self.notify("Erasing…", timeout=2)
                self.call_after_refresh(self._erase, summary)

        self.app.push_screen(
            ConfirmScreen(
                "Erase this conversation for good?",
                f"{describe(summary)}\n\n"
                "Every note, question, participant, action and piece of feedback in it is "
                "erased from this database, and cannot be brought back. Backups made before "
                "today still hold it.",
                yes="Erase for good",
            ),
            answered,
        )

    def _erase(self, summary: ConversationSummary) -> None:
        erased = self.save(lambda: self.store.erase_conversation(summary.conversation.id),
                           failed="Nothing was erased")
        if erased is None:
            return
        if erased.complete:
            self.notify(f"Erased: {one_line(summary.conversation.title)}", markup=False)
        else:
            self.notify(f"Erased, but {one_line(erased.problem or '')}", severity="warning",
                        timeout=12, markup=False)
        self._reload()
