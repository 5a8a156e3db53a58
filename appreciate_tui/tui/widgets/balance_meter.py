"""The balance of stances: a bar in the stances' colours, the count of each, and a gentle nudge.

The appreciative method's answer to "it only looks at positives" is to let concerns be raised and
then move into dreaming. So when concerns have been noted and no dream or idea has followed the
latest of them, the meter suggests inviting the group to dream.

Below 100 columns there is no room for the meter beside the notes, and on a tab of its own it would
be out of sight while notes are typed: the notes tab has `BalanceLine` instead, the same reading on
one line.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from textual.content import Content
from textual.widget import Widget

from appreciate_tui.domain import Note, Stance
from appreciate_tui.tui.themes import STANCE_VARIABLES

NUDGE = (
    "Concerns are on the table. When it feels right, invite the group to dream: "
    "“What would it look like if this worked really well?”"
)
SHORT_NUDGE = "invite the group to dream"
GAP = 2


def needs_dream_nudge(notes: Iterable[Note]) -> bool:
    """True when the latest concern has no dream or idea after it."""
    last_concern = last_hope = ""
    for note in notes:
        if note.stance is Stance.CONCERN:
            last_concern = max(last_concern, note.created_at)
        elif note.stance in (Stance.DREAM, Stance.IDEA):
            last_hope = max(last_hope, note.created_at)
    return bool(last_concern) and last_hope < last_concern


def stance_bar(counts: Counter[Stance], width: int) -> Content:
    """One line `width` cells wide, each stance's share of the notes in its colour."""
    total = sum(counts.values())
    if not total or width < 1:
        return Content.styled("░" * max(width, 0), "$text-muted")
    cells: list[tuple[str, str]] = []
    used = 0
    shares = [(stance, counts.get(stance, 0)) for stance in Stance if counts.get(stance, 0)]
    for index, (stance, count) in enumerate(shares):
        last = index == len(shares) - 1
        cells_for = width - used if last else max(1, round(width * count / total))
        cells_for = min(cells_for, width - used - (len(shares) - index - 1))
        cells.append(("█" * max(cells_for, 0), f"${STANCE_VARIABLES[stance]}"))
        used += max(cells_for, 0)
    return Content.assemble(*cells)


def stance_count(stance: Stance, count: int, width: int) -> Content:
    """`+ working well   3`, `width` cells wide, the count on the right."""
    style = f"${STANCE_VARIABLES[stance]}"
    number = str(count)
    label = stance.label[: max(0, width - len(number) - 3)]
    return Content.assemble(
        (stance.symbol, f"bold {style}"),
        " ",
        (label, style if count else "$text-muted"),
        " " * max(1, width - len(label) - len(number) - 2),
        (number, "bold" if count else "$text-muted"),
    )


def stance_counts(counts: Counter[Stance], width: int) -> Content:
    """The seven counts in as many columns as fit: one reads down a column, not along a line."""
    cell = max(len(stance.label) for stance in Stance) + 6
    columns = max(1, min(len(Stance), (width + GAP) // (cell + GAP)))
    rows = -(-len(Stance) // columns)
    stances = list(Stance)
    lines = []
    for row in range(rows):
        in_row = stances[row::rows]
        lines.append(
            Content(" " * GAP).join(stance_count(s, counts.get(s, 0), cell) for s in in_row)
        )
    return Content("\n").join(lines)


class BalanceMeter(Widget):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._counts: Counter[Stance] = Counter()
        self._nudge = False

    def show(self, notes: Iterable[Note]) -> None:
        notes = list(notes)
        counts = Counter(note.stance for note in notes)
        nudge = needs_dream_nudge(notes)
        if (counts, nudge) == (self._counts, self._nudge):
            return
        self._counts, self._nudge = counts, nudge
        self.set_class(nudge, "-nudging")
        self.refresh(layout=True)

    def render(self) -> Content:
        width = self.content_size.width
        lines = [stance_bar(self._counts, width), stance_counts(self._counts, width)]
        if self._nudge:
            lines.append(Content.styled(NUDGE, "italic $warning"))
        return Content("\n").join(lines)


class BalanceLine(BalanceMeter):
    """The balance on one line: each stance's count in its colour, the bar in the width left, and
    the nudge in a few words."""

    def render(self) -> Content:
        counts = Content(" " * GAP).join(
            Content.assemble(
                (stance.symbol, f"bold ${STANCE_VARIABLES[stance]}"),
                " ",
                (str(self._counts.get(stance, 0)),
                 "bold" if self._counts.get(stance, 0) else "$text-muted"),
            )
            for stance in Stance
        )
        nudge = Content.styled(" " * GAP + SHORT_NUDGE if self._nudge else "", "italic $warning")
        bar = self.content_size.width - counts.cell_length - nudge.cell_length - GAP
        return Content.assemble(
            counts, " " * GAP if bar > 0 else "", stance_bar(self._counts, bar), nudge
        )
