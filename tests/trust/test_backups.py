"""Backups and restore: a verified, private backup at the end of every conversation (and before
every schema change, tests/test_store_safety.py), the newest ten kept, written to a staging name
and renamed; `appreciate restore` checks a backup, asks, keeps the file it replaces, and refuses
while another appreciate has the database open."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from appreciate_tui.cli import main
from appreciate_tui.store import Store, StoreError, cipher, safety
from tests.helpers.private import assert_private_dir, assert_private_file
from tests.trust.helpers import (
    PASSPHRASE,
    REPO,
    child_env,
    files_holding,
    meeting,
    passphrase_fd,
    plain_connect,
)

CHILD = REPO / "tests" / "helpers" / "store_child.py"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def quick_check(path: Path, key) -> list[str]:
    conn = cipher.connect(safety.read_only_uri(path), key, uri=True)
    try:
        return safety.quick_check(conn)
    finally:
        conn.close()


def test_closing_a_conversation_takes_a_verified_private_backup(
    store: Store, db_path: Path, umask_022, frozen_clock
) -> None:
    cid, _ = meeting(store, notes=["Qzv7Backupmarker said the plan worked"])
    assert safety.list_backups(db_path) == []
    store.close_conversation(cid)
    backups = safety.list_backups(db_path)
    assert len(backups) == 1 and store.last_backup_problem is None
    backup = backups[0]
    assert_private_file(backup)  # whatever the umask
    assert_private_dir(backup.parent)
    assert quick_check(backup, store.key) == ["ok"]
    with Store.open(backup, key=store.key, read_only=True) as copy:
        assert len(copy.list_notes(cid)) == 13
    if store.encrypted:
        # Encrypted with the same key; nothing in it is readable without it.
        assert files_holding(backup.parent, "Qzv7Backupmarker") == []
        with pytest.raises(Exception):
            plain_connect(backup).execute("SELECT count(*) FROM notes").fetchone()


def test_the_newest_ten_backups_are_kept_each_verified(store: Store, db_path: Path,
                                                       frozen_clock) -> None:
    made = []
    for n in range(12):
        cid, _ = meeting(store, f"Meeting {n}", fillers=1)
        frozen_clock.advance(minutes=10)
        store.close_conversation(cid)
        made.append(safety.list_backups(db_path)[-1])
    backups = safety.list_backups(db_path)
    assert backups == made[-10:]
    assert all(quick_check(b, store.key) == ["ok"] for b in backups)
    with Store.open(backups[-1], key=store.key, read_only=True) as newest:
        assert len(newest.list_conversations()) == 12


def test_a_backup_that_fails_its_check_leaves_nothing_behind(
    store: Store, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    meeting(store, fillers=1)
    monkeypatch.setattr(safety, "quick_check", lambda conn: ["*** page 3: never used"])
    dest = db_path.parent / "backups" / "copy.db"
    with pytest.raises(StoreError, match="did not pass its check"):
        store.backup(dest)
    assert not dest.exists()
    assert [p.name for p in dest.parent.iterdir()] == []  # no staging folder or half file


def test_a_failed_backup_does_not_undo_closing_and_says_why(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    cid, _ = meeting(store, fillers=1)

    def full(*args, **kwargs):
        raise StoreError("the backup could not be written: the disk is full")

    monkeypatch.setattr(Store, "rotate_backups", full)
    closed = store.close_conversation(cid)
    assert closed.status.value == "closed"
    assert "disk is full" in store.last_backup_problem


# ---------------------------------------------------------------- restore


def run(db_path: Path, *args: str, input: str | None = None):
    return CliRunner().invoke(main, ["--db", str(db_path), *args], input=input)


def unlock_args(key) -> list[str]:
    return ["--passphrase-fd", str(passphrase_fd(PASSPHRASE))] if key is not None else []


def test_restore_puts_the_backup_back_and_keeps_the_replaced_file(db_path: Path, key) -> None:
    with Store.open(db_path, key=key) as store:
        first, _ = meeting(store, "Before the backup", fillers=2)
        backup = store.rotate_backups()
        later, _ = meeting(store, "After the backup", fillers=3)
        store.save_draft(later, "note", "typed after the backup")  # in the -wal, not yet the file
    result = run(db_path, *unlock_args(key), "restore", str(backup), "--yes")
    assert result.exit_code == 0, result.output
    assert "checked" in result.output and "1 conversation," in result.output
    kept = next(db_path.parent.glob("appreciate.db.before-restore-*"))
    assert f"kept at {kept}" in result.output
    assert_private_file(kept)
    with Store.open(db_path, key=key) as store:
        assert [c.id for c in store.list_conversations()] == [first]
        assert store.check().ok
    # The file it replaced is whole, its journal included.
    with Store.open(kept, key=key, read_only=True) as old:
        assert {c.id for c in old.list_conversations()} == {first, later}
        assert old.drafts(later) == {"note": "typed after the backup"}
    assert digest(backup) == digest(backup)  # the backup itself is untouched
    assert quick_check(backup, key) == ["ok"]


def test_restore_asks_first_and_no_changes_nothing(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import appreciate_tui.cli.trust as cli_trust

    with Store.open(db_path) as store:
        meeting(store, "One", fillers=1)
        backup = store.rotate_backups()
        meeting(store, "Two", fillers=1)
    before = digest(db_path)
    refused = run(db_path, "restore", str(backup))
    assert refused.exit_code == 1 and "--yes" in refused.output
    monkeypatch.setattr(cli_trust, "_interactive", lambda: True)
    declined = run(db_path, "restore", str(backup), input="n\n")
    assert declined.exit_code == 1 and "nothing was changed" in declined.output
    assert digest(db_path) == before
    assert list(db_path.parent.glob("*.before-restore-*")) == []
    accepted = run(db_path, "restore", str(backup), input="y\n")
    assert accepted.exit_code == 0, accepted.output


@pytest.mark.parametrize("damage", ["text", "truncated", "foreign", "missing"])
def test_restore_refuses_a_bad_backup_and_changes_nothing(db_path: Path, tmp_path: Path,
                                                          damage: str) -> None:
    import sqlite3

    with Store.open(db_path) as store:
        meeting(store, fillers=1)
        good = store.rotate_backups()
    bad = tmp_path / "bad.db"
    if damage == "text":
        bad.write_text("Minutes of the meeting\n" * 300)
    elif damage == "truncated":
        bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    elif damage == "foreign":
        conn = sqlite3.connect(bad)
        conn.execute("CREATE TABLE expenses (amount REAL)")
        conn.commit()
        conn.close()
    before = digest(db_path)
    result = run(db_path, "restore", str(bad), "--yes")
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and result.output.startswith("appreciate: ")
    assert digest(db_path) == before
    assert sorted(p.name for p in db_path.parent.iterdir() if p.name.startswith("appreciate.db")) == [
        "appreciate.db", "appreciate.db.checked", "appreciate.db.lock"
    ]


def test_restore_is_refused_while_another_appreciate_has_the_database(db_path: Path) -> None:
    with Store.open(db_path) as store:
        meeting(store, fillers=1)
        backup = store.rotate_backups()
    holder = subprocess.Popen([sys.executable, str(CHILD), "hold", str(db_path)],
                              stdout=subprocess.PIPE, text=True, env=child_env())
    try:
        ready = holder.stdout.readline().split()
        assert ready[0] == "ready"
        before = digest(db_path)
        result = run(db_path, "restore", str(backup), "--yes")
        assert result.exit_code == 1
        assert f"another appreciate (process {ready[1]})" in result.output
        assert digest(db_path) == before
    finally:
        holder.kill()
        holder.wait()


def test_restore_of_an_encrypted_backup_needs_its_passphrase(db_path: Path, session_key) -> None:
    if session_key is None:
        pytest.skip("needs the encryption extra")
    with Store.open(db_path, key=session_key) as store:
        meeting(store, fillers=1)
        backup = store.rotate_backups()
    other = db_path.parent / "elsewhere.db"
    wrong = CliRunner().invoke(main, ["--db", str(other), "--passphrase-fd",
                                      str(passphrase_fd("not the passphrase")), "restore",
                                      str(backup), "--yes"])
    assert wrong.exit_code == 1 and "passphrase does not open" in wrong.output
    assert not other.exists()
    right = CliRunner().invoke(main, ["--db", str(other), "--passphrase-fd",
                                      str(passphrase_fd(PASSPHRASE)), "restore", str(backup),
                                      "--yes"])
    assert right.exit_code == 0, right.output
    assert cipher.looks_encrypted(other)
