"""The notes under the current question, newest last, and the keys that change one.

Each line: local time, the stance symbol in its colour, what was said, who said it, ★ when
starred, ⚑ when escalated, and `? parked` while it waits in the parking lot (`↳ asked` once it
was asked as a follow-up). Text from the database is made printable and never read as markup, so a note
holding `[bold]` or a terminal escape shows exactly those characters.

The list changes nothing itself: its keys post a message naming the note, and the screen decides.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from appreciate_tui.domain import Note, Stance
from appreciate_tui.text import printable
from appreciate_tui.tui.themes import STANCE_VARIABLES
from appreciate_tui.tui.widgets.hanging import Hanging
from appreciate_tui.wording import clock, plural

DISPLAY_LIMIT = 500
"""Characters of a note shown in the list; the rest stays in the database and in exports."""


def stance_style(stance: Stance) -> str:
    return f"${STANCE_VARIABLES[stance]}"


def shown_text(body: str) -> str:
    """What is shown of a note's text: printable, and shortened when very long."""
    if len(body) <= DISPLAY_LIMIT:
        return printable(body)
    hidden = len(body) - DISPLAY_LIMIT
    more = plural(hidden, "character", fmt=",")
    return f"{printable(body[:DISPLAY_LIMIT])}… (+{more}, kept in full)"


def note_line(note: Note, who: str) -> Hanging:
    gutter = Content.assemble(
        (clock(note.created_at), "$text-muted"),
        " ",
        (note.stance.symbol, f"bold {stance_style(note.stance)}"),
        " ",
    )
    parts: list[Content | tuple[str, str] | str] = [Content(shown_text(note.body))]
    if who:
        parts += [" — ", (printable(who, keep_newlines=False), "italic $text-muted")]
    if note.starred:
        parts += [" ", ("★", "$accent")]
    if note.waiting:
        parts += [" ", ("? parked", "bold $accent")]
    elif note.parked and note.follow_up_id:
        parts += [" ", ("↳ asked", "$text-muted")]
    if note.open_escalation:
        parts += [" ", ("⚑ ESCALATION", "bold $error")]
    elif note.escalate:
        parts += [" ", ("⚑ handled", "$text-muted")]
    return Hanging(gutter, Content.assemble(*parts))


class NoteList(OptionList):
    """Arrow keys choose a note; letters act on it (they never reach the note being typed)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "edit", "Edit", tooltip="Change what the note says", id="note.edit"),
        Binding("a", "attribute", "Who said it", tooltip="Attribute to an agency or participant",
                id="note.attribute"),
        Binding("asterisk,s", "star", "Star", tooltip="Star the note (a key point)",
                id="note.star"),
        Binding(
            "x",
            "escalate",
            "Escalate",
            tooltip="Flag (or unflag) as an immediate safeguarding concern",
            id="note.escalate",
        ),
        Binding("d,delete", "delete", "Delete", tooltip="Delete the note (ctrl+z or u undoes)",
                id="note.delete"),
        # u as well as ctrl+z: a letter reaches the list whatever the terminal does with controls.
        Binding(
            "ctrl+z,u",
            "undo",
            "Undo",
            tooltip="Undo the last change to a note (again: the change before)",
            id="note.undo",
        ),
        Binding(
            "f",
            "follow_up",
            "Ask as follow-up",
            tooltip="Ask this note as a follow-up question now (a parked one leaves the lot)",
            id="note.follow_up",
        ),
        Binding("question_mark", "park", "Park", show=False, id="note.park"),
        Binding("plus", "stance('strength')", "Working well", show=False,
                id="note.stance.strength"),
        Binding("minus", "stance('concern')", "Concern", show=False, id="note.stance.concern"),
        Binding("tilde", "stance('dream')", "Dream", show=False, id="note.stance.dream"),
        Binding("greater_than_sign", "stance('idea')", "Idea", show=False, id="note.stance.idea"),
        Binding("exclamation_mark", "stance('action')", "Action", show=False,
                id="note.stance.action"),
        Binding("quotation_mark", "stance('quote')", "Quote", show=False, id="note.stance.quote"),
        Binding("full_stop", "stance('note')", "Plain note", show=False, id="note.stance.note"),
    ]

    class NoteMessage(Message):
        def __init__(self, note_id: str) -> None:
            super().__init__()
            self.note_id = note_id

    class Edit(NoteMessage):
        pass

    class Attribute(NoteMessage):
        pass

    class ToggleStar(NoteMessage):
        pass

    class ToggleEscalation(NoteMessage):
        pass

    class Delete(NoteMessage):
        pass

    class FollowUp(NoteMessage):
        """`f`: ask the note's words as a follow-up question."""

    class TogglePark(NoteMessage):
        """`?`: park the note to come back to, or take it out of the parking lot."""

    class Restance(NoteMessage):
        def __init__(self, note_id: str, stance: Stance) -> None:
            super().__init__(note_id)
            self.stance = stance

    class Undo(Message):
        """Undo the last change to any of the conversation's notes (this list may not hold it)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self._scroll_on_render = False
        """The newest note must be brought into view as soon as the list knows its size."""

    @property
    def note_id(self) -> str | None:
        """The highlighted note, if any."""
        option = self.highlighted_option
        return option.id if option else None

    def show(self, notes: Iterable[Note], who: Mapping[str, str]) -> None:
        """Show these notes (oldest first), the newest highlighted. `who`: note id → who said it."""
        self.set_options(
            Option(note_line(note, who.get(note.id, "")), id=note.id) for note in notes
        )
        self.highlight_last()
        self._scroll_on_render = True

    def render_lines(self, crop: Region) -> list[Strip]:
        # A conversation opens with the list sized by the frame that first draws it: OptionList
        # scrolls to the highlighted note only once it is shown, a frame later, so the facilitator
        # would first see the oldest notes and then the list jump. Scrolling here, where the size
        # is known and before any line is drawn, makes the first frame the right one.
        if self._scroll_on_render and self.scrollable_content_region:
            self._scroll_on_render = False
            self.scroll_to_highlight()
        return super().render_lines(crop)

    def add_note(self, note: Note, who: str) -> None:
        self.add_option(Option(note_line(note, who), id=note.id))
        self.highlight_last()

    def replace_note(self, note: Note, who: str) -> None:
        try:
            self.replace_option_prompt(note.id, note_line(note, who))
        except OptionDoesNotExist:
            pass  # the note is under another question: nothing on this list to redraw

    def remove_note(self, note_id: str) -> None:
        try:
            self.remove_option(note_id)
        except OptionDoesNotExist:
            pass

    def highlight(self, note_id: str) -> None:
        try:
            self.highlighted = self.get_option_index(note_id)
        except OptionDoesNotExist:
            pass

    def highlight_last(self) -> None:
        if self.option_count:
            self.highlighted = self.option_count - 1

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._post(self.Edit)

    def _post(self, message_type: type[NoteMessage]) -> None:
        if (note_id := self.note_id) is not None:
            self.post_message(message_type(note_id))
        else:
            self.notify("There is no note under this question yet.", markup=False)

    def action_edit(self) -> None:
        self._post(self.Edit)

    def action_attribute(self) -> None:
        self._post(self.Attribute)

    def action_star(self) -> None:
        self._post(self.ToggleStar)

    def action_escalate(self) -> None:
        self._post(self.ToggleEscalation)

    def action_delete(self) -> None:
        self._post(self.Delete)

    def action_undo(self) -> None:
        self.post_message(self.Undo())

    def action_follow_up(self) -> None:
        self._post(self.FollowUp)

    def action_park(self) -> None:
        self._post(self.TogglePark)

    def action_stance(self, stance: str) -> None:
        if (note_id := self.note_id) is not None:
            self.post_message(self.Restance(note_id, Stance(stance)))
        else:
            self.notify("There is no note under this question yet.", markup=False)
