"""What every dialog over the store shares with the screens (`screens/base.StoreScreen`): the app
and the store, typed, so a dialog reads `self.store` as a screen does."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from textual.screen import ModalScreen

if TYPE_CHECKING:
    from textual import getters

    from appreciate_tui.store import Store
    from appreciate_tui.tui.app import AppreciateApp

Answer = TypeVar("Answer")


class StoreDialog(ModalScreen[Answer]):
    """A dialog of the app that reads or writes the store."""

    if TYPE_CHECKING:
        app = getters.app(AppreciateApp)

    @property
    def store(self) -> Store:
        return self.app.store
