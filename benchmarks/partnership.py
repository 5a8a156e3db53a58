"""Partnership scale: merging many laptops' bundles, and insights over the large database.

    python benchmarks/partnership.py [--bundles 200] [--notes 200] [--repeat 5]

1. `appreciate import` of 200 bundles of 200 notes each (40,000 notes, each bundle a conversation
   with its participants, questions, actions and feedback) into a new database: the whole run, a
   real process, checking and merging in one transaction. Target: <= 10 s. Importing them all
   again (nothing changes) is timed too.
2. Insights over the large database (benchmarks/generate.py: 1,000 conversations, 200,000 notes):
   `insights.compute` on an open store, median of `--repeat`; and the whole
   `appreciate insights --json` process. Target: <= 1 s for the computation.

Prints figures; exits 0 whatever they are (measurements, not tests).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import _common
from _common import PYTHON, ROOT, Result, print_table

PHRASES = [
    "the chair asked every agency in turn", "health had the invitation late",
    "the chronology was shared before the meeting", "education joined at short notice",
    "the police log was not shared", "the child's voice was heard", "minutes went out next day",
    "we relied on the police view alone", "a duty nurse joined within the hour",
    "consent was not recorded", "the threshold was applied consistently", "#handover was slow",
]


def _template(folder: Path, notes: int) -> dict:
    """One conversation made through the Store, as bundle rows, to clone."""
    from appreciate_tui.store import Store

    rng = random.Random(7)
    with Store.open(folder / "template.db") as store:
        conversation = store.create_conversation("Template", "Is it working?", status="closed")
        cid = conversation.id
        people = [store.add_participant(cid, agency, attended=True)
                  for agency in ("Children's social care", "Health", "Police", "Education")]
        questions = [store.add_question(cid, f"Question {n}?", phase)
                     for n, phase in enumerate(("discover", "discover", "dream", "design",
                                                "deliver", "define", "dream", "design"))]
        with store.atomic():
            for n in range(notes):
                who = rng.choice(people)
                store.add_note(cid, rng.choice(questions).id, f"note {n}", rng.choice(
                    ("strength", "concern", "dream", "idea", "quote")), agency=who.agency,
                    participant_id=who.id)
            store.add_action(cid, "Set up a rota", owner="Health 1", due="2026-04-30")
            store.add_action(cid, "Share the guide", owner="Police")
            store.add_feedback(cid, participant_id=people[0].id, rating=5,
                               useful_question_ids=[questions[0].id])
        return {"cid": cid, "tables": store.conversation_rows(cid)}


def _clone(template: dict, index: int, rng: random.Random) -> dict:
    from appreciate_tui.exchange.bundle import FORMAT, VERSION
    from appreciate_tui.store.rows import body_digest

    ids: dict[str, str] = {}

    def new(old: str | None) -> str | None:
        if old is None:
            return None
        return ids.setdefault(old, str(uuid.UUID(int=rng.getrandbits(128), version=4)))

    tables = {}
    for table, rows in template["tables"].items():
        cloned = []
        for row in rows:
            row = dict(row)
            for column in ("id", "conversation_id", "question_id", "participant_id", "parent_id",
                           "note_id", "current_question_id"):
                if column in row:
                    row[column] = new(row[column])
            if table == "conversations":
                row["title"] = f"Conversation {index}"
                row["date"] = f"2025-{index % 12 + 1:02d}-{index % 28 + 1:02d}"
            if table == "notes":
                row["body"] = f"{rng.choice(PHRASES).capitalize()}; {rng.choice(PHRASES)}."
                row["sha256"] = body_digest(row["body"])
            if table == "feedback":
                row["useful_question_ids"] = json.dumps(
                    [new(q) for q in json.loads(row["useful_question_ids"])])
            cloned.append(row)
        tables[table] = cloned
    return {"format": FORMAT, "version": VERSION, "app_version": "bench",
            "exported_at": "2026-03-01T09:00:00+00:00", "redacted": False,
            "conversation_id": new(template["cid"]), "tables": tables}


def _run(*args: str) -> tuple[float, float, subprocess.CompletedProcess]:
    """Wall-clock and CPU seconds (user + system) of one `appreciate` process. On a busy machine
    the wall clock grows with the load; the CPU time says what the work itself cost."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([PYTHON, "-m", "appreciate_tui", *args], capture_output=True, text=True,
                          cwd=ROOT)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done


def bench_import(bundles: int, notes: int) -> list[Result]:
    from appreciate_tui.exchange.bundle import dumps

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        template = _template(folder, notes)
        rng = random.Random(2026)
        files = []
        for index in range(bundles):
            path = folder / f"bundle-{index:03d}.json"
            path.write_text(dumps(_clone(template, index, rng)), encoding="utf-8")
            files.append(str(path))
        target = folder / "partnership.db"
        seconds, cpu, done = _run("--db", str(target), "import", *files)
        if done.returncode != 0:
            raise SystemExit(done.stderr)
        again, _, repeat = _run("--db", str(target), "import", *files)
        unchanged = "0 rows added" in repeat.stdout.splitlines()[-1]
        total_notes = bundles * notes
    print(f"import: {bundles} bundles, {total_notes:,} notes into a new database: {seconds:.2f} s "
          f"(whole process; {cpu:.2f} s of CPU, load {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} cores); again, nothing new: {again:.2f} s")
    return [
        Result("partnership", f"import {bundles} bundles x {notes} notes",
               f"{seconds:.2f} s ({cpu:.2f} s CPU)", "<= 10 s", seconds <= 10),
        Result("partnership", "import them all again (no-op)", f"{again:.2f} s", "unchanged",
               unchanged),
    ]


def bench_insights(repeat: int) -> list[Result]:
    from appreciate_tui.insights import compute as insights
    from appreciate_tui.insights.outcomes import load_outcomes
    from appreciate_tui.store import Store

    path, manifest = _common.large_db()
    areas = load_outcomes()
    with Store.open(path, read_only=True) as store:
        insights.compute(store, areas=areas)  # warm the page cache, as a second look would be
        times, cpu = [], []
        for _ in range(repeat):
            started, started_cpu = time.perf_counter(), time.process_time()
            found = insights.compute(store, areas=areas)
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        since = []
        for _ in range(repeat):
            started = time.perf_counter()
            insights.compute(store, since="2025-01-01", areas=areas)
            since.append(time.perf_counter() - started)
    process, _, done = _run("--db", str(path), "insights", "--json")
    median, worst = statistics.median(times), max(times)
    print(f"insights over {found.conversations:,} conversations and {found.notes:,} notes: "
          f"median {median * 1000:.0f} ms ({statistics.median(cpu) * 1000:.0f} ms CPU), worst "
          f"{worst * 1000:.0f} ms; load {os.getloadavg()[0]:.1f}; since 2025-01-01 "
          f"(words counted from the notes): median {statistics.median(since) * 1000:.0f} ms; "
          f"`appreciate insights --json` process: {process:.2f} s")
    return [
        Result("partnership", f"insights, {manifest['counts']['notes']:,} notes",
               f"{median * 1000:.0f} ms ({statistics.median(cpu) * 1000:.0f} ms CPU)", "<= 1 s",
               median <= 1.0),
        Result("partnership", "insights --since 2025-01-01",
               f"{statistics.median(since) * 1000:.0f} ms", "<= 1 s",
               statistics.median(since) <= 1.0),
        Result("partnership", "`appreciate insights --json` process", f"{process:.2f} s", "",
               None if done.returncode == 0 else False),
    ]


def run(bundles: int = 200, notes: int = 200, repeat: int = 5) -> list[Result]:
    return bench_import(bundles, notes) + bench_insights(repeat)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bundles", type=int, default=200)
    parser.add_argument("--notes", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print_table(run(args.bundles, args.notes, args.repeat))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
