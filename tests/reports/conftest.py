"""Shared worlds for the report tests: the Devon MASH demo (the golden conversation), in UK time
with the clock frozen."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pytest

from appreciate_tui.demo import DEMO_CONVERSATION_ID, load_demo
from appreciate_tui.store import Store


@pytest.fixture
def london() -> Iterator[None]:
    """Reports show local time; the golden files are written in the UK's."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "Europe/London"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


@pytest.fixture
def demo(store: Store, frozen_clock, london) -> str:
    load_demo(store)
    return DEMO_CONVERSATION_ID
