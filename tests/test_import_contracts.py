"""The import contracts in pyproject.toml (checked by `lint-imports` in `make test`) name every part
of the package: a module or folder left out of the layers would be free to import anything, and
one left out of the Textual contract could load Textual without anyone noticing."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "appreciate_tui"


def contracts() -> list[dict[str, Any]]:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    return config["tool"]["importlinter"]["contracts"]


def parts() -> set[str]:
    """Each top-level module and folder of the package (the parts the layers are made of)."""
    modules = {p.stem for p in PACKAGE.glob("*.py") if p.name not in ("__init__.py", "__main__.py")}
    folders = {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    return {f"appreciate_tui.{name}" for name in modules | folders}


def test_every_part_of_the_package_is_in_a_layer() -> None:
    layers = next(c for c in contracts() if c["type"] == "layers")["layers"]
    named = [name.strip() for layer in layers for name in re.split(r"[|:]", layer)]
    assert len(named) == len(set(named)), "a part is in two layers"
    assert sorted(parts() - set(named)) == [], "give each new part its layer in pyproject.toml"
    assert sorted(set(named) - parts()) == [], "a layer names a part that is no longer there"


def test_every_part_below_the_app_is_held_to_no_textual() -> None:
    no_textual = next(c for c in contracts() if c.get("forbidden_modules") == ["textual"]
                      and not c.get("allow_indirect_imports"))
    below_the_app = parts() - {"appreciate_tui.launch", "appreciate_tui.cli", "appreciate_tui.tui"}
    assert set(no_textual["source_modules"]) == below_the_app | {"appreciate_tui.tui.state"}


def test_no_contract_lists_a_crossing() -> None:
    # Each part imports from its proper home: a crossing is fixed by moving code, never by listing
    # it as an exception to the contract.
    assert [c["name"] for c in contracts() if c.get("ignore_imports")] == []
