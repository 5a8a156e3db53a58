"""The facilitation screen as the facilitator sees it, mid-conversation, in every shipped theme
at the smallest supported size and a common one: the one screen shown in every theme, as it is
the one used in the meeting (the other screens' snapshots use the default theme).

Deterministic: the clock is frozen (and moved on by hand between notes), times are shown in UTC,
the cursor does not blink. After a deliberate visual change: `make snapshots`, then look at
snapshot_report.html before committing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from appreciate_tui.settings import Settings
from appreciate_tui.store import Store
from appreciate_tui.tui.app import AppreciateApp
from appreciate_tui.tui.themes import SHIPPED_ORDER
from tests.conftest import FrozenClock
from tests.tui.facilitate_data import make_mid_conversation

SIZES = {"80x24": (80, 24), "120x40": (120, 40)}


pytestmark = pytest.mark.usefixtures("still_cursor", "utc")


@pytest.fixture
def conversation(db_path: Path, frozen_clock: FrozenClock) -> Iterator[tuple[Store, str]]:
    store = Store.open(db_path)
    cid = make_mid_conversation(store, frozen_clock.advance)
    yield store, cid
    store.close()


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
@pytest.mark.parametrize("theme", SHIPPED_ORDER)
def test_facilitating(
    snap_compare: object, conversation: tuple[Store, str], theme: str, size: tuple[int, int]
) -> None:
    store, cid = conversation
    app = AppreciateApp(store, conversation_id=cid, settings=Settings(theme=theme))
    assert snap_compare(app, terminal_size=size)  # type: ignore[operator]


def test_follow_the_flow_tab_at_80_columns(
    snap_compare: object, conversation: tuple[Store, str]
) -> None:
    store, cid = conversation
    app = AppreciateApp(store, conversation_id=cid, settings=Settings())
    assert snap_compare(app, press=["f3"], terminal_size=SIZES["80x24"])  # type: ignore[operator]


def test_roomy_at_160_columns(snap_compare: object, conversation: tuple[Store, str]) -> None:
    store, cid = conversation
    app = AppreciateApp(store, conversation_id=cid, settings=Settings())
    assert snap_compare(app, terminal_size=(160, 48))  # type: ignore[operator]
