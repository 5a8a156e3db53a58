"""The themes of insights, one stance at a time: the phrases that recur in its notes (the method is
in appreciate_tui/insights/themes.py), the #tags, and on Enter the notes behind a theme.

The facilitator's own reading is kept: `n` names a theme, `g` merges it into another of the
stance (or splits a merged phrase off again), `h` hides it (or shows a hidden one again) and `v`
lists the hidden themes too. A choice is applied at once to what was read; the panel posts
`Chosen` for the screen to keep it, and `NotesWanted` for the notes behind a theme.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from appreciate_tui.domain import Stance
from appreciate_tui.insights import charts
from appreciate_tui.insights.compute import BALANCE, Insights
from appreciate_tui.insights.themes import StanceThemes, Theme, ThemeChoice, arrange
from appreciate_tui.text import one_line
from appreciate_tui.tui.keys import with_keys
from appreciate_tui.tui.themes import STANCE_VARIABLES
from appreciate_tui.wording import plural

THEME_STANCES = (*BALANCE, Stance.ACTION, Stance.QUOTE, Stance.NOTE)
LABEL_WIDTH = 24


class ThemesPanel(Vertical):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "rename", "Name",
                tooltip="Give the highlighted theme a name of your own", id="insights.theme_name"),
        Binding("g", "merge", "Merge",
                tooltip="Merge the highlighted theme into another of this stance, or split one off",
                id="insights.theme_merge"),
        Binding("h", "hide", "Hide",
                tooltip="Hide the highlighted theme, or show a hidden one again",
                id="insights.theme_hide"),
        Binding("v", "show_hidden", "Hidden", tooltip="List the hidden themes too, or not",
                id="insights.theme_hidden"),
    ]

    class NotesWanted(Message):
        """The notes behind a theme are wanted (the screen reads them: `show_notes`)."""

        def __init__(self, theme: Theme) -> None:
            super().__init__()
            self.theme = theme

    class Chosen(Message):
        """A choice about a theme, to keep (`Store.choose_theme`), then `rearrange`."""

        def __init__(self, stance: Stance, phrases: tuple[str, ...], done: str, *,
                     label: str | None = None, merged_into: str | None | bool = False,
                     hidden: bool | None = None) -> None:
            """What is not given stays as it was (`merged_into=None` splits a phrase off)."""
            super().__init__()
            self.stance = stance
            self.phrases = phrases
            self.done = done
            self.label = label
            self.merged_into = merged_into
            self.hidden = hidden

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.stance = Stance.CONCERN
        self.show_hidden = False
        self._stance_chosen = False
        self._insights: Insights | None = None
        self._arranged: dict[Stance, StanceThemes] = {}

    def compose(self) -> ComposeResult:
        yield Static(id="themes-heading")
        with Horizontal(id="themes-lists"):
            yield OptionList(id="theme-terms")
            yield OptionList(id="theme-notes")

    # ------------------------------------------------------------------ what is shown

    def show(self, insights: Insights) -> None:
        self._insights = insights
        self._arranged = {
            stance: StanceThemes(insights.themes.get(stance, []), insights.tags.get(stance, []),
                                 insights.hidden_themes.get(stance, []))
            for stance in Stance
        }
        if not self._stance_chosen and not self.listed():
            # Concerns first, unless they have no theme yet: then the first stance with some.
            self.stance = next((stance for stance in THEME_STANCES
                                if self._arranged[stance].themes or self._arranged[stance].tags),
                               self.stance)
        self.draw()

    def rearrange(self, choices: list[ThemeChoice]) -> None:
        """Apply the choices kept to what was read, without reading the notes again."""
        found = self._insights
        if found is None or found.theme_reading is None:
            return
        self._arranged = arrange(found.theme_reading, choices)
        self.draw()

    def next_stance(self) -> None:
        self._stance_chosen = True
        order = list(THEME_STANCES)
        self.stance = order[(order.index(self.stance) + 1) % len(order)]
        self.draw()

    def listed(self) -> list[Theme]:
        """The themes of the stance as listed: #tags, the themes, then the hidden ones if asked."""
        found = self._arranged.get(self.stance)
        if found is None:
            return []
        return found.tags + found.themes + (found.hidden if self.show_hidden else [])

    def draw(self) -> None:
        if self._insights is None:
            return
        stance = self.stance
        style = f"${STANCE_VARIABLES[stance]}"
        window = self._insights.theme_window
        read = (f"from the latest {window.limit:,} notes"
                if window is not None and window.cut else "phrases in 2+ notes")
        hidden = len(self._arranged.get(stance, StanceThemes([], [], [])).hidden)
        self.query_one("#themes-heading", Static).update(Content.assemble(
            ("Themes: ", "bold"), (f"{stance.symbol} {stance.label}", f"bold {style}"),
            (f"  {read}", "$text-muted"),
            (f" · {hidden} hidden" if hidden else "", "$text-muted"),
            ("\n" + with_keys(
                "{insights.next_stance} stance · Enter notes · {insights.theme_name} name · "
                "{insights.theme_merge} merge · {insights.theme_hide} hide · "
                "{insights.theme_hidden} hidden", self.app, self, self.screen), "$text-muted"),
        ))
        themes = self.listed()
        biggest = max((t.notes for t in themes), default=0)
        terms = self.query_one("#theme-terms", OptionList)
        highlighted = terms.highlighted
        terms.clear_options()
        terms.add_options([self._option(theme, biggest, style) for theme in themes] or [
            Option(Content.styled("No phrase recurs yet.", "$text-muted"), disabled=True)])
        if themes:
            terms.highlighted = min(highlighted or 0, len(themes) - 1)
        self.query_one("#theme-notes", OptionList).clear_options()

    @staticmethod
    def _option(theme: Theme, biggest: int, style: str) -> Option:
        name = one_line(theme.shown_as, LABEL_WIDTH)
        marks = ("hidden " if theme.hidden else "") + (f"+{len(theme.merged)} " if theme.merged
                                                         else "")
        return Option(Content.assemble(
            (f"{name:<{LABEL_WIDTH}} ",
             "$text-muted" if theme.hidden else ("bold" if theme.term.startswith("#") else "")),
            (f"{charts.bar(theme.notes, biggest, 6):<6}", style),
            (f" {theme.notes:>5,}", "$text-muted"),
            (f" {marks}" if marks else "", "$text-muted italic"),
        ), id=f"term:{theme.term}")

    def highlighted_theme(self) -> Theme | None:
        terms = self.query_one("#theme-terms", OptionList)
        if terms.highlighted is None:
            return None
        option_id = terms.get_option_at_index(terms.highlighted).id or ""
        term = option_id.removeprefix("term:")
        return next((t for t in self.listed() if t.term == term), None)

    # ------------------------------------------------------------------ the notes behind a theme

    @on(OptionList.OptionSelected, "#theme-terms")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        theme = self.highlighted_theme()
        if theme is not None:
            self.post_message(self.NotesWanted(theme))

    def show_notes(self, theme: Theme, notes: list[dict]) -> None:
        style = f"${STANCE_VARIABLES[self.stance]}"
        listed = self.query_one("#theme-notes", OptionList)
        listed.clear_options()
        listed.add_options([
            Option(Content.assemble(
                (f"{self.stance.symbol} ", style), one_line(note["body"]), "\n",
                (f"  {note['conversation_date']} · {one_line(note['conversation_title'], 50)}",
                 "$text-muted"),
            ), id=f"note:{note['id']}")
            for note in notes
        ] or [Option(Content.styled("No notes carry it now.", "$text-muted"), disabled=True)])
        shown = f"{plural(theme.notes, 'note')} with “{one_line(theme.shown_as, 30)}”"
        if len(notes) < theme.notes:
            shown += f", the latest {len(notes)}"
        listed.border_title = shown
        if notes:
            listed.highlighted = 0
        listed.focus()

    def leave_notes(self) -> bool:
        """Escape in the notes goes back to the themes (True), else it is the screen's."""
        if self.query_one("#theme-notes", OptionList).has_focus:
            self.query_one("#theme-terms", OptionList).focus()
            return True
        return False

    # ------------------------------------------------------------------ choices

    def _chosen_theme(self) -> Theme | None:
        theme = self.highlighted_theme()
        if theme is None:
            self.notify("Highlight a theme first (2 shows them).", markup=False)
        return theme

    def action_rename(self) -> None:
        theme = self._chosen_theme()
        if theme is None:
            return
        from appreciate_tui.tui.dialogs.name_theme import NameThemeScreen

        def named(label: str | None) -> None:
            if label is None or label == theme.label:
                return
            done = (f"Named “{one_line(label, 40)}”: {one_line(theme.term, 40)}" if label
                    else f"The theme shows its phrase again: {one_line(theme.term, 40)}")
            self.post_message(self.Chosen(self.stance, (theme.term,), done, label=label))

        self.app.push_screen(NameThemeScreen(theme.phrases + theme.merged, theme.label), named)

    def action_merge(self) -> None:
        theme = self._chosen_theme()
        if theme is None:
            return
        from appreciate_tui.tui.dialogs.pick import PickScreen

        options = [(f"split:{phrase}", Content.assemble(("Split off ", "$text-muted"),
                                                         one_line(phrase, 60)))
                   for phrase in theme.merged]
        options += [(f"into:{other.term}", Content.assemble(
                        ("Into ", "$text-muted"), one_line(other.shown_as, 50),
                        (f"  {plural(other.notes, 'note')}", "$text-muted")))
                    for other in self.listed() if other.term != theme.term and not other.hidden]
        if not options:
            self.notify("No other theme of this stance to merge it into.", markup=False)
            return

        def picked(choice: str | None) -> None:
            if choice is None:
                return
            how, _, phrase = choice.partition(":")
            if how == "split":
                self.post_message(self.Chosen(self.stance, (phrase,),
                                              f"Split off: {one_line(phrase, 60)}",
                                              merged_into=None))
            else:
                other = next(t for t in self.listed() if t.term == phrase)
                self.post_message(self.Chosen(
                    self.stance, (theme.term,),
                    f"Merged “{one_line(theme.shown_as, 30)}” into “{one_line(other.shown_as, 30)}”",
                    merged_into=phrase))

        self.app.push_screen(PickScreen(f"Merge “{one_line(theme.shown_as, 40)}”", options,
                                        hint="Enter merges (or splits off) · {pick.cancel} cancels"),
                             picked)

    def action_hide(self) -> None:
        theme = self._chosen_theme()
        if theme is None:
            return
        if theme.hidden:  # hidden under any of its phrases: shown again under all
            self.post_message(self.Chosen(self.stance, theme.phrases,
                                          f"Shown again: {one_line(theme.shown_as, 50)}",
                                          hidden=False))
            return
        self.post_message(self.Chosen(self.stance, (theme.term,),
                                      f"Hidden: {one_line(theme.shown_as, 50)} (v lists it)",
                                      hidden=True))

    def action_show_hidden(self) -> None:
        self.show_hidden = not self.show_hidden
        self.draw()
