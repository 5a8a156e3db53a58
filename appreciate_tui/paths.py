"""Where things live. Functions, not constants: nothing is resolved or created at import time.

The database is `--db PATH`, else `$APPRECIATE_DB`, else `appreciate.db` in the user data dir
(platformdirs). Shipped banks, demo and themes are found inside the installed package, or beside it
in a source checkout.
"""

from __future__ import annotations

import os
import tempfile
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


def pending_shares_dir(database: Path) -> Path:
    """Shares exported while another appreciate held the database, waiting for it to record them
    (store/share_queue.py): `<name>.pending-shares/` beside the database, private (0700)."""
    return database.with_name(database.name + ".pending-shares")


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


# ---------------------------------------------------------------- private files


class FileExists(Exception):
    """The file name is already taken by another file."""


def _taken(path: Path) -> FileExists:
    return FileExists(f"{path} already exists")


def write_private(
    path: str | os.PathLike[str], data: bytes | str, *, replace: bool = False
) -> Path:
    """Write `data` (text as UTF-8) to `path`: private, complete or not there at all, and never
    over another file by accident. Every file appreciate writes for the facilitator goes through
    here: an export, a copy that could not reach the clipboard, the settings, a question bank.

    The bytes go to a new temporary file beside the target (`.appreciate-<random>.part`), created
    with mode 0600 whatever the umask, and are flushed to disk; only then does the file take its
    name, in one step, and the folder is synced so the name survives a power cut. A reader (or a
    crash) sees the old file or the whole new one, never half of one; if anything fails, the
    temporary file is removed and the old file is left as it was. Without `replace`, an existing
    file with that name is left alone (`FileExists`), even one that appears while this writes.
    """
    path = Path(path).expanduser()
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise FileNotFoundError(2, "there is no such folder", str(folder))
    if path.exists() and not replace:
        raise _taken(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, temporary = tempfile.mkstemp(prefix=".appreciate-", suffix=".part", dir=folder)
    try:
        portable.keep_private(fd)
        with os.fdopen(fd, "wb") as file:
            file.write(payload)
            file.flush()
            os.fsync(file.fileno())
        _into_place(Path(temporary), path, replace=replace)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _sync_folder(folder)
    return path


def _into_place(temporary: Path, path: Path, *, replace: bool) -> None:
    if replace:
        os.replace(temporary, path)
        return
    # A hard link fails if the name was taken meanwhile, which a rename would silently replace.
    try:
        os.link(temporary, path)
    except FileExistsError:
        raise _taken(path) from None
    except OSError:
        # Some filesystems (FAT USB sticks, some network shares) have no hard links.
        if path.exists():
            raise _taken(path) from None
        os.replace(temporary, path)
        return
    temporary.unlink()


def _sync_folder(folder: Path) -> None:
    """Make the new name itself durable (not possible on every system; harmless where not)."""
    try:
        portable.sync_folder(folder)
    except OSError:
        pass
