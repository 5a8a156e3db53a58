"""n or e on the wrap-up's actions: what will happen, who owns it, by when, and how it stands.

The owner is chosen from the agencies and participants of the conversation, or typed. The due
date is checked (YYYY-MM-DD) before anything is saved, and a mistake is said under the field.
Enter in a text field saves; Escape leaves the action as it was. Dismisses with `ActionDetails`,
or None.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Select, Static

from appreciate_tui.domain import Action, ActionStatus, parse_due_date
from appreciate_tui.text import clean_line, printable
from appreciate_tui.tui.keys import key_hint
from appreciate_tui.tui.widgets.actions_table import STATUS_LABELS
from appreciate_tui.tui.widgets.text_fields import TextInput


@dataclass(frozen=True)
class ActionDetails:
    description: str
    owner: str
    due: str | None
    status: ActionStatus


class ActionFormScreen(ModalScreen[ActionDetails | None]):
    DEFAULT_CSS = """
    ActionFormScreen > #action-form { width: 90%; max-width: 100; height: auto; max-height: 100%; }
    ActionFormScreen #action-fields {
        grid-size: 2; grid-columns: 14 1fr; grid-rows: 1; height: auto;
    }
    ActionFormScreen .form-label { color: $text-muted; text-style: bold; }
    ActionFormScreen #action-problem { color: $error; text-style: bold; height: auto; }
    ActionFormScreen #action-source { color: $text-muted; height: auto; margin-bottom: 1; }
    ActionFormScreen #action-hint { color: $text-muted; margin-top: 1; }
    """
    HELP: ClassVar[str] = "wrapup.md#Actions"  # where F1 opens the help
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", tooltip="Leave the action as it was",
                id="action_form.cancel"),
    ]

    def __init__(
        self, owners: Sequence[str], action: Action | None = None, *, source: str = ""
    ) -> None:
        """`owners`: agencies and participants to choose from; `source`: the note it came from."""
        super().__init__()
        self._owners = list(dict.fromkeys(owners))
        self._action = action
        self._source = source

    def compose(self) -> ComposeResult:
        action = self._action
        owner = action.owner if action else ""
        listed = owner in self._owners
        with Vertical(id="action-form", classes="dialog"):
            yield Static("New action" if action is None else "Change the action",
                         classes="dialog-title")
            if self._source:
                yield Static(Content.assemble(("From the note: ", "bold"),
                                              printable(self._source)), id="action-source")
            with Grid(id="action-fields"):
                yield Static("Action", classes="form-label")
                yield self._input(action.description if action else "",
                                  "What will happen", "description")
                yield Static("Owner", classes="form-label")
                yield Select(
                    [(printable(o, keep_newlines=False), o) for o in self._owners],
                    prompt="No owner yet", value=owner if listed else Select.NULL,
                    compact=True, id="owner",
                )
                yield Static("…or owner", classes="form-label")
                yield self._input("" if listed else owner, "someone not in the list", "other-owner")
                yield Static("Due", classes="form-label")
                yield self._input(action.due or "" if action else "", "YYYY-MM-DD", "due")
                yield Static("Status", classes="form-label")
                yield Select(
                    [(label, status) for status, label in STATUS_LABELS.items()],
                    value=action.status if action else ActionStatus.OPEN,
                    allow_blank=False, compact=True, id="status",
                )
            yield Static(id="action-problem", markup=False)
            yield Static(
                key_hint(self.app, self, ("Enter", "save"), ("Tab", "next field"),
                         ("{action_form.cancel}", "cancel")),
                id="action-hint",
            )

    @staticmethod
    def _input(value: str, placeholder: str, id: str) -> TextInput:
        return TextInput(value, placeholder=placeholder, id=id, compact=True)

    def on_mount(self) -> None:
        self.query_one("#description", Input).focus()

    @on(Input.Submitted)
    def _save(self, event: Input.Submitted) -> None:
        event.stop()
        problem = self.query_one("#action-problem", Static)
        description = clean_line(self.query_one("#description", Input).value)
        if not description:
            problem.update("Say what will happen first.")
            self.query_one("#description", Input).focus()
            return
        try:
            due = parse_due_date(self.query_one("#due", Input).value)
        except ValueError as error:
            problem.update(f"Due: {error}.")
            self.query_one("#due", Input).focus()
            return
        typed = clean_line(self.query_one("#other-owner", Input).value)
        chosen = self.query_one("#owner", Select).value
        owner = typed or (str(chosen) if chosen is not Select.NULL else "")
        status = self.query_one("#status", Select).value
        if not isinstance(status, ActionStatus):
            status = ActionStatus.OPEN
        self.dismiss(ActionDetails(description, owner, due, status))
