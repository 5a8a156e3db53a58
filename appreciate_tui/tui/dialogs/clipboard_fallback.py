"""When nothing is known to have reached the clipboard: say so, and offer a private file instead.

The terminal was sent the text (many terminals take it; some quietly don't), and no clipboard tool
on this computer answered. `s` writes the text to a 0600 file in the exports folder and shows its
path; Escape closes, for when pasting shows the terminal took it after all.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from appreciate_tui.text import one_line, printable
from appreciate_tui.tui.clipboard import HISTORY_WARNING, save_copy


class ClipboardFallbackScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    ClipboardFallbackScreen > #clipboard-fallback { width: 72; max-width: 95%; height: auto; }
    ClipboardFallbackScreen #clipboard-saved { color: $success; margin-top: 1; display: none; }
    ClipboardFallbackScreen #clipboard-hint { color: $text-muted; margin-top: 1; }
    ClipboardFallbackScreen #clipboard-warning { color: $warning; margin-top: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "save", "Save to a file", tooltip="Write the text to a private file"),
        Binding("escape", "dismiss", "Close", tooltip="Close; the text may be on the clipboard"),
    ]

    def __init__(self, text: str, problem: str, *, warn: bool = False) -> None:
        """`warn`: also say that clipboard history tools may keep what is copied."""
        super().__init__()
        self._text = text
        self._problem = problem
        self._warn = warn

    def compose(self) -> ComposeResult:
        with Vertical(id="clipboard-fallback", classes="dialog"):
            yield Static("Sent to the terminal's clipboard — can't confirm", classes="dialog-title")
            yield Static(
                f"Many terminals take copied text, some quietly don't, and {self._problem}. "
                "Paste it to check. If it isn't there, save it to a private file instead.",
                markup=False,
            )
            if self._warn:
                yield Static(HISTORY_WARNING, id="clipboard-warning", markup=False)
            yield Static(id="clipboard-saved", markup=False)
            yield Static(
                Content.from_markup("[b]s[/b] save to a file   [b]Escape[/b] close"),
                id="clipboard-hint",
            )

    def action_save(self) -> None:
        shown = self.query_one("#clipboard-saved", Static)
        shown.display = True
        try:
            path = save_copy(self._text)
        except OSError as error:
            shown.update(f"It could not be saved: {one_line(error.strerror or str(error))}")
            return
        shown.update(f"Saved, readable by you only:\n{printable(str(path))}")
