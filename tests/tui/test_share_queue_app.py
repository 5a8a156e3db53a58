"""The app takes in the shares `appreciate export` queued while it held the database, on a timer,
and the review's Shared tab shows them; a bad queue file is set aside and said once, never a crash."""

from __future__ import annotations

import pytest
from textual.widgets import TabbedContent

from appreciate_tui import paths
from appreciate_tui.export import ExportRequest, record_export
from appreciate_tui.store import Store, share_queue
from appreciate_tui.tui import app as app_module
from appreciate_tui.tui.app import AppreciateApp
from tests.conftest import FrozenClock
from tests.tui.test_review import Meeting, make_meeting
from tests.tui.test_review_shared import opened, table_text

pytestmark = pytest.mark.usefixtures("utc")


@pytest.fixture
def meeting(store: Store, frozen_clock: FrozenClock) -> Meeting:
    return make_meeting(store)


def export_from_the_command_line(store: Store, meeting: Meeting) -> str:
    """What `appreciate export` does while the app holds the database: read-only, queued."""
    with Store.open(store.path) as reader:
        assert share_queue.writer_elsewhere(reader)
        queued = share_queue.QueuedRecord(reader)
        record_export(queued, meeting.id, ExportRequest("md", redact=True),  # type: ignore[arg-type]
                      recipient="Partnership board", purpose="learning review")
        queued.commit()
    assert queued.pending is not None
    return queued.pending.share.id


async def test_the_timer_records_them_and_the_shared_tab_shows_them(
    store: Store, meeting: Meeting, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app_module, "SHARE_QUEUE_SECONDS", 0.05)
    app = AppreciateApp(store)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await opened(app, pilot, meeting)
        await pilot.press("f4")
        assert table_text(screen) == []
        share_id = export_from_the_command_line(store, meeting)
        paths.pending_shares_dir(store.path).joinpath("junk.json").write_text("{")
        await pilot.pause(0.3)
        assert [s.id for s in store.list_shares(meeting.id)] == [share_id]
        (row,) = table_text(screen)
        assert row[1:4] == ["learning, md", "yes", "Partnership board"]
        tabs = screen.query_one("#review-tabs", TabbedContent)
        assert str(tabs.get_tab("shared-tab").label) == "Shared (1) F4"
        said = [str(n.message) for n in app._notifications]
        assert any("Recorded 1 share exported from the command line" in m for m in said)
        warned = [m for m in said if "set aside" in m]
        assert len(warned) == 1 and "its name is not one appreciate gives" in warned[0]
        assert share_queue.has_waiting(store.path) is False
        await pilot.pause(0.2)
        assert len([n for n in app._notifications if "set aside" in str(n.message)]) <= 1


async def test_a_read_only_window_leaves_the_queue_alone(
    store: Store, meeting: Meeting
) -> None:
    export_from_the_command_line(store, meeting)
    with Store.open(store.path) as second:  # read-only: the first holds the lock
        app = AppreciateApp(second)
        async with app.run_test(size=(80, 24)):
            app.take_in_queued_shares()
    assert share_queue.has_waiting(store.path) and store.list_shares() == []


async def test_a_failing_take_in_is_said_not_crashed(
    store: Store, meeting: Meeting, monkeypatch: pytest.MonkeyPatch
) -> None:
    export_from_the_command_line(store, meeting)

    def broken(store: Store) -> share_queue.TakenIn:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(share_queue, "take_in", broken)
    app = AppreciateApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        app.take_in_queued_shares()
        app.take_in_queued_shares()
        await pilot.pause()
        said = [str(n.message) for n in app._notifications if "disk on fire" in str(n.message)]
        assert len(said) == 1 and app.is_running
    assert share_queue.has_waiting(store.path)
