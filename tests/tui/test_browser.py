"""The conversations browser as a facilitator uses it: sorting, filtering, searching every note,
and acting on a conversation (plan, duplicate, delete to the bin, restore, erase, start a new one
from an earlier one). Each flow is checked against the database."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from appreciate_tui.domain import ConversationStatus, Phase, Stance
from appreciate_tui.store import NotFound, Store
from appreciate_tui.tui.app import AppreciateApp
from appreciate_tui.tui.screens.bin import BinScreen
from appreciate_tui.tui.dialogs.confirm import ConfirmScreen
from appreciate_tui.tui.dialogs.date_range import DateRangeScreen
from appreciate_tui.tui.dialogs.help import HELP_DIR
from appreciate_tui.tui.screens.home import HomeScreen
from appreciate_tui.tui.palette.home import commands
from appreciate_tui.tui.dialogs.new_conversation import BLANK, EARLIER, NewConversationScreen
from appreciate_tui.tui.screens.review import ReviewScreen
from appreciate_tui.tui.widgets.conversation_table import ConversationTable


def held(store: Store, title: str, date: str, status: ConversationStatus, *,
         agencies: tuple[str, ...] = ("Police",), said: str = "", notes: int = 1,
         open_actions: int = 0) -> str:
    conversation = store.create_conversation(
        title, f"What works in {title}?", date=date, opening=f"Welcome to {title}."
    )
    cid = conversation.id
    question = store.add_question(cid, "When did it go well?", Phase.DISCOVER)
    for agency in agencies:
        store.add_participant(cid, agency, name=f"A {agency} officer",
                              attended=status is not ConversationStatus.PLANNED)
    for n in range(notes):
        store.add_note(cid, question.id, said or f"Note {n} in {title}", Stance.STRENGTH)
    for n in range(open_actions):
        store.add_action(cid, f"Action {n}")
    if status is not ConversationStatus.PLANNED:
        store.start_conversation(cid)
    if status is ConversationStatus.CLOSED:
        store.close_conversation(cid)
    return cid


@pytest.fixture
def three(store: Store) -> dict[str, str]:
    return {
        "autumn": held(store, "Autumn review", "2025-10-01", ConversationStatus.CLOSED,
                       agencies=("Health", "Police"), notes=5, open_actions=2,
                       said="The GP rang back within the hour"),
        "winter": held(store, "Winter planning", "2025-12-01", ConversationStatus.LIVE,
                       agencies=("Education",), notes=2),
        "spring": held(store, "Spring meeting", "2026-03-12", ConversationStatus.PLANNED,
                       agencies=("Health", "Children's social care"), notes=0),
    }


def home(app: AppreciateApp) -> HomeScreen:
    screen = app.screen
    assert isinstance(screen, HomeScreen)
    return screen


def titles(app: AppreciateApp) -> list[str]:
    return [row.conversation.title for row in home(app).table.rows]


def asked(app: AppreciateApp) -> str:
    """What a confirmation says."""
    return " ".join(str(text.render()) for text in app.screen.query(Static))


async def until(pilot: Pilot[None], condition: Callable[[], bool], seconds: float = 5.0) -> None:
    """Wait for work done by a thread (the search) to reach the screen."""
    for _ in range(int(seconds / 0.02)):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError("it never happened")


# ---------------------------------------------------------------- sorting


async def test_s_sorts_by_the_next_column_and_capital_s_reverses(store: Store, three: dict) -> None:
    app = AppreciateApp(store)
    async with app.run_test(size=(120, 30)) as pilot:
        assert titles(app) == ["Spring meeting", "Winter planning", "Autumn review"]
        await pilot.press("s")
        assert titles(app) == ["Autumn review", "Spring meeting", "Winter planning"], "by title"
        assert "Title ▲" in home(app).table.render_line(0).text
        await pilot.press("S")
        assert titles(app) == ["Winter planning", "Spring meeting", "Autumn review"]
        await pilot.press("s", "s")  # topic, then status
        assert [row.conversation.status for row in home(app).table.rows] == [
            ConversationStatus.PLANNED, ConversationStatus.LIVE, ConversationStatus.CLOSED]
        await pilot.press("s")
        assert titles(app)[0] == "Autumn review", "two agencies: the most first"
        await pilot.press("s")
        assert titles(app) == ["Autumn review", "Winter planning", "Spring meeting"], "notes"
        await pilot.press("s")
        assert titles(app)[0] == "Autumn review", "open actions"


async def test_clicking_a_heading_sorts_by_it_and_again_reverses(store: Store, three: dict) -> None:
    app = AppreciateApp(store)
    async with app.run_test(size=(120, 30)) as pilot:
        table = home(app).table
        header = table.render_line(0).text
        notes_at = header.index("Notes")
        await pilot.click(ConversationTable, offset=(notes_at + 1, 0))
        assert titles(app) == ["Autumn review", "Winter planning", "Spring meeting"]
        await pilot.click(ConversationTable, offset=(notes_at + 1, 0))
        assert titles(app) == ["Spring meeting", "Winter planning", "Autumn review"]


async def test_the_highlighted_conversation_stays_highlighted_when_sorted(
    store: Store, three: dict
) -> None:
    app = AppreciateApp(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("down")
        assert home(app).table.highlighted.conversation.title == "Winter planning"
        await pilot.press("s")
        assert home(app).table.highlighted.conversation.title == "Winter planning"


# ---------------------------------------------------------------- filtering


async def pick(pilot: Pilot[None], app: AppreciateApp, option: str) -> None:
    """Choose `option` (by its label) in the list that is open."""
    options = app.screen.query_one(OptionList)
    labels = [options.get_option_at_index(n).prompt.plain for n in range(options.option_count)]
    options.highlighted = labels.index(option)
    await pilot.press("enter")
    await pilot.pause()


@pytest.mark.slow  # ~8 s on one core
async def test_filters_by_status_agency_and_dates(store: Store, three: dict) -> None:
    app = AppreciateApp(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("f", "enter")
        await pick(pilot, app, "Closed")
        assert titles(app) == ["Autumn review"]
        count = str(home(app).query_one("#filter-count", Static).render())
        assert "1 of 3" in count
        assert "Status closed" in str(home(app).query_one("#filter-status", Static).render())

        await pilot.press("enter")
        await pick(pilot, app, "Any status")
        await pilot.press("right", "enter")
        assert "Children's social care" in " ".join(
            app.screen.query_one(OptionList).get_option_at_index(n).prompt.plain
            for n in range(app.screen.query_one(OptionList).option_count))
        await pick(pilot, app, "Health")
        assert titles(app) == ["Spring meeting", "Autumn review"]

        await pilot.press("enter")
        await pick(pilot, app, "Any agency")
        await pilot.press("right", "enter")
        assert isinstance(app.screen, DateRangeScreen)
        await pilot.press(*"2025-11", "enter", "enter")
        await pilot.pause()
        assert titles(app) == ["Spring meeting", "Winter planning"], "from November 2025"
        await pilot.press("enter", "tab", *"2025", "enter")
        await pilot.pause()
        assert titles(app) == ["Winter planning"], "to the end of 2025"
        assert "01 Nov 2025 – 31 Dec 2025" in str(
            home(app).query_one("#filter-dates", Static).render())


async def test_a_date_that_cannot_be_read_is_explained(store: Store, three: dict) -> None:
    app = AppreciateApp(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.click("#filter-dates")
        assert isinstance(app.screen, DateRangeScreen)
        await pilot.press(*"2025-1x", "tab", "enter")
        assert isinstance(app.screen, DateRangeScreen)
        assert "not a date" in str(app.screen.query_one("#date-problem", Static).render())
        await pilot.press("escape")
        assert len(titles(app)) == 3


async def test_escape_clears_the_filters(store: Store, three: dict) -> None:
    app = AppreciateApp(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("f", "enter")
        await pick(pilot, app, "Live")
        assert titles(app) == ["Winter planning"]
        await pilot.press("escape")
        await pilot.pause()
        assert len(titles(app)) == 3
        assert "Status any" in str(home(app).query_one("#filter-status", Static).render())


async def test_when_nothing_matches_the_filters_it_says_so(store: Store, three: dict) -> None:
    app = AppreciateApp(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("f", "right", "right", "enter", *"2030", "enter", "enter")
        await pilot.pause()
        assert titles(app) == []
        detail = str(home(app).query_one("#conversation-detail", Static).render())
        assert "No conversation matches" in detail


# ---------------------------------------------------------------- searching


async def test_search_finds_notes_in_every_conversation_and_opens_the_record_there(
    store: Store, three: dict
) -> None:
    app = AppreciateApp(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("slash", *"rang back")
        results = home(app).results
        await until(pilot, lambda: bool(results.hits))
        assert results.display
        assert len(results.hits) == 5
        assert {hit.conversation_id for hit in results.hits} == {three["autumn"]}
        heading = str(home(app).query_one("#results-heading", Static).render())
        assert "rang back" in heading
        detail = str(home(app).query_one("#conversation-detail", Static).render())
        assert "Autumn review" in detail and "When did it go well?" in detail

        await pilot.press("down", "enter")
        await pilot.pause()
        review = app.screen
        assert isinstance(review, ReviewScreen)
        assert review.document.current.key == f"note:{results.hits[0].note_id}"
        assert review.query_one("#find", Input).value == "rang back"
        assert review.document.match_position[1] == 5, "the words are picked out"

        await pilot.press("escape", "escape")
        assert isinstance(app.screen, HomeScreen)
        assert home(app).searching, "the search is still there to pick another result"
        assert home(app).results.has_focus
        await pilot.press("escape")
        assert not home(app).searching and home(app).table.has_focus


async def test_escape_leaves_the_search_for_the_list(store: Store, three: dict) -> None:
    app = AppreciateApp(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("slash", *"nothing-like-this")
        await until(pilot, lambda: "Nothing matches" in str(
            home(app).query_one("#results-heading", Static).render()))
        await pilot.press("escape")
        assert not home(app).searching
        assert home(app).table.display and home(app).table.has_focus


async def test_the_newest_search_wins(store: Store, three: dict) -> None:
    """Typing fast asks many questions; only the answer to what is in the box is shown."""
    app = AppreciateApp(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("slash", *"GP")
        await pilot.press(*["backspace"] * 2, *"winter")
        results = home(app).results
        await until(pilot, lambda: bool(results.hits))
        await pilot.pause(0.2)
        assert {hit.conversation_id for hit in results.hits} == {three["winter"]}


async def test_a_search_that_breaks_says_so_and_starts_afresh(
    store: Store, three: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    from appreciate_tui.tui.state.note_search import NoteSearch

    working = NoteSearch.run

    def broken(self: NoteSearch) -> None:
        raise RuntimeError("a fault in the program")

    monkeypatch.setattr(NoteSearch, "run", broken)
    app = AppreciateApp(store)
    told: list[str] = []
    app.notify = lambda message, **_: told.append(message)  # type: ignore[method-assign]
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("slash", "G")
        await until(pilot, lambda: bool(told))
        assert "type again" in told[0]
        monkeypatch.setattr(NoteSearch, "run", working)
        await pilot.press("P")
        await until(pilot, lambda: home(app).results_for == "GP")
        assert home(app).results.hits


# ---------------------------------------------------------------- acting on a conversation


async def test_delete_names_the_conversation_then_moves_it_to_the_bin(
    store: Store, three: dict
) -> None:
    app = AppreciateApp(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("down", "down", "delete")
        assert isinstance(app.screen, ConfirmScreen)
        subject = asked(app)
        assert "Autumn review" in subject and "01 Oct 2025" in subject and "5 notes" in subject
        await pilot.press("y")
        await pilot.pause()
        assert titles(app) == ["Spring meeting", "Winter planning"]
    assert store.get_conversation(three["autumn"]).deleted_at is not None
    assert len(store.list_notes(three["autumn"])) == 5, "kept whole in the bin"


async def test_cancelling_a_delete_changes_nothing(store: Store, three: dict) -> None:
    app = AppreciateApp(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("delete", "n")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and len(titles(app)) == 3
    assert store.list_bin() == []


async def test_restoring_from_the_bin_puts_it_back_highlighted(
    frozen_clock: object, store: Store, three: dict
) -> None:
    store.delete_conversation(three["autumn"])
    app = AppreciateApp(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("b")
        assert isinstance(app.screen, BinScreen)
        [binned] = app.screen.table.rows
        assert binned.conversation.title == "Autumn review"
        frozen_clock.advance(minutes=1)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert home(app).table.highlighted.conversation.title == "Autumn review"
    assert store.get_conversation(three["autumn"]).deleted_at is None


async def test_erasing_from_the_bin_asks_then_erases_for_good(store: Store, three: dict) -> None:
    store.delete_conversation(three["winter"])
    app = AppreciateApp(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("b", "delete")
        assert isinstance(app.screen, ConfirmScreen)
        assert "Winter planning" in asked(app)
        await pilot.press("y")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, BinScreen)
        assert app.screen.has_class("-empty")
    with pytest.raises(NotFound):
        store.get_conversation(three["winter"])


async def test_duplicate_plans_a_copy_with_the_names(store: Store, three: dict,
                                                     frozen_clock: object) -> None:
    app = AppreciateApp(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("down", "down", "d")
        await pilot.pause()
        highlighted = home(app).table.highlighted.conversation
        assert highlighted.title == "Autumn review (copy)"
    copy = store.get_conversation(highlighted.id)
    assert copy.status is ConversationStatus.PLANNED and copy.date == "2026-03-12"
    assert copy.opening == "Welcome to Autumn review."
    assert [q.text for q in store.list_questions(copy.id)] == ["When did it go well?"]
    assert sorted(p.name for p in store.list_participants(copy.id)) == [
        "A Health officer", "A Police officer"]
    assert store.list_notes(copy.id) == []


async def test_plan_opens_the_plan_screen_for_the_highlighted_conversation(
    store: Store, three: dict
) -> None:
    from appreciate_tui.tui.screens.plan import PlanScreen

    app = AppreciateApp(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        assert app.screen.conversation_id == three["spring"]


async def test_w_wraps_up_a_conversation_once_it_has_started(store: Store, three: dict) -> None:
    from appreciate_tui.tui.screens.wrapup import WrapUpScreen

    app = AppreciateApp(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("w")
        assert isinstance(app.screen, HomeScreen), "nothing to wrap up before the meeting"
        await pilot.press("down", "down", "w")
        await pilot.pause()
        assert isinstance(app.screen, WrapUpScreen)
        assert app.screen.conversation_id == three["autumn"]


async def test_plan_and_wrap_up_say_why_when_they_do_not_apply(store: Store, three: dict) -> None:
    app = AppreciateApp(store)
    told: list[str] = []
    app.notify = lambda message, **_: told.append(message)  # type: ignore[method-assign]
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("w")
        await pilot.press("down", "down", "p")
        assert isinstance(app.screen, HomeScreen)
    assert "not been held yet" in told[0] and "closed" in told[1]


async def test_moving_through_the_list_leaves_the_footer_alone(store: Store, three: dict) -> None:
    """The footer rebuilds itself whenever it is told the keys may have changed: too slow to do
    on every move of the cursor through a thousand conversations."""
    app = AppreciateApp(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()  # what starting up asked of the footer is done
        told: list[object] = []
        app.screen.bindings_updated_signal.subscribe(app.screen, told.append)
        await pilot.press("down", "down", "up", "s", "S")
        assert told == []


async def test_r_reviews_a_live_conversation_too(store: Store, three: dict) -> None:
    app = AppreciateApp(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("down", "r")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.conversation_id == three["winter"]


async def test_a_read_only_window_cannot_plan_duplicate_or_delete(
    db_path: Path, three: dict, store: Store
) -> None:
    store.close()
    reader = Store.open(db_path, read_only=True)
    try:
        app = AppreciateApp(reader)
        async with app.run_test(size=(120, 30)) as pilot:
            await pilot.press("delete", "d", "p")
            assert isinstance(app.screen, HomeScreen)
            assert len(titles(app)) == 3
    finally:
        reader.close()
    with Store.open(db_path) as again:
        assert len(again.list_conversations()) == 3


# ---------------------------------------------------------------- starting a new one


async def test_new_from_an_earlier_conversation_copies_the_plan_without_names(
    store: Store, three: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    app = AppreciateApp(store)
    monkeypatch.setattr(app, "open_conversation", opened.append)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        options = app.screen.query_one(OptionList)
        options.highlighted = options.get_option_index(EARLIER)
        await pilot.press("enter")
        options.highlighted = options.get_option_index(three["autumn"])
        await pilot.press("enter")
        title = app.screen.query_one(Input)
        assert title.has_focus and title.value == "Autumn review"
        await pilot.press("end", *" again", "enter")  # the title offered is selected: keep it
        await pilot.pause()
    [new_id] = opened
    copy = store.get_conversation(new_id)
    assert copy.title == "Autumn review again" and copy.status is ConversationStatus.PLANNED
    assert [(p.agency, p.name) for p in store.list_participants(new_id)] == [
        ("Health", ""), ("Police", "")]
    assert store.list_notes(new_id) == []


async def test_new_blank_conversation(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    app = AppreciateApp(store)
    monkeypatch.setattr(app, "open_conversation", opened.append)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        assert isinstance(app.screen, NewConversationScreen)
        options = app.screen.query_one(OptionList)
        options.highlighted = options.get_option_index(BLANK)
        await pilot.press("enter", *"Ad hoc debrief", "enter")
        await pilot.pause()
    [new_id] = opened
    assert store.get_conversation(new_id).title == "Ad hoc debrief"
    assert store.list_questions(new_id) == []


async def test_a_new_conversation_can_be_planned_for_another_day(store: Store) -> None:
    """F4 instead of the last Enter: the conversation is made and its plan opens; it is not
    started, so it stays planned with no start time."""
    from appreciate_tui.tui.screens.plan import PlanScreen

    app = AppreciateApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        assert isinstance(app.screen, NewConversationScreen)
        options = app.screen.query_one(OptionList)
        options.highlighted = options.get_option_index(BLANK)
        await pilot.press("enter", *"Spring review", "f4")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
    [made] = [c for c in store.list_conversations() if c.title == "Spring review"]
    assert made.status is ConversationStatus.PLANNED and made.started_at is None


# ---------------------------------------------------------------- keys, help and palette


def test_every_key_of_the_list_is_in_its_help() -> None:
    help_text = (HELP_DIR / "home.md").read_text(encoding="utf-8")
    for binding in HomeScreen.BINDINGS:
        assert binding.description in help_text, binding  # type: ignore[union-attr]


async def test_the_palette_offers_what_the_keys_do(store: Store, three: dict) -> None:
    app = AppreciateApp(store)
    async with app.run_test(size=(120, 30)) as pilot:
        offered = [title for title, *_ in commands(home(app))]
        help_text = re.sub(r"\s+", " ", (HELP_DIR / "home.md").read_text(encoding="utf-8"))
        for title in offered:
            stem = title.split(" by ")[0] + (" by" if " by " in title else "")
            assert f"`{stem}" in help_text, title
        await pilot.press("ctrl+p", *"conversation: delete")
        await app.screen.workers.wait_for_complete()
        await pilot.pause(0.1)
        assert isinstance(app.screen, CommandPalette)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
