"""tests/helpers/private.py: exact modes where they protect (POSIX), only the kind of path on
Windows, which is pretended here by setting `os.name` for the length of one call."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers import private
from tests.helpers.private import assert_private_dir, assert_private_file, assert_private_mode


@pytest.fixture
def made(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "folder"
    folder.mkdir()
    file = folder / "file"
    file.write_bytes(b"x")
    return file, folder


def as_windows(monkeypatch: pytest.MonkeyPatch, check, *args, **kwargs) -> None:
    """Run one helper call with `os.name` saying Windows, and put it back straight after."""
    with monkeypatch.context() as m:
        m.setattr(os, "name", "nt")
        assert not private.modes_protect()
        check(*args, **kwargs)


@pytest.mark.posix("file modes")
def test_on_posix_the_exact_modes_are_asserted(made: tuple[Path, Path]) -> None:
    file, folder = made
    assert private.modes_protect()
    os.chmod(file, 0o600)
    os.chmod(folder, 0o700)
    assert_private_file(file)
    assert_private_dir(folder)
    for loose in (0o644, 0o640, 0o604, 0o700, 0o400):
        os.chmod(file, loose)
        with pytest.raises(AssertionError, match=f"is {oct(loose)}, not 0o600"):
            assert_private_file(file)
    for loose in (0o755, 0o750, 0o711, 0o600):
        os.chmod(folder, loose)
        with pytest.raises(AssertionError, match=f"is {oct(loose)}, not 0o700"):
            assert_private_dir(folder)
    os.chmod(folder, 0o700)
    assert_private_mode(0o100600)  # only the permission bits count
    with pytest.raises(AssertionError, match="home/x is 0o666"):
        assert_private_mode(0o666, what="home/x")


def test_on_windows_only_the_kind_of_path_is_asserted(
    made: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    file, folder = made
    really = os.name
    os.chmod(file, 0o644)  # what Windows reports for any writable file: 0o666
    os.chmod(folder, 0o755)
    as_windows(monkeypatch, assert_private_file, file)
    as_windows(monkeypatch, assert_private_dir, folder)
    as_windows(monkeypatch, assert_private_mode, 0o666)
    as_windows(monkeypatch, assert_private_mode, 0o777, folder=True)
    with pytest.raises(AssertionError, match="is not a file"):
        as_windows(monkeypatch, assert_private_file, folder)
    with pytest.raises(AssertionError, match="is not a folder"):
        as_windows(monkeypatch, assert_private_dir, file)
    with pytest.raises(AssertionError, match="is not a file"):
        as_windows(monkeypatch, assert_private_file, folder / "missing")
    assert os.name == really  # put back after every call
    os.chmod(folder, 0o700)


def test_everywhere_a_missing_or_wrong_kind_of_path_fails(made: tuple[Path, Path]) -> None:
    file, folder = made
    with pytest.raises(AssertionError, match="is not a file"):
        assert_private_file(folder)
    with pytest.raises(AssertionError, match="is not a folder"):
        assert_private_dir(file)
    with pytest.raises(AssertionError, match="is not a folder"):
        assert_private_dir(folder / "missing")
