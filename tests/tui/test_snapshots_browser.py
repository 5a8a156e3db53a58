"""The browser's other faces and the review screen, as the facilitator sees them, at the smallest
supported size and a common one: the bin, what a search found, a filtered list, the record, and
the record while it is being corrected. (The list itself: test_snapshots_home.py.)

Deterministic: the clock is frozen, times are shown in UTC, text fields do not blink. After a
deliberate visual change: `make snapshots`, then look at snapshot_report.html before committing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

from appreciate_tui.domain import ActionStatus, ConversationStatus, Phase, QuestionStatus, Stance
from appreciate_tui.settings import Settings
from appreciate_tui.store import Store
from appreciate_tui.tui.app import AppreciateApp
from appreciate_tui.tui.screens.home import HomeScreen
from tests.conftest import FrozenClock

SIZES = {"80x24": (80, 24), "120x40": (120, 40)}


pytestmark = pytest.mark.usefixtures("still_cursor", "utc")


def _held(store: Store, clock: FrozenClock, title: str, date: str, status: ConversationStatus,
          notes: list[tuple[str, Stance, str]]) -> str:
    conversation = store.create_conversation(
        title, "Is multi-agency working effective within MASH strategy meetings?",
        setting="MASH, Devon", facilitator="Practice lead", date=date,
        opening="We start from what works, and there is room for worries too.",
    )
    cid = conversation.id
    police = store.add_participant(cid, "Police", name="Sam Stone", role="Detective sergeant",
                                   attended=status is not ConversationStatus.PLANNED)
    health = store.add_participant(cid, "Health", role="Named nurse",
                                   attended=status is not ConversationStatus.PLANNED)
    store.add_participant(cid, "Education", absence_reason="Inset day")
    first = store.add_question(cid, "Can you tell me about a strategy meeting that went well?",
                               Phase.DISCOVER)
    second = store.add_question(cid, "What would the best strategy meeting look like?",
                                Phase.DREAM)
    if status is ConversationStatus.PLANNED:
        return cid
    store.start_conversation(cid)
    store.set_question_status(first.id, QuestionStatus.ASKED)
    who = {"Police": police.id, "Health": health.id}
    for body, stance, agency in notes:
        clock.advance(minutes=2)
        note = store.add_note(cid, first.id, body, stance, participant_id=who.get(agency),
                              agency=agency if agency not in who else None)
        if stance is Stance.CONCERN:
            store.update_note(note.id, escalate=True)
    follow_up = store.add_follow_up(cid, first.id, "What made that possible?")
    clock.advance(minutes=3)
    store.add_note(cid, follow_up.id, "Everyone had read the referral [beforehand]",
                   Stance.STRENGTH)
    clock.advance(minutes=3)
    store.set_question_status(second.id, QuestionStatus.ASKED)
    store.add_note(cid, second.id, "One shared chronology for every child", Stance.DREAM,
                   agency="Education")
    if status is ConversationStatus.CLOSED:
        store.add_action(cid, "Write a one-page guide for chairs", owner="Police",
                         due="2026-04-01", status=ActionStatus.OPEN)
        store.add_feedback(cid, participant_id=health.id, rating=5,
                           advance_questions_helped=True, comments="Good to start with a success")
        store.update_conversation(cid, key_learning="Invite health early; share the chronology.")
        store.close_conversation(cid)
    return cid


@pytest.fixture
def world(db_path: Path, frozen_clock: FrozenClock) -> Iterator[tuple[Store, dict[str, str]]]:
    store = Store.open(db_path)
    notes = [
        ("The GP rang back within the hour", Stance.STRENGTH, "Health"),
        ("Police checks were done before the meeting", Stance.STRENGTH, "Police"),
        ("Minutes arrived a week late", Stance.CONCERN, "Health"),
        ("\"We were all talking about the child\"", Stance.QUOTE, "Police"),
    ]
    ids = {
        "closed": _held(store, frozen_clock, "Strategy meetings: what works", "2026-02-26",
                        ConversationStatus.CLOSED, notes),
        "live": _held(store, frozen_clock, "Front door: contacts and referrals", "2026-03-05",
                      ConversationStatus.LIVE, notes[:2]),
        "planned": _held(store, frozen_clock, "Health attendance at strategy meetings",
                         "2026-03-19", ConversationStatus.PLANNED, []),
        "binned": _held(store, frozen_clock, "Early help step-down", "2025-11-04",
                        ConversationStatus.CLOSED, notes[:1]),
    }
    store.delete_conversation(ids["binned"])
    yield store, ids
    store.close()


def app_for(store: Store) -> AppreciateApp:
    return AppreciateApp(store, settings=Settings())


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_bin(snap_compare: object, world: tuple[Store, dict[str, str]],
             size: tuple[int, int]) -> None:
    store, _ = world
    assert snap_compare(app_for(store), press=["b"], terminal_size=size)  # type: ignore[operator]


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_search_results(snap_compare: object, world: tuple[Store, dict[str, str]],
                        size: tuple[int, int]) -> None:
    store, _ = world

    async def search(pilot: Pilot[None]) -> None:
        await pilot.press("slash", *"rang back")
        screen = pilot.app.screen
        assert isinstance(screen, HomeScreen)
        for _ in range(250):
            if screen.results_for == "rang back":
                break
            await pilot.pause(0.02)
        await pilot.pause()

    app = app_for(store)
    assert snap_compare(app, run_before=search, terminal_size=size)  # type: ignore[operator]


def test_filtered_to_closed(snap_compare: object, world: tuple[Store, dict[str, str]]) -> None:
    store, _ = world

    async def filter_closed(pilot: Pilot[None]) -> None:
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, HomeScreen)
        screen.filter_by(status=ConversationStatus.CLOSED)
        await pilot.pause()

    app, size = app_for(store), (80, 24)
    assert snap_compare(app, run_before=filter_closed, terminal_size=size)  # type: ignore[operator]


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_review(snap_compare: object, world: tuple[Store, dict[str, str]],
                size: tuple[int, int]) -> None:
    store, ids = world
    app = AppreciateApp(store, conversation_id=ids["closed"], settings=Settings())

    async def open_review(pilot: Pilot[None]) -> None:
        await pilot.press("enter")
        await pilot.pause()

    assert snap_compare(app, run_before=open_review, terminal_size=size)  # type: ignore[operator]


def test_review_while_correcting(snap_compare: object,
                                 world: tuple[Store, dict[str, str]]) -> None:
    store, ids = world
    app = AppreciateApp(store, conversation_id=ids["closed"], settings=Settings())

    async def correct(pilot: Pilot[None]) -> None:
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("slash", *"minutes", "enter", "e")
        await pilot.pause()

    assert snap_compare(app, run_before=correct, terminal_size=(120, 40))  # type: ignore[operator]
