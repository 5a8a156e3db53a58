"""Keys by id: every key in a footer can be given another in the settings' keymap, the new key
works and is named where the old one was (footer, palette), and a name the app does not know is
reported, not a crash."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

from textual.command import CommandList, CommandPalette
from textual.dom import DOMNode
from textual.widgets import Static

from appreciate_tui.settings import Settings
from appreciate_tui.store import Store
from appreciate_tui.tui.app import AppreciateApp
from appreciate_tui.tui.keys import _subclasses, binding_ids, key_name, unknown_ids
from appreciate_tui.tui.screens.facilitate import FacilitateScreen
from appreciate_tui.tui.screens.plan import PlanScreen
from tests.tui.facilitate_data import make_conversation

README = Path(__file__).resolve().parents[2] / "README.md"


def our_bindings() -> Iterator[tuple[type[DOMNode], object]]:
    binding_ids()  # imports every screen, dialog and widget
    for cls in _subclasses(DOMNode):
        if cls.__module__.startswith("appreciate_tui.") and "BINDINGS" in vars(cls):
            for binding in cls.BINDINGS:
                yield cls, binding


def test_every_key_shown_in_a_footer_has_an_id_and_each_id_one_meaning() -> None:
    meaning: dict[str, str] = {}
    for cls, binding in our_bindings():
        if binding.show:  # type: ignore[attr-defined]
            assert binding.id, f"{cls.__name__}: {binding}"  # type: ignore[attr-defined]
        if binding.id:  # type: ignore[attr-defined]
            what = f"{cls.__name__}.{binding.action}"  # type: ignore[attr-defined]
            assert meaning.setdefault(binding.id, what) == what  # type: ignore[attr-defined]


def test_the_readme_names_every_id() -> None:
    section = README.read_text(encoding="utf-8").split("### Key map", 1)[1].split("\n### ", 1)[0]
    missing = [binding.id for _, binding in our_bindings()  # type: ignore[attr-defined]
               if binding.id and f"`{binding.id}`" not in section]  # type: ignore[attr-defined]
    assert not missing


def test_keys_are_named_as_the_hints_name_them() -> None:
    assert [key_name(key) for key in ("f6", "escape", "ctrl+r", "shift+up", "slash", "asterisk",
                                      "S", "left_square_bracket", "full_stop", "d")] == [
        "F6", "Escape", "ctrl+r", "shift+↑", "/", "*", "S", "[", ".", "d"
    ]


def test_unknown_ids_are_found() -> None:
    assert unknown_ids(["app.help", "note.stance.concern", "present.close", "facilitate.nope"]) == [
        "facilitate.nope"
    ]


async def test_a_remapped_key_works_on_the_facilitation_screen_and_the_footer_names_it(
    store: Store,
) -> None:
    cid = make_conversation(store)
    app = AppreciateApp(store, conversation_id=cid,
                        settings=Settings(keymap={"facilitate.next": "f12"}))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FacilitateScreen)
        first = store.get_conversation(cid).current_question_id
        await pilot.press("f6")  # the old key does nothing now
        await pilot.pause()
        assert store.get_conversation(cid).current_question_id == first
        await pilot.press("f12")
        await pilot.pause()
        assert store.get_conversation(cid).current_question_id != first
        shown = {binding.id: key for key, (_, binding, _, _) in screen.active_bindings.items()}
        assert shown["facilitate.next"] == "f12"


async def test_a_remapped_key_of_a_list_works(store: Store) -> None:
    cid = make_conversation(store)
    app = AppreciateApp(store, settings=Settings(keymap={"home.plan": "o"}))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        assert app.screen.conversation_id == cid


async def test_an_unknown_id_in_the_settings_is_reported_not_a_crash(store: Store) -> None:
    app = AppreciateApp(store, settings=Settings(keymap={"app.hlep": "f10", "app.help": "f11"}))
    told: list[tuple[str, str]] = []
    app.notify = lambda message, title="", **_: told.append((title, message))  # type: ignore
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("f11")
        assert app.screen.__class__.__name__ == "HelpScreen", "the known id still applies"
    assert [message for _, message in told if "app.hlep" in message], told
    assert not [message for _, message in told if "app.help," in message]


async def test_the_palette_names_the_key_as_remapped(store: Store) -> None:
    make_conversation(store)
    app = AppreciateApp(store, settings=Settings(keymap={"home.plan": "o", "app.help": "f11"}))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await app.screen.workers.wait_for_complete()
        await pilot.pause(0.1)
        listed = " ".join(
            str(option.prompt) for option in app.screen.query_one(CommandList).options
        )
    assert "Plan the highlighted conversation (o)" in listed
    assert "(p)" not in listed
    assert "Keys, the quick-note grammar and the meters (F11)" in listed


def help_starts_with(app: AppreciateApp, name: str) -> bool:
    from rich.console import Console

    from appreciate_tui.tui.dialogs.help import HELP_DIR, HelpScreen

    assert isinstance(app.screen, HelpScreen)
    console = Console(record=True, width=100, file=io.StringIO())
    console.print(app.screen.query_one("#help-text", Static).content)
    heading = next(line.lstrip("#").strip() for line in
                   (HELP_DIR / name).read_text(encoding="utf-8").splitlines() if line.startswith("#"))
    return console.export_text().lstrip().startswith(heading)


async def test_the_help_opens_at_the_plans_on_the_plan_and_over_its_dialogs(store: Store) -> None:
    cid = make_conversation(store)
    app = AppreciateApp(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.plan_conversation(cid)
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        await pilot.press("f1")
        assert help_starts_with(app, "plan.md")
        await pilot.press("escape", "f6")  # the sheet to send participants: a dialog
        await pilot.pause()
        assert not isinstance(app.screen, PlanScreen)
        app.action_help()  # as the palette's `app: help` does over a dialog
        await pilot.pause()
        assert help_starts_with(app, "plan.md"), "a dialog's help is its screen's"


async def test_f1_opens_at_the_wrap_ups_help(store: Store) -> None:
    cid = make_conversation(store)
    store.start_conversation(cid)
    app = AppreciateApp(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.wrap_up_conversation(cid)
        await pilot.pause()
        await pilot.press("f1")
        assert help_starts_with(app, "wrapup.md")
