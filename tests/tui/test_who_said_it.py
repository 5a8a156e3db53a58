"""Who said it: what a `#tag` makes of a note, and that the screen says so before Enter and counts
it after. The conversation has Police 1, Health 1, Health 2 and Social care 1, all here.

- An agency tag names the one person here from that agency, if there is only one: their note.
- Otherwise it is the agency's note, counted for the agency in Who's here.
- The line under the note says who it will be said by, even while a tag is being completed.
- A score needs someone known to give it; without, the line is kept as a plain note, and the line
  under the note says why before Enter.
- An action drafted from a `!` note is owned by whoever the note was said by.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from appreciate_tui.domain import Stance
from appreciate_tui.store import Store
from appreciate_tui.tui.app import AppreciateApp
from appreciate_tui.tui.screens.facilitate import FacilitateScreen
from appreciate_tui.tui.screens.wrapup import WrapUpScreen
from appreciate_tui.tui.widgets.hanging import Hanging


pytestmark = pytest.mark.usefixtures("frozen_clock")


def rows(db_path: Path, sql: str, *params: Any) -> list[sqlite3.Row]:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        return list(conn.execute(sql, params))
    finally:
        conn.close()


@asynccontextmanager
async def facilitating(
    store: Store, cid: str, size: tuple[int, int] = (120, 40)
) -> AsyncIterator[tuple[Pilot, FacilitateScreen]]:
    app = AppreciateApp(store, conversation_id=cid)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, FacilitateScreen)
        yield pilot, app.screen


async def typed(pilot: Pilot, screen: FacilitateScreen, line: str) -> str:
    """Put `line` in the note line (the last key pressed for real); what the line under it says."""
    field = screen.notes_pane.input
    assert pilot.app.focused is field
    field.value = line[:-1]
    await pilot.press("space" if line[-1] == " " else line[-1])
    await pilot.pause()
    return str(screen.notes_pane.hint.render())


def whos_here(screen: FacilitateScreen) -> list[str]:
    lines = []
    for option in screen.voices.people.options:
        prompt = option.prompt
        assert isinstance(prompt, Hanging)
        lines.append(" ".join((prompt.gutter.plain + prompt.text.plain).split()))
    return lines


def person_id(store: Store, cid: str, pseudonym: str) -> str:
    return next(p.id for p in store.list_participants(cid) if p.pseudonym == pseudonym)


async def test_an_agency_tag_is_the_note_of_its_only_person_here(
    store: Store, cid: str, db_path: Path
) -> None:
    async with facilitating(store, cid) as (pilot, screen):
        hint = await typed(pilot, screen, "+ chair went round every agency #police ")
        assert "said by Police 1" in hint and "(only #police here)" in hint
        await pilot.press("enter")
        await pilot.pause()
        assert "✓ Police 1 1 note" in " ".join(whos_here(screen))
    [note] = rows(db_path, "SELECT * FROM notes")
    assert (note["participant_id"], note["agency"], note["body"]) == (
        person_id(store, cid, "Police 1"), "Police", "chair went round every agency")


async def test_an_agency_tag_with_two_people_here_is_counted_for_the_agency(
    store: Store, cid: str, db_path: Path
) -> None:
    async with facilitating(store, cid) as (pilot, screen):
        hint = await typed(pilot, screen, "- invites arrive at short notice #health ")
        assert "said by Health (agency)" in hint
        await pilot.press("enter")
        await pilot.pause()
        lines = whos_here(screen)
        assert "Health (agency) 1 note" in lines
        # Under the agency's people, and the digits still toggle the people they name.
        assert lines.index("Health (agency) 1 note") == lines.index("3 ✓ Health 2 0 notes") + 1
        await pilot.press("f4", "4")
        await pilot.pause()
    [note] = rows(db_path, "SELECT * FROM notes")
    assert (note["participant_id"], note["agency"]) == (None, "Health")
    police = rows(db_path, "SELECT attended FROM participants WHERE pseudonym = 'Police 1'")
    assert police[0]["attended"] == 0, "4 is still Police 1"


async def test_who_said_it_stays_in_sight_while_a_tag_is_completed(
    store: Store, cid: str
) -> None:
    async with facilitating(store, cid, size=(80, 24)) as (pilot, screen):
        hint = await typed(pilot, screen, "- invites arrive at short notice #health")
        assert "said by Health (agency)" in hint
        assert "#health1" in hint and "#health2" in hint


async def test_a_score_from_nobody_known_is_kept_as_a_note_and_says_why(
    store: Store, cid: str, db_path: Path
) -> None:
    async with facilitating(store, cid) as (pilot, screen):
        hint = await typed(pilot, screen, "=6 #csc1 ")
        assert "not a score: #csc1 is unknown" in hint
        await pilot.press("enter")
        await pilot.pause()
        said = str(list(pilot.app._notifications)[-1].message)
        assert said == "Saved as a note, not a score: #csc1 named nobody here."
        hint = await typed(pilot, screen, "=7 #police ")
        assert "score 7/10" in hint and "Police 1" in hint
        await pilot.press("enter")
        await pilot.pause()
    notes = rows(db_path, "SELECT body, stance, agency FROM notes ORDER BY created_at, rowid")
    assert [tuple(n) for n in notes] == [
        ("=6 #csc1", "note", None), ("Scored 7/10", "note", "Police")]
    scores = rows(db_path, "SELECT value, participant_id FROM scores")
    assert [tuple(s) for s in scores] == [(7, person_id(store, cid, "Police 1"))]


async def test_an_action_drafted_from_a_tagged_note_has_its_owner(
    store: Store, cid: str, db_path: Path
) -> None:
    question = store.list_questions(cid)[0].id
    store.start_conversation(cid)
    store.add_note(cid, question, "CSC to draft the invitation", Stance.ACTION,
                   agency="Children's social care",
                   participant_id=person_id(store, cid, "Social care 1"))
    store.add_note(cid, question, "Health to set up a rota", Stance.ACTION, agency="Health")
    store.add_note(cid, question, "Someone to book the room", Stance.ACTION)
    store.close_conversation(cid)
    app = AppreciateApp(store)
    async with app.run_test(size=(120, 40)) as pilot:
        app.wrap_up_conversation(cid)
        await pilot.pause()
        assert isinstance(app.screen, WrapUpScreen)
    drafted = rows(db_path, "SELECT description, owner FROM actions ORDER BY created_at, rowid")
    assert [tuple(a) for a in drafted] == [
        ("CSC to draft the invitation", "Social care 1"),
        ("Health to set up a rota", "Health"),
        ("Someone to book the room", ""),
    ]
