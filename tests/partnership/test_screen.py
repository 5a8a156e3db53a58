"""The insights screen: reached from the list with `i` and from the palette, it paints before the
figures arrive, then shows them; `m` marks an action's progress, `o` links to outcome areas, `k`
keeps a follow-up in the user's bank, Enter on a theme shows its notes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import OptionList, Static

from appreciate_tui.banks.loader import USER_BANK_ID, find_bank
from appreciate_tui.domain import ActionStatus
from appreciate_tui.settings import Settings
from appreciate_tui.store import Store
from appreciate_tui.tui.app import AppreciateApp
from appreciate_tui.tui.screens.insights import InsightsScreen
from appreciate_tui.tui.dialogs.outcome_picker import OutcomePicker


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    with Store.open(db_path) as opened:
        conversation = opened.create_conversation("Front door", "Sharing", date="2025-01-10",
                                                  status="closed")
        question = opened.add_question(conversation.id, "When did it go well?", "discover")
        follow = opened.add_follow_up(conversation.id, question.id, "Who noticed first?")
        opened.add_note(conversation.id, question.id, "Invitation came late", "concern")
        opened.add_note(conversation.id, follow.id, "The chair noticed", "strength")
        opened.add_action(conversation.id, "Set up a rota", owner="Health", due="2025-02-01")
        yield opened


def _text(app: AppreciateApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def _open(pilot, app: AppreciateApp) -> InsightsScreen:
    await pilot.press("i")
    screen = app.screen
    assert isinstance(screen, InsightsScreen)
    await app.workers.wait_for_complete()
    await pilot.pause()
    return screen


async def test_from_the_list_with_i_and_every_section(store: Store) -> None:
    app = AppreciateApp(store, settings=Settings())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot, app)
        assert "1 conversation · 2 notes" in _text(app, "#insights-title")
        assert "concern" in _text(app, "#overview-figures")
        for key, view in zip("2345678", ("themes", "actions", "successes", "voices", "questions",
                                          "outcomes", "scores")):
            await pilot.press(key)
            assert screen.query_one("#insights-views").current == view
        await pilot.press("escape")
        assert not isinstance(app.screen, InsightsScreen)


async def test_the_palette_opens_it(store: Store) -> None:
    app = AppreciateApp(store, settings=Settings())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"insights: open")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, InsightsScreen)


async def test_progress_outcome_keep_and_drill_down(store: Store) -> None:
    conversation = store.list_conversations()[0]
    action = store.list_actions(conversation.id)[0]
    question = store.list_questions(conversation.id)[0]
    store.add_note(conversation.id, question.id, "Late invitation again", "concern")
    app = AppreciateApp(store, settings=Settings())
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(pilot, app)
        await pilot.press("3")
        assert "1 overdue" in _text(app, "#actions-summary")
        await pilot.press("m")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert store.get_action(action.id).status is ActionStatus.IN_PROGRESS

        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, OutcomePicker)
        await pilot.press("space", "s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert store.outcome_areas_of("action", action.id) == {"children-safe"}

        await pilot.press("2")  # themes of concerns; Enter shows the notes behind a word
        terms = screen.query_one("#theme-terms", OptionList)
        words = [terms.get_option_at_index(i).id for i in range(terms.option_count)]
        terms.highlighted = words.index("term:invitation")
        await pilot.press("enter")
        await pilot.pause()
        notes = screen.query_one("#theme-notes", OptionList)
        assert notes.option_count == 2 and notes.has_focus

        await pilot.press("6")
        questions = screen.query_one("#question-list", OptionList)
        ids = [questions.get_option_at_index(i).id or "" for i in range(questions.option_count)]
        questions.highlighted = next(i for i, key in enumerate(ids) if key.startswith("question:")
                                     and store.get_question(key[9:]).is_follow_up)
        await pilot.press("k")
        await pilot.pause()
    assert "Who noticed first?" in [q.text for q in find_bank(USER_BANK_ID).questions]
