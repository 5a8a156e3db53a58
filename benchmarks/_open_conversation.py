"""Start the app straight into one conversation, as `appreciate` would after choosing it on the
home screen. Used by benchmarks/tui.py so keystroke echo is measured on a fully mounted
facilitation screen (the CLI has no option for this).

    python benchmarks/_open_conversation.py DB CONVERSATION_ID
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from appreciate_tui.store import Store  # noqa: E402
from appreciate_tui.tui.app import AppreciateApp  # noqa: E402


def main() -> int:
    db, conversation_id = sys.argv[1], sys.argv[2]
    store = Store.open(db)
    try:
        app = AppreciateApp(store, conversation_id=conversation_id)
        app.run()
        return app.return_code or 0
    finally:
        store.close()


if __name__ == "__main__":
    sys.exit(main())
