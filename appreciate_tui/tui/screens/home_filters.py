"""The conversations list's filters and sorts: the filter line's choices (status, agency, dates),
the sort keys and a click on a column's header. What they let through, and in what order, is
worked out in tui/state/browser.py; the list itself is the home screen's (home.py).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from textual import on
from textual.content import Content

from appreciate_tui.domain import ConversationStatus
from appreciate_tui.text import one_line
from appreciate_tui.tui.screens.base import StoreScreen
from appreciate_tui.tui.state.browser import Filter, Sort, in_usual_order
from appreciate_tui.tui.widgets.conversation_table import ConversationTable
from appreciate_tui.tui.widgets.filter_bar import FilterBar

if TYPE_CHECKING:
    from appreciate_tui.tui.state.browser import Listing


class FiltersAndSorts(StoreScreen):
    """Changing what the list shows, and its order (HomeScreen holds the list)."""

    _filter: Filter
    _sort: Sort

    if TYPE_CHECKING:
        def _show_table(self, rows: Listing | None = None) -> None: ...

    def filter_by(self, **changes: object) -> None:
        """Change some parts of the filter (`status`, `agency`, `date_from`, `date_to`)."""
        self._filter = replace(self._filter, **changes)  # type: ignore[arg-type]
        self._show_table()

    @on(FilterBar.Change)
    def _change_filter(self, event: FilterBar.Change) -> None:
        from appreciate_tui.tui.dialogs.pick import PickScreen

        if event.part == "dates":
            from appreciate_tui.tui.dialogs.date_range import DateRange, DateRangeScreen

            def dated(chosen: DateRange | None) -> None:
                if chosen is not None:
                    self.filter_by(date_from=chosen[0], date_to=chosen[1])

            self.app.push_screen(
                DateRangeScreen(self._filter.date_from, self._filter.date_to), dated
            )
            return
        if event.part == "status":
            options = [("any", Content("Any status"))] + [
                (status.value, Content(status.value.capitalize())) for status in ConversationStatus
            ]
            current = self._filter.status.value if self._filter.status else "any"

            def chosen_status(value: str | None) -> None:
                if value is not None:
                    self.filter_by(status=None if value == "any" else ConversationStatus(value))

            self.app.push_screen(PickScreen("Show conversations that are", options,
                                            highlighted=current), chosen_status)
            return
        agencies = in_usual_order(self.store.agencies_taking_part())
        options = [("any", Content("Any agency"))] + [
            (str(n), Content(one_line(agency))) for n, agency in enumerate(agencies)
        ]
        current = (str(agencies.index(self._filter.agency))
                   if self._filter.agency in agencies else "any")

        def chosen_agency(value: str | None) -> None:
            if value is not None:
                self.filter_by(agency=None if value == "any" else agencies[int(value)])

        self.app.push_screen(PickScreen("Show conversations where this agency took part",
                                        options, highlighted=current), chosen_agency)

    @on(ConversationTable.HeaderClicked)
    def _header_clicked(self, event: ConversationTable.HeaderClicked) -> None:
        self._sort = self._sort.by(event.column)
        self._show_table()

    def action_sort(self) -> None:
        self._sort = self._sort.next_column()
        self._show_table()

    def sort_by(self, column: str) -> None:
        self._sort = Sort.natural(column)
        self._show_table()

    def action_reverse_sort(self) -> None:
        self._sort = self._sort.reversed()
        self._show_table()

    def action_filter(self) -> None:
        self.query_one(FilterBar).focus_first()
