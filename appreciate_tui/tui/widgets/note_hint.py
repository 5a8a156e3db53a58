"""The line under the note input: what Enter will save, and which `#tags` match what is typed.

It answers "did it understand me?" before the note is saved: `+ strategy calls … #pol` reads
"Enter saves: + working well · said by Police 1 (only #police here)". While a tag is being
typed, the tags it could become follow that reading rather than replace it, so who the note would
be said by can be checked before Enter even with a tag half typed. Tags that name nobody, and a
score nobody known gave, are said there too. It is redrawn only when that reading changes, not on
every keystroke.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from textual.content import Content
from textual.widgets import Static

from appreciate_tui.domain import Participant
from appreciate_tui.quicknote import (
    QuickNote,
    agency_tag,
    complete_tag,
    normalise,
    parse_quick_note,
)
from appreciate_tui.text import printable
from appreciate_tui.tui.themes import STANCE_VARIABLES
from appreciate_tui.tui.widgets.note_input import tag_being_typed

IDLE = "Enter saves the note under this question  ·  ↑ to change a note"
NOTE_KEYS = 'Give it a stance:  + - ~ > ! " .   ·   ? parks it   ·   Esc back to writing'
"""The footer lists the other keys for a chosen note; these eight would not fit there."""
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
            # One line as wide as the note line: a new reading redraws the hint alone, where a
            # layout would redraw the whole screen while a #tag is typed.
            self.update(content, layout=self.styles.auto_dimensions)

    def _reading(self, value: str) -> tuple[object, Content | str]:
        if not value.strip():
            return IDLE, IDLE
        note = parse_quick_note(value, self.participants, self.agencies)
        word = tag_being_typed(value)
        tags = complete_tag(word, self.participants, self.agencies) if word is not None else []
        # The tag being typed is offered its completions, not called unknown half-way through;
        # one already whole is not offered again.
        offered = [tag for tag in tags if word is None or tag != normalise(word)]
        unknown = [tag for tag in note.unknown_tags if not (tags and tag == word)]
        saves = self._saves(note, unknown)
        if not offered:
            return saves.plain, saves
        shown = "  ".join(f"#{tag}" for tag in offered[:MAX_TAGS_SHOWN])
        more = f"  +{len(offered) - MAX_TAGS_SHOWN} more" if len(offered) > MAX_TAGS_SHOWN else ""
        reading = Content.assemble(
            saves, ("  ·  ", "$text-muted"), ("Tab ", "bold"), (shown + more, "$accent")
        )
        return reading.plain, reading

    def _saves(self, note: QuickNote, unknown: Sequence[str]) -> Content:
        """What Enter would save now, said by whom, and anything in the line that names nobody."""
        if not note.body and note.score is None:
            return Content.styled("Type what was said after the mark", "$text-muted")
        if note.score is not None:
            what = (f"score {note.score}/10", "bold")
        elif note.unscored is not None:
            what = (f"{note.stance.symbol} {note.stance.label}, not a score", "bold $warning")
        elif note.parked:
            what = ("? parked, to come back to", "bold $accent")
        else:
            what = (f"{note.stance.symbol} {note.stance.label}",
                    f"bold ${STANCE_VARIABLES[note.stance]}")
        parts: list[Content | tuple[str, str] | str] = [("Enter saves: ", "$text-muted"), what]
        named = " ".join(f"#{printable(tag, keep_newlines=False)}" for tag in unknown)
        if note.unscored is not None:
            # Why, in the words that fit under the note at 80 columns.
            parts.append((f": {named} is unknown" if named else ": say who gave it with a #tag",
                          "$warning"))
            return Content.assemble(*parts)
        given = "  ·  given by " if note.score is not None else "  ·  said by "
        parts += [(given, "$text-muted"), self._who(note)]
        if named:
            parts += [("  ·  ", "$text-muted"), (f"{named} unknown", "$warning"),
                      (", stays in the text", "$text-muted")]
        return Content.assemble(*parts)

    def _who(self, note: QuickNote) -> Content:
        person = self.pseudonyms.get(note.participant_id or "")
        if person is not None:
            who = Content(printable(person, keep_newlines=False))
            if note.only_one_here and note.agency:
                only = f" (only #{agency_tag(note.agency, self.agencies)} here)"
                who += Content.styled(only, "$text-muted")
            return who
        if note.agency:
            return Content.assemble(printable(note.agency, keep_newlines=False),
                                    (" (agency)", "$text-muted"))
        return Content.styled("nobody yet", "$text-muted")
