"""`appreciate insights` and `appreciate outcomes`: what the partnership learns from all of its
conversations, headless (the insights screen shows the same in the app).

Only click is imported when the command line starts; the insights load when the command runs.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import click

from appreciate_tui.cli.common import Failure, emit_json, opened
from appreciate_tui.text import one_line
from appreciate_tui.wording import plural

if TYPE_CHECKING:
    from appreciate_tui.insights.compute import Insights
    from appreciate_tui.insights.scores import AgencySeries

WIDTH = 40


def _since(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise Failure(f"{value!r} is not a date; write it as YYYY-MM-DD") from None


@click.command(name="insights")
@click.option("--json", "as_json", is_flag=True, help="Print every figure as JSON, for scripts.")
@click.option("--since", "since", metavar="DATE", help="Only conversations on or after DATE (YYYY-MM-DD).")
@click.pass_context
def insights_command(ctx: click.Context, as_json: bool, since: str | None) -> None:
    """What the partnership learns from every conversation: the balance of stances and how it
    moves over time, themes, open and overdue actions by agency, successes to celebrate, which
    agencies are heard (and which are missing), the questions that work, outcome areas and
    scores.

    Themes are two- and three-word phrases used in at least two notes of a stance (single words
    only after them, where no phrase covers them), read from the latest 10,000 notes; escalated
    notes are never read. Names, merges and hidden themes chosen in the app's insights are applied.

    Scores (=7 #police) are shown for each scale question, a line per agency over time, with the
    latest value and the change; scores no agency gave are on a line of their own."""
    from appreciate_tui.insights.compute import as_json as insights_json
    from appreciate_tui.insights.compute import compute
    from appreciate_tui.insights.outcomes import load_outcomes_or_default

    first = _since(since)
    areas, problem = load_outcomes_or_default()
    if problem:
        click.echo(f"appreciate: {one_line(problem)}; using the shipped outcome areas", err=True)
    with opened(ctx, read_only=True) as store:
        found = compute(store, since=first, areas=areas)
    if as_json:
        emit_json(insights_json(found))
        return
    for line in describe(found):
        click.echo(line)


def describe(found: Insights) -> list[str]:
    """The insights as lines of text (nothing in them can act on a terminal)."""
    from appreciate_tui.insights import charts
    from appreciate_tui.insights.compute import BALANCE

    scope = f"since {found.since}" if found.since else "all time"
    lines = [f"Insights: {plural(found.conversations, 'conversation')}, "
             f"{plural(found.notes, 'note', fmt=',')} ({scope})"]
    if not found.notes and not found.conversations:
        return lines + ["", "Nothing to learn from yet: import or hold a conversation first."]

    balance = found.balance
    biggest = max(balance.values(), default=0)
    total = sum(balance.values())
    lines += ["", "Balance: concerns, strengths, dreams and ideas"]
    for stance in BALANCE:
        count = balance[stance]
        lines.append(
            f"  {stance.symbol} {stance.label:<13} {charts.bar(count, biggest, WIDTH):<{WIDTH}} "
            f"{count:>7,}  {charts.percent(count, total):>4}"
        )

    if found.by_period:
        lines += ["", f"Stances over time (share of each month's notes: {_legend()})"]
        for period in found.by_period[-12:]:
            lines.append(
                f"  {period.period}  {charts.stacked(period.counts, WIDTH, BALANCE):<{WIDTH}}  "
                f"{plural(sum(period.counts.values()), 'note', fmt='>6,')}, "
                f"{period.conversations} conv."
            )

    lines += ["", "Themes: phrases said in at least two notes of a stance, how many notes say each"]
    window = found.theme_window
    if window is not None and window.cut:
        lines.append(f"  from the latest {window.limit:,} notes (conversations since "
                     f"{window.oldest}); escalated notes are never read")
    for stance in BALANCE:
        phrases = ", ".join(f"{one_line(t.shown_as, 40)} {t.notes:,}"
                            for t in found.themes[stance][:4])
        tags = ", ".join(f"{one_line(t.shown_as, 40)} {t.notes:,}" for t in found.tags[stance][:4])
        lines.append(f"  {stance.symbol} {stance.label:<13} {phrases or '—'}")
        if tags:
            lines.append(f"  {'':<15} {tags}")

    lines += ["", f"Actions: {len(found.actions)} open, {found.overdue} overdue"]
    for agency in found.actions_by_agency[:8]:
        lines.append(
            f"  {one_line(agency.agency, 24):<24} {agency.open:>4} open  {agency.overdue:>4} overdue"
            f"  {agency.done:>4} done"
        )
    overdue = [a for a in found.actions if a.overdue][:5]
    for action in overdue:
        lines.append(
            f"  ! overdue since {action.due}: {one_line(action.description, 50)} "
            f"({one_line(action.owner or 'no owner', 24)})"
        )

    lines += ["", "Successes to celebrate (starred strengths and quotes, newest first)"]
    for success in found.successes[:5]:
        lines.append(
            f"  {success.stance.symbol} {one_line(success.body, 62)}  "
            f"[{success.conversation_date}, {one_line(success.conversation_title, 30)}]"
        )
    if not found.successes:
        lines.append("  None starred yet: star a strength or a quote when you review a conversation.")

    lines += ["", "Voices: conversations attended / invited to, share of all held, notes"]
    for voice in found.voices:
        mark = "  missing" if voice.missing else ""
        lines.append(
            f"  {one_line(voice.agency, 22):<22} {voice.conversations_attended:>4}/"
            f"{voice.conversations_invited:<4} {charts.bar(voice.share, 1, 16):<16} "
            f"{plural(voice.notes, 'note', fmt='>7,')}{mark}"
        )

    lines += ["", "Questions that work (useful in feedback, notes drawn)"]
    for question in found.questions[:5]:
        lines.append(
            f"  {question.useful:>4} useful {plural(question.notes, 'note', fmt='>6,'):<12}  "
            f"{one_line(question.text, 58)}"
        )
    if found.follow_ups:
        lines.append("  Follow-ups worth keeping:")
        for question in found.follow_ups[:5]:
            keep = " (kept)" if question.worth_keeping else ""
            lines.append(
                f"  {question.useful:>4} useful {plural(question.notes, 'note', fmt='>6,'):<12}  "
                f"{one_line(question.text, 52)}{keep}"
            )

    lines += ["", "Outcome areas (notes, actions and conversations linked to each)"]
    for area in found.outcomes:
        lines.append(
            f"  {one_line(area.title, 44):<44} {area.conversations:>3} conv. "
            f"{plural(area.notes, 'note', fmt='>4'):<10} (+{area.strengths} -{area.concerns}) "
            f"{plural(area.actions_open, 'open action', fmt='>3')}"
        )

    lines += _scores(found)
    return lines


AGENCIES_SHOWN = 8
SCALE_QUESTIONS_SHOWN = 5


def _scores(found: Insights) -> list[str]:
    """Each scale question's scores by agency over time (the scores no agency gave on a line of
    their own), then each conversation's."""
    from appreciate_tui.insights import charts
    from appreciate_tui.insights import scores as figures

    if not found.scores_by_agency and not found.scores:
        return []
    lines = ["", "Scores (0-10) by agency over time: ▁ 0 … █ 10, a mark per date, oldest first"]
    for question in found.scores_by_agency[:SCALE_QUESTIONS_SHOWN]:
        cells = figures.chart_cells(question, AGENCIES_SHOWN, 16)
        lines += [f"  {one_line(question.text, 76)}", f"  {figures.described(question, cells)}"]
        agencies, more = figures.shown(question, AGENCIES_SHOWN)
        lines += [_score_line(series, cells) for series in agencies]
        if more:
            lines.append(f"    … and {plural(more, 'more agency', 'more agencies')} "
                         "(--json lists every one)")
        if question.unattributed is not None:
            lines.append(_score_line(question.unattributed, cells))
    left = len(found.scores_by_agency) - SCALE_QUESTIONS_SHOWN
    if left > 0:
        lines.append(f"  … and {plural(left, 'more scale question')} (--json lists every one)")
    if found.scores:
        lines += ["", "Scores (0-10) per conversation, oldest first"]
        for summary in found.scores[-12:]:
            lines.append(
                f"  {summary.date}  mean {summary.mean:4.1f}  "
                f"{charts.sparkline(summary.distribution)}  "
                f"{plural(len(summary.values), 'score', fmt='>3'):<10}  "
                f"{one_line(summary.conversation_title, 36)}"
            )
        means = charts.pooled([s.mean for s in found.scores],
                              [len(s.values) for s in found.scores], WIDTH)
        lines.append(f"  trend of the means: {charts.sparkline(means, 0, 10)}")
    return lines


def _score_line(series: AgencySeries, cells: int) -> str:
    from appreciate_tui.insights import scores as figures

    row = figures.row(series, 18, cells)
    return f"    {row.name} {row.chart} {row.latest} {row.change}  {row.count}"


def _legend() -> str:
    from appreciate_tui.insights.compute import BALANCE

    return " ".join(f"{stance.symbol} {stance.label}" for stance in BALANCE)


@click.command(name="outcomes")
@click.option("--json", "as_json", is_flag=True, help="Print the areas as JSON, for scripts.")
def outcomes_command(as_json: bool) -> None:
    """List the outcome areas insights report by, and the file they come from (copy it to the
    path shown to use your partnership's own)."""
    from appreciate_tui.insights.outcomes import OutcomesError, load_outcomes, outcomes_path, user_outcomes_path

    path = outcomes_path()
    try:
        areas = load_outcomes(path)
    except OutcomesError as exc:
        raise Failure(one_line(str(exc))) from None
    if as_json:
        emit_json(
            {"file": str(path), "areas": [{"id": a.id, "title": a.title,
                                           "description": a.description} for a in areas]}
        )
        return
    for area in areas:
        click.echo(f"{area.id:<24} {one_line(area.title)}")
    mine = user_outcomes_path()
    click.echo(f"\nFrom {path}" + ("" if path == mine else f"\nYour own goes in {mine}"))
