"""Retention: a period in the settings (24 months unless the organisation decides otherwise),
a list of the conversations past it, and `appreciate purge` that erases them only after a yes."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from appreciate_tui.cli import main
from appreciate_tui.settings import Settings
from appreciate_tui.store import Store, erasure
from tests.trust.helpers import PASSPHRASE, files_holding, meeting, passphrase_fd

TODAY = date(2026, 3, 12)  # the frozen clock's day


def run(db_path: Path, *args: str, input: str | None = None):
    return CliRunner().invoke(main, ["--db", str(db_path), *args], input=input)


def test_the_period_is_24_months_unless_the_settings_say_otherwise(tmp_path: Path) -> None:
    assert Settings().retention_months == 24
    path = tmp_path / "settings.json"
    Settings(retention_months=84).save(path)
    assert Settings.load(path).retention_months == 84
    path.write_text(json.dumps({"retention_months": "forever"}))
    assert Settings.load(path).retention_months == 24  # a broken value falls back


@pytest.mark.parametrize(
    ("day", "months", "first_kept"),
    [
        (date(2026, 3, 12), 24, date(2024, 3, 12)),
        (date(2026, 3, 31), 1, date(2026, 2, 28)),  # the 31st in a shorter month
        (date(2024, 2, 29), 12, date(2023, 2, 28)),  # a leap day
        (date(2026, 1, 15), 13, date(2024, 12, 15)),
    ],
)
def test_months_are_calendar_months(day: date, months: int, first_kept: date) -> None:
    assert erasure.cutoff(months=months, today=day) == first_kept


def test_due_counts_from_the_date_or_the_end_whichever_is_later(store: Store, frozen_clock) -> None:
    old, _ = meeting(store, "Old and closed", date="2023-01-10", fillers=1)
    ended_late, _ = meeting(store, "Old date, ended recently", date="2023-01-10", fillers=0)
    store.update_conversation(ended_late, ended_at="2025-06-01T10:00:00.000000+00:00")
    boundary, _ = meeting(store, "Exactly 24 months ago", date="2024-03-12", fillers=0)
    day_before, _ = meeting(store, "A day more than 24 months ago", date="2024-03-11", fillers=0)
    recent, _ = meeting(store, "Last month", date="2026-02-12", fillers=0)
    store.delete_conversation(day_before)  # in the bin: still due

    due = store.conversations_due(months=24)
    assert [d.conversation.id for d in due] == [old, day_before]  # oldest first; deleted ones too
    assert due[0].notes == 1 and due[0].last_activity == "2023-01-10"
    assert [d.conversation.id for d in store.conversations_due(days=0)] == [
        old, day_before, boundary, ended_late, recent
    ]
    assert recent not in [d.conversation.id for d in store.conversations_due(days=29)]


def test_purge_dry_run_lists_and_erases_nothing(db_path: Path, frozen_clock) -> None:
    with Store.open(db_path) as store:
        old, _ = meeting(store, "Strategy meetings 2023", date="2023-01-10", fillers=2)
        store.record_share(old, "docx", recipient="Safeguarding board")
        meeting(store, "Strategy meetings 2026", date="2026-03-01", fillers=2)
    result = run(db_path, "purge", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "older than 24 months" in result.output
    assert "Strategy meetings 2023" in result.output and "2026" not in result.output.split(
        "Due for erasure")[1].split("Exports")[0]
    assert "docx" in result.output and "Safeguarding board" in result.output
    assert "Nothing was erased" in result.output
    with Store.open(db_path) as store:
        assert len(store.list_conversations()) == 2 and store.erasures() == []
    as_json = run(db_path, "purge", "--dry-run", "--json")
    assert [row["id"] for row in json.loads(as_json.output)] == [old]


def test_purge_erases_after_a_yes_and_records_it_without_content(
    db_path: Path, key, frozen_clock
) -> None:
    with Store.open(db_path, key=key) as store:
        old, _ = meeting(store, "Qzv7Oldmeeting", date="2023-01-10", notes=["Qzv7Oldmeeting note"])
        kept, _ = meeting(store, "Kept", date="2026-03-01", fillers=1)
        backup = store.rotate_backups()
    unlock = ["--passphrase-fd", str(passphrase_fd(PASSPHRASE))] if key is not None else []
    result = run(db_path, *unlock, "purge", "--older-than", "365", "--yes")
    assert result.exit_code == 0, result.output
    assert "Erased 1 conversation" in result.output
    assert str(backup) in result.output and "--drop-old-backups" in result.output
    with Store.open(db_path, key=key) as store:
        assert [c.id for c in store.list_conversations(include_deleted=True)] == [kept]
        log = store.erasures()
        assert [(r["kind"], r["target_id"], r["reason"]) for r in log] == [
            ("conversation", old, "retention")
        ]
    if key is None:
        assert files_holding(db_path.parent, "Qzv7Oldmeeting") == [
            str(backup.relative_to(db_path.parent))
        ]


def test_purge_can_replace_the_older_backups(db_path: Path, frozen_clock) -> None:
    with Store.open(db_path) as store:
        meeting(store, "Qzv7Oldmeeting", date="2023-01-10", fillers=1)
        backup = store.rotate_backups()
    frozen_clock.advance(minutes=1)
    result = run(db_path, "purge", "--yes", "--drop-old-backups")
    assert result.exit_code == 0, result.output
    assert "Removed 1 older backup" in result.output and not backup.exists()
    assert files_holding(db_path.parent, "Qzv7Oldmeeting") == []


def test_purge_uses_the_settings_period(db_path: Path, frozen_clock) -> None:
    Settings(retention_months=120).save()
    with Store.open(db_path) as store:
        meeting(store, "Ten years is not up", date="2023-01-10", fillers=0)
    result = run(db_path, "purge", "--dry-run")
    assert "Nothing is due" in result.output and "120 months" in result.output


def test_purge_asks_and_a_no_or_no_terminal_erases_nothing(
    db_path: Path, frozen_clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    import appreciate_tui.cli.trust as cli_trust

    with Store.open(db_path) as store:
        meeting(store, "Old", date="2023-01-10", fillers=1)
    no_terminal = run(db_path, "purge")
    assert no_terminal.exit_code == 1 and "--yes" in no_terminal.output
    monkeypatch.setattr(cli_trust, "_interactive", lambda: True)
    declined = run(db_path, "purge", input="n\n")
    assert declined.exit_code == 1 and "nothing was changed" in declined.output
    with Store.open(db_path) as store:
        assert len(store.list_conversations()) == 1
    accepted = run(db_path, "purge", input="y\n")
    assert accepted.exit_code == 0 and "Erased 1 conversation" in accepted.output


def test_nothing_due_says_so(db_path: Path, frozen_clock) -> None:
    with Store.open(db_path) as store:
        meeting(store, "Recent", date="2026-03-01", fillers=0)
    result = run(db_path, "purge", "--yes")
    assert result.exit_code == 0 and "Nothing is due" in result.output


def test_the_erasures_command_lists_the_record(db_path: Path, frozen_clock) -> None:
    empty = run(db_path, "erasures")
    assert "Nothing has been erased" in empty.output
    with Store.open(db_path) as store:
        cid, _ = meeting(store, "Old", date="2023-01-10", fillers=1)
        store.erase_conversation(cid, reason="retention")
    listed = run(db_path, "erasures")
    assert listed.exit_code == 0 and "conversation" in listed.output and cid[:8] in listed.output
    assert "Old" not in listed.output
    as_json = json.loads(run(db_path, "erasures", "--json").output)
    assert as_json[0]["target_id"] == cid and as_json[0]["reason"] == "retention"
