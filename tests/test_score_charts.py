"""An agency's scores drawn as a line of characters: one mark per date against 0…10, pooled when
more dates than fit, names fitted to their column whatever their script, a single score a single
mark."""

from __future__ import annotations

import pytest

from appreciate_tui.insights import charts
from appreciate_tui.insights.scores import (
    AgencySeries, ScorePoint, by_agency, change_text, row, trend,
)


def _series(*means: float, agency: str | None = "Police") -> AgencySeries:
    points = tuple(ScorePoint(f"2025-01-{day + 1:02}", 1, m, int(m), int(m))
                   for day, m in enumerate(means))
    change = round(points[-1].mean - points[-2].mean, 2) if len(points) > 1 else None
    return AgencySeries(agency, points, len(points), round(sum(means) / len(means), 2),
                        points[-1], change)


def test_one_score_is_one_mark_not_a_line() -> None:
    one = _series(7)
    assert trend(one, 20) == "▆"
    drawn = row(one, 10, 8)
    assert drawn.chart == "▆" + " " * 7 and drawn.change.strip() == "first"
    assert drawn.count == "1 score" and drawn.latest.startswith(" 7.0 (1)")


@pytest.mark.parametrize(("value", "mark"), [(0, "▁"), (10, "█"), (5, "▅")])
def test_against_the_scale_not_the_data(value: float, mark: str) -> None:
    """All scores alike draw a flat line at their height on 0…10, not a full bar."""
    assert trend(_series(value, value, value), 10) == mark * 3
    assert change_text(_series(value, value)) == "±0"


def test_extremes_and_change_signs() -> None:
    assert trend(_series(0, 10, 0), 10) == "▁█▁"
    assert change_text(_series(0, 10)) == "+10.0"
    assert change_text(_series(10, 0)) == "-10.0"
    assert change_text(_series(6, 6.5)) == "+0.5"


def test_many_dates_are_pooled_to_the_width_weighted_by_scores() -> None:
    assert charts.pooled([1, 2, 3], [1, 1, 1], 5) == [1, 2, 3]
    assert charts.pooled([0, 10], [3, 1], 1) == [2.5]  # three 0s and one 10
    assert charts.pooled([4, 4, 8, 8], [1, 1, 1, 1], 2) == [4, 8]
    assert charts.pooled([], [], 3) == [] and charts.pooled([1], [1], 0) == []
    long = _series(*[d % 11 for d in range(500)])
    assert len(trend(long, 16)) == 16
    assert len(row(long, 10, 16).chart) == 16


@pytest.mark.parametrize(
    ("name", "cells"),
    [
        ("Police", 6),
        ("👮 Polícia", 10),  # the emoji takes two cells
        ("שירותי רווחה", 12),  # right-to-left letters, kept as they are
        ("Cafe\u0301", 4),  # a combining accent takes none
        ("警察", 4),
    ],
)
def test_cells_counts_what_a_terminal_draws(name: str, cells: int) -> None:
    assert charts.cells(name) == cells
    assert charts.cells(charts.fit(name, 14)) == 14
    assert charts.fit(name, 14).startswith(name)


def test_a_long_name_is_cut_to_its_column_never_halving_a_wide_character() -> None:
    assert charts.fit("L" * 300, 12) == "L" * 11 + "…"
    fitted = charts.fit("警察警察警察", 6)
    assert fitted == "警察… " and charts.cells(fitted) == 6
    assert charts.fit("anything", 0) == ""
    drawn = row(_series(5, agency="\x1b[31m" + "Red" * 50), 16, 4)
    assert drawn.name.startswith("␛[31mRed") and charts.cells(drawn.name) == 16
    assert "\x1b" not in drawn.name


def test_by_agency_keeps_the_unattributed_apart_and_agencies_alike_together() -> None:
    found = by_agency([
        ("Q?", "Police", "2025-01-01", 2, 10, 4, 6),
        ("Q?", "police ", "2025-02-01", 1, 8, 8, 8),  # the same agency, spelt otherwise
        ("q?", None, "2025-01-01", 1, 2, 2, 2),
        ("Q?", "", "2025-02-01", 1, 4, 4, 4),  # an empty agency is none
        (None, "Health", "2025-03-01", 1, 9, 9, 9),  # a score under no question
    ])
    first, second = found
    assert (first.text, first.wordings, first.scores) == ("Q?", ("Q?", "q?"), 5)
    [police] = first.agencies
    assert (police.agency, [p.mean for p in police.points], police.change) == (
        "Police", [5.0, 8.0], 3.0)
    assert first.unattributed is not None
    assert [(p.date, p.mean) for p in first.unattributed.points] == [
        ("2025-01-01", 2.0), ("2025-02-01", 4.0)]
    assert second.text == "(scores under no question)" and second.unattributed is None
