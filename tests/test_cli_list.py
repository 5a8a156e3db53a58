"""`appreciate list`: a screenful by default (the newest 50, then how many more and how to see
them), every one with --all, the newest N with --limit N, and every one as JSON for scripts,
written as it is read."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from appreciate_tui.cli import main
from appreciate_tui.cli.conversations import LIST_LENGTH
from appreciate_tui.store import Store
from tests.helpers.many_conversations import many


@pytest.fixture
def run(db_path: Path):
    runner = CliRunner()

    def invoke(*args: str, ok: bool = True):
        result = runner.invoke(main, ["--db", str(db_path), *args], catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, result.output + result.stderr
        return result

    return invoke


def _title(line: str) -> str:
    """The title at the end of a line of the list, after its count of notes."""
    return re.split(r" notes?  +", line, maxsplit=1)[1]


def conversations(db_path: Path, count: int) -> list[str]:
    """`count` conversations; their titles, newest first."""
    with Store.open(db_path) as store:
        many(store, count)
        return [s.conversation.title for s in store.conversation_summaries()]


def test_list_shows_the_newest_fifty_and_says_how_many_more(run, db_path: Path) -> None:
    titles = conversations(db_path, 60)
    lines = run("list").output.splitlines()
    assert LIST_LENGTH == 50 and len(lines) == 51
    assert [_title(line) for line in lines[:-1]] == titles[:50]
    assert lines[-1] == (
        "… and 10 more conversations: --all lists every one, --limit N the newest N")


def test_one_more_is_one_more_conversation(run, db_path: Path) -> None:
    conversations(db_path, 51)
    assert run("list").output.splitlines()[-1].startswith("… and 1 more conversation: ")


def test_fifty_or_fewer_need_no_last_line(run, db_path: Path) -> None:
    conversations(db_path, 50)
    lines = run("list").output.splitlines()
    assert len(lines) == 50 and "more" not in lines[-1]


def test_all_lists_every_one_and_limit_the_newest_n(run, db_path: Path) -> None:
    titles = conversations(db_path, 60)
    every = run("list", "--all").output.splitlines()
    assert [_title(line) for line in every] == titles
    newest = run("list", "--limit", "3").output.splitlines()
    assert [_title(line) for line in newest[:3]] == titles[:3]
    assert newest[3].startswith("… and 57 more conversations")
    assert run("list", "--limit", "60").output.splitlines()[-1].endswith(titles[-1])
    assert run("list", "--all", "--limit", "3", ok=False).exit_code == 2
    assert run("list", "--limit", "0", ok=False).exit_code == 2


def test_json_lists_every_one_unless_limited(run, db_path: Path) -> None:
    titles = conversations(db_path, 60)
    rows = json.loads(run("list", "--json").output)
    assert [row["title"] for row in rows] == titles
    assert set(rows[0]) == {"id", "title", "topic", "status", "date", "setting", "notes"}
    assert [row["title"] for row in json.loads(run("list", "--json", "--limit", "2").output)] == \
        titles[:2]


def test_json_is_written_as_it_is_read(
    run, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ten thousand conversations are written in batches, never built as one list or string,
    and the text is what writing them as one list would have been."""
    import appreciate_tui.cli.conversations as cli

    conversations(db_path, 12)
    whole = run("list", "--json").output
    writes: list[str] = []
    real, echo = cli.stream_json, cli.click.echo
    monkeypatch.setattr(cli, "stream_json", lambda items: real(items, batch=5))
    monkeypatch.setattr(cli.click, "echo", lambda text="", **kw: (writes.append(text),
                                                                  echo(text, **kw)))
    assert run("list", "--json").output == whole
    assert len(writes) == 3, "five, five, then the last two and the end of the array"
    monkeypatch.setattr(cli.click, "echo", echo)
    with Store.open(db_path, read_only=True) as store:
        rows = [c._asdict() for c in store.listed_conversations()]
    assert whole == json.dumps(rows, ensure_ascii=False, indent=2) + "\n"  # as emit_json


def test_json_of_nothing_is_an_empty_array(run) -> None:
    assert json.loads(run("list", "--json").output) == []
    assert run("list", "--json").output == "[]\n"
