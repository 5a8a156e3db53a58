"""A field opened on text someone wrote keeps that text: the cursor waits at its end, nothing is
selected, and the first key typed adds to it. The one exception is a default the app made up (the
new conversation's title), which is selected so that typing replaces it.

Each test presses real keys: what is at stake is what the first keystroke does.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Select, TextArea

from appreciate_tui.banks.loader import load_banks
from appreciate_tui.settings import Settings
from appreciate_tui.store import Store
from appreciate_tui.tui.app import AppreciateApp
from appreciate_tui.tui.dialogs.action_form import ActionFormScreen
from appreciate_tui.tui.dialogs.edit_note import EditNoteScreen
from appreciate_tui.tui.screens.facilitate import FacilitateScreen
from appreciate_tui.tui.dialogs.new_conversation import NewConversationScreen
from appreciate_tui.tui.dialogs.participant_form import ParticipantFormScreen
from appreciate_tui.tui.screens.plan import PlanScreen
from appreciate_tui.tui.dialogs.question_form import QuestionFormScreen
from appreciate_tui.tui.screens.wrapup import WrapUpScreen
from tests.conftest import FrozenClock
from tests.tui.facilitate_data import make_conversation, make_mid_conversation
from tests.tui.wrapup_data import make_ended_conversation


pytestmark = pytest.mark.usefixtures("frozen_clock")


def focused_input(pilot: Pilot) -> Input:
    focused = pilot.app.focused
    assert isinstance(focused, Input), focused
    return focused


async def type_x(pilot: Pilot) -> Input:
    """Press X in the focused field; the field, to look at."""
    field = focused_input(pilot)
    await pilot.press("X")
    await pilot.pause()
    return field


async def test_editing_a_note_adds_to_it_rather_than_replacing_it(
    store: Store, db_path: Path
) -> None:
    cid = make_conversation(store)
    app = AppreciateApp(store, conversation_id=cid)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, FacilitateScreen)
        focused_input(pilot).value = "calls start on time"
        await pilot.press("enter", "up", "e")
        assert isinstance(app.screen, EditNoteScreen)
        field = await type_x(pilot)
        assert field.value == "calls start on timeX"
        assert field.selection.is_empty
        await pilot.press("enter")
        await pilot.pause()
    [note] = store.list_notes(cid)
    assert note.body == "calls start on timeX"


async def test_a_note_line_brought_back_from_its_draft_carries_on(
    store: Store, frozen_clock: FrozenClock
) -> None:
    cid = make_mid_conversation(store, frozen_clock.advance)  # "~ one shared chronology #csc"
    app = AppreciateApp(store, conversation_id=cid)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("up", "escape")  # to a note and back to the line, as in a meeting
        field = await type_x(pilot)
        assert field.value == "~ one shared chronology #cscX"


async def test_changing_an_action_adds_to_its_description(
    store: Store, frozen_clock: FrozenClock
) -> None:
    cid = make_ended_conversation(store, frozen_clock.advance)
    app = AppreciateApp(store)
    async with app.run_test(size=(120, 40)) as pilot:
        app.wrap_up_conversation(cid)
        await pilot.pause()
        assert isinstance(app.screen, WrapUpScreen)
        await pilot.press("e")
        assert isinstance(app.screen, ActionFormScreen)
        field = await type_x(pilot)
        assert field.value == "Health to set up a duty rota for strategy callsX"


async def test_rewording_a_question_adds_to_it(store: Store) -> None:
    cid = make_conversation(store)
    app = AppreciateApp(store, settings=Settings())
    async with app.run_test(size=(120, 40)) as pilot:
        app.plan_conversation(cid)
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        await pilot.press("f5", "e")
        assert isinstance(app.screen, QuestionFormScreen)
        field = await type_x(pilot)
        assert field.value.endswith("hope for from them?X")


async def test_changing_a_participant_adds_to_their_pseudonym(store: Store) -> None:
    cid = make_conversation(store)
    app = AppreciateApp(store, settings=Settings())
    async with app.run_test(size=(120, 40)) as pilot:
        app.plan_conversation(cid)
        await pilot.pause()
        await pilot.press("f4", "e")
        form = app.screen
        assert isinstance(form, ParticipantFormScreen)
        assert isinstance(app.focused, Select)
        await pilot.press("tab", "tab")  # past the agency and the new agency, to the pseudonym
        field = await type_x(pilot)
        assert field.id == "pseudonym" and field.value.endswith(" 1X")


async def test_correcting_the_opening_adds_to_its_end(store: Store) -> None:
    cid = make_conversation(store)
    store.update_conversation(cid, opening="Thank you for coming.")
    app = AppreciateApp(store, settings=Settings())
    async with app.run_test(size=(120, 40)) as pilot:
        app.plan_conversation(cid)
        await pilot.pause()
        opening = app.screen.query_one("#opening", TextArea)
        opening.focus()
        await pilot.press("X")
        assert opening.text == "Thank you for coming.X"


async def test_typing_a_title_replaces_the_one_offered(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    banks, _ = load_banks()
    app = AppreciateApp(store)
    monkeypatch.setattr(app, "open_conversation", lambda _: None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "enter")
        assert isinstance(app.screen, NewConversationScreen)
        title = focused_input(pilot)
        assert title.value.startswith(banks[0].title)
        await pilot.press(*"Spring")
        assert title.value == "Spring"
        await pilot.press("enter")
        await pilot.pause()
    [conversation] = store.list_conversations()
    assert conversation.title == "Spring"


async def test_the_offered_title_can_be_kept_and_added_to(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = AppreciateApp(store)
    monkeypatch.setattr(app, "open_conversation", lambda _: None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "enter")
        title = focused_input(pilot)
        offered = title.value
        await pilot.press("end", *" X")
        assert title.value == f"{offered} X"
