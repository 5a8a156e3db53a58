"""The range of dates the conversations list shows: a first and a last date, either may be blank.

Dates may be written in part: `2025` is the whole year, `2025-03` the whole month. Dismisses with
(first, last) as ISO dates (None for no bound), or None when the facilitator changed their mind.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from appreciate_tui.tui.keys import with_keys
from appreciate_tui.tui.state.browser import date_bound
from appreciate_tui.tui.widgets.text_fields import TextInput

DateRange = tuple[str | None, str | None]
HINT = "A year (2025), a month (2025-03) or a day (2025-03-12); blank for no limit."


class DateRangeScreen(ModalScreen[DateRange | None]):
    DEFAULT_CSS = """
    DateRangeScreen > #date-range { width: 60; max-width: 95%; height: auto; }
    DateRangeScreen .date-row { height: 1; margin-bottom: 1; }
    DateRangeScreen .date-label { width: 8; color: $text-muted; }
    DateRangeScreen Input { width: 16; }
    DateRangeScreen #date-problem { color: $error; height: auto; }
    DateRangeScreen #date-hint { color: $text-muted; }
    """
    HELP: ClassVar[str] = "home.md#Filters"  # where F1 opens the help
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", tooltip="Leave the dates as they were",
                id="date_range.cancel"),
    ]

    def __init__(self, first: str | None, last: str | None) -> None:
        super().__init__()
        self._first = first or ""
        self._last = last or ""

    def compose(self) -> ComposeResult:
        with Vertical(id="date-range", classes="dialog"):
            yield Static("Show conversations held", classes="dialog-title")
            with Horizontal(classes="date-row"):
                yield Static("From", classes="date-label")
                # A date is changed for another date, not edited: typing replaces it.
                yield TextInput(self._first, id="date-from", compact=True, placeholder="any",
                                select_on_focus=True)
            with Horizontal(classes="date-row"):
                yield Static("To", classes="date-label")
                yield TextInput(self._last, id="date-to", compact=True, placeholder="any",
                                select_on_focus=True)
            yield Static(id="date-problem", markup=False)
            yield Static(
                with_keys(f"{HINT}\nEnter shows them · {{date_range.cancel}} cancels",
                          self.app, self),
                id="date-hint", markup=False,
            )

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "date-from" and not self.query_one("#date-to", Input).value:
            self.query_one("#date-to", Input).focus()
            return
        try:
            first = date_bound(self.query_one("#date-from", Input).value, end=False)
            last = date_bound(self.query_one("#date-to", Input).value, end=True)
        except ValueError as error:
            self.query_one("#date-problem", Static).update(f"{str(error).capitalize()}.")
            return
        if first and last and first > last:
            self.query_one("#date-problem", Static).update("The first date is after the last.")
            return
        self.dismiss((first, last))
