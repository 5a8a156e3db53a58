"""What the command line promises when what it is given is wrong (DESIGN.md sections 6 and 7): one
line on stderr that says what to do, exit code 1, never a traceback and never text from the
database.

A value another program wrote into the database reads as what appreciate can make of it (a time
budget it cannot read is no budget) and `appreciate check` names it; a fault nobody foresaw ends in
one line naming the command and the database, the exception's message withheld. A file that is not
an appreciate database is named, with both things it may be; a backup folder is a folder; two
exports of one conversation never want the same file name.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from itertools import combinations
from pathlib import Path

import pytest
from click.testing import CliRunner

from appreciate_tui.cli import main
from appreciate_tui.demo import DEMO_CONVERSATION_ID
from appreciate_tui.store import Store, browsing, cipher, rows
from tests.helpers.private import assert_private_dir

PLANTED = "Kayden at 12 Elm Road"
MALFORMED_BUDGETS = [
    pytest.param(PLANTED, id="not-json"),
    pytest.param("{" + PLANTED, id="broken-json"),
    pytest.param(json.dumps({"discover": PLANTED}), id="text-minutes"),
    pytest.param(json.dumps({PLANTED: 10}), id="not-a-phase"),
    pytest.param(json.dumps([PLANTED]), id="a-list"),
    pytest.param(json.dumps({"discover": True}), id="a-flag"),
]
READING_COMMANDS = [
    pytest.param(("list",), id="list"),
    pytest.param(("list", "--json"), id="list-json"),
    pytest.param(("show", DEMO_CONVERSATION_ID[:8]), id="show"),
    pytest.param(("export", DEMO_CONVERSATION_ID[:8], "--format", "md"), id="export-md"),
    pytest.param(("export", DEMO_CONVERSATION_ID[:8], "--format", "json"), id="export-json"),
]


def invoke(db_path: Path, *args: str, input: str | None = None):
    """The command in this process; an exception that escapes the command line fails the test."""
    return CliRunner().invoke(main, ["--db", str(db_path), *args], input=input,
                              catch_exceptions=False)


def one_line(stderr: str) -> str:
    assert stderr.endswith("\n") and stderr.count("\n") == 1, stderr
    assert stderr.startswith("appreciate: ")
    return stderr


@pytest.fixture
def demo(db_path: Path, empty_databases) -> Path:
    empty_databases.copy_to(db_path)  # a new database, without making one per test
    assert invoke(db_path, "demo").exit_code == 0
    return db_path


def plant_budget(db_path: Path, value: str) -> None:
    """Another program writes into the conversation's time budget."""
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE conversations SET phase_budget = ?", [value])
    conn.close()


# ---------------------------------------------------------------- a value appreciate cannot read


@pytest.mark.parametrize("budget", MALFORMED_BUDGETS)
@pytest.mark.parametrize("args", READING_COMMANDS)
def test_a_time_budget_changed_outside_appreciate_reads_as_none(
    demo: Path, args, budget: str
) -> None:
    plant_budget(demo, budget)
    result = invoke(demo, *args)
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert PLANTED not in result.stderr
    if args[-1] == "json" and args[0] == "export":
        # The bundle is the conversation exactly as stored; the importer refuses the value by name.
        assert json.loads(result.stdout)["tables"]["conversations"][0]["phase_budget"] == budget
    else:
        assert PLANTED not in result.stdout


@pytest.mark.parametrize("column, value", [
    ("conversations.phase_budget", PLANTED),
    ("questions.prompts", json.dumps({"first": PLANTED})),
    ("questions.prompts", PLANTED),
    ("feedback.useful_question_ids", "[" + PLANTED),
])
def test_check_names_the_value_it_cannot_read_without_quoting_it(
    demo: Path, column: str, value: str
) -> None:
    table, name = column.split(".")
    with sqlite3.connect(demo) as conn:
        if table == "feedback":
            conn.execute("INSERT INTO feedback (id, conversation_id, created_at, updated_at) "
                         "VALUES ('fb-planted', ?, '2026-02-26T10:00:00+00:00', "
                         "'2026-02-26T10:00:00+00:00')", [DEMO_CONVERSATION_ID])
        conn.execute(f"UPDATE {table} SET {name} = ?", [value])
    conn.close()
    assert invoke(demo, "show", DEMO_CONVERSATION_ID[:8]).exit_code == 0
    result = invoke(demo, "check")
    assert result.exit_code == 1
    assert PLANTED not in result.stdout + result.stderr
    # What it is, in the product's words, and whose.
    label = rows.JSON_COLUMNS[(table, name)]
    named = [line for line in result.stdout.splitlines() if label in line]
    assert named and all("cannot be read" in line for line in named)
    if table == "conversations":
        assert DEMO_CONVERSATION_ID[:8] in named[0]
    one_line(result.stderr)


def test_check_passes_values_appreciate_wrote(demo: Path) -> None:
    with Store.open(demo) as store:
        store.update_conversation(DEMO_CONVERSATION_ID, phase_budget={"discover": 20, "dream": 0})
    result = invoke(demo, "check")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "values appreciate cannot read: 0" in result.stdout


# ---------------------------------------------------------------- a fault nobody foresaw


@pytest.fixture
def faulty_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fault in reading a conversation whose message quotes what was stored."""

    def conversation(row):
        raise ValueError(f"invalid literal for int() with base 10: {PLANTED!r}")

    monkeypatch.setattr(rows, "conversation", conversation)
    monkeypatch.setattr(browsing, "listed_row", conversation)  # `appreciate list`'s lighter rows


@pytest.mark.parametrize("args", READING_COMMANDS)
def test_a_fault_is_one_line_naming_the_command_and_the_database(
    demo: Path, faulty_rows, args
) -> None:
    result = invoke(demo, *args)
    assert result.exit_code == 1
    assert result.stdout == ""
    line = one_line(result.stderr)
    assert PLANTED not in line and "Traceback" not in line
    assert f"`{args[0]}`" in line and "ValueError" in line
    assert str(demo) in line
    assert "appreciate check" in line  # what to do


def test_a_fault_in_the_real_command_prints_no_traceback(demo: Path) -> None:
    """As a shell runs it: the program's own entry point, in its own process."""
    code = (
        "import appreciate_tui.store.rows as rows\n"
        f"def fail(row): raise KeyError({PLANTED!r})\n"
        "rows.conversation = fail\n"
        "from appreciate_tui.cli import main\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", code, "--db", str(demo), "show", "c26f"],
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])})
    assert done.returncode == 1 and done.stdout == ""
    line = one_line(done.stderr)
    assert "Traceback" not in line and PLANTED not in line
    assert "KeyError" in line and str(demo) in line


def test_click_s_own_endings_pass_through(demo: Path) -> None:
    assert invoke(demo, "--version").exit_code == 0
    assert invoke(demo, "show", "--help").exit_code == 0
    refused = CliRunner().invoke(main, ["--db", str(demo), "show"])
    assert refused.exit_code == 2 and "Missing argument" in refused.stderr


# ---------------------------------------------------------------- a file that is not a database


@pytest.fixture
def random_file(tmp_path: Path) -> Path:
    path = tmp_path / "random.bin"
    path.write_bytes(os.urandom(8192))
    path.chmod(0o600)
    return path


def _assert_names_both_possibilities(line: str, path: Path) -> None:
    assert str(path) in line
    assert "encrypted database" in line and "not an appreciate database" in line


def test_random_bytes_without_a_terminal_name_the_file(random_file: Path, monkeypatch) -> None:
    import appreciate_tui.cli.unlocking as unlocking

    monkeypatch.setattr(unlocking, "have_terminal", lambda: False)
    result = CliRunner().invoke(main, ["--db", str(random_file), "list"], catch_exceptions=False)
    assert result.exit_code == 1
    line = one_line(result.stderr)
    _assert_names_both_possibilities(line, random_file)
    assert "--passphrase-fd" in line


def test_random_bytes_from_the_environment_name_the_file(random_file: Path, monkeypatch) -> None:
    import appreciate_tui.cli.unlocking as unlocking

    monkeypatch.setattr(unlocking, "have_terminal", lambda: False)
    monkeypatch.setenv("APPRECIATE_DB", str(random_file))
    result = CliRunner().invoke(main, ["show", "abc"], catch_exceptions=False)
    assert result.exit_code == 1
    _assert_names_both_possibilities(one_line(result.stderr), random_file)


@pytest.mark.skipif(not cipher.available(), reason="needs the encryption extra")
def test_random_bytes_with_a_passphrase_name_the_file(random_file: Path) -> None:
    read, write = os.pipe()
    os.write(write, b"a long passphrase\n")
    os.close(write)
    try:
        result = CliRunner().invoke(
            main, ["--db", str(random_file), "--passphrase-fd", str(read), "list"],
            catch_exceptions=False,
        )
    finally:
        try:
            os.close(read)
        except OSError:
            pass
    assert result.exit_code == 1
    line = one_line(result.stderr)
    assert str(random_file) in line and "not an appreciate database" in line
    assert "passphrase does not open this database" in line


def test_random_bytes_without_the_encryption_extra_name_the_file(
    random_file: Path, monkeypatch
) -> None:
    monkeypatch.setattr(cipher, "available", lambda: False)
    result = CliRunner().invoke(main, ["--db", str(random_file), "list"], catch_exceptions=False)
    assert result.exit_code == 1
    line = one_line(result.stderr)
    _assert_names_both_possibilities(line, random_file)
    assert cipher.EXTRA_HINT in line


# ---------------------------------------------------------------- backups into a folder


@pytest.mark.parametrize("ending", [os.sep, os.sep + os.sep])
def test_a_backup_destination_ending_in_a_separator_is_a_new_private_folder(
    demo: Path, tmp_path: Path, ending: str
) -> None:
    folder = tmp_path / "data" / "backups"
    result = invoke(demo, "backup", str(folder) + ending)
    assert result.exit_code == 0, result.stderr
    assert_private_dir(folder)
    [written] = list(folder.iterdir())
    assert written.name.startswith("appreciate-") and written.suffix == ".db"
    assert result.stdout == f"Backed up to {written}\n"
    with Store.open(written, read_only=True) as store:
        assert store.get_conversation(DEMO_CONVERSATION_ID).title


def test_a_backup_into_an_existing_folder_is_named_inside_it(demo: Path, tmp_path: Path) -> None:
    folder = tmp_path / "kept"
    folder.mkdir()
    result = invoke(demo, "backup", str(folder))
    assert result.exit_code == 0, result.stderr
    [written] = list(folder.iterdir())
    assert result.stdout == f"Backed up to {written}\n"


def test_a_backup_file_name_is_still_a_file(demo: Path, tmp_path: Path) -> None:
    target = tmp_path / "copy.db"
    assert invoke(demo, "backup", str(target)).exit_code == 0
    assert target.is_file()


@pytest.mark.parametrize("under", ["copy.db", "folder" + os.sep])
def test_a_backup_that_cannot_be_written_fails_in_one_line(
    demo: Path, tmp_path: Path, under: str
) -> None:
    """No backup, no "Backed up": one line on stderr and exit code 1 (a file where the folder
    should be stops any user, root included, where a read-only folder would not)."""
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = invoke(demo, "backup", str(blocker) + os.sep + under)
    assert result.exit_code == 1 and result.stdout == ""
    one_line(result.stderr)
    assert blocker.read_text() == ""


# ---------------------------------------------------------------- default export names


def _every_export() -> list[dict[str, object]]:
    from appreciate_tui.export import CSV_CONTENTS, FORMATS, SHEET_FORMATS

    kinds: list[dict[str, object]] = []
    for format_ in FORMATS:
        if format_ == "csv":
            kinds += [{"format": format_, "what": what} for what in CSV_CONTENTS]
        elif format_ == "questions":
            kinds += [{"format": format_, "questions_format": sheet} for sheet in SHEET_FORMATS]
        elif format_ == "json":
            kinds += [{"format": format_}, {"format": format_, "encrypt": True}]
        else:
            kinds.append({"format": format_})
    return [{**kind, "redact": redact} for kind in kinds for redact in (False, True)]


def test_no_two_exports_of_a_conversation_share_a_default_name(demo: Path) -> None:
    from appreciate_tui.export import ExportRequest, export_to_file

    written: dict[Path, dict[str, object]] = {}
    with Store.open(demo) as store:
        for kind in _every_export():
            request = ExportRequest(**kind)  # type: ignore[arg-type]
            path = export_to_file(store, DEMO_CONVERSATION_ID, request,
                                  passphrase="a long passphrase" if request.encrypt else None)
            assert path not in written, f"{kind} and {written.get(path)} both want {path.name}"
            written[path] = kind
    for first, second in combinations(written, 2):
        assert first.name != second.name


def test_the_page_and_the_question_sheet_are_both_written_by_default(demo: Path) -> None:
    page = invoke(demo, "export", DEMO_CONVERSATION_ID[:8], "--format", "html")
    sheet = invoke(demo, "export", DEMO_CONVERSATION_ID[:8], "--format", "questions",
                   "--questions-format", "html")
    assert page.exit_code == 0 and sheet.exit_code == 0, page.stderr + sheet.stderr
    page_path = Path(page.stdout.removeprefix("Wrote ").strip())
    sheet_path = Path(sheet.stdout.removeprefix("Wrote ").strip())
    assert page_path != sheet_path and page_path.is_file() and sheet_path.is_file()
    assert "questions" in sheet_path.name and "questions" not in page_path.name
