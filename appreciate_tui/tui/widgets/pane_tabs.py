"""The row of tabs shown below 100 columns, one per pane, each naming the key that shows it.

A plain line of text rather than Textual's `Tabs`: nothing here takes focus (the keys do the
switching, and focusing anything shows its pane) and nothing animates, so changing pane costs one
redraw of one line. A click on a tab asks the screen to show that pane.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.widgets import Static


class PaneTabs(Static):
    def __init__(
        self, tabs: Sequence[tuple[str, str]], *, active: str, id: str | None = None
    ) -> None:
        """`tabs` are (pane id, label) pairs; the screen has an action `show_pane(pane_id)`."""
        super().__init__(id=id)
        self._tabs = list(tabs)
        self._active = active

    def on_mount(self) -> None:
        self._draw()

    @property
    def active(self) -> str:
        return self._active

    @active.setter
    def active(self, pane_id: str) -> None:
        if pane_id != self._active:
            self._active = pane_id
            self._draw()

    def _draw(self) -> None:
        parts: list[Content] = []
        for pane_id, label in self._tabs:
            style = "bold reverse $accent" if pane_id == self._active else "$text-muted"
            tab = Content.styled(f" {label} ", style)
            parts.append(tab.stylize(f"@click=screen.show_pane('{pane_id}')"))
        self.update(Content(" ").join(parts))
