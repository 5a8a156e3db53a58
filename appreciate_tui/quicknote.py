"""The quick-note grammar of the facilitation screen (DESIGN.md section 3).

A note is typed as one line. An optional leading mark gives its stance (`+` working well,
`-` concern, `~` dream, `>` idea, `!` action, `"` quote; no mark is a plain note) and `#tags`
anywhere say who said it: an agency (`#police`, `#csc`, `#socialcare`) or a participant by
pseudonym (`#health1` is "Health 1"). Tags are matched ignoring case, spaces and punctuation. A tag
that names nobody stays in the text, so nothing the facilitator typed is ever dropped.

Partners say "police said" more often than "Police 1 said". So an agency tag names a person when
they are the only one here from that agency (the note is theirs, and Who's here counts it for
them); with two or more here, the note is the agency's.

A line that starts `?` is parked: a point raised to come back to later, listed in the parking lot
until it is asked as a follow-up question.

A line that starts `=7` (or `=7/10`; 0 to 10) is a score for a scale question, given by whoever its
tag names (`=7 #police`); the rest of the line is its comment. A score nobody known gave would count
in the mean as if someone had: without a tag naming an agency or person here, the line is kept as
a plain note, as typed.

No Textual here: the grammar is plain text in, plain data out, and is tested on its own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from appreciate_tui.domain import Participant, Stance

# A tag starts at the beginning of the line or after a space, so "item#3" is left alone.
_TAG = re.compile(r"(?<!\S)#([^\s#]+)")
_TRAILING_PUNCTUATION = ".,;:!?)]}'\"’"

# Words partners use for an agency that neither its name nor its initials give. Keys and values are
# normalised names; an alias only applies when its agency is one of the conversation's agencies.
_ALIASES = {
    "nhs": "health",
    "gp": "health",
    "school": "education",
    "schools": "education",
    "sc": "childrenssocialcare",
    "cs": "childrenssocialcare",
    "childrensservices": "childrenssocialcare",
}


@dataclass(frozen=True)
class QuickNote:
    """One typed line, read: what stance, what text, who said it."""

    stance: Stance
    body: str
    agency: str | None = None
    participant_id: str | None = None
    tags: tuple[str, ...] = ()
    """The tags (without `#`) that gave the attribution and were taken out of the body."""
    unknown_tags: tuple[str, ...] = ()
    """Tags that named no agency or participant; they stay in the body as typed."""
    score: int | None = None
    """`=7 #police`: a 0-10 score (for a scale question); `body` is then the comment, if any."""
    parked: bool = False
    """`? …`: raised to come back to later (the parking lot), a plain note until then."""
    only_one_here: bool = False
    """The tag named an agency, and the note is its one person here's (`participant_id`)."""
    unscored: int | None = None
    """A score typed with no tag naming who gave it: the line is a plain note, `body` as typed."""


PARK_MARK = "?"
"""At the start of a line: park the note, to come back to (no stance mark uses it, nor `=`)."""

# `=7`, `= 7` or `=7/10` at the start of the line: a score from 0 to 10.
_SCORE = re.compile(r"=\s*(10|[0-9])(?:\s*/\s*10)?(?![\w/])")


def normalise(text: str) -> str:
    """The form tags are compared in: lower case, letters and digits ("Health 1" → "health1")."""
    return "".join(char for char in text.casefold() if char.isalnum())


def _word_tails(name: str) -> list[str]:
    """Normalised endings of a name, whole words: "Children's social care" → socialcare, care."""
    words = [normalise(word) for word in name.split()]
    words = [word for word in words if word]
    return ["".join(words[start:]) for start in range(1, len(words))]


def _initials(name: str) -> str:
    words = [normalise(word) for word in name.split()]
    return "".join(word[0] for word in words if word)


def agency_tag(agency: str, agencies: Sequence[str] = ()) -> str:
    """The short tag shown and completed for an agency: its name if one word, else its initials.

    Initials that two agencies share are ambiguous, so the full name is used for those.
    """
    words = [word for word in agency.split() if normalise(word)]
    if len(words) < 2:
        return normalise(agency)
    initials = _initials(agency)
    if sum(1 for other in agencies if _initials(other) == initials and len(other.split()) > 1) > 1:
        return normalise(agency)
    return initials


def participant_tag(participant: Participant) -> str:
    return normalise(participant.pseudonym)


def _spellings(agency: str, agencies: Sequence[str]) -> list[str]:
    """Every tag spelling that names `agency`, the preferred one first."""
    spellings = [agency_tag(agency, agencies), normalise(agency), *_word_tails(agency)]
    if len(agency.split()) > 1:
        spellings.append(_initials(agency))
    spellings += [alias for alias, target in _ALIASES.items() if target == normalise(agency)]
    return list(dict.fromkeys(spelling for spelling in spellings if spelling))


def _resolve_agency(key: str, agencies: Sequence[str]) -> str | None:
    """The agency a normalised tag names: exactly, by initials, alias or word ending, else by a
    prefix that only one agency has."""
    for agency in agencies:
        if key == normalise(agency):
            return agency
    exact = [agency for agency in agencies if key in _spellings(agency, agencies)]
    if len(exact) == 1:
        return exact[0]
    if len(key) < 2:
        return None
    by_prefix = [
        agency
        for agency in agencies
        if any(spelling.startswith(key) for spelling in _spellings(agency, agencies))
    ]
    return by_prefix[0] if len(by_prefix) == 1 else None


def _resolve_participant(key: str, participants: Sequence[Participant]) -> Participant | None:
    for participant in participants:
        if key == normalise(participant.pseudonym):
            return participant
    named = [p for p in participants if p.name and key == normalise(p.name)]
    return named[0] if len(named) == 1 else None


def _tag_key(word: str) -> str:
    return normalise(word.rstrip(_TRAILING_PUNCTUATION))


def parse_quick_note(
    line: str, participants: Sequence[Participant] = (), agencies: Sequence[str] = ()
) -> QuickNote:
    """Read one typed line.

    One attribution per note: a participant tag wins over an agency tag (it is more precise),
    else the first agency tag, which names its one person here if it has only one (`attended`).
    Tags that name the chosen person or agency again are removed too; a tag naming someone else
    stays in the body, because "police and health agreed #police #health" must not lose the
    second word.
    """
    text = typed = line.strip()
    stance = Stance.NOTE
    score = None
    parked = text.startswith(PARK_MARK)
    if parked:
        text = text[len(PARK_MARK) :].strip()
    elif (scored := _SCORE.match(text)) is not None:
        score = int(scored.group(1))
        text = text[scored.end() :].strip()
    elif text and (marked := Stance.from_mark(text[0])) is not None:
        stance = marked
        text = text[1:].strip()

    matches = list(_TAG.finditer(text))
    resolved: list[tuple[re.Match[str], str | None, Participant | None]] = []
    unknown: list[str] = []
    for match in matches:
        key = _tag_key(match.group(1))
        person = _resolve_participant(key, participants) if key else None
        agency = None if person else (_resolve_agency(key, agencies) if key else None)
        if person or agency:
            resolved.append((match, agency, person))
        else:
            unknown.append(match.group(1))

    person = next((p for _, _, p in resolved if p is not None), None)
    agency = person.agency if person else next((a for _, a, _ in resolved if a), None)
    only_one_here = False
    if person is None and agency is not None:
        here = [p for p in participants if p.attended and p.agency == agency]
        if len(here) == 1:
            person, only_one_here = here[0], True
    if score is not None and agency is None:
        return QuickNote(
            stance=Stance.NOTE,
            body=" ".join(typed.split()),
            unknown_tags=tuple(unknown),
            unscored=score,
        )
    used = [
        match
        for match, tag_agency, tag_person in resolved
        if (person is not None and tag_person == person)
        or (tag_agency is not None and tag_agency == agency)
    ]
    for match, _, _ in resolved:
        if match not in used:
            unknown.append(match.group(1))

    body = text
    for match in reversed(used):
        start, end = match.span()
        trailing = match.group(1)[len(match.group(1).rstrip(_TRAILING_PUNCTUATION)) :]
        body = body[:start] + trailing + body[end:]
    body = " ".join(body.split())
    if stance is Stance.QUOTE and body.endswith('"'):
        body = body[:-1].rstrip()  # the closing mark of "a quote like this"

    return QuickNote(
        stance=stance,
        body=body,
        agency=agency,
        participant_id=person.id if person else None,
        tags=tuple(match.group(1).rstrip(_TRAILING_PUNCTUATION) for match in used),
        unknown_tags=tuple(word for word in unknown),
        score=score,
        parked=parked,
        only_one_here=only_one_here,
    )


def complete_tag(
    prefix: str, participants: Sequence[Participant] = (), agencies: Sequence[str] = ()
) -> list[str]:
    """Tags (without `#`) that start with `prefix`, for autocomplete.

    Agencies come first, each once, in the spelling that matches what was typed (so `#ch` offers
    `childrenssocialcare` and `#c` offers `csc`), then participants in pseudonym order.
    """
    key = normalise(prefix.lstrip("#"))
    found: list[str] = []
    for agency in agencies:
        spelling = next((s for s in _spellings(agency, agencies) if s.startswith(key)), None)
        if spelling:
            found.append(spelling)
    found += [
        tag for tag in sorted(participant_tag(p) for p in participants) if tag.startswith(key)
    ]
    return list(dict.fromkeys(found))
