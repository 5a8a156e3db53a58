"""Faults the store and the command line survive, losing nothing typed (reliability.md sections
7.3 and 8, AC-DUR-9 and AC-DUR-10):

* a full disk (a real 2 MB tmpfs in a mount namespace of its own when root may mount one; always
  also `PRAGMA max_page_count`) and write errors (`ulimit -f`, which SQLite reports as a disk I/O
  error): the failed save changes nothing, the text is still held, the retry saves it once there
  is room, and the database passes its checks;
* a read-only database file or folder: it opens read-only, says why, and refuses writes with that
  reason. Root ignores permission bits, so this is done with `chattr +i` (as root) and with a
  child process running as nobody (`setpriv`); each is skipped, saying why, where it cannot run.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from appreciate_tui.cli import main
from appreciate_tui.store import Store
from tests.trust.helpers import REPO, child_env, meeting

CHILD = Path(__file__).resolve().parent / "fault_child.py"
NOBODY = 65534
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0  # never on Windows


def child(mode: str, target: Path, *, prefix: list[str] | None = None, python: str = sys.executable,
          env: dict[str, str] | None = None) -> dict:
    done = subprocess.run([*(prefix or []), python, str(CHILD), mode, str(target)],
                          capture_output=True, text=True, env=env or child_env(), timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def assert_nothing_lost(report: dict, error: str) -> None:
    assert error in report["error"]
    assert report["second_try_failed"]  # still full: refused again, not half-saved
    assert report["while_full"] == {"in_transaction": False, "quick_check": ["ok"],
                                    "notes": report["failed_at"]}
    assert report["all_acknowledged_stored_exactly"] and report["extra_rows"] == 0
    assert report["held_chars"] == 0  # everything held was saved by the retry
    assert report["lost_chars"] == 0 and report["saved_chars"] == report["typed_chars"]
    assert report["quick_check"] == ["ok"] and report["checksums_ok"] and report["search_works"]


def can_mount_tmpfs() -> str | None:
    if not IS_ROOT:
        return "mounting a tmpfs needs root"
    if not shutil.which("unshare") or not shutil.which("mount"):
        return "needs unshare and mount"
    probe = subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c",
                            "mount -t tmpfs -o size=64k tmpfs /mnt && umount /mnt"],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        return f"this machine cannot mount a tmpfs here: {probe.stderr.strip()[:200]}"
    return None


def test_a_full_disk_loses_nothing_and_the_retry_saves(tmp_path: Path) -> None:
    why_not = can_mount_tmpfs()
    if why_not:
        pytest.skip(why_not + " (test_a_full_database_by_page_limit covers the rest)")
    mount = tmp_path / "small-disk"
    mount.mkdir()
    # The tmpfs exists only inside the child's own mount namespace and goes when it exits.
    report = child("full", mount, prefix=[
        "unshare", "--mount", "--propagation", "private", "sh", "-c",
        f'mount -t tmpfs -o size=2m tmpfs "{mount}" && exec "$0" "$@"',
    ])
    assert_nothing_lost(report, "disk is full")
    cli = report["cli"]
    assert cli["exit_code"] == 1 and cli["output"].count("\n") == 1
    # Said at open (the page-by-page check needs room too) or at the first write, when the file's
    # state was checked before.
    assert cli["output"].startswith("appreciate: ") and (
        "disk holding it is full" in cli["output"] or "the disk is full" in cli["output"]
    )
    assert "Move it aside" not in cli["output"]  # a healthy file is never called damaged
    assert cli["quick_check_after"] == ["ok"] and cli["conversations_after"] == ["Disk full drill"]


def test_a_full_database_by_page_limit_loses_nothing(tmp_path: Path) -> None:
    assert_nothing_lost(child("pages", tmp_path), "disk is full")


@pytest.mark.posix("a file size limit (RLIMIT_FSIZE)")
def test_a_write_error_from_a_file_size_limit_loses_nothing(tmp_path: Path) -> None:
    assert_nothing_lost(child("fsize", tmp_path), "disk I/O error")


# ---------------------------------------------------------------- read-only


def make_database(folder: Path, *, leave_journal: bool = False) -> Path:
    """Two conversations; with `leave_journal`, a third committed by a process that then died
    without closing, so it is only in the -wal file."""
    db = folder / "appreciate.db"
    with Store.open(db) as store:
        meeting(store, "First", fillers=2)
        meeting(store, "Second", fillers=2)
    if leave_journal:
        code = textwrap.dedent(f"""
            import os
            from appreciate_tui.store import Store
            store = Store.open({str(db)!r})
            store.db.execute("PRAGMA wal_autocheckpoint = 0")
            store.create_conversation("Only in the journal")
            os._exit(0)
        """)
        subprocess.run([sys.executable, "-c", code], check=True, env=child_env(), timeout=60)
        assert (folder / "appreciate.db-wal").stat().st_size > 0
    (folder / "appreciate.db.lock").unlink(missing_ok=True)
    (folder / "appreciate.db.checked").unlink(missing_ok=True)  # only the database is there
    return db


def chattr(flag: str, *paths: Path) -> None:
    subprocess.run(["chattr", flag, *map(str, paths)], check=True, capture_output=True)


def chattr_works(folder: Path) -> str | None:
    if not IS_ROOT or not shutil.which("chattr"):
        return "chattr +i needs root and chattr"
    probe = folder / "probe"
    probe.write_text("x")
    done = subprocess.run(["chattr", "+i", str(probe)], capture_output=True, text=True)
    if done.returncode != 0:
        return f"this filesystem does not take chattr +i: {done.stderr.strip()[:200]}"
    chattr("-i", probe)
    probe.unlink()
    return None


@pytest.fixture
def immutable(tmp_path: Path) -> Iterator[list[Path]]:
    """Paths to make immutable; made mutable again whatever happens."""
    why_not = chattr_works(tmp_path)
    if why_not:
        pytest.skip(why_not + " (the nobody tests cover this)")
    locked: list[Path] = []
    yield locked
    for path in reversed(locked):
        subprocess.run(["chattr", "-i", str(path)], capture_output=True)


def test_read_only_file_as_root_with_chattr(tmp_path: Path, immutable: list[Path]) -> None:
    db = make_database(tmp_path)
    immutable.append(db)  # the .db only: chattr on the mapped -shm would crash the reader
    chattr("+i", db)
    report = child("readonly", db)
    assert report["read_only"] and report["reason"] == "the database file is read-only"
    assert report["conversations"] == ["Second", "First"] and report["notes"] == 4
    assert "the database file is read-only; nothing can be changed" in report["refused"]
    # The command line: reading works, a change is one line saying why.
    runner = CliRunner()
    listed = runner.invoke(main, ["--db", str(db), "list"])
    assert listed.exit_code == 0 and "First" in listed.output
    refused = runner.invoke(main, ["--db", str(db), "demo"])
    assert refused.exit_code == 1 and refused.output.count("\n") == 1
    assert "read-only" in refused.output


def test_read_only_folder_as_root_with_chattr(tmp_path: Path, immutable: list[Path]) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    db = make_database(folder)
    immutable.append(folder)
    chattr("+i", folder)
    report = child("readonly", db)
    assert report["read_only"]
    assert report["reason"] == f"the folder {folder} is read-only"
    assert report["conversations"] == ["Second", "First"]
    assert "read-only; nothing can be changed" in report["refused"]
    assert report["files"] == ["appreciate.db"]  # nothing could be, or was, created beside it


def test_read_only_folder_with_a_journal_still_shows_its_changes(tmp_path: Path,
                                                                 immutable: list[Path]) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    db = make_database(folder, leave_journal=True)
    immutable.append(folder)
    chattr("+i", folder)  # -wal and -shm are there (and writable): a normal read-only open
    report = child("readonly", db)
    assert report["read_only"] and "Only in the journal" in report["conversations"]


def test_read_only_folder_with_a_journal_but_no_shm_says_what_it_cannot_show(
    tmp_path: Path, immutable: list[Path]
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    db = make_database(folder, leave_journal=True)
    (folder / "appreciate.db-shm").unlink()
    immutable.append(folder)
    chattr("+i", folder)
    report = child("readonly", db)
    assert report["read_only"] and report["conversations"] == ["Second", "First"]
    assert "latest changes (kept in appreciate.db-wal) cannot be shown" in report["reason"]
    chattr("-i", folder)  # once writable again, nothing was lost
    with Store.open(db) as store:
        assert "Only in the journal" in [c.title for c in store.list_conversations()]


# ---------------------------------------------------------------- as nobody


def nobody_python() -> tuple[str, dict[str, str]] | str:
    """A Python that nobody may run, and the PYTHONPATH that gives it the repo and this venv's
    packages (the pyenv interpreter lives under /root, which nobody cannot read)."""
    if not IS_ROOT or not shutil.which("setpriv"):
        return "running as nobody needs root and setpriv"
    python = "/usr/bin/python3"
    if not os.path.exists(python):
        return "no system /usr/bin/python3 for nobody to run"
    site = sysconfig.get_paths()["purelib"]
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": f"{REPO}{os.pathsep}{site}",
           "HOME": "/tmp", "LANG": "C.UTF-8"}
    probe = subprocess.run(
        ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", python, "-c",
         "import sys, sqlite3, sqlite_utils, appreciate_tui.store; "
         "assert sys.version_info[:2] == (3, 11)"],
        capture_output=True, text=True, env=env,
    )
    if probe.returncode != 0:
        return f"nobody cannot run the store with {python}: {probe.stderr.strip()[-300:]}"
    return python, env


@pytest.fixture
def nobody_folder() -> Iterator[Path]:
    """A folder nobody owns, outside the root-only pytest temp tree."""
    found = nobody_python()
    if isinstance(found, str):
        pytest.skip(found + " (the chattr tests cover this)")
    base = Path(tempfile.mkdtemp(prefix="appreciate-nobody-", dir="/tmp"))
    os.chmod(base, 0o755)
    folder = base / "data"
    folder.mkdir()
    try:
        yield folder
    finally:
        os.chmod(folder, 0o755)
        shutil.rmtree(base)


def as_nobody(db: Path) -> dict:
    python, env = nobody_python()  # type: ignore[misc]
    return child("readonly", db, python=python, env=env, prefix=[
        "setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"])


def give_to_nobody(folder: Path) -> None:
    for path in [folder, *folder.iterdir()]:
        os.chown(path, NOBODY, NOBODY)


def test_read_only_file_as_nobody(nobody_folder: Path) -> None:
    db = make_database(nobody_folder)
    give_to_nobody(nobody_folder)
    os.chmod(db, 0o400)
    report = as_nobody(db)
    assert report["read_only"] and report["reason"] == "the database file is read-only"
    assert report["conversations"] == ["Second", "First"]
    assert "nothing can be changed" in report["refused"]


def test_read_only_folder_as_nobody(nobody_folder: Path) -> None:
    db = make_database(nobody_folder)
    give_to_nobody(nobody_folder)
    os.chmod(nobody_folder, 0o555)
    report = as_nobody(db)
    assert report["read_only"] and report["reason"] == f"the folder {nobody_folder} is read-only"
    assert report["conversations"] == ["Second", "First"]
    assert "nothing can be changed" in report["refused"]
    assert report["files"] == ["appreciate.db"]


def test_writable_as_nobody_is_an_ordinary_writer(nobody_folder: Path) -> None:
    """The control: the same setup with the bits left writable is not read-only, so the two tests
    above are about the permissions and nothing else."""
    db = make_database(nobody_folder)
    give_to_nobody(nobody_folder)
    report = as_nobody(db)
    assert not report["read_only"] and report["refused"] is None
