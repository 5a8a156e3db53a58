"""The line under the note input: what Enter will save, or which `#tags` match what is typed.

It answers "did it understand me?" before the note is saved: `+ strategy calls … #pol` reads
"Enter saves: + working well · Police". It is redrawn only when that reading changes, not on every
keystroke.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from textual.content import Content
from textual.widgets import Static

from appreciate_tui.domain import Participant
from appreciate_tui.quicknote import complete_tag, normalise, parse_quick_note
from appreciate_tui.text import printable
from appreciate_tui.tui.themes import STANCE_VARIABLES
from appreciate_tui.tui.widgets.note_input import tag_being_typed

IDLE = "Enter saves the note under this question  ·  ↑ to change a note"
NOTE_KEYS = 'Give the chosen note a stance:  + - ~ > ! " .   ·   Esc back to writing'
"""The footer lists the other keys for a chosen note; these seven would not fit there."""
MAX_TAGS_SHOWN = 6


class NoteHint(Static):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(IDLE, id=id, markup=False)
        self._shown: object = IDLE
        self.participants: Sequence[Participant] = ()
        self.agencies: Sequence[str] = ()
        self.pseudonyms: Mapping[str, str] = {}

    def set_people(self, participants: Sequence[Participant], agencies: Sequence[str]) -> None:
        self.participants = participants
        self.agencies = agencies
        self.pseudonyms = {p.id: p.pseudonym for p in participants}

    def read(self, value: str) -> None:
        """Show what `value` would become; cheap unless the reading changed."""
        self._show(*self._reading(value))

    def show_note_keys(self) -> None:
        """While a note is being chosen, the keys that change it."""
        self._show(NOTE_KEYS, Content.styled(NOTE_KEYS, "$text-muted"))

    def _show(self, key: object, content: Content | str) -> None:
        if key != self._shown:
            self._shown = key
            self.update(content)

    def _reading(self, value: str) -> tuple[object, Content | str]:
        if not value.strip():
            return IDLE, IDLE
        word = tag_being_typed(value)
        tags = complete_tag(word, self.participants, self.agencies) if word is not None else []
        # A finished tag with nothing longer to offer reads as the note it will make.
        if word is not None and tags != [normalise(word)]:
            if not tags:
                return ("no-tag", word), Content.assemble(
                    (f"#{printable(word)}", "$warning"),
                    (" names nobody here; it will stay in the text", "$text-muted"),
                )
            shown = "  ".join(f"#{tag}" for tag in tags[:MAX_TAGS_SHOWN])
            more = f"  +{len(tags) - MAX_TAGS_SHOWN} more" if len(tags) > MAX_TAGS_SHOWN else ""
            return ("tags", tuple(tags)), Content.assemble(
                (shown + more, "$accent"), ("   Tab or → completes", "$text-muted")
            )
        note = parse_quick_note(value, self.participants, self.agencies)
        who = self.pseudonyms.get(note.participant_id or "", "") or note.agency or "nobody yet"
        key = ("note", note.stance, who, bool(note.body))
        if not note.body:
            return key, Content.styled("Type what was said after the mark", "$text-muted")
        return key, Content.assemble(
            ("Enter saves: ", "$text-muted"),
            (f"{note.stance.symbol} {note.stance.label}", f"bold ${STANCE_VARIABLES[note.stance]}"),
            ("  ·  said by ", "$text-muted"),
            printable(who, keep_newlines=False),
        )
