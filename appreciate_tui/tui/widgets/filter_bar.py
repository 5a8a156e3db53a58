"""One line above the conversations saying how they are filtered: status, agency, dates.

Each part shows what it is set to and can be chosen (Enter, or a click) to change it; the screen
decides how (a list to pick from, two dates to type). Light on purpose: it is on the first screen,
and every widget there is paid for before the conversations appear.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from appreciate_tui.tui.state.browser import Filter
from appreciate_tui.text import one_line
from appreciate_tui.wording import short_date

PARTS = ("status", "agency", "dates")


class FilterPart(Static, can_focus=True):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,space", "change", "Change", show=False),
        Binding("left", "app.focus_previous", "Previous", show=False),
        Binding("right", "app.focus_next", "Next", show=False),
    ]

    def __init__(self, part: str) -> None:
        super().__init__(id=f"filter-{part}", classes="filter-part")
        self.part = part

    def action_change(self) -> None:
        self.post_message(FilterBar.Change(self.part))

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.focus()
        self.action_change()


class FilterBar(Horizontal):
    class Change(Message):
        """The facilitator wants to change one part of the filter: `status`, `agency` or `dates`."""

        def __init__(self, part: str) -> None:
            super().__init__()
            self.part = part

    def compose(self) -> ComposeResult:
        for part in PARTS:
            yield FilterPart(part)
        yield Static(id="filter-count", markup=False)

    def focus_first(self) -> None:
        self.query_one(FilterPart).focus()

    def show(self, filter: Filter, shown: int, total: int) -> None:
        status = filter.status.value if filter.status is not None else "any"
        agency = one_line(filter.agency) if filter.agency is not None else "any"
        self._set("status", "Status", status, filter.status is not None)
        self._set("agency", "Agency", agency, filter.agency is not None)
        self._set("dates", "Dates", dates_label(filter), bool(filter.date_from or filter.date_to))
        self.query_one("#filter-count", Static).update(
            f"{total:,} in all" if shown == total else f"{shown:,} of {total:,}"
        )

    def _set(self, part: str, name: str, value: str, active: bool) -> None:
        shown = self.query_one(f"#filter-{part}", FilterPart)
        shown.set_class(active, "-active")
        shown.update(Content.assemble(
            (f"{name} ", "$text-muted"), (value, "bold" if active else ""), (" ▾", "$text-muted")
        ))


def dates_label(filter: Filter) -> str:
    if filter.date_from and filter.date_to:
        return f"{short_date(filter.date_from)} – {short_date(filter.date_to)}"
    if filter.date_from:
        return f"from {short_date(filter.date_from)}"
    if filter.date_to:
        return f"to {short_date(filter.date_to)}"
    return "any"
