"""Before a conversation runs, nobody has attended or missed it: its people are invited.

`appreciate show` and the record (the review screen, and the exports built like it) say
"Invited" for a planned conversation, keeping an apology given in advance, and say who took part
and who could not attend once it has run.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from appreciate_tui.cli import main
from appreciate_tui.store import Store
from appreciate_tui.tui.app import AppreciateApp
from appreciate_tui.tui.screens.review import ReviewScreen


def plan(store: Store) -> str:
    cid = store.create_conversation("Strategy meetings", "Is MASH working well?",
                                    date="2026-12-01").id
    store.add_participant(cid, "Police")
    store.add_participant(cid, "Health", attended=True)  # ticked ahead of time
    store.add_participant(cid, "Health", absence_reason="On leave")
    return cid


async def record_of(store: Store, cid: str) -> str:
    app = AppreciateApp(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.push_screen(ReviewScreen(cid))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        return "\n".join((block.hang.plain if block.hang else "") + block.body.plain
                         for block in screen.document.blocks)


def shown(db_path: Path, cid: str) -> str:
    result = CliRunner().invoke(main, ["--db", str(db_path), "show", cid],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


async def test_a_planned_conversation_lists_its_people_as_invited(
    store: Store, db_path: Path
) -> None:
    cid = plan(store)
    record = await record_of(store, cid)
    assert "could not attend" not in record.lower() and "took part" not in record
    assert "Police 1  invited" in record
    assert "Health 1  invited" in record
    assert "Health 2  invited, sent apologies: On leave" in record
    text = shown(db_path, cid)
    assert "Could not attend" not in text and "Took part" not in text
    assert "Invited: Health 1 (Health), Health 2 (Health): On leave, Police 1 (Police)" in text


async def test_once_it_has_run_they_took_part_or_could_not_attend(
    store: Store, db_path: Path
) -> None:
    cid = plan(store)
    store.start_conversation(cid)
    record = await record_of(store, cid)
    assert "Health 1  took part" in record
    assert "Health 2  could not attend: On leave" in record
    assert "Police 1  invited" in record
    text = shown(db_path, cid)
    assert "Took part: Health 1 (Health)" in text
    assert "Could not attend: Health 2 (Health): On leave, Police 1 (Police)" in text
