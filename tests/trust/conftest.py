"""Fixtures of the trust tests: a store that is plain or encrypted (the same tests run on both)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from appreciate_tui.store import Store, cipher
from tests.trust.helpers import PASSPHRASE

if TYPE_CHECKING:
    from tests.conftest import EmptyDatabases

MODES = ["plain", pytest.param("encrypted", marks=pytest.mark.skipif(
    not cipher.available(), reason="needs the encryption extra (sqlcipher3)"))]


@pytest.fixture(scope="session")
def session_key() -> cipher.Key | None:
    return cipher.derive(PASSPHRASE) if cipher.available() else None


@pytest.fixture(params=MODES)
def mode(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def key(mode: str, session_key: cipher.Key | None) -> cipher.Key | None:
    """None for a plain database; the key of an encrypted one (derived once per session)."""
    return session_key if mode == "encrypted" else None


@pytest.fixture
def store(
    db_path: Path, key: cipher.Key | None, empty_databases: EmptyDatabases
) -> Iterator[Store]:
    opened = Store.open(empty_databases.copy_to(db_path, key), key=key)
    yield opened
    opened.close()


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


@pytest.fixture(autouse=True)
def forget_unlocked_keys() -> Iterator[None]:
    """A key the command line unlocked stays for the process; not from one test to the next."""
    yield
    cipher.forget()
