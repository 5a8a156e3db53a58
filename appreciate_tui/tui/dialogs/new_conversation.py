"""n: start a conversation, from a question bank in three keys (n, Enter for the bank, Enter for
the title), or from an earlier conversation as a template, or blank. F4 instead of the last Enter
makes it and opens its plan, for a conversation to be held another day: it stays planned.

From an earlier conversation the plan comes along (prepared questions, participants' agencies and
pseudonyms but not their names, the opening, the time budget) and nothing that was said.

Dismisses with the new conversation (`NewConversation`), or None if the facilitator changed their
mind.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from appreciate_tui import domain
from appreciate_tui.banks.loader import Bank, BankError, load_banks
from appreciate_tui.domain import Conversation
from appreciate_tui.banks.planning import conversation_from_bank
from appreciate_tui.store import StoreError
from appreciate_tui.text import one_line
from appreciate_tui.tui.dialogs.base import StoreDialog
from appreciate_tui.tui.keys import key_hint
from appreciate_tui.tui.widgets.text_fields import TextInput
from appreciate_tui.wording import plural, short_date

NO_BANKS = (
    "No question banks were found. Put a bank file (.toml) in the banks folder that "
    "`appreciate locate` prints, then press n again."
)
EARLIER, BLANK, BANKS = "~earlier", "~blank", "~banks"
"""Options that are not a bank or a conversation (ids of both are never written like this)."""
TEMPLATE_HINT = (
    "Copies its questions, the agencies and pseudonyms of its participants (not their names), "
    "its opening and time budget. Nothing that was said comes along."
)


@dataclass(frozen=True)
class NewConversation:
    id: str
    plan_first: bool = False
    """Open its plan rather than start facilitating it."""


class NewConversationScreen(StoreDialog[NewConversation | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", id="new.cancel"),
        Binding("f4", "plan_first", "Plan it first", id="new.plan_first"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._banks, self._bank_errors = load_banks()
        self._earlier: list[Conversation] = []
        self._chosen: Bank | Conversation | None = None
        self._blank = False
        self._today = domain.now().astimezone().date()

    def compose(self) -> ComposeResult:
        with Vertical(id="new-dialog", classes="dialog"):
            yield Static("Start a conversation", classes="dialog-title")
            yield Static("Question bank", classes="new-label", id="source-label")
            yield OptionList(*self._bank_options(), id="banks")
            yield Static(NO_BANKS if not self._banks else "", id="bank-detail", markup=False)
            yield Static("Title", classes="new-label")
            # The title offered is a default: typing replaces it, and End keeps it to add to.
            yield TextInput(id="title", placeholder="Pick where to start from first", disabled=True,
                            select_on_focus=True)
            yield Static(
                key_hint(self.app, self, ("Enter", "choose"), ("{new.cancel}", "cancel"), gap="  "),
                id="new-hint",
            )

    def on_mount(self) -> None:
        if self._bank_errors:
            self._report(self._bank_errors)
        self._earlier = self.store.list_conversations()
        self._highlight_last_bank()

    def _highlight_last_bank(self) -> None:
        # The bank used last is the one most likely wanted again: n, Enter, Enter repeats it.
        ids = [bank.id for bank in self._banks]
        last = next((c.bank_id for c in self._earlier if c.bank_id in ids), None)
        if last is not None:
            self.query_one(OptionList).highlighted = ids.index(last)

    def _bank_options(self) -> list[Option | None]:
        options: list[Option | None] = [self._option(bank) for bank in self._banks]
        if options:
            options.append(None)
        options += [
            Option(Content.styled("From an earlier conversation…", "bold"), id=EARLIER),
            Option(Content.assemble(("Blank", "bold"), ("  no questions yet", "$text-muted")),
                   id=BLANK),
        ]
        return options

    def _option(self, bank: Bank) -> Option:
        count = len(bank.questions)
        facts = f"  {plural(count, 'question')}{'  · yours' if bank.user else ''}"
        return Option(Content.assemble((one_line(bank.title), "bold"), (facts, "$text-muted")),
                      id=bank.id)

    def _conversation_options(self) -> list[Option | None]:
        back = Option(Content.styled("← Back to the question banks", "$text-muted"), id=BANKS)
        return [back, None] + [
            Option(Content.assemble(
                (one_line(c.title), "bold"),
                (f"  {short_date(c.date)} · {c.status.value}", "$text-muted"),
            ), id=c.id)
            for c in self._earlier
        ]

    def _report(self, errors: list[BankError]) -> None:
        shown = "\n".join(one_line(str(error)) for error in errors[:3])
        more = f"\n…and {len(errors) - 3} more." if len(errors) > 3 else ""
        self.notify(f"{shown}{more}\n`appreciate bank check FILE` explains each one.",
                    title="Some question banks could not be read", severity="warning",
                    timeout=12, markup=False)

    def _bank(self, bank_id: str | None) -> Bank | None:
        return next((bank for bank in self._banks if bank.id == bank_id), None)

    def _conversation(self, conversation_id: str | None) -> Conversation | None:
        return next((c for c in self._earlier if c.id == conversation_id), None)

    def _detail(self, content: Content | str) -> None:
        self.query_one("#bank-detail", Static).update(content)

    @on(OptionList.OptionHighlighted)
    def _describe(self, event: OptionList.OptionHighlighted) -> None:
        chosen = event.option_id
        if chosen == EARLIER:
            self._detail(TEMPLATE_HINT if self._earlier else
                         "There are no earlier conversations yet.")
        elif chosen == BLANK:
            self._detail("A title now; the topic, questions and people when you plan it.")
        elif chosen == BANKS:
            self._detail("")
        elif (bank := self._bank(chosen)) is not None:
            self._detail(Content.assemble(
                (one_line(bank.topic), "italic $text"), "\n" if bank.topic else "",
                one_line(" ".join(bank.description.split())),
            ))
        elif (conversation := self._conversation(chosen)) is not None:
            self._detail(Content.assemble(
                (one_line(conversation.topic), "italic $text"), "\n" if conversation.topic else "",
                TEMPLATE_HINT,
            ))

    @on(OptionList.OptionSelected)
    def _choose(self, event: OptionList.OptionSelected) -> None:
        options = self.query_one(OptionList)
        label = self.query_one("#source-label", Static)
        if event.option_id == EARLIER:
            if self._earlier:
                label.update("Earlier conversation")
                options.set_options(self._conversation_options())
                options.highlighted = options.get_option_index(self._earlier[0].id)
            return
        if event.option_id == BANKS:
            label.update("Question bank")
            options.set_options(self._bank_options())
            self._highlight_last_bank()
            return
        self._blank = event.option_id == BLANK
        self._chosen = self._bank(event.option_id) or self._conversation(event.option_id)
        if self._chosen is None and not self._blank:
            return
        today = short_date(self._today.isoformat())
        title = self.query_one(Input)
        title.disabled = False
        title.placeholder = "A title people will recognise later"
        title.value = f"{self._chosen.title} · {today}" if isinstance(self._chosen, Bank) else (
            self._chosen.title if self._chosen is not None else ""
        )
        title.focus()
        self.query_one("#new-hint", Static).update(
            key_hint(self.app, self, ("Enter", "start now"), ("{new.plan_first}", "plan it first"),
                     ("{new.cancel}", "cancel"), gap="  ")
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "plan_first":  # only once there is something to make
            return self._chosen is not None or self._blank
        return True

    @on(Input.Submitted)
    def _start_now(self, event: Input.Submitted) -> None:
        self._create(event.value, plan_first=False)

    def action_plan_first(self) -> None:
        self._create(self.query_one(Input).value, plan_first=True)

    def _create(self, title: str, *, plan_first: bool) -> None:
        store, date = self.store, self._today.isoformat()
        try:
            if isinstance(self._chosen, Bank):
                conversation = conversation_from_bank(store, self._chosen, title, date=date)
            elif self._chosen is not None:
                conversation = store.duplicate_conversation(
                    self._chosen.id, as_template=True, title=title, date=date
                )
            elif self._blank:
                conversation = store.create_conversation(title, date=date)
            else:
                return
        except StoreError as error:
            self.notify(f"The conversation was not created: {one_line(str(error))}",
                        severity="error", markup=False)
            return
        self.dismiss(NewConversation(conversation.id, plan_first=plan_first))
