"""The first screen and the reading commands start without loading sqlite-utils (a sixth of the
app's start, store/reading.py): they read through the connection itself. Writing still goes
through sqlite-utils, loaded when first needed, and a file that needs a schema change still gets
it. Each check runs in a fresh interpreter, as a user's start does."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from appreciate_tui.store.reading import Reads

MAKE = """
import sys
from appreciate_tui.store import Store
with Store.open(sys.argv[1]) as store:
    c = store.create_conversation("Information sharing at the front door")
    q = store.add_question(c.id, "When did sharing go well?", "discover")
    store.add_note(c.id, q.id, "strategy meetings within a day")
"""


def python(code: str, *args: str, cwd: Path | None = None) -> str:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        capture_output=True, text=True, timeout=120, cwd=cwd,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def made(tmp_path: Path) -> Path:
    path = tmp_path / "light.db"
    python(MAKE, str(path))
    return path


@pytest.mark.parametrize("command", [["list"], ["search", "strategy"], ["list", "--json"]])
def test_reading_commands_do_not_load_sqlite_utils(made: Path, command: list[str]) -> None:
    out = python(
        """
        import sys
        from appreciate_tui.cli import main
        try:
            main(["--db", sys.argv[1], *sys.argv[2:]])
        except SystemExit as end:
            assert not end.code, end.code
        finally:
            print("LOADED" if "sqlite_utils" in sys.modules else "NOT LOADED")
        """,
        str(made), *command,
    )
    assert "Information sharing" in out or "strategy" in out
    assert out.rstrip().endswith("NOT LOADED")


def test_the_app_paints_its_first_screen_without_sqlite_utils_then_loads_it(made: Path) -> None:
    out = python(
        """
        import sys
        from appreciate_tui.store import Store
        from appreciate_tui.tui.app import AppreciateApp

        seen = {}

        class Watched(AppreciateApp):
            def _drawn(self):
                seen["at first paint"] = "sqlite_utils" in sys.modules
                seen["titles"] = [self.screen.query_one("#conversations").highlighted.conversation.title]
                super()._drawn()
                self.set_timer(0.5, self.exit)

        store = Store.open(sys.argv[1], check="deferred")
        try:
            Watched(store).run(headless=True, size=(120, 40))
            seen["soon after"] = "sqlite_utils" in sys.modules
        finally:
            store.close()
        import json
        print(json.dumps(seen))
        """,
        str(made),
    )
    seen = json.loads(out.strip().splitlines()[-1])
    assert "Information sharing" in seen["titles"][0]
    assert seen["at first paint"] is False
    assert seen["soon after"] is True  # loaded once the screen was up (Core.prepare_writes)


def test_a_note_written_before_sqlite_utils_is_loaded_is_saved(made: Path) -> None:
    out = python(
        """
        import sys
        from appreciate_tui.store import Store
        with Store.open(sys.argv[1]) as store:
            assert "sqlite_utils" not in sys.modules
            c = store.list_conversations()[0]
            q = store.list_questions(c.id)[0]
            store.add_note(c.id, q.id, "written first")
            print("LOADED" if "sqlite_utils" in sys.modules else "NOT LOADED")
        with Store.open(sys.argv[1], read_only=True) as store:
            print([n.body for n in store.list_notes(c.id)])
        """,
        str(made),
    )
    assert "LOADED" in out and "written first" in out


def test_triggers_fire_the_same_before_sqlite_utils_is_loaded(made: Path) -> None:
    """sqlite-utils turns recursive triggers on for a connection it wraps; the store does too,
    at open, so the file behaves the same whichever came first."""
    out = python(
        """
        import sys
        from appreciate_tui.store import Store
        with Store.open(sys.argv[1]) as store:
            before = store.conn.execute("PRAGMA recursive_triggers").fetchone()[0]
            store.db  # sqlite-utils now
            after = store.conn.execute("PRAGMA recursive_triggers").fetchone()[0]
            print(before, after)
        """,
        str(made),
    )
    assert out.split() == ["1", "1"]


def test_a_file_needing_a_schema_change_still_gets_it(tmp_path: Path) -> None:
    older = tmp_path / "older.db"
    out = python(
        """
        import sys
        from sqlite_utils import Database
        from appreciate_tui.store import Store, schema
        newest = schema.steps()[-1].__name__
        db = Database(sys.argv[1])
        db.execute("PRAGMA journal_mode=WAL")
        schema.migrations.apply(db, stop_before=newest)
        db.close()
        with Store.open(sys.argv[1]) as store:
            print(newest, schema.pending(store.reads))
        """,
        str(older),
    )
    newest, pending = out.split(maxsplit=1)
    assert newest.startswith("m0") and pending.strip() == "[]"


def test_rows_read_without_sqlite_utils_are_the_rows_sqlite_utils_reads() -> None:
    from sqlite_utils import Database

    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE a (id, name, name_2)")
    conn.execute("INSERT INTO a VALUES (1, 'x', 'y')")
    sql = "SELECT a.*, b.name, b.id FROM a JOIN a AS b ON b.id = a.id"
    assert list(Reads(conn).query(sql)) == list(Database(conn).query(sql))
    assert list(Reads(conn).query("SELECT id FROM a WHERE id = ?", [1])) == [{"id": 1}]
    assert Reads(conn).execute("SELECT count(*) FROM a").fetchone() == (1,)


# ---------------------------------------------------------------- the launcher (launch.py)


def test_opening_the_app_loads_no_command_line_parser(made: Path) -> None:
    """`appreciate --db PATH` opens the app without click; the app is the same one."""
    out = python(
        """
        import sys
        import appreciate_tui.tui.app as app
        from appreciate_tui import launch

        seen = {}

        def run_app(store, conversation_id=None):
            seen["click"] = "click" in sys.modules
            seen["sqlite_utils"] = "sqlite_utils" in sys.modules
            seen["read_only"] = store.read_only
            return 0

        app.run_app = run_app
        sys.argv = ["appreciate", "--db", sys.argv[1]]
        try:
            launch.main()
        except SystemExit as end:
            seen["exit"] = end.code
        import json
        print(json.dumps(seen))
        """,
        str(made),
    )
    assert json.loads(out.strip().splitlines()[-1]) == {
        "click": False, "sqlite_utils": False, "read_only": False, "exit": 0,
    }


@pytest.mark.parametrize(
    ("args", "app"),
    [
        ([], True),
        (["--db", "{db}"], True),
        (["--db={db}"], True),
        (["list"], False),
        (["--db", "{db}", "list"], False),
        (["--help"], False),
        (["--version"], False),
        (["--passphrase-fd", "3"], False),
        (["--db", "{db}", "--passphrase-fd", "3"], False),
        (["--db", ""], False),
        (["--db", "--help"], False),
        (["--db", "{folder}"], False),
    ],
)
def test_only_a_plain_start_skips_the_commands(tmp_path: Path, args: list[str], app: bool) -> None:
    from appreciate_tui import launch

    filled = [a.format(db=tmp_path / "x.db", folder=tmp_path) for a in args]
    assert (launch.app_only(filled) is not None) is app


def test_what_stands_in_the_way_of_the_app_is_said_by_the_commands(tmp_path: Path) -> None:
    """A database that cannot be opened as it is: the launcher hands over, and the commands say
    what is wrong in their one line (never a traceback)."""
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"not a database at all" * 100)
    done = subprocess.run(
        [sys.executable, "-m", "appreciate_tui", "--db", str(bad)],
        capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr.startswith(f"appreciate: {bad}: the file cannot be read as a database")
    assert "Traceback" not in done.stderr
    assert bad.read_bytes() == b"not a database at all" * 100


def test_a_fault_once_the_app_runs_is_one_line(made: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(
            """
            import sys
            import appreciate_tui.tui.app as app
            from appreciate_tui import launch

            def run_app(store, conversation_id=None):
                raise RuntimeError("a note's words that must not be printed")

            app.run_app = run_app
            sys.argv = ["appreciate", "--db", sys.argv[1]]
            launch.main()
            """
        ), str(made)],
        capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr.startswith("appreciate: `appreciate` stopped on a fault in appreciate")
    assert "RuntimeError" in done.stderr and "must not be printed" not in done.stderr
    assert "Traceback" not in done.stderr


# ---------------------------------------------------------------- reading in bulk


def test_text_another_program_wrote_as_invalid_utf8_reads_with_replacement_marks(
    made: Path,
) -> None:
    """Reads of thousands of strings decode them in SQLite (reading.in_bulk); a title written by
    another program as invalid UTF-8 makes SQLite refuse, and the read is made again with the
    store's replacing decoder: the list and the insights show it, marked, and nothing stops."""
    with sqlite3.connect(made) as conn:
        conn.execute("UPDATE conversations SET title = CAST(x'4d4153480aff20' || x'c3' AS TEXT)")
    conn.close()
    from appreciate_tui.store import Store

    with Store.open(made, read_only=True) as store:
        [(_, _, _, title)] = store.conversation_catalogue("title")
        assert title.startswith("MASH") and "\ufffd" in title
        rows = store.insight_rows()
        assert "\ufffd" in rows["conversations"][0][2] or any(
            "\ufffd" in str(value) for value in rows["conversations"][0]
        )
        assert store.conn.text_factory is not str  # the store's own decoder is back
