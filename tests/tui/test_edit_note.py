"""One note editor for both moments: on one line while facilitating, in a text area when correcting
the record afterwards. Each dismisses with the new text, or None when nothing changed."""

from __future__ import annotations

from textual.app import App
from textual.widgets import Input, Static, TextArea

from appreciate_tui.domain import Note, Stance
from appreciate_tui.tui.dialogs.edit_note import EditNoteScreen, can_edit_here
from appreciate_tui.tui.widgets.note_input import LINE_LIMIT


def note(body: str) -> Note:
    return Note("n1", "c1", "q1", body, Stance.STRENGTH, "2026-03-12T10:00:00+00:00",
                "2026-03-12T10:00:00+00:00", "")


class Harness(App[None]):
    def __init__(self, screen: EditNoteScreen) -> None:
        super().__init__()
        self.editor = screen
        self.results: list[str | None] = []

    def on_mount(self) -> None:
        self.push_screen(self.editor, self.results.append)


def saves_shown(app: App[None]) -> bool:
    return any(binding.action == "save" for _, binding, enabled, _ in
               app.screen.active_bindings.values() if enabled)


async def test_while_facilitating_the_note_is_edited_on_one_line() -> None:
    app = Harness(EditNoteScreen(note("calls on tme")))
    async with app.run_test() as pilot:
        field = app.screen.query_one("#edit-body")
        assert isinstance(field, Input) and field.max_length == LINE_LIMIT
        assert "Edit note" in str(app.screen.query_one(".dialog-title", Static).render())
        assert not saves_shown(app), "the line's own Enter saves; no Save key in the footer"
        await pilot.press("ctrl+u", *"calls on time", "enter")
        await pilot.pause()
    assert app.results == ["calls on time"]


async def test_correcting_the_record_keeps_several_lines_and_says_how_often() -> None:
    app = Harness(EditNoteScreen(note("First line\nsecond line"), correcting=True, revisions=2))
    async with app.run_test() as pilot:
        area = app.screen.query_one("#edit-body")
        assert isinstance(area, TextArea) and app.focused is area
        assert "Correct this note" in str(app.screen.query_one(".dialog-title", Static).render())
        assert "corrected 2 times before" in str(app.screen.query_one("#edit-hint").render())
        assert saves_shown(app)
        await pilot.press("!", "enter")  # Enter saves, it does not start a new line
        await pilot.pause()
    assert app.results == ["First line\nsecond line!"]


async def test_nothing_changed_or_nothing_left_is_none() -> None:
    for correcting in (False, True):
        app = Harness(EditNoteScreen(note("same"), correcting=correcting))
        async with app.run_test() as pilot:
            await pilot.press("enter")
            await pilot.pause()
        assert app.results == [None]


def test_a_long_or_many_line_note_is_not_edited_on_one_line() -> None:
    assert can_edit_here(note("short"))
    assert not can_edit_here(note("two\nlines"))
    assert not can_edit_here(note("x" * (LINE_LIMIT + 1)))
