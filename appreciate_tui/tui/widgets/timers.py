"""The header strip: the topic question, the clocks, and the save indicator.

Clocks: time since the conversation started against the whole budget, time on this question, and
time in this phase against the plan's budget (turning to the warning colour once over). Time paused
(a comfort break, a fire alarm) is left out of all three; while paused, the line starts with how
long it has stood still, so it cannot be missed. They read `domain.now()` once a second and redraw
only when the minute shown changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Static

from appreciate_tui import domain
from appreciate_tui.domain import Pause, Phase
from appreciate_tui.text import printable
from appreciate_tui.tui.themes import PHASE_VARIABLES
from appreciate_tui.tui.widgets.save_status import SaveStatus


def minutes(since: datetime | None, now: datetime, pauses: Sequence[Pause] = ()) -> int:
    """Whole minutes from `since` to `now` with the clock running (pauses left out)."""
    if since is None:
        return 0
    return int(domain.running_seconds(since, now, pauses) // 60)


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
    budget: int | None = None
    """Minutes planned for the whole conversation (the phases' budgets together), if any."""
    pauses: tuple[Pause, ...] = ()
    """Every pause so far; the last may still be running."""

    @property
    def paused_since(self) -> datetime | None:
        if self.pauses and self.pauses[-1].resumed_at is None:
            return domain.parse_time(self.pauses[-1].paused_at)
        return None


def _against(spent: int, budget: int) -> list[tuple[str, str]]:
    over = spent > budget
    said = [(f"{spent} of {budget} min", "bold $warning" if over else "bold")]
    return [*said, (" over", "$warning")] if over else said


def clock_line(clocks: Clocks, now: datetime) -> Content:
    pauses = clocks.pauses
    parts: list[Content | tuple[str, str] | str] = []
    if (paused := clocks.paused_since) is not None:
        parts += [(f" PAUSED {duration(minutes(paused, now))} ", "bold reverse $warning"), "   "]
    elapsed = minutes(clocks.conversation, now, pauses)
    parts.append(("Elapsed ", "$text-muted"))
    parts += _against(elapsed, clocks.budget) if clocks.budget else [(duration(elapsed), "bold")]
    parts += [
        ("   This question ", "$text-muted"),
        (duration(minutes(clocks.question, now, pauses)), "bold"),
    ]
    if clocks.phase is not None:
        spent = minutes(clocks.phase_since, now, pauses)
        parts += ["   ", (clocks.phase.label, f"bold ${PHASE_VARIABLES[clocks.phase]}"), " "]
        if clocks.phase_budget:
            parts += _against(spent, clocks.phase_budget)
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
        self.set_interval(1.0, self.tick)

    def show_topic(self, topic: str) -> None:
        self.topic.update(Content.styled(printable(topic, keep_newlines=False), "bold"))

    @property
    def clocks(self) -> Clocks:
        return self._clocks

    def set_clocks(self, clocks: Clocks) -> None:
        self._clocks = clocks
        self.tick()

    def tick(self) -> None:
        """Redraw the clocks if the minute shown has changed (once a second)."""
        line = clock_line(self._clocks, domain.now())
        if line.plain != self._shown:
            self._shown = line.plain
            self.clock.update(line)
