"""Whether a file or folder appreciate made is private, asked the way its platform makes it so
(appreciate_tui/portable.py, docs/privacy.md).

- POSIX (`os.name == "posix"`): the mode decides who may read it, so it is asserted exactly:
  folders 0700, files 0600 (tests that want "whatever the umask" set the umask to 022 first).
- Windows: a mode only sets or clears the read-only flag, and appreciate sets none; what keeps
  the files private is the folder they are in (the user's profile, `%LOCALAPPDATA%`), not the
  file. So here the helpers assert only that the path is there and is a file (or a folder), and
  return. They do not check that it is inside the profile: many tests write with `--db` under
  tmp_path on purpose, where docs/privacy.md says the chosen folder's permissions apply, and
  where the data folder lives is asserted by the tests of paths, not by every test that writes
  a file.

Use these for a mode checked as one assertion among others, so the rest of the test runs on
Windows too; a test about nothing but modes is marked `@pytest.mark.posix("file modes")`
instead (tests/conftest.py). `os.name` is read at each call, and no Path is made from it (one
would ask `os.name` which kind to be), so tests/test_private_helper.py can pretend to be Windows.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def modes_protect() -> bool:
    """Whether a file's mode decides who may read it here (POSIX), so is worth asserting."""
    return os.name == "posix"


def assert_private_mode(mode: int, *, folder: bool = False, what: object = "") -> None:
    """A mode already read (say, by a child process): 0700 for a folder, 0600 for a file, where
    modes protect; anything on Windows. Only the permission bits of `mode` are compared."""
    if not modes_protect():
        return
    expected = PRIVATE_DIR if folder else PRIVATE_FILE
    found = stat.S_IMODE(mode)
    assert found == expected, f"{what or 'mode'} is {oct(found)}, not {oct(expected)}"


def assert_private_file(path: Path) -> None:
    """`path` is a file, readable and writable by its owner only (0600) where modes protect."""
    assert os.path.isfile(path), f"{path} is not a file"
    assert_private_mode(os.stat(path).st_mode, what=path)


def assert_private_dir(path: Path) -> None:
    """`path` is a folder, open to its owner only (0700) where modes protect."""
    assert os.path.isdir(path), f"{path} is not a folder"
    assert_private_mode(os.stat(path).st_mode, folder=True, what=path)
