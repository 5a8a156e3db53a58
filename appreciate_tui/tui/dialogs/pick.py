"""A short list to choose one thing from: a question to go to, a part of the record to copy.

Dismisses with the chosen option's id, or None when the facilitator changed their mind.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option


class PickScreen(ModalScreen[str | None]):
    DEFAULT_CSS = """
    PickScreen > #pick { width: 90%; max-width: 100; height: auto; max-height: 90%; }
    PickScreen #pick-options { height: auto; max-height: 30; border: none; padding: 0;
                               background: $surface; text-wrap: nowrap; text-overflow: ellipsis; }
    PickScreen #pick-hint { color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", tooltip="Choose nothing"),
    ]

    def __init__(
        self, title: str, options: Sequence[tuple[str, Content]], *, highlighted: str | None = None,
        hint: str = "Enter chooses · Escape cancels",
    ) -> None:
        """`options` are (id, label) pairs; labels are built from escaped text."""
        super().__init__()
        self._title = title
        self._options = [Option(label, id=key) for key, label in options]
        self._highlighted = highlighted
        self._hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(id="pick", classes="dialog"):
            yield Static(self._title, classes="dialog-title", markup=False)
            yield OptionList(*self._options, id="pick-options", markup=False)
            yield Static(self._hint, id="pick-hint", markup=False)

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        if self._highlighted is not None:
            try:
                options.highlighted = options.get_option_index(self._highlighted)
            except LookupError:
                pass  # not among the options: the first one stays highlighted
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option_id)
