"""`appreciate present`: the view for the room, opened from a second terminal window. It opens the
database read-only (beside a facilitator's window that holds the lock), resolves an id prefix, and
refuses in one line what it cannot show."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from appreciate_tui.cli import main
from appreciate_tui.store import Store
from tests.tui.facilitate_data import make_conversation


@pytest.fixture
def opened_with(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Store, str | None]]:
    """Stands in for the room's app: what it would have been given."""
    import appreciate_tui.tui.present as present

    given: list[tuple[Store, str | None]] = []

    def run_present(store: Store, *, conversation_id: str | None = None) -> int:
        given.append((store, conversation_id))
        assert store.read_only
        return 0

    monkeypatch.setattr(present, "run_present", run_present)
    monkeypatch.setenv("TERM", "xterm-256color")
    return given


def invoke(db_path: Path, *args: str):
    return CliRunner().invoke(main, ["--db", str(db_path), "present", *args])


def test_help_says_what_the_room_sees() -> None:
    result = CliRunner().invoke(main, ["present", "--help"])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "no notes and no names" in text
    assert "most recently active" in text
    assert "q" in text and "F2" in text
    assert "present" in CliRunner().invoke(main, ["--help"]).output


def test_it_reads_beside_the_facilitators_window(db_path: Path, opened_with) -> None:
    with Store.open(db_path) as facilitator:
        cid = make_conversation(facilitator)
        result = invoke(db_path, cid[:6])
    assert result.exit_code == 0, result.output
    [(store, chosen)] = opened_with
    assert chosen == cid
    assert store.read_only_reason == "opened read-only on request"


def test_without_an_id_it_follows_whatever_is_live(db_path: Path, opened_with) -> None:
    Store.open(db_path).close()
    assert invoke(db_path).exit_code == 0
    assert opened_with[0][1] is None


def test_no_database_is_one_line_and_creates_nothing(db_path: Path, opened_with) -> None:
    result = invoke(db_path)
    assert result.exit_code == 1
    assert "no database" in result.output and len(result.output.strip().splitlines()) == 1
    assert not db_path.exists() and opened_with == []


def test_an_unknown_id_is_one_line(db_path: Path, opened_with) -> None:
    Store.open(db_path).close()
    result = invoke(db_path, "feedface")
    assert result.exit_code == 1
    assert "feedface" in result.output and len(result.output.strip().splitlines()) == 1
