"""The storage rules of DESIGN.md section 5 that keep the file safe: pragmas on every open, private
permissions whatever the umask, damaged or foreign files refused and left byte-for-byte as they were,
the single-writer lock across processes, checksums, migrations behind a backup, and verified
backups (shared research, reliability.md sections 1 and 6)."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap
import threading
import time
import uuid
from pathlib import Path

import pytest
from sqlite_utils import Migrations

from appreciate_tui import paths
from appreciate_tui.domain import Phase, Stance
from appreciate_tui.store import (
    DatabaseDamaged,
    ReadOnlyError,
    Store,
    StoreError,
    opening,
    safety,
)
from appreciate_tui.store.schema import migrations
from appreciate_tui.store import schema
from tests.helpers.damage import damage_the_notes_table
from tests.helpers.private import assert_private_dir, assert_private_file

REPO = Path(__file__).resolve().parent.parent
CHILD = Path(__file__).resolve().parent / "helpers" / "store_child.py"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def populate(path: Path, notes: int = 40) -> tuple[str, str]:
    """A real appreciate database with enough notes to span several pages; closed afterwards."""
    with Store.open(path) as store:
        conversation = store.create_conversation("Strategy meetings", "MASH")
        question = store.add_question(conversation.id, "What went well?", Phase.DISCOVER)
        with store.atomic():
            for n in range(notes):
                store.add_note(conversation.id, question.id, f"Note {n}: " + "detail " * 60)
        return conversation.id, question.id


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return env


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


# ---------------------------------------------------------------- pragmas


def pragmas(store: Store) -> dict[str, object]:
    conn = store.db.conn
    return {
        name: conn.execute(f"PRAGMA {name}").fetchone()[0]
        for name in ("journal_mode", "synchronous", "secure_delete", "temp_store", "busy_timeout", "foreign_keys")
    }


def assert_pragmas(found: dict[str, object]) -> None:
    assert found["journal_mode"] == "wal"
    assert found["synchronous"] == 2
    assert found["secure_delete"] == 1
    assert found["temp_store"] == 2
    assert found["busy_timeout"] >= 5000
    assert found["foreign_keys"] == 1


def test_pragmas_on_a_new_database(db_path: Path) -> None:
    with Store.open(db_path) as store:
        assert_pragmas(pragmas(store))


def test_pragmas_on_every_reopen_including_read_only(db_path: Path) -> None:
    populate(db_path, notes=1)
    # Another program leaves the file in rollback-journal mode: the next open puts WAL back.
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0] == "delete"
    for _ in range(2):
        with Store.open(db_path) as store:
            assert_pragmas(pragmas(store))
    with Store.open(db_path, read_only=True) as store:
        assert store.read_only
        assert_pragmas(pragmas(store))


# ---------------------------------------------------------------- permissions and paths


@pytest.mark.posix("file modes")
def test_files_are_private_under_umask_022(tmp_path: Path, umask_022) -> None:
    data = tmp_path / "fresh" / "data"
    db = data / "appreciate.db"
    store = Store.open(db)
    try:
        conversation = store.create_conversation("Private")
        question = store.add_question(conversation.id, "Q", Phase.DISCOVER)
        store.add_note(conversation.id, question.id, "held in the WAL until a checkpoint")
        backup = store.rotate_backups()
        exported = store.backup(tmp_path / "elsewhere" / "copy.db")

        side = {s: db.with_name(db.name + s) for s in ("-wal", "-shm", ".lock")}
        for path in side.values():
            assert path.exists(), path
        assert mode(data) == 0o700
        assert mode(db) == 0o600
        for suffix, path in side.items():
            assert mode(path) == 0o600, suffix
        assert mode(backup.parent) == 0o700
        assert mode(backup) == 0o600
        assert mode(exported) == 0o600
    finally:
        store.close()


@pytest.mark.posix("file modes")
def test_looser_modes_left_by_someone_else_are_tightened(db_path: Path, umask_022) -> None:
    populate(db_path, notes=1)
    os.chmod(db_path, 0o644)
    lock = db_path.with_name(db_path.name + ".lock")
    os.chmod(lock, 0o666)
    with Store.open(db_path):
        assert mode(db_path) == 0o600
        assert mode(lock) == 0o600
        assert mode(db_path.with_name(db_path.name + "-wal")) == 0o600


def test_default_database_lives_in_the_xdg_data_dir(
    monkeypatch: pytest.MonkeyPatch, isolated_home: Path, umask_022
) -> None:
    monkeypatch.delenv("APPRECIATE_DB")
    xdg = isolated_home / "xdg-data"
    monkeypatch.setenv("XDG_DATA_HOME", str(xdg))
    expected = xdg / "appreciate" / "appreciate.db"
    assert paths.db_path() == expected
    with Store.open() as store:
        assert store.path == expected
        assert expected.is_file()
        assert_private_dir(expected.parent)
        assert_private_file(expected)
    # An existing data dir others can read is made private again.
    os.chmod(expected.parent, 0o755)
    Store.open().close()
    assert_private_dir(expected.parent)


def test_db_override_and_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("APPRECIATE_DB", str(tmp_path / "from-env.db"))
    assert paths.db_path() == tmp_path / "from-env.db"
    assert paths.db_path(tmp_path / "flag.db") == tmp_path / "flag.db"
    with Store.open() as store:
        assert store.path == tmp_path / "from-env.db"


@pytest.mark.parametrize("folder", ["what?", "team #2", "100% sure", "café ünï"])
def test_folder_names_with_uri_characters(tmp_path: Path, folder: str) -> None:
    """The read-only checks open the file through an SQLite URI: `?`, `#` and `%` in a folder name
    must not change which file is opened."""
    db = tmp_path / folder / "appreciate.db"
    conversation_id, _ = populate(db, notes=2)
    before = sorted(os.listdir(tmp_path))
    with Store.open(db) as store:
        assert store.get_conversation(conversation_id).title == "Strategy meetings"
        store.backup(db.parent / "copy.db")
    with Store.open(db, read_only=True) as store:
        assert len(store.list_notes(conversation_id)) == 2
    assert sorted(os.listdir(tmp_path)) == before  # no stray file made from half the path


# ---------------------------------------------------------------- damaged and foreign files


def make_zero_length(path: Path) -> None:
    path.write_bytes(b"")


def make_truncated(path: Path) -> None:
    populate(path)
    data = path.read_bytes()
    assert len(data) >= 8 * 4096
    path.write_bytes(data[: len(data) // 2])


def make_random_bytes(path: Path) -> None:
    path.write_bytes(os.urandom(3 * 4096))


def make_text_file(path: Path) -> None:
    path.write_text("Minutes of the strategy meeting\n" * 200)


def make_corrupt_btree_page(path: Path) -> None:
    populate(path)
    damage_the_notes_table(path)


def make_foreign_sqlite(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE expenses (id INTEGER PRIMARY KEY, amount REAL)")
        conn.execute("INSERT INTO expenses (amount) VALUES (12.5)")
    conn.close()


def make_empty_sqlite(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 7")
    conn.close()


def make_other_apps_migrated_db(path: Path) -> None:
    """Another tool's database that also uses sqlite-utils migrations (so it has a
    `_sqlite_migrations` table, but not ours)."""
    from sqlite_utils import Database

    theirs = Migrations("someone-else")

    @theirs()
    def m001_items(db: Database) -> None:
        db.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT)")

    db = Database(path)
    theirs.apply(db)
    db.execute("INSERT INTO items (name) VALUES ('theirs')")
    db.close()


DAMAGE = {
    "zero-length": (make_zero_length, "empty"),
    "truncated": (make_truncated, None),
    "random-bytes": (make_random_bytes, "cannot be read"),
    "text-file": (make_text_file, "cannot be read"),
    "corrupt-btree-page": (make_corrupt_btree_page, None),
    "foreign-sqlite": (make_foreign_sqlite, "not an appreciate"),
    "empty-sqlite": (make_empty_sqlite, "not an appreciate"),
    "other-apps-migrations": (make_other_apps_migrated_db, "not an appreciate"),
}


@pytest.mark.parametrize("kind", list(DAMAGE))
def test_damaged_file_is_refused_and_left_exactly_as_it_was(db_path: Path, kind: str) -> None:
    make, wording = DAMAGE[kind]
    make(db_path)
    for side in ("-wal", "-shm", ".lock"):
        db_path.with_name(db_path.name + side).unlink(missing_ok=True)
    before = digest(db_path)
    size = db_path.stat().st_size

    for attempt in ({}, {}, {"read_only": True}):  # again: a second try must not "repair" it
        with pytest.raises(DatabaseDamaged) as caught:
            Store.open(db_path, **attempt)
        message = str(caught.value)
        assert "\n" not in message
        assert message.startswith(f"{db_path}: ")
        assert "has not been changed" in message
        if wording:
            assert wording in message
        assert digest(db_path) == before
        assert db_path.stat().st_size == size
    assert not db_path.with_name(db_path.name + ".lock").exists()


@pytest.mark.parametrize("kind", ["zero-length", "truncated", "random-bytes", "text-file",
                                  "foreign-sqlite", "empty-sqlite", "other-apps-migrations"])
def test_the_deferred_check_still_refuses_at_open_what_the_header_and_schema_show(
    db_path: Path, kind: str
) -> None:
    make, wording = DAMAGE[kind]
    make(db_path)
    for side in ("-wal", "-shm", ".lock"):
        db_path.with_name(db_path.name + side).unlink(missing_ok=True)
    before = digest(db_path)
    for attempt in ({}, {"read_only": True}):
        with pytest.raises(DatabaseDamaged) as caught:
            Store.open(db_path, check="deferred", **attempt)
        assert "has not been changed" in str(caught.value)
        if wording:
            assert wording in str(caught.value)
    if kind == "truncated":
        assert "cut short" in str(caught.value)
    assert digest(db_path) == before
    assert not db_path.with_name(db_path.name + ".lock").exists()


def test_a_damaged_page_found_by_the_deferred_check_makes_the_store_read_only(
    db_path: Path,
) -> None:
    make_corrupt_btree_page(db_path)
    for side in ("-wal", "-shm"):
        db_path.with_name(db_path.name + side).unlink(missing_ok=True)
    before = digest(db_path)
    store = Store.open(db_path, check="deferred")
    try:
        assert store.check_pending and not store.read_only
        failure = store.finish_check()
        assert failure is not None and "has not been changed" in failure
        assert store.read_only and not store.check_pending
        assert "integrity check" in (store.read_only_reason or "")
        with pytest.raises(ReadOnlyError):
            store.create_conversation("Never written")
        with pytest.raises(StoreError):
            store.rotate_backups()
    finally:
        store.close()
    assert digest(db_path) == before


def test_the_first_write_waits_for_the_deferred_check(db_path: Path) -> None:
    make_corrupt_btree_page(db_path)
    for side in ("-wal", "-shm"):
        db_path.with_name(db_path.name + side).unlink(missing_ok=True)
    before = digest(db_path)
    with Store.open(db_path, check="deferred") as store:
        with pytest.raises(ReadOnlyError):
            store.create_conversation("Typed before the background check finished")
        assert not store.check_pending and store.check_failure
    assert digest(db_path) == before


def test_a_sound_file_passes_the_deferred_check_and_stays_writable(db_path: Path) -> None:
    populate(db_path, notes=3)
    safety.forget_check(db_path)  # a file whose state was never checked (copied from elsewhere)
    with Store.open(db_path, check="deferred") as store:
        assert store.check_pending
        store.create_conversation("Written after the check ran by itself")
        assert not store.check_pending and store.check_failure is None
        assert store.finish_check() is None and not store.read_only


def test_damage_message_points_at_the_newest_backup(db_path: Path, frozen_clock) -> None:
    populate(db_path, notes=3)
    with Store.open(db_path) as store:
        store.rotate_backups()
        frozen_clock.advance(hours=1)
        newest = store.rotate_backups()
    make_text_file(db_path)
    with pytest.raises(DatabaseDamaged) as caught:
        Store.open(db_path)
    message = str(caught.value)
    assert str(newest) in message and "\n" not in message
    # The backup it names is a healthy copy with the notes in it.
    with Store.open(newest) as restored:
        assert restored.check().ok and restored.check().notes_checked == 3


def _crash_during_creation(db_path: Path, where: str) -> None:
    """Run a first open in a child process that dies (os._exit, as abrupt as SIGKILL) at `where`."""
    code = textwrap.dedent(
        f"""
        import os, sys
        import appreciate_tui.store as s
        from appreciate_tui.store import safety, schema
        def die(*a, **k):
            os._exit(9)
        where = {where!r}
        if where == "pragmas":
            safety.apply_pragmas = die
        elif where == "migrations":
            schema.migrations.apply = die
        elif where == "first-migration":
            schema.migrations._migrations[0].fn = die
        elif where == "second-migration":
            schema.migrations._migrations[1].fn = die
        s.Store.open(sys.argv[1])
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(db_path)], env=child_env(), capture_output=True, timeout=60
    )
    assert done.returncode == 9, done.stderr.decode()


@pytest.mark.parametrize("where", ["pragmas", "migrations", "first-migration", "second-migration"])
def test_first_open_killed_half_way_does_not_leave_a_damaged_database(db_path: Path, where: str) -> None:
    """The very first run of the app is killed (or the disk fills) while it creates the file: the
    next run must not be refused forever with "damaged" for a file that never held anything."""
    _crash_during_creation(db_path, where)
    with Store.open(db_path) as store:
        assert not store.read_only
        conversation = store.create_conversation("After the crash")
        assert store.check().ok
        assert [c.id for c in store.list_conversations()] == [conversation.id]
        assert migrations.pending(store.db) == []
    leftovers = sorted(p.name for p in db_path.parent.iterdir() if p.name.startswith(db_path.name))
    # No staging file left: only the database, its lock and the record of its last check.
    assert leftovers == ["appreciate.db", "appreciate.db.checked", "appreciate.db.lock"]


def test_disk_full_on_the_first_open_is_one_clear_error_and_the_next_open_works(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def m001_tables(db) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    everything = schema.steps
    _use_steps(monkeypatch, lambda: [m001_tables])
    with pytest.raises(StoreError) as caught:
        Store.open(db_path)
    message = str(caught.value)
    assert message.startswith(f"{db_path}: ") and "disk is full" in message
    assert not isinstance(caught.value, DatabaseDamaged)
    assert not db_path.exists()

    _use_steps(monkeypatch, everything)
    with Store.open(db_path) as store:  # space freed: a normal first open
        assert not store.read_only and store.check().ok


# ---------------------------------------------------------------- migrations


def _use_steps(monkeypatch: pytest.MonkeyPatch, steps) -> None:
    """Open with these migrations instead of appreciate's (the set is made again from them)."""
    monkeypatch.setattr(schema, "steps", steps)
    monkeypatch.setattr(schema, "_SET", None)


def _with_extra_migration(monkeypatch: pytest.MonkeyPatch, body) -> Migrations:
    extended = Migrations(migrations.name)
    extended._migrations = list(migrations._migrations)
    extended(name="m999_test")(body)
    everything = schema.steps
    body.__name__ = "m999_test"
    _use_steps(monkeypatch, lambda: [*everything(), body])
    return extended


def test_a_schema_change_takes_a_verified_backup_first(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    conversation_id, _ = populate(db_path, notes=5)
    assert safety.list_backups(db_path) == []

    def m999_test(db) -> None:
        db.execute("CREATE TABLE later_feature (id TEXT PRIMARY KEY)")

    _with_extra_migration(monkeypatch, m999_test)
    with Store.open(db_path) as store:
        assert store.db["later_feature"].exists()
        names = [r[0] for r in store.db.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
        assert names[-1] == "m999_test"
    backups = safety.list_backups(db_path)
    assert len(backups) == 1
    assert_private_file(backups[0])
    with sqlite3.connect(f"file:{backups[0]}?mode=ro", uri=True) as conn:
        assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert "later_feature" not in tables  # taken before the change
        assert conn.execute("SELECT count(*) FROM notes").fetchone()[0] == 5
    conn.close()


def test_a_failing_schema_change_is_refused_cleanly_and_changes_nothing(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    populate(db_path, notes=2)

    def m999_test(db) -> None:
        db.execute("CREATE TABLE half_done (id TEXT)")
        db.execute("INSERT INTO no_such_table VALUES (1)")

    extended = _with_extra_migration(monkeypatch, m999_test)
    with pytest.raises(StoreError) as caught:
        Store.open(db_path)
    assert str(db_path) in str(caught.value) and "\n" not in str(caught.value)

    monkeypatch.undo()
    with Store.open(db_path) as store:  # the lock was released: this one is writable
        assert not store.read_only
        assert not store.db["half_done"].exists()
        assert [m.name for m in extended.pending(store.db)] == ["m999_test"]
        assert store.check().ok and store.check().notes_checked == 2


# ---------------------------------------------------------------- the single-writer lock


def start_child(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(CHILD), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=child_env(),
    )


def test_second_process_is_read_only_and_says_so(db_path: Path) -> None:
    populate(db_path, notes=1)
    with Store.open(db_path) as first:
        assert not first.read_only
        done = subprocess.run(
            [sys.executable, str(CHILD), "open", str(db_path)],
            capture_output=True,
            text=True,
            env=child_env(),
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        lines = dict(line.split("=", 1) for line in done.stdout.splitlines())
        assert lines["read_only"] == "True"
        assert lines["reason"] == f"another appreciate (process {os.getpid()}) is using this database"
        assert lines["conversations"] == "1"  # it can still read
        assert lines["refused"].startswith(f"{db_path}: another appreciate")
        assert [c.title for c in first.list_conversations()] == ["Strategy meetings"]


def test_lock_is_released_when_the_writer_is_killed(db_path: Path) -> None:
    conversation_id, question_id = populate(db_path, notes=1)
    holder = start_child("hold", str(db_path))
    try:
        ready = holder.stdout.readline().split()
        assert ready[0] == "ready", holder.stderr.read()
        assert ready[2] == "False"
        with Store.open(db_path) as second:
            assert second.read_only
            assert f"process {holder.pid}" in second.read_only_reason
            assert len(second.list_notes(conversation_id)) == 1
            for write in (
                lambda: second.create_conversation("no"),
                lambda: second.add_note(conversation_id, question_id, "no"),
                lambda: second.save_draft(conversation_id, "note", "no"),
            ):
                with pytest.raises(ReadOnlyError, match="another appreciate"):
                    write()
            assert len(second.list_notes(conversation_id)) == 1
    finally:
        holder.kill()  # SIGKILL; on Windows TerminateProcess: either way no chance to let go
        holder.wait(timeout=10)
        holder.stdout.close()
        holder.stderr.close()
    assert holder.returncode == (-signal.SIGKILL if os.name == "posix" else 1)

    with Store.open(db_path) as after:
        assert not after.read_only and after.read_only_reason is None
        after.add_note(conversation_id, question_id, "written after the kill")
        assert after.check().ok


def test_read_only_on_request(db_path: Path) -> None:
    populate(db_path, notes=1)
    with Store.open(db_path, read_only=True) as store:
        assert store.read_only and "request" in store.read_only_reason
        with pytest.raises(ReadOnlyError):
            store.create_conversation("no")
    with pytest.raises(StoreError):
        Store.open(db_path.with_name("missing.db"), read_only=True)
    assert not db_path.with_name("missing.db").exists()


# ---------------------------------------------------------------- checksums and odd text


def test_check_reports_a_note_changed_behind_the_apps_back(db_path: Path) -> None:
    conversation_id, question_id = populate(db_path, notes=3)
    with Store.open(db_path) as store:
        victim = store.list_notes(conversation_id)[1]
        assert store.check().ok
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE notes SET body = replace(body, 'Note', 'Nope') WHERE id = ?", [victim.id])
    conn.close()
    with Store.open(db_path) as store:
        report = store.check()
        assert report.quick_check == ["ok"]
        assert report.notes_checked == 3
        assert not report.ok
        assert len(report.mismatches) == 1
        (mismatch,) = report.mismatches
        assert mismatch.note_id == victim.id and mismatch.conversation_id == conversation_id
        assert mismatch.stored == victim.sha256
        changed = store.get_note(victim.id).body
        assert changed.startswith("Nope 1")
        assert mismatch.actual == hashlib.sha256(changed.encode()).hexdigest()


def test_invalid_utf8_written_by_another_tool_reads_back(db_path: Path) -> None:
    conversation_id, question_id = populate(db_path, notes=1)
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "UPDATE conversations SET title = CAST(x'636166e9' AS TEXT) WHERE id = ?", [conversation_id]
        )
        conn.execute(
            "INSERT INTO notes (id, conversation_id, question_id, body, sha256, created_at, updated_at)"
            " VALUES (?, ?, ?, CAST(x'6e6f7465206361666520e9e9' AS TEXT), 'x', '2026-01-01', '2026-01-01')",
            [str(uuid.uuid4()), conversation_id, question_id],
        )
    conn.close()
    with Store.open(db_path) as store:
        assert store.get_conversation(conversation_id).title == "caf\ufffd"
        assert [c.title for c in store.list_conversations()] == ["caf\ufffd"]
        bodies = [n.body for n in store.list_notes(conversation_id)]
        assert "note cafe \ufffd\ufffd" in bodies
        store.search("note")
        store.search("caf*")
        report = store.check()
        assert report.quick_check == ["ok"] and len(report.mismatches) == 1


# ---------------------------------------------------------------- backups


def test_backup_is_private_verified_and_complete(db_path: Path, tmp_path: Path, umask_022) -> None:
    conversation_id, _ = populate(db_path, notes=12)
    with Store.open(db_path) as store:
        expected = {(n.id, n.body) for n in store.list_notes(conversation_id)}
        dest = store.backup(tmp_path / "backups-out" / "copy.db")
        assert_private_file(dest)
        # Writing it again replaces it atomically; nothing else is left in the folder.
        store.backup(dest)
        assert sorted(p.name for p in dest.parent.iterdir()) == ["copy.db"]
    with sqlite3.connect(f"file:{dest}?mode=ro", uri=True) as conn:
        assert conn.execute("PRAGMA quick_check").fetchall() == [("ok",)]
        assert set(conn.execute("SELECT id, body FROM notes")) == expected
    conn.close()


def test_backup_under_a_concurrent_writer_holds_every_committed_row(db_path: Path, tmp_path: Path) -> None:
    conversation_id, question_id = populate(db_path, notes=5)
    committed: list[str] = []
    stop = threading.Event()
    errors: list[BaseException] = []

    def writer() -> None:
        conn = sqlite3.connect(db_path, timeout=5.0, isolation_level=None)
        try:
            while not stop.is_set():
                note_id = str(uuid.uuid4())
                body = f"written by the other connection {note_id}"
                conn.execute("BEGIN IMMEDIATE")
                conn.execute(
                    "INSERT INTO notes (id, conversation_id, question_id, body, sha256, created_at, updated_at)"
                    " VALUES (?, ?, ?, ?, ?, '2026-03-12T09:30:00.000000+00:00', '2026-03-12T09:30:00.000000+00:00')",
                    [note_id, conversation_id, question_id, body, hashlib.sha256(body.encode()).hexdigest()],
                )
                conn.execute("COMMIT")
                committed.append(note_id)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            conn.close()

    thread = threading.Thread(target=writer)
    with Store.open(db_path) as store:
        thread.start()
        try:
            while len(committed) < 30:
                time.sleep(0.005)
            before = set(committed)
            started = time.monotonic()
            dest = store.backup(tmp_path / "live.db")
            elapsed = time.monotonic() - started
            while len(committed) < len(before) + 20:  # the writer kept going during and after
                time.sleep(0.005)
        finally:
            stop.set()
            thread.join()
    assert not errors, errors
    assert elapsed < 2.0
    with Store.open(dest) as copy:
        ids = {n.id for n in copy.list_notes(conversation_id)}
        assert before <= ids
        assert len(ids) < 5 + len(committed)  # a snapshot, not the finished file
        report = copy.check()
        assert report.ok, report


def test_rotate_backups_keeps_the_newest(db_path: Path, frozen_clock, umask_022) -> None:
    populate(db_path, notes=1)
    made = []
    with Store.open(db_path) as store:
        for _ in range(5):
            made.append(store.rotate_backups(keep=3))
            frozen_clock.advance(minutes=10)
    kept = safety.list_backups(db_path)
    assert kept == made[-3:]
    assert [p.exists() for p in made] == [False, False, True, True, True]
    assert safety.newest_backup(db_path) == made[-1]
    assert_private_dir(kept[0].parent)
    for path in kept:
        assert_private_file(path)
    assert sorted(p.name for p in kept[0].parent.iterdir()) == sorted(p.name for p in kept)


def test_backup_never_replaces_the_open_database(db_path: Path) -> None:
    populate(db_path, notes=2)
    with Store.open(db_path) as store:
        for target in (db_path, db_path.with_name(db_path.name + "-wal")):
            with pytest.raises(StoreError):
                store.backup(target)
        store.create_conversation("Still writing to the real file")
    with Store.open(db_path) as store:
        assert len(store.list_conversations()) == 2
        assert store.check().ok
