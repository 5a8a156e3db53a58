"""How long work on one conversation takes, as a person waits for it: whole processes.

    python benchmarks/export.py [--scale 1k|10k] [--runs N]
    python benchmarks/export.py --synthetic [--runs N]

Default: on the working copies of the large databases (benchmarks/out/tui.db, and with
--scale 10k tui10k.db), the 500-note conversation is exported as md, html, docx and json
(`appreciate --db COPY export ID --format FMT -o FILE --force`) and printed (`appreciate show ID`),
each command on both scales one after the other (in turn first) for one warm-up round and --runs
counted rounds (default 5); medians, with the CPU time the processes used. Target: the same work
at 10k within 1.15x of the same at 1k (what concerns one conversation must not grow with the
file), judged on the median of each round's 10k/1k (`_common.paired_growth`).

--synthetic: the earlier measure, a 500-note conversation built through the Store in a temporary
database (eight prepared questions across the five phases, follow-ups, twelve participants,
actions and feedback), `python -m appreciate_tui export` for each format against the bare
interpreter and `appreciate list`. Target 0.5 s each.
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

BENCH = Path(__file__).resolve().parent
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import _common  # noqa: E402
from _common import Result  # noqa: E402

TARGET_GROWTH = 1.15

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
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def run(
    runs: int = 5, quiet: bool = False, scales: list[_common.Scale] | None = None
) -> list[Result]:
    """Export and show the 500-note conversation on each scale's working copy, interleaved."""
    from cli_startup import _env, cli_command

    cli = cli_command()
    if cli is None:
        print("export: skipped: the CLI is not present")
        return [Result("export", "export / show", "skipped: CLI not present")]
    scales = scales or _common.scales()
    copies = _common.working_copies(scales)
    env = _env()
    with tempfile.TemporaryDirectory(prefix="appreciate-bench-") as folder:
        commands: dict[tuple[str, str], list[str]] = {}
        for what in (*FORMATS, "show"):
            for scale, (db, big, _) in copies.items():
                if what == "show":
                    args = ["show", big]
                else:
                    out = str(Path(folder) / f"{scale}.{what}")
                    args = ["export", big, "--format", what, "-o", out, "--force"]
                commands[(what, scale)] = [*cli, "--db", str(db), *args]
        samples: dict[tuple[str, str], list[tuple[float, float]]] = {k: [] for k in commands}
        failed: dict[tuple[str, str], str] = {}
        # Rounds, not one command after another: a burst of load from elsewhere then falls on
        # every command and both scales alike. Each command runs at both scales one after the
        # other, in turn first and second.
        for n in range(runs + 1):
            for key, command in _common.taking_turns(list(commands.items()), n):
                if key in failed:
                    continue
                try:
                    got = run_once(command, env)
                except subprocess.CalledProcessError as exc:  # the others are still measured
                    failed[key] = f"exit {exc.returncode}: " + (exc.stderr or b"").decode(
                        errors="replace"
                    ).strip()[-200:]
                    print(f"  {key[0]} ({key[1]}) failed: {failed[key]}")
                    continue
                if n:
                    samples[key].append(got)
        sizes = {
            key: (Path(folder) / f"{key[1]}.{key[0]}").stat().st_size / 1024
            for key in commands
            if key[0] != "show" and key not in failed
        }
    wall = {k: statistics.median(w for w, _ in v) for k, v in samples.items() if v}
    cpu = {k: statistics.median(c for _, c in v) for k, v in samples.items() if v}
    failed_what = {what for what, _ in failed}
    both = "1k" in copies and "10k" in copies

    def each_round(what: str, scale: str) -> list[float]:
        return [w for w, _ in samples[(what, scale)]]

    growth = {
        what: _common.paired_growth(each_round(what, "1k"), each_round(what, "10k"))
        for what in (*FORMATS, "show")
        if both and what not in failed_what
    }
    if not quiet:
        print(
            f"export/show: the 500-note conversation, whole processes, {runs} interleaved rounds, "
            f"medians; {_common.load()}"
        )
        for what in (*FORMATS, "show"):
            if what in failed_what:
                continue
            line = f"  {what:<5}"
            for scale in copies:
                k = (what, scale)
                line += f"  {scale}: {wall[k]:.3f} s (cpu {cpu[k]:.3f} s"
                line += f", {sizes[k]:.0f} KiB)" if k in sizes else ")"
            if both:
                g = growth[what]
                of_medians = wall[(what, "10k")] / wall[(what, "1k")]
                c = cpu[(what, "10k")] / cpu[(what, "1k")] if cpu[(what, "1k")] else 0.0
                line += (
                    f"  10k/1k {g:.2f}x (of the medians {of_medians:.2f}x, cpu {c:.2f}x; "
                    f"{'met' if _common.within(g, TARGET_GROWTH) else 'NOT MET'}"
                    f", target <= {TARGET_GROWTH}x)"
                )
            print(line)
    results = []
    for what in (*FORMATS, "show"):
        label = f"appreciate export --format {what}" if what != "show" else "appreciate show"
        if what in failed_what:
            results.append(Result("export", f"{label}, 500-note conversation", "failed", "", False))
            continue
        g = growth[what] if both else None
        results.append(
            Result(
                "export",
                f"{label}, 500-note conversation",
                f"{wall[(what, '1k')]:.2f} s",
                f"10k <= {TARGET_GROWTH}x 1k",
                None if g is None else _common.within(g, TARGET_GROWTH),
                at_10k=f"{wall[(what, '10k')]:.2f} s" if both else "",
                growth=f"{g:.2f}x" if g is not None else "",
            )
        )
    return results


TEMPLATED = "docx+template"


def word_template(folder: str) -> Path:
    """A partnership's Word template, as python-docx makes one: a coloured Heading 1, a header
    with a logo and the partnership's name, a footer."""
    import struct
    import zlib

    import docx
    from docx.shared import Mm, RGBColor

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    pixels = zlib.compress(b"".join(b"\x00" + b"\x1f\x6f\x3f" * 120 for _ in range(40)))
    logo = Path(folder) / "logo.png"
    size = struct.pack(">IIBBBBB", 120, 40, 8, 2, 0, 0, 0)
    logo.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", size) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )
    document = docx.Document()
    document.styles["Heading 1"].font.color.rgb = RGBColor(0xC0, 0x1B, 0x6E)
    section = document.sections[0]
    section.header.paragraphs[0].add_run().add_picture(str(logo), width=Mm(25))
    section.header.paragraphs[0].add_run("Anytown Safeguarding Partnership")
    section.footer.paragraphs[0].text = "Anytown Safeguarding Partnership · learning review"
    path = Path(folder) / "their.docx"
    document.save(str(path))
    return path


def synthetic(runs: int) -> None:
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
        outputs = {fmt: Path(folder) / f"out.{fmt}" for fmt in FORMATS}
        for fmt, out in outputs.items():
            commands[fmt] = [*app, "export", cid, "--format", fmt, "-o", str(out), "--force"]
        # The same Word export in a partnership's template (styles, header, footer, logo).
        outputs[TEMPLATED] = Path(folder) / "out-template.docx"
        commands[TEMPLATED] = [*commands["docx"][:-3], "--template", str(word_template(folder)),
                               "-o", str(outputs[TEMPLATED]), "--force"]
        # Rounds, not one command after another: a burst of load from elsewhere then falls on
        # every command alike.
        samples: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for _ in range(runs):
            for name, command in commands.items():
                samples[name].append(run_once(command, env))

        print(f"whole process, {NOTES}-note conversation, {runs} rounds")
        print(f"{'':<24} {'median':>8} {'best':>8} {'cpu':>8}")
        worst = 0.0
        for name, runs in samples.items():
            walls = [wall for wall, _ in runs]
            median, best = statistics.median(walls), min(walls)
            cpu = statistics.median(c for _, c in runs)
            line = f"{name:<24} {median:7.3f}s {best:7.3f}s {cpu:7.3f}s"
            if name in outputs:
                worst = max(worst, median)
                size = outputs[name].stat().st_size / 1024
                line += f"  {size:6.1f} KiB  {'ok' if median <= TARGET_SECONDS else 'OVER'}"
            print(line)
        met = "met" if worst <= TARGET_SECONDS else "NOT met"
        print(f"target ≤ {TARGET_SECONDS} s (median) each: {met}")
        print(f"load average afterwards: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=None,
                        help="rounds, each running every command once (default 5; synthetic 9)")
    parser.add_argument("--scale", default=None, help="1k (default), or 10k: both 1k and 10k")
    parser.add_argument("--synthetic", action="store_true",
                        help="the conversation built in a temporary database, 0.5 s target")
    args = parser.parse_args()
    if args.synthetic:
        synthetic(args.runs or 9)
    else:
        _common.print_table(run(args.runs or 5, scales=_common.scales(args.scale)))


if __name__ == "__main__":
    main()
