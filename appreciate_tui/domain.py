"""The facilitator's vocabulary (DESIGN.md section 2) as plain dataclasses and enums. No I/O here."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import StrEnum


def now() -> datetime:
    """The one clock of the app: tests freeze it by replacing this function."""
    return datetime.now(timezone.utc)


def utc_now() -> str:
    """An ISO-8601 UTC timestamp with microseconds, the one format stored everywhere."""
    return now().isoformat(timespec="microseconds")


def parse_time(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp)


def running_seconds(since: datetime, until: datetime, pauses: Iterable[Pause] = ()) -> float:
    """Seconds from `since` to `until` with the conversation running: the time it stood paused
    (a comfort break, a fire alarm) is left out, so a question's or a phase's time is talk time.
    A pause not yet over lasts until `until`."""
    running = (until - since).total_seconds()
    for pause in pauses:
        start = max(parse_time(pause.paused_at), since)
        end = min(parse_time(pause.resumed_at) if pause.resumed_at else until, until)
        if end > start:
            running -= (end - start).total_seconds()
    return max(running, 0.0)


class Phase(StrEnum):
    """The 5-D cycle, in order."""

    DEFINE = "define"
    DISCOVER = "discover"
    DREAM = "dream"
    DESIGN = "design"
    DELIVER = "deliver"

    @classmethod
    def parse(cls, value: str) -> Phase:
        """Read a phase name; `destiny` is the older name of `deliver`."""
        text = str(value).strip().lower()
        if text == "destiny":
            return cls.DELIVER
        return cls(text)

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def order(self) -> int:
        return list(Phase).index(self)


class Stance(StrEnum):
    """What a note is: the facilitator's reading of what was said."""

    STRENGTH = "strength"
    CONCERN = "concern"
    DREAM = "dream"
    IDEA = "idea"
    ACTION = "action"
    QUOTE = "quote"
    NOTE = "note"

    @property
    def label(self) -> str:
        return STANCE_LABELS[self]

    @property
    def symbol(self) -> str:
        """The one-character mark shown beside a note everywhere (TUI, CLI, reports)."""
        return STANCE_SYMBOLS[self]

    @property
    def mark(self) -> str:
        """The quick-note prefix that gives a note this stance ('' for a plain note)."""
        return STANCE_MARKS.get(self, "")

    @classmethod
    def from_mark(cls, mark: str) -> Stance | None:
        for stance, stance_mark in STANCE_MARKS.items():
            if stance_mark == mark:
                return stance
        return None


STANCE_LABELS = {
    Stance.STRENGTH: "working well",
    Stance.CONCERN: "concern",
    Stance.DREAM: "dream",
    Stance.IDEA: "idea",
    Stance.ACTION: "action",
    Stance.QUOTE: "quote",
    Stance.NOTE: "note",
}

STANCE_SYMBOLS = {
    Stance.STRENGTH: "+",
    Stance.CONCERN: "-",
    Stance.DREAM: "~",
    Stance.IDEA: ">",
    Stance.ACTION: "!",
    Stance.QUOTE: '"',
    Stance.NOTE: "·",
}

STANCE_MARKS = {
    Stance.STRENGTH: "+",
    Stance.CONCERN: "-",
    Stance.DREAM: "~",
    Stance.IDEA: ">",
    Stance.ACTION: "!",
    Stance.QUOTE: '"',
}


class ConversationStatus(StrEnum):
    PLANNED = "planned"
    LIVE = "live"
    CLOSED = "closed"


class QuestionKind(StrEnum):
    PREPARED = "prepared"
    FOLLOW_UP = "follow_up"


class QuestionStatus(StrEnum):
    PENDING = "pending"
    ASKED = "asked"
    SKIPPED = "skipped"


class ActionStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"


DEFAULT_AGENCIES = ("Children's social care", "Health", "Police", "Education", "Other")


@dataclass(frozen=True)
class Conversation:
    id: str
    title: str
    topic: str
    status: ConversationStatus
    date: str
    created_at: str
    updated_at: str
    setting: str = ""
    facilitator: str = ""
    opening: str = ""
    start_time: str = ""
    """When the meeting starts, `HH:MM` local time ('' when not yet fixed); `date` is its day."""
    bank_id: str | None = None
    current_question_id: str | None = None
    started_at: str | None = None
    ended_at: str | None = None
    questions_shared_at: str | None = None
    key_learning: str = ""
    phase_budget: dict[str, int] = field(default_factory=dict)
    deleted_at: str | None = None


@dataclass(frozen=True)
class Participant:
    id: str
    conversation_id: str
    pseudonym: str
    agency: str
    created_at: str
    updated_at: str
    name: str = ""
    role: str = ""
    invited: bool = True
    attended: bool = False
    absence_reason: str = ""


@dataclass(frozen=True)
class Question:
    id: str
    conversation_id: str
    text: str
    phase: Phase
    position: int
    kind: QuestionKind
    status: QuestionStatus
    created_at: str
    updated_at: str
    parent_id: str | None = None
    asked_at: str | None = None
    prompts: tuple[str, ...] = ()
    worth_keeping: bool = False
    scale: bool = False

    @property
    def is_follow_up(self) -> bool:
        return self.kind is QuestionKind.FOLLOW_UP


@dataclass(frozen=True)
class Note:
    id: str
    conversation_id: str
    question_id: str
    body: str
    stance: Stance
    created_at: str
    updated_at: str
    sha256: str
    participant_id: str | None = None
    agency: str | None = None
    starred: bool = False
    escalate: bool = False
    escalation_handled_at: str | None = None
    escalation_passed_to: str = ""
    deleted_at: str | None = None
    parked: bool = False
    """Raised to come back to later (`?` at the start of the line): in the parking lot until it
    is asked as a follow-up question."""
    follow_up_id: str | None = None
    """The follow-up question a parked note became, once it was picked up."""

    @property
    def open_escalation(self) -> bool:
        return self.escalate and self.escalation_handled_at is None

    @property
    def waiting(self) -> bool:
        """Parked and not yet picked up: "raised, not yet discussed"."""
        return self.parked and self.follow_up_id is None and self.deleted_at is None


NOTE_CHANGES = ("body", "stance", "who", "star", "park", "delete")
"""What a change to a note can touch, as a revision names it: what it says, its stance, who said
it, its star, whether it is parked, whether it is deleted. The first three are its words."""
WORD_CHANGES = frozenset(NOTE_CHANGES[:3])


@dataclass(frozen=True)
class NoteRevision:
    """A note as it was just before a change: its words, and (for changes made since undo came)
    its star, parking and deletion, with what the change touched. An undo is a change too, and
    says which revision it undid."""

    id: str
    note_id: str
    body: str
    stance: Stance
    agency: str | None
    participant_id: str | None
    revised_at: str
    change: tuple[str, ...] = ()
    """Which of NOTE_CHANGES the change touched; empty for a revision kept by a merge, or made
    before appreciate recorded it (those are earlier wordings only)."""
    starred: bool | None = None
    parked: bool | None = None
    deleted: bool | None = None
    undoes: str | None = None
    """The revision whose change this one undid."""


@dataclass(frozen=True)
class NoteUndo:
    """What an undo did: the note as it is now, as it was, and which change was taken back."""

    note: Note
    before: Note
    change: tuple[str, ...]


@dataclass(frozen=True)
class Pause:
    """A time the conversation's clock stood still (a comfort break, a fire alarm)."""

    id: str
    conversation_id: str
    paused_at: str
    created_at: str
    updated_at: str
    resumed_at: str | None = None


@dataclass(frozen=True)
class Action:
    id: str
    conversation_id: str
    description: str
    status: ActionStatus
    created_at: str
    updated_at: str
    owner: str = ""
    due: str | None = None
    note_id: str | None = None


SCORES = range(1, 6)
"""What a question's score (and the activity's rating) can be: 1 to 5."""
RATING_LABELS = {5: "very worthwhile", 4: "worthwhile", 3: "fair", 2: "not very",
                 1: "not at all"}
"""The activity's rating in words, as the feedback form and the printed form give it."""
SCORE_LABELS = {5: "very useful", 1: "not useful"}
"""The ends of a question's scale, as the printed form gives them."""


def check_scores(scores: Mapping[str, object]) -> dict[str, int]:
    """Question id → score, each a whole number from 1 to 5, or ValueError saying which is not
    (a flag, a fraction or text is not a score)."""
    checked: dict[str, int] = {}
    for question_id, score in scores.items():
        if type(score) is not int or score not in SCORES:
            raise ValueError(f"a question's score is from 1 to 5, not {score!r}")
        checked[str(question_id)] = score
    return checked


@dataclass(frozen=True)
class Feedback:
    id: str
    conversation_id: str
    created_at: str
    participant_id: str | None = None
    agency: str | None = None
    rating: int | None = None
    advance_questions_helped: bool | None = None
    useful_question_ids: tuple[str, ...] = ()
    """The questions ticked "most useful" (as feedback was given before scores per question)."""
    comments: str = ""
    question_scores: Mapping[str, int] = field(default_factory=dict)
    """Question id → how useful they found it, from 1 to 5; questions not scored are absent."""

    @property
    def from_agency(self) -> bool:
        """Given on behalf of an agency, not by one participant."""
        return self.participant_id is None and bool(self.agency)


@dataclass(frozen=True)
class Share:
    id: str
    conversation_id: str
    format: str
    created_at: str
    redacted: bool = False
    recipient: str = ""
    purpose: str = ""
    path: str | None = None
    """The file it was written to on this laptop; None when printed or copied."""


@dataclass(frozen=True)
class SearchHit:
    """One place a search matched: a note, a question, a conversation's title/topic, its key
    learning, an absence reason, an action or a feedback comment."""

    kind: str  # store/search.py KINDS: "note", "question", "conversation", "key_learning", …
    conversation_id: str
    conversation_title: str
    question_id: str | None
    question: str
    note_id: str | None
    snippet: str
    rank: float
    item_id: str | None = None
    """The participant (absence), action or feedback the match is in."""
    place: str = ""
    """Who it is about, for an absence, an action or feedback: "Health 2 (Health)", an owner."""


@dataclass(frozen=True)
class ChecksumMismatch:
    note_id: str
    conversation_id: str
    stored: str
    actual: str


@dataclass(frozen=True)
class UnreadableValue:
    """A stored value appreciate cannot read (written by another program, or damaged); the app
    reads it as empty."""

    table: str
    row_id: str
    column: str
    label: str = ""  # what the value is, in the words `appreciate check` prints


@dataclass(frozen=True)
class CheckReport:
    quick_check: list[str]
    mismatches: list[ChecksumMismatch]
    notes_checked: int
    unreadable: list[UnreadableValue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.quick_check == ["ok"] and not self.mismatches and not self.unreadable


@dataclass(frozen=True)
class ConversationSummary:
    """One row of the conversations browser: a conversation and what is counted about it."""

    conversation: Conversation
    notes: int
    open_actions: int  # open or in progress
    agencies: tuple[str, ...]  # who was in the room; for a planned conversation, who is invited
    pauses: tuple[Pause, ...] = ()  # of a live conversation, so the list can show its clock


@dataclass(frozen=True)
class Score:
    """A 0-10 answer to a scale question, by an agency or a participant (`=7 #police`)."""

    id: str
    conversation_id: str
    value: int
    created_at: str
    updated_at: str
    question_id: str | None = None
    note_id: str | None = None
    participant_id: str | None = None
    agency: str | None = None


def parse_due_date(due: str | None) -> str | None:
    """A due date as stored: YYYY-MM-DD (2026-4-3 is read as 2026-04-03), or None. A date
    written right that is not on the calendar (2027-02-30) is said not to exist."""
    import calendar
    import re

    from appreciate_tui.text import clean_line

    if due is None or not due.strip():
        return None
    try:
        return datetime.strptime(due.strip(), "%Y-%m-%d").date().isoformat()
    except ValueError:
        shape = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", due.strip())
        if shape is None:
            raise ValueError(
                f"a due date is YYYY-MM-DD, like 2026-04-30, not {clean_line(due)!r}"
            ) from None
        year, month, _ = (int(part) for part in shape.groups())
        if not 1 <= month <= 12:
            why = "a year has 12 months"
        elif year < 1:
            why = "there is no year 0"
        else:
            days = calendar.monthrange(year, month)[1]
            why = f"{calendar.month_name[month]} {year} has {days} days"
        raise ValueError(f"{clean_line(due)} does not exist: {why}") from None
