"""A count of one on screen meets a singular noun ("1 minute", "1 question"), as everywhere else
(appreciate_tui/wording.py, `plural`)."""

from __future__ import annotations

import pytest

from appreciate_tui.domain import Phase
from appreciate_tui.settings import Settings
from appreciate_tui.store import Store
from appreciate_tui.tui.app import AppreciateApp
from appreciate_tui.tui.dialogs.choose_phase import ChoosePhaseScreen
from appreciate_tui.tui.screens.plan import PlanScreen
from appreciate_tui.tui.screens.wrapup import WrapUpScreen
from tests.conftest import FrozenClock
from tests.tui.wrapup_data import make_ended_conversation

pytestmark = pytest.mark.usefixtures("frozen_clock")


async def test_a_plan_of_one_minute_says_one_minute(store: Store) -> None:
    cid = store.create_conversation("Front door", "What helps a referral land well?",
                                    date="2026-04-16").id
    store.update_conversation(cid, phase_budget={Phase.DEFINE.value: 1})
    app = AppreciateApp(store, settings=Settings())
    async with app.run_test(size=(120, 40)) as pilot:
        app.plan_conversation(cid)
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        shown = str(app.screen.query_one("#budget-total").render())
        assert "1 minute in all" in shown


async def test_keeping_the_first_question_says_one_question(
    store: Store, frozen_clock: FrozenClock
) -> None:
    cid = make_ended_conversation(store, frozen_clock.advance)
    app = AppreciateApp(store)
    async with app.run_test(size=(120, 40)) as pilot:
        app.wrap_up_conversation(cid)
        await pilot.pause()
        assert isinstance(app.screen, WrapUpScreen)
        await pilot.press("f7", "enter")
        assert isinstance(app.screen, ChoosePhaseScreen)
        await pilot.press("enter")
        await pilot.pause()
        said = [notification.message for notification in app._notifications]
        assert any("In My questions (1 question), ready" in message for message in said), said

