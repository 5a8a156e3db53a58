"""a on the plan's questions: add questions from any bank.

Browse the banks (top), tick questions in each (space), read the highlighted one in full with its
probes (bottom), then `a` adds every ticked question, from as many banks as wanted, each at the
end of its phase in the plan. Questions the plan already has are shown but cannot be ticked twice.
Dismisses with the chosen questions, or None.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, SelectionList, Static
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from appreciate_tui.banks.loader import Bank, BankQuestion, load_banks
from appreciate_tui.text import one_line, printable
from appreciate_tui.tui.keys import key_hint, with_keys
from appreciate_tui.tui.themes import PHASE_VARIABLES
from appreciate_tui.wording import plural

Chosen = tuple[str, int]
"""A bank's id and the question's place in that bank's phase order."""


class BankPickerScreen(ModalScreen[list[BankQuestion] | None]):
    DEFAULT_CSS = """
    BankPickerScreen > #bank-picker { width: 95%; max-width: 120; height: 95%; }
    BankPickerScreen #bank-picker .dialog-title { padding-bottom: 0; }
    BankPickerScreen #picker-banks { height: auto; max-height: 6; border: none; padding: 0; }
    BankPickerScreen #picker-bank-title {
        height: 1; margin-top: 1; text-wrap: nowrap; text-overflow: ellipsis;
    }
    BankPickerScreen #picker-questions { height: 1fr; border: none; padding: 0; }
    BankPickerScreen #picker-preview {
        height: auto; max-height: 6; padding: 0 1; background: $panel; overflow-y: auto;
    }
    BankPickerScreen #picker-hint { height: 1; color: $text-muted; margin-top: 1; }
    """
    HELP: ClassVar[str] = "plan.md#Questions"  # where F1 opens the help
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add chosen", tooltip="Add every ticked question to the plan",
                id="bank_picker.add"),
        Binding("escape", "dismiss(None)", "Cancel", tooltip="Add nothing",
                id="bank_picker.cancel"),
    ]

    def __init__(self, in_plan: Collection[str]) -> None:
        """`in_plan`: the texts of the questions the plan has already."""
        super().__init__()
        self._in_plan = {text.casefold() for text in in_plan}
        self._banks, self._errors = load_banks()
        self._bank: Bank | None = None
        self._chosen: dict[Chosen, None] = {}
        """Ticked questions in every bank, in the order they were ticked."""

    def compose(self) -> ComposeResult:
        with Vertical(id="bank-picker", classes="dialog"):
            yield Static("Add questions from a bank", classes="dialog-title")
            yield OptionList(*(self._bank_option(bank) for bank in self._banks), id="picker-banks")
            yield Static(id="picker-bank-title", classes="picker-label")
            yield SelectionList[Chosen](id="picker-questions")
            yield Static(id="picker-preview")
            yield Static(id="picker-hint")

    def on_mount(self) -> None:
        if self._errors:
            self.notify(
                "\n".join(one_line(str(error)) for error in self._errors[:3])
                + "\n`appreciate bank check FILE` explains each one.",
                title="Some question banks could not be read", severity="warning",
                timeout=12, markup=False,
            )
        if not self._banks:
            self.query_one("#picker-preview", Static).update(
                "No question banks were found. `appreciate locate` prints the banks folder."
            )
        self._show_hint()
        banks = self.query_one("#picker-banks", OptionList)
        banks.focus()
        if self._banks:
            banks.highlighted = 0

    # ------------------------------------------------------------------ banks

    def _bank_option(self, bank: Bank) -> Option:
        count = len(bank.questions)
        chosen = sum(1 for bank_id, _ in self._chosen if bank_id == bank.id)
        facts = f"  {plural(count, 'question')}"
        facts += "  · yours" if bank.user else ""
        return Option(
            Content.assemble(
                (one_line(bank.title), "bold"),
                (facts, "$text-muted"),
                (f"  · {chosen} ticked" if chosen else "", "bold $accent"),
            ),
            id=bank.id,
        )

    @on(OptionList.OptionHighlighted, "#picker-banks")
    def _bank_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        bank = next((b for b in self._banks if b.id == event.option_id), None)
        if bank is None or bank is self._bank:
            return
        self._bank = bank
        self.query_one("#picker-bank-title", Static).update(
            Content.assemble(
                ("Questions in ", "$text-muted"),
                (one_line(bank.title), "bold"),
                (f"  {one_line(bank.topic)}" if bank.topic else "", "italic $text-muted"),
            )
        )
        questions = self.query_one("#picker-questions", SelectionList)
        questions.clear_options()
        in_order = bank.questions_in_phase_order()
        questions.add_options([self._selection(bank, i, q) for i, q in enumerate(in_order)])
        free = [i for i, q in enumerate(in_order) if q.text.casefold() not in self._in_plan]
        if free:
            questions.highlighted = free[0]

    @on(OptionList.OptionSelected, "#picker-banks")
    def _bank_chosen(self) -> None:
        self.query_one("#picker-questions", SelectionList).focus()

    # ------------------------------------------------------------------ questions

    def _selection(self, bank: Bank, index: int, question: BankQuestion) -> Selection[Chosen]:
        there = question.text.casefold() in self._in_plan
        prompt = Content.assemble(
            (f"{question.phase.label:<9}", f"bold ${PHASE_VARIABLES[question.phase]}"),
            ("in the plan: " if there else "", "italic $text-muted"),
            (printable(question.text, keep_newlines=False), "$text-muted" if there else ""),
        )
        key = (bank.id, index)
        return Selection(prompt, key, key in self._chosen, disabled=there)

    @on(SelectionList.SelectedChanged, "#picker-questions")
    def _ticked(self, event: SelectionList.SelectedChanged[Chosen]) -> None:
        if self._bank is None:
            return
        ticked = set(event.selection_list.selected)
        for key in [key for key in self._chosen if key[0] == self._bank.id and key not in ticked]:
            del self._chosen[key]
        for key in event.selection_list.selected:
            self._chosen.setdefault(key, None)
        banks = self.query_one("#picker-banks", OptionList)
        banks.replace_option_prompt(self._bank.id, self._bank_option(self._bank).prompt)
        self._show_hint()

    @on(SelectionList.SelectionHighlighted, "#picker-questions")
    def _preview(self, event: SelectionList.SelectionHighlighted[Chosen]) -> None:
        question = self._question(event.selection.value)
        if question is None:
            return
        lines: list[Content | tuple[str, str] | str] = [
            (f"{question.phase.label}  ", f"bold ${PHASE_VARIABLES[question.phase]}"),
            printable(question.text),
        ]
        for prompt in question.prompts:
            lines += ["\n", ("  · ", "$text-muted"), (printable(prompt), "italic $text-muted")]
        if question.scale:
            lines += ["\n", ("  A 0–10 scaling question.", "$text-muted")]
        self.query_one("#picker-preview", Static).update(Content.assemble(*lines))

    def _question(self, key: Chosen) -> BankQuestion | None:
        bank = next((b for b in self._banks if b.id == key[0]), None)
        if bank is None:
            return None
        return bank.questions_in_phase_order()[key[1]]

    def _show_hint(self) -> None:
        count = len(self._chosen)
        add = (
            key_hint(self.app, self, ("{bank_picker.add}", f"add {count} ticked")) if count
            else Content.styled(with_keys("{bank_picker.add} add ticked", self.app, self), "dim")
        )
        self.query_one("#picker-hint", Static).update(Content.assemble(
            key_hint(self.app, self, ("Space", "tick")), "   ", add, "   ",
            key_hint(self.app, self, ("Tab", "banks ↔ questions"),
                     ("{bank_picker.cancel}", "cancel")),
        ))

    def action_add(self) -> None:
        if not self._chosen:
            self.notify("Tick questions with Space first (Tab moves to the questions).",
                        markup=False)
            return
        by_bank = {bank.id: bank.questions_in_phase_order() for bank in self._banks}
        order = {bank.id: place for place, bank in enumerate(self._banks)}
        chosen = sorted(self._chosen, key=lambda key: (order[key[0]], key[1]))
        self.dismiss([by_bank[bank_id][index] for bank_id, index in chosen])
