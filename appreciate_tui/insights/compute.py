"""Insights across conversations: what the partnership learns from all of them (DESIGN.md §9).

`compute` turns the store's aggregate rows (store/insights.py) into an `Insights`: the stances
over time and per conversation, the balance of concerns, strengths, dreams and ideas, themes (the
phrases that recur in each stance's notes, insights/themes.py), actions across conversations (open, overdue, by owner
agency), successes to celebrate, voices (attendance and contributions per agency: which one is
missing?), the questions used most and found most useful, outcome areas, and scores (each
conversation's, and each agency's over time: insights/scores.py). The
insights screen and `appreciate insights` both show it; `as_json` is its form for scripts.

No Textual and no SQL here.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from appreciate_tui import domain
from appreciate_tui.domain import DEFAULT_AGENCIES, ActionStatus, Stance
from appreciate_tui.insights import themes as theme_method
from appreciate_tui.insights import scores as score_figures
from appreciate_tui.insights.outcomes import OutcomeArea
from appreciate_tui.insights.scores import ScaleQuestion, ScorePoint, ScoreSummary
from appreciate_tui.insights.themes import Theme, ThemeChoice, ThemeWindow

if TYPE_CHECKING:
    from appreciate_tui.store import Store

BALANCE = (Stance.STRENGTH, Stance.CONCERN, Stance.DREAM, Stance.IDEA)
"""The four stances whose balance says whether concerns are taken into dreams and ideas."""
OFTEN_MISSING = 0.5
"""An agency at fewer than half the conversations it was invited to is shown as missing."""
CORE_AGENCIES = tuple(agency for agency in DEFAULT_AGENCIES if agency != "Other")


@dataclass(frozen=True)
class ConversationStances:
    id: str
    title: str
    date: str
    status: str
    counts: dict[Stance, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class PeriodStances:
    period: str  # YYYY-MM
    conversations: int
    counts: dict[Stance, int]


@dataclass(frozen=True)
class ActionItem:
    id: str
    conversation_id: str
    conversation_title: str
    description: str
    owner: str
    owner_agency: str
    due: str | None
    status: ActionStatus
    overdue: bool


@dataclass(frozen=True)
class AgencyActions:
    agency: str
    open: int
    overdue: int
    done: int


@dataclass(frozen=True)
class Success:
    note_id: str
    conversation_id: str
    conversation_title: str
    conversation_date: str
    body: str
    stance: Stance
    agency: str | None
    created_at: str
    question: str


@dataclass(frozen=True)
class Voice:
    agency: str
    invited: int  # people invited, over all conversations held
    attended: int
    conversations_invited: int
    conversations_attended: int
    conversations_held: int
    notes: int

    @property
    def share(self) -> float:
        """The share of the conversations held that this agency was at."""
        return self.conversations_attended / self.conversations_held if self.conversations_held else 0

    @property
    def missing(self) -> bool:
        """Invited but at fewer than half of those conversations, or one of the usual partners
        (not 'Other') never invited at all."""
        if self.conversations_invited:
            return self.conversations_attended < OFTEN_MISSING * self.conversations_invited
        return self.conversations_held > 0 and self.agency in CORE_AGENCIES


@dataclass(frozen=True)
class QuestionUse:
    text: str
    phase: str
    kind: str  # prepared or follow_up
    asked: int  # in how many conversations it was asked
    notes: int
    useful: int  # people who said in feedback that it was useful
    worth_keeping: bool
    question_id: str  # the most recent one, for promoting into a bank
    from_bank: str | None


@dataclass(frozen=True)
class OutcomeSummary:
    area: str
    title: str
    conversations: int
    notes: int
    strengths: int
    concerns: int
    actions_open: int
    actions_done: int


@dataclass(frozen=True)
class Insights:
    since: str | None
    today: str
    conversations: int
    notes: int
    stance_totals: dict[Stance, int]
    by_period: list[PeriodStances]
    by_conversation: list[ConversationStances]  # oldest first
    themes: dict[Stance, list[Theme]]  # phrases and words (insights/themes.py)
    tags: dict[Stance, list[Theme]]
    actions: list[ActionItem]  # open and in progress, soonest due first
    actions_by_agency: list[AgencyActions]
    successes: list[Success]  # newest first
    voices: list[Voice]
    questions: list[QuestionUse]  # prepared (bank) questions, most useful first
    follow_ups: list[QuestionUse]  # follow-ups, most useful first
    outcomes: list[OutcomeSummary]
    scores: list[ScoreSummary] = field(default_factory=list)  # per conversation, oldest first
    scores_by_agency: list[ScaleQuestion] = field(default_factory=list)  # insights/scores.py
    hidden_themes: dict[Stance, list[Theme]] = field(default_factory=dict)
    theme_window: ThemeWindow | None = None  # the notes themes were read from
    theme_reading: theme_method.Reading | None = field(default=None, repr=False, compare=False)
    """What the themes were found in, to arrange them again after a choice (never in JSON)."""

    @property
    def balance(self) -> dict[Stance, int]:
        return {stance: self.stance_totals.get(stance, 0) for stance in BALANCE}

    @property
    def overdue(self) -> int:
        return sum(1 for action in self.actions if action.overdue)

    @property
    def missing_agencies(self) -> list[str]:
        return [voice.agency for voice in self.voices if voice.missing]


def compute(
    store: Store,
    *,
    since: str | None = None,
    today: date | None = None,
    areas: Sequence[OutcomeArea] = (),
) -> Insights:
    """The insights of every conversation not in the bin (dated `since` or later, if given)."""
    today = today or domain.now().astimezone().date()
    # One note more than the themes read: whether there were more than that.
    rows = store.insight_rows(since, theme_window=theme_method.WINDOW + 1)
    conversations = rows["conversations"]
    # The store's counts: one tuple per conversation, the stances in the order of their names.
    stances = [Stance(value) for value in sorted(stance.value for stance in Stance)]
    counted = {row[0]: row[1:] for row in rows["stance_counts"]}
    by_conversation = []
    totals = [0] * len(stances)
    periods: dict[str, tuple[int, list[int]]] = {}
    for conversation_id, title, held_on, status in conversations:
        numbers = counted.get(conversation_id)
        counts = (
            {stance: n for stance, n in zip(stances, numbers) if n is not None} if numbers else {}
        )
        by_conversation.append(ConversationStances(conversation_id, title, held_on, status, counts))
        if not counts:
            continue
        filled = [n or 0 for n in numbers or ()]  # numbers is there: counts were made from it
        totals = [a + b for a, b in zip(totals, filled)]
        if sum(filled):
            month = held_on[:7]
            held, month_totals = periods.get(month, (0, [0] * len(stances)))
            periods[month] = (held + 1, [a + b for a, b in zip(month_totals, filled)])
    choices = theme_choices(rows["theme_choices"])
    reading = theme_method.read(rows["theme_window"], choices, limit=theme_method.WINDOW)
    arranged = theme_method.arrange(reading, choices)
    actions = _actions(rows["actions"], today)
    actions_by_agency = _actions_by_agency(rows["action_counts"], actions)
    held = sum(1 for c in conversations if c[3] != "planned")
    return Insights(
        since=since,
        today=today.isoformat(),
        conversations=len(conversations),
        notes=sum(totals),
        stance_totals=_every_stance(dict(zip(stances, totals))),
        by_period=[
            PeriodStances(period, n, _every_stance(dict(zip(stances, month_counts))))
            for period, (n, month_counts) in sorted(periods.items())
        ],
        by_conversation=by_conversation,
        themes={stance: found.themes for stance, found in arranged.items()},
        tags={stance: found.tags for stance, found in arranged.items()},
        actions=actions,
        actions_by_agency=actions_by_agency,
        successes=[_success(row) for row in rows["successes"]],
        voices=_voices(rows["attendance"], rows["contributions"], held),
        questions=_questions(rows["questions"], "prepared", store, since),
        follow_ups=_questions(rows["questions"], "follow_up", store, since),
        outcomes=_outcomes(rows["outcome_links"], areas),
        scores=score_figures.per_conversation(rows["score_counts"], conversations),
        scores_by_agency=score_figures.by_agency(rows["score_series"]),
        hidden_themes={stance: found.hidden for stance, found in arranged.items()},
        theme_window=reading.window,
        theme_reading=reading,
    )


def _every_stance(counts: dict[Stance, int]) -> dict[Stance, int]:
    """The counts of every stance, in the order the stances are declared."""
    return {stance: counts.get(stance, 0) for stance in Stance}


def theme_choices(rows: Iterable[dict[str, Any]]) -> list[ThemeChoice]:
    """The store's rows of choices about themes (store/insights.py `theme_choices`)."""
    return [
        ThemeChoice(Stance(row["stance"]), row["phrase"], row["label"], row["merged_into"],
                    bool(row["hidden"]))
        for row in rows
    ]


def owner_agency(owner: str, participant_agency: str | None, agencies: Iterable[str]) -> str:
    """The agency an action's owner belongs to: the participant's, an agency named as owner, or
    'Not an agency' for a role or a name that is neither."""
    if participant_agency:
        return participant_agency
    wanted = owner.strip().casefold()
    for agency in agencies:
        if wanted == agency.casefold():
            return agency
    return "Not an agency" if owner.strip() else "No owner"


def _actions(rows: Iterable[Sequence[Any]], today: date) -> list[ActionItem]:
    """The open and in-progress actions, from the store's tuples (store/insights.py `actions`)."""
    found = []
    now = today.isoformat()
    for id_, conversation_id, title, description, owner, participant_agency, due, status in rows:
        found.append(
            ActionItem(
                id=id_,
                conversation_id=conversation_id,
                conversation_title=title,
                description=description,
                owner=owner,
                owner_agency=owner_agency(owner, participant_agency, DEFAULT_AGENCIES),
                due=due,
                status=ActionStatus(status),
                overdue=due is not None and due < now,
            )
        )
    return found


def _actions_by_agency(
    counted: Iterable[Sequence[Any]], live: Iterable[ActionItem]
) -> list[AgencyActions]:
    """Open (and overdue) and done actions per owner agency: the open ones from the actions
    themselves, the others from the store's counts by status and owner. An agency whose actions
    were all dropped is listed with noughts."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for action in live:
        counted_for = counts[action.owner_agency]
        counted_for[0] += 1
        counted_for[1] += action.overdue
    for status, owner, participant_agency, actions in counted:
        counted_for = counts[owner_agency(owner, participant_agency, DEFAULT_AGENCIES)]
        if status == ActionStatus.DONE.value:
            counted_for[2] += actions
    return sorted(
        (AgencyActions(agency, *numbers) for agency, numbers in counts.items()),
        key=lambda a: (-a.open, a.agency),
    )


def _success(row: dict[str, Any]) -> Success:
    return Success(
        note_id=row["id"],
        conversation_id=row["conversation_id"],
        conversation_title=row["conversation_title"],
        conversation_date=row["conversation_date"],
        body=row["body"],
        stance=Stance(row["stance"]),
        agency=row["agency"],
        created_at=row["created_at"],
        question=row["question"],
    )


def _voices(
    attendance: Iterable[dict[str, Any]], contributions: Iterable[dict[str, Any]], held: int
) -> list[Voice]:
    notes: Counter[str] = Counter()
    for row in contributions:
        notes[row["agency"]] += row["notes"]
    seen = {row["agency"]: row for row in attendance}
    agencies = list(DEFAULT_AGENCIES) + sorted(
        (set(seen) | set(notes)) - set(DEFAULT_AGENCIES)
    )
    voices = []
    for agency in agencies:
        row = seen.get(agency, {})
        voices.append(
            Voice(
                agency=agency,
                invited=row.get("invited") or 0,
                attended=row.get("attended") or 0,
                conversations_invited=row.get("conversations_invited") or 0,
                conversations_attended=row.get("conversations_attended") or 0,
                conversations_held=held,
                notes=notes.get(agency, 0),
            )
        )
    return voices


def _questions(
    rows: Iterable[dict[str, Any]], kind: str, store: Store, since: str | None
) -> list[QuestionUse]:
    """Questions worded alike (case and spacing aside) taken together. The store gives one row
    per exact wording; only where two wordings meet are the conversations that asked them
    fetched, so that one conversation asking both counts once."""
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if row["kind"] == kind:
            grouped[" ".join(row["text"].casefold().split())].append(row)
    found = []
    for same in grouped.values():
        latest = max(same, key=lambda r: (r["conversation_date"], r["id"]))
        if len(same) == 1:
            asked = same[0]["asked"]
        else:
            asked = len(store.questions_asked_in(kind, [r["text"] for r in same], since=since))
        found.append(
            QuestionUse(
                text=latest["text"],
                phase=latest["phase"],
                kind=kind,
                asked=asked,
                notes=sum(r["notes"] for r in same),
                useful=sum(r["useful"] for r in same),
                worth_keeping=any(r["worth_keeping"] for r in same),
                question_id=latest["id"],
                from_bank=latest["bank_id"],
            )
        )
    found.sort(key=lambda q: (-q.useful, -q.worth_keeping, -q.notes, -q.asked, q.text))
    return found


def _outcomes(links: Iterable[dict[str, Any]], areas: Sequence[OutcomeArea]) -> list[OutcomeSummary]:
    by_area: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for link in links:
        by_area[link["area"]].append(link)
    titles = {area.id: area.title for area in areas}
    order = [area.id for area in areas] + sorted(set(by_area) - set(titles))
    summaries = []
    for area in order:
        linked = by_area.get(area, [])
        notes = [link for link in linked if link["note_id"]]
        actions = [link for link in linked if link["action_id"]]
        summaries.append(
            OutcomeSummary(
                area=area,
                title=titles.get(area, area),
                conversations=len({link["conversation_id"] for link in linked}),
                notes=len(notes),
                strengths=sum(1 for link in notes if link["stance"] == Stance.STRENGTH.value),
                concerns=sum(1 for link in notes if link["stance"] == Stance.CONCERN.value),
                actions_open=sum(
                    1 for link in actions if link["action_status"] in ("open", "in_progress")
                ),
                actions_done=sum(1 for link in actions if link["action_status"] == "done"),
            )
        )
    return summaries


def as_json(insights: Insights) -> dict[str, Any]:
    """Insights as JSON-ready data (`appreciate insights --json`)."""

    # What `dataclasses.asdict` gives, with enums as their values and keys as text, built in one
    # pass: asdict deep-copies every value, which at 10,000 conversations took most of a second.
    names: dict[type, tuple[str, ...]] = {}
    leaves = (str, int, float, bool, type(None))

    def plain(value: Any) -> Any:
        kind = type(value)
        if kind in leaves:
            return value
        if kind is ConversationStances:  # one per conversation: made directly
            return {
                "id": value.id, "title": value.title, "date": value.date, "status": value.status,
                "counts": {str(stance): n for stance, n in value.counts.items()},
            }
        if kind is ScorePoint:  # one per agency and date of a scale question: made directly
            return {"date": value.date, "scores": value.scores, "mean": value.mean,
                    "lowest": value.lowest, "highest": value.highest}
        if kind is Theme:  # the notes behind it as the drill-down lists them, not all of them
            return {"term": value.term, "notes": value.notes, "label": value.label,
                    "phrases": list(value.phrases), "merged": list(value.merged),
                    "note_ids": list(value.note_ids[:theme_method.NOTES_LISTED]),
                    "conversations": value.conversations, "hidden": value.hidden}
        if is_dataclass(value):
            if kind not in names:
                names[kind] = tuple(f.name for f in fields(value) if f.name != "theme_reading")
            return {name: plain(getattr(value, name)) for name in names[kind]}
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        return value.value if isinstance(value, (Stance, ActionStatus)) else value

    data = plain(insights)
    data["balance"] = {stance.value: n for stance, n in insights.balance.items()}
    data["overdue"] = insights.overdue
    data["missing_agencies"] = insights.missing_agencies
    data["theme_method"] = theme_method.METHOD
    for voice, shown in zip(insights.voices, data["voices"]):
        shown["share"] = round(voice.share, 3)
        shown["missing"] = voice.missing
    for summary, shown in zip(insights.scores, data["scores"]):
        shown["mean"] = round(summary.mean, 2)
        shown["distribution"] = list(summary.distribution)
    for item, shown in zip(insights.by_conversation, data["by_conversation"]):
        shown["total"] = item.total
    return data
