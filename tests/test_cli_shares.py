"""`appreciate shares`: the sharing record, as a facilitator or a script reads it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from appreciate_tui.demo import DEMO_CONVERSATION_ID
from appreciate_tui.store import Store
from tests.conftest import FrozenClock
from tests.helpers.demo_cli import demo_cli

ID = DEMO_CONVERSATION_ID[:8]
HOSTILE = "Board \x1b]2;PWNED\x07 \u202eevil\u202c"


@pytest.fixture
def run(db_path: Path, frozen_clock: FrozenClock, utc: None):
    return demo_cli(db_path)


def test_nothing_shared_says_so(run, db_path: Path) -> None:
    assert run("shares").output == "Nothing has been shared from this database yet.\n"
    one = run("shares", ID).output
    assert one.startswith("Nothing from MASH strategy meetings") and "shared yet" in one
    assert json.loads(run("shares", "--json").output) == []
    assert json.loads(run("shares", ID, "--json").output) == []


def test_what_was_shared_newest_first(run, frozen_clock: FrozenClock, tmp_path: Path) -> None:
    target = tmp_path / "for the board.md"
    run("export", ID, "--format", "md", "--redact", "--recipient", "Partnership board",
        "--purpose", "learning review", "-o", str(target))
    frozen_clock.advance(minutes=5)
    run("export", ID, "--format", "questions")
    shown = run("shares", ID).output
    assert shown.splitlines()[0].endswith(": 2 shares recorded, newest first.")
    sheet, learning = shown.split("\n\n")[1:]
    assert sheet.startswith("2026-03-12 09:35  question sheet (Markdown), not redacted")
    assert "to       (not recorded)" in sheet and "file" not in sheet
    assert learning.startswith("2026-03-12 09:30  learning example (Markdown), redacted")
    assert "to       Partnership board" in learning and "why      learning review" in learning
    assert f"file     {target}" in learning
    assert "    of " not in shown, "one conversation's shares do not repeat its title"

    every = run("shares").output
    assert every.startswith("2 shares recorded from 1 conversation, newest first.")
    assert f"of       MASH strategy meetings — appreciative conversation ({ID})" in every


def test_json_for_scripts(run, tmp_path: Path) -> None:
    target = tmp_path / "notes.csv"
    run("export", ID, "--format", "csv", "--what", "notes", "--recipient", "Police",
        "-o", str(target))
    (share,) = json.loads(run("shares", ID[:4], "--json").output)
    assert share == {
        "id": share["id"],
        "conversation_id": DEMO_CONVERSATION_ID,
        "conversation_title": "MASH strategy meetings — appreciative conversation",
        "shared_at": "2026-03-12T09:30:00.000000+00:00",
        "format": "csv-notes",
        "redacted": False,
        "recipient": "Police",
        "purpose": "",
        "path": str(target),
        "pending": False,
    }


def test_one_share_is_one_share_and_stored_text_is_made_harmless(run, db_path: Path) -> None:
    with Store.open(db_path) as store:
        store.record_share(DEMO_CONVERSATION_ID, "docx", recipient=HOSTILE, path="/tmp/x\x1b[2J.docx")
    shown = run("shares").output
    assert shown.startswith("1 share recorded from 1 conversation")
    assert "\x1b" not in shown and "\u202e" not in shown and "\x07" not in shown
    assert "learning example (Word), not redacted" in shown
    assert "\x1b" not in run("shares", "--json").output


def test_an_unknown_conversation_is_one_line_error(run) -> None:
    result = run("shares", "zzzz", ok=False)
    assert result.exit_code == 1
    assert result.stderr.startswith("appreciate: no conversation id starts with 'zzzz'")


def test_listed_in_help(run) -> None:
    assert "shares" in run("--help").output
    assert "with whom, why" in run("shares", "--help").output


def test_a_path_is_kept_on_this_laptop_not_put_in_a_bundle(run, db_path: Path,
                                                           tmp_path: Path) -> None:
    run("export", ID, "--format", "md", "-o", str(tmp_path / "a.md"))
    bundle = json.loads(run("export", ID, "--format", "json").output)
    (share,) = bundle["tables"]["shares"]
    assert "path" not in share and share["format"] == "md"
