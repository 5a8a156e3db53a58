"""The TUI against the floor (shared/tools/bare_three_pane.py), on the large database(s).

    python benchmarks/tui.py [--scale 1k|10k] [--runs N] [--rounds N] [--opens N] [--profile]
                             [--only ttfp,keys,open,review]

Five measures, each printed with its target. With --scale 10k (or APPRECIATE_BENCH_SCALE=10k)
each runs on the 1k and the 10k database, interleaved, and prints both and their ratio.

  ttfp   time to first paint in a real terminal (tmux 120x40), `appreciate --db COPY` against the
         floor, alternated (floor, 1k, 10k, floor, ...) by benchmarks/_paint.py (the measure of
         shared/tools/ttfp.py). "Painted" means: for the app, the newest conversation's title is
         on the home screen (so the list really came from the database); for the floor, the word
         PAINTED. Target: ratio of medians <= 1.2 at 1k and at 10k.
  memory the peak resident memory (VmHWM) of the app process the moment it has painted, against
         the floor's, from the same runs. Target: <= 1.6x the floor's at 10k.
  keys   keystroke echo (shared/tools/keylat.py): 40 characters typed one at a time into the note
         input of a live conversation with 500 notes (started straight into the facilitation
         screen; ready when "Follow the flow" is shown), against typing into the floor's TextArea.
         Floor and app alternate for --rounds rounds; the p95 of each is the median of its rounds.
         Target: app p95 <= 1.15x the floor's p95.
  open   opening a conversation with 500 notes: `FacilitateScreen` pushed in `App.run_test()`, timed
         from the push to the first frame that shows the newest note ("painted"; the frame is
         turned into terminal text as a real terminal run would). Also shown: "mounted" (the
         push's await returned) and "ready" (every message its mounting queued was handled).
         Median of --opens opens after one warm-up. Target: painted <= 150 ms, and at 10k
         within 1.15x of the same at 1k (the median of each round's 10k/1k).
  review the same for the record of that conversation (`ReviewScreen`), painted when its title
         shows. Target: painted <= 300 ms.

The app runs on a copy of each large database (benchmarks/out/tui.db, tui10k.db) in which the
500-note conversation is live and the newest, so the generated databases are never changed. Until
the TUI exists this prints "skipped: TUI not present".
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import _common
import _paint
from _common import BENCH, OUT, PYTHON, ROOT, SHARED_TOOLS, VENV_BIN, Result, median

TARGET_TTFP_RATIO = 1.2
TARGET_KEYS_RATIO = 1.15
TARGET_MEMORY_RATIO = 1.6
TARGET_OPEN_MS = 150.0
TARGET_OPEN_GROWTH = 1.15
TARGET_REVIEW_MS = 300.0
FLOOR_MARK = "PAINTED"
FACILITATE_MARK = "Follow the flow"
COPY = OUT / "tui.db"

Copy = tuple[str, Path, str, str]
"""A working copy: (scale name, path, the 500-note conversation's id, the home screen's mark)."""


def tui_present() -> bool:
    try:
        from appreciate_tui.tui.app import AppreciateApp  # noqa: F401
        from appreciate_tui.tui.screens.facilitate import FacilitateScreen  # noqa: F401
    except ImportError:
        return False
    return True


def app_command(db: Path) -> list[str]:
    entry = VENV_BIN / "appreciate"
    cli = [str(entry)] if entry.exists() else [PYTHON, "-m", "appreciate_tui"]
    return [*cli, "--db", str(db)]


def _open_store(path: Path, timeout: float = 15.0):
    """A writable store, waiting for a previous app process (killed with its tmux session) to let go."""
    from appreciate_tui.store import Store

    deadline = time.monotonic() + timeout
    while True:
        store = Store.open(path)
        if not store.read_only or time.monotonic() > deadline:
            return store
        store.close()
        time.sleep(0.1)


def prepare_copy(
    manifest: dict, copy: Path = COPY, same_as: tuple[Path, str] | None = None
) -> tuple[Path, str, str]:
    """Copy a large database; make its 500-note conversation live and the newest one.

    With `same_as` (another working copy and its 500-note conversation), that very conversation
    is brought into this copy first (`appreciate export --format json` there, `appreciate import`
    here) and is the one used (`_common.working_copies`).

    Returns the copy, that conversation's id and the text that shows the home screen has painted.
    """
    import tempfile

    from appreciate_tui.domain import ConversationStatus

    source = Path(manifest["path"]) if Path(manifest["path"]).exists() else OUT / "large.db"
    _common.remove_copy(copy)
    shutil.copyfile(source, copy)
    big = manifest["big_conversation"]
    if same_as is not None:
        other, big = same_as
        with tempfile.TemporaryDirectory(prefix="appreciate-bench-") as folder:
            bundle = str(Path(folder) / "conversation.json")
            for cmd in (
                [*app_command(other), "export", big, "--format", "json", "-o", bundle, "--force"],
                [*app_command(copy), "import", bundle],
            ):
                _reap(other)
                proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
                if proc.returncode != 0:
                    raise RuntimeError(f"{' '.join(cmd[1:])}: {proc.stderr.strip()[-300:]}")
    store = _open_store(copy)
    try:
        newest = store.list_conversations()[0].date
        notes = store.list_notes(big)
        store.update_conversation(
            big,
            status=ConversationStatus.LIVE,
            date=newest,
            ended_at=None,
            current_question_id=notes[-1].question_id if notes else None,
        )
        # Same date as the newest: make sure it sorts first whatever the tie-break.
        first = store.list_conversations()[0]
        if first.id != big:
            from datetime import date, timedelta

            store.update_conversation(
                big, date=(date.fromisoformat(newest) + timedelta(days=1)).isoformat()
            )
            first = store.list_conversations()[0]
        mark = first.title[:16]
        assert len(store.list_notes(big)) == manifest["big_conversation_notes"], (
            "big conversation changed"
        )
    finally:
        store.close()
    return copy, big, mark


STRAGGLERS: list[str] = []


def _reap(db: Path, grace: float = 5.0) -> None:
    """Wait for the app of the last tmux run to let go of the database; kill it if it hangs.

    Closing a tmux session sends SIGHUP; the app should save and exit. One that is still alive
    after `grace` seconds is noted (it is a bug worth knowing about) and killed, so the next run
    does not open the database read-only. Only an app started on this benchmark's copy is touched.
    """
    from appreciate_tui.store import safety

    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        pid = safety.holder_pid(db)
        if pid is None or not _alive_on(pid, db):
            return
        time.sleep(0.1)
    pid = safety.holder_pid(db)
    if pid and _alive_on(pid, db):
        STRAGGLERS.append(
            f"pid {pid} still running {grace:.0f} s after its terminal closed; killed"
        )
        os.kill(pid, signal.SIGKILL)
        time.sleep(0.2)


def _alive_on(pid: int, db: Path) -> bool:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return False
    return str(db) in cmdline


def _clear_drafts(db: Path, conversation_id: str) -> None:
    """A keystroke run leaves its probe as a draft; the next run must start from an empty input."""
    _reap(db)
    store = _open_store(db)
    try:
        for field in list(store.drafts(conversation_id)):
            store.save_draft(conversation_id, field, "")
    finally:
        store.close()



# ------------------------------------------------------------------------------- ttfp, memory


def _scaled(figures: dict[str, float]) -> str:
    """The growth from 1k to 10k, when both were measured."""
    if "1k" in figures and "10k" in figures and figures["1k"]:
        return f"{figures['10k'] / figures['1k']:.2f}x"
    return ""


def _largest(figures: dict[str, float]) -> float | None:
    return figures.get("10k", figures.get("1k"))


def paint(copies: list[Copy], runs: int, quiet: bool, benchmark: str = "tui") -> list[Result]:
    """First paint and memory at first paint: the floor and each copy's app, alternated."""
    subjects = {"floor": (FLOOR_MARK, [PYTHON, str(SHARED_TOOLS / "bare_three_pane.py")])}
    dbs = {}
    for name, db, _, mark in copies:
        subjects[name] = (mark, app_command(db))
        dbs[name] = db
    got = _paint.paint_rounds(
        subjects, runs, before_each=lambda name: _reap(dbs[name]) if name in dbs else None
    )
    floor = got["floor"]
    if not floor.ms or not all(got[name].ms for name in dbs):
        failed = ", ".join(n for n, p in got.items() if not p.ms)
        print(f"  ttfp: never painted: {failed}")
        return [Result(benchmark, "time to first paint", f"failed: {failed} never painted",
                       f"<= {TARGET_TTFP_RATIO}x floor", False)]
    floor_ms = median(floor.ms)
    floor_mb = median(floor.hwm_kb) / 1024 if floor.hwm_kb else 0.0
    ms = {name: median(got[name].ms) for name in dbs}
    ratio = {name: ms[name] / floor_ms for name in dbs}
    mb = {name: median(got[name].hwm_kb) / 1024 for name in dbs if got[name].hwm_kb}
    mem_ratio = {name: mb[name] / floor_mb for name in mb if floor_mb}
    if not quiet:
        failures = sum(p.failures for p in got.values())
        print(
            f"  ttfp   floor {floor_ms:.0f} ms (min {min(floor.ms):.0f}, max {max(floor.ms):.0f}), "
            f"VmHWM {floor_mb:.1f} MB; n={runs} rounds, alternated"
            + (f"; {failures} run(s) never painted" if failures else "")
            + f"; {_common.load()}"
        )
        for name in dbs:
            p = got[name]
            print(
                f"  ttfp   {name:>3}: app {ms[name]:.0f} ms (min {min(p.ms):.0f}, max "
                f"{max(p.ms):.0f}) = {ratio[name]:.2f}x floor "
                f"({'met' if _common.within(ratio[name], TARGET_TTFP_RATIO) else 'NOT MET'}, "
                f"target <= "
                f"{TARGET_TTFP_RATIO}x)"
                + (
                    f"; VmHWM at first paint {mb[name]:.1f} MB = {mem_ratio[name]:.2f}x floor"
                    if name in mem_ratio
                    else "; VmHWM not read"
                )
            )
    results = [
        Result(
            benchmark,
            f"first paint of the list, median (floor {floor_ms:.0f} ms)",
            f"{ms['1k']:.0f} ms = {ratio['1k']:.2f}x",
            f"<= {TARGET_TTFP_RATIO}x floor at 1k and 10k",
            all(_common.within(r, TARGET_TTFP_RATIO) for r in ratio.values()),
            at_10k=f"{ms['10k']:.0f} ms = {ratio['10k']:.2f}x" if "10k" in ms else "",
            growth=_scaled(ms),
        )
    ]
    if benchmark == "tui":
        worst = _largest(mem_ratio)
        results.append(
            Result(
                benchmark,
                f"memory at first paint, VmHWM (floor {floor_mb:.0f} MB)",
                f"{mb['1k']:.0f} MB = {mem_ratio['1k']:.2f}x" if "1k" in mem_ratio else "not read",
                f"<= {TARGET_MEMORY_RATIO}x floor at 10k"
                + ("" if "10k" in mem_ratio else " (judged at 1k)"),
                None if worst is None else _common.within(worst, TARGET_MEMORY_RATIO),
                at_10k=f"{mb['10k']:.0f} MB = {mem_ratio['10k']:.2f}x" if "10k" in mem_ratio else "",
                growth=_scaled(mb),
            )
        )
    return results


# ------------------------------------------------------------------------------- keystrokes


def _keylat(ready: str, focus: str, cmd: list[str]) -> tuple[float, float, float] | str:
    proc = subprocess.run(
        [PYTHON, str(SHARED_TOOLS / "keylat.py"), ready, focus, "--", *cmd],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    found = re.search(r"p50 (\d+) p95 (\d+) max (\d+)", proc.stdout)
    if proc.returncode != 0 or not found:
        return (proc.stdout + proc.stderr).strip() or f"exit {proc.returncode}"
    return float(found.group(1)), float(found.group(2)), float(found.group(3))


def keys(copies: list[Copy], rounds: int, quiet: bool) -> list[Result]:
    """Each round: the floor, then the app on each copy, the copies taking turns to come
    straight after the floor (the first app after it types while the floor's server is still
    going away)."""
    floor_cmd = [PYTHON, str(SHARED_TOOLS / "bare_three_pane.py")]
    floor: list[tuple[float, float, float]] = []
    app: dict[str, list[tuple[float, float, float]]] = {name: [] for name, *_ in copies}
    failed = Result("tui", "keystroke echo p95 (note line)", "failed", "", False)
    for n in range(rounds):
        got = _keylat(FLOOR_MARK, "Tab", floor_cmd)  # Tab: from the list to the TextArea
        if isinstance(got, str):
            print(f"  keys: floor failed: {got}")
            return [failed]
        floor.append(got)
        for name, db, big, _ in _common.taking_turns(copies, n):
            _clear_drafts(db, big)
            app_cmd = [PYTHON, str(BENCH / "_open_conversation.py"), str(db), big]
            got = _keylat(FACILITATE_MARK, "", app_cmd)  # the note input has the focus on arrival
            if isinstance(got, str):
                print(f"  keys: app ({name}) failed: {got}")
                return [failed]
            app[name].append(got)
    for _, db, big, _ in copies:
        _clear_drafts(db, big)
    for note in STRAGGLERS:
        print(f"  keys: app {note}")
    fp50, fp95 = median([f[0] for f in floor]), median([f[1] for f in floor])
    p95 = {name: median([a[1] for a in runs]) for name, runs in app.items()}
    ratio = {name: (v / fp95 if fp95 else float("inf")) for name, v in p95.items()}
    if not quiet:
        print(
            f"  keys   floor p50 {fp50:.0f} ms p95 {fp95:.0f} ms (max {max(f[2] for f in floor):.0f}; "
            f"p95 by round {'/'.join(f'{f[1]:.0f}' for f in floor)}); "
            f"{rounds} rounds x 40 keys each, alternated; {_common.load()}"
        )
        for name, runs in app.items():
            print(
                f"  keys   {name:>3}: app p50 {median([a[0] for a in runs]):.0f} ms p95 "
                f"{p95[name]:.0f} ms (max {max(a[2] for a in runs):.0f}; p95 by round "
                f"{'/'.join(f'{a[1]:.0f}' for a in runs)})  p95 ratio "
                f"{ratio[name]:.2f}  "
                f"({'met' if _common.within(ratio[name], TARGET_KEYS_RATIO) else 'NOT MET'}, "
                f"target <= {TARGET_KEYS_RATIO}x)"
            )
    return [
        Result(
            "tui",
            f"keystroke echo p95, note line (floor {fp95:.0f} ms)",
            f"{p95['1k']:.0f} ms = {ratio['1k']:.2f}x",
            f"<= {TARGET_KEYS_RATIO}x floor",
            all(_common.within(r, TARGET_KEYS_RATIO) for r in ratio.values()),
            at_10k=f"{p95['10k']:.0f} ms = {ratio['10k']:.2f}x" if "10k" in p95 else "",
            growth=_scaled(p95),
        )
    ]


# ------------------------------------------------------------------------------- opening


def _bare_screen():
    """The floor's three panes as a Screen, pushed the same way in a bare App, for scale (no target)."""
    from textual.containers import Horizontal
    from textual.screen import Screen
    from textual.widgets import Footer, Header, Input, Label, ListItem, ListView, TextArea

    class BareThreePane(Screen[None]):
        DEFAULT_CSS = (
            "BareThreePane ListView{width:1fr} BareThreePane TextArea{width:2fr} #flow{width:1fr}"
        )

        def compose(self):
            yield Header()
            with Horizontal():
                yield ListView(
                    *[ListItem(Label(f"Question {i}")) for i in range(8)]
                    + [ListItem(Label("PAINTED"))]
                )
                yield TextArea()
                yield Input(id="flow")
            yield Footer()

    return BareThreePane()


ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")


def _screen_marks(db: Path, big: str) -> tuple[str, str]:
    """Text that shows each screen has painted what it opened for: for the facilitation screen the
    newest note (it is under the current question, highlighted at the bottom of the list), for the
    review the record's title in its top bar."""
    store = _open_store(db)
    try:
        newest = store.list_notes(big)[-1]
        title = store.get_conversation(big).title
    finally:
        store.close()
    return newest.body.split("\n")[0][:12], title[:12]


async def _open_once(app, pilot, screen, mark: str) -> tuple[float, float, float]:
    """Push `screen` and time it, in ms from the push: (mounted, ready, painted).

    "mounted": the push's await returned. "ready": every message the screen's mounting queued has
    been handled. "painted": the first frame that shows `mark`, turned into the text a terminal
    would be sent (the headless driver skips that step; here it is done and timed as in a real
    terminal). Screens paint from a timer after their messages are handled, so "painted" usually
    comes after "ready", and it is what the facilitator waits for.
    """
    painted: list[float] = []
    display = app._display  # private, and the only place a frame is known to be finished

    def display_and_time(on_screen, update) -> None:
        display(on_screen, update)
        if update is not None and on_screen is screen and not painted:
            text = ANSI_ESCAPE.sub("", update.render_segments(app.console))
            if mark in text:
                painted.append(time.perf_counter())

    app._display = display_and_time
    wait = getattr(pilot, "_wait_for_screen", None) or pilot.pause
    try:
        t0 = time.perf_counter()
        await app.push_screen(screen)
        t1 = time.perf_counter()
        await wait()
        t2 = time.perf_counter()
        deadline = t2 + 5.0
        while not painted and time.perf_counter() < deadline:
            await asyncio.sleep(0.001)
    finally:
        app._display = display
    if not painted:
        raise RuntimeError(f"{type(screen).__name__} never painted {mark!r}")
    return (t1 - t0) * 1000, (t2 - t0) * 1000, (painted[0] - t0) * 1000



async def _start_up_done(app, pilot, timeout: float = 10.0) -> None:
    """Until the home screen has drawn and the work it starts once drawn is done (the list's
    orders read by a thread, what writing needs loaded): a facilitator looks at the list before
    choosing, which is longer than that work takes (about 0.2 s at 1k, 0.4 s at 10k), so an open
    timed while it still runs would measure the two together, and the bigger file's longer."""

    def busy() -> bool:
        orders = getattr(app.screen, "_orders", None)  # the home screen's (private)
        return bool(len(app.workers)) or (orders is not None and not orders.complete)

    deadline = time.perf_counter() + timeout
    quiet = 0
    while quiet < 2 and time.perf_counter() < deadline:
        await pilot.pause(0.02)
        quiet = 0 if busy() else quiet + 1


async def _open_times(
    copies: list[Copy], opens: int, profile: bool, which: str
) -> tuple[dict[str, list[tuple[float, float, float]]], dict[str, float], str, float]:
    """Each open in a fresh app whose home screen has settled (`_start_up_done`), so no earlier screen's
    leftovers (the home screen reloading its rows when a screen is popped, say) and none of its
    start-up work land in the measurement.
    The copies take turns, open by open, each first in every other round, so a burst of load
    falls on every scale alike; the growth is the median of each round's 10k/1k.
    The garbage of the previous apps is collected before each push: a facilitator's process holds
    one app, and a collection of several apps' leftovers landing in the middle of an open would be
    measured here and never there."""
    import gc

    from textual.app import App

    from appreciate_tui.tui.app import AppreciateApp
    from appreciate_tui.tui.screens.facilitate import FacilitateScreen
    from appreciate_tui.tui.screens.review import ReviewScreen

    marks = {name: _screen_marks(db, big) for name, db, big, _ in copies}
    timed: dict[str, list[tuple[float, float, float]]] = {name: [] for name, *_ in copies}
    first: dict[str, float] = {}
    bare: list[float] = []
    report = ""
    for n in range(opens + 1):
        if which == "facilitate":
            floor_app = App()
            async with floor_app.run_test(size=(120, 40)) as pilot:
                await pilot.pause()
                gc.collect()
                _, _, floor_painted = await _open_once(floor_app, pilot, _bare_screen(), FLOOR_MARK)
                if n:
                    bare.append(floor_painted)

        for index, (name, db, big, _) in enumerate(_common.taking_turns(copies, n)):
            note_mark, title_mark = marks[name]
            _reap(db)
            store = _open_store(db)
            try:
                app = AppreciateApp(store)
                async with app.run_test(size=(120, 40)) as pilot:
                    await _start_up_done(app, pilot)
                    gc.collect()
                    if which == "facilitate":
                        screen, mark = FacilitateScreen(big), note_mark
                    else:
                        screen, mark = ReviewScreen(big), title_mark
                    profiler = None
                    if profile and n == opens and index == len(copies) - 1:
                        import cProfile

                        profiler = cProfile.Profile()
                        profiler.enable()
                    times = await _open_once(app, pilot, screen, mark)
                    if profiler is not None:
                        profiler.disable()
                        report = _profile_report(profiler)
                    if n == 0:
                        first[name] = times[2]
                    else:
                        timed[name].append(times)
            finally:
                store.close()
    return timed, first, report, median(bare) if bare else 0.0


def _profile_report(profiler) -> str:
    import io
    import pstats

    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream)
    stats.sort_stats("cumulative")
    rows = []
    for (filename, line, name), (_, calls, _, cumulative, _) in stats.stats.items():
        if "appreciate_tui" in filename or "sqlite" in name or "execute" in name:
            where = (
                filename.split("appreciate_tui/")[-1]
                if "appreciate_tui" in filename
                else filename.rsplit("/", 1)[-1]
            )
            rows.append((cumulative, calls, f"{where}:{line} {name}"))
    rows.sort(reverse=True)
    return "\n".join(
        f"      {cum * 1000:7.1f} ms  x{calls:<5} {what}" for cum, calls, what in rows[:14]
    )



def open_conversation(
    copies: list[Copy], opens: int, profile: bool, quiet: bool, which: str = "facilitate"
) -> list[Result]:
    timed, first, report, bare = asyncio.run(_open_times(copies, opens, profile, which))
    target = TARGET_OPEN_MS if which == "facilitate" else TARGET_REVIEW_MS
    name = "open" if which == "facilitate" else "review"
    what = "facilitation screen" if which == "facilitate" else "review screen"
    painted = {scale: median([t[2] for t in times]) for scale, times in timed.items()}
    grows = (
        _common.paired_growth([t[2] for t in timed["1k"]], [t[2] for t in timed["10k"]])
        if "10k" in timed and "1k" in timed
        else None
    )
    growth = f"{grows:.2f}x" if grows is not None else ""
    if not quiet:
        for scale, times in timed.items():
            p = [t[2] for t in times]
            print(
                f"  {name:<6} {scale:>3}: 500-note conversation, {what}: painted "
                f"{painted[scale]:.0f} ms (min {min(p):.0f}, max {max(p):.0f}; mounted "
                f"{median([t[0] for t in times]):.0f}, ready {median([t[1] for t in times]):.0f}; "
                f"first open {first[scale]:.0f} ms)  "
                f"({'met' if painted[scale] <= target else 'NOT MET'}, target <= {target:.0f} ms; "
                f"median of {opens})"
            )
        print(
            f"  {name:<6} {_common.load()}"
            + (f"; 10k/1k {growth} (of the medians {_scaled(painted)})" if growth else "")
            + (
                f"; for scale, the floor's panes as a screen in a bare app: {bare:.0f} ms"
                if bare
                else ""
            )
        )
        if report:
            print("    cProfile of one open, app code and SQL by cumulative time:")
            print(report)
    results = [
        Result(
            "tui",
            f"open the 500-note conversation, {what} (painted)",
            f"{painted['1k']:.0f} ms",
            f"<= {target:.0f} ms",
            all(p <= target for p in painted.values()),
            at_10k=f"{painted['10k']:.0f} ms" if "10k" in painted else "",
            growth=growth,
        )
    ]
    if which == "facilitate":
        results.append(
            Result(
                "tui",
                f"open the same conversation at 10k as at 1k, {what}",
                "",
                f"10k <= {TARGET_OPEN_GROWTH}x 1k",
                None if grows is None else _common.within(grows, TARGET_OPEN_GROWTH),
                growth=growth,
            )
        )
    return results


# ------------------------------------------------------------------------------- main


def copies_for(scales: list[_common.Scale], quiet: bool = False) -> list[Copy]:
    return [(name, *made) for name, made in _common.working_copies(scales).items()]


def run(
    runs: int = 10,
    rounds: int = 3,
    opens: int = 7,
    only: set[str] | None = None,
    profile: bool = False,
    quiet: bool = False,
    scales: list[_common.Scale] | None = None,
) -> list[Result]:
    only = only or {"ttfp", "keys", "open", "review"}
    if not tui_present():
        print("tui: skipped: TUI not present")
        return [Result("tui", "ttfp / keystroke echo / open", "skipped: TUI not present")]
    missing = [t for t in ("keylat.py", "bare_three_pane.py") if not (SHARED_TOOLS / t).exists()]
    tmux = shutil.which("tmux")
    copies = copies_for(scales or _common.scales(), quiet)
    if not quiet:
        print(
            "tui: on copies of the large database(s); home screen painted = "
            + ", ".join(f"{mark!r} visible ({name})" for name, _, _, mark in copies)
        )
    results: list[Result] = []
    if {"ttfp", "keys"} & only and (missing or not tmux):
        why = f"missing {', '.join(missing)} in {SHARED_TOOLS}" if missing else "tmux not on PATH"
        print(f"  ttfp/keys: skipped: {why}")
        results.append(Result("tui", "ttfp / keystroke echo", f"skipped: {why}"))
    else:
        if "ttfp" in only:
            results += paint(copies, runs, quiet)
        if "keys" in only:
            results += keys(copies, rounds, quiet)
    if "open" in only:
        results += open_conversation(copies, opens, profile, quiet)
    if "review" in only:
        results += open_conversation(copies, opens, profile, quiet, which="review")
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10, help="ttfp runs of each (default 10)")
    parser.add_argument(
        "--rounds", type=int, default=3, help="keystroke rounds of each (default 3)"
    )
    parser.add_argument("--opens", type=int, default=7, help="timed opens (default 7)")
    parser.add_argument(
        "--only", default="ttfp,keys,open,review", help="comma-separated subset"
    )
    parser.add_argument("--profile", action="store_true", help="cProfile one open")
    parser.add_argument("--scale", default=None, help="1k (default), or 10k: both 1k and 10k")
    args = parser.parse_args()
    _common.print_table(
        run(args.runs, args.rounds, args.opens, set(args.only.split(",")), args.profile,
            scales=_common.scales(args.scale))
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
