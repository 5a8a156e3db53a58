"""F1: the packaged help (keys, the quick-note grammar, the meters) in a modal over any screen.

The help is Markdown in `tui/help/`, one file per screen, read when F1 is pressed (this module is
imported lazily) so startup never pays for it. It opens at the help of the screen it was asked
from (each screen names its file in `HELP`); the rest follows in the usual order. A dialog with a
section of its own names it after the file (`HELP = "plan.md#People"`): the help then opens
scrolled to that heading; a dialog without one opens the help of the screen beneath it.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from appreciate_tui.tui.help_text import before_heading, render_help
from appreciate_tui.tui.keys import with_keys

HELP_DIR = Path(__file__).resolve().parent.parent / "help"
FIRST = ("app.md", "home.md", "plan.md", "facilitate.md")
"""The app's keys come first, then the list of conversations, then planning and the screen a
facilitator spends the meeting in, in the order of their day, then the rest."""


def help_files(folder: Path = HELP_DIR, *, first: str | None = None) -> list[Path]:
    """The help files in the order they are shown: `first` (a file name) at the top when given,
    then the app's keys, the list, planning and facilitation, then the rest."""
    present = sorted(folder.glob("*.md"))
    names = (first, *FIRST) if first else FIRST
    ordered = [folder / name for name in dict.fromkeys(names) if (folder / name) in present]
    return ordered + [path for path in present if path not in ordered]


def help_markdown(folder: Path = HELP_DIR, *, first: str | None = None) -> str:
    return "\n\n---\n\n".join(
        path.read_text(encoding="utf-8").strip() for path in help_files(folder, first=first)
    )


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1", "dismiss", "Close help", id="help.close"),
    ]

    def __init__(self, *, first: str | None = None, section: str | None = None) -> None:
        """`first`: the help file of the screen F1 was pressed on, shown at the top; `section`:
        a heading in it to open at (a dialog's own part of that help)."""
        super().__init__()
        self._first = first
        self._section = section

    @classmethod
    def at(cls, place: str | None) -> HelpScreen:
        """The help opened at `place`, a screen's or dialog's `HELP`: a file ("plan.md"), or a file
        and a heading in it ("plan.md#People"); None for the usual order."""
        first, _, section = (place or "").partition("#")
        return cls(first=first or None, section=section or None)

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog", classes="dialog"):
            closes = with_keys("{help.close*} closes", self.app, self)
            yield Static(Content.assemble("Help  ", (closes, "dim")), classes="dialog-title")
            with VerticalScroll(id="help-body"):
                yield Static(id="help-text")

    def on_mount(self) -> None:
        self._markdown = help_markdown(first=self._first)
        self._draw()
        self.app.theme_changed_signal.subscribe(self, lambda _: self._draw())
        self.query_one("#help-body").focus()
        if self._section:
            self.call_after_refresh(self._open_at_section)

    def _open_at_section(self) -> None:
        """Scroll the section's heading to the top: the help above it, drawn at the width the
        help is drawn at, is as many lines tall as the heading is far down."""
        before = before_heading(self._markdown, self._section or "")
        if before is None:
            return
        text = self.query_one("#help-text", Static)
        console = self.app.console
        lines = console.render_lines(
            render_help(before, self.app.theme_variables),
            console.options.update_width(text.content_region.width),
            pad=False,
        )
        self.query_one("#help-body", VerticalScroll).scroll_to(y=len(lines), animate=False,
                                                               immediate=True)

    def _draw(self) -> None:
        self.query_one("#help-text", Static).update(
            render_help(self._markdown, self.app.theme_variables)
        )
