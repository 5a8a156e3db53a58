"""The export form's choice between a document (reports/) and a bundle (exchange/) is made above
both (appreciate_tui/export.py); a report reads the conversation as domain objects from the store's
face, redacted by the same code as the bundle."""

from __future__ import annotations

import json

import pytest

from appreciate_tui.export import ExportRequest, render
from appreciate_tui.reports import render_document
from appreciate_tui.store import Store
from appreciate_tui.store.redaction import redact_tables


def test_reports_make_documents_only(store: Store, demo: str) -> None:
    with pytest.raises(ValueError, match="not a document"):
        render_document(store, demo, ExportRequest("json"))
    assert json.loads(render(store, demo, ExportRequest("json")).text or "")["conversation_id"]


def test_record_is_redacted_as_the_bundle_is(store: Store, demo: str) -> None:
    store.add_redaction_term(demo, "MASH")
    record = store.conversation_record(demo, redact=True)
    tables, redaction = redact_tables(store.conversation_rows(demo))
    assert record.redaction == redaction and redaction.terms == 1
    assert record.conversation.title == tables["conversations"][0]["title"]
    assert "MASH" not in record.conversation.title
    assert [n.body for n in record.notes] == [row["body"] for row in tables["notes"]]
    assert all(p.name == "" for p in record.participants)
    plain = store.conversation_record(demo)
    assert plain.redaction is None and "MASH" in plain.conversation.title
