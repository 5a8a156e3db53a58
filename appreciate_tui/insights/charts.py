"""Small charts made of characters, for a terminal: where a person would rather look than read.

Plain text in, plain text out: the insights screen colours the pieces with the theme's stance
colours, and `appreciate insights` prints them as they are (a stacked bar drawn with the stances'
own symbols reads without colour too).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence

from appreciate_tui.domain import Stance

EIGHTHS = " ▏▎▍▌▋▊▉█"
SPARKS = "▁▂▃▄▅▆▇█"


def bar(value: float, maximum: float, width: int) -> str:
    """A horizontal bar `value / maximum` of `width` cells, in eighths of a cell."""
    if maximum <= 0 or width <= 0 or value <= 0:
        return ""
    eighths = round(min(value, maximum) / maximum * width * 8)
    eighths = max(eighths, 1)
    full, part = divmod(eighths, 8)
    return "█" * full + (EIGHTHS[part] if part else "")


def shares(counts: Mapping[Stance, int], width: int, order: Sequence[Stance]) -> list[tuple[Stance, int]]:
    """How many of `width` cells each stance gets (largest remainders; every stance present gets
    at least one cell when there is room)."""
    present = [(stance, counts.get(stance, 0)) for stance in order if counts.get(stance, 0) > 0]
    total = sum(n for _, n in present)
    if not total or width <= 0:
        return []
    exact = [(stance, n * width / total) for stance, n in present]
    cells = {stance: int(x) for stance, x in exact}
    rest = width - sum(cells.values())
    for stance, x in sorted(exact, key=lambda item: item[1] - int(item[1]), reverse=True)[:rest]:
        cells[stance] += 1
    for stance, _ in present:  # a stance that was said at all is never invisible
        if cells[stance] == 0 and width >= len(present):
            biggest = max(cells, key=lambda s: cells[s])
            cells[biggest] -= 1
            cells[stance] = 1
    return [(stance, cells[stance]) for stance, _ in present if cells[stance] > 0]


def stacked(counts: Mapping[Stance, int], width: int, order: Sequence[Stance]) -> str:
    """A bar of `width` cells split between stances, each drawn with the stance's symbol."""
    return "".join(stance.symbol * cells for stance, cells in shares(counts, width, order))


def sparkline(values: Sequence[float], low: float = 0, high: float | None = None) -> str:
    """One character per value, from ▁ (low) to █ (high)."""
    if not values:
        return ""
    top = max(values) if high is None else high
    span = top - low
    if span <= 0:
        return SPARKS[-1] * len(values)
    return "".join(
        SPARKS[min(len(SPARKS) - 1, max(0, round((v - low) / span * (len(SPARKS) - 1))))]
        for v in values
    )


def pooled(values: Sequence[float], weights: Sequence[int], cells: int) -> list[float]:
    """`values` as they are while there are at most `cells` of them; else neighbours pooled into
    `cells` groups of (nearly) as many values each, each group's mean weighted by `weights`."""
    if cells <= 0:
        return []
    if len(values) <= cells:
        return list(values)
    found = []
    for cell in range(cells):
        start, end = len(values) * cell // cells, len(values) * (cell + 1) // cells
        weight = sum(weights[start:end])
        found.append(
            sum(v * w for v, w in zip(values[start:end], weights[start:end])) / weight
            if weight else sum(values[start:end]) / (end - start)
        )
    return found


def cells(text: str) -> int:
    """How many terminal cells `text` takes: two for a wide character (most emoji, CJK), none for
    a combining mark."""
    return sum(_cell_width(char) for char in text)


def _cell_width(char: str) -> int:
    if unicodedata.combining(char) or char in "\u200b\u200c\u200d\ufe0e\ufe0f":
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def fit(text: str, width: int) -> str:
    """`text` in exactly `width` cells: padded with spaces, or cut with an ellipsis (never halving
    a wide character), so that what follows it in a line starts at the same column."""
    if width <= 0:
        return ""
    used = cells(text)
    if used <= width:
        return text + " " * (width - used)
    kept, room = [], width - 1
    for char in text:
        size = _cell_width(char)
        if size > room:
            break
        kept.append(char)
        room -= size
    return "".join(kept) + "…" + " " * room


def percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "–"
