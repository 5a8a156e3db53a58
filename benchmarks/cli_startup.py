"""Whole-process time of the headless CLI against the floor, `python -c "import sqlite_utils"`.

    python benchmarks/cli_startup.py [--scale 1k|10k] [--runs N] [--heavy-runs N] [--query Q]
                                     [--profile]

Runs, interleaved (floor, list, search, insights, floor, ...) so all see the same machine:
  floor     python -c "import sqlite_utils"
  list      appreciate --db COPY list
  search    appreciate --db COPY search QUERY
  insights  appreciate --db COPY insights       (only in the first --heavy-runs rounds)
on the working copy of the large database (benchmarks/out/tui.db), and with --scale 10k on the
10k one as well (tui10k.db), each command on each scale in turn. One warm-up round, then N counted
runs each (insights: --heavy-runs), output to /dev/null; medians.
Targets: list and search <= 1.5x the floor (list at 1k and at 10k); insights <= 1.5 s at 10k.
With both scales, each figure is printed at 1k and 10k with their ratio. When a target is missed
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
    if (ROOT / "appreciate_tui" / "cli" / "__init__.py").exists():
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


TARGET_INSIGHTS_S = 1.5


def run(
    runs: int = 15,
    query: str = DEFAULT_QUERY,
    force_profile: bool = False,
    quiet: bool = False,
    scales: list[_common.Scale] | None = None,
    heavy_runs: int = 3,
) -> list[Result]:
    cli = cli_command()
    if cli is None:
        print("cli_startup: skipped: the CLI (appreciate_tui/cli/__init__.py) is not present")
        return [Result("cli", "appreciate list / search", "skipped: CLI not present")]
    scales = scales or _common.scales()
    dbs = {name: made[0] for name, made in _common.working_copies(scales).items()}
    commands: dict[tuple[str, str], list[str]] = {("floor", ""): [PYTHON, "-c", "import sqlite_utils"]}
    for name, args in (("list", ["list"]), ("search", ["search", *query.split()]),
                       ("insights", ["insights"])):
        for scale, db in dbs.items():
            commands[(name, scale)] = [*cli, "--db", str(db), *args]
    samples: dict[tuple[str, str], list[float]] = {key: [] for key in commands}
    failed: dict[tuple[str, str], str] = {}
    for n in range(runs + 1):
        for key, cmd in commands.items():
            if (key[0] == "insights" and n > heavy_runs) or key in failed:
                continue
            try:
                ms = _time(cmd)
            except RuntimeError as exc:  # one failing command must not hide the others
                failed[key] = str(exc).splitlines()[-1][-160:]
                print(f"  {key[0]} ({key[1]}) failed: {failed[key]}")
                continue
            if n:  # the first round warms the page cache and the bytecode cache
                samples[key].append(ms)
    if ("floor", "") in failed:
        return [Result("cli", "floor", "failed", "", False)]
    for key in failed:
        commands.pop(key)
    floor = median(samples[("floor", "")])
    med = {key: median(v) for key, v in samples.items() if key not in failed}
    ratios = {key: med[key] / floor for key in med if key[0] in ("list", "search")}
    if not quiet:
        print(
            f"cli start-up: {runs} interleaved runs each (insights {heavy_runs}), medians "
            f"(min-max); {_common.load()}"
        )
        for key, cmd in commands.items():
            name, scale = key
            shown = " ".join(Path(c).name if i == 0 else c for i, c in enumerate(cmd))
            if name == "floor":
                verdict = ""
            elif name == "insights":
                ok = med[key] / 1000 <= TARGET_INSIGHTS_S
                verdict = (
                    f"  {med[key] / 1000:.2f} s ({'met' if ok else 'NOT MET'}, target <= "
                    f"{TARGET_INSIGHTS_S} s at 10k)"
                )
            else:
                verdict = (
                    f"  {ratios[key]:.2f}x floor "
                    f"({'met' if _common.within(ratios[key], TARGET_RATIO) else 'NOT MET'}, "
                    f"target <= {TARGET_RATIO}x)"
                )
            print(
                f"  {name:<8} {scale:>3} {med[key]:6.0f} ms ({min(samples[key]):.0f}-"
                f"{max(samples[key]):.0f}){verdict}   "
                + (shown.replace(str(dbs[scale]), f"COPY({scale})") if scale else shown)
            )
    missed = not all(_common.within(r, TARGET_RATIO) for r in ratios.values())
    if (missed or force_profile) and not quiet:
        profile(dbs[scales[-1].name], query)

    def growth(name: str) -> str:
        if (name, "1k") in med and (name, "10k") in med:
            return f"{med[(name, '10k')] / med[(name, '1k')]:.2f}x"
        return ""

    def shown(name: str, scale: str, seconds: bool = False) -> str:
        if (name, scale) in failed:
            return "failed"
        if (name, scale) not in med:
            return ""
        if seconds:
            return f"{med[(name, scale)] / 1000:.2f} s"
        return f"{med[(name, scale)]:.0f} ms = {ratios[(name, scale)]:.2f}x"

    results = [Result("cli", "floor: python -c 'import sqlite_utils'", f"{floor:.0f} ms")]
    for name in ("list", "search"):
        results.append(
            Result(
                "cli",
                f"appreciate {name} (whole process, vs floor)",
                shown(name, "1k"),
                f"<= {TARGET_RATIO}x floor" + (" at 1k and 10k" if name == "list" else ""),
                all(_common.within(r, TARGET_RATIO) for k, r in ratios.items() if k[0] == name)
                and not any(k[0] == name for k in failed),
                at_10k=shown(name, "10k"),
                growth=growth(name),
            )
        )
    judged = med.get(("insights", "10k"), med.get(("insights", "1k")))
    results.append(
        Result(
            "cli",
            "appreciate insights (whole process)",
            shown("insights", "1k", seconds=True),
            f"<= {TARGET_INSIGHTS_S} s at 10k" + ("" if "10k" in dbs else " (judged at 1k)"),
            judged is not None
            and judged / 1000 <= TARGET_INSIGHTS_S
            and not any(k[0] == "insights" for k in failed),
            at_10k=shown("insights", "10k", seconds=True),
            growth=growth("insights"),
        )
    )
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--query", default=DEFAULT_QUERY)
    parser.add_argument("--heavy-runs", type=int, default=3, help="runs of insights")
    parser.add_argument("--profile", action="store_true", help="print the breakdown even if met")
    parser.add_argument("--scale", default=None, help="1k (default), or 10k: both 1k and 10k")
    args = parser.parse_args()
    _common.print_table(
        run(args.runs, args.query, args.profile, scales=_common.scales(args.scale),
            heavy_runs=args.heavy_runs)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
