"""Reports never import Textual, and the heavy libraries load only for the formats that need them,
so `appreciate list` (and every other command) starts quickly."""

from __future__ import annotations

import subprocess
import sys

MODULES = [
    "appreciate_tui.cli",
    "appreciate_tui.cli.export",
    "appreciate_tui.reports",
    "appreciate_tui.exchange.bundle",
    "appreciate_tui.reports.csv",
    "appreciate_tui.reports.document",
    "appreciate_tui.reports.docx",
    "appreciate_tui.reports.files",
    "appreciate_tui.reports.html",
    "appreciate_tui.reports.learning",
    "appreciate_tui.reports.markdown",
    "appreciate_tui.reports.model",
    "appreciate_tui.reports.plain",
    "appreciate_tui.reports.questions",
    "appreciate_tui.redaction",
    "appreciate_tui.export",
    "appreciate_tui.store.redaction",
    "appreciate_tui.wording",
    "appreciate_tui.store.transfer",
]


def test_reports_import_nothing_heavy() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {MODULES!r}: importlib.import_module(name)\n"
        "heavy = {'textual', 'docx', 'markdown_it', 'lxml'}\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & heavy))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_cli_start_up_does_not_load_the_reports() -> None:
    code = (
        "import sys, appreciate_tui.cli\n"
        "print(sorted(m for m in sys.modules if m.startswith('appreciate_tui.reports.')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
