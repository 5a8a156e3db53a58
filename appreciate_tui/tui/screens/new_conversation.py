"""n: start a conversation from a question bank in three keys: n, Enter (bank), Enter (title).

Dismisses with the new conversation's id, or None if the facilitator changed their mind.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from appreciate_tui import domain
from appreciate_tui.banks import Bank, BankError, load_banks
from appreciate_tui.planning import conversation_from_bank
from appreciate_tui.store import StoreError
from appreciate_tui.text import one_line
from appreciate_tui.tui.labels import long_date

if TYPE_CHECKING:
    from appreciate_tui.tui.app import AppreciateApp

NO_BANKS = (
    "No question banks were found. Put a bank file (.toml) in the banks folder that "
    "`appreciate locate` prints, then press n again."
)


class NewConversationScreen(ModalScreen[str | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", id="new.cancel"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._banks, self._bank_errors = load_banks()
        self._chosen: Bank | None = None
        self._today = domain.now().astimezone().date()

    @property
    def _app(self) -> AppreciateApp:
        return cast("AppreciateApp", self.app)

    def compose(self) -> ComposeResult:
        with Vertical(id="new-dialog", classes="dialog"):
            yield Static("Start a conversation", classes="dialog-title")
            yield Static("Question bank", classes="new-label")
            yield OptionList(*(self._option(bank) for bank in self._banks), id="banks")
            yield Static(NO_BANKS if not self._banks else "", id="bank-detail", markup=False)
            yield Static("Title", classes="new-label")
            yield Input(id="title", placeholder="Pick a bank first", disabled=True,
                        select_on_focus=False)
            yield Static(
                Content.from_markup("[b]Enter[/b] choose  [b]Escape[/b] cancel"), id="new-hint"
            )

    def on_mount(self) -> None:
        if self._bank_errors:
            self._report(self._bank_errors)
        # The bank used last is the one most likely wanted again: n, Enter, Enter repeats it.
        ids = [bank.id for bank in self._banks]
        used = (c.bank_id for c in self._app.store.list_conversations() if c.bank_id in ids)
        last = next(used, None)
        if last is not None:
            self.query_one(OptionList).highlighted = ids.index(last)

    def _option(self, bank: Bank) -> Option:
        count = len(bank.questions)
        facts = f"  {count} question{'s' if count != 1 else ''}{'  · yours' if bank.user else ''}"
        return Option(Content.assemble((one_line(bank.title), "bold"), (facts, "$text-muted")),
                      id=bank.id)

    def _report(self, errors: list[BankError]) -> None:
        shown = "\n".join(one_line(str(error)) for error in errors[:3])
        more = f"\n…and {len(errors) - 3} more." if len(errors) > 3 else ""
        self.notify(f"{shown}{more}\n`appreciate bank check FILE` explains each one.",
                    title="Some question banks could not be read", severity="warning",
                    timeout=12, markup=False)

    def _bank(self, bank_id: str | None) -> Bank | None:
        return next((bank for bank in self._banks if bank.id == bank_id), None)

    @on(OptionList.OptionHighlighted)
    def _describe(self, event: OptionList.OptionHighlighted) -> None:
        bank = self._bank(event.option_id)
        if bank is not None:
            self.query_one("#bank-detail", Static).update(
                Content.assemble((one_line(bank.topic), "italic $text"), "\n" if bank.topic else "",
                                 one_line(" ".join(bank.description.split())))
            )

    @on(OptionList.OptionSelected)
    def _choose(self, event: OptionList.OptionSelected) -> None:
        self._chosen = self._bank(event.option_id)
        if self._chosen is None:
            return
        title = self.query_one(Input)
        title.disabled = False
        title.placeholder = "A title people will recognise later"
        title.value = f"{self._chosen.title} · {long_date(self._today.isoformat())}"
        title.focus()
        self.query_one("#new-hint", Static).update(
            Content.from_markup("[b]Enter[/b] start  [b]Escape[/b] cancel")
        )

    @on(Input.Submitted)
    def _create(self, event: Input.Submitted) -> None:
        if self._chosen is None:
            return
        try:
            conversation = conversation_from_bank(
                self._app.store, self._chosen, event.value, date=self._today.isoformat()
            )
        except StoreError as error:
            self.notify(f"The conversation was not created: {error}", severity="error",
                        markup=False)
            return
        self.dismiss(conversation.id)
