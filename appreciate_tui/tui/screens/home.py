"""The first screen: every conversation, newest first; Enter opens one, n starts a new one."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.events import Resize, ScreenResume
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from appreciate_tui.domain import Conversation
from appreciate_tui.text import one_line
from appreciate_tui.tui.labels import OPEN_HINTS, long_date, status_label

if TYPE_CHECKING:
    from appreciate_tui.tui.app import AppreciateApp

EMPTY = (
    "No conversations yet.\n\n"
    "Press n to start one from a question bank.\n"
    "To look around an example first, run  appreciate demo  in a terminal."
)

# Fixed columns (date, status, notes) and the gaps DataTable puts around every cell.
_DATE, _STATUS, _NOTES = 11, 7, 5
_CELL_PADDING = 2 * 5
_SCROLLBAR_AND_MARGIN = 4


class HomeScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority, so Enter opens the conversation rather than being taken by the table itself.
        Binding("enter", "open", "Open", tooltip="Open the highlighted conversation",
                priority=True, id="home.open"),
        Binding("n", "app.new_conversation", "New",
                tooltip="Start a conversation from a question bank", id="home.new"),
    ]

    def __init__(self, selected: str | None = None) -> None:
        super().__init__()
        self._selected = selected
        self._conversations: list[Conversation] = []
        self._note_counts: dict[str, int] = {}
        self._filled_width = 0
        self._seen_up_to: str | None = None
        """The newest change to any conversation when the list was last read (None: never)."""

    @property
    def _app(self) -> AppreciateApp:
        return cast("AppreciateApp", self.app)

    def compose(self) -> ComposeResult:
        yield Static(Content.from_markup("[b]appreciate[/b]  [dim]conversations[/]"),
                     id="home-title")
        if self._app.store.read_only:
            reason = self._app.store.read_only_reason or "the database is read-only"
            yield Static(f"Read-only: {reason}. You can look but not change anything.",
                         id="read-only", markup=False)
        yield DataTable(id="conversations", cursor_type="row")
        yield Static(id="conversation-detail", markup=False)
        yield Static(EMPTY, id="empty", markup=False)
        yield Footer()

    def on_screen_resume(self, _: ScreenResume) -> None:
        self.reload()

    def on_resize(self, event: Resize) -> None:
        if event.size.width != self._filled_width:
            self._fill_table()

    def reload(self) -> None:
        """Read the conversations again: one may have been started, closed or created.

        Coming back to the list, the cursor is on the conversation just worked on (created,
        facilitated), or else where it was.
        """
        highlighted = self._highlighted_id()
        self._conversations = self._app.store.list_conversations()
        latest = max(self._conversations, key=lambda c: c.updated_at, default=None)
        if self._selected is None and latest is not None and self._seen_up_to is not None:
            self._selected = latest.id if latest.updated_at > self._seen_up_to else highlighted
        self._seen_up_to = latest.updated_at if latest is not None else ""
        self._note_counts = self._app.store.note_counts()
        self._fill_table()
        self.set_class(not self._conversations, "-empty")
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open":
            return bool(self._conversations)
        return True

    def _fill_table(self) -> None:
        table = self.query_one(DataTable)
        self._filled_width = self.size.width
        title_width, topic_width = self._text_widths()
        table.clear(columns=True)
        table.add_column("Date", width=_DATE, key="date")
        table.add_column("Title", width=title_width, key="title")
        table.add_column("Topic", width=topic_width, key="topic")
        table.add_column("Status", width=_STATUS, key="status")
        table.add_column("Notes", width=_NOTES, key="notes")
        for conversation in self._conversations:
            table.add_row(
                long_date(conversation.date),
                one_line(conversation.title, title_width),
                one_line(conversation.topic, topic_width),
                status_label(conversation.status),
                f"{self._note_counts.get(conversation.id, 0):>{_NOTES}}",
                key=conversation.id,
            )
        self._restore_cursor()

    def _text_widths(self) -> tuple[int, int]:
        spare = self.size.width - _DATE - _STATUS - _NOTES - _CELL_PADDING - _SCROLLBAR_AND_MARGIN
        spare = max(spare, 24)
        title = max(12, spare * 2 // 5)
        return title, spare - title

    def _restore_cursor(self) -> None:
        ids = [conversation.id for conversation in self._conversations]
        if self._selected in ids:
            self.query_one(DataTable).move_cursor(row=ids.index(self._selected), animate=False)
        self._selected = None
        self._show_detail()

    def _highlighted_id(self) -> str | None:
        table = self.query_one(DataTable)
        if not self._conversations or not 0 <= table.cursor_row < len(self._conversations):
            return None
        return self._conversations[table.cursor_row].id

    @on(DataTable.RowHighlighted)
    def _show_detail(self) -> None:
        detail = self.query_one("#conversation-detail", Static)
        conversation_id = self._highlighted_id()
        if conversation_id is None:
            detail.update("")
            return
        conversation = next(c for c in self._conversations if c.id == conversation_id)
        notes = self._note_counts.get(conversation.id, 0)
        facts = [long_date(conversation.date), conversation.status.value,
                 f"{notes} note{'s' if notes != 1 else ''}"]
        facts += [one_line(f) for f in (conversation.setting, conversation.facilitator) if f]
        detail.update(
            Content.assemble(
                (one_line(conversation.title), "bold"), "\n",
                (one_line(conversation.topic) or "No topic question yet.", "italic"), "\n",
                (" · ".join(facts), "$text-muted"), "\n",
                (OPEN_HINTS[conversation.status], "$accent"),
            )
        )

    @on(DataTable.RowSelected)
    def action_open(self) -> None:
        conversation_id = self._highlighted_id()
        if conversation_id is not None:
            self._app.open_conversation(conversation_id)
