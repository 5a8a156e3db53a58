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
    scores."""
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

    lines += ["", "Themes: the words (and #tags) most notes of each stance use"]
    for stance in BALANCE:
        words = ", ".join(f"{one_line(t.term)} {t.notes:,}" for t in found.themes[stance][:4])
        tags = ", ".join(f"{one_line(t.term)} {t.notes:,}" for t in found.tags[stance][:4])
        lines.append(f"  {stance.symbol} {stance.label:<13} {words or '—'}")
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

    if found.scores:
        lines += ["", "Scores (0-10) per conversation, oldest first"]
        for summary in found.scores[-12:]:
            lines.append(
                f"  {summary.date}  mean {summary.mean:4.1f}  "
                f"{charts.sparkline(summary.distribution)}  "
                f"{plural(len(summary.values), 'score', fmt='>3'):<10}  "
                f"{one_line(summary.conversation_title, 36)}"
            )
        trend = charts.sparkline([s.mean for s in found.scores], 0, 10)
        lines.append(f"  trend of the means: {trend}")
    return lines


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
