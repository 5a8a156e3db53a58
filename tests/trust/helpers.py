"""Helpers for the trust tests: made-up meetings with a marker in them, byte scans of every file
in a folder, and the environment a child process needs."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from appreciate_tui.domain import Phase, Stance
from appreciate_tui.store import Store

REPO = Path(__file__).resolve().parents[2]
PASSPHRASE = "correct horse battery staple"


def meeting(store: Store, title: str = "MASH strategy meetings", *, date: str = "2026-03-12",
            notes: list[str] | tuple[str, ...] = (), fillers: int = 12) -> tuple[str, str]:
    """A conversation with one question, some ordinary notes and `notes`; (conversation, question)."""
    conversation = store.create_conversation(title, "Is MASH working well?", date=date)
    question = store.add_question(conversation.id, "Tell me about a meeting that worked", Phase.DISCOVER)
    for n in range(fillers):
        store.add_note(conversation.id, question.id, f"Ordinary note {n}: the police chronology "
                       "arrived early and health joined by phone", Stance.STRENGTH)
    for body in notes:
        store.add_note(conversation.id, question.id, body)
    return conversation.id, question.id


def files_holding(folder: Path, marker: str, *, skip: tuple[Path, ...] = ()) -> list[str]:
    """Every file under `folder` whose bytes hold `marker` in any case (a full-text index keeps
    words lower-cased), as paths relative to `folder`."""
    needle = marker.lower().encode("utf-8")
    found = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path in skip:
            continue
        if needle in path.read_bytes().lower():
            found.append(str(path.relative_to(folder)))
    return found


def child_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra)
    return env


PYTHON = sys.executable


def plain_connect(path: Path):
    """The standard library's sqlite3, read-only: what any other program on the laptop could use."""
    import sqlite3

    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def passphrase_fd(secret: str) -> int:
    """A file descriptor a script would pass with --passphrase-fd: a pipe holding `secret`."""
    read, write = os.pipe()
    os.write(write, secret.encode("utf-8") + b"\n")
    os.close(write)
    return read
