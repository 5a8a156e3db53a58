"""The footer of every screen: its keys, each with its whole label, as many as the width holds.

Textual's footer runs on past the edge when its keys are wider than the terminal, so at 80
columns the last ones were cut mid-word ("S Rev▏") or lost their label ("i ▏"), which reads as a
key that does nothing. This one leaves out, whole, the keys that do not fit, from the end: a screen
lists its keys most used first. F1 Help always stays, because it lists every key; the palette
(ctrl+p) still offers every action.

The keys left out are decided where Textual places them (`arrange`), in the same pass: nothing is
drawn cut for a frame first, whatever the size, and behind a dialog as well as on top.
"""

from __future__ import annotations

from textual.geometry import Offset, Size
from textual.layout import DockArrangeResult, WidgetPlacement
from textual.widget import Widget
from textual.widgets import Footer

# Not exported by Textual; the version is pinned (pyproject.toml).
from textual.widgets._footer import FooterKey, FooterLabel, KeyGroup

HELP_ACTION = "help"


def _units(placements: list[WidgetPlacement]) -> list[list[WidgetPlacement]]:
    """The keys in order, a group's keys together with the label that names them."""
    units: list[list[WidgetPlacement]] = []
    for placement in sorted(placements, key=lambda placement: placement.region.x):
        if (isinstance(placement.widget, FooterLabel) and units
                and isinstance(units[-1][-1].widget, KeyGroup)):
            units[-1].append(placement)
        else:
            units.append([placement])
    return units


def _is_help(unit: list[WidgetPlacement]) -> bool:
    widget: Widget = unit[0].widget
    return isinstance(widget, FooterKey) and widget.action == HELP_ACTION


class KeyFooter(Footer):
    async def recompose(self) -> None:
        # Textual's footer makes its keys again at every change of bindings (each move of the
        # focus), binding its `compact` into each new key. The watcher that binding adds is only
        # dropped when `compact` next changes, which is never: every key ever made stayed alive,
        # with its styles and drawn lines, about 10,000 objects each time a conversation was
        # opened and closed, and every full garbage collection scanned them all (a session of
        # moving between screens collected for longer and longer). Textual drops a watcher whose
        # widget is closing in the same way, when the value changes.
        await super().recompose()
        watchers: dict[str, list[tuple[Widget, object]]] = getattr(self, "__watchers", {})
        for watching in watchers.values():
            watching[:] = [(node, callback) for node, callback in watching if not node._closing]

    def arrange(self, size: Size, optimal: bool = False) -> DockArrangeResult:
        arranged = super().arrange(size, optimal)
        docked = [p for p in arranged.placements if p.widget.has_class("-command-palette")]
        keys = [p for p in arranged.placements if p not in docked]
        limit = min((p.region.x for p in docked), default=size.width)
        if not keys or max(p.region.right for p in keys) <= limit:
            return arranged
        units = _units(keys)
        # Each unit reaches to where the next begins, so the gaps between keys come along.
        spans = [
            (unit[0].region.x,
             following[0].region.x if following else unit[-1].region.right)
            for unit, following in zip(units, [*units[1:], None])
        ]
        help_unit = next((unit for unit in units if _is_help(unit)), None)
        reserve = next((end - start for unit, (start, end) in zip(units, spans)
                        if unit is help_unit), 0)
        kept: list[WidgetPlacement] = []
        fits, dropped = True, 0
        for unit, (start, end) in zip(units, spans):
            if unit is help_unit:
                # Room was kept for it; it moves left over the keys left out before it.
                kept += WidgetPlacement.translate(unit, Offset(-dropped, 0))
                reserve = 0
                continue
            fits = fits and end + reserve <= limit
            if fits:
                kept += unit
            else:
                dropped += end - start
        shown = {placement.widget for placement in [*kept, *docked]}
        return DockArrangeResult(
            [*kept, *docked], {widget for widget in arranged.widgets if widget in shown},
            arranged.scroll_spacing,
        )
