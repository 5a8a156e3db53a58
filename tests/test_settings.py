"""Settings: private on disk, written whole or not at all, and never a reason not to start."""

from __future__ import annotations

import pytest

from appreciate_tui import paths
from appreciate_tui.settings import DEFAULT_THEME, Settings
from tests.helpers.private import assert_private_dir, assert_private_file


def test_missing_file_gives_the_defaults() -> None:
    assert Settings.load() == Settings()
    assert Settings().theme == DEFAULT_THEME


def test_saved_settings_come_back() -> None:
    Settings(theme="appreciate-light", keymap={"app.help": "f10"}).save()
    assert Settings.load() == Settings(theme="appreciate-light", keymap={"app.help": "f10"})


def test_the_file_and_its_folder_are_private() -> None:
    Settings(theme="appreciate-light").save()
    path = paths.settings_path()
    assert_private_file(path)
    assert_private_dir(path.parent)
    assert [p.name for p in path.parent.iterdir()] == [path.name], "no temporary file left behind"


@pytest.mark.parametrize("text", ["{not json", "[1, 2]", "", "\xff\xfe"])
def test_a_corrupt_file_gives_the_defaults(text: str) -> None:
    path = paths.settings_path()
    paths.ensure_private_dir(path.parent)
    path.write_text(text, encoding="latin-1")
    assert Settings.load() == Settings()


def test_a_field_of_the_wrong_type_falls_back_alone() -> None:
    path = paths.settings_path()
    paths.ensure_private_dir(path.parent)
    path.write_text('{"theme": 7, "keymap": {"app.help": "f10"}, "later": true}', encoding="utf-8")
    assert Settings.load() == Settings(keymap={"app.help": "f10"})
