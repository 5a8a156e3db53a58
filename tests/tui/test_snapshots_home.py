"""What the facilitator sees first, at the smallest and a common size, in the default theme (every
shipped theme at both sizes: test_facilitate_snapshots.py) and the list once in the light theme.

Deterministic: the clock is frozen, dates are fixed, text fields do not blink. After a deliberate
visual change: `make snapshots`, then look at snapshot_report.html before committing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

from appreciate_tui.domain import ConversationStatus, Phase, Stance
from appreciate_tui.settings import Settings
from appreciate_tui.store import Store
from appreciate_tui.tui.app import AppreciateApp

SIZES = {"80x24": (80, 24), "120x40": (120, 40)}
# The list once in the light theme: a table with a header, a cursor row and drop-down filters on
# a light ground, which the facilitation screen (where every theme is shown) does not have.
LOOKS = {
    "80x24": ("appreciate", SIZES["80x24"]),
    "120x40": ("appreciate", SIZES["120x40"]),
    "appreciate-light-80x24": ("appreciate-light", SIZES["80x24"]),
}


pytestmark = pytest.mark.usefixtures("still_cursor")


@pytest.fixture
def empty_store(db_path: Path, frozen_clock: object) -> Iterator[Store]:
    store = Store.open(db_path)
    yield store
    store.close()


@pytest.fixture
def store(empty_store: Store) -> Store:
    conversations = [
        ("MASH strategy meetings",
         "Is multi-agency working effective within MASH strategy meetings?",
         "2026-03-12", ConversationStatus.PLANNED, 0),
        ("Front door: contacts and referrals",
         "What helps a referral reach the right door first time?",
         "2026-02-26", ConversationStatus.LIVE, 3),
        ("Learning from excellence: a [night] call-out",
         "What made the out-of-hours response work?",
         "2025-11-04", ConversationStatus.CLOSED, 12),
    ]
    store = empty_store
    for title, topic, date, status, notes in conversations:
        conversation = store.create_conversation(
            title, topic, date=date, setting="MASH", facilitator="Practice lead"
        )
        question = store.add_question(conversation.id, "When did it work well?", Phase.DISCOVER)
        for number in range(notes):
            store.add_note(conversation.id, question.id, f"Note {number}", Stance.STRENGTH)
        if status is not ConversationStatus.PLANNED:
            store.start_conversation(conversation.id)
        if status is ConversationStatus.CLOSED:
            store.close_conversation(conversation.id)
    return store


@pytest.mark.parametrize(("theme", "size"), LOOKS.values(), ids=LOOKS.keys())
def test_home(snap_compare: object, store: Store, theme: str, size: tuple[int, int]) -> None:
    app = AppreciateApp(store, settings=Settings(theme=theme))
    assert snap_compare(app, terminal_size=size)  # type: ignore[operator]


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_help(snap_compare: object, store: Store, size: tuple[int, int]) -> None:
    app = AppreciateApp(store, settings=Settings())
    assert snap_compare(app, press=["f1"], terminal_size=size)  # type: ignore[operator]


def test_home_with_nothing_yet(snap_compare: object, empty_store: Store) -> None:
    assert snap_compare(AppreciateApp(empty_store, settings=Settings()))  # type: ignore[operator]


def test_new_conversation(snap_compare: object, store: Store) -> None:
    async def choose_a_bank(pilot: Pilot[None]) -> None:
        await pilot.press("n", "down", "down", "enter")
        await pilot.pause()

    app = AppreciateApp(store, settings=Settings())
    assert snap_compare(app, run_before=choose_a_bank)  # type: ignore[operator]
