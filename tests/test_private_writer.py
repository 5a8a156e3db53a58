"""One writer for every private file appreciate keeps (`paths.write_private`): an export, the
settings, a question bank. Private from creation, whole or not at all: a failed write leaves the
old file exactly as it was, and no temporary file behind."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from appreciate_tui import paths
from appreciate_tui.banks.loader import add_to_user_bank, load_bank
from appreciate_tui.domain import Phase
from appreciate_tui.paths import write_private
from appreciate_tui.settings import Settings
from tests.helpers.private import assert_private_file


def _no_space(fd: int) -> None:
    raise OSError(28, "No space left on device")


def test_text_is_written_as_utf8_and_private(tmp_path: Path) -> None:
    target = write_private(tmp_path / "note.txt", "Jugendamt – “ok” ✓\n")
    assert target.read_bytes() == "Jugendamt – “ok” ✓\n".encode()
    assert_private_file(target)


def test_a_failed_replace_leaves_the_old_file_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "settings.json"
    write_private(target, b"old")
    monkeypatch.setattr(os, "fsync", _no_space)
    with pytest.raises(OSError, match="No space"):
        write_private(target, b"new", replace=True)
    assert target.read_bytes() == b"old"
    assert [p.name for p in folder.iterdir()] == ["settings.json"]


def test_the_file_is_private_before_its_bytes_are_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The temporary file is made private before anything is written into it."""
    seen: list[int] = []
    real_fdopen = os.fdopen

    def watching(fd: int, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        seen.append(os.fstat(fd).st_mode & 0o777)
        return real_fdopen(fd, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "fdopen", watching)
    old = os.umask(0o022)
    try:
        write_private(tmp_path / "export.md", b"data")
    finally:
        os.umask(old)
    if os.name == "posix":
        assert seen == [0o600]


def test_a_failed_settings_save_keeps_the_saved_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    Settings(theme="appreciate-light").save()
    monkeypatch.setattr(os, "fsync", _no_space)
    with pytest.raises(OSError):
        Settings(theme="appreciate-dark").save()
    monkeypatch.undo()
    assert Settings.load().theme == "appreciate-light"
    assert not list(paths.settings_path().parent.glob(".appreciate-*")), "no temporary file left"


def test_a_failed_bank_write_keeps_the_bank(monkeypatch: pytest.MonkeyPatch) -> None:
    bank = add_to_user_bank("What made health able to come that time?", Phase.DISCOVER)
    path = paths.user_banks_dir() / f"{bank.id}.toml"
    before = path.read_bytes()
    monkeypatch.setattr(os, "fsync", _no_space)
    with pytest.raises(OSError):
        add_to_user_bank("What would a shared chronology change for the child?", Phase.DELIVER)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert len(load_bank(path, user=True).questions) == 1
    assert_private_file(path)
    assert [p.name for p in path.parent.iterdir()] == [path.name]
