"""The save indicator. It says "saved" only after the database said so, and a failed save stays on
screen, in the error colour, until a retry succeeds.

While someone types it turns from "saved" to "typing" and back several times a second. A new label
that leaves the indicator as wide as it is (a screen can give it a `min-width` for that) redraws
the indicator alone; one that changes its width lays the screen out again, so that what sits beside
it moves over.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.widgets import Static

from appreciate_tui.text import one_line
from appreciate_tui.tui.state.autosave import SaveReport, SaveState

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
        self.update(label, layout=not self._keeps_width(label))
        self.set_classes(f"-{report.state.name.lower().replace('_', '-')}")
        self.tooltip = one_line(report.reason) if report.reason else None

    def _keeps_width(self, label: str) -> bool:
        """Whether the indicator, showing `label`, stays exactly as wide as it is now."""
        if self.size.height != 1 or "\n" in label:
            return False
        min_width = self.styles.min_width
        floor = min_width.cells if min_width is not None and min_width.is_cells else 0
        return max(cell_len(label) + self.styles.gutter.width, floor or 0) == self.outer_size.width
