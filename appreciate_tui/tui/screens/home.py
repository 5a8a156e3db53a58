"""The first screen: every conversation, to browse, filter, sort and search, and to act on.

A table of conversations (newest first) under a line of filters, with the highlighted one
described below it. Typing in the search box swaps the table for what matches in everything
written about every conversation (notes, questions, titles, key learning, absence reasons,
actions, feedback), found by a thread of its own (tui/state/note_search.py) so the screen never
waits for it. Enter facilitates a planned or live conversation and reviews a closed one; the other
actions have a key each, named in the footer. The filters and sorts are in home_filters.py.

The first frame shows a screenful read by a query as short as the screen; the order of the others
is read when a key first goes beyond them, and their rows as they scroll into view
(tui/state/browser.Listing), so the list opens as quickly on ten thousand conversations as on ten.
Each filter's and sort's order is worked out from what was read once (browser.Orders) until
something is written, so changing them costs a pass over the ids, not a query.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.events import Key, ScreenResume
from textual.message import Message
from textual.widgets import ContentSwitcher, Input, Static
from textual.worker import Worker, WorkerState

from appreciate_tui import domain
from appreciate_tui.tui.state.browser import SORT_KEYS, Filter, Listing, Orders, Sort
from appreciate_tui.domain import ConversationStatus, ConversationSummary, SearchHit
from appreciate_tui.store import StoreError
from appreciate_tui.store.search import KIND_LABELS
from appreciate_tui.text import one_line, printable
from appreciate_tui.tui.labels import OPEN_HINTS
from appreciate_tui.tui.state.note_search import LIMIT, NoteSearch
from appreciate_tui.tui.palette.home import HomeCommands
from appreciate_tui.tui.screens.home_filters import FiltersAndSorts
from appreciate_tui.tui.widgets.conversation_table import ConversationTable, agency_names
from appreciate_tui.tui.widgets.filter_bar import FilterBar
from appreciate_tui.tui.widgets.key_footer import KeyFooter
from appreciate_tui.tui.widgets.search_results import SearchResults, record_block
from appreciate_tui.tui.widgets.text_fields import TextInput
from appreciate_tui.wording import plural, short_date

EMPTY = (
    "No conversations yet.\n\n"
    "Press n to start one from a question bank.\n"
    "To look around an example first, run  appreciate demo  in a terminal."
)
NONE_MATCH = "No conversation matches these filters. Escape clears them."
CLOCK_SECONDS = 15
"""How often the clocks of live conversations in the list are drawn again."""
READ_ONLY_ACTIONS = frozenset({"plan", "wrap_up", "duplicate", "delete"})
"""What a read-only window cannot do (new is the app's, which says so itself)."""


def describe(summary: ConversationSummary) -> str:
    """A conversation named so it cannot be mistaken for another: title, date, status, notes."""
    conversation = summary.conversation
    notes = f"{plural(summary.notes, 'note')}"
    return (f"“{one_line(conversation.title)}”\n"
            f"{short_date(conversation.date)} · {conversation.status.value} · {notes}")


class HomeScreen(FiltersAndSorts):
    HELP: ClassVar[str] = "home.md"
    """The help F1 opens at (tui/help/)."""
    COMMANDS: ClassVar = {HomeCommands}
    AUTO_FOCUS = "#conversations"

    # Most used first: a narrow footer shows as many keys as fit, from the start (KeyFooter).
    BINDINGS: ClassVar[list[BindingType]] = [
        # What Enter does depends on the conversation; the line under the list says which.
        Binding("enter", "open", "Open",
                tooltip="Facilitate a planned or live conversation; read a closed one's record",
                id="home.open"),
        Binding("n", "app.new_conversation", "New",
                tooltip="Start a conversation: from a bank, an earlier one, or blank",
                id="home.new"),
        Binding("p", "plan", "Plan", tooltip="Plan the highlighted conversation", id="home.plan"),
        Binding("w", "wrap_up", "Wrap up",
                tooltip="Actions, escalations, feedback and learning, after the meeting",
                id="home.wrap_up"),
        Binding("r", "review", "Review", show=False,
                tooltip="Read the record of the highlighted conversation, whatever its status",
                id="home.review"),
        Binding("slash", "search", "Search",
                tooltip="Search everything written in every conversation", id="home.search"),
        Binding("i", "app.insights", "Insights",
                tooltip="What every conversation says together: stances, themes, actions, voices",
                id="home.insights"),
        Binding("f", "filter", "Filter", tooltip="Filter by status, agency and dates",
                id="home.filter"),
        Binding("s", "sort", "Sort", tooltip="Sort by the next column", id="home.sort"),
        Binding("S", "reverse_sort", "Reverse", tooltip="Reverse the order", id="home.reverse"),
        Binding("d", "duplicate", "Duplicate",
                tooltip="Copy the highlighted conversation's plan into a new one",
                id="home.duplicate"),
        Binding("delete", "delete", "Delete",
                tooltip="Move the highlighted conversation to the bin", id="home.delete"),
        Binding("b", "bin", "Bin", tooltip="Deleted conversations, to restore or erase",
                id="home.bin"),
        Binding("escape", "clear", "Clear", tooltip="Clear the search, then the filters",
                id="home.clear"),
    ]

    class SearchFound(Message):
        def __init__(self, query: str, hits: list[SearchHit]) -> None:
            super().__init__()
            self.query = query
            self.hits = hits

    class SearchFailed(Message):
        def __init__(self, reason: str) -> None:
            super().__init__()
            self.reason = reason

    def __init__(self, selected: str | None = None) -> None:
        super().__init__()
        self._selected = selected
        self._total = 0
        """How many conversations are out of the bin."""
        self._by_id: dict[str, ConversationSummary] = {}
        """The conversations of the search matches on screen."""
        self._filter = Filter()
        self._sort = Sort()
        self._orders = Orders(lambda column: self.store.conversation_catalogue(column),
                              lambda: self.store.changes(), self._ask_order)
        """Each filter's and sort's order, worked out from what was read while nothing changes."""
        self._described: tuple[str, object] | None = None
        self._bar_shown: tuple[Filter, int, int] | None = None
        """What the filter line says now."""
        self._seen_up_to: str | None = None
        """The newest change to any conversation when the list was last read (None: never)."""
        self._search: NoteSearch | None = None
        self._search_worker: Worker[None] | None = None
        self._query = ""
        self.results_for: str | None = None
        """The search whose matches are on screen."""
        # What a search found replaces the list; built the first time something is searched for.
        self._results_heading = Static(id="results-heading")
        self._results = SearchResults(id="hits")

    @property
    def table(self) -> ConversationTable:
        return self.query_one("#conversations", ConversationTable)

    @property
    def results(self) -> SearchResults:
        return self._results

    @property
    def searching(self) -> bool:
        return bool(self._query)

    # ------------------------------------------------------------------ building and loading

    def compose(self) -> ComposeResult:
        with Horizontal(id="home-bar"):
            yield Static(Content.from_markup("[b]appreciate[/b]  [dim]conversations[/]"),
                         id="home-title")
            yield TextInput(placeholder="/ search every conversation", compact=True, id="search")
        if self.store.read_only:
            yield self._read_only_banner()
        yield FilterBar(id="filters")
        with ContentSwitcher(initial="conversations", id="home-views"):
            yield ConversationTable(id="conversations")
        yield Static(id="conversation-detail")
        yield Static(EMPTY, id="empty", markup=False)
        yield KeyFooter()

    def _read_only_banner(self) -> Static:
        reason = self.store.read_only_reason or "the database is read-only"
        return Static(f"Read-only: {one_line(reason)}. You can look but not change anything.",
                      id="read-only", markup=False)

    def show_read_only(self) -> None:
        """The store turned read-only while this screen was up (its check found damage)."""
        if self.store.read_only and not self.query("#read-only"):
            self.mount(self._read_only_banner(), after="#home-bar")

    def on_screen_resume(self, _: ScreenResume) -> None:
        self.reload()

    def on_mount(self) -> None:
        # A live conversation's status carries its clock ("live 12m"): keep it moving.
        self.set_interval(CLOCK_SECONDS, self._move_clocks)

    def _move_clocks(self) -> None:
        if self.is_current and any(
            s.conversation.status is ConversationStatus.LIVE for s in self.table.rows.read_so_far()
        ):
            self.table.redraw()

    def on_unmount(self) -> None:
        if self._search is not None:
            self._search.stop()

    def reload(self) -> None:
        """Read the conversations again: one may have been planned, held, closed, made or binned.

        Coming back to the list, the cursor is on the conversation just worked on (made,
        facilitated, restored), or else where it was.
        """
        highlighted = self.table.highlighted
        self._total, latest_change = self.store.conversation_census()
        latest_change = latest_change or ""
        if self._seen_up_to is None:
            self._show_first_screenful()
        else:
            if self._selected is None:
                latest = (self.store.latest_conversation_change()
                          if latest_change > self._seen_up_to else None)
                if latest is not None:
                    self._selected = latest[0]
                elif highlighted is not None:
                    self._selected = highlighted.conversation.id
            self._show_table()
            if self.results_for is not None:
                self._by_id = self._summaries_of(hit.conversation_id for hit in self.results.hits)
        self._seen_up_to = latest_change
        if not self._orders.complete:
            # Once this frame is on screen, every column's order is read on a connection of its
            # own, so that the first filter or sort does not wait for it.
            self.call_after_refresh(self._prepare_orders_in_view, self.store.changes())
        self.set_class(not self._total, "-empty")
        if not self._total:
            self._say_where_they_went()

    def _show_first_screenful(self) -> None:
        """Starting: the newest conversations that fit on the screen, from a query as short as
        the screen. The order of the others is read when it is first needed (a key that goes
        beyond them, a sort, a filter)."""
        listing = None
        if self._selected is None and not self._filter.active and self._sort == Sort():
            first = self.store.conversation_summaries(limit=max(self.app.size.height, 1))
            listing = Listing(partial(self._order, self._filter, self._sort),
                              self.store.conversation_summaries, first=first, length=self._total)
        self._show_table(listing)
        self._show_detail()  # now, not when the table says so: the first layout has its height

    def _prepare_orders_in_view(self, seen: object) -> None:
        """Not beneath a conversation resumed at start, where the read (half a second at 10,000)
        would compete with the notes typed: `reload` asks again when the list is back in view."""
        if self.app.screen is self:  # (`is_current` is true beneath another screen too)
            self._prepare_orders(seen)

    @work(thread=True, exclusive=True, group="orders", exit_on_error=False)
    def _prepare_orders(self, seen: object) -> None:
        """Read what each column sorts on (`Orders.prepared`), by a thread on a read-only
        connection: most of the time is SQLite's, which leaves the screen free meanwhile. Each
        column is handed over as soon as it is read, the date first (the list's own order, and
        what every filter keeps), so a filter or sort made meanwhile seldom reads it again."""
        reader = self.store.open_reader()
        try:
            for column in SORT_KEYS:
                rows = reader.conversation_catalogue(column)
                self.app.call_from_thread(self._orders.prepared, seen, {column: rows})
        finally:
            reader.close()

    def _order(self, filter: Filter, sort: Sort) -> list[str]:
        """The ids of the conversations `filter` lets through, in `sort`'s order."""
        return self._orders.ids(filter, sort)

    def _ask_order(self, filter: Filter, sort: Sort) -> list[str]:
        """The same, worked out by the store."""
        return sort.order(self.store.conversation_order(
            status=filter.status, agency=filter.agency, date_from=filter.date_from,
            date_to=filter.date_to, by=sort.column, oldest_first=sort.oldest_first,
        ))

    def _summaries_of(self, conversation_ids: Iterable[str]) -> dict[str, ConversationSummary]:
        ids = list(dict.fromkeys(conversation_ids))
        return ({s.conversation.id: s for s in self.store.conversation_summaries(ids)}
                if ids else {})

    def _say_where_they_went(self) -> None:
        """With none in the list, the first thing to know is whether some are in the bin."""
        binned = self.store.conversation_count(binned=True)
        in_bin = (
            f"\n\n{binned} deleted conversation{'s are' if binned != 1 else ' is'} in the bin: "
            "press b to see or restore them."
            if binned else ""
        )
        self.query_one("#empty", Static).update(EMPTY + in_bin)

    def _show_table(self, rows: Listing | None = None) -> None:
        if rows is None:
            rows = Listing(self._order(self._filter, self._sort),
                           self.store.conversation_summaries)
        keep = self._selected
        if keep is None and self.table.highlighted is not None:
            keep = self.table.highlighted.conversation.id
        self._selected = None
        self.table.show(rows, self._sort, keep=keep)
        # Drawn again only when it says something else: each change of its parts asks for a
        # layout of the whole screen, which a change of sort alone does not need.
        bar = (self._filter, len(rows), self._total)
        if bar != self._bar_shown:
            self.query_one(FilterBar).show(*bar)
            self._bar_shown = bar

    # ------------------------------------------------------------------ what is highlighted

    @property
    def highlighted(self) -> ConversationSummary | None:
        """What the keys act on: the highlighted conversation, or while a search is showing, the
        conversation of the highlighted match."""
        if not self.searching:
            return self.table.highlighted
        hit = self.results.highlighted_hit
        return self._by_id.get(hit.conversation_id) if hit is not None else None

    def _describe(self, content: Content | str) -> None:
        """Say `content` in the lines under the list, unless they say it already: a change of
        sort or filter highlights the same conversation again, and each update of those lines
        asks for a layout of the whole screen."""
        said = Content(content) if isinstance(content, str) else content
        if (said.plain, said.spans) != self._described:
            self._described = (said.plain, said.spans)
            self.query_one("#conversation-detail", Static).update(said)

    @on(ConversationTable.Highlighted)
    def _show_detail(self) -> None:
        summary = self.table.highlighted
        if summary is None:
            self._describe(NONE_MATCH if self._total else "")
            return
        conversation = summary.conversation
        facts = [short_date(conversation.date), conversation.status.value,
                 f"{plural(summary.notes, 'note')}"]
        if summary.open_actions:
            facts.append(plural(summary.open_actions, "open action"))
        facts += [one_line(f) for f in (conversation.setting, conversation.facilitator) if f]
        present = "invited" if conversation.status is ConversationStatus.PLANNED else "took part"
        agencies = (f"{agency_names(summary.agencies)} {present}" if summary.agencies
                    else "No agencies recorded yet")
        self._describe(
            Content.assemble(
                (one_line(conversation.title), "bold"), "\n",
                (one_line(conversation.topic) or "No topic question yet.", "italic"), "\n",
                (" · ".join(facts), "$text-muted"), "\n",
                (one_line(agencies), "$text-muted"), "\n",
                (OPEN_HINTS[conversation.status], "$accent"),
            )
        )

    @on(SearchResults.Highlighted)
    def _show_hit(self, event: SearchResults.Highlighted) -> None:
        hit = event.hit
        if hit is None:
            self._describe("")
            return
        summary = self._by_id.get(hit.conversation_id)
        try:
            said = self._said(hit)
        except StoreError:
            said = ""
        where = [one_line(hit.conversation_title)]
        if summary is not None:
            where += [short_date(summary.conversation.date), summary.conversation.status.value]
        about = hit.question if hit.kind in ("note", "question", "conversation") else " · ".join(
            part for part in (KIND_LABELS.get(hit.kind, hit.kind).capitalize(), hit.place) if part
        )
        self._describe(
            Content.assemble(
                (" · ".join(where), "bold"), "\n",
                (one_line(about), "italic"), "\n" if said else "",
                printable(said), "\n",
                ("Enter opens it in the record of the conversation", "$accent"),
            )
        )

    def _said(self, hit: SearchHit) -> str:
        """All of what matched, beside the snippet: the note, action, reason, comment, learning."""
        if hit.note_id is not None:
            return self.store.get_note(hit.note_id).body
        if hit.item_id is None:
            return (self.store.get_conversation(hit.conversation_id).key_learning
                    if hit.kind == "key_learning" else "")
        if hit.kind == "action":
            return self.store.get_action(hit.item_id).description
        if hit.kind == "feedback":
            return self.store.get_feedback(hit.item_id).comments
        if hit.kind == "absence":
            return self.store.get_participant(hit.item_id).absence_reason
        return ""

    # ------------------------------------------------------------------ clearing

    def action_clear(self) -> None:
        if self.searching or self.query_one("#search", Input).has_focus:
            self.query_one("#search", Input).value = ""
            self.table.focus()
        elif self._filter.active:
            self._filter = Filter()
            self._show_table()
            self.table.focus()
        else:
            self.table.focus()

    # ------------------------------------------------------------------ searching

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._query = event.value.strip()
        switcher = self.query_one(ContentSwitcher)
        was_searching = switcher.current == "search-view"
        if not self._query:
            switcher.current = "conversations"
            self._show_detail()
            return
        if not switcher.query("#search-view"):
            switcher.mount(Vertical(self._results_heading, self._results, id="search-view"))
        switcher.current = "search-view"
        # One line, whatever it says (home.tcss): no layout of the screen at every keystroke,
        # which would hold up the search thread.
        self._results_heading.update(
            Content.styled(f"Searching for “{one_line(self._query)}”…", "$text-muted"),
            layout=not was_searching,
        )
        if self._search is None or not self._search.ask(self._query):
            # None yet, or its thread has ended (it says why, and its worker may not have
            # said so yet): a new one, asked at once.
            self._search = NoteSearch(
                self.store,
                found=lambda query, hits: self.post_message(self.SearchFound(query, hits)),
                failed=lambda reason: self.post_message(self.SearchFailed(reason)),
            )
            self._search_worker = self._run_search(self._search)
            self._search.ask(self._query)

    @work(thread=True, exit_on_error=False, name="note search")
    def _run_search(self, search: NoteSearch) -> None:
        search.run()

    @on(Worker.StateChanged)
    def _search_stopped(self, event: Worker.StateChanged) -> None:
        # A searching thread that failed is replaced by a new one at the next keystroke.
        if event.worker is self._search_worker and event.state is WorkerState.ERROR:
            self._search = None
            self.notify("The search stopped working; type again to start it afresh.",
                        severity="error", markup=False)

    @on(SearchFound)
    def _search_found(self, event: SearchFound) -> None:
        if event.query != self._query:
            return  # the box has moved on; its own answer is on the way
        count = len(event.hits)
        heading = (
            f"Nothing matches “{one_line(event.query)}” in any conversation."
            if not count
            else f"{count}{'+' if count >= LIMIT else ''} match{'es' if count != 1 else ''} for "
            f"“{one_line(event.query)}”, best first · Enter opens one · Escape goes back"
        )
        self._results_heading.update(Content.styled(heading, "$text-muted"), layout=False)
        self._by_id = self._summaries_of(hit.conversation_id for hit in event.hits)
        self.results.show(event.hits, self._by_id)
        self.results_for = event.query
        if not count:
            self._describe("")

    @on(SearchFailed)
    def _search_failed(self, event: SearchFailed) -> None:
        self.notify(f"The search could not be run: {one_line(event.reason)}", severity="error",
                    markup=False)

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.searching:
            self.results.focus()

    def on_key(self, event: Key) -> None:
        # Down from the search box goes into what it found, as in any search field.
        if event.key == "down" and self.searching and self.query_one("#search", Input).has_focus:
            event.stop()
            self.results.focus()

    @on(SearchResults.Chosen)
    def _hit_chosen(self, event: SearchResults.Chosen) -> None:
        hit = event.hit
        self._review(hit.conversation_id, note_id=hit.note_id, question_id=hit.question_id,
                     at=record_block(hit), query=self._query)

    # ------------------------------------------------------------------ acting on a conversation

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # The same answers whatever is highlighted or searched for: the footer rebuilds itself
        # whenever they may have changed, slowly enough to hold up the search thread. An action
        # that does not apply to the highlighted conversation says why when asked.
        if action in READ_ONLY_ACTIONS and self.store.read_only:
            return None
        return True

    def action_open(self) -> None:
        summary = self.highlighted
        if summary is None:
            return
        if summary.conversation.status is ConversationStatus.CLOSED:
            self._review(summary.conversation.id)
        else:
            self.app.open_conversation(summary.conversation.id)

    @on(ConversationTable.Chosen)
    def _chosen(self) -> None:
        self.action_open()

    def action_review(self) -> None:
        summary = self.highlighted
        if summary is not None:
            self._review(summary.conversation.id)

    def _review(self, conversation_id: str, **at: str | None) -> None:
        from appreciate_tui.tui.screens.review import ReviewScreen

        self.app._show_over_list(ReviewScreen(conversation_id, **at))

    def action_plan(self) -> None:
        summary = self.highlighted
        if summary is None:
            return
        if summary.conversation.status is ConversationStatus.CLOSED:
            self.notify("This conversation is closed: its plan is part of its record (Enter). "
                        "To plan another like it, press d.", markup=False)
            return
        self.app.plan_conversation(summary.conversation.id)

    def action_wrap_up(self) -> None:
        summary = self.highlighted
        if summary is None:
            return
        if summary.conversation.status is ConversationStatus.PLANNED:
            self.notify("This conversation has not been held yet: there is nothing to wrap up.",
                        markup=False)
            return
        self.app.wrap_up_conversation(summary.conversation.id)

    def action_duplicate(self) -> None:
        summary = self.highlighted
        if summary is None:
            return
        source = summary.conversation
        copy = self.save(lambda: self.store.duplicate_conversation(
            source.id, as_template=False, title=f"{source.title} (copy)",
            date=domain.now().astimezone().date().isoformat(),
        ), failed="Nothing was copied")
        if copy is None:
            return
        self._selected = copy.id
        self.reload()
        self.notify(f"Planned a copy: {one_line(copy.title)}. Press p to plan it.",
                    timeout=6, markup=False)

    def action_delete(self) -> None:
        summary = self.highlighted
        if summary is None:
            return
        from appreciate_tui.tui.dialogs.confirm import ConfirmScreen

        def answered(delete: bool | None) -> None:
            if delete:
                self._delete(summary)

        live = summary.conversation.status is ConversationStatus.LIVE
        self.app.push_screen(
            ConfirmScreen(
                "Move this conversation to the bin?",
                f"{describe(summary)}\n\n"
                + ("It is live: it will stop being facilitated. " if live else "")
                + "It disappears from the list and from searches, and can be restored from the "
                "bin (b) until it is erased there.",
                yes="Move to the bin",
            ),
            answered,
        )

    def _delete(self, summary: ConversationSummary) -> None:
        if self.save(lambda: self.store.delete_conversation(summary.conversation.id),
                     failed="It was not deleted") is None:
            return
        self.reload()
        self.notify(f"Moved to the bin: {one_line(summary.conversation.title)}. "
                    "Press b to see the bin and restore it.", timeout=8, markup=False)

    def action_bin(self) -> None:
        from appreciate_tui.tui.screens.bin import BinScreen

        self.app._show_over_list(BinScreen())
