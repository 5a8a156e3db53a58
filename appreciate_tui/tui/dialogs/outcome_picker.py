"""Choose the outcome areas a note, action or conversation is linked to (key `o` on insights).

Dismisses with the set of chosen area ids, or None when nothing is to change.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Button, SelectionList, Static
from textual.widgets.selection_list import Selection

from appreciate_tui.insights.outcomes import OutcomeArea
from appreciate_tui.text import one_line
from appreciate_tui.tui.dialogs.picker import PickerScreen
from appreciate_tui.tui.keys import with_keys


def what_line(what: str) -> str:
    """What is being linked, on one line: a highlighted row runs over lines (a note, then who said
    it and when), so its lines are joined, never shown as line-break symbols."""
    return " · ".join(line.strip() for line in what.splitlines() if line.strip())


class OutcomePicker(PickerScreen[set[str] | None]):
    DEFAULT_CSS = """
    OutcomePicker > #outcome-picker { width: 72; max-width: 95%; height: auto; max-height: 90%; }
    OutcomePicker SelectionList { height: auto; max-height: 14; background: $surface; }
    OutcomePicker #outcome-buttons { height: auto; align-horizontal: right; margin-top: 1; }
    OutcomePicker Button { margin-left: 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", tooltip="Change no links",
                id="outcome_picker.cancel"),
        Binding("s", "save", "Save", tooltip="Link to the ticked areas, unlink the others",
                id="outcome_picker.save"),
    ]

    def __init__(self, what: str, areas: Sequence[OutcomeArea], linked: set[str]) -> None:
        super().__init__("Outcome areas", frame_id="outcome-picker")
        self._what = what
        self._areas = list(areas)
        known = {area.id for area in self._areas}
        # A link to an area no longer in outcomes.toml is shown, so it can be seen and removed.
        self._areas += [OutcomeArea(area, area) for area in sorted(linked - known)]
        self._linked = linked

    def above(self) -> Iterable[Widget]:
        yield Static(one_line(what_line(self._what), 200), markup=False, id="outcome-what")

    def choices(self) -> SelectionList[str]:
        return SelectionList[str](
            *(
                Selection(one_line(area.title), area.id, area.id in self._linked)
                for area in self._areas
            ),
            id="outcome-areas",
        )

    def below(self) -> Iterable[Widget]:
        hint = ("Space ticks an area · {outcome_picker.save} saves · "
                "{outcome_picker.cancel} cancels")
        yield Static(with_keys(hint, self.app, self), classes="hint")
        yield Horizontal(
            Button(with_keys("Cancel ({outcome_picker.cancel})", self.app, self), id="cancel"),
            Button(with_keys("Save ({outcome_picker.save})", self.app, self), id="save",
                   variant="primary"),
            id="outcome-buttons",
        )

    def action_save(self) -> None:
        self.dismiss(set(self.query_one(SelectionList).selected))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self.action_save()
        else:
            self.dismiss(None)
