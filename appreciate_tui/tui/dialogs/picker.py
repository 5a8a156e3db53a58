"""The frame every short choosing dialog shares: a title, a line saying what the choice is for (when
there is one), the list to choose from, with the focus and the option to start at highlighted, and
a hint (or buttons) under it. Escape is each picker's own binding, since what it leaves unchanged
differs ("Choose nothing", "Keep the phase as it was").

A picker says what its list is (`choices`), what goes above and below it, and what choosing an
option means (`chosen`, for an option list; a selection list saves with its own key instead).
The pickers: `pick.PickScreen` (a question to go to, a part of the record), `choose_phase`
(a question's phase), `outcome_picker` (the outcome areas of a note or action). The bank picker
(two lists and a preview) and the date range (two fields) are dialogs of their own.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import OptionList, Static

Picked = TypeVar("Picked")


class PickerScreen(ModalScreen[Picked]):
    def __init__(self, title: str, *, frame_id: str) -> None:
        """`frame_id`: the id of the dialog's frame, which the picker's CSS sizes."""
        super().__init__()
        self._title = title
        self._frame_id = frame_id

    def compose(self) -> ComposeResult:
        with Vertical(id=self._frame_id, classes="dialog"):
            yield Static(self._title, classes="dialog-title", markup=False)
            yield from self.above()
            yield self.choices()
            yield from self.below()

    def above(self) -> Iterable[Widget]:
        """Between the title and the list: what the choice is for. Nothing by default."""
        return ()

    def choices(self) -> OptionList:
        raise NotImplementedError

    def below(self) -> Iterable[Widget]:
        """Under the list: the hint, buttons."""
        return ()

    def start_at(self, choices: OptionList) -> None:
        """Highlight the option the list opens at; the first one by default."""

    def chosen(self, option_id: str | None) -> None:
        """Enter (or a click) on an option of an option list."""

    def on_mount(self) -> None:
        choices = self.query_one(OptionList)
        self.start_at(choices)
        choices.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.chosen(event.option_id)
