"""F9: record that an escalation was passed on, so it leaves the strip.

Pick the escalation (the oldest open one is chosen first), say who it was passed to, Enter.
Dismisses with (note id, passed to), or None.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from appreciate_tui.domain import Note
from appreciate_tui.text import one_line
from appreciate_tui.tui.keys import key_hint
from appreciate_tui.tui.widgets.text_fields import TextInput
from appreciate_tui.wording import clock


class HandleEscalationScreen(ModalScreen[tuple[str, str] | None]):
    DEFAULT_CSS = """
    HandleEscalationScreen > #handle-escalation {
        width: 90%; max-width: 100; height: auto; max-height: 90%;
    }
    HandleEscalationScreen #open-escalations { height: auto; max-height: 10; margin-bottom: 1; }
    HandleEscalationScreen #handle-hint { color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", tooltip="Keep the escalation open",
                id="handle_escalation.cancel"),
        # Up and down choose the escalation while the cursor stays in "passed to".
        Binding("up", "choose(-1)", "Previous escalation", show=False,
                id="handle_escalation.previous"),
        Binding("down", "choose(1)", "Next escalation", show=False, id="handle_escalation.next"),
    ]

    def __init__(self, open_escalations: Sequence[Note]) -> None:
        super().__init__()
        self._notes = list(open_escalations)

    def compose(self) -> ComposeResult:
        with Vertical(id="handle-escalation", classes="dialog"):
            yield Static("Mark an escalation handled", classes="dialog-title")
            yield OptionList(
                *(
                    Option(
                        Content.assemble(
                            (clock(n.created_at), "bold"), "  ", one_line(n.body)
                        ),
                        id=n.id,
                    )
                    for n in self._notes
                ),
                id="open-escalations",
                markup=False,
            )
            yield TextInput(
                placeholder="Passed to (who, how): e.g. MASH duty manager by phone", id="passed-to"
            )
            yield Static(
                key_hint(self.app, self,
                         ("{handle_escalation.previous} {handle_escalation.next}", "choose"),
                         ("Enter", "mark handled"), ("{handle_escalation.cancel}", "cancel")),
                id="handle-hint",
            )

    def on_mount(self) -> None:
        self.query_one("#passed-to", Input).focus()

    def action_choose(self, step: int) -> None:
        escalations = self.query_one("#open-escalations", OptionList)
        if step < 0:
            escalations.action_cursor_up()
        else:
            escalations.action_cursor_down()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.query_one("#passed-to", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        option = self.query_one("#open-escalations", OptionList).highlighted_option
        if option is not None and option.id is not None:
            self.dismiss((option.id, event.value.strip()))
