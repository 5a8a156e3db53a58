"""How long `appreciate export` takes, as a person waits for it: the whole process, start to end.

    python benchmarks/export.py [--runs N]

Builds a 500-note conversation through the Store (the way the app writes one: eight prepared
questions across the five phases, follow-ups, twelve participants, actions and feedback) in a
temporary database, then times `python -m appreciate_tui export ID --format FMT -o FILE` for md,
html, docx and json. The target is 0.5 s each. Two references are timed alongside: the bare
interpreter, and `appreciate list` (the same start-up with no export), so the figures can be read
on a slow or a fast machine, and the part that is the export itself can be seen.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from appreciate_tui.domain import ActionStatus, Phase, Stance  # noqa: E402
from appreciate_tui.store import Store  # noqa: E402

NOTES = 500
FORMATS = ("md", "html", "docx", "json")
TARGET_SECONDS = 0.5
AGENCIES = ("Children's social care", "Health", "Police", "Education")
PHRASES = (
    "information was shared before the meeting started",
    "the chair went round every agency in turn",
    "health could not attend at short notice",
    "the decision on a joint visit was quick and clear",
    "minutes went out days later and actions drifted",
    "the child's lived experience was the first item",
    "a written contribution was read out by the chair",
    "police checks were complete, including previous call-outs",
    "education knew the family well and said so",
    "everyone left with the same record of what happens next",
)


def build(store: Store, rng: random.Random) -> str:
    """A closed conversation with NOTES notes, written through the Store one row at a time."""
    conversation = store.create_conversation(
        "Benchmark: MASH strategy meetings",
        "Is multi-agency working effective within MASH strategy meetings?",
        setting="MASH",
        facilitator="Practice lead",
        date="2026-02-26",
        opening="Thank you for coming. We start from what works.",
    )
    cid = conversation.id
    store.start_conversation(cid)
    people = [
        store.add_participant(cid, agency, role="Practitioner", attended=index % 6 != 5)
        for index, agency in enumerate(AGENCIES * 3)
    ]
    phases = (
        Phase.DEFINE,
        Phase.DISCOVER,
        Phase.DISCOVER,
        Phase.DREAM,
        Phase.DESIGN,
        Phase.DESIGN,
        Phase.DELIVER,
        Phase.DELIVER,
    )
    questions = [
        store.add_question(cid, f"Prepared question {n + 1} about strategy meetings?", phase)
        for n, phase in enumerate(phases)
    ]
    questions += [
        store.add_follow_up(cid, questions[n].id, f"Follow-up on question {n + 1}?")
        for n in (1, 4, 6)
    ]
    stances = list(Stance)
    with store.atomic():
        for n in range(NOTES):
            speaker = rng.choice(people)
            note = store.add_note(
                cid,
                rng.choice(questions).id,
                f"{rng.choice(PHRASES).capitalize()}; {rng.choice(PHRASES)} (note {n + 1}).",
                rng.choice(stances),
                agency=speaker.agency,
                participant_id=speaker.id,
            )
            if n % 25 == 0:
                store.update_note(note.id, starred=True)
            if n % 50 == 0:
                store.add_action(
                    cid,
                    f"Action from note {n + 1}",
                    owner=speaker.agency,
                    due="2026-04-30",
                    note_id=note.id,
                    status=ActionStatus.OPEN,
                )
        for person in people[:8]:
            store.add_feedback(
                cid, participant_id=person.id, rating=rng.randint(3, 5), comments="Useful."
            )
    store.update_conversation(
        cid, key_learning="Strategy meetings work when information is shared first."
    )
    store.close_conversation(cid)
    return cid


def run_once(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock and CPU (user + system) seconds of one whole process. On a busy machine the wall
    clock includes waiting for a core; the CPU time does not."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=9, help="rounds (each runs every command once)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="appreciate-bench-") as folder:
        db = Path(folder) / "bench.db"
        with Store.open(db) as store:
            cid = build(store, random.Random(20260226))
        env = {**os.environ, "APPRECIATE_DB": str(db), "PYTHONPATH": str(ROOT)}
        app = [sys.executable, "-m", "appreciate_tui"]
        commands = {
            "floor (python -c pass)": [sys.executable, "-c", "pass"],
            "appreciate list": [*app, "list"],
        }
        for fmt in FORMATS:
            out = str(Path(folder) / f"out.{fmt}")
            commands[fmt] = [*app, "export", cid, "--format", fmt, "-o", out, "--force"]
        # Rounds, not one command after another: a burst of load from elsewhere then falls on
        # every command alike.
        samples: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, command in commands.items():
                samples[name].append(run_once(command, env))

        print(f"whole process, {NOTES}-note conversation, {args.runs} rounds")
        print(f"{'':<24} {'median':>8} {'best':>8} {'cpu':>8}")
        worst = 0.0
        for name, runs in samples.items():
            walls = [wall for wall, _ in runs]
            median, best = statistics.median(walls), min(walls)
            cpu = statistics.median(c for _, c in runs)
            line = f"{name:<24} {median:7.3f}s {best:7.3f}s {cpu:7.3f}s"
            if name in FORMATS:
                worst = max(worst, median)
                size = (Path(folder) / f"out.{name}").stat().st_size / 1024
                line += f"  {size:6.1f} KiB  {'ok' if median <= TARGET_SECONDS else 'OVER'}"
            print(line)
        met = "met" if worst <= TARGET_SECONDS else "NOT met"
        print(f"target ≤ {TARGET_SECONDS} s (median) each: {met}")
        print(f"load average afterwards: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
