"""The merged database is plain SQLite a partnership browses with Datasette (docs/partnership.md):
start it read-only on 127.0.0.1, ask its JSON API for a conversation, a full-text search and a
canned query from data/datasette-metadata.json, and stop it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from appreciate_tui import paths
from appreciate_tui.demo import DEMO_CONVERSATION_ID, load_demo
from appreciate_tui.store import Store

pytest.importorskip("datasette", reason="datasette is not installed (pip install '.[partnership]')")

METADATA = paths.shipped_banks_dir().parent / "datasette-metadata.json"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> object:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - 127.0.0.1 only
        return json.loads(response.read())


def test_the_metadata_names_every_table_and_hides_the_machinery() -> None:
    metadata = json.loads(METADATA.read_text(encoding="utf-8"))
    partnership = metadata["databases"]["partnership"]
    assert metadata["databases"]["appreciate"] == partnership
    assert set(partnership["queries"]) >= {
        "open_actions_by_agency", "successes", "follow_ups_worth_keeping"}
    for hidden in ("drafts", "row_versions", "note_themes"):
        assert partnership["tables"][hidden] == {"hidden": True}


@pytest.mark.slow
def test_datasette_serves_the_merged_database_read_only(tmp_path: Path) -> None:
    database = tmp_path / "partnership.db"
    with Store.open(database) as store:
        load_demo(store)
        notes = store.list_notes(DEMO_CONVERSATION_ID)
        store.update_note(notes[0].id, starred=True, stance="strength")
    before = database.read_bytes()
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "datasette", "serve", "--immutable", str(database),
         "--metadata", str(METADATA), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    base = f"http://127.0.0.1:{port}/partnership"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                _get(f"http://127.0.0.1:{port}/-/versions.json")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(server.stderr.read().decode() if server.stderr else "")
                time.sleep(0.2)
        conversation = _get(f"{base}/conversations/{DEMO_CONVERSATION_ID}.json?_shape=array")
        assert conversation[0]["title"].startswith("MASH strategy meetings")
        found = _get(f"{base}/notes.json?_search=rota&_shape=array")
        assert found and all("rota" in row["body"].lower() for row in found)
        successes = _get(f"{base}/successes.json?_shape=array")
        assert notes[0].body in [row["body"] for row in successes]
        actions = _get(f"{base}/open_actions_by_agency.json?_shape=array")
        assert actions and {"owner_agency", "overdue", "description"} <= set(actions[0])
        assert _get(f"{base}/follow_ups_worth_keeping.json?_shape=array") is not None
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert database.read_bytes() == before, "browsing changed nothing"
