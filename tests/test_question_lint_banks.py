"""The question linter catches double-barrelled questions with short halves and barriers framed as
deficits, leaves probes on the same story alone, and the shipped banks pass it; `appreciate bank
check` lists its warnings without failing."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from appreciate_tui.banks.loader import framing_notes, load_bank, load_banks
from appreciate_tui.cli import main
from appreciate_tui.banks.lint import BETTER_HINT, Framing, lint


@pytest.mark.parametrize(
    ("text", "framings", "hint"),
    [
        ("What works well and what doesn't?", [Framing.DEFICIT, Framing.DOUBLE],
         f"What works well? (then ask: {BETTER_HINT})"),
        ("What works, and what would you change?", [Framing.DOUBLE],
         "What works? (then ask: What would you change?)"),
        ("Who was there and who led?", [Framing.DOUBLE], "Who was there? (then ask: Who led?)"),
        ("What helps, and is it the same everywhere?", [Framing.DOUBLE],
         "What helps? (then ask: Is it the same everywhere?)"),
    ],
)
def test_double_barrelled_with_short_halves(text: str, framings: list, hint: str) -> None:
    warnings = lint(text)
    assert [w.framing for w in warnings] == framings
    double = next(w for w in warnings if w.framing is Framing.DOUBLE)
    assert double.hint == hint
    first, _, then = hint.partition(" (then ask: ")
    assert lint(first) == [] and lint(then.removesuffix(")")) == []


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("What are the barriers to health attending?",
         "What helps health attending? Tell me about a time it went well."),
        ("What obstacles are there for schools?", None),
        ("What gets in the way of sharing the chronology?", None),
    ],
)
def test_barriers_are_a_deficit(text: str, hint: str | None) -> None:
    warnings = lint(text)
    assert [w.framing for w in warnings] == [Framing.DEFICIT]
    if hint is not None:
        assert warnings[0].hint == hint
    assert lint(warnings[0].hint) == []


@pytest.mark.parametrize(
    "text",
    [
        "What works well and why?",
        "What helped, and how?",
        "What happened, and who did what?",
        "What exactly happens, and how often?",
        "What worked, and what else?",
        "What was agreed and was shared with the family?",
        "Why that number and not lower?",
        "Who will do what, and by when?",
        "What helped break down barriers between agencies?",
        "How did you overcome the barriers to attending?",
    ],
)
def test_a_probe_on_the_same_story_is_not_a_second_question(text: str) -> None:
    assert lint(text) == []


def test_every_shipped_bank_passes_its_own_linter() -> None:
    banks, errors = load_banks()
    assert banks and not errors
    for bank in (b for b in banks if not b.user):
        assert framing_notes(bank) == [], bank.id
        for question in bank.questions:
            for text in (question.text, *question.prompts):
                assert lint(text) == [], (bank.id, text)


BANK = """id = "try"
title = "Try"

[[questions]]
phase = "discover"
text = "What works well and what doesn't?"

[[questions]]
phase = "dream"
text = "What would great look like?"
prompts = ["What are the barriers to health attending?"]
"""


def test_bank_check_prints_framing_warnings_and_passes(tmp_path: Path) -> None:
    path = tmp_path / "try.toml"
    path.write_text(BANK, encoding="utf-8")
    notes = framing_notes(load_bank(path))
    assert [(n.where, n.warning.framing) for n in notes] == [
        (f"{path}:6:1: question 1", Framing.DEFICIT),
        (f"{path}:6:1: question 1", Framing.DOUBLE),
        (f"{path}:11:1: question 2, prompt 1", Framing.DEFICIT),
    ]
    result = CliRunner().invoke(main, ["bank", "check", str(path)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].endswith("ok: Try (try), 2 questions in discover, dream")
    assert f"{path}:6:1: question 1: warning: double-barrelled: What works well and what " \
        "doesn't?" in lines
    assert any("Try: What helps health attending?" in line for line in lines)
    assert lines[-1] == "3 framing warnings: hints only, the bank loads as it is."


def test_bank_check_of_a_shipped_bank_prints_no_warning() -> None:
    path = next(b.path for b in load_banks()[0] if b.id == "soar")
    result = CliRunner().invoke(main, ["bank", "check", str(path)], catch_exceptions=False)
    assert result.exit_code == 0 and "warning" not in result.output
