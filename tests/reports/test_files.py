"""Export files are private (0600), whole or absent, and never replace a file by accident."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from appreciate_tui import paths
from appreciate_tui.paths import FileExists, write_private
from appreciate_tui.reports.files import default_path
from tests.helpers.private import assert_private_dir, assert_private_file


@pytest.fixture
def open_umask() -> Iterator[None]:
    """A umask that would make new files readable by everyone."""
    before = os.umask(0o022)
    yield
    os.umask(before)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """An empty folder of the test's own (tmp_path also holds the isolated home)."""
    made = tmp_path / "out"
    made.mkdir()
    return made


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.posix("file modes")
def test_written_with_mode_0600_whatever_the_umask(folder: Path, open_umask) -> None:
    target = write_private(folder / "report.md", b"# Learning\n")
    assert target.read_bytes() == b"# Learning\n"
    assert _mode(target) == 0o600


def test_an_existing_file_is_left_alone_without_force(folder: Path) -> None:
    target = folder / "report.md"
    target.write_bytes(b"someone else's file")
    with pytest.raises(FileExists, match="already exists"):
        write_private(target, b"new")
    assert target.read_bytes() == b"someone else's file"
    assert sorted(p.name for p in folder.iterdir()) == ["report.md"]


def test_replace_replaces_and_makes_it_private(folder: Path, open_umask) -> None:
    target = folder / "report.md"
    target.write_bytes(b"old")
    os.chmod(target, 0o644)
    write_private(target, b"new", replace=True)
    assert target.read_bytes() == b"new"
    assert_private_file(target)


def test_a_failed_write_leaves_nothing_behind(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError):
        write_private(folder / "report.md", b"data")
    assert list(folder.iterdir()) == []


def test_without_hard_links_the_file_is_still_written(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """FAT USB sticks and some network shares cannot link; the write falls back to a rename."""

    def no_links(source: str, target: str) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    target = write_private(folder / "report.md", b"data")
    assert target.read_bytes() == b"data"
    assert [p.name for p in folder.iterdir()] == ["report.md"]


def test_a_name_taken_while_writing_is_not_replaced(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = folder / "report.md"
    real_link = os.link

    def someone_else_first(source: str, destination: str) -> None:
        Path(destination).write_bytes(b"theirs")
        real_link(source, destination)

    monkeypatch.setattr(os, "link", someone_else_first)
    with pytest.raises(FileExists):
        write_private(target, b"ours")
    assert target.read_bytes() == b"theirs"
    assert [p.name for p in folder.iterdir()] == ["report.md"]


def test_a_missing_folder_is_an_error(folder: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_private(folder / "nowhere" / "report.md", b"data")


def test_default_path_is_in_the_private_exports_folder() -> None:
    title = "MASH strategy meetings — a/b \x1b[2J"
    path = default_path(title, "2026-02-26", "c26f4195-950f", "html", redacted=False)
    assert path.parent == paths.exports_dir()
    assert_private_dir(path.parent)
    assert path.name == "2026-02-26-mash-strategy-meetings-a-b-2j-c26f4195.html"


def test_a_redacted_export_is_not_named_after_its_title() -> None:
    path = default_path(
        "Kayden at 14 Oak Street", "2026-02-26", "c26f4195-950f", "md", redacted=True
    )
    assert path.name == "2026-02-26-c26f4195-redacted.md"
