"""Insights: what the partnership learns from every conversation (DESIGN.md section 9).

Sections on the left (keys 1-8), the chosen one on the right: an overview (the balance of
stances, stances month by month, and each conversation as a bar in the stances' colours), themes
per stance with the notes behind each phrase (tui/widgets/themes_panel.py), actions across
conversations (overdue ones highlighted; `m` marks progress), successes to celebrate, voices per
agency, the questions that work (`k` keeps one in your own bank), outcome areas (`o` links what
is highlighted to areas) and scores.

The figures are computed by a worker thread on a connection of its own (`Store.open_reader`), so
the screen paints at once and keys keep working while a large database is read.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.events import Resize
from textual.message import Message
from textual.widgets import ContentSwitcher, OptionList, Static
from textual.widgets.option_list import Option

from appreciate_tui.insights import charts
from appreciate_tui.domain import ActionStatus, Stance
from appreciate_tui.insights.compute import BALANCE, Insights, compute, theme_choices
from appreciate_tui.insights.outcomes import OutcomeArea, load_outcomes_or_default
from appreciate_tui.store import StoreError
from appreciate_tui.text import one_line
from appreciate_tui.tui.screens.base import StoreScreen
from appreciate_tui.tui.themes import STANCE_VARIABLES
from appreciate_tui.tui.widgets.agency_scores import scores_section
from appreciate_tui.tui.widgets.key_footer import KeyFooter
from appreciate_tui.tui.widgets.themes_panel import ThemesPanel
from appreciate_tui.wording import plural

if TYPE_CHECKING:
    from appreciate_tui.store import Store

SECTIONS = (
    ("overview", "Overview"),
    ("themes", "Themes"),
    ("actions", "Actions"),
    ("successes", "Successes"),
    ("voices", "Voices"),
    ("questions", "Questions"),
    ("outcomes", "Outcomes"),
    ("scores", "Scores"),
)
NEXT_STATUS = {
    ActionStatus.OPEN: ActionStatus.IN_PROGRESS,
    ActionStatus.IN_PROGRESS: ActionStatus.DONE,
}


def _stance_style(stance: Stance) -> str:
    return f"${STANCE_VARIABLES[stance]}"


def stacked_bar(counts: dict[Stance, int], width: int, order=BALANCE) -> Content:
    """A bar `width` cells wide split between stances, each in its colour."""
    pieces = charts.shares(counts, width, order)
    if not pieces:
        return Content.styled("░" * max(width, 0), "$text-muted")
    return Content.assemble(*(("█" * cells, _stance_style(stance)) for stance, cells in pieces))


class InsightsScreen(StoreScreen):
    HELP: ClassVar[str] = "insights.md"
    """The help F1 opens at (tui/help/)."""
    CSS_PATH = Path(__file__).parent / "insights.tcss"
    AUTO_FOCUS = "#sections"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", tooltip="Back to the conversations", id="insights.back"),
        Binding("t", "next_stance", "Stance", tooltip="Themes of the next stance",
                id="insights.next_stance"),
        Binding("m", "progress", "Progress",
                tooltip="Mark the highlighted action's progress: open → in progress → done",
                id="insights.progress"),
        Binding("o", "outcome", "Outcome",
                tooltip="Link the highlighted note, action or conversation to outcome areas",
                id="insights.outcome"),
        Binding("k", "keep", "Keep",
                tooltip="Keep the highlighted question in your own question bank",
                id="insights.keep"),
        Binding("r", "refresh", "Refresh", tooltip="Read the figures again", id="insights.refresh"),
    ]

    class Computed(Message):
        def __init__(self, insights: Insights) -> None:
            super().__init__()
            self.insights = insights

    class Failed(Message):
        def __init__(self, reason: str) -> None:
            super().__init__()
            self.reason = reason

    def __init__(self, since: str | None = None) -> None:
        super().__init__()
        self._since = since
        self._insights: Insights | None = None
        self._areas, self._areas_problem = load_outcomes_or_default()

    # ------------------------------------------------------------------ building

    def compose(self) -> ComposeResult:
        yield Static(Content.from_markup("[b]Insights[/b]  [dim]reading every conversation…[/]"),
                     id="insights-title")
        with Horizontal(id="insights-body"):
            yield OptionList(
                *(Option(f"{n} {label}", id=key) for n, (key, label) in enumerate(SECTIONS, 1)),
                id="sections",
            )
            with ContentSwitcher(initial="overview", id="insights-views"):
                with Vertical(id="overview"):
                    yield Static(id="overview-figures")
                    yield OptionList(id="by-conversation")
                yield ThemesPanel(id="themes")
                with Vertical(id="actions"):
                    yield Static(id="actions-summary")
                    yield OptionList(id="action-list")
                with Vertical(id="successes"):
                    yield Static(id="successes-heading")
                    yield OptionList(id="success-list")
                with VerticalScroll(id="voices"):
                    yield Static(id="voices-figures")
                with Vertical(id="questions"):
                    yield Static(id="questions-heading")
                    yield OptionList(id="question-list")
                with VerticalScroll(id="outcomes"):
                    yield Static(id="outcomes-figures")
                with VerticalScroll(id="scores"):
                    yield Static(id="scores-figures")
        yield KeyFooter()

    def on_mount(self) -> None:
        if self._areas_problem:
            self.notify(f"{one_line(self._areas_problem)}; using the shipped outcome areas.",
                        severity="warning", markup=False, timeout=10)
        self.action_refresh()

    # ------------------------------------------------------------------ computing

    def action_refresh(self) -> None:
        self._compute(self.store, self._since, tuple(self._areas))

    @work(thread=True, exclusive=True, exit_on_error=False, name="insights")
    def _compute(self, store: Store, since: str | None, areas: tuple[OutcomeArea, ...]) -> None:
        try:
            reader = store.open_reader()
        except StoreError as error:
            self.post_message(self.Failed(str(error)))
            return
        try:
            self.post_message(self.Computed(compute(reader, since=since, areas=areas)))
        except StoreError as error:
            self.post_message(self.Failed(str(error)))
        finally:
            reader.close()

    @on(Failed)
    def _failed(self, event: Failed) -> None:
        self.notify(f"The insights could not be read: {one_line(event.reason)}", severity="error",
                    markup=False)

    @on(Computed)
    def _computed(self, event: Computed) -> None:
        self._insights = found = event.insights
        scope = f"since {found.since}" if found.since else "all time"
        self.query_one("#insights-title", Static).update(Content.assemble(
            ("Insights", "bold"), "  ",
            (f"{plural(found.conversations, 'conversation')} · "
             f"{plural(found.notes, 'note', fmt=',')} · {scope}", "$text-muted"),
        ))
        self._draw_all()

    def on_resize(self, _: Resize) -> None:
        if self._insights is not None:
            self._draw_figures()

    def _draw_all(self) -> None:
        self._draw_figures()
        self._fill(self.query_one("#by-conversation", OptionList), self._conversation_options())
        if self._insights is not None:
            self.query_one(ThemesPanel).show(self._insights)
        self._draw_actions()
        self._draw_successes()
        self._draw_questions()

    def _draw_figures(self) -> None:
        """The parts drawn to the width of the screen."""
        self.query_one("#overview-figures", Static).update(self._overview())
        self.query_one("#voices-figures", Static).update(self._voices())
        self.query_one("#outcomes-figures", Static).update(self._outcomes())
        self.query_one("#scores-figures", Static).update(self._scores())

    @property
    def _width(self) -> int:
        return max(20, self.query_one("#insights-views").size.width - 2)

    @staticmethod
    def _fill(options: OptionList, items: list[Option]) -> None:
        highlighted = options.highlighted
        options.clear_options()
        options.add_options(items)
        if items:
            options.highlighted = min(highlighted or 0, len(items) - 1)

    # ------------------------------------------------------------------ overview

    def _overview(self) -> Content:
        found = self._insights
        assert found is not None
        width = self._width
        bar_width = max(10, width - 32)
        balance = found.balance
        biggest = max(balance.values(), default=0)
        total = sum(balance.values())
        lines: list[Content] = [Content.styled("Balance of what was said", "bold")]
        for stance in BALANCE:
            count = balance[stance]
            lines.append(Content.assemble(
                (f"{stance.symbol} {stance.label:<13} ", _stance_style(stance)),
                (f"{charts.bar(count, biggest, bar_width):<{bar_width}}", _stance_style(stance)),
                f" {count:>7,} {charts.percent(count, total):>4}",
            ))
        lines += [Content(""), Content.styled("Month by month (share of each month's notes)",
                                              "bold")]
        periods = found.by_period[-12:]
        for period in periods:
            lines.append(Content.assemble(
                f"{period.period}  ", stacked_bar(period.counts, bar_width),
                (f" {sum(period.counts.values()):>6,} in {period.conversations}", "$text-muted"),
            ))
        if not periods:
            lines.append(Content.styled("No notes yet.", "$text-muted"))
        lines += [Content(""), Content.styled(
            "Each conversation, newest first (o links one to outcome areas)", "bold")]
        return Content("\n").join(lines)

    def _conversation_options(self) -> list[Option]:
        found = self._insights
        assert found is not None
        bar_width = max(10, min(30, self._width - 44))
        title_width = max(10, self._width - bar_width - 18)
        options = []
        for item in reversed(found.by_conversation):
            options.append(Option(Content.assemble(
                (f"{item.date} ", "$text-muted"),
                stacked_bar(item.counts, bar_width), " ",
                (f"{item.total:>4} ", "$text-muted"),
                one_line(item.title, title_width),
            ), id=f"conversation:{item.id}"))
        return options

    # ------------------------------------------------------------------ themes

    def action_next_stance(self) -> None:
        self.query_one(ThemesPanel).next_stance()
        self._show("themes")

    @on(ThemesPanel.NotesWanted)
    def _theme_notes(self, event: ThemesPanel.NotesWanted) -> None:
        try:
            notes = self.store.theme_notes(event.theme.note_ids)
        except StoreError as error:
            self.notify(f"The notes could not be read: {one_line(str(error))}",
                        severity="error", markup=False)
            return
        self.query_one(ThemesPanel).show_notes(event.theme, notes)

    @on(ThemesPanel.Chosen)
    def _theme_chosen(self, event: ThemesPanel.Chosen) -> None:
        if not self.writable():
            return

        def keep() -> bool:
            with self.store.atomic():
                for phrase in event.phrases:
                    self.store.choose_theme(event.stance, phrase, label=event.label,
                                            merged_into=event.merged_into, hidden=event.hidden)
            return True

        if self.save(keep, failed="Not kept") is None:
            return
        self.query_one(ThemesPanel).rearrange(theme_choices(self.store.theme_choices()))
        self.notify(event.done, markup=False)

    # ------------------------------------------------------------------ actions

    def _draw_actions(self) -> None:
        found = self._insights
        assert found is not None
        agencies = " · ".join(
            f"{one_line(a.agency, 24)} {a.open}" + (f" ({a.overdue} overdue)" if a.overdue else "")
            for a in found.actions_by_agency if a.open
        )
        self.query_one("#actions-summary", Static).update(Content.assemble(
            (plural(len(found.actions), 'open action'), "bold"), ", ",
            (f"{found.overdue} overdue", "bold $error" if found.overdue else "$text-muted"),
            ("   m progress · o outcomes", "$text-muted"), "\n",
            (agencies or "No open actions.", "$text-muted"),
        ))
        self._fill(self.query_one("#action-list", OptionList), [
            Option(Content.assemble(
                ("! OVERDUE " if action.overdue else "  ", "bold $error" if action.overdue else ""),
                (f"{action.due or 'no date':<10} ", "$error" if action.overdue else "$text-muted"),
                (f"{action.status.value.replace('_', ' '):<11} ", "$accent"),
                one_line(action.description), "\n",
                (one_line(f"  {action.owner or 'no owner'} · {action.owner_agency} · "
                          f"{action.conversation_title}", self._width - 2), "$text-muted"),
            ), id=f"action:{action.id}")
            for action in found.actions
        ] or [Option(Content.styled("No open actions.", "$text-muted"), disabled=True)])

    def action_progress(self) -> None:
        action_id = self._highlighted("action")
        found = self._insights
        if action_id is None or found is None:
            self.notify("Highlight an action first (3 shows them).", markup=False)
            return
        action = next(a for a in found.actions if a.id == action_id)
        status = NEXT_STATUS.get(action.status, ActionStatus.DONE)
        if self.save(lambda: self.store.update_action(action_id, status=status),
                     failed="Not changed") is None:
            return
        self.notify(f"Marked {status.value.replace('_', ' ')}: {one_line(action.description, 60)}",
                    markup=False)
        self.action_refresh()

    # ------------------------------------------------------------------ successes

    def _draw_successes(self) -> None:
        found = self._insights
        assert found is not None
        self.query_one("#successes-heading", Static).update(Content.assemble(
            ("Successes to celebrate", "bold"),
            ("   starred, newest first · o outcomes", "$text-muted"),
        ))
        self._fill(self.query_one("#success-list", OptionList), [
            Option(Content.assemble(
                (f"{success.stance.symbol} ", f"bold {_stance_style(success.stance)}"),
                one_line(success.body), "\n",
                (one_line(f"  {success.conversation_date} · "
                          + (f"{success.agency} · " if success.agency else "")
                          + success.conversation_title, self._width - 2), "$text-muted"),
            ), id=f"note:{success.note_id}")
            for success in found.successes
        ] or [Option(Content.styled(
            "Nothing starred yet: star a strength or a quote while reviewing.", "$text-muted"),
            disabled=True)])

    # ------------------------------------------------------------------ voices, outcomes, scores

    def _voices(self) -> Content:
        found = self._insights
        assert found is not None
        bar_width = max(3, min(30, self._width - 66))
        lines = [Content.assemble(("Voices", "bold"), (
            "   attended/invited · bar: share of all held", "$text-muted"))]
        for voice in found.voices:
            lines.append(Content.assemble(
                (f"{one_line(voice.agency, 22):<22} ", "bold $warning" if voice.missing else ""),
                f"{voice.conversations_attended:>4}/{voice.conversations_invited:<4} ",
                (f"{charts.bar(voice.share, 1, bar_width):<{bar_width}}", "$primary"),
                (f" {plural(voice.notes, 'note', fmt='>7,'):<13}", "$text-muted"),
                (("  not invited" if not voice.conversations_invited else "  missing")
                 if voice.missing else "", "bold $warning"),
            ))
        missing = found.missing_agencies
        lines += [Content(""), Content.styled(
            f"Often missing: {', '.join(missing)}." if missing
            else "Every agency invited was at most of its conversations.", "$text-muted")]
        return Content("\n").join(lines)

    def _outcomes(self) -> Content:
        found = self._insights
        assert found is not None
        lines = [Content.assemble(("Outcome areas", "bold"), (
            "   o links what is highlighted", "$text-muted"))]
        for area in found.outcomes:
            lines.append(Content.assemble(
                (one_line(area.title, 60), "bold"), "\n",
                (f"  {plural(area.conversations, 'conversation')} · {plural(area.notes, 'note')} ",
                 "$text-muted"),
                (f"+{area.strengths} ", _stance_style(Stance.STRENGTH)),
                (f"-{area.concerns} ", _stance_style(Stance.CONCERN)),
                (f"· {plural(area.actions_open, 'open action')}, {area.actions_done} done",
                 "$text-muted"),
            ))
        if not found.outcomes:
            lines.append(Content.styled("No outcome areas: see `appreciate outcomes`.",
                                        "$text-muted"))
        return Content("\n").join(lines)

    def _scores(self) -> Content:
        """Scores by agency over time and per conversation (tui/widgets/agency_scores.py)."""
        assert self._insights is not None
        return scores_section(self._insights, self._width)

    # ------------------------------------------------------------------ questions

    def _draw_questions(self) -> None:
        found = self._insights
        assert found is not None
        self.query_one("#questions-heading", Static).update(Content.assemble(
            ("Questions that work", "bold"),
            ("   useful · notes · asked · k keeps one", "$text-muted"),
        ))
        options: list[Option] = [Option(Content.styled("Bank questions", "bold $primary"),
                                        disabled=True)]
        options += [self._question_option(q) for q in found.questions[:40]]
        options.append(Option(Content.styled("Follow-ups", "bold $primary"), disabled=True))
        options += [self._question_option(q) for q in found.follow_ups[:40]]
        self._fill(self.query_one("#question-list", OptionList), options)

    @staticmethod
    def _question_option(question) -> Option:
        kept = " kept" if question.worth_keeping else ""
        return Option(Content.assemble(
            (f"{question.useful:>4} useful {plural(question.notes, 'note', fmt='>6,'):<12} "
             f"{question.asked:>4}× ", "$text-muted"),
            one_line(question.text), (kept, "$success"),
        ), id=f"question:{question.question_id}")

    def action_keep(self) -> None:
        question_id = self._highlighted("question")
        if question_id is None:
            self.notify("Highlight a question first (6 shows them).", markup=False)
            return
        from appreciate_tui.banks import loader as banks
        question = self.store.get_question(question_id)
        try:
            bank = banks.add_to_user_bank(question.text, question.phase)
            if question.is_follow_up and not self.store.read_only:
                self.store.set_worth_keeping(question.id, True)
        except (banks.BankError, OSError, ValueError, StoreError) as error:
            self.notify(f"Not kept: {one_line(str(error))}", severity="error", markup=False)
            return
        self.notify(f"Kept in your bank “{one_line(bank.title)}”: {one_line(question.text, 60)}",
                    markup=False, timeout=6)

    # ------------------------------------------------------------------ outcome links

    def action_outcome(self) -> None:
        target = self._link_target()
        if target is None:
            self.notify("Highlight a conversation (1), an action (3) or a note (2, 4) first.",
                        markup=False)
            return
        if not self.writable():
            return
        kind, target_id, what = target
        from appreciate_tui.tui.dialogs.outcome_picker import OutcomePicker

        linked = self.store.outcome_areas_of(kind, target_id)

        def chosen(areas: set[str] | None) -> None:
            if areas is None:
                return
            def write() -> bool:
                with self.store.atomic():
                    for area in areas | linked:
                        self.store.link_outcome(area, kind, target_id, linked=area in areas)
                return True

            if self.save(write, failed="Not linked") is None:
                return
            self.notify(f"Linked to {plural(len(areas), 'outcome area')}.",
                        markup=False)
            self.action_refresh()

        self.app.push_screen(OutcomePicker(what, self._areas, linked), chosen)

    def _link_target(self) -> tuple[str, str, str] | None:
        focused = self.focused
        if not isinstance(focused, OptionList) or focused.highlighted is None:
            return None
        option = focused.get_option_at_index(focused.highlighted)
        kind, _, target_id = (option.id or "").partition(":")
        if kind not in ("conversation", "note", "action") or not target_id:
            return None
        return kind, target_id, f"{kind.capitalize()}: {option.prompt}"

    def _highlighted(self, kind: str) -> str | None:
        focused = self.focused
        lists = [focused] if isinstance(focused, OptionList) else []
        lists += list(self.query(OptionList))
        for options in lists:
            if not options.display or options.highlighted is None or options.id == "sections":
                continue
            option = options.get_option_at_index(options.highlighted)
            found_kind, _, found_id = (option.id or "").partition(":")
            if found_kind == kind and found_id and options.is_on_screen:
                return found_id
        return None

    # ------------------------------------------------------------------ moving about

    @on(OptionList.OptionHighlighted, "#sections")
    def _section_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if event.option.id:
            self.query_one(ContentSwitcher).current = event.option.id

    @on(OptionList.OptionSelected, "#sections")
    def _section_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.focus_next()

    def _show(self, section: str) -> None:
        keys = [key for key, _ in SECTIONS]
        self.query_one("#sections", OptionList).highlighted = keys.index(section)
        self.query_one(ContentSwitcher).current = section

    def on_key(self, event) -> None:
        if event.key in "12345678" and len(event.key) == 1:
            event.stop()
            self._show(SECTIONS[int(event.key) - 1][0])
            view = self.query_one(f"#{SECTIONS[int(event.key) - 1][0]}")
            first = next(iter(view.query(OptionList)), None)
            (first or self.query_one("#sections", OptionList)).focus()

    def action_back(self) -> None:
        if self.query_one(ThemesPanel).leave_notes():
            return
        self.app.pop_screen()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("progress", "outcome") and self.store.read_only:
            return None
        return True
