"""Themes: the phrases that keep coming back in what was said, stance by stance.

The method, in the words the app uses to explain it (`METHOD`): two- and three-word phrases used
in at least two notes of a stance, with no stop word ("the", "of", "at", …) at either end; phrases
always said together (in exactly the same notes) are one theme; single words come after the
phrases, and only where at least two of a word's notes carry no phrase theme with it; `#tags` are
listed as they are. The most carried first, ties by the longer phrase, then alphabetically.
Themes are read from the latest `WINDOW` notes (newest conversations first, the same window for
every stance), never from an escalated note, a deleted note or a conversation in the bin.

The facilitator's own reading is kept (store table `theme_choices`, schema m022) and applied over
what is found: a theme renamed, merged into another (shown as one, counting the notes of both
once), or hidden. A choice names the phrase it was made on, so it holds as notes come and go.

Two steps, so that a choice shows at once without reading the notes again: `read` goes through
the notes once and keeps every phrase that could be shown, with the notes that carry it;
`arrange` applies the choices to that reading. No SQL and no Textual here.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from appreciate_tui.domain import Stance

WINDOW = 10_000
"""Themes are read from the latest this many notes (the newest conversations first)."""
MIN_NOTES = 2
THEMES_PER_STANCE = 15
CANDIDATES = 60
"""The most used phrases (and words) of a stance kept by `read` for `arrange` to choose from: more
than are shown, so that hiding or merging a theme brings the next one into view."""
NOTES_LISTED = 200
"""The notes behind a theme listed (drill-down, `--json`): the latest this many."""
LONGEST_TERM = 80
"""A 'word' longer than this (a pasted URL, a run of letters) is never a theme."""

METHOD = (
    "Themes are two- and three-word phrases used in at least two notes of a stance, stop words "
    "left off their ends; phrases always said together are one theme; single words only after "
    "the phrases, where no phrase covers them. Escalated notes are never read."
)

STOP_WORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each either else even
    ever every few for from further get got had has have having he her here hers herself him
    himself his how however i if in into is it its itself just let like made make many may me might
    more most much must my myself need no nor not now of off on once one only or other our ours
    ourselves out over own per put quite rather really said same say says see she should since so
    some such than that the their theirs them themselves then there these they this those though
    through to too under until up upon us use used very via was we well were what when where
    whether which while who whom whose why will with within without would yet you your yours
    yourself yourselves s t d ll m re ve don doesn didn isn wasn aren weren won wouldn couldn
    shouldn haven hasn hadn always often sometimes usually still already everyone everything
    someone something anyone anything lot lots thing things way
    """.split()
)

# A word (letters or digits, joined by hyphens or apostrophes inside it: "follow-up", "child's"),
# a #tag, or one mark of punctuation, which ends a phrase.
_TOKEN = re.compile(r"#?[^\W_]+(?:[-'’][^\W_]+)*|[^\w\s]")
_BREAK, _INSIDE, _EDGE, _TAG = 0, 1, 2, 3
"""What a token can be in a phrase: a break (punctuation), only inside one (a stop word, a
number), at its ends too (a content word), or a #tag (a break, counted apart)."""


def _kind(token: str) -> int:
    first = token[0]
    if first == "#":
        return _TAG if len(token) > 1 and len(token) <= LONGEST_TERM else _BREAK
    if not first.isalnum():
        return _BREAK
    base = token.replace("’", "'").split("'", 1)[0]  # "it's" is as "it" is; "child's" a word
    if (base in STOP_WORDS or token in STOP_WORDS or token.isdigit() or len(token) < 2
            or len(token) > LONGEST_TERM):
        return _INSIDE
    return _EDGE


_KINDS: dict[str, int] = {}
"""Each token's kind, once worked out (emptied by `read` when it grows past `_KINDS_KEPT`)."""
_KINDS_KEPT = 200_000


def terms(text: str) -> set[str]:
    """What a note can contribute to themes: its content words, its two- and three-word phrases
    (a content word at each end, not across punctuation) and its #tags, in lower case."""
    plain = text.casefold()
    if not plain.isascii():
        plain = unicodedata.normalize("NFC", plain).replace("’", "'")
    tokens = _TOKEN.findall(plain)
    known = list(map(_KINDS.get, tokens))
    kinds: list[int] = (
        [_KINDS.setdefault(t, _kind(t)) if k is None else k for t, k in zip(tokens, known)]
        if None in known else known  # type: ignore[assignment]  # None is not in it
    )
    found = {token for token, kind in zip(tokens, kinds) if kind >= _EDGE}
    second, second_kinds = tokens[1:], kinds[1:]
    found.update([a + " " + b for a, b, ka, kb in zip(tokens, second, kinds, second_kinds)
                  if ka == _EDGE and kb == _EDGE])
    found.update([
        a + " " + b + " " + c
        for a, b, c, ka, kb, kc in zip(tokens, second, tokens[2:], kinds, second_kinds, kinds[2:])
        if ka == _EDGE and kc == _EDGE and (kb == _EDGE or kb == _INSIDE)
    ])
    return found


@dataclass(frozen=True)
class Theme:
    term: str
    """The phrase, word or #tag that names the theme: the one its choices are kept under."""
    notes: int
    """How many notes (of the notes read) carry it."""
    label: str = ""
    """The name the facilitator gave it, or ''."""
    phrases: tuple[str, ...] = ()
    """The phrases always said together in it, `term` first."""
    merged: tuple[str, ...] = ()
    """The phrases (and words) the facilitator merged into it."""
    note_ids: tuple[str, ...] = ()
    """The notes that carry it, the latest first."""
    conversations: int = 0
    hidden: bool = False

    @property
    def shown_as(self) -> str:
        return self.label or self.term


@dataclass(frozen=True)
class ThemeChoice:
    """A facilitator's choice about one phrase of one stance."""

    stance: Stance
    phrase: str
    label: str = ""
    merged_into: str | None = None
    hidden: bool = False


@dataclass(frozen=True)
class ThemeWindow:
    """Which notes the themes were read from."""

    notes: int  # read (escalated notes are never read)
    limit: int
    oldest: str | None  # the date of the oldest conversation read from
    cut: bool  # there were more notes than the window holds


@dataclass
class _Stance:
    """What `read` keeps of one stance: term -> positions (in the window) of the notes with it."""

    carried: dict[str, list[int]] = field(default_factory=dict)


@dataclass
class Reading:
    """The notes read, and for each stance the terms that could be shown with their notes."""

    window: ThemeWindow
    note_ids: list[str]
    conversation_ids: list[str]
    stances: dict[Stance, _Stance]


def read(rows: Iterable[Sequence[str]], choices: Iterable[ThemeChoice] = (), *,
         limit: int = WINDOW) -> Reading:
    """Read the notes, the latest first, as rows (id, conversation_id, stance, body, conversation
    date): at most `limit` of them (one row more says that there were more). Keeps for each
    stance its most used phrases and words, its #tags, and every phrase a choice names, each
    with the notes that carry it."""
    note_ids: list[str] = []
    conversation_ids: list[str] = []
    stance_of: list[Stance] = []
    found: list[set[str]] = []
    counts: dict[Stance, Counter[str]] = defaultdict(Counter)
    oldest = None
    stances = {stance.value: stance for stance in Stance}
    if len(_KINDS) > _KINDS_KEPT:  # a pasted run of made-up words must not stay in memory
        _KINDS.clear()
    cut = False
    for note_id, conversation_id, stance_name, body, held_on in rows:
        if len(note_ids) >= limit:
            cut = True
            break
        stance = stances.get(stance_name)
        if stance is None:
            continue
        note_terms = terms(body)
        counts[stance].update(note_terms)
        note_ids.append(note_id)
        conversation_ids.append(conversation_id)
        stance_of.append(stance)
        found.append(note_terms)
        oldest = held_on
    named: dict[Stance, set[str]] = defaultdict(set)
    for choice in choices:
        named[choice.stance].add(choice.phrase)
        if choice.merged_into:
            named[choice.stance].add(choice.merged_into)
    wanted: dict[Stance, set[str]] = {}
    for stance, counted in counts.items():
        phrases: list[tuple[int, int, str]] = []
        words: list[tuple[int, int, str]] = []
        tags: list[tuple[int, str]] = []
        for term, notes in counted.items():
            if term[0] == "#":
                tags.append((-notes, term))
            elif notes >= MIN_NOTES:
                (phrases if " " in term else words).append((-notes, -term.count(" "), term))
        keep = {term for *_, term in sorted(phrases)[:CANDIDATES]}
        keep.update(term for *_, term in sorted(words)[:CANDIDATES])
        keep.update(term for _, term in sorted(tags)[:THEMES_PER_STANCE * 2])
        wanted[stance] = keep | named.get(stance, set())
    kept = {stance: _Stance({term: [] for term in wanted[stance]}) for stance in counts}
    for position, (stance, note_terms) in enumerate(zip(stance_of, found)):
        carried = kept[stance].carried
        for term in note_terms & wanted[stance]:
            carried[term].append(position)
    for stance_kept in kept.values():  # a phrase a choice names that no note carries now
        stance_kept.carried = {term: at for term, at in stance_kept.carried.items() if at}
    return Reading(ThemeWindow(len(note_ids), limit, oldest, cut), note_ids, conversation_ids,
                   kept)


@dataclass
class _Group:
    term: str
    phrases: list[str]  # found in exactly the same notes, `term` first
    notes: set[int]
    merged: list[str] = field(default_factory=list)  # the phrases of choices merging into it


@dataclass(frozen=True)
class StanceThemes:
    """What insights show for one stance."""

    themes: list[Theme]  # phrases and words, the most carried first
    tags: list[Theme]
    hidden: list[Theme]  # hidden by the facilitator, to show again


def arrange(reading: Reading, choices: Iterable[ThemeChoice] = (), *,
            per_stance: int = THEMES_PER_STANCE) -> dict[Stance, StanceThemes]:
    """Each stance's themes, the most carried first (at most `per_stance` phrases and words and as
    many #tags), after the facilitator's choices. Every theme hidden is listed apart."""
    by_stance: dict[Stance, list[ThemeChoice]] = defaultdict(list)
    for choice in choices:
        by_stance[choice.stance].append(choice)
    arranged = {}
    for stance in Stance:
        kept = reading.stances.get(stance)
        found = _themes(reading, kept, by_stance.get(stance, [])) if kept else []
        shown = [t for t in found if not t.hidden]
        arranged[stance] = StanceThemes(
            themes=[t for t in shown if not t.term.startswith("#")][:per_stance],
            tags=[t for t in shown if t.term.startswith("#")][:per_stance],
            hidden=[t for t in found if t.hidden],
        )
    return arranged


def _themes(reading: Reading, kept: _Stance, choices: list[ThemeChoice]) -> list[Theme]:
    carried = kept.carried
    chosen = {choice.phrase: choice for choice in choices}
    # Phrases said in exactly the same notes are one theme, named by the longest (then first).
    same_notes: dict[tuple[int, ...], list[str]] = defaultdict(list)
    for term, positions in carried.items():
        if " " in term and len(positions) >= MIN_NOTES:
            same_notes[tuple(positions)].append(term)
    groups: dict[str, _Group] = {}
    for together, phrases in same_notes.items():
        phrases.sort(key=_longest_first)
        groups[phrases[0]] = _Group(phrases[0], phrases, set(together))
    # A word: only where two of its notes carry no phrase theme that has the word in it.
    words_in: dict[str, set[int]] = defaultdict(set)
    for group in groups.values():
        for phrase in group.phrases:
            for word in phrase.split():
                words_in[word] |= group.notes
    for term, positions in carried.items():
        if " " in term:
            continue
        if term[0] == "#" or (len(positions) >= MIN_NOTES and len(term) > 2
                              and len(set(positions) - words_in[term]) >= MIN_NOTES):
            groups[term] = _Group(term, [term], set(positions))
    owner = {phrase: group.term for group in groups.values() for phrase in group.phrases}
    # Merges: a theme merged into another is shown as part of it, its notes counted once.
    for term in sorted(chosen):
        target = _merge_target(term, chosen)
        if target is None:
            continue
        if term not in owner:  # no longer a theme of its own: what notes it has still join
            if not carried.get(term):
                continue
            groups[term] = _Group(term, [term], set(carried[term]))
            owner[term] = term
        if target not in owner:
            groups[target] = _Group(target, [target], set(carried.get(target, ())))
            owner[target] = target
        source, into = groups[owner[term]], groups[owner[target]]
        if source is into:
            continue
        del groups[source.term]
        # Listed as merged: the phrases the choices name (a split names one of them).
        for phrase in [term, *source.merged]:
            if phrase not in into.merged:
                into.merged.append(phrase)
        for phrase in source.phrases + source.merged:
            owner[phrase] = into.term
        into.notes |= source.notes
    themes = []
    for group in groups.values():
        if not group.notes:
            continue
        label = next((chosen[p].label for p in group.phrases if p in chosen and chosen[p].label),
                     "")
        positions = sorted(group.notes)
        themes.append(Theme(
            term=group.term, notes=len(positions), label=label,
            phrases=tuple(group.phrases), merged=tuple(group.merged),
            note_ids=tuple(reading.note_ids[p] for p in positions),
            conversations=len({reading.conversation_ids[p] for p in positions}),
            hidden=any(chosen[p].hidden for p in group.phrases if p in chosen),
        ))
    # Phrases first: a single word only fills in after them.
    themes.sort(key=lambda t: (" " not in t.term and not t.merged, -t.notes,
                               *_longest_first(t.term)))
    return themes


def _longest_first(phrase: str) -> tuple[int, str]:
    return (-phrase.count(" "), phrase)


def _merge_target(term: str, chosen: dict[str, ThemeChoice]) -> str | None:
    """Where a phrase merged into another ends up, following merges of merges (never round)."""
    seen = {term}
    target = chosen[term].merged_into
    while target is not None and target in chosen and chosen[target].merged_into:
        if target in seen:
            return None
        seen.add(target)
        target = chosen[target].merged_into
    return target if target not in seen else None
