"""What the store raises on purpose, and how SQLite's own errors are told apart.

Every exception here is a `StoreError` whose message is meant for the user. SQLCipher's exceptions
(store/cipher.py) are not subclasses of `sqlite3.Error`; `ERRORS` and `DATABASE_ERRORS` catch both
families. `is_damage` tells SQLite's report of a damaged page or file from a full disk, a lock or
a bad statement. Nothing here opens a file: cipher.py and safety.py both build on this module.
"""

from __future__ import annotations

import sqlite3

try:  # the optional extra
    from sqlcipher3 import dbapi2 as _sqlcipher
except ImportError:  # pragma: no cover - depends on what is installed
    _sqlcipher = None

if _sqlcipher is not None:
    ERRORS: tuple[type[BaseException], ...] = (sqlite3.Error, _sqlcipher.Error)
    DATABASE_ERRORS: tuple[type[BaseException], ...] = (sqlite3.DatabaseError, _sqlcipher.DatabaseError)
    INTEGRITY_ERRORS: tuple[type[BaseException], ...] = (sqlite3.IntegrityError, _sqlcipher.IntegrityError)
    OPERATIONAL_ERRORS: tuple[type[BaseException], ...] = (
        sqlite3.OperationalError, _sqlcipher.OperationalError
    )
else:  # pragma: no cover
    ERRORS = (sqlite3.Error,)
    DATABASE_ERRORS = (sqlite3.DatabaseError,)
    INTEGRITY_ERRORS = (sqlite3.IntegrityError,)
    OPERATIONAL_ERRORS = (sqlite3.OperationalError,)


class StoreError(Exception):
    """Base of everything the store raises on purpose; the message is meant for the user."""


class DatabaseDamaged(StoreError):
    """The file is not a healthy appreciate database. It has not been changed."""


class NotFound(StoreError):
    pass


class Ambiguous(StoreError):
    pass


class ReadOnlyError(StoreError):
    """A write was asked of a store opened read-only; the message says why it is read-only."""


class SaveError(StoreError):
    """A write failed and changed nothing (disk full, I/O error, database busy…)."""


class DamagedWhileSaving(SaveError, DatabaseDamaged):
    """SQLite found a damaged page while writing: the write changed nothing, and the store has
    become read-only. The message is the one for a damaged file, naming the newest backup."""


class EncryptionUnavailable(StoreError):
    """The database is encrypted (or encryption was asked for) but sqlcipher3 is not installed."""


class WrongPassphrase(StoreError):
    """The passphrase does not open this database. Nothing was changed."""


class NotEncrypted(StoreError):
    """A passphrase was given for a plain database."""


SQLITE_MAGIC = b"SQLite format 3\x00"

# SQLite's primary result codes for a damaged file: SQLITE_CORRUPT and SQLITE_NOTADB.
_DAMAGE_CODES = (11, 26)


def is_damage(exc: BaseException | None) -> bool:
    """True for SQLite's report of a damaged page or file (not a full disk, a lock, a bad
    statement), and for our own refusal of a damaged file."""
    if isinstance(exc, DatabaseDamaged):
        return True
    if not isinstance(exc, DATABASE_ERRORS):
        return False
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in _DAMAGE_CODES
    message = str(exc).lower()  # SQLCipher's errors carry no code
    return "malformed" in message or "not a database" in message


def describe(exc: BaseException) -> str:
    message = str(exc) or type(exc).__name__
    if isinstance(exc, UnicodeEncodeError):
        return "the text could not be encoded"
    if "disk is full" in message:
        return "the disk is full"
    return message
