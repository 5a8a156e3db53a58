"""Themes: the shipped ones are complete, a broken user file is reported once and never fatal, and
the facilitator's choice survives a restart."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.theme import BUILTIN_THEMES

from appreciate_tui import paths
from appreciate_tui.settings import Settings
from appreciate_tui.store import Store
from appreciate_tui.tui.app import AppreciateApp
from appreciate_tui.tui.themes import (
    PHASE_VARIABLES,
    SHIPPED_ORDER,
    STANCE_VARIABLES,
    ThemeFileError,
    load_themes,
    read_theme,
)

PRODUCT_VARIABLES = [*STANCE_VARIABLES.values(), *PHASE_VARIABLES.values()]


def user_theme(name: str, text: str) -> Path:
    folder = paths.ensure_private_dir(paths.user_themes_dir())
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_themes_load_in_order_and_are_complete() -> None:
    load = load_themes()
    assert load.errors == []
    assert load.names == list(SHIPPED_ORDER)
    for theme in load.themes:
        for name in PRODUCT_VARIABLES:
            assert name in theme.variables, (theme.name, name)
        stance_colours = [theme.variables[name].lower() for name in STANCE_VARIABLES.values()]
        assert len(set(stance_colours)) == len(stance_colours), f"{theme.name}: stances look alike"


def test_the_shipped_files_state_every_product_colour() -> None:
    """Borrowing is for users' themes; ours choose every stance and phase colour on purpose."""
    for path in paths.shipped_themes_dir().glob("*.toml"):
        text = path.read_text(encoding="utf-8")
        for name in PRODUCT_VARIABLES:
            assert f"\n{name} = " in text, (path.name, name)


def test_a_user_theme_without_stance_colours_borrows_them_from_its_palette() -> None:
    user_theme("plain.toml", 'name = "plain"\nprimary = "#336699"\nsuccess = "#00aa00"\n')
    load = load_themes()
    plain = next(theme for theme in load.themes if theme.name == "plain")
    assert plain.variables["stance-strength"].lower() == "#00aa00"
    assert all(name in plain.variables for name in PRODUCT_VARIABLES)


def test_a_user_theme_can_replace_a_shipped_one() -> None:
    user_theme("mine.toml", 'name = "appreciate"\nprimary = "#123456"\n')
    load = load_themes()
    assert load.names.count("appreciate") == 1
    assert next(t for t in load.themes if t.name == "appreciate").primary == "#123456"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('name = "x"\nprimary = \n', "line 2"),
        ('primary = "#123456"\n', "needs a name"),
        ('name = "x"\n', "needs a primary"),
        ('name = "x"\nprimary = "not-a-colour"\n', "not a colour"),
        ('name = "x"\nprimary = "#123456"\nfavourite = "blue"\n', "unknown key 'favourite'"),
        ('name = "x"\nprimary = "#123456"\ndark = "yes"\n', "true or false"),
        ('name = "x"\nprimary = "#1e1e1e"\n[variables]\nstance-concern = "loud"\n', "concern"),
    ],
)
def test_a_broken_theme_file_is_explained(tmp_path: Path, text: str, says: str) -> None:
    path = tmp_path / "broken.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ThemeFileError, match="broken.toml") as caught:
        read_theme(path)
    assert says in str(caught.value)


async def test_broken_user_themes_give_one_notification_and_the_default(store: Store) -> None:
    user_theme("one.toml", "name = \n")
    user_theme("two.toml", 'name = "two"\nprimary = "mauve-ish"\n')
    app = AppreciateApp(store, settings=Settings(theme="two"))
    told: list[tuple[str, dict[str, object]]] = []
    app.notify = lambda message, **kw: told.append((message, kw))  # type: ignore[method-assign]
    async with app.run_test():
        assert app.theme == "appreciate"
    assert len(told) == 1
    message, options = told[0]
    assert "one.toml" in message and "two.toml" in message
    assert options["severity"] == "warning"
    assert not paths.settings_path().exists(), "a missing theme is not forgotten, only skipped"


async def test_only_our_themes_are_offered(store: Store) -> None:
    app = AppreciateApp(store)
    async with app.run_test():
        assert list(app.available_themes) == list(SHIPPED_ORDER)
        assert not set(BUILTIN_THEMES) & set(app.available_themes)


async def test_the_chosen_theme_is_remembered(db_path: Path) -> None:
    store = Store.open(db_path)
    try:
        first = AppreciateApp(store)
        async with first.run_test() as pilot:
            await pilot.press("f2")
            chosen = first.theme
            await pilot.press("ctrl+q")
        assert chosen == SHIPPED_ORDER[1]
    finally:
        store.close()

    store = Store.open(db_path)
    try:
        again = AppreciateApp(store)
        async with again.run_test():
            assert again.theme == chosen
    finally:
        store.close()


async def test_the_theme_key_cycles_through_every_theme(store: Store) -> None:
    app = AppreciateApp(store)
    async with app.run_test() as pilot:
        seen = [app.theme]
        for _ in SHIPPED_ORDER:
            await pilot.press("f2")
            seen.append(app.theme)
    assert seen == [*SHIPPED_ORDER, SHIPPED_ORDER[0]]
