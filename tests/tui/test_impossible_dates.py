"""A date written right that is not on the calendar (2027-02-30) is said not to exist, and no
weekday is shown beside it; a date of the wrong shape is told its shape."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from appreciate_tui.domain import parse_due_date
from appreciate_tui.settings import Settings
from appreciate_tui.store import Store
from appreciate_tui.tui.app import AppreciateApp
from appreciate_tui.tui.dialogs.action_form import ActionFormScreen
from appreciate_tui.tui.screens.plan import PlanScreen


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("2027-02-30", "2027-02-30 does not exist: February 2027 has 28 days"),
        ("2028-02-30", "2028-02-30 does not exist: February 2028 has 29 days"),
        ("2027-04-31", "2027-04-31 does not exist: April 2027 has 30 days"),
        ("2027-13-01", "2027-13-01 does not exist: a year has 12 months"),
        ("30/02/2027", "a due date is YYYY-MM-DD, like 2026-04-30, not '30/02/2027'"),
    ],
)
def test_parse_due_date_says_a_date_does_not_exist(typed: str, said: str) -> None:
    with pytest.raises(ValueError) as raised:
        parse_due_date(typed)
    assert str(raised.value) == said
    assert parse_due_date("2027-2-3") == "2027-02-03"


@pytest.fixture
def store(db_path: Path, frozen_clock: object) -> Iterator[Store]:
    with Store.open(db_path) as opened:
        yield opened


async def test_plan_date_that_does_not_exist_shows_no_weekday(store: Store) -> None:
    cid = store.create_conversation("Front door", "Sharing", date="2027-02-03").id
    app = AppreciateApp(store, settings=Settings())
    async with app.run_test(size=(120, 40)) as pilot:
        app.plan_conversation(cid)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PlanScreen)
        when = screen.query_one("#when-said", Static)
        assert "Wednesday" in str(when.render())
        field = screen.query_one("#date", Input)
        field.focus()
        field.value = "2027-02-30"
        await pilot.pause()
        assert str(when.render()).strip() == ""
        problem = str(screen.query_one("#details-problem", Static).render())
        assert "Date: 2027-02-30 does not exist: February 2027 has 28 days." in problem
        field.value = "2027-02-28"
        await pilot.pause()
        assert "Sunday" in str(when.render())


async def test_action_form_says_the_due_date_does_not_exist(store: Store) -> None:
    app = AppreciateApp(store, settings=Settings())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        results: list[object] = []
        app.push_screen(ActionFormScreen(["Health"]), results.append)
        await pilot.pause()
        form = app.screen
        form.query_one("#description", Input).value = "Share the chronology"
        due = form.query_one("#due", Input)
        due.value = "2027-02-30"
        due.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert results == []
        problem = str(form.query_one("#action-problem", Static).render())
        assert problem == "Due: 2027-02-30 does not exist: February 2027 has 28 days."
