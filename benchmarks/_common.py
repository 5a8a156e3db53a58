"""Small helpers shared by the benchmark scripts (not part of the app)."""

from __future__ import annotations

import math
import os
import statistics
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
VENV_BIN = ROOT / ".venv" / "bin"
PYTHON = str(VENV_BIN / "python") if (VENV_BIN / "python").exists() else sys.executable
SHARED_TOOLS = Path(os.environ.get("APPRECIATE_SHARED_TOOLS", ROOT.parent / "shared" / "tools"))

for _path in (str(ROOT), str(BENCH)):
    if _path not in sys.path:
        sys.path.insert(0, _path)


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..1): p95 of 50 values is the 48th smallest."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def median(values: list[float]) -> float:
    return statistics.median(values)


@dataclass
class Result:
    """One line of the summary table: `value` is the figure on the 1k database (or the only one),
    `at_10k` the same on the 10k database and `growth` their ratio, when both were measured."""

    benchmark: str
    measure: str
    value: str
    target: str = ""
    met: bool | None = None  # None: no target, or not measured
    at_10k: str = ""
    growth: str = ""

    @property
    def verdict(self) -> str:
        return {True: "met", False: "NOT MET", None: "-"}[self.met]


def print_table(results: list[Result], *, markdown: bool = False, file=None) -> None:
    file = file or sys.stdout
    if any(r.at_10k or r.growth for r in results):
        headers = ("benchmark", "measure", "1k", "10k", "10k/1k", "target", "verdict")
        table = [headers] + [
            (r.benchmark, r.measure, r.value, r.at_10k, r.growth, r.target, r.verdict)
            for r in results
        ]
    else:
        headers = ("benchmark", "measure", "value", "target", "verdict")
        table = [headers] + [
            (r.benchmark, r.measure, r.value, r.target, r.verdict) for r in results
        ]
    if markdown:
        for n, row in enumerate(table):
            print("| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |", file=file)
            if n == 0:
                print("|" + "---|" * len(headers), file=file)
        return
    widths = [max(len(str(row[i])) for row in table) for i in range(len(headers))]
    for n, row in enumerate(table):
        print("  ".join(str(cell).ljust(w) for cell, w in zip(row, widths)).rstrip(), file=file)
        if n == 0:
            print("  ".join("-" * w for w in widths), file=file)


def load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


@dataclass(frozen=True)
class Scale:
    """One size of generated database, and the working copy the benchmarks run on."""

    name: str
    conversations: int
    notes: int
    db: Path
    copy: Path


SCALES = {
    "1k": Scale("1k", 1_000, 200_000, OUT / "large.db", OUT / "tui.db"),
    "10k": Scale("10k", 10_000, 2_000_000, OUT / "large10k.db", OUT / "tui10k.db"),
}
SCALE_ENV = "APPRECIATE_BENCH_SCALE"


def scales(which: str | None = None) -> list[Scale]:
    """The scales to measure: 1k always; 10k as well when asked (`--scale 10k` of any script,
    or the environment variable APPRECIATE_BENCH_SCALE=10k)."""
    which = (which or os.environ.get(SCALE_ENV) or "1k").strip().lower()
    if which not in SCALES:
        raise SystemExit(f"unknown scale {which!r}: choose one of {', '.join(SCALES)}")
    return [SCALES["1k"]] if which == "1k" else [SCALES["1k"], SCALES[which]]


_announced: set[str] = set()  # say "reusing ..." once per process and scale


def large_db(*, quiet: bool = False, scale: Scale | None = None) -> tuple[Path, dict]:
    """A large benchmark database (generated, migrated or reused) and its manifest."""
    import generate

    scale = scale or SCALES["1k"]
    manifest = generate.ensure(
        scale.db,
        conversations=scale.conversations,
        notes=scale.notes,
        quiet=quiet or scale.name in _announced,
    )
    _announced.add(scale.name)
    return scale.db, manifest


_copies: dict[str, tuple[Path, str, str]] = {}
_claims: list[int] = []
COPY_SUFFIXES = ("", "-wal", "-shm", ".lock", ".checked")


def remove_copy(copy: Path) -> None:
    for suffix in COPY_SUFFIXES:
        copy.with_name(copy.name + suffix).unlink(missing_ok=True)


def _claim(copy: Path) -> Path:
    """A working copy no other benchmark process is using: `copy` itself when free (a lock held
    on `COPY.bench` for this process's life says it is taken), else one named after this process,
    removed when it exits. Copies left by processes that died are removed."""
    try:
        import fcntl
    except ImportError:  # no flock: one benchmark at a time
        return copy
    for stale in copy.parent.glob(f"{copy.stem}.*{copy.suffix}"):
        pid = stale.name[len(copy.stem) + 1 : -len(copy.suffix)]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            remove_copy(stale)
            stale.with_name(stale.name + ".bench").unlink(missing_ok=True)
    for candidate in (copy, copy.with_name(f"{copy.stem}.{os.getpid()}{copy.suffix}")):
        fd = os.open(candidate.with_name(candidate.name + ".bench"), os.O_CREAT | os.O_RDWR, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            continue
        _claims.append(fd)
        if candidate != copy:
            import atexit

            atexit.register(remove_copy, candidate)
        return candidate
    raise RuntimeError(f"no working copy free beside {copy}")


def working_copies(which: list[Scale]) -> dict[str, tuple[Path, str, str]]:
    """The copies of these scales' databases the benchmarks may change, made once per process:
    scale name -> (path, the 500-note conversation's id, the text that shows the home screen has
    painted). In each copy that conversation is live and the newest (tui.prepare_copy).

    With 10k in play, the 1k copy is given the 10k copy's 500-note conversation (exported there,
    imported here, as partnerships merge their records), so work on one conversation is compared
    at 1k and 10k on the same conversation, word for word. (Not the other way round: the two
    databases come from one random stream, and some of the 1k conversation's note ids are other
    notes in the 10k one, which an import rightly refuses.) Another benchmark running at the same
    time gets copies of its own (`_claim`)."""
    import tui

    names = [s.name for s in which]
    for scale in sorted(which, key=lambda s: s.name != "10k"):  # the 10k copy first
        if scale.name in _copies:
            continue
        same_as = None
        if scale.name == "1k" and "10k" in names:
            reference, big, _ = _copies["10k"]
            same_as = (reference, big)
        _, manifest = large_db(scale=scale)
        copy = _claim(scale.copy)
        print(
            f"copying {scale.db.name} to {copy.name}"
            + (" and importing the 10k copy's 500-note conversation" if same_as else "")
            + " ...",
            flush=True,
        )
        _copies[scale.name] = tui.prepare_copy(manifest, copy, same_as)
        # The copy (2.3 GB at 10k) on disk before anything is timed: its write-back would
        # otherwise land in whichever measure runs next, as stalls that are the copy's, not the
        # app's. A user's database is not being written out by the kernel as they open it.
        os.sync()
    return {name: _copies[name] for name in names}


def drop_copy(scale: Scale) -> None:
    """Remove this process's working copy of `scale` (the 10k one is 2.3 GB)."""
    made = _copies.pop(scale.name, None)
    if made:
        remove_copy(made[0])


def paired_growth(at_1k: list[float], at_10k: list[float]) -> float:
    """How much longer the same work takes at 10k than at 1k: the median, over rounds, of each
    round's 10k figure over its 1k figure. The two are measured side by side in every round, so
    the machine's speed, which drifts by a third within minutes here (a shared host), is nearly
    the same for both; the ratio of the two medians would take that drift in whole."""
    return statistics.median(big / small for small, big in zip(at_1k, at_10k, strict=True))


T = TypeVar("T")


def taking_turns(items: Sequence[T], round: int) -> Sequence[T]:
    """`items` in their order in even rounds and reversed in odd ones, so that none of them is
    always the one measured first (just after a warm cache, or another program's exit)."""
    return items if round % 2 == 0 else items[::-1]


def within(ratio: float, target: float) -> bool:
    """A ratio meets its target as printed: to two decimals (1.154 shows, and counts, as 1.15)."""
    return round(ratio, 2) <= target
