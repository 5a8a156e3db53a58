"""A dialog names its keys as the facilitator has them: its hint line and buttons are written from
its bindings, so a key changed in the settings' keymap is named as changed; F1 in a dialog opens
the help at the dialog's own section, or else at the help of the screen beneath it, and closes it
again."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Input, Static

from appreciate_tui.domain import Phase
from appreciate_tui.settings import Settings
from appreciate_tui.store import Store
from appreciate_tui.tui.app import AppreciateApp
from appreciate_tui.tui.dialogs.action_form import ActionFormScreen
from appreciate_tui.tui.dialogs.attribute_note import AttributeNoteScreen
from appreciate_tui.tui.dialogs.bank_picker import BankPickerScreen
from appreciate_tui.tui.dialogs.base import StoreDialog
from appreciate_tui.tui.dialogs.choose_phase import ChoosePhaseScreen
from appreciate_tui.tui.dialogs.clipboard_fallback import ClipboardFallbackScreen
from appreciate_tui.tui.dialogs.confirm import ConfirmScreen
from appreciate_tui.tui.dialogs.date_range import DateRangeScreen
from appreciate_tui.tui.dialogs.edit_note import EditNoteScreen
from appreciate_tui.tui.dialogs.end_conversation import EndConversationScreen
from appreciate_tui.tui.dialogs.export import ExportScreen
from appreciate_tui.tui.dialogs.feedback_form import FeedbackFormScreen
from appreciate_tui.tui.dialogs.handle_escalation import HandleEscalationScreen
from appreciate_tui.tui.dialogs.help import HelpScreen
from appreciate_tui.tui.dialogs.name_theme import NameThemeScreen
from appreciate_tui.tui.dialogs.new_conversation import NewConversationScreen
from appreciate_tui.tui.dialogs.outcome_picker import OutcomePicker
from appreciate_tui.tui.dialogs.participant_form import ParticipantFormScreen
from appreciate_tui.tui.dialogs.pick import PickScreen
from appreciate_tui.tui.dialogs.question_form import QuestionFormScreen
from appreciate_tui.tui.dialogs.record_handling import RecordHandlingScreen
from appreciate_tui.tui.dialogs.retention import RetentionScreen
from appreciate_tui.tui.dialogs.share_questions import ShareQuestionsScreen
from appreciate_tui.tui.screens.plan import PlanScreen

Make = Callable[[Store, str], Screen]  # the store and a conversation id -> the dialog


def _note(store: Store, cid: str):
    return store.add_note(cid, store.list_questions(cid)[0].id, "police were not invited")


# Each dialog, and the binding ids its hint line or buttons name.
DIALOGS: list[tuple[str, Make, tuple[str, ...]]] = [
    ("confirm", lambda s, c: ConfirmScreen("Sure?", "It goes.", yes="Go"),
     ("confirm.no", "confirm.yes")),
    ("end_conversation", lambda s, c: EndConversationScreen(1),
     ("end_conversation.keep_going", "end_conversation.end")),
    ("choose_phase", lambda s, c: ChoosePhaseScreen("What works?", Phase.DISCOVER),
     ("choose_phase.cancel",)),
    ("pick", lambda s, c: PickScreen("Go to", [("a", Content("A"))]), ("pick.cancel",)),
    ("date_range", lambda s, c: DateRangeScreen(None, None), ("date_range.cancel",)),
    ("question_form", lambda s, c: QuestionFormScreen(title="Write a question"),
     ("question_form.cancel",)),
    ("participant_form", lambda s, c: ParticipantFormScreen(["Police"]),
     ("participant_form.cancel",)),
    ("action_form", lambda s, c: ActionFormScreen(["Police"]), ("action_form.cancel",)),
    ("clipboard_fallback",
     lambda s, c: ClipboardFallbackScreen("text", "it may not", on_confirmed=lambda _: None),
     ("clipboard_fallback.save", "clipboard_fallback.confirm", "clipboard_fallback.close")),
    ("handle_escalation", lambda s, c: HandleEscalationScreen([_note(s, c)]),
     ("handle_escalation.previous", "handle_escalation.next", "handle_escalation.cancel")),
    ("record_handling", lambda s, c: RecordHandlingScreen(_note(s, c)),
     ("record_handling.cancel",)),
    ("attribute_note", lambda s, c: AttributeNoteScreen(_note(s, c), [], ["Police"]),
     ("attribute_note.cancel",)),
    ("edit_note", lambda s, c: EditNoteScreen(_note(s, c)), ("edit_note.cancel",)),
    ("edit_note_correcting", lambda s, c: EditNoteScreen(_note(s, c), correcting=True),
     ("edit_note.save", "edit_note.cancel")),
    ("bank_picker", lambda s, c: BankPickerScreen([]), ("bank_picker.add", "bank_picker.cancel")),
    ("outcome_picker", lambda s, c: OutcomePicker("this note", [], set()),
     ("outcome_picker.save", "outcome_picker.cancel")),
    ("new_conversation", lambda s, c: NewConversationScreen(), ("new.cancel",)),
    ("retention", lambda s, c: RetentionScreen(), ("retention.close", "retention.erase")),
    ("share_questions", lambda s, c: ShareQuestionsScreen(c),
     ("share_questions.recipient", "share_questions.copy", "share_questions.markdown",
      "share_questions.text", "share_questions.close")),
    ("help", lambda s, c: HelpScreen(), ("help.close",)),
    ("export", lambda s, c: ExportScreen(c), ("export.cancel", "export.export")),
    ("feedback_form",
     lambda s, c: FeedbackFormScreen([], ["Police"], s.list_questions(c), {}),
     ("feedback_form.cancel",)),
    ("name_theme", lambda s, c: NameThemeScreen(("short notice",), ""), ("name_theme.cancel",)),
]




def test_every_dialog_is_checked_here() -> None:
    import importlib
    import pkgutil

    import appreciate_tui.tui.dialogs as dialogs

    found = set()
    for module in pkgutil.iter_modules(dialogs.__path__):
        loaded = importlib.import_module(f"{dialogs.__name__}.{module.name}")
        found |= {name for name, value in vars(loaded).items() if isinstance(value, type)
                  and issubclass(value, Screen) and value.__module__ == loaded.__name__
                  and "BINDINGS" in vars(value)}
    assert found - {cls.__name__ for cls in CHECKED} == set(), "add the new dialog here"


# The dialogs of DIALOGS.
CHECKED = {
    ActionFormScreen, AttributeNoteScreen, BankPickerScreen, ChoosePhaseScreen,
    ClipboardFallbackScreen, ConfirmScreen, DateRangeScreen, EditNoteScreen,
    EndConversationScreen, HandleEscalationScreen, HelpScreen, NewConversationScreen,
    OutcomePicker, ParticipantFormScreen, PickScreen, QuestionFormScreen,
    RecordHandlingScreen, RetentionScreen, ShareQuestionsScreen, ExportScreen,
    FeedbackFormScreen, NameThemeScreen,
}


def shown(screen: Screen) -> str:
    """Every word the dialog shows: its texts, its buttons, its fields' placeholders."""
    words = [str(widget.render()) for widget in screen.query(Static)]
    words += [str(button.label) for button in screen.query(Button)]
    words += [field.placeholder for field in screen.query(Input)]
    return "\n".join(words)


@pytest.mark.parametrize(("make", "ids"), [(make, ids) for _, make, ids in DIALOGS],
                         ids=[name for name, _, _ in DIALOGS])
async def test_a_dialog_names_its_keys_as_remapped(
    store: Store, cid: str, make: Make, ids: tuple[str, ...]
) -> None:
    keymap = {binding_id: f"f{13 + n}" for n, binding_id in enumerate(ids)}
    app = AppreciateApp(store, settings=Settings(keymap=keymap))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        dialog = make(store, cid)
        app.push_screen(dialog)
        await pilot.pause()
        words = shown(dialog)
    for n, binding_id in enumerate(ids):
        assert f"F{13 + n}" in words, f"{binding_id} is not named as remapped"
    assert "Escape" not in words and "Esc)" not in words, words


async def test_a_dialog_over_the_store_reads_the_apps(store: Store, cid: str) -> None:
    app = AppreciateApp(store, settings=Settings())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        dialog = RetentionScreen()
        app.push_screen(dialog)
        await pilot.pause()
        assert isinstance(dialog, StoreDialog) and dialog.store is store


def help_lines(app: AppreciateApp) -> tuple[list[str], int]:
    """The help as drawn, line by line, and the line at the top of its window."""
    from rich.console import Console

    help_screen = app.screen
    assert isinstance(help_screen, HelpScreen)
    text = help_screen.query_one("#help-text", Static)
    console = Console(record=True, width=text.content_region.width, file=io.StringIO())
    console.print(text.content)
    return console.export_text().splitlines(), round(help_screen.query_one("#help-body").scroll_y)


async def test_f1_in_a_dialog_opens_its_section_and_closes_again(store: Store, cid: str) -> None:
    app = AppreciateApp(store, settings=Settings())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.plan_conversation(cid)
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        form = ParticipantFormScreen(["Police"])
        app.push_screen(form)
        await pilot.pause()
        await pilot.press("f1")  # in the form's name field
        await pilot.pause()
        lines, top = help_lines(app)
        assert lines[0].startswith("Planning a conversation"), "the plan's help first"
        assert top > 0 and lines[top].startswith("People"), lines[top - 2: top + 2]
        await pilot.press("f1")
        await pilot.pause()
        assert app.screen is form, "F1 again closes the help"
        await pilot.press("escape")
        await pilot.pause()
        app.push_screen(ConfirmScreen("Sure?", "It goes.", yes="Go"))  # no section of its own
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        lines, top = help_lines(app)
        assert lines[0].startswith("Planning a conversation") and top == 0
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
