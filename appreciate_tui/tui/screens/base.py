"""What every screen over the store shares: the app and the store, typed; `save()`, the one way a
screen runs a store write and tells the facilitator when it was not made; and `writable()`, the
read-only check that says why before anything is tried.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from textual.screen import Screen

from appreciate_tui.store import ReadOnlyError, SaveError, StoreError
from appreciate_tui.text import one_line

if TYPE_CHECKING:
    from textual import getters

    from appreciate_tui.store import Store
    from appreciate_tui.tui.app import AppreciateApp

T = TypeVar("T")


class StoreScreen(Screen[None]):
    """A screen of the app that reads and writes the store."""

    if TYPE_CHECKING:
        app = getters.app(AppreciateApp)

    @property
    def store(self) -> Store:
        return self.app.store

    def save(
        self, write: Callable[[], T], *, what: str = "That change", failed: str | None = None
    ) -> T | None:
        """Run one store write: its result, or None when it was not made, said in words.

        A refusal (the store will not make that change) says "{what} was not made: why."; a
        window turned read-only, why, titled Read-only; a write that failed (a full disk, an I/O
        error), "{what} was not saved: why", titled Not saved, for ten seconds; any other store
        error (what it was about has gone), why, titled Not changed. A screen with words of its
        own for every failure gives them as `failed`: "{failed}: why".
        """
        try:
            result = write()
        except (ValueError, StoreError) as error:
            reason = one_line(str(error))
            if isinstance(error, SaveError):
                self._save_failed(str(error))
            if failed is not None:
                self.notify(f"{failed}: {reason}", severity="error", markup=False)
            elif isinstance(error, ValueError):
                self.notify(f"{what} was not made: {reason}.", markup=False)
            elif isinstance(error, ReadOnlyError):
                self.notify(reason, title="Read-only", severity="warning", markup=False)
            elif isinstance(error, SaveError):
                self.notify(f"{what} was not saved: {reason}", title="Not saved",
                            severity="error", timeout=10, markup=False)
            else:
                self.notify(reason, title="Not changed", severity="warning", markup=False)
            return None
        self._saved()
        return result

    def _saved(self) -> None:
        """A write went through (the facilitation screen's save indicator hears it)."""

    def _save_failed(self, reason: str) -> None:
        """A write failed to reach the disk (the facilitation screen's save indicator hears it)."""

    def writable(self) -> bool:
        """False, having said why, when this window can change nothing."""
        if self.store.read_only:
            reason = one_line(self.store.read_only_reason or "")
            self.notify(f"Read-only: {reason}. Nothing can be changed.", severity="warning",
                        markup=False)
            return False
        return True
