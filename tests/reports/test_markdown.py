"""The learning example and the question sheet as Markdown and plain text, against golden files.

To accept a deliberate change of wording: `APPRECIATE_UPDATE_GOLDEN=1 pytest tests/reports`, then
read the diff of tests/reports/golden/ before committing it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from appreciate_tui.export import ExportRequest, render
from appreciate_tui.store import Store
from tests.reports.report_worlds import GOLDEN, SECTIONS


def _matches_golden(text: str, name: str) -> None:
    golden: Path = GOLDEN / name
    if os.environ.get("APPRECIATE_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("request_", "golden"),
    [
        (ExportRequest("md"), "devon-mash.md"),
        (ExportRequest("md", redact=True), "devon-mash-redacted.md"),
        (ExportRequest("questions"), "devon-mash-questions.md"),
        (ExportRequest("questions", questions_format="txt"), "devon-mash-questions.txt"),
        (ExportRequest("csv"), "devon-mash-actions.csv"),
    ],
    ids=["learning", "learning-redacted", "questions-md", "questions-txt", "actions-csv"],
)
def test_demo_matches_golden_file(
    store: Store, demo: str, request_: ExportRequest, golden: str
) -> None:
    rendered = render(store, demo, request_)
    assert rendered.text is not None
    _matches_golden(rendered.text, golden)


def test_learning_example_has_every_section_in_order(store: Store, demo: str) -> None:
    text = render(store, demo, ExportRequest("md")).text or ""
    assert re.findall(r"^## (.+)$", text, flags=re.MULTILINE) == SECTIONS
    assert text.startswith("# MASH strategy meetings — appreciative conversation\n")
    assert "**Learning theme:** Is multi-agency working effective" in text


def test_follow_ups_sit_under_the_question_they_came_from(store: Store, demo: str) -> None:
    text = render(store, demo, ExportRequest("md")).text or ""
    lines = text.splitlines()
    parent = lines.index("6. What would you need for this vision to be a reality?")
    assert lines[parent + 1].startswith("   - *Follow-up:* What qualities would the person have")
    assert "#### 6\\.1. What qualities would the person have" in text


def test_attributions_are_by_pseudonym_and_agency_never_name(store: Store, demo: str) -> None:
    participant = next(p for p in store.list_participants(demo) if p.pseudonym == "Health 1")
    store.db.execute("UPDATE participants SET name = 'Priya Sharma' WHERE id = ?", [participant.id])
    text = render(store, demo, ExportRequest("md")).text or ""
    assert "Priya" not in text and "Sharma" not in text
    assert "— *Health 1, Health*" in text
    named = render(store, demo, ExportRequest("md", use_names=True)).text or ""
    assert "— *Priya Sharma, Health*" in named


def test_escalated_concern_is_never_reproduced(store: Store, demo: str) -> None:
    text = render(store, demo, ExportRequest("md")).text or ""
    assert "came up in passing" not in text
    assert "One immediate safeguarding concern was raised" in text
    assert "An immediate safeguarding concern, passed on for action outside this review" in text


def test_empty_sections_are_left_out(store: Store, frozen_clock, london) -> None:
    conversation = store.create_conversation(
        "Planned", "How do we share information?", date="2026-05-01"
    )
    store.add_question(conversation.id, "What works well?", "discover")
    text = render(store, conversation.id, ExportRequest("md")).text or ""
    headings = re.findall(r"^## (.+)$", text, flags=re.MULTILINE)
    assert headings == ["Introduction", "Background, aims and objectives", "Approach"]
    assert "is planned for 1 May 2026" in text


def test_deleted_notes_are_left_out(store: Store, demo: str) -> None:
    note = next(
        n for n in store.list_notes(demo) if n.body.startswith("Police checks were completed")
    )
    store.delete_note(note.id)
    text = render(store, demo, ExportRequest("md")).text or ""
    assert "Police checks were completed" not in text
