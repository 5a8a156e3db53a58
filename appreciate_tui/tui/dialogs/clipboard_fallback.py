"""When nothing is known to have reached the clipboard: say so, and offer a private file instead.

The terminal was sent the text (many terminals take it; some quietly don't), and no clipboard tool
on this computer answered. `s` writes the text to a 0600 file in the exports folder and shows its
path; Escape closes, for when pasting shows the terminal took it after all. A copy that is recorded
as shared (the question sheet, a part of the record) is recorded only when it is known to have
arrived: `y` says it pasted, or `s` saved it; closing without either records nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from appreciate_tui.text import one_line, printable
from appreciate_tui.tui.clipboard import HISTORY_WARNING, save_copy
from appreciate_tui.tui.keys import key_hint

if TYPE_CHECKING:
    from pathlib import Path

    from appreciate_tui.tui.clipboard import Confirmed


class ClipboardFallbackScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    ClipboardFallbackScreen > #clipboard-fallback { width: 72; max-width: 95%; height: auto; }
    ClipboardFallbackScreen #clipboard-saved { color: $success; margin-top: 1; display: none; }
    ClipboardFallbackScreen #clipboard-hint { color: $text-muted; margin-top: 1; }
    ClipboardFallbackScreen #clipboard-warning { color: $warning; margin-top: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "save", "Save to a file", tooltip="Write the text to a private file",
                id="clipboard_fallback.save"),
        Binding("y", "confirm", "It pasted", tooltip="It pasted: record it as sent",
                id="clipboard_fallback.confirm"),
        Binding("escape", "dismiss", "Close", tooltip="Close; the text may be on the clipboard",
                id="clipboard_fallback.close"),
    ]

    def __init__(self, text: str, problem: str, *, warn: bool = False,
                 on_confirmed: Confirmed | None = None) -> None:
        """`warn`: also say that clipboard history tools may keep what is copied.
        `on_confirmed`: told once, when `y` says it pasted or `s` saved it (with the file)."""
        super().__init__()
        self._text = text
        self._problem = problem
        self._warn = warn
        self._on_confirmed = on_confirmed

    def compose(self) -> ComposeResult:
        with Vertical(id="clipboard-fallback", classes="dialog"):
            yield Static("Sent to the terminal's clipboard — can't confirm", classes="dialog-title")
            yield Static(
                f"Many terminals take copied text, some quietly don't, and {self._problem}. "
                "Paste it to check. If it isn't there, save it to a private file instead."
                + (" It is recorded as sent once you say it pasted, or save it."
                   if self._on_confirmed is not None else ""),
                markup=False,
            )
            if self._warn:
                yield Static(HISTORY_WARNING, id="clipboard-warning", markup=False)
            yield Static(id="clipboard-saved", markup=False)
            steps = [("{clipboard_fallback.save}", "save to a file"),
                     ("{clipboard_fallback.close}", "close")]
            if self._on_confirmed is not None:
                steps.insert(0, ("{clipboard_fallback.confirm}", "it pasted"))
            yield Static(key_hint(self.app, self, *steps), id="clipboard-hint")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "confirm":
            return self._on_confirmed is not None
        return True

    def _confirmed(self, path: Path | None) -> None:
        """Tell whoever asked, once."""
        told, self._on_confirmed = self._on_confirmed, None
        if told is not None:
            told(path)

    def action_confirm(self) -> None:
        self._confirmed(None)
        self.dismiss()

    def action_save(self) -> None:
        shown = self.query_one("#clipboard-saved", Static)
        shown.display = True
        try:
            path = save_copy(self._text)
        except OSError as error:
            shown.update(f"It could not be saved: {one_line(error.strerror or str(error))}")
            return
        shown.update(f"Saved, readable by you only:\n{printable(str(path))}")
        self._confirmed(path)
