"""The themes of insights in the app: `n` names a theme, `g` merges it into another (or splits it
off again), `h` hides it, `v` lists the hidden ones; each choice shows at once, is kept in the
file and is there again after a restart. Enter lists the notes behind a theme, never an
escalated one."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, OptionList

from appreciate_tui.settings import Settings
from appreciate_tui.store import Store
from appreciate_tui.tui.app import AppreciateApp
from appreciate_tui.tui.dialogs.name_theme import NameThemeScreen
from appreciate_tui.tui.dialogs.pick import PickScreen
from appreciate_tui.tui.screens.insights import InsightsScreen
from appreciate_tui.tui.widgets.themes_panel import ThemesPanel

CONCERNS = [
    "Invited at short notice again",
    "Short notice meant health could not attend",
    "The chair went round twice; short notice for police",
    "Our chair went round quickly, then the laptop broke",
    "No laptop in the room",
]


def _world(store: Store) -> str:
    conversation = store.create_conversation("Strategy", "Heard?", date="2025-03-02",
                                             status="closed")
    question = store.add_question(conversation.id, "What worked?", "discover")
    for body in CONCERNS:
        store.add_note(conversation.id, question.id, body, "concern")
    escalated = store.add_note(conversation.id, question.id,
                               "Short notice: Jo Bloggs at risk tonight", "concern")
    store.update_note(escalated.id, escalate=True)
    return escalated.id


async def _themes(pilot, app: AppreciateApp) -> ThemesPanel:
    await pilot.press("i")
    assert isinstance(app.screen, InsightsScreen)
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("2")
    return app.screen.query_one(ThemesPanel)


def _listed(panel: ThemesPanel) -> list[tuple[str, int]]:
    return [(t.shown_as, t.notes) for t in panel.listed()]


def _highlight(panel: ThemesPanel, term: str) -> None:
    terms = panel.query_one("#theme-terms", OptionList)
    terms.highlighted = [t.term for t in panel.listed()].index(term)


async def test_name_merge_hide_and_show_again_kept_across_a_restart(
    store: Store, db_path: Path
) -> None:
    escalated = _world(store)
    app = AppreciateApp(store, settings=Settings())
    async with app.run_test(size=(100, 30)) as pilot:
        panel = await _themes(pilot, app)
        assert _listed(panel) == [("short notice", 3), ("chair went round", 2), ("laptop", 2)]

        await pilot.press("enter")  # the notes behind "short notice", never the escalated one
        await pilot.pause()
        notes = panel.query_one("#theme-notes", OptionList)
        ids = [notes.get_option_at_index(i).id for i in range(notes.option_count)]
        assert len(ids) == 3 and f"note:{escalated}" not in ids and notes.has_focus
        await pilot.press("escape")
        assert isinstance(app.screen, InsightsScreen)

        await pilot.press("n")
        assert isinstance(app.screen, NameThemeScreen)
        app.screen.query_one(Input).value = "Late invitations"
        await pilot.press("enter")
        await pilot.pause()
        assert _listed(panel)[0] == ("Late invitations", 3)

        _highlight(panel, "laptop")
        await pilot.press("g")
        assert isinstance(app.screen, PickScreen)
        picker = app.screen.query_one(OptionList)
        picker.highlighted = [picker.get_option_at_index(i).id
                              for i in range(picker.option_count)].index("into:chair went round")
        await pilot.press("enter")
        await pilot.pause()
        assert _listed(panel) == [("chair went round", 3), ("Late invitations", 3)]

        _highlight(panel, "short notice")
        await pilot.press("h")
        await pilot.pause()
        assert _listed(panel) == [("chair went round", 3)]
        await pilot.press("v")
        assert _listed(panel) == [("chair went round", 3), ("Late invitations", 3)]
        assert [t.hidden for t in panel.listed()] == [False, True]

    # The app again, on the same file: every choice is still there.
    app = AppreciateApp(store, settings=Settings())
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await _themes(pilot, app)
        assert _listed(panel) == [("chair went round", 3)]
        await pilot.press("v")
        _highlight(panel, "short notice")
        await pilot.press("h")  # shown again
        await pilot.pause()
        _highlight(panel, "chair went round")
        await pilot.press("g")
        assert isinstance(app.screen, PickScreen)
        await pilot.press("enter")  # the first option: split "laptop" off
        await pilot.pause()
        assert _listed(panel) == [("Late invitations", 3), ("chair went round", 2),
                                  ("laptop", 2)]
    assert [(c["phrase"], c["label"]) for c in store.theme_choices()] == [
        ("short notice", "Late invitations")]


async def test_a_name_full_of_controls_is_kept_clean_and_shown_safely(store: Store) -> None:
    _world(store)
    app = AppreciateApp(store, settings=Settings())
    async with app.run_test(size=(100, 30)) as pilot:
        panel = await _themes(pilot, app)
        await pilot.press("n")
        field = app.screen.query_one(Input)
        field.insert_text_at_cursor("\x1b]52;c;ZXZpbA==\x07Late\u202e invites")
        await pilot.press("enter")
        await pilot.pause()
        name = panel.listed()[0].shown_as
        assert "\x1b" not in name and "\x07" not in name and "Late" in name
        stored = store.theme_choices()[0]["label"]
        assert "\x1b" not in stored and len(stored) <= 80


async def test_without_themes_the_list_says_so_and_the_keys_say_what_to_do(store: Store) -> None:
    conversation = store.create_conversation("Quiet", "Heard?", date="2025-03-02")
    question = store.add_question(conversation.id, "What worked?", "discover")
    store.add_note(conversation.id, question.id, "Only one note", "concern")
    app = AppreciateApp(store, settings=Settings())
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await _themes(pilot, app)
        assert panel.listed() == []
        await pilot.press("tab", "n")
        await pilot.pause()
        assert not isinstance(app.screen, NameThemeScreen)


async def test_the_heading_says_when_themes_come_from_the_latest_notes_only(
    store: Store, monkeypatch
) -> None:
    from appreciate_tui.insights import themes

    _world(store)
    monkeypatch.setattr(themes, "WINDOW", 4)
    app = AppreciateApp(store, settings=Settings())
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await _themes(pilot, app)
        heading = str(panel.query_one("#themes-heading").render())
        assert "from the latest 4 notes" in heading
        assert sum(t.notes for t in panel.listed()) <= 2 * 4


async def test_the_hint_names_the_keys_as_remapped(store: Store) -> None:
    _world(store)
    keymap = {"insights.theme_merge": "f12", "insights.next_stance": "f11"}
    app = AppreciateApp(store, settings=Settings(keymap=keymap))
    async with app.run_test(size=(100, 30)) as pilot:
        panel = await _themes(pilot, app)
        heading = str(panel.query_one("#themes-heading").render())
    assert "F12 merge" in heading and "F11 stance" in heading, heading
    assert "g merge" not in heading
