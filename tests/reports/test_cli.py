"""`appreciate export` and `appreciate import`, as a facilitator or a script would use them."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from appreciate_tui import paths
from appreciate_tui.cli import main
from appreciate_tui.demo import DEMO_CONVERSATION_ID
from appreciate_tui.store import Store
from tests.helpers.private import assert_private_dir, assert_private_file
from tests.reports.report_worlds import control_bytes, insert_raw_note

ID = DEMO_CONVERSATION_ID[:8]


@pytest.fixture
def run(db_path: Path, frozen_clock, london):
    runner = CliRunner()

    def invoke(*args: str, ok: bool = True, db: Path = db_path):
        result = runner.invoke(main, ["--db", str(db), *args], catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, result.output + result.stderr
        else:
            assert result.exit_code != 0, result.output
            assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        return result

    invoke("demo")
    return invoke


def _shares(db_path: Path) -> list[dict]:
    with sqlite3.connect(db_path) as conn:
        conn.row_factory = sqlite3.Row
        return [
            dict(row) for row in conn.execute("select * from shares order by created_at, rowid")
        ]


def test_markdown_goes_to_stdout_and_the_share_is_recorded_without_content(
    run, db_path: Path
) -> None:
    result = run(
        "export",
        ID,
        "--format",
        "md",
        "--recipient",
        "Partnership board",
        "--purpose",
        "learning review",
    )
    assert result.output.startswith("# MASH strategy meetings")
    (share,) = _shares(db_path)
    assert share["format"] == "md" and share["redacted"] == 0
    assert share["recipient"] == "Partnership board" and share["purpose"] == "learning review"
    assert set(share) == {
        "id",
        "conversation_id",
        "format",
        "redacted",
        "recipient",
        "purpose",
        "created_at",
        "path",
    }
    assert share["path"] is None, "printed, not written to a file"


def test_html_without_output_goes_to_the_private_exports_folder(run) -> None:
    result = run("export", ID, "--format", "html")
    written = Path(result.output.removeprefix("Wrote ").strip())
    assert written.parent == paths.exports_dir()
    assert (
        written.name == "2026-02-26-mash-strategy-meetings-appreciative-conversation-c26f4195.html"
    )
    assert_private_file(written)
    assert_private_dir(written.parent)
    assert written.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_an_existing_file_needs_force(run, tmp_path: Path, db_path: Path) -> None:
    target = tmp_path / "learning.docx"
    run("export", ID, "--format", "docx", "-o", str(target))
    first = target.read_bytes()
    refused = run("export", ID, "--format", "docx", "-o", str(target), ok=False)
    assert "already exists" in refused.stderr and "--force" in refused.stderr
    assert target.read_bytes() == first
    assert len(_shares(db_path)) == 1  # a refused export is not recorded
    run("export", ID, "--format", "docx", "-o", str(target), "--force")
    assert_private_file(target)
    assert [s["format"] for s in _shares(db_path)] == ["docx", "docx"]


def test_redact_term_is_kept_for_the_conversation_and_redacts(run, db_path: Path) -> None:
    result = run(
        "export",
        ID,
        "--format",
        "md",
        "--redact-term",
        "Devon",
        "--redact-term",
        "Friday afternoon",
    )
    assert "Devon" not in result.output and "Friday afternoon" not in result.output
    assert "Redacted for sharing" in result.output
    assert "read it before you share it" in result.stderr
    with Store.open(db_path, read_only=True) as store:
        assert [t.term for t in store.list_redaction_terms(DEMO_CONVERSATION_ID)] == [
            "Devon",
            "Friday afternoon",
        ]
    assert _shares(db_path)[0]["redacted"] == 1
    # Kept: a later redacted export leaves them out without being told again.
    assert "Devon" not in run("export", ID, "--format", "csv", "--what", "notes", "--redact").output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "md", "--what", "notes"], "--what goes with --format csv"),
        (
            ["--format", "md", "--questions-format", "txt"],
            "--questions-format goes with --format questions",
        ),
        (["--format", "md", "--names", "--redact"], "--names cannot be used with --redact"),
        (["--format", "md", "--redact-term", "x"], "at least 2 characters"),
    ],
)
def test_options_that_do_not_go_together(run, db_path: Path, args: list[str], message: str) -> None:
    assert message in run("export", ID, *args, ok=False).stderr
    assert _shares(db_path) == []


def test_csv_and_question_sheet_formats(run, db_path: Path) -> None:
    actions = run("export", ID, "--format", "csv").output.splitlines()
    assert actions[0].startswith("conversation_id,conversation,conversation_date,action,owner")
    assert len(actions) == 3
    notes = run("export", ID, "--format", "csv", "--what", "notes").output
    assert "Health holds the history" in notes
    sheet = run("export", ID, "--format", "questions", "--questions-format", "txt").output
    assert "How will you make this happen?" in sheet and "What qualities" not in sheet
    assert [s["format"] for s in _shares(db_path)] == ["csv-actions", "csv-notes", "questions-txt"]


def test_printed_exports_hold_no_control_characters(run, db_path: Path) -> None:
    insert_raw_note(db_path, DEMO_CONVERSATION_ID)
    for args in (
        ["md"],
        ["json"],
        ["csv", "--what", "notes"],
        ["questions", "--questions-format", "txt"],
    ):
        output = run("export", ID, "--format", *args).output
        assert not control_bytes(output), args


def test_a_database_open_elsewhere_still_exports(run, db_path: Path) -> None:
    with Store.open(db_path):  # the app is open on it: the share waits in its queue
        result = run("export", ID, "--format", "md")
    assert "records this share" in result.stderr and result.stdout.startswith("# ")


def test_bundle_round_trip_through_the_command_line(run, tmp_path: Path) -> None:
    first = run("export", ID, "--format", "json").output
    bundle_file = tmp_path / "bundle.json"
    bundle_file.write_text(first, encoding="utf-8")
    other = tmp_path / "laptop-b.db"
    added = run("import", str(bundle_file), db=other).output
    assert (
        "added 57 rows (1 conversation, 6 participants, 9 questions, 34 notes, 2 actions, "
        "5 feedback)" in added
    )
    again = run("import", str(bundle_file), db=other).output
    assert "nothing new; 57 already here" in again
    second = run("export", ID, "--format", "json", db=other).output
    assert json.loads(second) == json.loads(first)
    assert second == first


def test_a_bad_bundle_stops_the_whole_import(run, tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    good.write_text(run("export", ID, "--format", "json").output, encoding="utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "appreciate-conversation", "version": 7}', encoding="utf-8")
    other = tmp_path / "laptop-b.db"
    result = run("import", str(good), str(bad), db=other, ok=False)
    assert "bad.json" in result.stderr and "nothing was imported" in result.stderr
    with Store.open(other, read_only=True) as store:
        assert store.list_conversations(include_deleted=True) == []


def test_export_and_import_have_help(run) -> None:
    for command in ("export", "import"):
        assert "Usage:" in run(command, "--help").output
    assert "'exports' folder" in run("export", "--help").output
