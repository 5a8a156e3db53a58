"""The conversations browser and the review screen, on the large database.

    python benchmarks/browser.py [--scale 1k|10k] [--runs N] [--opens N]
                                 [--only ttfp,filter,search,review]

Four measures, each printed with its target:

  ttfp    the home screen's first paint in a real terminal (tmux 120x40) against the floor
          (shared/tools/bare_three_pane.py), alternated A B A B: tui.py's measure, reused.
          Target: ratio of medians <= 1.2.
  filter  the browser filtering and sorting its conversations (1,000; 10,000 at 10k): a status
          filter set and cleared, the sort moved on, each timed until the screen has handled
          everything it queued (App.run_test, 120x40). Median and worst. Target ("without a
          visible pause"): worst <= 100 ms.
  search  from the last keystroke in the home search box to the matches on screen: each of
          search.py's 50 queries typed into the box a character at a time, 60 ms apart (a fast
          typist; each character asks the search thread a new question and makes the last one
          stale), timed from the last character until the screen has shown the matches for the
          whole query. Target: p95 <= 150 ms.
  review  the review screen of the conversation with 500 notes, pushed in App.run_test and timed
          until every message its mounting queued has been handled. Median of --opens after a
          warm-up. Target: <= 300 ms.

Runs on benchmarks/out/tui.db, the copy tui.py makes (the real database is never changed), and
with --scale 10k on tui10k.db too, one scale after the other.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import sys
import time
from pathlib import Path

import _common
import tui
from _common import Result, median, percentile

TARGET_FILTER_MS = 100.0
TARGET_SEARCH_P95_MS = 150.0
TARGET_REVIEW_MS = 300.0
TYPING_INTERVAL = 0.06
"""Seconds between two characters typed into the search box: a fast typist (1,000 a minute)."""
SIZE = (120, 40)


async def _settled(pilot) -> None:  # type: ignore[no-untyped-def]
    wait = getattr(pilot, "_wait_for_screen", None) or pilot.pause
    await wait()


async def _browser_times(db: Path, queries: list[str]) -> tuple[list[float], list[float]]:
    """(filter and sort times, search times), in milliseconds."""
    from appreciate_tui.domain import ConversationStatus
    from appreciate_tui.tui.app import AppreciateApp
    from appreciate_tui.tui.screens.home import HomeScreen
    from textual.widgets import Input

    store = tui._open_store(db)
    filtering: list[float] = []
    searching: list[float] = []
    try:
        app = AppreciateApp(store)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, HomeScreen)
            changes = [
                lambda: screen.filter_by(status=ConversationStatus.CLOSED),
                lambda: screen.filter_by(status=None),
                screen.action_sort,
                screen.action_reverse_sort,
            ]
            for _ in range(3):
                for change in changes:
                    t0 = time.perf_counter()
                    change()
                    await _settled(pilot)
                    filtering.append((time.perf_counter() - t0) * 1000)

            box = screen.query_one("#search", Input)
            box.focus()
            for query in [queries[0], *queries]:  # the first one again as a warm-up
                box.value = ""
                await _settled(pilot)
                # Typed a character at a time by a fast typist, each asking the search thread a
                # new question and making the one before it stale.
                for character in query[:-1]:
                    box.insert_text_at_cursor(character)
                    await asyncio.sleep(TYPING_INTERVAL)
                t0 = time.perf_counter()
                box.insert_text_at_cursor(query[-1])
                while screen.results_for != query.strip():
                    if time.perf_counter() - t0 > 10:
                        raise RuntimeError(f"no results on screen for {query!r} after 10 s")
                    # Not pilot.pause: that makes the screen work, and the search thread waits
                    # for the interpreter while it does.
                    await asyncio.sleep(0.002)
                await _settled(pilot)
                searching.append((time.perf_counter() - t0) * 1000)
            searching.pop(0)
    finally:
        store.close()
    return filtering, searching


def _store_search_times(db: Path, queries: list[str]) -> list[float]:
    """Store.search on its own, as the search thread calls it: the best of three, in ms."""
    from appreciate_tui.store import Store
    from appreciate_tui.tui.state.note_search import LIMIT

    times = []
    with Store.open(db, read_only=True) as store:
        for query in queries:
            runs = []
            for _ in range(3):
                t0 = time.perf_counter()
                store.search(query, limit=LIMIT)
                runs.append((time.perf_counter() - t0) * 1000)
            times.append(min(runs))
    return times


async def _review_times(db: Path, big: str, opens: int) -> list[float]:
    from appreciate_tui.tui.app import AppreciateApp
    from appreciate_tui.tui.screens.review import ReviewScreen

    store = tui._open_store(db)
    times: list[float] = []
    try:
        app = AppreciateApp(store)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            for _ in range(opens + 1):
                t0 = time.perf_counter()
                await app.push_screen(ReviewScreen(big))
                await _settled(pilot)
                times.append((time.perf_counter() - t0) * 1000)
                app.pop_screen()
                await _settled(pilot)
    finally:
        store.close()
    return times[1:]


def run(
    runs: int = 10,
    opens: int = 7,
    only: set[str] | None = None,
    quiet: bool = False,
    scales: list[_common.Scale] | None = None,
) -> list[Result]:
    only = only or {"ttfp", "filter", "search", "review"}
    if not tui.tui_present():
        print("browser: skipped: TUI not present")
        return [Result("browser", "home / search / review", "skipped: TUI not present")]
    from search import QUERIES

    copies = tui.copies_for(scales or _common.scales(), quiet)
    results: list[Result] = []
    if "ttfp" in only:
        print("browser: home first paint, against the floor")
        results += tui.paint(copies, runs, quiet, benchmark="browser")
    worst: dict[str, float] = {}
    p95: dict[str, float] = {}
    ready: dict[str, float] = {}
    for name, db, big, _ in copies:
        # Each scale's app starts as it would by itself: what the last one left in this process
        # is set aside, not scanned by its collections (run_all.py does so between benchmarks).
        gc.collect()
        gc.freeze()
        if {"filter", "search"} & only:
            filtering, searching = asyncio.run(_browser_times(db, list(QUERIES)))
            if "filter" in only:
                worst[name] = max(filtering)
                print(
                    f"  filter {name:>3}: median {median(filtering):.0f} ms, worst "
                    f"{worst[name]:.0f} ms ({'met' if worst[name] <= TARGET_FILTER_MS else 'NOT MET'}"
                    f", target worst <= {TARGET_FILTER_MS:.0f} ms; {len(filtering)} changes; "
                    f"{_common.load()})"
                )
            if "search" in only:
                alone = _store_search_times(db, list(QUERIES))
                print(
                    f"  search {name:>3}: the store's search alone, same queries and limit: median "
                    f"{median(alone):.0f} ms, p95 {percentile(alone, 0.95):.0f} ms (what the "
                    "screen adds is the difference)"
                )
                p95[name] = percentile(searching, 0.95)
                slowest = sorted(zip(searching, QUERIES), reverse=True)[:3]
                print(
                    f"  search {name:>3}: search box to results: median {median(searching):.0f} ms, "
                    f"p95 {p95[name]:.0f} ms "
                    f"({'met' if p95[name] <= TARGET_SEARCH_P95_MS else 'NOT MET'}, target p95 <= "
                    f"{TARGET_SEARCH_P95_MS:.0f} ms; {len(searching)} queries typed); slowest: "
                    + ", ".join(f"{q!r} {t:.0f} ms" for t, q in slowest)
                )
        if "review" in only:
            times = asyncio.run(_review_times(db, big, opens))
            ready[name] = median(times)
            print(
                f"  review {name:>3}: the 500-note conversation: ready {ready[name]:.0f} ms (min "
                f"{min(times):.0f}, max {max(times):.0f}) "
                f"({'met' if ready[name] <= TARGET_REVIEW_MS else 'NOT MET'}, target "
                f"<= {TARGET_REVIEW_MS:.0f} ms; median of {opens})"
            )

    def row(measure: str, figures: dict[str, float], target: float) -> Result:
        return Result(
            "browser",
            measure,
            f"{figures['1k']:.0f} ms",
            f"<= {target:.0f} ms",
            all(v <= target for v in figures.values()),
            at_10k=f"{figures['10k']:.0f} ms" if "10k" in figures else "",
            growth=tui._scaled(figures),
        )

    if worst:
        results.append(row("filter or sort the conversations (worst)", worst, TARGET_FILTER_MS))
    if p95:
        results.append(row("search box to results on screen (p95)", p95, TARGET_SEARCH_P95_MS))
    if ready:
        results.append(row("open review of a 500-note conversation", ready, TARGET_REVIEW_MS))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10, help="ttfp runs of each (default 10)")
    parser.add_argument("--opens", type=int, default=7, help="timed review opens (default 7)")
    parser.add_argument("--only", default="ttfp,filter,search,review",
                        help="comma-separated subset")
    parser.add_argument("--scale", default=None, help="1k (default), or 10k: both 1k and 10k")
    args = parser.parse_args()
    _common.print_table(
        run(args.runs, args.opens, set(args.only.split(",")), scales=_common.scales(args.scale))
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
