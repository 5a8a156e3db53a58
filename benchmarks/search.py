"""Full-text search on the large database: how long `Store.search(q)` itself takes.

    python benchmarks/search.py [--scale 1k|10k] [--repeat N] [--explain]

50 varied queries (common and rare single words, two words, prefixes, phrases with punctuation,
diacritics, a query that matches nothing) run against the working copy of the generated
200,000-note database, and with --scale 10k of the 2,000,000-note one too. Each query is run once
to warm the page cache, then N times in round-robin order; a query's time is the median of its
runs. Prints the median and p95 over the 50 queries (target: p95 <= 50 ms, at 2M notes too) and
the slowest queries with how many notes they match, so a slow case can be reproduced.
"""

from __future__ import annotations

import argparse
import sys
import time

import _common
from _common import Result, median, percentile

TARGET_P95_MS = 50.0

QUERIES = [
    # single words, common to rare
    "meeting",
    "health",
    "chair",
    "chronology",
    "threshold",
    "police",
    "school",
    "information",
    "agencies",
    "child",
    "interpreter",
    "consent",
    "minutes",
    "Mosaic",
    "SystmOne",
    "rota",
    "Okehampton",
    "Barnstaple",
    "MARAC",
    "LADO",
    "Lundy",
    "Clovelly",
    "Widecombe",
    "xylophone",
    # diacritics either way round (the index removes them)
    "naïve",
    "cafe",
    "Zoë",
    # two or more words
    "health visitor",
    "strategy meeting",
    "short notice",
    "chair training",
    "duty rota",
    "police researcher",
    "unborn baby",
    "county lines",
    "GP records",
    "Teams connection",
    "kept the child at the centre",
    "decision recorded on Mosaic",
    # prefixes
    "safeguard*",
    "interpret*",
    "escalat*",
    "thresh*",
    "Ex*",
    # punctuation, quotes, operators typed as text
    "child's voice",
    "out-of-hours",
    '"same side"',
    "health (GP)",
    "Section 47 AND police",
    "MASH\u2019s",
]
assert len(QUERIES) == 50, len(QUERIES)


def _measure(path, repeat: int, explain: bool) -> tuple[dict[str, float], dict[str, int], dict[str, int]]:
    """Each query's median time in ms, how many notes match it, how many hits search returns."""
    from appreciate_tui.store import Store
    from appreciate_tui.store.search import INDEXES, fts_query

    store = Store.open(path, read_only=True)
    try:
        conn = store.db.conn
        matches = {
            q: conn.execute(
                "SELECT count(*) FROM notes_fts WHERE notes_fts MATCH ?", [fts_query(q)]
            ).fetchone()[0]
            for q in QUERIES
        }
        hits = {q: len(store.search(q)) for q in QUERIES}  # warm-up
        samples: dict[str, list[float]] = {q: [] for q in QUERIES}
        for _ in range(repeat):
            for q in QUERIES:
                t0 = time.perf_counter()
                store.search(q)
                samples[q].append((time.perf_counter() - t0) * 1000)
        if explain:
            print("query plan of Store.search:")
            for index in INDEXES:
                for row in conn.execute(
                    f"EXPLAIN QUERY PLAN SELECT rowid, rank FROM {index.fts} "
                    f"WHERE {index.fts} MATCH ? ORDER BY rank LIMIT 70",
                    [fts_query("meeting")],
                ):
                    print("   ", index.kind, row[3])
    finally:
        store.close()
    return {q: median(ts) for q, ts in samples.items()}, matches, hits


def run(
    repeat: int = 5,
    explain: bool = False,
    quiet: bool = False,
    scales: list[_common.Scale] | None = None,
) -> list[Result]:
    """On each scale's working copy (read-only), one after the other."""
    scales = scales or _common.scales()
    p50: dict[str, float] = {}
    p95: dict[str, float] = {}
    copies = _common.working_copies(scales)
    for scale in scales:
        path, _, _ = copies[scale.name]
        per_query, matches, hits = _measure(path, repeat, explain)
        times = list(per_query.values())
        p50[scale.name], p95[scale.name] = median(times), percentile(times, 0.95)
        if not quiet:
            print(
                f"search ({scale.name}): {len(QUERIES)} queries x {repeat} runs on "
                f"{scale.notes:,} notes; {_common.load()}"
            )
            ok = p95[scale.name] <= TARGET_P95_MS
            print(
                f"  median {p50[scale.name]:.1f} ms   p95 {p95[scale.name]:.1f} ms   max "
                f"{max(times):.1f} ms   (target p95 <= {TARGET_P95_MS:.0f} ms: "
                f"{'met' if ok else 'NOT MET'})"
            )
            print(
                f"  {sum(1 for t in times if t > TARGET_P95_MS)} of {len(times)} queries over "
                f"{TARGET_P95_MS:.0f} ms; slowest:"
            )
            for q in sorted(per_query, key=per_query.get, reverse=True)[:6]:
                print(
                    f"    {per_query[q]:7.1f} ms  {q!r:34} {matches[q]:>9,} matching notes, "
                    f"{hits[q]} hits"
                )
    both = "1k" in p95 and "10k" in p95

    def growth(figures: dict[str, float]) -> str:
        return f"{figures['10k'] / figures['1k']:.2f}x" if both else ""

    return [
        Result(
            "search", "Store.search median", f"{p50['1k']:.1f} ms",
            at_10k=f"{p50['10k']:.1f} ms" if both else "", growth=growth(p50),
        ),
        Result(
            "search",
            "Store.search p95, 50 queries",
            f"{p95['1k']:.1f} ms",
            f"<= {TARGET_P95_MS:.0f} ms (at 2M notes)",
            all(v <= TARGET_P95_MS for v in p95.values()),
            at_10k=f"{p95['10k']:.1f} ms" if both else "",
            growth=growth(p95),
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--explain", action="store_true", help="print the query plan")
    parser.add_argument("--scale", default=None, help="1k (default), or 10k: both 1k and 10k")
    args = parser.parse_args()
    _common.print_table(run(args.repeat, args.explain, scales=_common.scales(args.scale)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
