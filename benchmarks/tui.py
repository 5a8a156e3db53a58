"""The TUI against the floor (shared/tools/bare_three_pane.py), on the large database.

    python benchmarks/tui.py [--runs N] [--rounds N] [--opens N] [--profile]
                             [--only ttfp,keys,open,review]

Four measures, each printed with its target:

  ttfp   time to first paint in a real terminal (tmux 120x40), `appreciate --db LARGE` against the
         floor, alternated A B A B by shared/tools/ttfp.py --vs. "Painted" means: for the app, the
         newest conversation's title is on the home screen (so the list really came from the
         database); for the floor, the word PAINTED. Target: ratio of medians <= 1.3.
  keys   keystroke echo (shared/tools/keylat.py): 40 characters typed one at a time into the note
         input of a live conversation with 500 notes (started straight into the facilitation
         screen; ready when "Follow the flow" is shown), against typing into the floor's TextArea.
         Floor and app alternate for --rounds rounds; the p95 of each is the median of its rounds.
         Target: app p95 <= 1.2x the floor's p95.
  open   opening a conversation with 500 notes: `FacilitateScreen` pushed in `App.run_test()`, timed
         from the push to the first frame that shows the newest note ("painted"; the frame is
         turned into terminal text as a real terminal run would). Also shown: "mounted" (the
         push's await returned) and "ready" (every message its mounting queued was handled).
         Median of --opens opens after one warm-up. Target: painted <= 150 ms.
  review the same for the record of that conversation (`ReviewScreen`), painted when its title
         shows. Target: painted <= 300 ms.

The app runs on a copy of the large database (benchmarks/out/tui.db) in which the 500-note
conversation is live and the newest, so the real database is never changed. Until the TUI exists
this prints "skipped: TUI not present".
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
from _common import BENCH, OUT, PYTHON, ROOT, SHARED_TOOLS, VENV_BIN, Result, median

TARGET_TTFP_RATIO = 1.3
TARGET_KEYS_RATIO = 1.2
TARGET_OPEN_MS = 150.0
TARGET_REVIEW_MS = 300.0
FLOOR_MARK = "PAINTED"
FACILITATE_MARK = "Follow the flow"
COPY = OUT / "tui.db"


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


def prepare_copy(manifest: dict) -> tuple[Path, str, str]:
    """Copy the large database; make its 500-note conversation live and the newest one.

    Returns the copy, that conversation's id and the text that shows the home screen has painted.
    """
    from appreciate_tui.domain import ConversationStatus

    source = Path(manifest["path"]) if Path(manifest["path"]).exists() else OUT / "large.db"
    for suffix in ("", "-wal", "-shm", ".lock"):
        COPY.with_name(COPY.name + suffix).unlink(missing_ok=True)
    shutil.copyfile(source, COPY)
    big = manifest["big_conversation"]
    store = _open_store(COPY)
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
    return COPY, big, mark


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


# ------------------------------------------------------------------------------- ttfp


def _ttfp_once(db: Path, mark: str, runs: int) -> tuple[list[int], list[int], float] | str:
    """One call of ttfp.py --vs: (app [min, median, max], floor [min, median, max], ratio)."""
    cmd = [
        PYTHON,
        str(SHARED_TOOLS / "ttfp.py"),
        mark,
        "--runs",
        str(runs),
        "--vs",
        f"{FLOOR_MARK}|{PYTHON} {SHARED_TOOLS / 'bare_three_pane.py'}",
        "--",
        *app_command(db),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    out = proc.stdout
    found = {
        k: re.search(rf"^{k} ttfp ms: min (\d+) median (\d+) max (\d+)", out, re.MULTILINE)
        for k in "AB"
    }
    ratio = re.search(r"ratio A/B of medians: ([\d.]+)", out)
    if proc.returncode != 0 or not found["A"] or not found["B"] or not ratio:
        return ((out + proc.stderr).strip().splitlines() or ["no output"])[-1]
    a = [int(x) for x in found["A"].groups()]
    b = [int(x) for x in found["B"].groups()]
    return a, b, float(ratio.group(1))


def ttfp(db: Path, mark: str, runs: int, quiet: bool) -> list[Result]:
    _reap(db)
    got = _ttfp_once(db, mark, runs)
    if isinstance(got, str):
        # One run that never painted (a crash, a stall on a busy machine) sinks the whole call:
        # measure again one pair at a time and say how many pairs failed.
        print(f"  ttfp: {got}; measuring again one pair at a time")
        a_ms, b_ms, failures = [], [], 0
        while len(a_ms) < runs and failures <= 3:
            _reap(db)
            one = _ttfp_once(db, mark, 1)
            if isinstance(one, str):
                failures += 1
                continue
            a_ms.append(one[0][1])
            b_ms.append(one[1][1])
        if not a_ms:
            return [
                Result(
                    "tui",
                    "time to first paint",
                    "failed: never painted",
                    f"<= {TARGET_TTFP_RATIO}x floor",
                    False,
                )
            ]
        a = [min(a_ms), int(median(a_ms)), max(a_ms)]
        b = [min(b_ms), int(median(b_ms)), max(b_ms)]
        r = median(a_ms) / median(b_ms)
        note = f"; {failures} pair(s) never painted"
        runs = len(a_ms)
    else:
        a, b, r = got
        note = ""
    if not quiet:
        print(
            f"  ttfp   app {a[1]} ms (min {a[0]}, max {a[2]})  "
            f"floor {b[1]} ms (min {b[0]}, max {b[2]})  "
            f"ratio {r:.2f}  ({'met' if r <= TARGET_TTFP_RATIO else 'NOT MET'}, "
            f"target <= {TARGET_TTFP_RATIO}x; n={runs} each, alternated{note})"
        )
    return [
        Result(
            "tui",
            "time to first paint (median)",
            f"{a[1]} ms vs floor {b[1]} ms = {r:.2f}x",
            f"<= {TARGET_TTFP_RATIO}x floor",
            r <= TARGET_TTFP_RATIO,
        )
    ]


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


def keys(db: Path, big: str, rounds: int, quiet: bool) -> list[Result]:
    floor_cmd = [PYTHON, str(SHARED_TOOLS / "bare_three_pane.py")]
    app_cmd = [PYTHON, str(BENCH / "_open_conversation.py"), str(db), big]
    floor, app = [], []
    for _ in range(rounds):
        got = _keylat(FLOOR_MARK, "Tab", floor_cmd)  # Tab: from the list to the TextArea
        if isinstance(got, str):
            print(f"  keys: floor failed: {got}")
            return [Result("tui", "keystroke echo p95", "failed", "", False)]
        floor.append(got)
        _clear_drafts(db, big)
        got = _keylat(FACILITATE_MARK, "", app_cmd)  # the note input has the focus on arrival
        if isinstance(got, str):
            print(f"  keys: app failed: {got}")
            return [Result("tui", "keystroke echo p95", "failed", "", False)]
        app.append(got)
    _clear_drafts(db, big)
    for note in STRAGGLERS:
        print(f"  keys: app {note}")
    fp50, fp95 = median([f[0] for f in floor]), median([f[1] for f in floor])
    ap50, ap95 = median([a[0] for a in app]), median([a[1] for a in app])
    ratio = ap95 / fp95 if fp95 else float("inf")
    if not quiet:
        print(
            f"  keys   app p50 {ap50:.0f} ms p95 {ap95:.0f} ms (max {max(a[2] for a in app):.0f})  "
            f"floor p50 {fp50:.0f} ms p95 {fp95:.0f} ms (max {max(f[2] for f in floor):.0f})  "
            f"p95 ratio {ratio:.2f}  ({'met' if ratio <= TARGET_KEYS_RATIO else 'NOT MET'}, "
            f"target <= {TARGET_KEYS_RATIO}x; {rounds} rounds x 40 keys each)"
        )
    return [
        Result(
            "tui",
            "keystroke echo p95 (note input)",
            f"{ap95:.0f} ms vs floor {fp95:.0f} ms = {ratio:.2f}x",
            f"<= {TARGET_KEYS_RATIO}x floor",
            ratio <= TARGET_KEYS_RATIO,
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


async def _open_times(
    db: Path, big: str, opens: int, profile: bool, which: str
) -> tuple[list[tuple[float, float, float]], float, str, float]:
    """Each open in a fresh app whose home screen has settled, so no earlier screen's leftovers
    (the home screen reloading 1,000 rows when a screen is popped, say) land in the measurement.
    The garbage of the previous apps is collected before each push: a facilitator's process holds
    one app, and a collection of several apps' leftovers landing in the middle of an open would be
    measured here and never there."""
    import gc

    from textual.app import App

    from appreciate_tui.tui.app import AppreciateApp
    from appreciate_tui.tui.screens.facilitate import FacilitateScreen
    from appreciate_tui.tui.screens.review import ReviewScreen

    note_mark, title_mark = _screen_marks(db, big)
    timed, first, bare = [], 0.0, []
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

        _reap(db)
        store = _open_store(db)
        try:
            app = AppreciateApp(store)
            async with app.run_test(size=(120, 40)) as pilot:
                await pilot.pause()
                await pilot.pause()
                gc.collect()
                if which == "facilitate":
                    screen, mark = FacilitateScreen(big), note_mark
                else:
                    screen, mark = ReviewScreen(big), title_mark
                profiler = None
                if profile and n == opens:
                    import cProfile

                    profiler = cProfile.Profile()
                    profiler.enable()
                times = await _open_once(app, pilot, screen, mark)
                if profiler is not None:
                    profiler.disable()
                    report = _profile_report(profiler)
                if n == 0:
                    first = times[2]
                else:
                    timed.append(times)
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
    db: Path, big: str, opens: int, profile: bool, quiet: bool, which: str = "facilitate"
) -> list[Result]:
    timed, first, report, bare = asyncio.run(_open_times(db, big, opens, profile, which))
    mounted = median([t[0] for t in timed])
    ready = median([t[1] for t in timed])
    painted = [t[2] for t in timed]
    p = median(painted)
    target = TARGET_OPEN_MS if which == "facilitate" else TARGET_REVIEW_MS
    name = "open" if which == "facilitate" else "review"
    what = "facilitation screen" if which == "facilitate" else "review screen"
    if not quiet:
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
        scale = (
            f"; for scale, the floor's panes as a screen in a bare app: {bare:.0f} ms"
            if bare
            else ""
        )
        print(
            f"  {name:<6} 500-note conversation, {what}: painted {p:.0f} ms "
            f"(min {min(painted):.0f}, max {max(painted):.0f}; mounted {mounted:.0f}, "
            f"ready {ready:.0f}; first open {first:.0f} ms)  "
            f"({'met' if p <= target else 'NOT MET'}, target <= {target:.0f} ms; "
            f"median of {opens}; load average {load}){scale}"
        )
        if report:
            print("    cProfile of one open, app code and SQL by cumulative time:")
            print(report)
    return [
        Result(
            "tui",
            f"open a 500-note conversation, {what} (painted)",
            f"{p:.0f} ms",
            f"<= {target:.0f} ms",
            p <= target,
        )
    ]


# ------------------------------------------------------------------------------- main


def run(
    runs: int = 10,
    rounds: int = 3,
    opens: int = 7,
    only: set[str] | None = None,
    profile: bool = False,
    quiet: bool = False,
) -> list[Result]:
    only = only or {"ttfp", "keys", "open", "review"}
    if not tui_present():
        print("tui: skipped: TUI not present")
        return [Result("tui", "ttfp / keystroke echo / open", "skipped: TUI not present")]
    missing = [
        t for t in ("ttfp.py", "keylat.py", "bare_three_pane.py") if not (SHARED_TOOLS / t).exists()
    ]
    tmux = shutil.which("tmux")
    _, manifest = _common.large_db(quiet=quiet)
    db, big, mark = prepare_copy(manifest)
    if not quiet:
        print(f"tui: on a copy of the large database; home screen painted = {mark!r} visible")
    results: list[Result] = []
    if {"ttfp", "keys"} & only and (missing or not tmux):
        why = f"missing {', '.join(missing)} in {SHARED_TOOLS}" if missing else "tmux not on PATH"
        print(f"  ttfp/keys: skipped: {why}")
        results.append(Result("tui", "ttfp / keystroke echo", f"skipped: {why}"))
    else:
        if "ttfp" in only:
            results += ttfp(db, mark, runs, quiet)
        if "keys" in only:
            results += keys(db, big, rounds, quiet)
    if "open" in only:
        results += open_conversation(db, big, opens, profile, quiet)
    if "review" in only:
        results += open_conversation(db, big, opens, profile, quiet, which="review")
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
    args = parser.parse_args()
    run(args.runs, args.rounds, args.opens, set(args.only.split(",")), args.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
