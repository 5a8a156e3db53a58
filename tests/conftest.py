"""Every test runs in its own world: data, config and the database live under tmp_path, so a
developer's own conversations never decide (or get touched by) what a test asserts."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

FROZEN_AT = datetime(2026, 3, 12, 9, 30, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    monkeypatch.setenv("APPRECIATE_DB", str(tmp_path / "appreciate.db"))
    return home


@pytest.fixture(autouse=True)
def encrypted_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    """APPRECIATE_TEST_PASSPHRASE set: every store opens encrypted (tests/helpers/cipher.py)."""
    import os

    if os.environ.get("APPRECIATE_TEST_PASSPHRASE"):
        from tests.helpers import cipher as test_cipher

        test_cipher.encrypt_every_store(monkeypatch)


@pytest.fixture(autouse=True)
def system_clipboard(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Tests never touch the developer's real clipboard: the system tool (pyperclip) is replaced
    by one that keeps what it was given, here."""
    import pyperclip

    copied: list[str] = []
    monkeypatch.setattr(pyperclip, "copy", copied.append)
    return copied


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "appreciate.db"


class FrozenClock:
    """A clock that stands still until a test moves it."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


@pytest.fixture
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> FrozenClock:
    import appreciate_tui.domain as domain

    clock = FrozenClock(FROZEN_AT)
    monkeypatch.setattr(domain, "now", clock)
    return clock
