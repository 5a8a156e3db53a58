"""A file is checked page by page once per state, not before every write (DESIGN.md section 5):
the writer records the state it leaves the file in (`<name>.checked`), and the next open trusts
that record only while the file is exactly in that state. Whatever changes the file behind
appreciate's back (an edit, a copy over it, a replacement, a journal left by another program)
brings the full check back; damage that leaves no trace in the file's times is met by SQLite on
the pages a write touches, and then nothing more is written."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from appreciate_tui.cli import main
from appreciate_tui.domain import Phase
from appreciate_tui.store import (
    DamagedWhileSaving,
    DatabaseDamaged,
    ReadOnlyError,
    SaveError,
    Store,
    safety,
)
from tests.helpers.damage import damage_the_notes_table

REPO = Path(__file__).resolve().parent.parent


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every full page-by-page check made from now on, by the file it was made on."""
    made: list[Path] = []
    real = safety.quick_check

    def counted(conn: sqlite3.Connection) -> list[str]:
        made.append(Path(conn.execute("PRAGMA database_list").fetchone()[2]))
        return real(conn)

    monkeypatch.setattr(safety, "quick_check", counted)
    return made


def populate(path: Path) -> tuple[str, str]:
    with Store.open(path) as store:
        conversation = store.create_conversation("Strategy meeting", "MASH")
        question = store.add_question(conversation.id, "What went well?", Phase.DISCOVER)
        with store.atomic():
            for n in range(30):
                store.add_note(conversation.id, question.id, f"Note {n}: " + "detail " * 40)
        return conversation.id, question.id


def record(path: Path) -> Path:
    return safety.check_record_path(path)


# ---------------------------------------------------------------- checked once


def test_a_file_checked_once_is_not_read_in_full_on_the_next_writable_opens(
    db_path: Path, checks: list[Path]
) -> None:
    cid, _ = populate(db_path)
    safety.forget_check(db_path)  # as if it came from elsewhere: never checked here
    for _ in range(3):
        with Store.open(db_path) as store:  # writable, and each time it is written to
            store.record_share(cid, "md")
    assert len(checks) == 1  # the first open only
    assert safety.trusted_check(db_path) is not None
    if os.name == "posix":
        assert record(db_path).stat().st_mode & 0o777 == 0o600


def test_a_file_appreciate_made_is_trusted_from_the_start(
    db_path: Path, checks: list[Path]
) -> None:
    populate(db_path)
    with Store.open(db_path, check="deferred") as store:
        assert not store.check_pending  # the app has nothing to check in the background
        store.create_conversation("Written at once")
    with Store.open(db_path) as store:
        assert len(store.list_conversations()) == 2
    assert checks == []


def test_the_cli_export_does_not_read_the_whole_file(db_path: Path, checks: list[Path]) -> None:
    cid, _ = populate(db_path)
    runner = CliRunner()
    for _ in range(2):
        done = runner.invoke(main, ["--db", str(db_path), "export", cid, "--format", "md"])
        assert done.exit_code == 0, done.output
    assert checks == []
    with Store.open(db_path, read_only=True) as store:
        assert len(store.db.execute("SELECT * FROM shares").fetchall()) == 2


def test_a_passing_check_command_renews_the_week(db_path: Path, checks: list[Path]) -> None:
    populate(db_path)
    text = json.loads(record(db_path).read_text())
    text["checked_at"] -= safety.TRUST_CHECK_FOR / 2
    record(db_path).write_text(json.dumps(text))
    with Store.open(db_path) as store:
        assert store.check().ok
    assert safety.trusted_check(db_path) == pytest.approx(time.time(), abs=60)


# ---------------------------------------------------------------- what brings the full check back


def test_a_page_damaged_right_after_the_writer_closed_is_refused(
    db_path: Path, checks: list[Path]
) -> None:
    """The damage lands within the same millisecond as the writer's last change: the file's
    times still tell (the record is written in a later tick of the file system's clock)."""
    populate(db_path)
    damage_the_notes_table(db_path)
    before = digest(db_path)
    for attempt in ({}, {"check": "deferred"}):
        if attempt:
            store = Store.open(db_path, **attempt)
            try:
                assert store.check_pending
                assert store.finish_check() is not None
                with pytest.raises(ReadOnlyError):
                    store.create_conversation("Never written")
            finally:
                store.close()
        else:
            with pytest.raises(DatabaseDamaged, match="has not been changed"):
                Store.open(db_path, **attempt)
    assert digest(db_path) == before
    assert len(checks) == 2
    assert not record(db_path).exists()


def test_a_damaged_copy_over_the_file_keeping_its_times_is_refused(
    db_path: Path, tmp_path: Path, checks: list[Path]
) -> None:
    """`cp -p` of a damaged copy over the file: same inode, same length, same modification time;
    the change time (which no program can set) still differs."""
    populate(db_path)
    damaged = tmp_path / "elsewhere" / "appreciate.db"
    damaged.parent.mkdir()
    shutil.copyfile(db_path, damaged)
    damage_the_notes_table(damaged)
    shutil.copystat(db_path, damaged)
    inode = db_path.stat().st_ino
    shutil.copy2(damaged, db_path)
    assert db_path.stat().st_ino == inode
    assert db_path.stat().st_mtime_ns == damaged.stat().st_mtime_ns
    with pytest.raises(DatabaseDamaged):
        Store.open(db_path)
    assert len(checks) == 1


def test_a_damaged_file_renamed_into_place_is_refused(
    db_path: Path, tmp_path: Path, checks: list[Path]
) -> None:
    populate(db_path)
    damaged = tmp_path / "incoming.db"
    shutil.copy2(db_path, damaged)
    damage_the_notes_table(damaged)
    os.replace(damaged, db_path)
    with pytest.raises(DatabaseDamaged):
        Store.open(db_path)
    assert len(checks) == 1


def test_another_programs_change_brings_the_full_check_back(
    db_path: Path, checks: list[Path]
) -> None:
    populate(db_path)
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE conversations SET topic = 'changed elsewhere'")
    conn.commit()
    # Still open: its change is in the write-ahead log, the file itself untouched.
    try:
        with Store.open(db_path, check="deferred") as store:
            assert store.check_pending
    finally:
        conn.close()  # the last connection: the change moves into the file itself
    assert checks == []
    with Store.open(db_path) as store:
        assert store.list_conversations()[0].topic == "changed elsewhere"
    assert len(checks) == 1
    with Store.open(db_path):
        pass
    assert len(checks) == 1


def test_the_record_does_not_travel_with_a_copy(tmp_path: Path, checks: list[Path]) -> None:
    original = tmp_path / "here" / "appreciate.db"
    original.parent.mkdir()
    populate(original)
    copy = tmp_path / "there" / "appreciate.db"
    shutil.copytree(original.parent, copy.parent, copy_function=shutil.copy2)
    assert record(copy).exists()
    with Store.open(copy):
        pass
    assert len(checks) == 1


def test_a_check_older_than_a_week_is_made_again(db_path: Path, checks: list[Path]) -> None:
    populate(db_path)
    text = json.loads(record(db_path).read_text())
    text["checked_at"] -= safety.TRUST_CHECK_FOR + 1
    record(db_path).write_text(json.dumps(text))
    with Store.open(db_path):
        pass
    with Store.open(db_path):
        pass
    assert len(checks) == 1


def test_a_crash_that_left_a_journal_brings_the_full_check_back(
    db_path: Path, checks: list[Path]
) -> None:
    populate(db_path)
    code = (
        "import os, sys\n"
        "from appreciate_tui.store import Store\n"
        "store = Store.open(sys.argv[1])\n"
        "store.db.execute('PRAGMA wal_autocheckpoint = 0')\n"
        "store.create_conversation('Only in the journal')\n"
        "os._exit(0)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    subprocess.run([sys.executable, "-c", code, str(db_path)], check=True, env=env, timeout=60)
    assert db_path.with_name(db_path.name + "-wal").stat().st_size > 0
    assert safety.trusted_check(db_path) is None
    with Store.open(db_path) as store:
        assert len(store.list_conversations()) == 2
    assert len(checks) == 1


# ---------------------------------------------------------------- damage no file time shows


def damaged_without_a_trace(db_path: Path) -> str:
    """Damage the file, then record its state as checked: what a failing disk does (the bytes
    change, the file's times do not)."""
    populate(db_path)
    damage_the_notes_table(db_path)
    safety.remember_check(db_path, time.time())
    assert safety.trusted_check(db_path) is not None
    return digest(db_path)


def test_damage_met_while_saving_refuses_every_further_write(
    db_path: Path, checks: list[Path]
) -> None:
    before = damaged_without_a_trace(db_path)
    with Store.open(db_path) as store:
        conversation = store.list_conversations()[0]
        question = store.list_questions(conversation.id)[0]
        with pytest.raises(DamagedWhileSaving) as caught:
            store.add_note(conversation.id, question.id, "Typed after the disk failed")
        # The app keeps the text of a failed save (SaveError), and says what is wrong.
        assert isinstance(caught.value, SaveError) and isinstance(caught.value, DatabaseDamaged)
        message = str(caught.value)
        assert message.startswith(f"{db_path.absolute()}: ") and "has not been changed" in message
        assert "\n" not in message
        assert store.read_only and store.check_failure
        with pytest.raises(ReadOnlyError):
            store.create_conversation("Never written")
        assert not record(db_path).exists()
    assert digest(db_path) == before
    with pytest.raises(DatabaseDamaged):  # the next open reads the whole file again
        Store.open(db_path)
    assert len(checks) == 1


def test_damage_met_by_an_export_is_one_clear_line_and_forgets_the_record(
    db_path: Path, checks: list[Path]
) -> None:
    before = damaged_without_a_trace(db_path)
    with Store.open(db_path, read_only=True) as store:
        cid = store.list_conversations()[0].id
    done = CliRunner().invoke(main, ["--db", str(db_path), "export", cid, "--format", "md"])
    assert done.exit_code == 1
    assert done.output.count("\n") == 1 and "has not been changed" in done.output
    assert not record(db_path).exists()
    assert digest(db_path) == before
    with pytest.raises(DatabaseDamaged):
        Store.open(db_path)


def test_an_encrypted_file_checked_once_is_not_read_in_full_again(
    db_path: Path, checks: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("sqlcipher3")
    from appreciate_tui.store import cipher

    page_checks: list[int] = []
    real = cipher.integrity_problems
    monkeypatch.setattr(
        cipher, "integrity_problems", lambda conn: page_checks.append(1) or real(conn)
    )
    passphrase = "a long enough passphrase"
    with Store.open(db_path, passphrase=passphrase) as store:
        store.create_conversation("Encrypted")
    safety.forget_check(db_path)
    for _ in range(3):
        with Store.open(db_path, passphrase=passphrase) as store:
            store.create_conversation("Another")
    assert (len(checks), len(page_checks)) == (1, 1)
