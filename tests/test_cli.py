"""The headless command line, as a script or a facilitator at a shell would use it."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from appreciate_tui.cli import main
from appreciate_tui.demo import DEMO_CONVERSATION_ID
from tests.helpers.damage import damage_the_notes_table
from tests.helpers.private import assert_private_file

HOSTILE = "Chair said \x1b]2;PWNED\x1b\\ then \x1b[2J and \x9b31m and \u202eevil\u202c end\x00"
FORBIDDEN = [chr(c) for c in range(0x20) if c not in (0x09, 0x0A)] + ["\x7f"] + [
    chr(c) for c in range(0x80, 0xA0)
] + ["\u202e"]


@pytest.fixture
def run(db_path: Path):
    runner = CliRunner()

    def invoke(*args: str, ok: bool = True):
        result = runner.invoke(main, ["--db", str(db_path), *args], catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, result.output + result.stderr
        return result

    return invoke


def test_demo_is_idempotent(run, db_path: Path) -> None:
    first = run("demo")
    second = run("demo")
    assert first.output.startswith("Loaded ")
    assert second.output.startswith("Already loaded")
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("select count(*) from conversations").fetchone()[0] == 1


def test_list_json_has_the_fields_scripts_need(run) -> None:
    run("demo")
    rows = json.loads(run("list", "--json").output)
    assert len(rows) == 1
    assert {"id", "title", "topic", "status", "date"} <= rows[0].keys()
    assert rows[0]["id"] == DEMO_CONVERSATION_ID
    assert rows[0]["status"] == "closed"
    assert rows[0]["topic"] == "Is multi-agency working effective within MASH strategy meetings?"


def test_list_newest_first(run) -> None:
    run("new", "--bank", "mash-strategy-meetings", "--title", "Older", "--date", "2025-01-01")
    run("new", "--bank", "mash-strategy-meetings", "--title", "Newer", "--date", "2026-01-01")
    titles = [row["title"] for row in json.loads(run("list", "--json").output)]
    assert titles == ["Newer", "Older"]


def test_empty_list_says_how_to_start(run) -> None:
    assert "appreciate demo" in run("list").output


def test_new_from_bank_prints_an_id_show_accepts(run) -> None:
    new_id = run("new", "--bank", "mash-strategy-meetings", "--title", "Spring review").output.strip()
    shown = run("show", new_id[:8]).output
    assert "Spring review" in shown
    assert "Can you tell me about a strategy meeting which you felt was successful?" in shown
    assert "planned" in shown


def test_new_with_unknown_bank_fails_with_one_line(run) -> None:
    result = run("new", "--bank", "no-such-bank", "--title", "x", ok=False)
    assert result.exit_code != 0
    assert "no-such-bank" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_show_indents_follow_ups_under_their_parent(run) -> None:
    run("demo")
    lines = run("show", DEMO_CONVERSATION_ID[:6]).output.splitlines()
    parent = next(i for i, line in enumerate(lines) if "What would you need for this vision to be a reality?" in line)
    follow = next(i for i, line in enumerate(lines) if "What qualities would the person have" in line)
    assert follow > parent
    assert lines[follow].startswith("    ↳")
    assert not lines[parent].startswith(" ")
    # Notes carry a stance symbol, a time and who said it.
    assert any(line.strip().startswith("+ ") and "(Health)" in line for line in lines)


def test_unknown_and_ambiguous_ids(run, db_path: Path) -> None:
    from appreciate_tui.store import Store

    with Store.open(db_path) as store:
        store.create_conversation("First", id="abc10000-0000-4000-8000-000000000000")
        store.create_conversation("Second", id="abc20000-0000-4000-8000-000000000000")
    result = run("show", "zzzz", ok=False)
    assert result.exit_code != 0 and "no conversation" in result.stderr
    result = run("show", "abc", ok=False)
    assert result.exit_code != 0 and "more than one" in result.stderr
    assert "Second" in run("show", "abc2").output


def _insert_hostile_note(db_path: Path) -> None:
    """Another program writes raw control characters straight into the database."""
    with sqlite3.connect(db_path) as conn:
        question_id = conn.execute(
            "select id from questions where conversation_id = ? order by position limit 1",
            [DEMO_CONVERSATION_ID],
        ).fetchone()[0]
        conn.execute(
            "insert into notes (id, conversation_id, question_id, body, stance, sha256, created_at, updated_at)"
            " values ('hostile', ?, ?, ?, 'concern', 'x', '2026-02-26T10:00:00+00:00', '2026-02-26T10:00:00+00:00')",
            [DEMO_CONVERSATION_ID, question_id, HOSTILE],
        )


def test_show_and_search_print_no_raw_control_characters(run, db_path: Path) -> None:
    run("demo")
    _insert_hostile_note(db_path)
    shown = run("show", DEMO_CONVERSATION_ID).output
    found = run("search", "PWNED").output
    found_json = run("search", "PWNED", "--json").output
    assert "PWNED" in shown and "PWNED" in found
    for output in (shown, found, found_json):
        assert not [c for c in FORBIDDEN if c in output]
    assert "␛]2;PWNED" in shown


def test_search_ranks_and_names_conversation_and_question(run) -> None:
    run("demo")
    hits = json.loads(run("search", "duty", "rota", "--json").output)
    assert hits
    assert {"conversation_id", "question", "snippet"} <= hits[0].keys()
    assert hits[0]["conversation_id"] == DEMO_CONVERSATION_ID
    assert "[" in hits[0]["snippet"] and "]" in hits[0]["snippet"]
    text = run("search", "duty").output
    assert "MASH strategy meetings" in text and "[duty]" in text.lower()


def test_search_takes_punctuation_as_text(run) -> None:
    run("demo")
    for query in ['"', "(", "NEAR(", "-health", "a AND", "*"]:
        result = run("search", "--", query)
        assert result.exit_code == 0


def test_banks_lists_shipped_banks(run) -> None:
    banks = json.loads(run("banks", "--json").output)
    ids = {bank["id"] for bank in banks}
    assert {"mash-strategy-meetings", "soar"} <= ids
    assert len(ids) >= 5


def test_bank_check_good_and_bad(run, tmp_path: Path) -> None:
    good = Path(__file__).parents[1] / "data" / "banks" / "mash-strategy-meetings.toml"
    assert "ok" in run("bank", "check", str(good)).output
    bad = tmp_path / "bad.toml"
    bad.write_text('id = "x"\ntitle = "X"\n[[questions]]\nphase = "dream"\ntext = \n')
    result = run("bank", "check", str(bad), ok=False)
    assert result.exit_code != 0
    assert "bad.toml" in result.stderr and ":5" in result.stderr


def test_check_reports_a_note_changed_behind_its_back(run, db_path: Path) -> None:
    run("demo")
    assert "changed outside appreciate: 0" in run("check").output
    with sqlite3.connect(db_path) as conn:
        conn.execute("update notes set body = body || ' (edited)' where rowid = (select min(rowid) from notes)")
    result = run("check", ok=False)
    assert result.exit_code != 0
    assert "changed outside appreciate: 1" in result.output


def test_backup_writes_a_private_verified_copy(run, tmp_path: Path) -> None:
    run("demo")
    dest = tmp_path / "copy.db"
    run("backup", str(dest))
    assert_private_file(dest)
    with sqlite3.connect(dest) as conn:
        assert conn.execute("pragma quick_check").fetchone()[0] == "ok"
        assert conn.execute("select count(*) from notes").fetchone()[0] > 20
    again = run("backup", str(dest), ok=False)
    assert again.exit_code != 0 and "--force" in again.stderr
    run("backup", str(dest), "--force")


def test_locate_names_every_place(run, db_path: Path, isolated_home: Path) -> None:
    places = json.loads(run("locate", "--json").output)
    assert places["database"] == str(db_path)
    assert places["banks"].startswith(str(isolated_home))
    assert {"data", "database", "banks", "themes", "backups"} <= places.keys()


@pytest.mark.parametrize("content", [b"", b"this is a text file, not a database" * 40])
def test_damaged_database_is_refused_and_left_alone(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "broken.db"
    path.write_bytes(content)
    result = CliRunner().invoke(main, ["--db", str(path), "demo"])
    assert result.exit_code != 0
    assert str(path) in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert path.read_bytes() == content
    assert not (tmp_path / "broken.db.lock").exists()


def test_db_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "from-env.db"
    monkeypatch.setenv("APPRECIATE_DB", str(path))
    result = CliRunner().invoke(main, ["demo"])
    assert result.exit_code == 0
    assert path.exists()


def test_every_command_has_help() -> None:
    runner = CliRunner()
    for args in (["--help"], ["demo", "--help"], ["new", "--help"], ["list", "--help"], ["show", "--help"],
                 ["search", "--help"], ["banks", "--help"], ["bank", "check", "--help"], ["check", "--help"],
                 ["backup", "--help"], ["locate", "--help"]):
        result = runner.invoke(main, args)
        assert result.exit_code == 0 and "Usage:" in result.output, args


def test_a_damaged_page_met_by_a_reading_command_is_one_clear_line(run, db_path: Path) -> None:
    """Reading commands skip the page-by-page check at open (it is most of their time on a large
    database); a damaged page they meet is still one line naming the file, and nothing changes."""
    run("demo")
    data = damage_the_notes_table(db_path)
    for args in (["show", DEMO_CONVERSATION_ID[:8]], ["search", "family"], ["check"]):
        result = run(*args, ok=False)
        assert result.exit_code != 0, args
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and f"{db_path}: " in lines[0], (args, result.stderr)
        assert "has not been changed" in lines[0]
    assert db_path.read_bytes() == data


def test_open_names_an_unknown_conversation_in_one_line(run) -> None:
    run("demo")
    result = run("open", "zzz", ok=False)
    assert result.exit_code != 0
    assert result.stderr.strip().splitlines() == [
        "appreciate: no conversation id starts with 'zzz'; `appreciate list` shows them"
    ]
    assert "Usage:" in run("open", "--help").output


def test_every_command_is_in_the_module_its_room_names() -> None:
    """`ROOMS` is the one list of commands: each name is `NAME_command` in the module it names,
    and no module defines a command that the list leaves out (it could never be run)."""
    import importlib

    import click

    from appreciate_tui.cli import ROOMS

    for room, names in ROOMS.items():
        module = importlib.import_module(f"appreciate_tui.cli.{room}")
        defined = {value.name for key, value in vars(module).items()
                   if key.endswith("_command") and isinstance(value, click.Command)}
        assert defined == set(names), room
        for name in names:
            assert getattr(module, f"{name.replace('-', '_')}_command").name == name


def test_a_command_loads_only_its_own_module(tmp_path: Path) -> None:
    """`appreciate list` pays for the conversation commands, not for the trust, export, insights
    or bank commands; `--help` loads them all, to list them."""
    import ast
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from appreciate_tui.cli import main\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('appreciate_tui.cli')), file=sys.stderr)\n"
    )

    def loaded(*args: str) -> list[str]:
        done = subprocess.run([sys.executable, "-c", code, "--db", str(tmp_path / "a.db"), *args],
                              capture_output=True, text=True, check=True)
        return ast.literal_eval(done.stderr.strip().splitlines()[-1])

    assert loaded("list") == ["appreciate_tui.cli", "appreciate_tui.cli.common",
                              "appreciate_tui.cli.conversations", "appreciate_tui.cli.unlocking"]
    everything = loaded("--help")
    for room in ("banks", "conversations", "export", "insights", "trust"):
        assert f"appreciate_tui.cli.{room}" in everything
