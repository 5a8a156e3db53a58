"""Every test runs in its own world: data, config and the database live under tmp_path, so a
developer's own conversations never decide (or get touched by) what a test asserts."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from appreciate_tui.store import Store
    from appreciate_tui.store.cipher import Key

FROZEN_AT = datetime(2026, 3, 12, 9, 30, 0, tzinfo=timezone.utc)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The same suite runs on Windows and macOS too (.github/workflows/ci.yml). A test that drives
    the app in tmux (`tmux` marker), or needs what only a POSIX system has (`posix` marker, whose
    argument names it: fork, SIGKILL, a pty), is skipped where that is missing, saying why, and
    runs everywhere else: on Linux with tmux nothing is skipped."""
    posix = os.name == "posix"
    has_tmux = posix and shutil.which("tmux") is not None
    for item in items:
        if item.get_closest_marker("tmux") and not has_tmux:
            why = "needs tmux on PATH" if posix else "needs tmux, which Windows does not have"
            item.add_marker(pytest.mark.skip(reason=why))
        needs = item.get_closest_marker("posix")
        if needs and not posix:
            what = needs.args[0] if needs.args else "a POSIX system"
            item.add_marker(pytest.mark.skip(reason=f"needs {what}, which only POSIX systems have"))


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """`-n auto` (`make test`, CI) starts two workers per core: a screen test spends about a third
    of its time asleep (Textual's pilot sleeps until the app goes idle after each key), so one
    worker per core leaves the cores idle that long. PYTEST_XDIST_AUTO_NUM_WORKERS=n decides
    instead when set."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None  # pytest-xdist reads it
    affinity = getattr(os, "sched_getaffinity", None)
    cores = len(affinity(0)) if affinity else os.cpu_count() or 1
    return 2 * cores


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    # Windows: platformdirs asks the system for AppData, and `~` is USERPROFILE, not HOME.
    monkeypatch.setenv("USERPROFILE", str(home))
    monkeypatch.setenv("WIN_PD_OVERRIDE_LOCAL_APPDATA", str(home / "AppData" / "Local"))
    monkeypatch.setenv("WIN_PD_OVERRIDE_APPDATA", str(home / "AppData" / "Roaming"))
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


class EmptyDatabases:
    """New, empty databases for the tests that only need one to start from. Creating a database
    applies every migration, each committed with a full sync (about 100 syncs of the disk); here
    that is done once per test process and key (`Store.open` of a missing file, with the key it
    is given and whatever tests/helpers/cipher.py sets for the whole run), and each test gets a
    copy: the same bytes a creation writes, made private (0600) as a creation makes them. The
    tests of creating a database itself (staging, a creation killed half way, a full disk) open
    a missing file and never come through here. Every copy carries the moment the original was
    made (`safety.created_at`, which tells a database's backups from another's): a test that
    needs two databases told apart by it makes the second with `Store.open` of a new path."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.made: dict[tuple[Key | None, str | None], Path] = {}

    def copy_to(self, path: Path, key: Key | None = None) -> Path:
        from appreciate_tui.store import Store

        default = os.environ.get("APPRECIATE_TEST_PASSPHRASE")
        made = self.made.get((key, default))
        if made is None:
            made = self.folder / f"empty-{len(self.made)}" / "appreciate.db"
            made.parent.mkdir()
            Store.open(made, key=key).close()
            self.made[(key, default)] = made
        shutil.copyfile(made, path)
        os.chmod(path, 0o600)
        return path


@pytest.fixture(scope="session")
def empty_databases(tmp_path_factory: pytest.TempPathFactory) -> EmptyDatabases:
    return EmptyDatabases(tmp_path_factory.mktemp("empty-databases"))


@pytest.fixture
def store(db_path: Path, empty_databases: EmptyDatabases) -> Iterator[Store]:
    """A new, empty store at `db_path` (the file the app and the CLI open too), closed afterwards.
    A module whose tests all run on the frozen clock says so once:
    `pytestmark = pytest.mark.usefixtures("frozen_clock")`."""
    from appreciate_tui.store import Store

    with Store.open(empty_databases.copy_to(db_path)) as opened:
        yield opened


@pytest.fixture
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Times are shown in local time: make local time the same on every machine (UTC)."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


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
