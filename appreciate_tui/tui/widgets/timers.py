"""The header strip: the topic question, the clocks, and the save indicator.

Clocks: time since the conversation started, time on this question, and time in this phase against
the plan's budget (turning to the warning colour once over). They read `domain.now()` once a second
and redraw only when the minute shown changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Static

from appreciate_tui import domain
from appreciate_tui.domain import Phase
from appreciate_tui.text import printable
from appreciate_tui.tui.themes import PHASE_VARIABLES
from appreciate_tui.tui.widgets.save_status import SaveStatus


def minutes(since: datetime | None, now: datetime) -> int:
    if since is None:
        return 0
    return max(0, int((now - since).total_seconds() // 60))


def duration(mins: int) -> str:
    return f"{mins // 60} h {mins % 60:02d} min" if mins >= 60 else f"{mins} min"


@dataclass(frozen=True)
class Clocks:
    """When things started; the strip works out how long ago."""

    conversation: datetime | None = None
    question: datetime | None = None
    phase: Phase | None = None
    phase_since: datetime | None = None
    phase_budget: int | None = None
    """Minutes planned for this phase, if the plan set any."""


def clock_line(clocks: Clocks, now: datetime) -> Content:
    parts: list[Content | tuple[str, str] | str] = [
        ("Elapsed ", "$text-muted"),
        (duration(minutes(clocks.conversation, now)), "bold"),
        ("   This question ", "$text-muted"),
        (duration(minutes(clocks.question, now)), "bold"),
    ]
    if clocks.phase is not None:
        spent = minutes(clocks.phase_since, now)
        parts += ["   ", (clocks.phase.label, f"bold ${PHASE_VARIABLES[clocks.phase]}"), " "]
        if clocks.phase_budget:
            over = spent > clocks.phase_budget
            parts.append(
                (f"{spent} of {clocks.phase_budget} min", "bold $warning" if over else "bold")
            )
            if over:
                parts.append((" over", "$warning"))
        else:
            parts.append((duration(spent), "bold"))
    return Content.assemble(*parts)


class HeaderStrip(Horizontal):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.topic = Static(id="topic", markup=False)
        self.clock = Static(id="clocks", markup=False)
        self.save_status = SaveStatus(id="save-status")
        self._clocks = Clocks()
        self._shown = ""

    def compose(self) -> ComposeResult:
        with Vertical(id="header-text"):
            yield self.topic
            yield self.clock
        yield self.save_status

    def on_mount(self) -> None:
        self.set_interval(1.0, self._tick)

    def show_topic(self, topic: str) -> None:
        self.topic.update(Content.styled(printable(topic, keep_newlines=False), "bold"))

    def set_clocks(self, clocks: Clocks) -> None:
        self._clocks = clocks
        self._tick()

    def _tick(self) -> None:
        line = clock_line(self._clocks, domain.now())
        if line.plain != self._shown:
            self._shown = line.plain
            self.clock.update(line)
