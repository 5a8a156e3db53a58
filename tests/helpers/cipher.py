"""Run the store's tests against an encrypted database as well as a plain one.

With APPRECIATE_TEST_PASSPHRASE set, tests/conftest.py makes every `Store.open` that is given no
key open (or create) the database encrypted with it, and `raw_connect` gives a test its own
connection to the file, keyed when it has to be. tests/trust/test_encryption.py runs
tests/test_store.py that way in a subprocess, so CI runs the store suite against both.
"""

from __future__ import annotations

import os
import sqlite3
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

from appreciate_tui.store import Store, cipher

ENV = "APPRECIATE_TEST_PASSPHRASE"
INTEGRITY_ERRORS = cipher.INTEGRITY_ERRORS
DATABASE_ERRORS = cipher.DATABASE_ERRORS


def passphrase() -> str | None:
    return os.environ.get(ENV) or None


@lru_cache(maxsize=1)
def _key(secret: str) -> cipher.Key:
    # One salt for every database this test process makes: the key is derived once.
    return cipher.derive(secret)


def test_key() -> cipher.Key | None:
    secret = passphrase()
    return _key(secret) if secret else None


test_key.__test__ = False  # type: ignore[attr-defined]  # not a test, whatever its name


def encrypt_every_store(monkeypatch: pytest.MonkeyPatch) -> None:
    default_key = test_key()
    assert default_key is not None
    original = Store.open.__func__  # type: ignore[attr-defined]

    def open_encrypted(cls: type[Store], path: Any = None, *, read_only: bool = False,
                       passphrase: str | None = None, key: cipher.Key | None = None) -> Store:
        if key is None and passphrase is None:
            key = default_key
        store = original(cls, path, read_only=read_only, passphrase=passphrase, key=key)
        assert store.encrypted, "the encrypted test run opened a plain database"
        return store

    monkeypatch.setattr(Store, "open", classmethod(open_encrypted))


def raw_connect(path: Path, **kwargs: Any) -> Any:
    """A connection of the test's own to the database, as another program would open it."""
    kwargs.setdefault("timeout", 5.0)
    kwargs.setdefault("check_same_thread", False)
    key = test_key()
    if key is None:
        return sqlite3.connect(path, **kwargs)
    return cipher.connect(path, key, **kwargs)
