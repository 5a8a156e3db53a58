"""`appreciate export` while the app has the database open: the export is made from a read-only
store, and its record of sharing waits in a private queue beside the database until the writer
takes it in (store/share_queue.py): at the next writable open, or on the app's timer."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from appreciate_tui import paths
from appreciate_tui.cli import main
from appreciate_tui.demo import DEMO_CONVERSATION_ID
from appreciate_tui.store import Store, share_queue
from appreciate_tui.store.share_queue import MAX_BYTES, SET_ASIDE
from tests.conftest import FrozenClock
from tests.helpers.demo_cli import demo_cli

ID = DEMO_CONVERSATION_ID[:8]
posix_modes = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX's")


@pytest.fixture
def run(db_path: Path, frozen_clock: FrozenClock, utc: None):
    return demo_cli(db_path)


@pytest.fixture
def app_open(db_path: Path, run) -> Iterator[Store]:
    """Another appreciate (the app) holding the writer lock while the test runs."""
    with Store.open(db_path) as holder:
        yield holder


def queue_files(db_path: Path) -> list[Path]:
    where = paths.pending_shares_dir(db_path)
    return sorted(p for p in where.iterdir() if p.name != SET_ASIDE) if where.exists() else []


def recorded(db_path: Path) -> list:
    with Store.open(db_path, read_only=True) as store:
        return store.list_shares()


EXPORTS = [
    ["md", "-o", "{tmp}/learning.md", "--recipient", "Partnership board", "--purpose", "review"],
    ["html", "--redact"],
    ["docx", "-o", "{tmp}/report.docx"],
    ["csv", "--what", "notes"],
    ["json"],
    ["json", "--redact", "-o", "{tmp}/redacted.json"],
    ["questions", "--questions-format", "txt", "--recipient", "Police"],
    ["questions", "--questions-format", "html", "-o", "{tmp}/sheet.html"],
]


def test_every_format_exports_while_the_app_is_open(
    run, db_path: Path, tmp_path: Path, app_open: Store
) -> None:
    for args in EXPORTS:
        result = run("export", ID, "--format", *[a.format(tmp=tmp_path) for a in args])
        assert "records this share in a few seconds" in result.stderr, args
    from tests.trust.helpers import passphrase_fd

    run("export", ID, "--format", "json", "--encrypt", "--passphrase-fd",
        str(passphrase_fd("a passphrase long enough for the test")))
    queued = queue_files(db_path)
    assert len(queued) == len(EXPORTS) + 1
    assert app_open.list_shares() == []  # nothing written behind the writer's back
    if os.name == "posix":
        assert paths.pending_shares_dir(db_path).stat().st_mode & 0o777 == 0o700
        assert {q.stat().st_mode & 0o777 for q in queued} == {0o600}
        for name in ("learning.md", "report.docx", "sheet.html"):
            assert (tmp_path / name).stat().st_mode & 0o777 == 0o600

    # `appreciate shares` (read-only) lists them as pending meanwhile.
    shown = run("shares", ID).output
    assert shown.splitlines()[0].endswith(": 9 shares pending, newest first.")
    assert shown.count("(pending: not recorded yet)") == 9
    listed = json.loads(run("shares", "--json").output)
    assert {s["pending"] for s in listed} == {True}
    assert {s["recipient"] for s in listed} == {"", "Partnership board", "Police"}

    # The app takes them in (what its timer calls), each with the id it was queued with.
    taken = share_queue.take_in(app_open)
    assert (taken.set_aside, taken.problem) == ([], None)
    assert {s.id for s in taken.recorded} == {s["id"] for s in listed}
    assert queue_files(db_path) == []
    formats = sorted(s.format for s in app_open.list_shares())
    assert formats == sorted(["md", "html", "docx", "csv-notes", "json",
                              "json", "questions-txt", "questions-html", "json-encrypted"])
    board = next(s for s in app_open.list_shares() if s.recipient == "Partnership board")
    assert (board.purpose, board.path) == ("review", str(tmp_path / "learning.md"))
    assert {s["pending"] for s in json.loads(run("shares", "--json").output)} == {False}


def test_a_full_bundle_remembers_its_rows_when_taken_in(run, db_path: Path) -> None:
    """As when recorded directly: a bundle's rows are known here if they come back unchanged."""
    def versions(path: Path) -> set[tuple[str, str, str]]:
        with Store.open(path, read_only=True) as store:
            return set(store.db.execute("SELECT * FROM row_versions").fetchall())

    direct = db_path.with_name("direct.db")
    shutil.copy(db_path, direct)
    done = CliRunner().invoke(main, ["--db", str(direct), "export", ID, "--format", "json"])
    assert done.exit_code == 0, done.output
    with Store.open(db_path):
        run("export", ID, "--format", "json")
    Store.open(db_path).close()  # the next writable open takes it in
    assert queue_files(db_path) == []
    ours, theirs = versions(db_path), versions(direct)
    assert len(ours) == len(theirs) > 50
    rows = {v[:2] for v in ours if v[0] != "shares"}
    assert rows == {v[:2] for v in theirs if v[0] != "shares"}
    (share,) = recorded(db_path)
    assert {v[:2] for v in ours if v[0] == "shares"} == {("shares", share.id)}


def test_taken_in_at_the_next_writable_open_and_only_once(run, db_path: Path) -> None:
    with Store.open(db_path):
        run("export", ID, "--format", "md")
    (queued,) = queue_files(db_path)
    kept = queued.read_bytes()
    run("list")  # reading takes nothing in
    assert queue_files(db_path) == [queued] and recorded(db_path) == []
    run("new", "--bank", "mash-strategy-meetings", "--title", "Another meeting")  # it writes
    assert queue_files(db_path) == [] and len(recorded(db_path)) == 1
    # A crash between recording and removing the file: taken in again, recorded once.
    queued.write_bytes(kept)
    with Store.open(db_path) as store:
        assert share_queue.take_in(store).recorded == []
        assert len(store.list_shares()) == 1
    assert queue_files(db_path) == []


def test_a_database_open_elsewhere_still_records_every_export(run, db_path: Path) -> None:
    with Store.open(db_path) as app:
        printed = run("export", ID, "--format", "md")
        assert printed.stdout.startswith("# ")
        assert share_queue.take_in(app).recorded[0].format == "md"


def hostile(db_path: Path, name: str, content: object) -> Path:
    where = paths.ensure_private_dir(paths.pending_shares_dir(db_path))
    data = content if isinstance(content, bytes) else json.dumps(content).encode()
    (where / name).write_bytes(data)
    return where / name


def good(share_id: str | None = None, **changes: object) -> dict:
    share_id = share_id or str(uuid.uuid4())
    return {
        "kind": "appreciate-pending-share", "version": 1, "id": share_id,
        "conversation_id": DEMO_CONVERSATION_ID, "format": "md", "redacted": False,
        "recipient": "Board", "purpose": "", "created_at": "2026-03-12T09:30:00+00:00",
        "path": None, "versions": {}, **changes,
    }


def named(document: dict) -> str:
    return f"{document['id']}.json"


def test_hostile_queue_files_are_set_aside_and_the_good_ones_recorded(
    run, db_path: Path
) -> None:
    app = Store.open(db_path)  # the app, open while the queue fills
    other = app.create_conversation("Another meeting").id
    app.record_share(other, "md")
    taken_id = app.list_shares()[0].id
    cases = {
        "not JSON": b"{not json",
        "not UTF-8": b"\xff\xfe\x00",
        "wrong kind": {"hello": 1},
        "wrong type": good(redacted="yes"),
        "number for text": good(recipient=12),
        "huge text": good(recipient="x" * 5000),
        "unknown format": good(format="exe"),
        "no time zone": good(created_at="2026-03-12T09:30:00"),
        "not a time": good(created_at="yesterday"),
        "nested deep": b"[" * 100_000 + b"]" * 100_000,
        "id collides with another conversation's share": good(taken_id),
        "conversation not here": good(conversation_id=str(uuid.uuid4())),
        "versions of a redacted export": good(format="json", redacted=True,
                                               versions={"notes": [["x", "0" * 32]]}),
        "versions of an unknown table": good(format="json", versions={"sqlite_master": []}),
        "future version": good(version=99),
        "traversal in the id": good("../../etc/passwd"),
    }
    files = {}
    for why, content in cases.items():
        document = content if isinstance(content, dict) and "id" in content else None
        name = named(document) if document and "/" not in document["id"] else f"{uuid.uuid4()}.json"
        files[why] = hostile(db_path, name, content)
    # Names no system allows in a path cannot arrive; one that is not a share id can.
    evil = "evil \x1b]2;PWNED\x07.json" if os.name == "posix" else "evil name.json"
    files["not our name"] = hostile(db_path, evil, good())
    files["id not its name"] = hostile(db_path, f"{uuid.uuid4()}.json", good())
    os.mkdir(paths.pending_shares_dir(db_path) / f"{uuid.uuid4()}.json")  # a folder
    huge = paths.pending_shares_dir(db_path) / f"{uuid.uuid4()}.json"
    with huge.open("wb") as file:
        file.truncate(MAX_BYTES + 1)
    link = good()
    try:
        os.symlink(hostile(db_path, "target.txt.json", link), paths.pending_shares_dir(db_path)
                   / named(link))
    except OSError:  # Windows without the right to make links: nobody else can either
        pass
    fine = good(recipient="Police \x1b[31m\u202eevil")
    hostile(db_path, named(fine), fine)

    with app:
        taken = share_queue.take_in(app, limit=1000)
        assert [s.id for s in taken.recorded] == [fine["id"]]
        assert app.list_shares(DEMO_CONVERSATION_ID)[0].recipient.startswith("Police")
        assert "\x1b" not in app.list_shares(DEMO_CONVERSATION_ID)[0].recipient
        assert taken.problem is None
    assert queue_files(db_path) == []
    aside = share_queue.set_aside_notes(db_path)
    assert len(aside) == len(taken.set_aside) >= len(cases) + 3
    reasons = " | ".join(why for _, why in aside)
    for said in ("not JSON", "not UTF-8", "'redacted' is not true or false", "'recipient' is not text",
                 "longer than 2000", "not a plain file", "larger than 8 MB",
                 "its conversation is not in this database", "already another share's",
                 "another version of appreciate", "name is not one appreciate gives",
                 "not the one in its name", "only a full bundle"):
        assert said in reasons, said
    for path, _ in aside:
        assert path.parent == paths.pending_shares_dir(db_path) / SET_ASIDE
        if os.name == "posix" and path.is_file() and not path.is_symlink():
            assert path.stat().st_mode & 0o077 == 0, "set aside, and private"
    # `appreciate shares` names each one set aside, safely.
    told = run("shares").stderr
    assert told.count("set aside, not recorded") == len(aside) and "\x1b" not in told
    with Store.open(db_path) as store:  # set aside once: not again at every open
        assert share_queue.take_in(store).set_aside == []


def test_a_share_of_a_conversation_erased_since_is_dropped(run, db_path: Path) -> None:
    """The erasure is the newer wish: the queued share (who it went to, why) is not kept."""
    with Store.open(db_path) as store:
        other = store.create_conversation("To be erased").id
        store.erase_conversation(other)
        document = good(conversation_id=other, recipient="Someone erased")
        hostile(db_path, named(document), document)
        taken = share_queue.take_in(store)
        assert taken.recorded == [] and taken.set_aside == [] and len(taken.dropped) == 1
        assert store.list_shares() == []
    assert queue_files(db_path) == [] and share_queue.set_aside_notes(db_path) == []


def test_an_encrypted_database_refuses_to_queue(db_path: Path, utc: None) -> None:
    from tests.trust.helpers import passphrase_fd

    secret = "a passphrase long enough for the test"
    runner = CliRunner()
    made = runner.invoke(main, ["--db", str(db_path), "--passphrase-fd",
                                str(passphrase_fd(secret)), "demo"])
    assert made.exit_code == 0, made.output
    with Store.open(db_path, passphrase=secret):
        result = runner.invoke(main, ["--db", str(db_path), "--passphrase-fd",
                                      str(passphrase_fd(secret)), "export", ID, "--format", "md"])
    assert result.exit_code == 1 and result.stdout == ""
    assert "encrypted" in result.stderr and "x on the conversation's review screen" in result.stderr
    assert not paths.pending_shares_dir(db_path).exists()


def test_a_redaction_term_cannot_be_added_while_the_app_is_open(
    run, db_path: Path, app_open: Store
) -> None:
    result = run("export", ID, "--format", "md", "--redact-term", "Acacia", ok=False)
    assert result.exit_code == 1 and result.stdout == ""
    assert "--redact-term" in result.stderr and "nothing was exported" in result.stderr
    assert queue_files(db_path) == []


def test_a_full_disk_while_queueing_leaves_no_report(
    run, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, app_open: Store
) -> None:
    write = paths.write_private

    def full(path, data, **kwargs):
        if paths.pending_shares_dir(db_path).name in str(path):
            raise OSError(errno.ENOSPC, "No space left on device")
        return write(path, data, **kwargs)

    monkeypatch.setattr(paths, "write_private", full)
    target = tmp_path / "report.html"
    result = run("export", ID, "--format", "html", "-o", str(target), ok=False)
    assert result.exit_code == 1
    assert "could not be queued (No space left on device)" in result.stderr
    assert f"{target} was removed" in result.stderr and "Wrote" not in result.stdout
    assert not target.exists() and queue_files(db_path) == []
    printed = run("export", ID, "--format", "md", ok=False)
    assert printed.exit_code == 1 and printed.stdout == ""  # nothing printed unrecorded
    assert "nothing was exported" in printed.stderr


@pytest.mark.posix("os._exit from a child process")
def test_a_crash_between_the_report_and_the_queue(db_path: Path, tmp_path: Path, run) -> None:
    """The report is written first, then its record queued: killed in between, the report is
    there, complete (written whole or not at all) and nothing records it; the command never said
    "Wrote". The facilitator sees no share listed and runs the export again (--force)."""
    target = tmp_path / "report.md"
    child = (
        "import os, sys\n"
        "from appreciate_tui.store import share_queue\n"
        "share_queue.enqueue = lambda *a, **k: os._exit(9)\n"
        "from appreciate_tui.cli import main\n"
        f"main(['--db', {str(db_path)!r}, 'export', {ID!r}, '--format', 'md', '-o', "
        f"{str(target)!r}])\n"
    )
    with Store.open(db_path):
        done = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True,
                              timeout=60)
    assert done.returncode == 9 and "Wrote" not in done.stdout
    assert target.read_text(encoding="utf-8").startswith("# ")
    assert queue_files(db_path) == [] and recorded(db_path) == []
    assert "Nothing has been shared" in run("shares").output


def test_a_read_only_folder_exports_nothing(run, db_path: Path, monkeypatch) -> None:
    """Only another appreciate's lock is waited out by queueing: a file nobody can write to
    would never take the queue in."""
    original = Store.open

    def read_only_file(cls, path=None, **kwargs):
        store = original(path, **kwargs)
        store.read_only_reason = "the database file is read-only"
        return store

    monkeypatch.setattr(Store, "open", classmethod(read_only_file))
    result = run("export", ID, "--format", "md", ok=False)
    assert result.exit_code == 1 and "nothing was exported" in result.stderr
    assert not paths.pending_shares_dir(db_path).exists()


def test_nothing_is_written_to_a_damaged_file(run, db_path: Path) -> None:
    """The app's store found the file damaged (read-only since): the queue waits; and an export
    from a damaged file is refused before anything is queued."""
    with Store.open(db_path) as app:
        run("export", ID, "--format", "md")
        app.check_failure = "the database failed its check (test)"
        app.read_only_reason = "the database failed its integrity check"
        taken = share_queue.take_in(app)
        assert taken.recorded == [] and taken.problem and "nothing can be changed" in taken.problem
    assert len(queue_files(db_path)) == 1
    queue_files(db_path)[0].unlink()
    with Store.open(db_path):
        with db_path.open("r+b") as file:  # a page in the middle of the file, overwritten
            file.seek(4096 * 3)
            file.write(b"\xde\xad" * 2048)
        result = run("export", ID, "--format", "md", ok=False)
    assert result.exit_code == 1 and result.stdout == ""
    assert "it has not been changed" in result.stderr, result.stderr
    assert queue_files(db_path) == []
