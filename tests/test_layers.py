"""The layers stay apart: the headless modules never load Textual (so the CLI starts fast and runs
anywhere), only appreciate_tui/tui/ imports it, and only the store speaks SQL."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "appreciate_tui"

def _modules(folder: Path) -> list[str]:
    return sorted(
        ".".join(path.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
        for path in folder.rglob("*.py")
        if "__pycache__" not in path.parts and path.name != "__main__.py"
    )


# Every part of the package but the screens, each with all its modules: the top-level modules one
# by one, each folder as a whole (store, reports, exchange, insights, banks, cli...), and the
# screens' Textual-free models (tui/state).
HEADLESS: dict[str, list[str]] = {
    **{
        path.stem: [f"appreciate_tui.{path.stem}"]
        for path in sorted(PACKAGE.glob("*.py"))
        if path.name not in ("__init__.py", "__main__.py")
    },
    **{
        folder.name: _modules(folder)
        for folder in sorted(p.parent for p in PACKAGE.glob("*/__init__.py"))
        if folder.name != "tui"
    },
    "tui.state": _modules(PACKAGE / "tui" / "state"),
}


def test_every_part_is_named() -> None:
    assert {"cli", "store", "reports", "exchange", "insights", "banks", "domain", "tui.state"} <= set(HEADLESS)


@pytest.mark.parametrize("name", sorted(HEADLESS))
def test_headless_part_loads_no_textual(name: str) -> None:
    code = (
        "import importlib, json, sys\n"
        f"for module in {HEADLESS[name]!r}: importlib.import_module(module)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))))\n"
    )
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=REPO, timeout=60
    )
    assert done.returncode == 0, done.stderr
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert loaded == [], f"importing appreciate_tui.{name} loaded {loaded[:5]}"


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every module a file imports, wherever the import statement is (top level or in a function),
    plus importlib.import_module("...") / __import__("...") with a literal name."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called in ("import_module", "__import__") and isinstance(node.args[0].value, str):
                found.append((node.lineno, node.args[0].value))
    return found


def _package_files(excluding: str) -> list[Path]:
    return sorted(
        path
        for path in PACKAGE.rglob("*.py")
        if excluding not in path.relative_to(PACKAGE).parts and "__pycache__" not in path.parts
    )


def _offenders(excluding: str, roots: tuple[str, ...]) -> list[str]:
    offenders = []
    for path in _package_files(excluding):
        for line, module in _imports(path):
            if module.split(".")[0] in roots:
                offenders.append(f"{path.relative_to(REPO)}:{line} imports {module}")
    return offenders


def test_only_the_tui_package_imports_textual() -> None:
    files = _package_files("tui")
    assert PACKAGE / "cli" / "__init__.py" in files and PACKAGE / "store" / "__init__.py" in files
    assert _offenders("tui", ("textual",)) == []
    state = sorted((PACKAGE / "tui" / "state").rglob("*.py"))
    assert state and [f"{p}:{line}" for p in state for line, m in _imports(p) if m.split(".")[0] == "textual"] == []


def test_only_the_store_speaks_sql() -> None:
    assert _offenders("store", ("sqlite3", "sqlite_utils", "sqlite_fts4")) == []


def test_the_static_check_would_catch_an_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def later():\n    from textual.app import App\n    import importlib\n"
        "    importlib.import_module('textual.widgets')\n"
    )
    assert [m for _, m in _imports(sample)] == ["textual.app", "importlib", "textual.widgets"]
