"""Crash safety of the store's own layer (reliability.md sections 1.3 and 1.8, AC-DUR-2).

A writer process adds notes in a loop and acknowledges each one (id and SHA-256 of the body) only
after `add_note` returned, that is after COMMIT. The test kills it with SIGKILL at a random moment,
50 times over one database; after every kill the database must pass quick_check, every
acknowledged note must be there with exactly the body that was acknowledged, and no note may be
torn (its stored checksum must match its body).

The writers are forked by one helper process that has already imported the app (see
tests/helpers/store_child.py), so each is a separate process with its own connection and lock,
without paying for a fresh interpreter fifty times.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from appreciate_tui.domain import Phase
from appreciate_tui.store import Store

REPO = Path(__file__).resolve().parent.parent
CHILD = Path(__file__).resolve().parent / "helpers" / "store_child.py"
KILLS = 50

pytestmark = pytest.mark.posix("os.fork and SIGKILL")


class Writers:
    """The helper that forks writers; reads its output line by line."""

    def __init__(self, db_path: Path, conversation_id: str, question_id: str) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
        self.proc = subprocess.Popen(
            [sys.executable, str(CHILD), "writers", str(db_path), conversation_id, question_id],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        assert self.line() == "imported"

    def line(self) -> str:
        raw = self.proc.stdout.readline()
        if not raw.endswith(b"\n"):
            self.proc.kill()
            raise AssertionError(f"the writer helper stopped: {self.proc.stderr.read().decode()}")
        return raw.decode().rstrip("\n")

    def go(self) -> None:
        self.proc.stdin.write(b"go\n")
        self.proc.stdin.flush()

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=10)
        self.proc.stdout.close()
        self.proc.stderr.close()


def is_ack(line: str) -> bool:
    parts = line.split()
    return len(parts) == 2 and len(parts[1]) == 64


def test_sigkill_at_random_moments_never_loses_an_acknowledged_note(db_path: Path) -> None:
    seed = int.from_bytes(os.urandom(4), "big")
    rng = random.Random(seed)
    with Store.open(db_path) as store:
        conversation = store.create_conversation("Killed at random")
        question = store.add_question(conversation.id, "What went well?", Phase.DISCOVER)

    acked: dict[str, str] = {}
    rounds_with_acks = 0
    killed_while_opening = 0
    started = time.monotonic()
    writers = Writers(db_path, conversation.id, question.id)
    try:
        for round_no in range(KILLS):
            context = f"seed {seed}, kill {round_no + 1}"
            writers.go()
            lines: list[str] = []
            while not (line := writers.line()).startswith("forked "):
                lines.append(line)  # the writer can be quicker to speak than the helper
            pid = int(line.split()[1])

            if rng.random() < 0.1:
                # Now and then while it is still opening the file (recovering the last WAL).
                time.sleep(rng.uniform(0, 0.02))
                killed_while_opening += 1
            else:
                while not any(line.startswith("ready") for line in lines):
                    lines.append(writers.line())
                # Let it get a few notes in (so a loaded machine still tests something), then
                # kill it a random time later: before, during or after a commit.
                wanted = rng.randint(0, 8)
                while sum(map(is_ack, lines)) < wanted:
                    lines.append(writers.line())
                time.sleep(rng.uniform(0.0, 0.03))
            os.kill(pid, signal.SIGKILL)
            while not (line := writers.line()).startswith(f"reaped {pid} "):
                lines.append(line)
            assert line == f"reaped {pid} {signal.SIGKILL.value}", f"{context}: {lines[-3:]} {line}"
            assert not any(line.startswith("read-only") for line in lines), f"{context}: {lines}"

            new = dict(line.split() for line in lines if is_ack(line))
            rounds_with_acks += bool(new)
            acked.update(new)

            with Store.open(db_path) as store:  # runs quick_check before anything else
                assert not store.read_only, f"{context}: the killed writer's lock outlived it"
                assert store.db.execute("PRAGMA quick_check").fetchall() == [("ok",)], context
                stored = {
                    row["id"]: row
                    for row in store.db.query(
                        "SELECT id, body, sha256 FROM notes WHERE conversation_id = ?",
                        [conversation.id],
                    )
                }
                missing = set(acked) - set(stored)
                assert not missing, f"{context}: {len(missing)} acknowledged notes lost"
                for note_id, body_hash in acked.items():
                    row = stored[note_id]
                    assert hashlib.sha256(row["body"].encode()).hexdigest() == body_hash, context
                    assert row["sha256"] == body_hash, context
                report = store.check()
                assert report.ok, f"{context}: torn notes {report.mismatches}"
    finally:
        writers.close()

    elapsed = time.monotonic() - started
    # The test only means something if the kills landed while notes were being written.
    assert len(acked) >= 100, (len(acked), seed)
    assert rounds_with_acks >= (KILLS - killed_while_opening) // 2, (rounds_with_acks, seed)
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        total = conn.execute("SELECT count(*) FROM notes").fetchone()[0]
    conn.close()
    assert total >= len(acked)
    print(
        f"\n{KILLS} kills in {elapsed:.1f}s: {len(acked)} acknowledged notes intact, "
        f"{total - len(acked)} committed but not yet acknowledged, seed {seed}"
    )
