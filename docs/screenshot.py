"""Draw docs/screenshot.svg: the facilitation screen on the demo conversation, at 120x40.

The app runs headless against a throwaway database and data folder, so no one's conversations,
settings or themes are read or changed, and the picture is the same on every machine: the default
theme, Devon's time zone, and the clock stopped forty minutes into the demo meeting, which is
reopened as if it were still going on.

    .venv/bin/python docs/screenshot.py
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

DOCS = Path(__file__).resolve().parent
SIZE = (120, 40)
MID_MEETING = datetime(2026, 2, 26, 10, 40, tzinfo=timezone.utc)


async def draw(folder: Path) -> Path:
    from appreciate_tui import domain
    from appreciate_tui.demo import load_demo
    from appreciate_tui.domain import ConversationStatus
    from appreciate_tui.settings import Settings
    from appreciate_tui.store import Store
    from appreciate_tui.tui.app import AppreciateApp

    domain.now = lambda: MID_MEETING  # the app's one clock, replaceable by design
    store = Store.open(folder / "demo.db")
    try:
        conversation, _ = load_demo(store)
        store.update_conversation(conversation.id, status=ConversationStatus.LIVE, ended_at=None)
        app = AppreciateApp(store, settings=Settings())
        async with app.run_test(size=SIZE) as pilot:
            app.open_conversation(conversation.id)
            await pilot.pause(0.5)
            return Path(app.save_screenshot(filename="screenshot.svg", path=str(DOCS)))
    finally:
        store.close()


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="appreciate-screenshot-") as folder:
        os.environ["XDG_DATA_HOME"] = folder
        os.environ["XDG_CONFIG_HOME"] = folder
        os.environ["TZ"] = "Europe/London"
        time.tzset()
        print(asyncio.run(draw(Path(folder))))


if __name__ == "__main__":
    main()
