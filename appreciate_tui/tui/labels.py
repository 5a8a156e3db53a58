"""How a conversation's date and status read on screen, the same on every screen."""

from __future__ import annotations

from datetime import date

from textual.content import Content

from appreciate_tui.domain import ConversationStatus
from appreciate_tui.text import one_line

STATUS_STYLES = {
    ConversationStatus.PLANNED: "$text-muted",
    ConversationStatus.LIVE: "bold $success",
    ConversationStatus.CLOSED: "",
}

# What Enter does, said in the facilitator's words.
OPEN_HINTS = {
    ConversationStatus.PLANNED: "Enter starts facilitating",
    ConversationStatus.LIVE: "Enter carries on facilitating",
    ConversationStatus.CLOSED: "Enter reads its record",
}


def long_date(iso_date: str) -> str:
    """`2026-03-12` as `12 Mar 2026`; anything unexpected is shown as stored."""
    try:
        return date.fromisoformat(iso_date).strftime("%d %b %Y")
    except ValueError:
        return one_line(iso_date)


def status_label(status: ConversationStatus) -> Content:
    return Content.styled(status.value, STATUS_STYLES[status])
