"""Garbage collection held off while the facilitator waits for a screen to appear.

Starting the app, and opening a conversation, make tens of thousands of objects at once: enough
to set off several collections, each scanning every object the app holds, and finding nothing to
free (what is made is what is about to be shown). Held off until the screen has been drawn, the
same collecting happens afterwards, while the facilitator reads.
"""

from __future__ import annotations

import gc

_started = False


def hold() -> None:
    """No collection until `resume`."""
    gc.disable()


def resume() -> None:
    """Collect again. The first time, what starting made is set aside for good (it lives until
    the app quits), so no later collection scans it again; only the first time, so that garbage
    made since is never kept."""
    global _started
    if not _started:
        gc.freeze()
        _started = True
    gc.enable()
