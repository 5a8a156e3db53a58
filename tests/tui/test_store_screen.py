"""`StoreScreen.save`, the one way a screen makes a store write: what the facilitator is told when
it is not made, and what the screen hears when it is; `writable`, the read-only check."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from textual.app import App

from appreciate_tui.store import NotFound, ReadOnlyError, SaveError
from appreciate_tui.tui.screens.base import StoreScreen


class Screen(StoreScreen):
    def __init__(self) -> None:
        super().__init__()
        self.heard: list[str] = []

    def _saved(self) -> None:
        self.heard.append("saved")

    def _save_failed(self, reason: str) -> None:
        self.heard.append(f"failed: {reason}")


class Harness(App[None]):
    def __init__(self, store: Any) -> None:
        super().__init__()
        self.store = store
        self.told: list[tuple[str, str, str]] = []

    def notify(self, message: str, *, title: str = "", severity: str = "information",
               **_: Any) -> None:  # type: ignore[override]
        self.told.append((message, title, severity))


def fails(error: Exception) -> Any:
    def write() -> None:
        raise error
    return write


async def test_save_says_why_a_write_was_not_made_and_the_screen_hears_how_it_went() -> None:
    app = Harness(SimpleNamespace(read_only=False, read_only_reason=None))
    async with app.run_test():
        screen = Screen()
        await app.push_screen(screen)
        assert screen.save(lambda: 42) == 42
        assert screen.save(fails(ValueError("a title is needed")), what="The change") is None
        assert screen.save(fails(SaveError("the disk is full")), what="The note") is None
        assert screen.save(fails(ReadOnlyError("the database failed its check"))) is None
        assert screen.save(fails(NotFound("that note has gone"))) is None
        assert screen.save(fails(SaveError("the disk is full")), failed="Nothing was copied") is None
    assert app.told == [
        ("The change was not made: a title is needed.", "", "information"),
        ("The note was not saved: the disk is full", "Not saved", "error"),
        ("the database failed its check", "Read-only", "warning"),
        ("that note has gone", "Not changed", "warning"),
        ("Nothing was copied: the disk is full", "", "error"),
    ]
    assert screen.heard == ["saved", "failed: the disk is full", "failed: the disk is full"]


async def test_writable_says_why_nothing_can_be_changed() -> None:
    store = SimpleNamespace(read_only=False, read_only_reason=None)
    app = Harness(store)
    async with app.run_test():
        screen = Screen()
        await app.push_screen(screen)
        assert screen.writable()
        store.read_only, store.read_only_reason = True, "the database failed its check"
        assert not screen.writable()
    assert app.told == [("Read-only: the database failed its check. Nothing can be changed.", "",
                         "warning")]
