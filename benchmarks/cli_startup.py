"""Whole-process time of the headless CLI against the floor, `python -c "import sqlite_utils"`.

    python benchmarks/cli_startup.py [--runs N] [--query Q] [--profile]

Runs, interleaved (floor, list, search, floor, list, search, ...) so all three see the same machine:
  floor   python -c "import sqlite_utils"
  list    appreciate --db LARGE list
  search  appreciate --db LARGE search QUERY
on the generated large database, N counted runs each after one warm-up, output to /dev/null.
Prints the medians and each command's ratio to the floor (target <= 1.5x). When a target is missed
(or with --profile) it also prints where the time goes: a phase breakdown measured in one fresh
process, and the biggest imports that the floor does not pay for (`python -X importtime`).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import _common
from _common import PYTHON, ROOT, VENV_BIN, Result, median

TARGET_RATIO = 1.5
DEFAULT_QUERY = "short notice"


def cli_command() -> list[str] | None:
    """How to run the CLI: the installed entry point, else `python -m appreciate_tui`."""
    entry = VENV_BIN / "appreciate"
    if entry.exists():
        return [str(entry)]
    found = shutil.which("appreciate")
    if found:
        return [found]
    if (ROOT / "appreciate_tui" / "cli.py").exists():
        return [PYTHON, "-m", "appreciate_tui"]
    return None


def _time(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT, env=_env()
    )
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(
            f"{' '.join(cmd)} exited {proc.returncode}: {proc.stderr.decode()[-300:]}"
        )
    return elapsed * 1000


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("APPRECIATE_DB", None)
    # Any non-empty value (even "0") stops Python writing bytecode, so every run would compile
    # the app again; an installed app has its bytecode, so the runs here must have it too.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


# ------------------------------------------------------------------------------- profiling

_PHASES = r"""
import json, sys, time
t = [time.perf_counter()]
import appreciate_tui.cli
t.append(time.perf_counter())
from appreciate_tui.store import Store
t.append(time.perf_counter())
store = Store.open(sys.argv[1], read_only=True, check="deferred")
t.append(time.perf_counter())
store.list_conversations()
t.append(time.perf_counter())
counts = store.note_counts() if hasattr(store, "note_counts") else None
t.append(time.perf_counter())
store.search(sys.argv[2], limit=20)
t.append(time.perf_counter())
q0 = time.perf_counter(); store.db.conn.execute("PRAGMA quick_check").fetchall(); q1 = time.perf_counter()
names = ["import appreciate_tui.cli", "import appreciate_tui.store (+ sqlite_utils)",
         "Store.open read-only (check deferred)",
         "list_conversations()", "note_counts()", "search(QUERY)"]
out = {n: (b - a) * 1000 for n, a, b in zip(names, t, t[1:])}
out["PRAGMA quick_check, which reading commands leave out (warm)"] = (q1 - q0) * 1000
print(json.dumps(out))
"""


def _parse_importtime(stderr: str) -> list[tuple[str, int, int, int]]:
    """(module, self_us, cumulative_us, depth) in the order Python reports them."""
    entries = []
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        parts = line[len("import time:") :].split("|")
        self_us, cum_us, raw = int(parts[0]), int(parts[1]), parts[2]
        depth = (len(raw) - len(raw.lstrip(" ")) - 1) // 2
        entries.append((raw.strip(), self_us, cum_us, depth))
    return entries


def _importtime(cmd: list[str]) -> list[tuple[str, int, int, int]]:
    proc = subprocess.run(
        [PYTHON, "-X", "importtime", *cmd], capture_output=True, text=True, cwd=ROOT, env=_env()
    )
    return _parse_importtime(proc.stderr)


def profile(db: Path, query: str) -> None:
    print("where the time goes (one fresh process, warm page cache):")
    pass_ms = median([_time([PYTHON, "-c", "pass"]) for _ in range(5)])
    print(f"    {pass_ms:7.1f} ms  python start-up alone (python -c pass)")
    out = subprocess.run(
        [PYTHON, "-c", _PHASES, str(db), query],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=_env(),
    )
    if out.returncode == 0:
        for name, ms in json.loads(out.stdout).items():
            print(f"    {ms:7.1f} ms  {name}")
    else:
        print("    (phase breakdown failed: " + out.stderr.strip().splitlines()[-1] + ")")

    floor = {name for name, *_ in _importtime(["-c", "import sqlite_utils"])}
    entries = _importtime(["-m", "appreciate_tui", "--db", str(db), "list"])
    # The first import of each chain of modules the floor does not load: the entry points to cut.
    roots: dict[str, tuple[int, str]] = {}
    parents: dict[int, str] = {}
    for name, self_us, cum_us, depth in reversed(entries):  # parents come after their children
        parents[depth] = name
        parent = parents.get(depth - 1, "<main>")
        if name not in floor and (
            parent in floor or parent == "<main>" or parent.startswith("appreciate_tui")
        ):
            if not name.startswith("appreciate_tui"):
                roots[name] = (cum_us, parent)
    print(
        "biggest imports the floor does not pay for (python -X importtime; inflated by the tracing):"
    )
    for name, (cum_us, parent) in sorted(roots.items(), key=lambda kv: -kv[1][0])[:8]:
        print(f"    {cum_us / 1000:7.1f} ms  {name}  (imported by {parent})")
    selfs = sorted(
        ((s, n) for n, s, _, _ in entries if n.startswith("appreciate_tui")), reverse=True
    )[:5]
    print("    app modules by own time: " + ", ".join(f"{n} {s / 1000:.1f} ms" for s, n in selfs))


# ------------------------------------------------------------------------------- the benchmark


def run(
    runs: int = 15, query: str = DEFAULT_QUERY, force_profile: bool = False, quiet: bool = False
) -> list[Result]:
    cli = cli_command()
    if cli is None:
        print("cli_startup: skipped: the CLI (appreciate_tui/cli.py) is not present")
        return [Result("cli", "appreciate list / search", "skipped: CLI not present")]
    db, _ = _common.large_db(quiet=quiet)
    commands = {
        "floor": [PYTHON, "-c", "import sqlite_utils"],
        "list": [*cli, "--db", str(db), "list"],
        "search": [*cli, "--db", str(db), "search", *query.split()],
    }
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for n in range(runs + 1):
        for name, cmd in commands.items():
            ms = _time(cmd)
            if n:  # the first round warms the page cache and the bytecode cache
                samples[name].append(ms)
    floor = median(samples["floor"])
    ratios = {name: median(samples[name]) / floor for name in ("list", "search")}
    if not quiet:
        print(f"cli start-up: {runs} interleaved runs each, medians (min-max)")
        for name, cmd in commands.items():
            shown = " ".join(Path(c).name if i == 0 else c for i, c in enumerate(cmd))
            ratio = (
                ""
                if name == "floor"
                else (
                    f"  {ratios[name]:.2f}x floor "
                    f"({'met' if ratios[name] <= TARGET_RATIO else 'NOT MET'}, target <= {TARGET_RATIO}x)"
                )
            )
            print(
                f"  {name:<6} {median(samples[name]):6.0f} ms ({min(samples[name]):.0f}-"
                f"{max(samples[name]):.0f}){ratio}   {shown.replace(str(db), 'LARGE')}"
            )
    missed = any(r > TARGET_RATIO for r in ratios.values())
    if (missed or force_profile) and not quiet:
        profile(db, query)
    results = [Result("cli", "floor: python -c 'import sqlite_utils'", f"{floor:.0f} ms")]
    for name in ("list", "search"):
        results.append(
            Result(
                "cli",
                f"appreciate {name} (whole process)",
                f"{median(samples[name]):.0f} ms = {ratios[name]:.2f}x",
                f"<= {TARGET_RATIO}x floor",
                ratios[name] <= TARGET_RATIO,
            )
        )
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--query", default=DEFAULT_QUERY)
    parser.add_argument("--profile", action="store_true", help="print the breakdown even if met")
    args = parser.parse_args()
    run(args.runs, args.query, args.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
