"""Encryption at rest with SQLCipher (the optional extra `appreciate-tui[encryption]`).

An encrypted database is an ordinary SQLCipher 4 file: the passphrase goes through SQLCipher's own
key derivation (PBKDF2-HMAC-SHA512, 256,000 iterations, the 16-byte random salt at the start of the
file), so the `sqlcipher` shell or DB Browser opens it with the same passphrase. The key is derived
here, once per process and salt, and handed to SQLCipher as a raw key: every further connection
(the store's own, the open-time check, each backup's check) then opens at once instead of paying
for the derivation again. Backups of an encrypted database are encrypted with the same key.

How a file is recognised: a plain SQLite file starts with "SQLite format 3\\0"; an encrypted one
starts with its random salt. Those 16 bytes are read with Python file I/O only when no connection
of this process holds the file (closing a descriptor drops every POSIX lock the process holds on
that file, SQLite's included: reliability.md section 1.4). The open stores register themselves
here so that a second open in the same process asks the registry instead of the file.

SQLCipher's exceptions are not subclasses of `sqlite3.Error`; `ERRORS` and `DATABASE_ERRORS` catch
both families (store/errors.py). SQLCipher logs to stderr (a wrong key prints "hmac check
failed"), which would scribble over the terminal app: `cipher_log_level = NONE` is set on every
connection before the key.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import string
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from appreciate_tui import portable
# The error families and exceptions of encrypted files are store/errors.py's, named here too.
from appreciate_tui.store.errors import (  # noqa: F401
    DATABASE_ERRORS,
    ERRORS,
    INTEGRITY_ERRORS,
    OPERATIONAL_ERRORS,
    SQLITE_MAGIC,
    EncryptionUnavailable,
    NotEncrypted,
    WrongPassphrase,
)

try:  # the optional extra
    from sqlcipher3 import dbapi2 as _sqlcipher
except ImportError:  # pragma: no cover - depends on what is installed
    _sqlcipher = None

SALT_BYTES = 16
KEY_BYTES = 32
KDF_ITERATIONS = 256_000  # SQLCipher 4's default, so other SQLCipher tools open our files
KDF_DIGEST = "sha512"
MIN_PASSPHRASE = 8
EXTRA_HINT = "pip install 'appreciate-tui[encryption]'"


def available() -> bool:
    return _sqlcipher is not None


def require() -> Any:
    if _sqlcipher is None:
        raise EncryptionUnavailable(
            f"encryption needs the sqlcipher3 package, which is not installed: {EXTRA_HINT}"
        )
    return _sqlcipher


@dataclass(frozen=True)
class Key:
    """A derived SQLCipher key and the salt it belongs to. Its repr never shows either, so a
    traceback that prints local variables cannot print the key."""

    raw: bytes = field(repr=False)
    salt: bytes = field(repr=False)

    @property
    def spec(self) -> str:
        """The raw key as SQLCipher takes it: x'<key><salt>' in hex."""
        return f"x'{self.raw.hex()}{self.salt.hex()}'"

    def __repr__(self) -> str:
        return "Key(<hidden>)"


@lru_cache(maxsize=8)
def _derive(passphrase: str, salt: bytes) -> bytes:
    return hashlib.pbkdf2_hmac(KDF_DIGEST, passphrase.encode("utf-8"), salt, KDF_ITERATIONS, KEY_BYTES)


def derive(passphrase: str, salt: bytes | None = None) -> Key:
    """The key for `passphrase` with `salt` (a fresh random salt for a new file)."""
    salt = salt if salt is not None else os.urandom(SALT_BYTES)
    if len(salt) != SALT_BYTES:
        raise ValueError("a SQLCipher salt is 16 bytes")
    return Key(_derive(passphrase, salt), salt)


# ---------------------------------------------------------------- which files are held open here

# (st_dev, st_ino) -> [how many open stores, their key or None for plain]
_held: dict[tuple[int, int], list[Any]] = {}
# Resolved database path -> the key this process unlocked it with.
_session: dict[Path, Key] = {}


def _inode(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_dev, st.st_ino)


def hold(path: Path, key: Key | None) -> tuple[int, int] | None:
    """Note that a store of this process has `path` open (with `key`); returns a token for
    `release`."""
    inode = _inode(path)
    if inode is not None:
        entry = _held.setdefault(inode, [0, key])
        entry[0] += 1
        entry[1] = key
    return inode


def release(token: tuple[int, int] | None) -> None:
    if token is None or token not in _held:
        return
    _held[token][0] -= 1
    if _held[token][0] <= 0:
        del _held[token]


def held_key(path: Path) -> tuple[bool, Key | None]:
    """(True, key-or-None) when a store of this process has `path` open, else (False, None)."""
    inode = _inode(path)
    if inode is None or inode not in _held:
        return False, None
    return True, _held[inode][1]


def unlock(path: Path, key: Key) -> None:
    """Remember `key` for `path` for the rest of this process: `Store.open(path)` uses it."""
    _session[Path(path).absolute()] = key


def session_key(path: Path) -> Key | None:
    return _session.get(Path(path).absolute())


def forget(path: Path | None = None) -> None:
    """Drop the remembered key of `path`, or of every database."""
    if path is None:
        _session.clear()
    else:
        _session.pop(Path(path).absolute(), None)


# ---------------------------------------------------------------- recognising an encrypted file


def _read_header(path: Path) -> bytes:
    """The first 16 bytes, read by descriptor. Only called when no store of this process has the
    file open (see the module docstring)."""
    fd = os.open(path, os.O_RDONLY | portable.BINARY)
    try:
        return os.read(fd, SALT_BYTES)
    finally:
        os.close(fd)


def looks_encrypted(path: Path) -> bool:
    """True for a file that is not plain SQLite and has the shape of a SQLCipher one: whole pages,
    and a first 16 bytes that are not text. (Random bytes look the same, so what is said about
    such a file allows for both: `locked`, and `connect` with a key that does not open it.)"""
    path = Path(path)
    is_held, key = held_key(path)
    if is_held:
        return key is not None
    try:
        size = os.stat(path).st_size
    except FileNotFoundError:
        return False
    if size < 512 or size % 512:
        return False
    header = _read_header(path)
    if len(header) < SALT_BYTES or header == SQLITE_MAGIC:
        return False
    printable = set(string.printable.encode())
    return not all(byte in printable for byte in header)


def locked(path: Path, needs: str) -> str:
    """What to say about a file that `looks_encrypted` and cannot be opened yet: it is encrypted
    and `needs` something to open, or it is some other file entirely."""
    return (
        f"{path} is either an encrypted database, which needs {needs}, or not an appreciate "
        "database at all (choose another file with --db)"
    )


def salt_of(path: Path) -> bytes:
    """The salt an existing encrypted file was made with."""
    is_held, key = held_key(path)
    if is_held and key is not None:
        return key.salt
    if is_held:
        raise NotEncrypted(f"{path}: this database is not encrypted")
    header = _read_header(path)
    if header == SQLITE_MAGIC:
        raise NotEncrypted(
            f"{path}: this database is not encrypted; `appreciate encrypt` encrypts it"
        )
    if len(header) < SALT_BYTES:
        raise WrongPassphrase(f"{path}: the file is too short to be an encrypted database")
    return header


def key_for(path: Path, passphrase: str) -> Key:
    """The key that opens `path` with `passphrase`: the file's own salt when it exists, a new random
    salt for a new file. Checks nothing yet: a wrong passphrase shows at the first connection."""
    path = Path(path)
    if path.exists() and os.stat(path).st_size > 0:
        return derive(passphrase, salt_of(path))
    return derive(passphrase)


# ---------------------------------------------------------------- connections


def connect(target: str | os.PathLike[str], key: Key | None, *, uri: bool = False,
            timeout: float = 5.0, check_same_thread: bool = True, path: Path | None = None) -> Any:
    """A connection to `target`: the standard library's for a plain database, SQLCipher's with the
    key for an encrypted one. A key that does not open the file raises `WrongPassphrase` (one
    line, naming `path`) and nothing is printed by the library."""
    if key is None:
        return sqlite3.connect(target, uri=uri, timeout=timeout, check_same_thread=check_same_thread)
    module = require()
    conn = module.connect(target, uri=uri, timeout=timeout, check_same_thread=check_same_thread)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f'PRAGMA key = "{key.spec}"')
        # The key is only checked when the first page is read.
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except module.DatabaseError as exc:
        conn.close()
        where = path if path is not None else target
        raise WrongPassphrase(
            f"{where}: the passphrase does not open this database: either it is not the "
            "passphrase, or the file is not an appreciate database (or is damaged); nothing was "
            "changed"
        ) from exc
    except BaseException:
        conn.close()
        raise
    return conn


def integrity_problems(conn: Any) -> list[str]:
    """SQLCipher's page-by-page HMAC check: [] when every page is as it was written."""
    return [str(row[0]) for row in conn.execute("PRAGMA cipher_integrity_check").fetchall()]


# ---------------------------------------------------------------- removing plaintext


def shred(path: Path) -> bool:
    """Overwrite a file with zeros, sync it and unlink it; False if it was not there.

    On an SSD or a copy-on-write or journalling filesystem the old blocks may survive anyway (the
    drive remaps writes): only full-disk encryption covers that. Never call this on a file SQLite
    has open in this process.
    """
    try:
        size = os.stat(path).st_size
    except FileNotFoundError:
        return False
    fd = os.open(path, os.O_WRONLY | portable.BINARY)
    try:
        chunk = b"\x00" * 65536
        written = 0
        while written < size:
            written += os.write(fd, chunk[: min(len(chunk), size - written)])
        os.fsync(fd)
    finally:
        os.close(fd)
    os.unlink(path)
    return True
