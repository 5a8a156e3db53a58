"""The `appreciate` commands run in-process on a database holding the demo conversation."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from appreciate_tui.cli import main


def demo_cli(db_path: Path) -> Callable[..., Result]:
    """`invoke(*args, ok=True)`: run `appreciate --db DB_PATH ARGS`; with `ok`, assert it
    succeeded. The demo conversation is loaded first."""
    runner = CliRunner()

    def invoke(*args: str, ok: bool = True) -> Any:
        result = runner.invoke(main, ["--db", str(db_path), *args], catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, result.output + result.stderr
        return result

    invoke("demo")
    return invoke
