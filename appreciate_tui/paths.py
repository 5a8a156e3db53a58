"""Where things live. Functions, not constants: nothing is resolved or created at import time.

The database is `--db PATH`, else `$APPRECIATE_DB`, else `appreciate.db` in the user data dir
(platformdirs). Shipped banks, demo and themes are found inside the installed package, or beside it
in a source checkout.
"""

from __future__ import annotations

import os
from pathlib import Path

from appreciate_tui import portable

APP_NAME = "appreciate"
DB_ENV = "APPRECIATE_DB"
PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir() -> Path:
    """The user's private data folder (not created here)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def db_path(override: str | os.PathLike[str] | None = None) -> Path:
    if override:
        return Path(override).expanduser()
    env = os.environ.get(DB_ENV)
    if env:
        return Path(env).expanduser()
    return data_dir() / "appreciate.db"


def user_banks_dir() -> Path:
    return data_dir() / "banks"


def user_themes_dir() -> Path:
    return data_dir() / "themes"


def settings_path() -> Path:
    return data_dir() / "settings.json"


def backups_dir(database: Path) -> Path:
    """Backups sit beside the database they protect, so `--db` elsewhere keeps them together.
    Databases in one folder share it; which backups are whose is `store.safety.list_backups`."""
    return database.parent / "backups"


def exports_dir() -> Path:
    return data_dir() / "exports"


def _shipped(name: str) -> Path:
    inside = PACKAGE_DIR / name
    if inside.is_dir():
        return inside
    return PACKAGE_DIR.parent / name


def shipped_banks_dir() -> Path:
    return _shipped("data") / "banks"


def demo_dir() -> Path:
    return _shipped("data") / "demo"


def shipped_themes_dir() -> Path:
    return _shipped("themes")


def ensure_private_dir(path: Path, *, tighten: bool = True) -> Path:
    """Create `path` with mode 0700, and every missing folder above it too (so making
    `exports/` first never leaves the data folder readable by others).

    With `tighten`, an existing folder that others can read is made private too; a folder the
    user chose for `--db` (say, their home) is left as it is.
    """
    missing = []
    folder = path
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for folder in reversed(missing):
        folder.mkdir(mode=0o700, exist_ok=True)
        portable.keep_private(folder, 0o700)  # mkdir's mode is filtered by the umask
    if tighten and portable.open_to_others(path):
        portable.keep_private(path, 0o700)
    return path
