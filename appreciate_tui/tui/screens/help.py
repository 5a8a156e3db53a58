"""F1: the packaged help (keys, the quick-note grammar, the meters) in a modal over any screen.

The help is Markdown in `tui/help/`, one file per screen, read when F1 is pressed (this module is
imported lazily) so startup never pays for it.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from appreciate_tui.tui.help_text import render_help

HELP_DIR = Path(__file__).resolve().parent.parent / "help"
FIRST = ("app.md", "home.md", "plan.md", "facilitate.md")
"""The app's keys come first, then the list of conversations, then planning and the screen a
facilitator spends the meeting in, in the order of their day, then the rest."""


def help_files(folder: Path = HELP_DIR) -> list[Path]:
    present = sorted(folder.glob("*.md"))
    first = [folder / name for name in FIRST if (folder / name) in present]
    return first + [path for path in present if path not in first]


def help_markdown(folder: Path = HELP_DIR) -> str:
    return "\n\n---\n\n".join(
        path.read_text(encoding="utf-8").strip() for path in help_files(folder)
    )


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1", "dismiss", "Close help", id="help.close"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog", classes="dialog"):
            yield Static("Help  [dim]Escape or F1 closes[/]", classes="dialog-title")
            with VerticalScroll(id="help-body"):
                yield Static(id="help-text")

    def on_mount(self) -> None:
        self._markdown = help_markdown()
        self._draw()
        self.app.theme_changed_signal.subscribe(self, lambda _: self._draw())
        self.query_one("#help-body").focus()

    def _draw(self) -> None:
        self.query_one("#help-text", Static).update(
            render_help(self._markdown, self.app.theme_variables)
        )
