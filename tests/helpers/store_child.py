"""A second process for the store's tests (not collected by pytest).

    store_child.py hold DB             open the store, print "ready <pid> <read_only>", wait forever
    store_child.py open DB             open the store, print "read_only=<bool>", the reason, and
                                       whether a write was refused with ReadOnlyError; then exit
    store_child.py writers DB CID QID  print "imported"; for each "go" line on stdin fork a writer
                                       that opens the store, prints "ready <pid>" and adds notes
                                       in a loop, printing "<note id> <sha256 of body>" only after
                                       each commit has returned; print "forked <pid>" and, once
                                       it is dead, "reaped <pid> <signal>" (-exit code if it exited)

Every line is flushed as soon as it is printed: the parent reads what arrived before it killed us.
"""

from __future__ import annotations

import hashlib
import os
import random
import sys
import time
import traceback

from appreciate_tui.domain import Stance
from appreciate_tui.store import ReadOnlyError, Store

WORDS = (
    "police health social care strategy meeting family child school chair threshold consent "
    "referral plan review agency voice worry strength 😀 👩‍👩‍👧 مرحبا שלום Zoë"
).split()


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def hold(db: str) -> None:
    store = Store.open(db)
    say(f"ready {os.getpid()} {store.read_only}")
    while True:
        time.sleep(60)


def open_second(db: str) -> None:
    store = Store.open(db)
    say(f"read_only={store.read_only}")
    say(f"reason={store.read_only_reason}")
    conversations = store.list_conversations()
    say(f"conversations={len(conversations)}")
    try:
        store.create_conversation("Should not be saved")
    except ReadOnlyError as exc:
        say(f"refused={exc}")
    else:
        say("refused=NO")
    store.close()


def write_notes(db: str, conversation_id: str, question_id: str) -> None:
    """Open the store and add notes until killed; each acknowledgement is one write() to the pipe
    (atomic for a line this short), made only after `add_note` (and so COMMIT) returned."""
    rng = random.Random()
    store = Store.open(db)
    if store.read_only:
        os.write(1, f"read-only {store.read_only_reason}\n".encode())
        return
    os.write(1, f"ready {os.getpid()}\n".encode())
    stances = list(Stance)
    while True:
        # Mostly short notes, now and then a long one that spans many pages.
        count = rng.choice((3, 8, 20, 40, 2_000 if rng.random() < 0.1 else 60))
        body = " ".join(rng.choice(WORDS) for _ in range(count))
        note = store.add_note(conversation_id, question_id, body, rng.choice(stances))
        os.write(1, f"{note.id} {hashlib.sha256(body.encode('utf-8')).hexdigest()}\n".encode())


def writers(db: str, conversation_id: str, question_id: str) -> None:
    """Import once, then fork a fresh writer process for each "go" line on stdin, report its pid,
    wait for it to die (the parent kills it) and report how it ended. Forking skips the ~0.3 s
    of imports a new interpreter needs, so fifty kills stay quick on a busy two-core machine."""
    say("imported")
    for line in sys.stdin:
        if line.strip() != "go":
            break
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                write_notes(db, conversation_id, question_id)
            except BaseException:
                traceback.print_exc()
                code = 1
            finally:
                os._exit(code)
        say(f"forked {pid}")
        _, status = os.waitpid(pid, 0)
        say(f"reaped {pid} {os.WTERMSIG(status) if os.WIFSIGNALED(status) else -os.WEXITSTATUS(status)}")


if __name__ == "__main__":
    mode, *args = sys.argv[1:]
    {"hold": hold, "open": open_second, "writers": writers}[mode](*args)
