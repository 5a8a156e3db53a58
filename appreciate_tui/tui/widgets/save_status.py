"""The save indicator. It says "saved" only after the database said so, and a failed save stays on
screen, in the error colour, until a retry succeeds."""

from __future__ import annotations

from textual.widgets import Static

from appreciate_tui.text import one_line
from appreciate_tui.tui.autosave import SaveReport, SaveState

LABELS = {
    SaveState.SAVED: "✓ saved",
    SaveState.TYPING: "● typing",
    SaveState.FAILED: "⚠ NOT SAVED",
    SaveState.READ_ONLY: "read-only",
}


class SaveStatus(Static):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(LABELS[SaveState.SAVED], id=id, markup=False)

    def show(self, report: SaveReport) -> None:
        label = LABELS[report.state]
        if report.state is SaveState.FAILED:
            label = f"{label}: {one_line(report.reason, 60)}. Your text is kept; retrying."
        elif report.state is SaveState.READ_ONLY:
            label = f"{label}: {one_line(report.reason, 60)}"
        self.update(label)
        self.set_classes(f"-{report.state.name.lower().replace('_', '-')}")
        self.tooltip = one_line(report.reason) if report.reason else None
