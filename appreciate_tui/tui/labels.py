"""How a conversation's status reads on screen, the same on every screen (its date:
`wording.short_date`)."""

from __future__ import annotations

from textual.content import Content

from appreciate_tui import domain
from appreciate_tui.domain import ConversationStatus, ConversationSummary

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


def status_label(status: ConversationStatus) -> Content:
    return Content.styled(status.value, STATUS_STYLES[status])


def status_with_clock(summary: ConversationSummary) -> Content:
    """A conversation's status; a live one's with its clock (pauses left out), "live 12m", or
    "paused 12m" while its clock stands still, so a second conversation the same afternoon never
    hides that the first is still going."""
    conversation = summary.conversation
    if conversation.status is not ConversationStatus.LIVE or conversation.started_at is None:
        return status_label(conversation.status)
    pauses = summary.pauses
    running = domain.running_seconds(
        domain.parse_time(conversation.started_at), domain.now(), pauses
    )
    hours, minutes = divmod(int(running // 60), 60)
    clock = f"{hours}h{minutes:02d}" if hours else f"{minutes}m"
    if pauses and pauses[-1].resumed_at is None:
        return Content.styled(f"paused {clock}", "bold $warning")
    return Content.styled(f"live {clock}", STATUS_STYLES[ConversationStatus.LIVE])
