"""Small helpers shared by the benchmark scripts (not part of the app)."""

from __future__ import annotations

import math
import os
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

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
    """One line of the summary table."""

    benchmark: str
    measure: str
    value: str
    target: str = ""
    met: bool | None = None  # None: no target, or not measured

    @property
    def verdict(self) -> str:
        return {True: "met", False: "NOT MET", None: "-"}[self.met]


def print_table(results: list[Result], *, markdown: bool = False, file=None) -> None:
    file = file or sys.stdout
    headers = ("benchmark", "measure", "value", "target", "verdict")
    table = [headers] + [(r.benchmark, r.measure, r.value, r.target, r.verdict) for r in results]
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


_announced = False  # say "reusing ..." once per process, not once per benchmark


def large_db(*, quiet: bool = False) -> tuple[Path, dict]:
    """The large benchmark database (generated or reused) and its manifest."""
    import generate

    global _announced
    manifest = generate.ensure(generate.DEFAULT_DB, quiet=quiet or _announced)
    _announced = True
    return generate.DEFAULT_DB, manifest
