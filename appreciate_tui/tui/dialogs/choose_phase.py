"""p on a question: choose its phase of the 5-D cycle. Dismisses with the phase, or None."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from appreciate_tui.domain import Phase
from appreciate_tui.reports.questions import PHASE_PURPOSE
from appreciate_tui.text import one_line
from appreciate_tui.tui.dialogs.picker import PickerScreen
from appreciate_tui.tui.keys import key_hint
from appreciate_tui.tui.themes import PHASE_VARIABLES


def phase_option(phase: Phase) -> Option:
    return Option(
        Content.assemble(
            ("▌", f"${PHASE_VARIABLES[phase]}"),
            (f" {phase.label:<9}", "bold"),
            (PHASE_PURPOSE[phase], "$text-muted"),
        ),
        id=phase.value,
    )


class ChoosePhaseScreen(PickerScreen[Phase | None]):
    DEFAULT_CSS = """
    ChoosePhaseScreen > #choose-phase { width: 60; max-width: 95%; height: auto; }
    ChoosePhaseScreen #phases { height: auto; border: none; padding: 0; }
    ChoosePhaseScreen #choose-phase-question { color: $text-muted; margin-bottom: 1; }
    ChoosePhaseScreen #choose-phase-hint { color: $text-muted; margin-top: 1; }
    """
    HELP: ClassVar[str] = "plan.md#Questions"  # where F1 opens the help
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", tooltip="Keep the phase as it was",
                id="choose_phase.cancel"),
    ]

    def __init__(self, question: str, current: Phase, *, title: str = "Which phase?") -> None:
        super().__init__(title, frame_id="choose-phase")
        self._question = question
        self._current = current

    def above(self) -> Iterable[Widget]:
        yield Static(one_line(self._question, 160), id="choose-phase-question", markup=False)

    def choices(self) -> OptionList:
        return OptionList(*(phase_option(phase) for phase in Phase), id="phases")

    def below(self) -> Iterable[Widget]:
        yield Static(
            key_hint(self.app, self, ("Enter", "choose"), ("{choose_phase.cancel}", "cancel")),
            id="choose-phase-hint",
        )

    def start_at(self, choices: OptionList) -> None:
        choices.highlighted = self._current.order

    def chosen(self, option_id: str | None) -> None:
        if option_id is not None:
            self.dismiss(Phase(option_id))
