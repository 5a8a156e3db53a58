"""Writing an export to a file: private, complete or not there at all, never over another file
by accident (shared research, reliability.md §6.1).

The bytes go to a new temporary file beside the target, created with mode 0600 whatever the umask,
and are flushed to disk; only then does the file take its name, in one step. A reader (or a crash)
sees either no file or the whole file, never half of one. Without `force`, an existing file with
that name is left alone, even one that appears while the export is being written.
"""

from __future__ import annotations

import os
import re
import tempfile
from datetime import date
from pathlib import Path

from appreciate_tui import paths, portable
from appreciate_tui.text import clean_line


class FileExists(Exception):
    """The export's file name is already taken by another file."""


def _taken(path: Path) -> FileExists:
    return FileExists(f"{path} already exists")


def write_private(path: Path, data: bytes, *, force: bool = False) -> Path:
    """Write `data` to `path` atomically with mode 0600; refuse to replace a file unless `force`."""
    path = Path(path).expanduser()
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise FileNotFoundError(2, "there is no such folder", str(folder))
    if path.exists() and not force:
        raise _taken(path)
    fd, temporary = tempfile.mkstemp(prefix=".appreciate-", suffix=".part", dir=folder)
    try:
        portable.keep_private(fd)
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        _into_place(Path(temporary), path, force=force)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _sync_folder(folder)
    return path


def _into_place(temporary: Path, path: Path, *, force: bool) -> None:
    if force:
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


def default_path(
    title: str,
    conversation_date: str,
    conversation_id: str,
    extension: str,
    *,
    redacted: bool,
    contents: str = "",
) -> Path:
    """A file in the private exports folder, named after the conversation:
    `2026-02-26-mash-strategy-meetings-c26f4195.html`. A redacted export is named without its
    title (`2026-02-26-c26f4195-redacted.html`): the title may hold the very words taken out.

    `contents` says what the file holds when the extension alone does not tell it from another
    export of the conversation (`questions`: `2026-02-26-questions-mash-…-c26f4195.html` beside
    the learning example's page), so two exports never want the same name."""
    folder = paths.ensure_private_dir(paths.exports_dir())
    day = date.fromisoformat(conversation_date).isoformat()
    kind = f"{contents}-" if contents else ""
    if redacted:
        return folder / f"{day}-{kind}{conversation_id[:8]}-redacted.{extension}"
    slug = re.sub(r"[^\w]+", "-", clean_line(title).lower()).strip("-_")[:48].strip("-_")
    return folder / f"{day}-{kind}{slug or 'conversation'}-{conversation_id[:8]}.{extension}"
