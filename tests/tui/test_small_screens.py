"""What must stay in sight at 80×24, and at 120 columns: a plan's status beside a long title, a
footer whose every key has its whole label (the rest are in F1 help and the palette), and the
balance of stances on the notes tab, where the facilitator is typing."""

from __future__ import annotations


import pytest
from textual.pilot import Pilot
from textual.widgets import Footer

from appreciate_tui.settings import Settings
from appreciate_tui.store import Store
from appreciate_tui.tui.app import AppreciateApp
from appreciate_tui.tui.screens.facilitate import FacilitateScreen
from appreciate_tui.tui.screens.home import HomeScreen
from appreciate_tui.tui.screens.plan import PlanScreen
from tests.conftest import FrozenClock
from tests.tui.facilitate_data import make_conversation, make_mid_conversation


pytestmark = pytest.mark.usefixtures("utc", "frozen_clock")


def lines(app: AppreciateApp) -> list[str]:
    """The screen as a terminal would show it, line by line."""
    return ["".join(segment.text for segment in strip)
            for strip in app.screen._compositor.render_strips()]


async def footer_keys(pilot: Pilot[None]) -> list[str]:
    """The keys the footer shows, each as "key label", and that each is drawn whole.

    The footer makes its keys again after the bindings change, a frame later; caught between
    taking the old keys away and placing the new ones it holds none, so it is read once it holds
    them, placed."""
    app = pilot.app
    for _ in range(50):
        footer = app.screen.query_one(Footer)
        placed = [key for key in footer.query(".-command-palette") if key.region]
        if placed:
            break
        await pilot.pause()
    else:
        raise AssertionError("the footer never showed its keys")
    shown = footer.region
    palette = placed[0].region
    keys = []
    for key in footer.query("FooterKey, FooterLabel"):
        if key.has_class("-command-palette") or not key.region:  # a key left out is not placed
            continue
        assert shown.contains_region(key.region), f"{key} is cut off"
        assert key.region.right <= palette.x, f"{key} runs under the palette key"
        keys.append(str(key.render()).strip())
    return keys


@pytest.mark.parametrize("width", [80, 120])
async def test_the_conversations_footer_shows_whole_keys(store: Store, width: int) -> None:
    make_conversation(store)
    app = AppreciateApp(store)
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        keys = await footer_keys(pilot)
        assert "f1 Help" in keys, "the way to every other key"
        assert keys[:4] == ["⏎ Open", "n New", "p Plan", "w Wrap up"]
        assert "i Insights" in keys
        assert lines(app)[-1].rstrip().endswith("^p palette")


async def test_a_dialog_over_the_list_leaves_its_footer_whole(store: Store) -> None:
    make_conversation(store)
    app = AppreciateApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await footer_keys(pilot)
        footer = lines(app)[-1]
        await pilot.press("f1")
        await pilot.pause()
        assert lines(app)[-1] == footer
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "f1 Help" in await footer_keys(pilot)


async def test_the_footer_fits_itself_to_a_resized_terminal(store: Store) -> None:
    make_conversation(store)
    app = AppreciateApp(store)
    async with app.run_test(size=(160, 24)) as pilot:
        await pilot.pause()
        wide = await footer_keys(pilot)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        narrow = await footer_keys(pilot)
        await pilot.resize_terminal(160, 24)
        await pilot.pause()
        assert await footer_keys(pilot) == wide
        assert len(narrow) < len(wide) and "f1 Help" in narrow


async def test_facilitating_at_80_columns_the_footer_and_the_balance_fit(
    store: Store, frozen_clock: FrozenClock
) -> None:
    cid = make_mid_conversation(store, frozen_clock.advance)
    app = AppreciateApp(store, conversation_id=cid, settings=Settings())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, FacilitateScreen)
        assert "f1 Help" in await footer_keys(pilot)
        # The notes tab, with the note line focused: the balance is on it, on one line.
        balance = app.screen.query_one("#balance-line")
        assert balance.region.height == 1 and balance.region.right <= 80
        drawn = lines(app)[balance.region.y]
        for count in ("+ 1", "- 2", '" 1', "· 1", "~ 0"):
            assert count in drawn, drawn
        assert "dream" in drawn, "concerns with no dream after them: the nudge, in short"
        # Wider, the whole meter is in sight beside the notes, and the line is not needed.
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert not app.screen.query_one("#balance-line").display
        assert app.screen.query_one("#balance").region.width > 0


async def test_a_long_title_never_hides_that_a_plan_is_planned(store: Store) -> None:
    cid = store.create_conversation(
        "Strategy meetings across the whole partnership, a first round with every agency",
        date="2026-12-01").id
    app = AppreciateApp(store, settings=Settings())
    async with app.run_test(size=(80, 24)) as pilot:
        app.plan_conversation(cid)
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        top = lines(app)[0]
        assert "01 Dec 2026 · planned" in top, top
        assert "Strategy meetings across" in top and "…" in top
        assert "f1 Help" in await footer_keys(pilot)
