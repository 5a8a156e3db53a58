"""The view for the room (`appreciate present`) on the large database: how soon it paints, how
soon it follows the facilitator, and what its looking costs.

    python benchmarks/present.py [--runs 3] [--moves 10] [--only ttfp,follow,poll]

  ttfp    time to first paint in a real terminal (tmux 120x40), `appreciate --db COPY present`
          against the floor (shared/tools/bare_three_pane.py), alternated by shared/tools/ttfp.py
          --vs. Painted: the current question's place ("question 2 of 8") is on screen, which
          proves the view was read from the database. Target: <= 1.2x the floor, as the app's.
  follow  a writable store in this process stands in for the facilitator's window (it holds the
          writer lock, as the app does) and moves between two questions as F6 and F5 do, in one
          commit each. Each move is timed from its commit returning to the room's tmux pane
          showing the new question (the pane is captured every 5 ms). --moves moves in each of
          --runs runs, each run a fresh room in a tmux server of its own. Target: every move
          < 1000 ms (issue 15); expected about half the polling interval plus drawing.
  poll    what one look costs the room, read-only beside the writer: `data_version()` (every
          tick) and `room_view()` (only after a commit), median of 2,000 calls in this process.

Runs on benchmarks/out/present.db, a copy of the large database in which the 500-note
conversation is live and the most recently active, so the real database is never changed.
"""

from __future__ import annotations

import argparse
import os
import random
import shlex
import shutil
import subprocess
import sys
import time
import uuid

import _common
from _common import OUT, PYTHON, SHARED_TOOLS, Result, median

TARGET_TTFP_RATIO = 1.2
TARGET_FOLLOW_MS = 1000.0
COPY = OUT / "present.db"


def prepare_copy() -> tuple[str, list[str]]:
    """Copy the large database and make its 500-note conversation live at its second question.

    Returns that conversation's id and the ids of its first two prepared questions."""
    from appreciate_tui.domain import ConversationStatus

    source, manifest = _common.large_db()
    _common.remove_copy(COPY)
    shutil.copyfile(source, COPY)
    from appreciate_tui.store import Store

    big = manifest["big_conversation"]
    with Store.open(COPY) as store:
        prepared = [q.id for q in store.list_questions(big) if not q.is_follow_up][:2]
        store.update_conversation(big, status=ConversationStatus.LIVE, ended_at=None)
        store.set_current_question(big, prepared[1])
    return big, prepared


def room_command() -> list[str]:
    from tui import app_command

    return [*app_command(COPY), "present"]


# ------------------------------------------------------------------------------- ttfp


def ttfp(runs: int, mark: str) -> list[Result]:
    cmd = [
        PYTHON, str(SHARED_TOOLS / "ttfp.py"), mark, "--runs", str(runs),
        "--vs", f"PAINTED|{PYTHON} {SHARED_TOOLS / 'bare_three_pane.py'}",
        "--", *room_command(),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=_common.ROOT)
    print("  ttfp   " + "\n         ".join(proc.stdout.strip().splitlines() or [proc.stderr]))
    ratio = next(
        (float(line.split()[-1]) for line in proc.stdout.splitlines() if line.startswith("ratio")),
        None,
    )
    return [
        Result(
            "present",
            f"time to first paint (n={runs} each, alternated)",
            f"{ratio:.2f}x floor" if ratio is not None else "failed: never painted",
            f"<= {TARGET_TTFP_RATIO}x floor",
            ratio is not None and ratio <= TARGET_TTFP_RATIO,
        )
    ]


# ------------------------------------------------------------------------------- following


class Pane:
    """The room in a tmux server of its own, 120x40."""

    def __init__(self) -> None:
        self.socket = f"appreciate-bench-room-{uuid.uuid4().hex[:8]}"
        self._tmux("new-session", "-d", "-s", "room", "-x", "120", "-y", "40",
                   shlex.join(room_command()))

    def _tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True,
                              text=True).stdout

    def shows(self, text: str) -> bool:
        return text in " ".join(self._tmux("capture-pane", "-p", "-t", "room").split())

    def wait_for(self, text: str, timeout: float = 20.0) -> float:
        started = time.perf_counter()
        while not self.shows(text):
            if time.perf_counter() - started > timeout:
                raise TimeoutError(f"the room never showed {text!r}")
            time.sleep(0.005)
        return time.perf_counter() - started

    def close(self) -> None:
        self._tmux("kill-session", "-t", "room")  # the server ends with its only session


def follow(runs: int, moves: int, conversation: str, questions: list[str]) -> list[Result]:
    from appreciate_tui.domain import QuestionStatus
    from appreciate_tui.store import Store
    from appreciate_tui.tui.present import POLL_SECONDS

    worst: list[float] = []
    with Store.open(COPY) as facilitator:
        assert not facilitator.read_only, "another process holds the copy"
        texts = {qid: facilitator.get_question(qid).text for qid in questions}
        for run in range(1, runs + 1):
            pane = Pane()
            try:
                facilitator.set_current_question(conversation, questions[1])
                pane.wait_for(texts[questions[1]])
                taken = []
                for move in range(moves):
                    target = questions[move % 2]
                    with facilitator.atomic():
                        facilitator.set_current_question(conversation, target)
                        facilitator.set_question_status(target, QuestionStatus.ASKED)
                    taken.append(pane.wait_for(texts[target], timeout=5.0) * 1000)
                    # A facilitator's pause between keys, of any length against the room's
                    # polling: a fixed one would time every move at the same point of it.
                    time.sleep(random.uniform(0.1, 0.1 + 2 * POLL_SECONDS))
            finally:
                pane.close()
            worst.append(max(taken))
            print(f"  follow run {run}: median {median(taken):4.0f} ms, min {min(taken):4.0f}, "
                  f"max {max(taken):4.0f} ({moves} moves, commit to visible in the room's pane)")
    return [
        Result(
            "present",
            f"following the facilitator, worst move of {runs} x {moves}",
            f"{max(worst):.0f} ms",
            f"< {TARGET_FOLLOW_MS:.0f} ms",
            max(worst) < TARGET_FOLLOW_MS,
        )
    ]


# ------------------------------------------------------------------------------- looking


def poll(conversation: str) -> list[Result]:
    from appreciate_tui.store import Store

    with Store.open(COPY), Store.open(COPY, read_only=True, check="deferred") as room:
        costs = {}
        for name, look in (("data_version()", room.data_version), ("room_view()", room.room_view)):
            look()
            samples = []
            for _ in range(2000):
                started = time.perf_counter()
                look()
                samples.append((time.perf_counter() - started) * 1e6)
            costs[name] = median(samples)
            print(f"  poll   {name:<15} median {costs[name]:6.1f} µs (2,000 calls)")
        assert room.room_view().conversation_id == conversation
    return [
        Result("present", f"one look: {name}", f"{us:.0f} µs") for name, us in costs.items()
    ]


def run(runs: int = 3, moves: int = 10, only: set[str] | None = None) -> list[Result]:
    if shutil.which("tmux") is None or not (SHARED_TOOLS / "ttfp.py").exists():
        print("present: skipped: needs tmux and shared/tools")
        return [Result("present", "the view for the room", "skipped: no tmux or shared tools")]
    only = only or {"ttfp", "follow", "poll"}
    conversation, questions = prepare_copy()
    from appreciate_tui.store import Store

    with Store.open(COPY, read_only=True, check="deferred") as store:
        mark = store.room_view().place
    print(f"view for the room on {COPY.name} (1,000 conversations; painted when {mark!r} shows); "
          f"load average {os.getloadavg()[0]:.2f}")
    results: list[Result] = []
    if "ttfp" in only:
        results += ttfp(runs, mark)
    if "follow" in only:
        results += follow(runs, moves, conversation, questions)
    if "poll" in only:
        results += poll(conversation)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--moves", type=int, default=10)
    parser.add_argument("--only", default="ttfp,follow,poll")
    args = parser.parse_args()
    _common.print_table(run(args.runs, args.moves, set(args.only.split(","))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
