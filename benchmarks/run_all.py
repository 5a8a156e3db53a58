"""Run every benchmark and print one summary table.

    python benchmarks/run_all.py [--quick] [--only generate,search,cli,tui,browser] [--markdown]

Generates (or reuses) the large database first, then runs the search, CLI start-up and TUI
benchmarks, each printing its own figures, and ends with a table of every measure, its target and
whether it was met. The figures are also written to benchmarks/out/results.json. Exit status is 0
whatever the figures are: these are measurements, not tests.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from dataclasses import asdict

import _common
from _common import OUT, Result, print_table


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="fewer runs: a rough look in about a minute"
    )
    parser.add_argument("--only", default="generate,search,cli,tui,browser",
                        help="comma-separated subset")
    parser.add_argument(
        "--markdown", action="store_true", help="print the summary as a Markdown table"
    )
    args = parser.parse_args()
    only = set(args.only.split(","))
    started = time.perf_counter()
    results: list[Result] = []

    import generate

    # As installed: the app's bytecode compiled, so no run pays for compiling it.
    import compileall

    compileall.compile_dir(str(_common.ROOT / "appreciate_tui"), quiet=1)
    t0 = time.perf_counter()
    manifest = generate.ensure(generate.DEFAULT_DB)
    _common._announced = True
    if "generate" in only:
        results.append(
            Result(
                "generate",
                f"{manifest['counts']['notes']:,} notes, "
                f"{manifest['counts']['conversations']:,} conversations",
                f"{manifest['seconds']:.1f} s to build"
                + ("" if time.perf_counter() - t0 > 1 else " (cached)"),
                "< 120 s",
                manifest["seconds"] < 120,
            )
        )
    sections = [
        ("search", lambda: __import__("search").run(repeat=3 if args.quick else 5)),
        ("cli", lambda: __import__("cli_startup").run(runs=5 if args.quick else 15)),
        (
            "tui",
            lambda: __import__("tui").run(
                runs=3 if args.quick else 10,
                rounds=1 if args.quick else 3,
                opens=3 if args.quick else 7,
            ),
        ),
        (
            "browser",
            lambda: __import__("browser").run(
                runs=3 if args.quick else 10, opens=3 if args.quick else 7
            ),
        ),
    ]
    for name, bench in sections:
        if name not in only:
            continue
        print()
        try:
            results += bench()
        except Exception as exc:  # one broken benchmark must not hide the others' figures
            print(f"{name}: failed: {type(exc).__name__}: {exc}")
            results.append(Result(name, "(benchmark)", f"failed: {type(exc).__name__}", "", False))

    print()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"summary ({os.cpu_count()} CPUs, Python {platform.python_version()}, load average {load}, "
        f"{time.perf_counter() - started:.0f} s in all):"
    )
    print_table(results, markdown=args.markdown)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "results.json").write_text(
        json.dumps(
            {"when": time.strftime("%Y-%m-%dT%H:%M:%S"), "results": [asdict(r) for r in results]},
            indent=2,
        )
        + "\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
