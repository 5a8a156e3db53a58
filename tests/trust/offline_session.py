"""A whole scripted session, headless, for tests/trust/test_offline.py (not collected):
the command line (demo, planning, listing, showing, searching, every export format, import,
check, backup, purge, erase-person, erasures) and the app itself driven by Textual's Pilot (a
conversation opened, a note typed and saved). Prints one JSON object: the transcript with ids,
times and folders made neutral, the network attempts recorded, and the guard's self-test.

    offline_session.py FOLDER [--block]

With --block, tests/trust/network_guard.py refuses and records every attempt to reach a network,
before anything of the app is imported.
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.trust import network_guard  # noqa: E402

FOLDER = Path(sys.argv[1])
BLOCK = "--block" in sys.argv
selftest = network_guard.install() if BLOCK else {}
attempts = network_guard.attempts

import appreciate_tui.domain as domain  # noqa: E402  (after the guard, on purpose)

FROZEN = datetime(2026, 3, 12, 9, 30, tzinfo=timezone.utc)
domain.now = lambda: FROZEN  # both runs see the same clock

from click.testing import CliRunner  # noqa: E402

from appreciate_tui.banks.loader import load_banks  # noqa: E402
from appreciate_tui.cli import main  # noqa: E402

DB = FOLDER / "appreciate.db"
transcript: list[str] = []
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
SHORT_ID = re.compile(r"\b[0-9a-f]{8}\b")


def neutral(text: str) -> str:
    text = text.replace(str(FOLDER), "<folder>")
    text = UUID.sub("<id>", text)
    return SHORT_ID.sub("<id8>", text)


def cli(*args: str) -> str:
    result = CliRunner().invoke(main, ["--db", str(DB), *args], catch_exceptions=False)
    transcript.append(f"$ appreciate {neutral(' '.join(args))} -> {result.exit_code}")
    transcript.extend(neutral(result.output).splitlines())
    return result.output


cli("demo")
demo_id = json.loads(cli("list", "--json"))[0]["id"]
cli("show", demo_id[:8])
cli("search", "chronology")
bank = sorted(b.id for b in load_banks()[0])[0]
new_id = cli("new", "--bank", bank, "--title", "Offline drill", "--date", "2026-03-12").strip()
cli("export", demo_id, "--format", "md", "--redact")
for fmt in ("json", "html", "docx", "csv"):
    out = FOLDER / f"export.{fmt}"
    cli("export", demo_id, "--format", fmt, "-o", str(out))
    transcript.append(f"{fmt} written: {out.exists() and out.stat().st_size > 0}")
cli("import", str(FOLDER / "export.json"))
cli("check")
cli("backup", str(FOLDER / "copy.db"))
cli("purge", "--dry-run", "--older-than", "0")
cli("erase-person", "Nobody Here", "--dry-run")
cli("banks")


async def app_session() -> list[str]:
    from appreciate_tui.store import Store
    from appreciate_tui.tui.app import AppreciateApp

    store = Store.open(DB)
    try:
        app = AppreciateApp(store, conversation_id=new_id)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            screen = type(app.screen).__name__
            focused = app.focused
            focused.value = "+ typed in the app with the network gone"  # type: ignore[union-attr]
            await pilot.press("enter")
            await pilot.pause()
            await pilot.press("ctrl+q")
            await pilot.pause()
        notes = [n.body for n in store.list_notes(new_id)]
        return [f"app screen: {screen}", *(f"app note: {body}" for body in notes)]
    finally:
        store.close()


transcript.extend(asyncio.run(app_session()))

# The end of the conversation (a backup), an export into the exports folder (of the conversation
# the purge keeps: an export of a purged one goes with it), a restore (which keeps the replaced
# file) and a purge: every kind of file appreciate writes.
from appreciate_tui.store import Store  # noqa: E402

with Store.open(DB) as store:
    store.close_conversation(new_id)
    transcript.append(f"backup after closing: {store.last_backup_problem or 'made'}")
cli("export", new_id, "--format", "html")
cli("restore", str(FOLDER / "copy.db"), "--yes")
cli("purge", "--older-than", "0", "--yes")
cli("erasures")
# Every file and folder the session left, with its permissions (the umask was the usual 022).
files = {p.relative_to(FOLDER).as_posix(): oct(p.stat().st_mode & 0o777)
         for p in sorted(FOLDER.rglob("*")) if not p.is_symlink()}
print(json.dumps({"transcript": transcript, "attempts": attempts, "selftest": selftest,
                  "blocked": BLOCK, "files": files}))
