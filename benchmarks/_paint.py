"""Time to first paint and memory at first paint, in a real terminal (tmux 120x40).

The same measure as `shared/tools/ttfp.py` (a detached 120x40 pane in a tmux server of its own,
polled every 5 ms with `capture-pane` until a text shows; one warm-up round, then counted rounds,
the subjects alternated so all see the same machine), and one thing more: the moment the text
shows, the peak resident memory of the process in the pane (`VmHWM` in /proc/PID/status) is read,
which is what the program needed to paint its first screen.
"""

from __future__ import annotations

import shlex
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

POLL = 0.005
LIMIT = 20.0


def _pane_pid(server: str) -> int | None:
    out = subprocess.run(
        ["tmux", "-L", server, "display-message", "-p", "-t", server, "#{pane_pid}"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return int(out) if out.isdigit() else None


def _program_pid(pid: int) -> int:
    """The pane runs the command itself (the shell execs it); if a shell stayed, its one child."""
    try:
        name = Path(f"/proc/{pid}/comm").read_text().strip()
        if name in ("sh", "bash", "dash", "zsh"):
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            if children:
                return int(children[0])
    except OSError:
        pass
    return pid


def vm_hwm_kb(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def paint_once(expect: str, cmd: list[str], limit: float = LIMIT) -> tuple[float, int | None] | None:
    """(ms to first paint, VmHWM in kB at that moment), or None if `expect` never showed."""
    server = "bench-paint-" + uuid.uuid4().hex[:8]
    t0 = time.perf_counter()
    subprocess.run(
        ["tmux", "-L", server, "new-session", "-d", "-s", server, "-x", "120", "-y", "40",
         shlex.join(cmd)],
        check=True,
    )
    try:
        pid = _pane_pid(server)
        pid = _program_pid(pid) if pid else None
        while time.perf_counter() - t0 < limit:
            out = subprocess.run(
                ["tmux", "-L", server, "capture-pane", "-p", "-t", server],
                capture_output=True,
                text=True,
            ).stdout
            if expect in out:
                ms = (time.perf_counter() - t0) * 1000
                return ms, vm_hwm_kb(pid) if pid else None
            time.sleep(POLL)
        return None
    finally:
        subprocess.run(["tmux", "-L", server, "kill-server"], capture_output=True)


@dataclass
class Painted:
    """The counted runs of one subject."""

    ms: list[float] = field(default_factory=list)
    hwm_kb: list[int] = field(default_factory=list)
    failures: int = 0


def paint_rounds(
    subjects: dict[str, tuple[str, list[str]]], runs: int, before_each=None
) -> dict[str, Painted]:
    """Each subject (name: (text, command)) once per round, in turn, for one warm-up round and
    `runs` counted rounds. `before_each(name)` runs before each start (to wait for the previous
    app to let go of its database, say). A run that never paints is counted as a failure."""
    got = {name: Painted() for name in subjects}
    for n in range(runs + 1):
        for name, (expect, cmd) in subjects.items():
            if before_each:
                before_each(name)
            one = paint_once(expect, cmd)
            if not n:
                continue
            if one is None:
                got[name].failures += 1
                continue
            got[name].ms.append(one[0])
            if one[1] is not None:
                got[name].hwm_kb.append(one[1])
    return got
