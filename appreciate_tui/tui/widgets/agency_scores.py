"""The scores section of the insights screen: each scale question's scores by agency over time,
then each conversation's scores.

One line per agency: its name, a sparkline of its mean on each date of conversation against 0…10
(neighbouring dates pooled when there are more than fit), the latest mean and its date, the change
since the date before and how many scores. An agency scored once shows one mark and "first", not
a line. Scores no agency gave are on a line of their own, "not attributed", after the agencies,
and never in an agency's line. The agencies with the most scores come first; past `AGENCIES_SHOWN`
the rest are counted ("… and 190 more agencies"), all of them in `appreciate insights --json`.

Plain characters carry every figure (a sign, not a colour, says which way a score moved); the
theme's variables only colour them, so the section reads the same in every theme. The insights
screen computes the figures (appreciate_tui/insights/scores.py) and draws this into a `Static`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content

from appreciate_tui.insights import charts
from appreciate_tui.insights import scores as figures
from appreciate_tui.text import one_line
from appreciate_tui.wording import plural

if TYPE_CHECKING:
    from appreciate_tui.insights.compute import Insights

AGENCIES_SHOWN = 10
"""Per scale question, the agencies with most scores shown; the rest are counted."""
QUESTIONS_SHOWN = 8
CONVERSATIONS_SHOWN = 15
WIDE = 100
"""From this width, the latest date's scores and the full date; below it, its year and month."""


def columns(width: int) -> tuple[int, int, bool]:
    """(name cells, chart cells, wide) for a section `width` cells wide."""
    wide = width >= WIDE
    name = max(10, min(24, width // 4))
    # "  " name " " chart " " latest "  " change "  " count (up to "12,345 scores")
    fixed = 2 + 1 + 1 + (21 if wide else 12) + 2 + 5 + 2 + 13
    return name, max(4, min(48, width - name - fixed)), wide


def agency_line(
    series: figures.AgencySeries, width: int, chart_cells: int | None = None
) -> Content:
    """One agency's line; `chart_cells` narrows the chart (to the question's most dates)."""
    name_cells, room, wide = columns(width)
    cells = room if chart_cells is None else min(room, chart_cells)
    row = figures.row(series, name_cells, cells, wide=wide)
    apart = series.agency is None
    change = row.change.strip()
    change_style = (
        "$text-muted" if apart or not change.startswith(("+", "-"))
        else "$success" if change.startswith("+") else "$warning"
    )
    return Content.assemble(
        "  ",
        (row.name, "italic $text-muted" if apart else ""),
        " ",
        (row.chart, "$text-muted" if apart else "$primary"),
        " ",
        row.latest,
        "  ",
        (row.change, change_style),
        "  ",
        (row.count, "$text-muted"),
    )


def scores_section(found: Insights, width: int) -> Content:
    """The whole section, `width` cells wide."""
    lines = [Content.assemble(("Scores", "bold"), (
        "   by agency over time · ▁ 0 … █ 10 · a mark per date", "$text-muted"))]
    if not found.scores_by_agency:
        lines.append(Content.styled(
            "No scores yet: typing =7 #police while facilitating records one.", "$text-muted"))
    for question in found.scores_by_agency[:QUESTIONS_SHOWN]:
        lines += [Content(""), Content.styled(one_line(question.text, width), "bold")]
        cells = figures.chart_cells(question, AGENCIES_SHOWN, columns(width)[1])
        lines.append(Content.styled(figures.described(question, cells), "$text-muted"))
        agencies, more = figures.shown(question, AGENCIES_SHOWN)
        lines += [agency_line(series, width, cells) for series in agencies]
        if more:
            lines.append(Content.styled(
                f"  … and {plural(more, 'more agency', 'more agencies')} "
                "(appreciate insights --json lists every one)", "$text-muted"))
        if question.unattributed is not None:
            lines.append(agency_line(question.unattributed, width, cells))
    left = len(found.scores_by_agency) - QUESTIONS_SHOWN
    if left > 0:
        lines += [Content(""), Content.styled(
            f"… and {plural(left, 'more scale question')} (in appreciate insights)",
            "$text-muted")]
    if found.scores:
        lines += [Content(""), Content.assemble(
            ("Each conversation", "bold"), ("   spread 0…10, mean (scores)", "$text-muted"))]
        for summary in found.scores[-CONVERSATIONS_SHOWN:]:
            lines.append(Content.assemble(
                (f"{summary.date} ", "$text-muted"),
                (charts.sparkline(summary.distribution), "$primary"),
                f" mean {summary.mean:4.1f} ({len(summary.values)}) ",
                one_line(summary.conversation_title, max(10, width - 40)),
            ))
        lines += [Content(""), Content.assemble(
            "Trend of the means, oldest first: ",
            (charts.fit(charts.sparkline(
                charts.pooled([s.mean for s in found.scores],
                              [len(s.values) for s in found.scores], max(10, width - 40)),
                0, 10), max(10, width - 40)), "$primary"),
        )]
    return Content("\n").join(lines)
