"""The plan and wrap-up screens as the facilitator sees them, at the smallest supported size and a
common one, and the dialogs they open; in the default theme (every shipped theme at both sizes:
test_facilitate_snapshots.py).

Deterministic: the clock is frozen, times are shown in UTC, no cursor blinks. After a deliberate
visual change: `make snapshots`, then look at snapshot_report.html before committing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pyperclip
import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from appreciate_tui.settings import Settings
from appreciate_tui.store import Store
from appreciate_tui.tui.app import AppreciateApp
from tests.conftest import FrozenClock
from tests.tui.plan_data import make_plan
from tests.tui.wrapup_data import make_ended_conversation

SIZES = {"80x24": (80, 24), "120x40": (120, 40)}


@pytest.fixture(autouse=True)
def still_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    # Private Textual methods (the version is pinned): a blinking cursor makes snapshots flaky.
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
    monkeypatch.setattr(TextArea, "_toggle_cursor_blink_visible", lambda self: None)


pytestmark = pytest.mark.usefixtures("utc", "frozen_clock")


@pytest.fixture
def planned(store: Store) -> str:
    return make_plan(store)


@pytest.fixture
def ended(store: Store, frozen_clock: FrozenClock) -> str:
    return make_ended_conversation(store, frozen_clock.advance)


def opening(show: Callable[[AppreciateApp], None]) -> Callable[[Pilot], Awaitable[None]]:
    async def run_before(pilot: Pilot) -> None:
        show(pilot.app)  # type: ignore[arg-type]
        await pilot.pause()
    return run_before


def plan(cid: str) -> Callable[[Pilot], Awaitable[None]]:
    return opening(lambda app: app.plan_conversation(cid))


def wrap_up(cid: str) -> Callable[[Pilot], Awaitable[None]]:
    return opening(lambda app: app.wrap_up_conversation(cid))


# ------------------------------------------------------------------ the plan


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_plan_questions(
    snap_compare: object, store: Store, planned: str, size: tuple[int, int]
) -> None:
    app = AppreciateApp(store, settings=Settings())
    assert snap_compare(app, run_before=plan(planned), press=["f5", "down", "down"],  # type: ignore[operator]
                        terminal_size=size)


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_plan_details(
    snap_compare: object, store: Store, planned: str, size: tuple[int, int]
) -> None:
    app = AppreciateApp(store, settings=Settings())
    assert snap_compare(app, run_before=plan(planned), terminal_size=size)  # type: ignore[operator]


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_plan_people(
    snap_compare: object, store: Store, planned: str, size: tuple[int, int]
) -> None:
    app = AppreciateApp(store, settings=Settings())
    assert snap_compare(app, run_before=plan(planned), press=["f4"], terminal_size=size)  # type: ignore[operator]


def test_bank_picker(snap_compare: object, store: Store, planned: str) -> None:
    app = AppreciateApp(store, settings=Settings())
    assert snap_compare(app, run_before=plan(planned),  # type: ignore[operator]
                        press=["f5", "a", "down", "down", "tab", "space", "down"],
                        terminal_size=SIZES["80x24"])


def test_question_form_with_a_warning(snap_compare: object, store: Store, planned: str) -> None:
    app = AppreciateApp(store, settings=Settings())
    assert snap_compare(app, run_before=plan(planned), press=["f5", "down", "down", "e"],  # type: ignore[operator]
                        terminal_size=SIZES["80x24"])


def test_participant_form(snap_compare: object, store: Store, planned: str) -> None:
    app = AppreciateApp(store, settings=Settings())
    assert snap_compare(app, run_before=plan(planned), press=["f4", "e"],  # type: ignore[operator]
                        terminal_size=SIZES["80x24"])


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_send_questions_in_advance(
    snap_compare: object, store: Store, planned: str, size: tuple[int, int]
) -> None:
    app = AppreciateApp(store, settings=Settings())
    assert snap_compare(app, run_before=plan(planned), press=["f6"], terminal_size=size)  # type: ignore[operator]


def test_clipboard_fallback(
    snap_compare: object, store: Store, planned: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_tool(text: str) -> None:
        raise pyperclip.PyperclipException("no copy/paste mechanism")

    monkeypatch.setattr(pyperclip, "copy", no_tool)

    async def run_before(pilot: Pilot) -> None:
        pilot.app.plan_conversation(planned)  # type: ignore[attr-defined]
        await pilot.pause()
        await pilot.press("f6", "c")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    app = AppreciateApp(store, settings=Settings())
    assert snap_compare(app, run_before=run_before, terminal_size=SIZES["80x24"])  # type: ignore[operator]


# ------------------------------------------------------------------ the wrap-up


def quietly(cid: str) -> Callable[[Pilot], Awaitable[None]]:
    """Open the wrap-up and let the notice about drafted actions go, so it hides nothing."""
    async def run_before(pilot: Pilot) -> None:
        pilot.app.wrap_up_conversation(cid)  # type: ignore[attr-defined]
        await pilot.pause()
        pilot.app.clear_notifications()
        await pilot.pause()
    return run_before


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_wrap_up_actions(
    snap_compare: object, store: Store, ended: str, size: tuple[int, int]
) -> None:
    app = AppreciateApp(store, settings=Settings())
    assert snap_compare(app, run_before=quietly(ended), terminal_size=size)  # type: ignore[operator]


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
@pytest.mark.parametrize("tab", ["f4", "f5", "f6", "f7"])
def test_wrap_up_tabs(
    snap_compare: object, store: Store, ended: str, tab: str, size: tuple[int, int]
) -> None:
    app = AppreciateApp(store, settings=Settings())
    assert snap_compare(app, run_before=quietly(ended), press=[tab], terminal_size=size)  # type: ignore[operator]


def test_action_form(snap_compare: object, store: Store, ended: str) -> None:
    app = AppreciateApp(store, settings=Settings())
    assert snap_compare(app, run_before=quietly(ended), press=["down", "e"],  # type: ignore[operator]
                        terminal_size=SIZES["80x24"])


@pytest.mark.slow  # ~4 s on one core
def test_feedback_form(snap_compare: object, store: Store, ended: str) -> None:
    app = AppreciateApp(store, settings=Settings())
    assert snap_compare(app, run_before=quietly(ended), press=["f5", "e"],  # type: ignore[operator]
                        terminal_size=SIZES["80x24"])


def test_recording_an_escalation(snap_compare: object, store: Store, ended: str) -> None:
    app = AppreciateApp(store, settings=Settings())
    assert snap_compare(app, run_before=quietly(ended), press=["f4", "enter"],  # type: ignore[operator]
                        terminal_size=SIZES["80x24"])
