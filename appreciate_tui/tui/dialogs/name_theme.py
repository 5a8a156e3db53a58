"""`n` on a theme in insights: give it a name of your own ("Late invitations" for "short notice").

Enter keeps the name; an empty name takes it off (the theme shows its phrase again); Escape leaves
it as it was. Dismisses with the name, or None.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from appreciate_tui.store.partnership import THEME_LABEL_LIMIT
from appreciate_tui.text import one_line
from appreciate_tui.tui.keys import key_hint
from appreciate_tui.tui.widgets.text_fields import TextInput


class NameThemeScreen(ModalScreen[str | None]):
    DEFAULT_CSS = """
    NameThemeScreen > #name-theme { width: 90%; max-width: 80; height: auto; }
    NameThemeScreen #name-theme-phrases, NameThemeScreen #name-theme-hint { color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", tooltip="Keep the theme's name as it was",
                id="name_theme.cancel"),
    ]

    def __init__(self, phrases: tuple[str, ...], name: str) -> None:
        super().__init__()
        self._phrases = phrases
        self._name = name

    def compose(self) -> ComposeResult:
        with Vertical(id="name-theme", classes="dialog"):
            yield Static("Name this theme", classes="dialog-title")
            yield Static(Content("Found as: " + one_line(" · ".join(self._phrases), 200)),
                         id="name-theme-phrases")
            yield TextInput(self._name, placeholder="A name of your own, e.g. Late invitations",
                            max_length=THEME_LABEL_LIMIT, id="name-theme-input")
            yield Static(key_hint(self.app, self,
                                  ("Enter", "keeps it (an empty name shows the phrase again)"),
                                  ("{name_theme.cancel}", "cancels")), id="name-theme-hint")

    def on_mount(self) -> None:
        self.query_one("#name-theme-input", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip())
