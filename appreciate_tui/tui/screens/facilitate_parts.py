"""What the parts of the facilitation screen share (screens/facilitate.py builds it from them):
its widgets, the live conversation, the current question and the drafts being typed.

The parts, each a module beside this one: the questions (which is current, stepping through them,
follow the flow), the note commands (changing, escalating, undoing, parking a note), and the room
(who is here, round the room, pauses and the clocks). Each part is a Screen class so that Textual
finds its message handlers; FacilitateScreen inherits them all.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from appreciate_tui.tui.screens.base import StoreScreen

if TYPE_CHECKING:
    from appreciate_tui.domain import Note, Pause, Question
    from appreciate_tui.tui.state.autosave import DraftAutosave
    from appreciate_tui.tui.state.live import LiveConversation
    from appreciate_tui.tui.widgets.balance_meter import BalanceMeter
    from appreciate_tui.tui.widgets.escalations import EscalationStrip
    from appreciate_tui.tui.widgets.flow_panel import FlowPanel
    from appreciate_tui.tui.widgets.notes_pane import NotesPane
    from appreciate_tui.tui.widgets.pane_tabs import PaneTabs
    from appreciate_tui.tui.widgets.question_list import QuestionList
    from appreciate_tui.tui.widgets.timers import HeaderStrip
    from appreciate_tui.tui.widgets.voices import Voices

NOTE, FLOW = "note", "flow"
"""The draft fields: what is being typed into the note line and into follow the flow."""


class FacilitatePart(StoreScreen):
    """The state every part of the facilitation screen reads (FacilitateScreen sets it up)."""

    conversation_id: str
    header_strip: HeaderStrip
    escalations: EscalationStrip
    questions: QuestionList
    notes_pane: NotesPane
    flow: FlowPanel
    balance: BalanceMeter
    voices: Voices
    pane_tabs: PaneTabs
    _live: LiveConversation | None
    _current: str | None
    _question_since: datetime
    _pauses: tuple[Pause, ...]
    _going_round: bool
    _inviting: str | None
    _autosave: DraftAutosave | None

    if TYPE_CHECKING:
        # What one part calls in another.
        def flush(self) -> None: ...
        def _make_current(self, question_id: str) -> None: ...
        def _show_notes(self) -> None: ...
        def _set_clocks(self, question: Question | None) -> None: ...
        def _show_round(self) -> None: ...
        def _round_moves_on(self) -> None: ...
        def _refresh_meters(self) -> None: ...
        def _recount(self, question_id: str) -> None: ...
        def _note_added(self, note: Note) -> None: ...

    def _no_question_yet(self) -> str:
        if self.live.prepared:
            return "F6 asks the first question; notes go under it. Your text stays here."
        return "Add a question first: notes go under a question."

    def _any_asked(self) -> bool:
        return any(q.asked_at for q in self.live.questions.values())

    @property
    def live(self) -> LiveConversation:
        assert self._live is not None, "the conversation is loaded when the screen mounts"
        return self._live

    @property
    def autosave(self) -> DraftAutosave:
        assert self._autosave is not None, "the screen saves nothing before it is mounted"
        return self._autosave

    def _show_questions(self) -> None:
        self.questions.show(
            list(self.live.questions.values()),
            numbers=self.live.numbers,
            depths=self.live.depths(),
            current=self._current,
            note_counts=self.live.note_counts(),
        )
        self.flow.show(self.live.follow_ups)
