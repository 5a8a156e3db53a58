"""A short list to choose one thing from: a question to go to, a part of the record to copy.

Dismisses with the chosen option's id, or None when the facilitator changed their mind.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from appreciate_tui.tui.dialogs.picker import PickerScreen
from appreciate_tui.tui.keys import with_keys


class PickScreen(PickerScreen[str | None]):
    DEFAULT_CSS = """
    PickScreen > #pick { width: 90%; max-width: 100; height: auto; max-height: 90%; }
    PickScreen #pick-options { height: auto; max-height: 30; border: none; padding: 0;
                               background: $surface; text-wrap: nowrap; text-overflow: ellipsis; }
    PickScreen #pick-hint { color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", tooltip="Choose nothing", id="pick.cancel"),
    ]

    def __init__(
        self, title: str, options: Sequence[tuple[str, Content]], *, highlighted: str | None = None,
        hint: str = "Enter chooses · {pick.cancel} cancels",
    ) -> None:
        """`options` are (id, label) pairs; labels are built from escaped text. In `hint`,
        `{pick.cancel}` is written as the key that cancels (`keys.with_keys`)."""
        super().__init__(title, frame_id="pick")
        self._options = [Option(label, id=key) for key, label in options]
        self._highlighted = highlighted
        self._hint = hint

    def choices(self) -> OptionList:
        return OptionList(*self._options, id="pick-options", markup=False)

    def below(self) -> Iterable[Widget]:
        yield Static(with_keys(self._hint, self.app, self), id="pick-hint", markup=False)

    def start_at(self, choices: OptionList) -> None:
        if self._highlighted is not None:
            try:
                choices.highlighted = choices.get_option_index(self._highlighted)
            except LookupError:
                pass  # not among the options: the first one stays highlighted

    def chosen(self, option_id: str | None) -> None:
        self.dismiss(option_id)
