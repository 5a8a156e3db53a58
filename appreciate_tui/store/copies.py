"""Copies of erased text outside the database's own tables: the backups and the files a restore
kept aside (`backup_holds`, `kept_copies`), and what appreciate wrote into its exports folder
(`exports_holding`, `remove_exports`). store/erasure.py says what to look for and removes them.
"""

from __future__ import annotations

import csv
import glob
import html
import io
import json
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from appreciate_tui import paths
from appreciate_tui.store import cipher, safety
from appreciate_tui.store.free_text import MIN_DRAFT_MATCH, NamePattern, fold, free_text_columns


# ---------------------------------------------------------------- what is still held elsewhere


def _open_copy(path: Path, key: cipher.Key | None) -> Any:
    use = key if cipher.looks_encrypted(path) else None
    return cipher.connect(safety.read_only_uri(path), use, uri=True, path=path)


def backup_holds(path: Path, key: cipher.Key | None, *, pattern: NamePattern | None = None,
                 ids: Mapping[str, Sequence[str]] | None = None) -> bool:
    """Whether a backup (opened read-only) holds a name matching `pattern`, or any of `ids`
    ({"conversations": [...], "notes": [...], ...}). A plain backup's bytes are searched as well,
    which also finds words left in its full-text index pages."""
    conn = _open_copy(path, key)
    try:
        for table, wanted in (ids or {}).items():
            wanted = list(wanted)
            if not wanted:
                continue
            marks = ", ".join("?" for _ in wanted)
            if conn.execute(f"SELECT 1 FROM {table} WHERE id IN ({marks}) LIMIT 1", wanted).fetchone():
                return True
        if pattern is not None:
            for table, columns in free_text_columns(conn).items():
                quoted = ", ".join(f'"{column}"' for column in columns)
                for row in conn.execute(f'SELECT {quoted} FROM "{table}"'):
                    if any(isinstance(v, str) and pattern.search(v) for v in row):
                        return True
    finally:
        conn.close()
    if pattern is not None and not cipher.looks_encrypted(path):
        text = path.read_bytes().decode("utf-8", "ignore")
        if pattern.search(text):
            return True
    return False


def kept_copies(database: Path, key: cipher.Key | None = None) -> list[Path]:
    """Every copy appreciate keeps of a database: its own backups (`safety.list_backups`; `key`
    is its key when it is encrypted), and the files a restore kept aside
    (`appreciate.db.before-restore-…`)."""
    aside = sorted(
        p for p in database.parent.glob(f"{glob.escape(database.name)}.before-restore-*")
        if not p.name.endswith(("-wal", "-shm"))
    )
    return safety.list_backups(database, key) + aside


# ---------------------------------------------------------------- appreciate's exports folder

# The names appreciate gives what it writes into its own exports folder: an export of a
# conversation, its date first and the first eight characters of its id last
# (`<date>-[questions-]<title>-<id>.<ext>`, `<date>-[questions-]<id>-redacted.<ext>`:
# reports/files.py, `default_path`); a copy that could not reach the clipboard,
# `copied-<date>-<time>.txt` (tui/clipboard.py, `save_copy`); and an export cut off half
# written, `.appreciate-<random>.part` (paths.py, `write_private`).
_EXPORT_NAME = re.compile(r"\d{4}-\d{2}-\d{2}-(?:[\w-]*-)?(?P<id>[0-9a-f]{8})(?:-redacted)?\.\w+")
_OTHER_NAMES = re.compile(r"copied-\d{4}-\d{2}-\d{2}-\d{6}(?:-\d+)?\.txt|\.appreciate-\w+\.part")
_MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_TAG = re.compile(r"<[^>]+>")
_WORD_BREAK = re.compile(r"</w:p>|<w:(?:br|tab|cr)\b[^>]*>")


@dataclass(frozen=True)
class ExportFiles:
    """Files in appreciate's exports folder that hold what is being erased."""

    ours: list[Path]  # named as appreciate names what it writes there: removed with it
    theirs: list[Path]  # put there by someone else: named, and left alone


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def export_text(path: Path) -> str | None:
    """The words a file in the exports folder holds, its format's escapes undone: a Word file's
    text (outside its XML tags), a web page's (entities decoded), Markdown's (backslashes
    removed), a bundle's strings, a table's cells. None when it cannot be read."""
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as bundle:
                return html.unescape(" ".join(
                    _TAG.sub("", _WORD_BREAK.sub(" ", bundle.read(n).decode("utf-8", "ignore")))
                    for n in bundle.namelist() if n.endswith(".xml")
                ))
        text = path.read_bytes().decode("utf-8", "ignore")
    except (OSError, zipfile.BadZipFile):
        return None
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        return html.unescape(_TAG.sub(" ", text))
    if suffix == ".md":
        return _MARKDOWN_ESCAPE.sub(r"\1", text)
    if suffix == ".json":
        try:
            return "\n".join(_strings(json.loads(text)))
        except ValueError:
            return text
    if suffix == ".csv":
        return "\n".join(" ".join(row) for row in csv.reader(io.StringIO(text)))
    return text


def _flat(text: str) -> str:
    return " ".join(fold(text, "").split())


def exports_holding(*, conversations: Iterable[str] = (), texts: Iterable[str] = (),
                    pattern: NamePattern | None = None,
                    only_in: Iterable[str] | None = None) -> ExportFiles:
    """Files in appreciate's exports folder holding what is being erased: an export appreciate
    named for one of `conversations`, or a file whose words match `pattern` or hold one of
    `texts` (a note's words; a few words alone are too common to tell) word for word. With
    `only_in`, an export named for another conversation than those is not looked into."""
    folder = paths.exports_dir()
    if not folder.is_dir():
        return ExportFiles([], [])
    named_for = {cid[:8] for cid in conversations}
    within = None if only_in is None else {cid[:8] for cid in only_in}
    wanted = [_flat(text) for text in texts if len(text.strip()) >= MIN_DRAFT_MATCH]
    ours: list[Path] = []
    theirs: list[Path] = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        export = _EXPORT_NAME.fullmatch(path.name) if path.parent == folder else None
        written_here = bool(export) or (path.parent == folder and _OTHER_NAMES.fullmatch(path.name))
        holds = bool(export and export["id"] in named_for)
        if not holds and (within is None or not export or export["id"] in within):
            text = export_text(path) if pattern is not None or wanted else None
            if text is not None:
                flat = _flat(text) if wanted else ""
                holds = (pattern is not None and pattern.search(text)) or any(
                    w in flat for w in wanted)
        if holds:
            (ours if written_here else theirs).append(path)
    return ExportFiles(ours, theirs)


def remove_exports(found: ExportFiles) -> list[Path]:
    """Overwrite and delete the files appreciate wrote (`found.ours`); returns those removed."""
    return [path for path in found.ours if cipher.shred(path)]
