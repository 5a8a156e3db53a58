"""Redaction: each pattern and term, names to pseudonyms, and every format redacted the same way."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest

from appreciate_tui.export import ExportRequest, render
from appreciate_tui.redaction import REDACTED, Redactor, nhs_check_digit_ok, redact_patterns
from appreciate_tui.store.redaction import redact_tables
from appreciate_tui.store import Store
from appreciate_tui.store.rows import body_digest


@pytest.mark.parametrize(
    "phone",
    [
        "07700 900123",
        "07700900123",
        "020 7946 0018",
        "0117 496 0123",
        "(01632) 960123",
        "+44 7700 900123",
        "+44 (0)7700 900123",
        "+447700900123",
        "0044 117 496 0123",
        "01632-960-123",
    ],
)
def test_uk_phone_numbers(phone: str) -> None:
    assert redact_patterns(f"ring {phone} today") == f"ring {REDACTED} today"


@pytest.mark.parametrize(
    "nhs", ["943 476 5919", "943-476-5919", "9434765919", "401 023 2137", "123 456 7890"]
)
def test_nhs_numbers(nhs: str) -> None:
    assert redact_patterns(f"NHS no. {nhs}.") == f"NHS no. {REDACTED}."


def test_nhs_check_digit() -> None:
    assert nhs_check_digit_ok("9434765919")
    assert not nhs_check_digit_ok("9434765918")
    # Run together, ten digits are only taken for an NHS number when the check digit is right.
    assert redact_patterns("ref 9434765918") == "ref 9434765918"


@pytest.mark.parametrize(
    "postcode",
    [
        "EX4 3AB",
        "ex4 3ab",
        "EX43AB",
        "M1 1AE",
        "B33 8TH",
        "CR2 6XH",
        "DN55 1PT",
        "W1A 0AX",
        "EC1A 1BB",
    ],
)
def test_postcodes(postcode: str) -> None:
    assert redact_patterns(f"lives at {postcode}, near") == f"lives at {REDACTED}, near"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("DOB: 12/03/2015", f"DOB: {REDACTED}"),
        ("d.o.b. 12-03-2015", f"d.o.b. {REDACTED}"),
        ("date of birth 2015-03-12", f"date of birth {REDACTED}"),
        ("born on 3rd March 2015", f"born on {REDACTED}"),
        ("born March 3, 2015", f"born {REDACTED}"),
        ("seen 12/03/2015 at school", f"seen {REDACTED} at school"),
        ("seen 1.3.15 at school", f"seen {REDACTED} at school"),
    ],
)
def test_dates_of_birth(text: str, expected: str) -> None:
    assert redact_patterns(text) == expected


@pytest.mark.parametrize(
    "kept",
    [
        "the meeting ran from 10:00 to 11:15",
        "in 2026, 12 partners met for 45 minutes",
        "section 47 enquiries within 1 working day",
        "case 1234567",
        "agreed by 27 March 2026",
        "A&E attendances",
    ],
)
def test_ordinary_text_is_left_alone(kept: str) -> None:
    assert redact_patterns(kept) == kept


def test_terms_are_whole_words_in_any_case() -> None:
    redactor = Redactor({}, ["Kayden", "14 Oak Street", "CASE-2231"])
    assert (
        redactor("kayden at 14 oak street (ref case-2231)")
        == f"{REDACTED} at {REDACTED} (ref {REDACTED})"
    )
    assert redactor("Kaydence and Kayden's") == f"Kaydence and {REDACTED}'s"


def test_names_become_pseudonyms() -> None:
    redactor = Redactor({"Priya Sharma": "Health 1", "Tom O'Neil": "Police 2"}, ["Sharma Road"])
    assert (
        redactor("Priya Sharma said Priya agreed; priya sharma too")
        == "Health 1 said Health 1 agreed; Health 1 too"
    )
    assert (
        redactor("Ask O'Neil, not Tom's friend on Sharma Road")
        == f"Ask Police 2, not Police 2's friend on {REDACTED}"
    )
    # A first name on its own is matched as written, so ordinary words are left alone.
    assert Redactor({"Will Hart": "Police 1"}, [])("we will see Will") == "we will see Police 1"


def _demo_with_secrets(store: Store, demo: str) -> None:
    """Put a name, a term and each pattern into the demo's text fields."""
    health = next(p for p in store.list_participants(demo) if p.pseudonym == "Health 1")
    store.db.execute("UPDATE participants SET name = 'Priya Sharma' WHERE id = ?", [health.id])
    note = next(n for n in store.list_notes(demo) if n.body.startswith("Health holds the history"))
    store.update_note(
        note.id,
        body="Priya Sharma described Kayden (DOB 12/03/2015, NHS 943 476 5919) at EX4 3AB; "
        "ring 07700 900123.",
    )
    action = store.list_actions(demo)[0]
    store.db.execute(
        "UPDATE actions SET description = description || ' Ask Priya about Kayden.' WHERE id = ?",
        [action.id],
    )
    store.db.execute(
        "UPDATE questions SET text = text || ' (Kayden)' WHERE id = ?", [note.question_id]
    )
    store.add_redaction_term(demo, "Kayden")


SECRETS = ("Priya", "Sharma", "Kayden", "12/03/2015", "943 476 5919", "EX4 3AB", "07700 900123")


@pytest.mark.parametrize(
    "request_",
    [
        ExportRequest("md", redact=True),
        ExportRequest("html", redact=True),
        ExportRequest("json", redact=True),
        ExportRequest("csv", what="notes", redact=True),
        ExportRequest("csv", what="actions", redact=True),
        ExportRequest("questions", questions_format="md", redact=True),
        ExportRequest("questions", questions_format="txt", redact=True),
        ExportRequest("questions", questions_format="html", redact=True),
    ],
    ids=lambda r: r.share_format,
)
def test_every_text_format_is_redacted(store: Store, demo: str, request_: ExportRequest) -> None:
    _demo_with_secrets(store, demo)
    unredacted = (
        render(
            store,
            demo,
            ExportRequest(
                request_.format, what=request_.what, questions_format=request_.questions_format
            ),
        ).text
        or ""
    )
    text = render(store, demo, request_).text or ""
    assert "Kayden" in unredacted
    for secret in SECRETS:
        assert secret not in text, secret
    if request_.share_format in ("md", "html", "json", "csv-notes"):
        assert "Health 1 described" in text
    if request_.format in ("md", "html", "questions"):
        words = " ".join(text.split())  # plain text is wrapped
        assert "Redacted for sharing" in words
        assert "terms listed for this conversation" in words


def test_word_file_is_redacted(store: Store, demo: str) -> None:
    _demo_with_secrets(store, demo)
    data = render(store, demo, ExportRequest("docx", redact=True)).data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = "".join(archive.read(name).decode("utf-8") for name in archive.namelist())
    for secret in SECRETS:
        assert secret not in xml, secret
    assert "Redacted for sharing" in xml and "Health 1 described" in xml


def test_redacted_rows_drop_names_and_terms_and_keep_checksums_true(
    store: Store, demo: str
) -> None:
    _demo_with_secrets(store, demo)
    tables, redaction = redact_tables(store.conversation_rows(demo))
    assert redaction.names == 1 and redaction.terms == 1
    assert tables["redaction_terms"] == []
    assert all(row["name"] == "" for row in tables["participants"])
    assert all(row["sha256"] == body_digest(row["body"]) for row in tables["notes"])
    assert "Kayden" not in json.dumps(tables, ensure_ascii=False)


def test_redacted_csv_names_no_one(store: Store, demo: str) -> None:
    _demo_with_secrets(store, demo)
    rows = list(
        csv.DictReader(
            io.StringIO(
                render(store, demo, ExportRequest("csv", what="notes", redact=True)).text or ""
            )
        )
    )
    assert {row["participant"] for row in rows} >= {"Health 1"}


def test_names_cannot_be_shown_in_a_redacted_export() -> None:
    with pytest.raises(ValueError):
        ExportRequest("md", redact=True, use_names=True)
