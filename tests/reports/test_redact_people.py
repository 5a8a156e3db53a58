"""Redaction catches what people actually write: email and street addresses, UK phone numbers and
postcodes, dates of birth, the facilitator's name and the names of action owners; ordinary MASH
text is left alone; and the words of an escalated note never leave in any export."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from click.testing import CliRunner

from appreciate_tui.cli import main
from appreciate_tui.demo import DEMO_CONVERSATION_ID
from appreciate_tui.export import ExportRequest, render
from appreciate_tui.reports.learning import ESCALATED
from appreciate_tui.redaction import REDACTED, person_name, redact_patterns
from appreciate_tui.store.redaction import redact_tables
from appreciate_tui.store import Store
from appreciate_tui.store.rows import body_digest


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("email first.last@council.gov.uk today", f"email {REDACTED} today"),
        ("cc: j.o'neil+mash@nhs.net.", f"cc: {REDACTED}."),
        ("lives at 12 Acacia Road with mum", f"lives at {REDACTED} with mum"),
        ("Flat 3, 45 High Street, Exeter", f"{REDACTED}, Exeter"),
        ("moved to 7a St Mary's Close", f"moved to {REDACTED}"),
        ("at 12-14 Acacia Rd. since May", f"at {REDACTED}. since May"),
        ("12 acacia road", "12 acacia road"),  # a street name is written with capitals
        ("postcode EX1 1AA", f"postcode {REDACTED}"),
        ("ring 07700 900123", f"ring {REDACTED}"),
        ("ring +44 7700 900123", f"ring {REDACTED}"),
        ("ring 01392 123456", f"ring {REDACTED}"),
        ("ring (01392) 123456", f"ring {REDACTED}"),
        ("DOB 12/03/2015", f"DOB {REDACTED}"),
        ("born 12 March 2015", f"born {REDACTED}"),
    ],
)
def test_what_people_write_is_caught(text: str, expected: str) -> None:
    assert redact_patterns(text) == expected


@pytest.mark.parametrize(
    "kept",
    [
        "Section 47 enquiries started within a day",
        "the 0-19 service joined at 10:30",
        "strategy meeting at 10:30 on 2026-03-12",
        "in 2025 there were 3 referrals from 2 schools",
        "question 12 and Q3 took longest",
        "2 Family Court hearings and 1 High Court case",
        "the Station Road office",
        "12 partners met for 45 minutes",
        "3 health visitors close cases by Friday",
        "Section 47 Strategy Meeting at 14:00",
        "agreed by 27 March 2026",
    ],
)
def test_ordinary_mash_text_is_left_alone(kept: str) -> None:
    assert redact_patterns(kept) == kept


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("Jo Ashworth, practice lead (quality assurance)", "Jo Ashworth"),
        ("Sam Carter", "Sam Carter"),
        ("Dr Patel (GP)", "Dr Patel"),
        ("Health", ""),
        ("Children's social care", ""),
        ("MASH manager", ""),
        ("Practice Lead, Devon", ""),
        ("Designated Safeguarding Lead", ""),
        ("Team 3", ""),
        ("", ""),
    ],
)
def test_a_person_is_told_from_a_role_or_an_agency(typed: str, name: str) -> None:
    assert person_name(typed) == name


def _with_people(store: Store, demo: str) -> None:
    """The facilitator is named in a note, an owner who is not in the room owns an action and is
    named in a note, and an owner chosen from the list (an agency) stays."""
    note = next(n for n in store.list_notes(demo) if n.body.startswith("Health holds the history"))
    store.update_note(
        note.id,
        body="Jo said Sam Carter (first.last@council.gov.uk) visited 12 Acacia Road; "
        "ring 01392 123456.",
    )
    actions = store.list_actions(demo)
    store.update_action(actions[0].id, owner="Sam Carter")
    store.db.execute(
        "UPDATE actions SET description = description || ' With Ashworth.' WHERE id = ?",
        [actions[1].id],
    )


PEOPLE = ("Jo ", "Ashworth", "Sam", "Carter", "council.gov.uk", "Acacia", "01392")


@pytest.mark.parametrize(
    "request_",
    [
        ExportRequest("md", redact=True),
        ExportRequest("html", redact=True),
        ExportRequest("json", redact=True),
        ExportRequest("csv", what="notes", redact=True),
        ExportRequest("csv", what="actions", redact=True),
        ExportRequest("questions", questions_format="md", redact=True),
    ],
    ids=lambda r: r.share_format,
)
def test_facilitator_and_owners_are_named_by_role_or_pseudonym(
    store: Store, demo: str, request_: ExportRequest
) -> None:
    _with_people(store, demo)
    text = render(store, demo, request_).text or ""
    for secret in PEOPLE:
        assert secret not in text, secret
    if request_.format in ("md", "html", "questions"):
        assert "facilitated by the practice lead (quality assurance)" in " ".join(text.split())
    if request_.share_format in ("md", "csv-notes", "json"):
        assert "The facilitator said Action owner 1 (" in text
    if request_.share_format in ("md", "csv-actions"):
        assert "Action owner 1" in text and "With the facilitator." in text
        assert "Children's social care" in text or "Health" in text  # agencies stay


def test_word_file_names_no_facilitator_or_owner(store: Store, demo: str) -> None:
    _with_people(store, demo)
    data = render(store, demo, ExportRequest("docx", redact=True)).data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = "".join(archive.read(name).decode("utf-8") for name in archive.namelist())
    for secret in PEOPLE:
        assert secret not in xml, secret
    assert "Action owner 1" in xml


def _escalated(store: Store, demo: str) -> str:
    note = next(n for n in store.list_notes(demo) if n.escalate)
    store.update_note(note.id, body="Kayden's stepdad was at the house again last night.")
    return note.id


@pytest.mark.parametrize(
    "request_",
    [
        ExportRequest("md"),
        ExportRequest("html"),
        ExportRequest("csv", what="notes"),
        ExportRequest("csv", what="actions"),
        ExportRequest("md", redact=True),
        ExportRequest("csv", what="notes", redact=True),
        ExportRequest("json", redact=True),
    ],
    ids=lambda r: r.share_format + ("-redacted" if r.redact else ""),
)
def test_escalated_note_text_never_leaves(store: Store, demo: str, request_: ExportRequest) -> None:
    _escalated(store, demo)
    text = render(store, demo, request_).text or ""
    assert "stepdad" not in text and "came up in passing" not in text
    if request_.format == "csv" and request_.what == "notes":
        rows = list(csv.DictReader(io.StringIO(text)))
        escalated = [row for row in rows if row["escalated"] == "yes"]
        assert escalated and all(row["note"] == ESCALATED for row in escalated)


def test_redacted_bundle_withholds_escalated_note_and_its_earlier_versions(
    store: Store, demo: str
) -> None:
    note_id = _escalated(store, demo)
    tables, _ = redact_tables(store.conversation_rows(demo))
    assert "stepdad" not in json.dumps(tables) and "came up in passing" not in json.dumps(tables)
    note = next(row for row in tables["notes"] if row["id"] == note_id)
    assert note["body"] == ESCALATED and note["sha256"] == body_digest(ESCALATED)
    assert [r["body"] for r in tables["note_revisions"] if r["note_id"] == note_id] == [ESCALATED]


def test_redact_term_still_works_with_names(db_path, frozen_clock, london) -> None:
    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(main, ["--db", str(db_path), *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output + result.stderr
        return result.output

    run("demo")
    with Store.open(db_path) as store:
        _with_people(store, DEMO_CONVERSATION_ID)
    out = run("export", DEMO_CONVERSATION_ID[:8], "--format", "md", "--redact-term", "Devon")
    assert "Devon" not in out and "Jo Ashworth" not in out and "Sam Carter" not in out
    assert "Action owner 1" in out
