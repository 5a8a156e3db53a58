"""Issue 15, on the facilitation screen, driven with keys as a facilitator would: a pause for a
comfort break, round the room for the quiet agency, the parking lot, undoing the last change to a
note, and leaving a live conversation for the list and coming back. What is asserted about the
record is read from the file through a connection of its own."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from appreciate_tui.domain import Stance
from appreciate_tui.store import Store
from appreciate_tui.tui.app import AppreciateApp
from appreciate_tui.tui.screens.facilitate import FacilitateScreen
from appreciate_tui.tui.dialogs.help import HELP_DIR
from appreciate_tui.tui.screens.home import HomeScreen
from appreciate_tui.tui.widgets.conversation_table import BROWSER_COLUMNS
from tests.conftest import FrozenClock
from tests.tui.test_facilitate import one, rows

README = Path(__file__).parents[2] / "README.md"


pytestmark = pytest.mark.usefixtures("frozen_clock")


@asynccontextmanager
async def facilitating(
    store: Store, cid: str, size: tuple[int, int] = (120, 40)
) -> AsyncIterator[tuple[AppreciateApp, Pilot, FacilitateScreen]]:
    app = AppreciateApp(store, conversation_id=cid)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FacilitateScreen)
        yield app, pilot, screen


async def commit(pilot: Pilot, text: str) -> None:
    focused = pilot.app.focused
    assert isinstance(focused, Input), focused
    focused.value = text
    await pilot.press("enter")
    await pilot.pause()


def clocks(screen: FacilitateScreen, clock: FrozenClock, **later: float) -> str:
    """The clock line once the clock has moved on (it is redrawn each second)."""
    clock.advance(**later)
    screen.header_strip.tick()
    return str(screen.header_strip.clock.render())


def notes(db_path: Path) -> list[dict[str, object]]:
    return [dict(row) for row in rows(db_path, "SELECT * FROM notes ORDER BY created_at, rowid")]


# ---------------------------------------------------------------- 2. pause, and the whole budget


async def test_a_pause_stops_the_clocks_and_the_same_key_resumes(
    store: Store, cid: str, db_path: Path, frozen_clock: FrozenClock
) -> None:
    # The arithmetic of the clocks around a pause is tests/test_facilitation_rules.py's: here,
    # that ctrl+t pauses and resumes, the header says so, and notes can still be written.
    async with facilitating(store, cid) as (_, pilot, screen):
        clocks(screen, frozen_clock, minutes=3)
        await pilot.press("ctrl+t")
        pause = one(db_path, "SELECT * FROM pauses WHERE conversation_id = ?", cid)
        assert pause["paused_at"] and pause["resumed_at"] is None
        during = clocks(screen, frozen_clock, minutes=15)
        assert "PAUSED 15 min" in during
        assert "Elapsed 3 of 25 min" in during and "This question 3 min" in during
        assert "Define 3 of 5 min" in during, "the phase's time leaves the pause out too"
        await commit(pilot, "- nobody had the chronology before the break")
        assert [n["body"] for n in notes(db_path)] == ["nobody had the chronology before the break"]

        await pilot.press("ctrl+t")
        resumed = one(db_path, "SELECT * FROM pauses WHERE conversation_id = ?", cid)
        assert resumed["resumed_at"] is not None
        assert "PAUSED" not in clocks(screen, frozen_clock, minutes=4)


async def test_a_paused_conversation_reopened_is_still_paused(
    store: Store, cid: str, db_path: Path, frozen_clock: FrozenClock
) -> None:
    async with facilitating(store, cid) as (_, pilot, _screen):
        await pilot.press("ctrl+t")
    frozen_clock.advance(minutes=5)
    async with facilitating(store, cid) as (_, pilot, screen):
        assert "PAUSED 5 min" in clocks(screen, frozen_clock, seconds=1)
        await pilot.press("ctrl+t")
        assert one(db_path, "SELECT resumed_at FROM pauses")["resumed_at"] is not None


# ---------------------------------------------------------------- 3. round the room


async def test_round_the_room_invites_each_agency_yet_to_speak_in_turn(
    store: Store, cid: str
) -> None:
    # Who is invited next is tests/test_facilitation_rules.py's: here, that ctrl+r and a saved
    # note move the prompt and the voices' marker on, and nothing else does.
    async with facilitating(store, cid) as (_, pilot, screen):

        def prompt() -> str:
            return str(screen.notes_pane.round_prompt.render())

        def voices() -> str:
            return " ".join(str(o.prompt.text) for o in screen.voices.agencies.options)

        assert not screen.notes_pane.round_prompt.display
        await pilot.press("ctrl+r")  # who's here lists social care, health, police, in order
        assert "Children's social care" in prompt() and "3 yet to speak" in prompt()
        assert "Children's social care  ◀ invite" in voices()
        await commit(pilot, "- nobody tells us the outcome #police")  # another agency first
        assert "Children's social care" in prompt() and "2 yet to speak" in prompt()
        await pilot.press("ctrl+r")
        assert "Health" in prompt() and "Health  ◀ invite" in voices()

        # The prompt moves on when the invited agency is heard, and on no keystroke before.
        screen.notes_pane.input.value = "calls start on time #health"
        await pilot.pause()
        assert "Health" in prompt()
        await pilot.press("enter")
        await pilot.pause()
        assert "Children's social care" in prompt() and "1 yet to speak" in prompt()
        await commit(pilot, "> a named deputy #csc")
        assert "Every agency here has spoken" in prompt()
        assert "◀ invite" not in voices()


async def test_round_the_room_starts_again_on_the_next_question(store: Store, cid: str) -> None:
    async with facilitating(store, cid) as (_, pilot, screen):
        await commit(pilot, "+ calls start on time #health")
        await pilot.press("ctrl+r", "ctrl+r")
        assert "Police" in str(screen.notes_pane.round_prompt.render())
        await pilot.press("f6")
        assert not screen.notes_pane.round_prompt.display
        await pilot.press("ctrl+r")
        assert "Children's social care" in str(screen.notes_pane.round_prompt.render())
        assert "3 yet to speak" in str(screen.notes_pane.round_prompt.render())


async def test_round_the_room_with_nobody_here_says_how_to_mark_them(
    store: Store, cid: str
) -> None:
    for person in store.list_participants(cid):
        store.set_attended(person.id, False)
    async with facilitating(store, cid) as (app, pilot, screen):
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert not screen.notes_pane.round_prompt.display
        assert any("F4" in str(n.message) for n in app._notifications)


# ---------------------------------------------------------------- 4. the parking lot


async def test_a_parked_note_is_listed_and_one_key_makes_it_a_follow_up(
    store: Store, cid: str, db_path: Path
) -> None:
    async with facilitating(store, cid) as (app, pilot, screen):
        await commit(pilot, "? what happens to the GP letters #health")
        [parked] = notes(db_path)
        assert parked["parked"] == 1 and parked["follow_up_id"] is None
        assert parked["body"] == "what happens to the GP letters"
        assert "? parked" in str(screen.notes_pane.notes.get_option_at_index(0).prompt.text)
        assert screen.flow.parked.option_count == 1
        lot = str(screen.flow.parked.get_option_at_index(0).prompt.text)
        assert "what happens to the GP letters" in lot

        await pilot.press("f6")  # later in the conversation
        screen.flow.parked.focus()
        await pilot.press("enter")
        await pilot.pause()
        follow_up = one(db_path, "SELECT * FROM questions WHERE kind = 'follow_up'")
        assert follow_up["text"] == "what happens to the GP letters"
        assert follow_up["parent_id"] == store.list_questions(cid)[1].id
        assert one(db_path, "SELECT current_question_id FROM conversations")[0] == follow_up["id"]
        assert notes(db_path)[0]["follow_up_id"] == follow_up["id"]
        assert screen.flow.parked.option_count == 0
        assert app.focused is screen.notes_pane.input


async def test_f_on_a_chosen_note_asks_it_as_a_follow_up(
    store: Store, cid: str, db_path: Path
) -> None:
    async with facilitating(store, cid) as (_, pilot, screen):
        await commit(pilot, "? who chairs when the manager is away")
        await pilot.press("up", "f")
        await pilot.pause()
        follow_up = one(db_path, "SELECT * FROM questions WHERE kind = 'follow_up'")
        assert follow_up["text"] == "who chairs when the manager is away"
        assert screen.flow.parked.option_count == 0


async def test_question_mark_on_a_chosen_note_parks_it_and_unparks_it(
    store: Store, cid: str, db_path: Path
) -> None:
    async with facilitating(store, cid) as (_, pilot, screen):
        await commit(pilot, "what about out of hours")
        await pilot.press("up", "question_mark")
        await pilot.pause()
        assert notes(db_path)[0]["parked"] == 1
        assert screen.flow.parked.option_count == 1
        await pilot.press("question_mark")
        await pilot.pause()
        assert notes(db_path)[0]["parked"] == 0
        assert screen.flow.parked.option_count == 0


async def test_the_wrap_up_lists_what_was_raised_and_not_discussed(
    store: Store, cid: str
) -> None:
    from appreciate_tui.tui.screens.wrapup import WrapUpScreen

    first = store.list_questions(cid)[0].id
    store.start_conversation(cid)
    store.add_note(cid, first, "GP letters arrive late", parked=True)
    store.close_conversation(cid)
    app = AppreciateApp(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.push_screen(WrapUpScreen(cid, tab="follow-ups-tab"))
        await pilot.pause()
        said = str(app.screen.query_one("#raised").render())
        assert "Raised, not yet discussed" in said and "GP letters arrive late" in said


# ---------------------------------------------------------------- 5. undo


async def test_ctrl_z_and_u_undo_and_say_what(
    store: Store, cid: str, db_path: Path, frozen_clock: FrozenClock
) -> None:
    # What each undo takes back, in turn, and its words are tests/test_facilitation_rules.py's:
    # here, that the keys undo and the screen says what.
    async with facilitating(store, cid) as (app, pilot, screen):
        await commit(pilot, "+ calls on time")
        await pilot.press("up", "minus", "asterisk")
        await pilot.pause()

        async def undo(key: str) -> str:
            frozen_clock.advance(seconds=2)
            await pilot.press(key)
            await pilot.pause()
            return str(list(app._notifications)[-1].message)

        said = await undo("ctrl+z")
        assert notes(db_path)[0]["starred"] == 0
        assert said.startswith("Undone: star") and "calls on time" in said
        assert app.focused is screen.notes_pane.notes
        assert (await undo("u")).startswith("Undone: stance")  # u: the same, a letter
        assert notes(db_path)[0]["stance"] == Stance.STRENGTH.value
        assert "Nothing" in await undo("ctrl+z")


@pytest.mark.slow  # ~4 s on one core
async def test_undo_reaches_a_note_under_another_question(
    store: Store, cid: str, db_path: Path
) -> None:
    async with facilitating(store, cid) as (app, pilot, screen):
        await commit(pilot, "- invites at short notice")
        await pilot.press("up", "d")
        await pilot.press("escape", "f6")
        await commit(pilot, "~ every agency has the summary")
        await pilot.press("up", "ctrl+z")
        await pilot.pause()
        assert notes(db_path)[0]["deleted_at"] is None
        assert "question 1" in str(list(app._notifications)[-1].message)
        assert screen.notes_pane.notes.option_count == 1  # the list shows this question's note


# ---------------------------------------------------------------- 6. back to the list


async def test_leaving_for_the_list_keeps_it_live_and_enter_comes_back(
    store: Store, cid: str, db_path: Path, frozen_clock: FrozenClock
) -> None:
    async with facilitating(store, cid) as (app, pilot, screen):
        screen.notes_pane.input.value = "+ half a thought"  # typed, not yet saved
        frozen_clock.advance(minutes=12)
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert one(db_path, "SELECT body FROM drafts WHERE field = 'note'")["body"] == (
            "+ half a thought"
        )
        assert one(db_path, "SELECT status FROM conversations")["status"] == "live"
        summary = app.screen.table.highlighted
        assert summary is not None and summary.conversation.id == cid
        status = next(c for c in BROWSER_COLUMNS if c.key == "status")
        assert status.cell(summary).plain == "live 12m"
        await pilot.press("enter")
        await pilot.pause()
        back = app.screen
        assert isinstance(back, FacilitateScreen) and back.conversation_id == cid
        assert back.notes_pane.input.value == "+ half a thought"


async def test_the_list_shows_a_paused_conversation_as_paused(
    store: Store, cid: str, frozen_clock: FrozenClock
) -> None:
    async with facilitating(store, cid) as (app, pilot, _screen):
        frozen_clock.advance(minutes=4)
        await pilot.press("ctrl+t")
        frozen_clock.advance(minutes=30)
        await pilot.press("ctrl+l")
        await pilot.pause()
        summary = app.screen.table.highlighted
        status = next(c for c in BROWSER_COLUMNS if c.key == "status")
        assert status.cell(summary).plain == "paused 4m"


# ---------------------------------------------------------------- documented everywhere


async def test_every_new_key_is_in_the_footer_the_palette_the_help_and_the_readme(
    store: Store, cid: str
) -> None:
    from appreciate_tui.tui.palette.facilitate import commands

    help_text = (HELP_DIR / "facilitate.md").read_text(encoding="utf-8")
    readme = README.read_text(encoding="utf-8")
    async with facilitating(store, cid) as (_, _pilot, screen):
        titles = [title for title, _, _ in commands(screen)]
    for key, command in (
        ("ctrl+t", "facilitate: pause or resume"),
        ("ctrl+r", "facilitate: round the room"),
        ("ctrl+l", "facilitate: back to the list"),
        ("ctrl+z", "facilitate: undo note change"),
        ("f", "facilitate: ask note as follow-up"),
        ("?", "facilitate: park or unpark note"),
    ):
        assert command in titles, command
        assert f"`{command}`" in help_text, command
        assert f"`{key}`" in help_text, key
        assert key in readme, key
    shown = {b.key: b for b in FacilitateScreen.BINDINGS}  # type: ignore[union-attr]
    for key in ("ctrl+t", "ctrl+r", "ctrl+l"):
        assert shown[key].show and shown[key].id and shown[key].description, key
    assert "`?`" in readme and "?park" in help_text
