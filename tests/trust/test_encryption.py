"""Encryption at rest (the `encryption` extra, SQLCipher): `appreciate encrypt` converts the
database and its backups; afterwards no plaintext is in the .db, -wal, -shm or backup files and the
standard library's sqlite3 cannot read them; a wrong passphrase is one clear line with nothing from
the library on stderr; `rekey` changes the passphrase; the store's whole test suite passes on an
encrypted database."""

from __future__ import annotations

import os
import re
import select
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from appreciate_tui.cli import main
from appreciate_tui.store import DatabaseDamaged, Store, cipher, encryption, safety
from tests.trust.helpers import (
    PASSPHRASE,
    REPO,
    child_env,
    files_holding,
    meeting,
    passphrase_fd,
    plain_connect,
)

pytestmark = pytest.mark.skipif(not cipher.available(), reason="needs the encryption extra")

MARKER = "Qzv7Secretmarker"
APPRECIATE = Path(sys.executable).with_name("appreciate")
CHILD = REPO / "tests" / "helpers" / "store_child.py"


def run(db_path: Path, *args: str, input: str | None = None):
    return CliRunner().invoke(main, ["--db", str(db_path), *args], input=input)


def encrypted_database(db_path: Path) -> str:
    """A plain database with the marker in a note and in a backup, then `appreciate encrypt`."""
    with Store.open(db_path) as store:
        cid, _ = meeting(store, notes=[f"{MARKER} disclosed at the meeting"])
        store.rotate_backups()
    done = run(db_path, "--passphrase-fd", str(passphrase_fd(PASSPHRASE)), "encrypt")
    assert done.exit_code == 0, done.output
    assert "and 1 backup" in done.output
    return cid


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One encrypted database (and backup) made once; each test gets a copy (`encrypted`)."""
    folder = tmp_path_factory.mktemp("encrypted-template")
    path = folder / "appreciate.db"
    with Store.open(path) as store:
        meeting(store, notes=[f"{MARKER} disclosed at the meeting"])
        store.rotate_backups()
    encryption.encrypt(path, PASSPHRASE)
    (folder / "appreciate.db.lock").unlink()
    return folder


@pytest.fixture
def encrypted(template: Path, db_path: Path) -> Path:
    """A copy of the template at `db_path` (closed files, so copying them is safe)."""
    import shutil

    shutil.copy2(template / "appreciate.db", db_path)
    shutil.copytree(template / "backups", db_path.parent / "backups")
    return db_path


def test_no_plaintext_in_the_database_its_journal_or_its_backups(db_path: Path) -> None:
    cid = encrypted_database(db_path)
    store = Store.open(db_path, passphrase=PASSPHRASE)
    try:
        assert store.encrypted
        question = store.list_questions(cid)[0]
        store.add_note(cid, question.id, f"{MARKER} again, written after encrypting")
        store.save_draft(cid, "note", f"{MARKER} being typed")
        store.rotate_backups()
        wal, shm = (db_path.with_name(db_path.name + side) for side in ("-wal", "-shm"))
        assert wal.stat().st_size > 0 and shm.exists()  # open: the journal holds the new note
        assert files_holding(db_path.parent, MARKER) == []
        assert files_holding(db_path.parent, "disclosed") == []
        assert len(safety.list_backups(db_path)) == 2
        # Every note is still there and found.
        assert len([n for n in store.list_notes(cid) if MARKER in n.body]) == 2
        assert store.search(MARKER) and store.check().ok
    finally:
        store.close()
    for path in (db_path, *safety.list_backups(db_path)):
        assert not path.read_bytes().startswith(cipher.SQLITE_MAGIC)
        with pytest.raises(sqlite3.DatabaseError, match="not a database"):
            plain_connect(path).execute("SELECT count(*) FROM notes").fetchone()
    leftovers = [p.name for p in db_path.parent.iterdir() if ".replaced-" in p.name
                 or p.name.endswith(".converting")]
    assert leftovers == []  # the plain copies were overwritten and removed


def test_standard_sqlcipher_opens_it_with_the_passphrase(encrypted: Path) -> None:
    """Not a format of our own: SQLCipher 4 with its own key derivation from the passphrase."""
    from sqlcipher3 import dbapi2

    conn = dbapi2.connect(str(encrypted))
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(f"PRAGMA key = '{PASSPHRASE}'")
    assert conn.execute("SELECT count(*) FROM notes WHERE body LIKE ?", [f"{MARKER}%"]).fetchone()[0] == 1
    conn.close()


def cli(args: list[str], *, fd_text: str | None = None, patch: str = "") -> subprocess.CompletedProcess:
    """The real command in a child process; `fd_text` is handed over on a descriptor whose number
    replaces "{fd}" in `args`, as a script would do."""
    code = f"import sys\n{patch}\nfrom appreciate_tui.cli import main\nsys.argv[0] = 'appreciate'\nmain()\n"
    read = passphrase_fd(fd_text) if fd_text is not None else None
    args = [a.replace("{fd}", str(read)) for a in args]
    try:
        return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                              env=child_env(), pass_fds=(read,) if read is not None else (),
                              timeout=60)
    finally:
        if read is not None:
            os.close(read)


@pytest.mark.posix("a descriptor handed to a child process (pass_fds)")
def test_a_wrong_passphrase_is_one_line_and_the_library_prints_nothing(encrypted: Path, db_path: Path) -> None:
    wrong = cli(["--db", str(db_path), "--passphrase-fd", "{fd}", "list"], fd_text="not it at all")
    assert wrong.returncode == 1
    assert wrong.stdout == ""
    assert wrong.stderr.count("\n") == 1
    assert re.fullmatch(r"appreciate: .*passphrase does not open this database.*\n", wrong.stderr)
    right = cli(["--db", str(db_path), "--passphrase-fd", "{fd}", "list"], fd_text=PASSPHRASE)
    assert right.returncode == 0 and "MASH strategy meetings" in right.stdout and right.stderr == ""


@pytest.mark.posix("a descriptor handed to a child process (pass_fds)")
def test_the_library_would_print_if_its_log_were_not_silenced(encrypted: Path, db_path: Path) -> None:
    """What the test above guards against: SQLCipher's own error log on stderr."""
    noisy = (
        "import appreciate_tui.store.cipher as c\n"
        "real = c.connect\n"
        "def connect(target, key, **kw):\n"
        "    if key is None: return real(target, key, **kw)\n"
        "    conn = c.require().connect(target, uri=kw.get('uri', False))\n"
        "    conn.execute(f'PRAGMA key = \"{key.spec}\"')\n"
        "    try: conn.execute('SELECT count(*) FROM sqlite_master').fetchone()\n"
        "    except c.DATABASE_ERRORS as e: raise c.WrongPassphrase('wrong') from e\n"
        "    return conn\n"
        "c.connect = connect\n"
    )
    wrong = cli(["--db", str(db_path), "--passphrase-fd", "{fd}", "list"], fd_text="not it at all",
                patch=noisy)
    assert wrong.returncode == 1
    assert "hmac check failed" in wrong.stderr


@pytest.mark.posix("a pseudo-terminal (pty)")
def test_the_passphrase_is_asked_for_at_the_terminal_without_echo(encrypted: Path, db_path: Path) -> None:
    import pty  # POSIX only: imported here so the rest of this file runs on Windows too

    # Everything the child needs is made before the fork: between fork and exec it runs no
    # Python code that could wait on a lock another thread of this process held at the fork.
    env = child_env()
    argv = [str(APPRECIATE), "--db", str(db_path), "list"]
    pid, fd = pty.fork()
    if pid == 0:  # the child: the real command, its terminal a pseudo-terminal
        os.execve(argv[0], argv, env)
    try:
        terminal = Transcript(fd)
        terminal.expect("Passphrase for")
        os.write(fd, b"wrong guess here\n")
        terminal.expect("try again")
        terminal.expect("Passphrase for")  # typed before the prompt, it would be echoed
        os.write(fd, PASSPHRASE.encode() + b"\n")
        terminal.expect("MASH strategy meetings")
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        seen = terminal.text
        assert "wrong guess" not in seen and PASSPHRASE not in seen  # never echoed
    finally:
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(fd)


class Transcript:
    """Everything a pseudo-terminal has shown, read as it comes. Each `expect` looks only past
    what the one before it matched: a busy machine may deliver "try again" and the next prompt
    in one read, and the second prompt must still count."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.text = ""
        self._matched = 0

    def expect(self, wanted: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while (found := self.text.find(wanted, self._matched)) < 0:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"{wanted!r} never came; saw {self.text!r}"
            ready, _, _ = select.select([self.fd], [], [], remaining)
            if ready:
                try:
                    chunk = os.read(self.fd, 4096)
                except OSError:
                    chunk = b""
                assert chunk, f"the terminal closed before {wanted!r}; saw {self.text!r}"
                self.text += chunk.decode("utf-8", "replace")
        self._matched = found + len(wanted)


def test_no_terminal_and_no_descriptor_is_one_line(encrypted: Path, db_path: Path) -> None:
    done = subprocess.run([str(APPRECIATE), "--db", str(db_path), "list"], capture_output=True,
                          text=True, env=child_env(), stdin=subprocess.DEVNULL,
                          start_new_session=True, timeout=60)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "--passphrase-fd" in done.stderr


def test_rekey_changes_the_passphrase_of_the_database_and_its_backups(encrypted: Path, db_path: Path) -> None:
    new = "a new passphrase, longer"
    read_new = passphrase_fd(new)
    done = run(db_path, "--passphrase-fd", str(passphrase_fd(PASSPHRASE)), "rekey",
               "--new-passphrase-fd", str(read_new))
    assert done.exit_code == 0, done.output
    assert "Re-encrypted" in done.output and "1 backup" in done.output
    for path in (db_path, *safety.list_backups(db_path)):
        with pytest.raises(cipher.WrongPassphrase):
            Store.open(path, passphrase=PASSPHRASE, read_only=True)
        with Store.open(path, passphrase=new, read_only=True) as reopened:  # reopened, then checked
            assert reopened.check().ok
            assert cipher.integrity_problems(reopened.db.conn) == []


def test_a_new_database_given_a_passphrase_is_encrypted_from_the_start(db_path: Path) -> None:
    done = run(db_path, "--passphrase-fd", str(passphrase_fd(PASSPHRASE)), "demo")
    assert done.exit_code == 0, done.output
    assert cipher.looks_encrypted(db_path)
    assert files_holding(db_path.parent, "strategy") == []
    listed = run(db_path, "--passphrase-fd", str(passphrase_fd(PASSPHRASE)), "list")
    assert "MASH strategy meetings" in listed.output


def test_a_short_passphrase_is_refused_and_nothing_changes(db_path: Path) -> None:
    with Store.open(db_path) as store:
        meeting(store, fillers=1)
    done = run(db_path, "--passphrase-fd", str(passphrase_fd("short")), "encrypt")
    assert done.exit_code == 1 and "at least 8 characters" in done.output
    assert not cipher.looks_encrypted(db_path)


def test_encrypt_is_refused_while_another_appreciate_has_the_database(db_path: Path) -> None:
    with Store.open(db_path) as store:
        meeting(store, fillers=1)
    holder = subprocess.Popen([sys.executable, str(CHILD), "hold", str(db_path)],
                              stdout=subprocess.PIPE, text=True, env=child_env())
    try:
        assert holder.stdout.readline().startswith("ready")
        done = run(db_path, "--passphrase-fd", str(passphrase_fd(PASSPHRASE)), "encrypt")
        assert done.exit_code == 1 and "another appreciate" in done.output
        assert not cipher.looks_encrypted(db_path)
    finally:
        holder.kill()
        holder.wait()


def test_encrypt_twice_and_rekey_a_plain_database_are_refused(encrypted: Path, tmp_path: Path) -> None:
    plain_db = tmp_path / "plain.db"
    with Store.open(plain_db) as store:
        meeting(store, fillers=1)
    plain = run(plain_db, "rekey")
    assert plain.exit_code == 1 and "not encrypted" in plain.output
    again = run(encrypted, "--passphrase-fd", str(passphrase_fd(PASSPHRASE)), "encrypt")
    assert again.exit_code == 1 and "already encrypted" in again.output


def test_a_changed_byte_in_an_encrypted_file_is_caught(encrypted: Path, db_path: Path) -> None:
    data = bytearray(db_path.read_bytes())
    data[3 * 4096 + 200] ^= 0x01  # one bit, in the middle of the fourth page
    db_path.write_bytes(bytes(data))
    with pytest.raises((DatabaseDamaged, cipher.WrongPassphrase)):
        Store.open(db_path, passphrase=PASSPHRASE)


def test_without_the_extra_an_encrypted_database_says_how_to_get_it(
    encrypted: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cipher, "_sqlcipher", None)
    done = run(db_path, "list")
    assert done.exit_code == 1 and "pip install 'appreciate-tui[encryption]'" in done.output


def test_a_key_never_shows_in_a_traceback_or_a_repr() -> None:
    key = cipher.derive(PASSPHRASE)
    assert repr(key) == "Key(<hidden>)" and key.raw.hex() not in repr(key) + str(key)


# The store's own test files: everything the store does, through its API, on one database.
STORE_SUITE = ("tests/test_store.py", "tests/test_store_browser.py", "tests/test_store_planning.py",
               "tests/test_note_tallies.py", "tests/test_theme_index.py")


@pytest.mark.slow  # a second pytest run, ~10 s
def test_the_store_suite_passes_against_an_encrypted_database() -> None:
    """The store's test files again, every store in them encrypted (tests/helpers/cipher.py)."""
    env = child_env(APPRECIATE_TEST_PASSPHRASE=PASSPHRASE)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *STORE_SUITE],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    passed = re.search(r"(\d+) passed", done.stdout)
    assert passed and int(passed.group(1)) >= 55
    assert "skipped" not in done.stdout.splitlines()[-1]
