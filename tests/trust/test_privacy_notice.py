"""docs/privacy.md is what a facilitator gives their information-governance lead: every claim in
it names the test that proves it, and every test it names exists."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.trust.helpers import REPO

NOTICE = REPO / "docs" / "privacy.md"
REFERENCE = re.compile(r"`(tests/[\w/]+\.py)::(\w+)`")


def bullets() -> list[tuple[str, str]]:
    """(section, bullet text) for every top-level bullet, continuation lines included."""
    found: list[tuple[str, str]] = []
    section = ""
    current: list[str] | None = None
    for line in NOTICE.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            section = line.lstrip("#").strip()
            current = None
        elif line.startswith("- "):
            current = [line[2:]]
            found.append((section, ""))
        elif current is not None and line.startswith("  ") and line.strip():
            current.append(line.strip())
        else:
            current = None
        if current is not None:
            found[-1] = (section, " ".join(current))
    return found


def defined_tests(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in tree.body
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test_")}


def test_every_test_the_notice_names_exists() -> None:
    references = REFERENCE.findall(NOTICE.read_text(encoding="utf-8"))
    assert len(references) >= 60
    missing = []
    for file, name in references:
        path = REPO / file
        if not path.is_file() or name not in defined_tests(path):
            missing.append(f"{file}::{name}")
    assert missing == []


def test_every_claim_names_a_test() -> None:
    limits = ("**", "While the app is open")
    claims = [(section, text) for section, text in bullets()
              if section != "In short" and not text.startswith(limits)]
    assert len(claims) >= 40
    unproved = [text[:80] for _, text in claims if not REFERENCE.search(text)]
    assert unproved == []


def test_the_check_would_catch_a_missing_test(tmp_path: Path) -> None:
    sample = tmp_path / "test_sample.py"
    sample.write_text("def test_real():\n    pass\nasync def test_also():\n    pass\n")
    assert defined_tests(sample) == {"test_real", "test_also"}
    assert REFERENCE.findall("*Test:* `tests/x.py::test_gone`") == [("tests/x.py", "test_gone")]
