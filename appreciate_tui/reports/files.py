"""Where an export is written: a file in the private exports folder, named after the
conversation (`default_path`). The writing itself, private, complete or not there at all and
never over another file by accident (shared research, reliability.md §6.1), is
`paths.write_private`.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from appreciate_tui import paths
from appreciate_tui.text import clean_line


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
    return folder / default_name(title, conversation_date, conversation_id, extension,
                                 redacted=redacted, contents=contents)


def default_name(
    title: str,
    conversation_date: str,
    conversation_id: str,
    extension: str,
    *,
    redacted: bool,
    contents: str = "",
) -> str:
    """The name `default_path` gives, without making the exports folder (for a dialog that only
    offers it)."""
    day = date.fromisoformat(conversation_date).isoformat()
    kind = f"{contents}-" if contents else ""
    if redacted:
        return f"{day}-{kind}{conversation_id[:8]}-redacted.{extension}"
    slug = re.sub(r"[^\w]+", "-", clean_line(title).lower()).strip("-_")[:48].strip("-_")
    return f"{day}-{kind}{slug or 'conversation'}-{conversation_id[:8]}.{extension}"
