"""The JSON bundle: export → import into an empty database → export again gives the same bundle;
importing twice adds nothing; a damaged or foreign bundle is refused and nothing is written."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from appreciate_tui.exchange import bundle
from appreciate_tui.exchange.bundle import BundleError
from appreciate_tui.store import Store
from appreciate_tui.store.rows import body_digest


def _enrich(store: Store, demo: str) -> None:
    """Make sure every table in a bundle has rows: a revision, a deleted note, a share, a term,
    a pause."""
    notes = store.list_notes(demo)
    store.update_note(notes[0].id, body=notes[0].body + " (checked with the group)")
    store.delete_note(notes[1].id)
    store.record_share(demo, "md", recipient="Partnership board", purpose="learning review")
    store.add_redaction_term(demo, "Exeter")
    store.record_score(demo, notes[2].question_id, 7, agency="Police")
    store.link_outcome("children-safe", "note", notes[2].id)
    store.pause_conversation(demo)
    store.resume_conversation(demo)


@pytest.fixture
def exported(store: Store, demo: str) -> dict[str, Any]:
    _enrich(store, demo)
    return bundle.build(store, demo)


def test_round_trip_gives_the_same_bundle(
    store: Store, demo: str, exported, tmp_path: Path
) -> None:
    assert all(exported["tables"][table] for table in exported["tables"])
    text = bundle.dumps(exported)
    with Store.open(tmp_path / "empty.db") as empty:
        counts = bundle.import_bundle(empty, bundle.loads(text, empty.bundle_schema()))
        assert sum(c.added for c in counts.values()) == sum(
            len(rows) for rows in exported["tables"].values()
        )
        assert bundle.dumps(bundle.build(empty, demo)) == text
        assert empty.check().ok
        assert [hit.conversation_id for hit in empty.search("duty rota")][:1] == [demo]


def test_importing_twice_adds_nothing(store: Store, exported, tmp_path: Path) -> None:
    with Store.open(tmp_path / "other.db") as other:
        checked = bundle.validate(copy.deepcopy(exported), other.bundle_schema())
        bundle.import_bundle(other, checked)
        again = bundle.import_bundle(other, checked)
        assert all(c.added == 0 for c in again.values())
        assert sum(c.skipped for c in again.values()) == sum(
            len(r) for r in exported["tables"].values()
        )
    # Into the database it came from: everything is already there.
    again = bundle.import_bundle(
        store, bundle.validate(copy.deepcopy(exported), store.bundle_schema())
    )
    assert all(c.added == 0 for c in again.values())


def test_a_redacted_bundle_imports_and_checks_clean(
    store: Store, demo: str, tmp_path: Path
) -> None:
    _enrich(store, demo)
    store.update_note(store.list_notes(demo)[2].id, body="Ring 07700 900123 about Exeter")
    redacted = bundle.build(store, demo, redact=True)
    assert redacted["redacted"] is True and redacted["tables"]["redaction_terms"] == []
    with Store.open(tmp_path / "other.db") as other:
        bundle.import_bundle(other, bundle.loads(bundle.dumps(redacted), other.bundle_schema()))
        assert other.check().ok
        assert "07700" not in json.dumps(other.conversation_rows(demo))


def _note(data: dict[str, Any]) -> dict[str, Any]:
    return data["tables"]["notes"][0]


Breakage = Callable[[dict[str, Any]], None]

BROKEN: dict[str, tuple[Breakage, str]] = {
    "not a bundle": (
        lambda d: d.update(format="something-else"),
        "not an appreciate conversation bundle",
    ),
    "newer version": (lambda d: d.update(version=bundle.VERSION + 1), "newer appreciate (bundle version"),
    "version as text": (lambda d: d.update(version="1"), "no valid version"),
    "no conversation id": (lambda d: d.pop("conversation_id"), "'conversation_id' is missing"),
    "tables not an object": (lambda d: d.update(tables=[]), "'tables' is missing or not an object"),
    "unknown table": (
        lambda d: d["tables"].update(secrets=[]),
        "tables appreciate does not know: secrets",
    ),
    "rows not a list": (lambda d: d["tables"].update(notes={}), "'notes' is not a list"),
    "row not an object": (lambda d: d["tables"]["notes"].append("x"), "is not an object"),
    "missing field": (lambda d: _note(d).pop("body"), "the field 'body' is missing"),
    "text as number": (lambda d: _note(d).update(body=5), "'body' should be text"),
    "flag as text": (
        lambda d: _note(d).update(starred="yes"),
        "'starred' should be a whole number",
    ),
    "flag as boolean": (
        lambda d: _note(d).update(starred=True),
        "'starred' should be a whole number",
    ),
    "null id": (lambda d: _note(d).update(id=None), "'id' cannot be empty"),
    "unknown field": (lambda d: _note(d).update(mood="calm"), "unknown field 'mood'"),
    "unknown stance": (lambda d: _note(d).update(stance="angry"), "'stance' cannot be 'angry'"),
    "rating out of range": (
        lambda d: d["tables"]["feedback"][0].update(rating=9),
        "'rating' cannot be 9",
    ),
    "bad timestamp": (lambda d: _note(d).update(created_at="yesterday"), "is not a date and time"),
    "bad date": (
        lambda d: d["tables"]["conversations"][0].update(date="26/02/2026"),
        "is not a date",
    ),
    "prompts not JSON": (
        lambda d: d["tables"]["questions"][0].update(prompts="[oops"),
        "a list written as JSON",
    ),
    "dangling reference": (
        lambda d: _note(d).update(question_id="no-such-question"),
        "refers to a questions row that is not",
    ),
    "other conversation": (
        lambda d: d["tables"]["actions"][0].update(conversation_id="elsewhere"),
        "belongs to another conversation",
    ),
    "two conversations": (
        lambda d: d["tables"]["conversations"].append(
            dict(d["tables"]["conversations"][0], id="x")
        ),
        "exactly one conversation",
    ),
    "duplicate id": (lambda d: d["tables"]["notes"].append(dict(_note(d))), "the id appears twice"),
    "text changed after export": (
        lambda d: _note(d).update(body=_note(d)["body"] + " (edited)"),
        "no longer matches the checksum",
    ),
    "control characters": (
        lambda d: _note(d).update(body="\x1b]2;PWNED\x07", sha256=body_digest("\x1b]2;PWNED\x07")),
        "holds control characters",
    ),
}


@pytest.mark.parametrize("case", list(BROKEN), ids=list(BROKEN))
def test_a_broken_bundle_is_refused_and_nothing_written(
    exported, tmp_path: Path, case: str
) -> None:
    breakage, message = BROKEN[case]
    data = copy.deepcopy(exported)
    breakage(data)
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with Store.open(tmp_path / "target.db") as target:
        with pytest.raises(BundleError) as caught:
            bundle.read(path, target.bundle_schema())
        assert message in str(caught.value)
        assert str(path) in str(caught.value)
        assert target.list_conversations(include_deleted=True) == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "not valid JSON at line 1, column 2"),
        (b"\xff\xfe\x00", "not UTF-8"),
        (b"[]", "not an appreciate"),
    ],
)
def test_a_file_that_is_not_a_bundle_is_refused(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(content)
    with Store.open(tmp_path / "target.db") as target, pytest.raises(BundleError, match=message):
        bundle.read(path, target.bundle_schema())


def test_a_failing_insert_leaves_the_database_unchanged(
    store: Store, demo: str, exported, tmp_path: Path
) -> None:
    """Rows that pass the bundle's checks but break the database's own rules roll back whole."""
    from appreciate_tui.store import SaveError

    data = copy.deepcopy(exported)
    data["tables"]["participants"][0]["pseudonym"] = None  # NOT NULL in the table
    with Store.open(tmp_path / "target.db") as target:
        with pytest.raises(SaveError):
            target.import_rows(data["tables"])
        assert target.list_conversations(include_deleted=True) == []


def test_import_rows_accepts_only_the_schema_columns(tmp_path: Path, exported) -> None:
    data = copy.deepcopy(exported)
    data["tables"]["notes"][0]["body) VALUES (1); DROP TABLE notes; --"] = "x"
    with Store.open(tmp_path / "target.db") as target:
        with pytest.raises(ValueError, match="no column"):
            target.import_rows(data["tables"])
        assert target.list_conversations(include_deleted=True) == []


def test_a_sound_bundle_is_checked_a_column_at_a_time(exported, tmp_path: Path) -> None:
    """Every table of a sound bundle passes the quick column-wise check (the row-by-row checks,
    which name a problem, are only for a bundle that has one); each broken bundle above fails it."""
    with Store.open(tmp_path / "target.db") as target:
        schema = target.bundle_schema()
    data = json.loads(bundle.dumps(exported))
    for table in bundle.BUNDLE_TABLES:
        rows = data["tables"].get(table, [])
        assert bundle._all_fine(table, rows, schema.columns[table]), table
    for case, (breakage, _) in BROKEN.items():
        broken = copy.deepcopy(data)
        breakage(broken)
        tables = broken.get("tables")
        if not isinstance(tables, dict) or not all(isinstance(r, list) for r in tables.values()):
            continue
        if set(tables) - set(bundle.BUNDLE_TABLES):
            continue
        fine = all(
            bundle._all_fine(table, tables.get(table, []), schema.columns[table])
            for table in bundle.BUNDLE_TABLES
        )
        row_checks = {"row not an object", "missing field", "text as number", "flag as text",
                      "flag as boolean", "null id", "unknown field", "unknown stance",
                      "rating out of range", "bad timestamp", "bad date", "prompts not JSON",
                      "duplicate id", "control characters"}
        assert fine is (case not in row_checks), case
