"""Scores across conversations (`=7 #police`): each conversation's, and each agency's over time.

From the store's counts (store/scores.py `for_insights`), not from every score:

- `per_conversation`: each conversation's scores, their spread over 0…10 and mean (`ScoreSummary`);
- `by_agency`: for each scale question, each agency's scores over time, one point per date of
  conversation (that agency's mean there and how many scores it is made of), with the latest
  value and the change since the point before (`ScaleQuestion`, `AgencySeries`, `ScorePoint`).
  Scores nobody's agency gave are kept apart (`unattributed`) and never enter an agency's line.

What counts as the same scale question across conversations: the same wording, case and spacing
aside, as for the questions that work. A question reworded between conversations is two lines,
not one: nothing says that two wordings ask the same thing, and a trend drawn across them would
claim what the scores do not show. Agencies are matched the same way (case and spacing aside).

`row` gives the pieces of one agency's line (name, chart, latest value, change, count) that the
insights screen colours and `appreciate insights` prints as they are. No SQL and no Textual here.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from appreciate_tui.insights import charts

LOWEST, HIGHEST = 0, 10
"""The bounds of every score (the store's CHECK): charts are drawn against them, not the data's."""
UNATTRIBUTED = "not attributed"
"""How scores no agency gave are named, on their own line."""
NO_QUESTION = "(scores under no question)"


@dataclass(frozen=True)
class ScoreSummary:
    """One conversation's scores: how many of each value, and their mean."""

    conversation_id: str
    conversation_title: str
    date: str
    values: tuple[int, ...]  # low to high
    distribution: tuple[int, ...] = ()
    """How many scores of 0, 1, … 10 (counted from `values` when not given)."""

    def __post_init__(self) -> None:
        if not self.distribution:
            counted = Counter(self.values)
            spread = tuple(counted.get(value, 0) for value in range(LOWEST, HIGHEST + 1))
            object.__setattr__(self, "distribution", spread)

    @property
    def mean(self) -> float:
        return statistics.fmean(self.values)


@dataclass(frozen=True)
class ScorePoint:
    """An agency's scores on one date of conversation (one scale question)."""

    date: str
    scores: int
    mean: float  # rounded to 2 places
    lowest: int
    highest: int


@dataclass(frozen=True)
class AgencySeries:
    """One agency's scores for a scale question over time, oldest first; `agency` None for the
    scores nobody's agency gave."""

    agency: str | None
    points: tuple[ScorePoint, ...]
    scores: int
    mean: float  # of every score, rounded to 2 places
    latest: ScorePoint
    change: float | None  # the latest point's mean less the one before; None with one point

    @property
    def name(self) -> str:
        return self.agency if self.agency is not None else UNATTRIBUTED


@dataclass(frozen=True)
class ScaleQuestion:
    """A scale question (its wordings taken together, case and spacing aside) and who scored it."""

    text: str  # the wording most scores were given to
    wordings: tuple[str, ...]
    scores: int
    dates: int  # dates of conversation with a score
    first: str
    last: str
    agencies: tuple[AgencySeries, ...]  # most scores first, then by name
    unattributed: AgencySeries | None


def per_conversation(
    counts: Iterable[Sequence[Any]], conversations: Iterable[Sequence[Any]]
) -> list[ScoreSummary]:
    """Each conversation with scores, oldest first, from the store's counts (conversation_id,
    scores, sum, how many of 0 … 10) and its (id, title, date, status) rows in order."""
    by_id = {row[0]: row for row in counts}
    found = []
    for conversation_id, title, held_on, *_ in conversations:
        row = by_id.get(conversation_id)
        if row is None:
            continue
        spread = tuple(n or 0 for n in row[3:])
        values = tuple(v for v, n in zip(range(LOWEST, HIGHEST + 1), spread) for _ in range(n))
        found.append(ScoreSummary(conversation_id, title, held_on, values, spread))
    return found


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


def by_agency(rows: Iterable[Sequence[Any]]) -> list[ScaleQuestion]:
    """Each scale question's scores by agency over time, the most scored question first, from the
    store's counts (wording, agency, date, scores, sum, lowest, highest)."""
    # question key -> agency key -> date -> [scores, sum, lowest, highest]
    grouped: dict[str, dict[str | None, dict[str, list[int]]]] = defaultdict(dict)
    wordings: dict[str, Counter[str]] = defaultdict(Counter)
    spellings: dict[str | None, Counter[str]] = defaultdict(Counter)
    # Each wording's and agency's key, worked out once (an agency of spaces is none).
    question_keys: dict[str, str] = {}
    agency_keys: dict[str | None, str | None] = {None: None}
    for text, agency, held_on, scores, total, lowest, highest in rows:
        wording = text if text is not None else NO_QUESTION
        if (question := question_keys.get(wording)) is None:
            question = question_keys[wording] = _key(wording)
        wordings[question][wording] += scores
        if agency not in agency_keys:
            agency_keys[agency] = _key(agency) or None
        who = agency_keys[agency]
        if who is not None:
            spellings[who][agency] += scores
        dates = grouped[question].get(who)
        if dates is None:
            dates = grouped[question][who] = {}
        point = dates.get(held_on)
        if point is None:
            dates[held_on] = [scores, total, lowest, highest]
        else:
            point[0] += scores
            point[1] += total
            point[2] = min(point[2], lowest)
            point[3] = max(point[3], highest)
    questions = []
    for question, agencies in grouped.items():
        said = wordings[question]
        series = {
            who: _series(_spelling(spellings[who]) if who is not None else None, dates)
            for who, dates in agencies.items()
        }
        named = sorted(
            (s for who, s in series.items() if who is not None),
            key=lambda s: (-s.scores, (s.agency or "").casefold(), s.agency or ""),
        )
        every_date = sorted({day for dates in agencies.values() for day in dates})
        questions.append(
            ScaleQuestion(
                text=_spelling(said),
                wordings=tuple(sorted(said)),
                scores=sum(s.scores for s in series.values()),
                dates=len(every_date),
                first=every_date[0],
                last=every_date[-1],
                agencies=tuple(named),
                unattributed=series.get(None),
            )
        )
    questions.sort(key=lambda q: (-q.scores, q.text.casefold(), q.text))
    return questions


def _spelling(counted: Counter[str]) -> str:
    """The spelling most scores were given under (the first in order when two tie)."""
    return min(counted, key=lambda text: (-counted[text], text))


def _series(agency: str | None, dates: dict[str, list[int]]) -> AgencySeries:
    points = tuple(
        ScorePoint(day, scores, round(total / scores, 2), lowest, highest)
        for day, (scores, total, lowest, highest) in sorted(dates.items())
    )
    scores = sum(p.scores for p in points)
    total = sum(dates[p.date][1] for p in points)
    change = round(points[-1].mean - points[-2].mean, 2) if len(points) > 1 else None
    return AgencySeries(agency, points, scores, round(total / scores, 2), points[-1], change)


# ---------------------------------------------------------------------- one agency's line


@dataclass(frozen=True)
class Row:
    """The pieces of one agency's line, each already its width: plain text, safe to print."""

    name: str
    chart: str
    latest: str
    change: str
    count: str


def trend(series: AgencySeries, width: int) -> str:
    """The agency's means over time as a sparkline against 0…10, at most `width` marks: one per
    date while they fit, else neighbouring dates pooled (weighted by their scores)."""
    means = charts.pooled([p.mean for p in series.points], [p.scores for p in series.points],
                          width)
    return charts.sparkline(means, LOWEST, HIGHEST)


def change_text(series: AgencySeries) -> str:
    """`+1.5`, `-0.5`, `±0` since the point before, or `first` for a single point."""
    if series.change is None:
        return "first"
    if abs(series.change) < 0.05:
        return "±0"
    return f"{series.change:+.1f}"


def row(series: AgencySeries, name_width: int, chart_width: int, *, wide: bool = True) -> Row:
    """One agency's line in pieces: its name fitted to `name_width` cells, the chart padded to
    `chart_width`, the latest date's mean, how many scores it is of and that date (not `wide`:
    the mean and the year and month only), the change since the date before and how many scores
    in all."""
    from appreciate_tui.text import one_line
    from appreciate_tui.wording import plural

    latest = series.latest
    return Row(
        name=charts.fit(one_line(series.name), name_width),
        chart=charts.fit(trend(series, chart_width), chart_width),
        latest=(f"{latest.mean:4.1f} {f'({latest.scores})':<5} {latest.date}" if wide
                else f"{latest.mean:4.1f} {latest.date[:7]}"),
        change=f"{change_text(series):>5}",
        count=plural(series.scores, "score", fmt=","),
    )


def described(question: ScaleQuestion, cells: int | None = None) -> str:
    """'27 scores on 3 dates, 2025-01-10 to 2025-06-02' (one date: just that date), how many
    wordings were taken together when more than one, and, when some line has more dates than
    its chart's `cells`, how many dates a mark pools at most."""
    from appreciate_tui.wording import plural

    span = question.first if question.first == question.last else (
        f"{question.first} to {question.last}")
    alike = f", {len(question.wordings)} wordings alike" if len(question.wordings) > 1 else ""
    every = [*question.agencies, *([question.unattributed] if question.unattributed else [])]
    most = max(len(series.points) for series in every)
    pools = (f", a mark pools up to {-(-most // cells)} dates"
             if cells is not None and 0 < cells < most else "")
    return (f"{plural(question.scores, 'score', fmt=',')} on "
            f"{plural(question.dates, 'date', fmt=',')}, {span}{alike}{pools}")


def shown(question: ScaleQuestion, most: int) -> tuple[list[AgencySeries], int]:
    """The agencies to show (the `most` with the most scores; all of them when only one more
    would be hidden) and how many are left out."""
    agencies = list(question.agencies)
    if len(agencies) <= most + 1:
        return agencies, 0
    return agencies[:most], len(agencies) - most


def chart_cells(question: ScaleQuestion, most: int, room: int) -> int:
    """How wide the charts of a question's lines are: a mark per date of the agency with the most
    dates shown, within `room` cells (at least 4, so the columns after it stay put for a
    question scored once)."""
    agencies, _ = shown(question, most)
    every = agencies + ([question.unattributed] if question.unattributed else [])
    return max(1, min(room, max([4, *(len(s.points) for s in every)])))
