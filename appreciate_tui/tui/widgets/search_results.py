"""What a search of every conversation found: each match (a note, a question, a title, key
learning, an absence reason, an action, a feedback comment) with the conversation it is in and
the question or person it is about. Choosing one says so; the screen decides where that leads."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from textual import on
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from appreciate_tui.domain import ConversationSummary, SearchHit
from appreciate_tui.store.search import KIND_LABELS, MARK_END, MARK_START
from appreciate_tui.text import one_line
from appreciate_tui.wording import short_date

# Where each kind of match is in the record of its conversation (tui/review_document.py's keys);
# notes and questions are opened at by their own ids.
_RECORD_BLOCKS = {
    "key_learning": lambda hit: "learning:text",
    "absence": lambda hit: f"participant:{hit.item_id}",
    "action": lambda hit: f"action:{hit.item_id}",
    "feedback": lambda hit: f"feedback:{hit.item_id}",
}


def record_block(hit: SearchHit) -> str | None:
    """The block of the record a match other than a note or a question is in."""
    found = _RECORD_BLOCKS.get(hit.kind)
    return found(hit) if found is not None else None


def marked(snippet: str) -> Content:
    """A snippet with the words that matched picked out; the marks come from the store."""
    parts: list[Content | tuple[str, str]] = []
    rest = snippet
    while MARK_START in rest:
        before, _, rest = rest.partition(MARK_START)
        word, _, rest = rest.partition(MARK_END)
        parts += [Content(one_line(before)), (one_line(word), "bold $accent underline")]
    parts.append(Content(one_line(rest)))
    return Content.assemble(*parts)


def label_width(hits: Sequence[SearchHit]) -> int:
    """The width of the column naming each kind: the longest name in the list, 8 at least."""
    return max([8, *(len(KIND_LABELS.get(hit.kind, hit.kind)) for hit in hits)])


def hit_option(hit: SearchHit, summary: ConversationSummary | None, width: int = 8) -> Option:
    """Two lines: what matched (named in a column `width` wide), then where it is."""
    where = [one_line(hit.conversation_title)]
    if summary is not None:
        where.append(short_date(summary.conversation.date))
    if hit.kind == "note" and hit.question:
        where.append(one_line(hit.question))
    elif hit.place:
        where.append(one_line(hit.place))
    body = marked(hit.snippet) if hit.snippet else Content(one_line(hit.question))
    return Option(
        Content.assemble(
            (f"{KIND_LABELS.get(hit.kind, hit.kind):>{width}}  ", "$text-muted"), body, "\n",
            (" " * (width + 2) + " · ".join(where), "$text-muted"),
        )
    )


class SearchResults(OptionList):
    """Hits, best first, two lines each."""

    # Each line cut to the width rather than wrapped: a wrapped hit loses the column that makes a
    # list of them easy to run an eye down, and cutting costs only the lines on screen.
    DEFAULT_CSS = """
    SearchResults { text-wrap: nowrap; text-overflow: ellipsis; }
    """

    class Highlighted(Message):
        def __init__(self, hit: SearchHit | None) -> None:
            super().__init__()
            self.hit = hit

    class Chosen(Message):
        def __init__(self, hit: SearchHit) -> None:
            super().__init__()
            self.hit = hit

    def __init__(self, **kwargs: object) -> None:
        super().__init__(markup=False, **kwargs)  # type: ignore[arg-type]
        self._hits: list[SearchHit] = []

    @property
    def hits(self) -> Sequence[SearchHit]:
        return self._hits

    @property
    def highlighted_hit(self) -> SearchHit | None:
        index = self.highlighted
        return self._hits[index] if index is not None and index < len(self._hits) else None

    def show(self, hits: Sequence[SearchHit], summaries: Mapping[str, ConversationSummary]) -> None:
        self._hits = list(hits)
        width = label_width(hits)
        self.set_options(hit_option(hit, summaries.get(hit.conversation_id), width)
                         for hit in hits)
        self.highlighted = 0 if hits else None

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self.post_message(self.Highlighted(self._hits[event.option_index]))

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.Chosen(self._hits[event.option_index]))
