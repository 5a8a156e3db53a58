"""What the screen tests share: a cursor that does not blink (so a snapshot is the same every
time) and a live conversation to facilitate. Root fixtures (tests/conftest.py) give each test its
own store (`store`), clock (`frozen_clock`) and time zone (`utc`)."""

from __future__ import annotations

import pytest

from appreciate_tui.store import Store


@pytest.fixture
def still_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    """A blinking cursor makes a snapshot a coin toss: the text field's cursor stays lit.
    (A private Textual method: the version is pinned.)"""
    from textual.widgets import Input

    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)


@pytest.fixture
def cid(store: Store) -> str:
    """The conversation of tests/tui/facilitate_data.py, ready to facilitate. A module that
    needs another conversation defines its own `cid`."""
    from tests.tui.facilitate_data import make_conversation

    return make_conversation(store)
