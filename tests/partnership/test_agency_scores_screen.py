"""The scores section of the insights screen: a line per agency with its chart, the scores nobody's
agency gave on a line of their own, within the width of an 80-column terminal, and usable with
two hundred agencies."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.cells import cell_len
from textual.widgets import Static

from appreciate_tui.cli import main
from appreciate_tui.cli.insights import WIDTH
from appreciate_tui.insights.charts import SPARKS
from appreciate_tui.settings import Settings
from appreciate_tui.store import Store
from appreciate_tui.tui.app import AppreciateApp
from appreciate_tui.tui.screens.insights import InsightsScreen

SCALE = "Where are we now, from 0 to 10?"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    with Store.open(db_path) as opened:
        for day, police in (("2025-01-10", 4), ("2025-03-12", 6), ("2025-06-02", 8)):
            c = opened.create_conversation(f"Front door {day}", "Sharing", date=day,
                                           status="closed")
            q = opened.add_question(c.id, SCALE, "discover", scale=True)
            opened.record_score(c.id, q.id, police, agency="Police")
            if day == "2025-01-10":
                opened.record_score(c.id, q.id, 9, agency="👮 " + "Very long agency " * 6)
                nobody = opened.add_participant(c.id, "Other", attended=True)
                opened.db.execute("UPDATE participants SET agency = '' WHERE id = ?", [nobody.id])
                opened.record_score(c.id, q.id, 2, participant_id=nobody.id)
        yield opened


async def _scores_text(app: AppreciateApp, pilot) -> list[str]:
    await pilot.press("i")
    assert isinstance(app.screen, InsightsScreen)
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("8")
    await pilot.pause()
    return str(app.screen.query_one("#scores-figures", Static).render()).splitlines()


async def test_each_agency_over_time_and_the_unattributed_apart(store: Store) -> None:
    app = AppreciateApp(store, settings=Settings())
    async with app.run_test(size=(80, 24)) as pilot:
        lines = await _scores_text(app, pilot)
        width = app.screen.query_one("#insights-views").size.width
    assert SCALE in lines
    police = next(line for line in lines if line.strip().startswith("Police "))
    assert "▄▅▇" in police and "+2.0" in police and "3 scores" in police
    long_name = next(line for line in lines if "👮" in line)
    assert "…" in long_name and "first" in long_name
    apart = [line for line in lines if line.strip().startswith("not attributed")]
    assert len(apart) == 1 and "2.0" in apart[0]
    assert all(cell_len(line) <= width for line in lines)
    # The charts start in the same column on every line, whatever the name before them.
    assert _chart_column(long_name) == _chart_column(police) == _chart_column(apart[0])


def _chart_column(line: str) -> int:
    start = min(i for i, char in enumerate(line) if char in SPARKS)
    return cell_len(line[:start])


async def test_two_hundred_agencies_stay_usable(db_path: Path) -> None:
    with Store.open(db_path) as store:
        c = store.create_conversation("Everyone", "All", date="2025-05-05", status="closed")
        q = store.add_question(c.id, SCALE, "discover", scale=True)
        with store.atomic():
            for n in range(200):
                store.record_score(c.id, q.id, n % 11, agency=f"Agency {n:03}")
        app = AppreciateApp(store, settings=Settings())
        async with app.run_test(size=(80, 24)) as pilot:
            lines = await _scores_text(app, pilot)
    agency_lines = [line for line in lines if line.strip().startswith("Agency ")]
    assert len(agency_lines) == 10
    assert any("… and 190 more agencies" in line for line in lines)


def test_the_trend_of_the_means_fits_its_column(db_path: Path) -> None:
    """With more conversations than the column is wide, the trend pools neighbours instead of
    printing one mark per conversation on an endless line."""
    with Store.open(db_path) as store:
        for n in range(WIDTH + 5):
            day = f"2025-01-{n % 28 + 1:02}"
            c = store.create_conversation(f"Meeting {n}", "Sharing", date=day, status="closed")
            q = store.add_question(c.id, SCALE, "discover", scale=True)
            store.record_score(c.id, q.id, n % 11, agency="Police")
    printed = CliRunner().invoke(main, ["--db", str(db_path), "insights"]).output
    [trend] = [line for line in printed.splitlines() if "trend of the means" in line]
    assert len(trend.split(": ", 1)[1]) == WIDTH
