"""Faults injected into a child process, reported as one JSON line (not collected by pytest).

    fault_child.py full DIR     DIR is a small filesystem (a tmpfs the parent mounted, in a mount
                                namespace of its own): fill it, type notes until one cannot be
                                saved, free the space, retry; then the command line on a full disk
    fault_child.py fsize DIR    the same with a file-size limit (RLIMIT_FSIZE, as `ulimit -f`):
                                writes fail with EFBIG, which SQLite reports as a disk I/O error
    fault_child.py pages DIR    the same with PRAGMA max_page_count (no root, no tmpfs needed)
    fault_child.py readonly DB  open DB (as whoever runs this) and report how it opened

What "typed" means here: each note body is what a facilitator typed; it is "kept" while the caller
holds it (the screen keeps what could not be saved) and "saved" once it is in the database.
Characters lost = typed - (saved + still held), which must be 0.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import sys
from pathlib import Path

from appreciate_tui.domain import Phase
from appreciate_tui.store import ReadOnlyError, SaveError, Store, StoreError

WORDS = ("police health school chronology strategy family plan consent referral worry "
         "strength voice 😀 Zoë مرحبا שלום 👩‍👩‍👧").split()


def body(rng: random.Random, n: int) -> str:
    return f"note {n}: " + " ".join(rng.choice(WORDS) + str(rng.randrange(10**6)) for _ in range(300))


def say(report: dict) -> None:
    sys.stdout.write(json.dumps(report) + "\n")
    sys.stdout.flush()


def fill(folder: Path, leave: int) -> Path:
    """Fill the filesystem, then free `leave` bytes."""
    filler = folder / "filler"
    with open(filler, "wb") as out:
        chunk = b"\0" * 65536
        try:
            while True:
                out.write(chunk)
                out.flush()
        except OSError:
            pass
    size = filler.stat().st_size
    os.truncate(filler, max(0, size - leave))
    return filler


def exercise(db: Path, *, make_full, make_room) -> dict:
    """Type notes until the disk refuses one; keep it; make room; save it; check everything."""
    rng = random.Random(7)
    store = Store.open(db)
    conversation = store.create_conversation("Disk full drill")
    question = store.add_question(conversation.id, "What went well?", Phase.DISCOVER)
    saved: dict[str, str] = {}
    typed_chars = 0
    for n in range(3):
        text = body(rng, n)
        typed_chars += len(text)
        saved[store.add_note(conversation.id, question.id, text).id] = text
    make_full(store)
    held: list[str] = []  # what the screen keeps when a save fails
    error = ""
    n = 3
    for n in range(3, 400):
        text = body(rng, n)
        typed_chars += len(text)
        try:
            saved[store.add_note(conversation.id, question.id, text).id] = text
        except SaveError as exc:
            held.append(text)
            error = str(exc)
            break
    failed_at = n
    # A second try while still full fails the same way and changes nothing.
    try:
        store.add_note(conversation.id, question.id, held[0])
        second_try_failed = False
    except SaveError:
        second_try_failed = True
    while_full = {
        "in_transaction": store.db.conn.in_transaction,
        "quick_check": store.check().quick_check,
        "notes": len(store.list_notes(conversation.id)),
    }
    make_room(store)
    for text in list(held):  # the autosave retries by itself once there is room
        saved[store.add_note(conversation.id, question.id, text).id] = text
        held.remove(text)
    store.close()

    reopened = Store.open(db)
    try:
        stored = {n.id: n.body for n in reopened.list_notes(conversation.id)}
        report = reopened.check()
        reopened.db.execute("INSERT INTO notes_fts(notes_fts) VALUES ('integrity-check')")
        found_by_search = len(reopened.search("note"))
    finally:
        reopened.close()
    saved_chars = sum(len(stored.get(i, "")) for i in saved)
    return {
        "error": error,
        "failed_at": failed_at,
        "second_try_failed": second_try_failed,
        "while_full": while_full,
        "acknowledged": len(saved),
        "all_acknowledged_stored_exactly": all(stored.get(i) == t for i, t in saved.items()),
        "extra_rows": len(set(stored) - set(saved)),
        "typed_chars": typed_chars,
        "saved_chars": saved_chars,
        "held_chars": sum(len(t) for t in held),
        "lost_chars": typed_chars - saved_chars - sum(len(t) for t in held),
        "quick_check": report.quick_check,
        "checksums_ok": report.ok,
        "search_works": found_by_search > 0,
        "digest": hashlib.sha256("".join(sorted(stored.values())).encode()).hexdigest()[:12],
    }


def full(folder: Path) -> None:
    db = folder / "appreciate.db"
    state: dict[str, Path] = {}

    def make_full(store: Store) -> None:
        state["filler"] = fill(folder, leave=24 * 1024)

    def make_room(store: Store) -> None:
        state["filler"].unlink()

    report = exercise(db, make_full=make_full, make_room=make_room)
    # The command line on a full disk: one line saying so, and the database as it was.
    from click.testing import CliRunner

    from appreciate_tui.cli import main

    filler = fill(folder, leave=0)
    result = CliRunner().invoke(main, ["--db", str(db), "demo"])
    filler.unlink()
    with Store.open(db) as store:
        report["cli"] = {
            "exit_code": result.exit_code,
            "output": result.output,
            "quick_check_after": store.check().quick_check,
            "conversations_after": [c.title for c in store.list_conversations()],
        }
    say(report)


def fsize(folder: Path) -> None:
    import resource  # POSIX only: the other faults run on Windows too

    db = folder / "appreciate.db"
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)

    def make_full(store: Store) -> None:
        sizes = [p.stat().st_size for p in folder.iterdir() if p.is_file()]
        resource.setrlimit(resource.RLIMIT_FSIZE, (max(sizes) + 48 * 1024, hard))

    def make_room(store: Store) -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))

    say(exercise(db, make_full=make_full, make_room=make_room))


def pages(folder: Path) -> None:
    db = folder / "appreciate.db"

    def make_full(store: Store) -> None:
        count = store.db.execute("PRAGMA page_count").fetchone()[0]
        store.db.execute(f"PRAGMA max_page_count = {count + 8}")

    def make_room(store: Store) -> None:
        store.db.execute("PRAGMA max_page_count = 1073741823")

    say(exercise(db, make_full=make_full, make_room=make_room))


def readonly(db: str) -> None:
    try:
        store = Store.open(db)
    except StoreError as exc:
        say({"opened": False, "error": str(exc)})
        return
    report = {
        "opened": True,
        "read_only": store.read_only,
        "reason": store.read_only_reason,
        "conversations": [c.title for c in store.list_conversations()],
        "notes": sum(store.note_counts().values()),
    }
    try:
        store.create_conversation("Should not be saved")
        report["refused"] = None
    except ReadOnlyError as exc:
        report["refused"] = str(exc)
    store.close()
    report["files"] = sorted(p.name for p in Path(db).parent.iterdir())
    say(report)


if __name__ == "__main__":
    mode, target = sys.argv[1], Path(sys.argv[2])
    {"full": full, "fsize": fsize, "pages": pages, "readonly": readonly}[mode](
        str(target) if mode == "readonly" else target
    )
